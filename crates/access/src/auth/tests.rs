use super::*;
use std::sync::Mutex;
use virton_config::Format;

const USERS: &str = "\
user:root@pam:1:0::::::
user:joe@pve:1:0::::::
token:joe@pve!ci::0:
token:joe@pve!old:1000:0:
user:off@pve:0:0::::::
user:gone@pve:1:1000::::::
user:amy@pam:1:0::::::
";

const SHADOW: &str = "joe:$5$abcdefgh$J6H3C748oBDziWnVFtVRb5dFqVVqxQVtM4RJ9vMuIG/:\n";

/// Records calls and accepts one fixed password.
struct FakePam(Mutex<Vec<(String, Option<String>)>>);

impl Authenticator for FakePam {
    fn authenticate(&self, user: &str, pw: &str, rhost: Option<&str>) -> Result<(), AuthFailure> {
        self.0
            .lock()
            .unwrap()
            .push((user.to_string(), rhost.map(str::to_string)));
        if pw == "pam-pw" {
            Ok(())
        } else {
            Err(AuthFailure("Authentication failure".into()))
        }
    }
}

fn fixtures() -> (UserConfig, DomainsConfig, ShadowConfig) {
    (
        UserConfig::parse("user.cfg", USERS).unwrap(),
        DomainsConfig::fresh_install(),
        ShadowConfig::parse("shadow.cfg", SHADOW).unwrap(),
    )
}

#[test]
fn pve_realm_checks_shadow_hash_by_local_name() {
    let (users, domains, shadow) = fixtures();
    let pam = FakePam(Mutex::default());
    let login = PasswordLogin {
        users: &users,
        domains: &domains,
        shadow: &shadow,
        pam: &pam,
    };
    assert_eq!(
        login
            .authenticate("joe@pve", "Secret-1", None, 5000)
            .unwrap()
            .as_str(),
        "joe@pve"
    );
    let err = login
        .authenticate("joe@pve", "wrong", None, 5000)
        .unwrap_err();
    assert_eq!(err.to_string(), "invalid credentials");
    assert!(pam.0.lock().unwrap().is_empty());
}

#[test]
fn pam_realm_goes_to_authenticator_with_local_name_and_rhost() {
    let (users, domains, shadow) = fixtures();
    let pam = FakePam(Mutex::default());
    let login = PasswordLogin {
        users: &users,
        domains: &domains,
        shadow: &shadow,
        pam: &pam,
    };
    assert!(login
        .authenticate("amy@pam", "pam-pw", Some("10.0.0.1"), 5000)
        .is_ok());
    assert!(login.authenticate("amy@pam", "nope", None, 5000).is_err());
    let calls = pam.0.lock().unwrap();
    assert_eq!(calls[0], ("amy".to_string(), Some("10.0.0.1".to_string())));
}

#[test]
fn account_state_is_checked_before_the_password() {
    let (users, domains, shadow) = fixtures();
    let pam = FakePam(Mutex::default());
    let login = PasswordLogin {
        users: &users,
        domains: &domains,
        shadow: &shadow,
        pam: &pam,
    };
    let msg = |u: &str| {
        login
            .authenticate(u, "Secret-1", None, 5000)
            .unwrap_err()
            .to_string()
    };
    assert_eq!(msg("off@pve"), "user 'off@pve' is disabled");
    assert_eq!(msg("gone@pve"), "user 'gone@pve' access expired");
    assert_eq!(msg("who@pve"), "no such user ('who@pve')");
    let mut users2 = users.clone();
    users2.users.insert(
        "x@ldap1".into(),
        User {
            enable: true,
            ..User::default()
        },
    );
    let login2 = PasswordLogin {
        users: &users2,
        ..login
    };
    assert_eq!(
        login2
            .authenticate("x@ldap1", "pw", None, 5000)
            .unwrap_err()
            .to_string(),
        "auth domain 'ldap1' does not exist"
    );
    let empty = PveRealm { shadow: &shadow }
        .authenticate("joe", "", None)
        .unwrap_err();
    assert_eq!(empty.0, "no password");
    let unset = PveRealm { shadow: &shadow }
        .authenticate("bob", "x", None)
        .unwrap_err();
    assert_eq!(unset.0, "no password set");
}

#[test]
fn token_secret_expiry_and_owner_are_checked() {
    let (users, _, _) = fixtures();
    let secrets = TokenSecrets::parse(
        "token.cfg",
        "joe@pve!ci 0c2b7e39-6c26-4b5e-9f4c-2f1e8a7d3b10\njoe@pve!old 1-2\n",
    )
    .unwrap();
    let login = TokenLogin {
        users: &users,
        secrets: &secrets,
    };
    let ok = login
        .verify("joe@pve!ci=0c2b7e39-6c26-4b5e-9f4c-2f1e8a7d3b10", 5000)
        .unwrap();
    assert_eq!(ok.to_string(), "joe@pve!ci");
    let msg = |v: &str| login.verify(v, 5000).unwrap_err().to_string();
    assert_eq!(
        msg("joe@pve!ci=0c2b7e39-6c26-4b5e-9f4c-2f1e8a7d3b11"),
        "invalid token value!"
    );
    assert_eq!(msg("joe@pve!old=1-2"), "token 'old' access expired");
    assert_eq!(
        msg("joe@pve!nope=x"),
        "no such token 'nope' for user 'joe@pve'"
    );
    assert_eq!(msg("off@pve!tk=x"), "user 'off@pve' is disabled");
    assert_eq!(
        msg("joe@pve=x"),
        "'joe@pve' is not a valid token ID - not able to split into user and token parts"
    );
    assert_eq!(msg("joe@pve!ci"), "no tokenid specified");
}

#[test]
fn authorization_header_accepts_equals_or_space() {
    assert_eq!(
        token_from_authorization("PVEAPIToken=a@pve!t=s"),
        Some("a@pve!t=s")
    );
    assert_eq!(
        token_from_authorization("PVEAPIToken a@pve!t=s"),
        Some("a@pve!t=s")
    );
    assert_eq!(token_from_authorization("PVEAuthCookie=x"), None);
}

#[test]
fn generated_token_secret_is_v4_uuid() {
    let s = generate_token_secret();
    assert_eq!(s.len(), 36);
    assert_eq!(s.as_bytes()[14], b'4');
    assert!(s
        .chars()
        .all(|c| c == '-' || c.is_ascii_hexdigit() && !c.is_ascii_uppercase()));
    assert_ne!(s, generate_token_secret());
}
