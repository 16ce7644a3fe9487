use super::*;
use proptest::prelude::*;

const KEY: &str = include_str!("../../tests/fixtures/authkey.key");
const PUB: &str = include_str!("../../tests/fixtures/authkey.pub");
const OTHER_KEY: &str = include_str!("../../tests/fixtures/other.key");
/// `openssl dgst -sha1 -sign authkey.key` of `PVE:joe@pve:5F5E1000`, base64.
const SHA1_SIG: &str = include_str!("../../tests/fixtures/sha1.sig.b64");
/// The same payload signed with SHA-256.
const SHA256_SIG: &str = include_str!("../../tests/fixtures/sha256.sig.b64");

const T0: i64 = 0x5F5E_1000;

fn keys() -> AuthKeys {
    // Key written 3 hours before T0: old enough not to cap ticket ages.
    AuthKeys::from_pem(KEY, T0 - 3 * 3600).unwrap()
}

fn user(s: &str) -> Userid {
    s.parse().unwrap()
}

#[test]
fn user_ticket_has_upstream_shape_and_verifies() {
    let k = keys();
    let t = k.assemble_user_ticket(&user("joe@pve"), T0).unwrap();
    assert!(t.starts_with("PVE:joe@pve:5F5E1000::"), "{t}");
    let v = k.verify_ticket(&t, T0 + 10).unwrap();
    assert_eq!(v.subject, TicketSubject::User(user("joe@pve")));
    assert_eq!(v.age, 10);
}

#[test]
fn ticket_lifetime_is_two_hours_with_five_minutes_skew() {
    let k = keys();
    let t = k.assemble_user_ticket(&user("joe@pve"), T0).unwrap();
    assert!(k.verify_ticket(&t, T0 + 7199).is_ok());
    assert!(k.verify_ticket(&t, T0 + 7200).is_err());
    assert!(k.verify_ticket(&t, T0 - 299).is_ok());
    let err = k.verify_ticket(&t, T0 - 300).unwrap_err();
    assert_eq!(err.to_string(), "permission denied - invalid PVE ticket");
    assert_eq!(err.status(), 401);
}

#[test]
fn upstream_signatures_with_sha1_and_sha256_verify() {
    let k = keys();
    for sig in [SHA1_SIG, SHA256_SIG] {
        let t = format!("PVE:joe@pve:5F5E1000::{}", sig.trim());
        assert!(k.verify_ticket(&t, T0 + 1).is_ok());
    }
    let t = format!("PVE:max@pve:5F5E1000::{}", SHA1_SIG.trim());
    assert!(k.verify_ticket(&t, T0 + 1).is_err(), "changed user");
}

#[test]
fn public_key_from_pem_file_verifies_tickets() {
    let k = keys();
    let t = k.assemble_user_ticket(&user("joe@pve"), T0).unwrap();
    let verifier = AuthKeys {
        private: None,
        public: DatedKey {
            key: keys::parse_public(PUB).unwrap(),
            mtime: T0 - 3 * 3600,
        },
        old: None,
    };
    assert!(verifier.verify_ticket(&t, T0).is_ok());
    assert_eq!(
        verifier.assemble_user_ticket(&user("joe@pve"), T0),
        Err(TicketError::NoPrivateKey)
    );
}

#[test]
fn ticket_older_than_key_is_rejected_and_old_key_covers_it() {
    let old = AuthKeys::from_pem(OTHER_KEY, T0 - 20 * 3600).unwrap();
    let t = old.assemble_user_ticket(&user("joe@pve"), T0).unwrap();
    // New key written 10 minutes after the ticket.
    let mut new = AuthKeys::from_pem(KEY, T0 + 600).unwrap();
    assert!(new.verify_ticket(&t, T0 + 700).is_err());
    new.old = Some(DatedKey {
        key: old.public.key.clone(),
        mtime: T0 + 600,
    });
    assert!(new.verify_ticket(&t, T0 + 700).is_ok());
    // A ticket signed by the old key after the rotation is refused.
    let late = old
        .assemble_user_ticket(&user("joe@pve"), T0 + 1000)
        .unwrap();
    assert!(new.verify_ticket(&late, T0 + 1010).is_err());
}

#[test]
fn tfa_ticket_needs_the_user_and_escapes_colons() {
    let k = keys();
    let challenge = r#"{"totp":true,"recovery":"available"}"#;
    let t = k
        .assemble_tfa_ticket(&user("joe@pve"), challenge, T0)
        .unwrap();
    assert!(t.starts_with("PVE:!tfa!{\"totp\"%3Atrue,\"recovery\"%3A\"available\"}:5F5E1000::"));
    assert!(
        k.verify_ticket(&t, T0).is_err(),
        "signature covers the user"
    );
    assert_eq!(k.verify_tfa_ticket(&t, "joe@pve", T0).unwrap(), challenge);
    assert!(k.verify_tfa_ticket(&t, "max@pve", T0).is_err());
    let normal = k.assemble_user_ticket(&user("joe@pve"), T0).unwrap();
    assert!(k.verify_tfa_ticket(&normal, "joe@pve", T0).is_err());
}

#[test]
fn legacy_tfa_data_is_classified() {
    let k = keys();
    let t = k.assemble_ticket("tfa!joe@pve", None, T0).unwrap();
    let v = k.verify_ticket(&t, T0).unwrap();
    assert_eq!(v.subject, TicketSubject::LegacyTfa(user("joe@pve")));
    let t = k.assemble_ticket("u2f!joe@pve!verified", None, T0).unwrap();
    let v = k.verify_ticket(&t, T0).unwrap();
    assert_eq!(v.subject, TicketSubject::LegacyU2f(user("joe@pve"), None));
}

#[test]
fn vnc_ticket_binds_user_path_and_port_for_forty_seconds() {
    let k = keys();
    let t = k
        .assemble_vnc_ticket("joe@pve", "/vms/100", Some(5900), T0)
        .unwrap();
    assert!(t.starts_with("PVEVNC:5F5E1000::"));
    let ok = |t: &str, u, p, port, now| k.verify_vnc_ticket(t, u, p, port, now).is_ok();
    assert!(ok(&t, "joe@pve", "/vms/100", Some(5900), T0 + 39));
    assert!(ok(&t, "joe@pve", "/vms/100/", Some(5900), T0 - 19));
    assert!(!ok(&t, "joe@pve", "/vms/100", Some(5900), T0 + 40));
    assert!(!ok(&t, "joe@pve", "/vms/100", Some(5901), T0));
    assert!(!ok(&t, "joe@pve", "/vms/101", Some(5900), T0));
    assert!(!ok(&t, "max@pve", "/vms/100", Some(5900), T0));
    let legacy = format!("ABCDEFGH:{t}");
    assert!(ok(&legacy, "joe@pve", "/vms/100", Some(5900), T0));
    let tunnel = k.assemble_tunnel_ticket("joe@pve", "/vms/100", T0).unwrap();
    assert!(k
        .verify_tunnel_ticket(&tunnel, "joe@pve", "/vms/100", T0)
        .is_ok());
    assert!(k
        .verify_vnc_ticket(&tunnel, "joe@pve", "/vms/100", None, T0)
        .is_err());
    assert_eq!(
        k.assemble_vnc_ticket("joe@pve", "", None, T0),
        Err(TicketError::InvalidPath)
    );
}

#[test]
fn csrf_token_matches_upstream_construction() {
    let secret = CsrfSecret::from_file_contents(b"test-www-key\n");
    let token = secret.assemble("root@pam", T0);
    // Computed independently with Python's hmac module.
    assert_eq!(
        token,
        "5F5E1000:Whd0Msho2aIkyMyzikDo210k1NzfjKvcHESycbBzA4s"
    );
    assert!(secret.verify("root@pam", &token, T0 + 7199).is_ok());
    assert!(secret.verify("root@pam", &token, T0 + 7200).is_err());
    assert!(secret.verify("root@pam", &token, T0 - 299).is_ok());
    assert!(secret.verify("root@pam", &token, T0 - 300).is_err());
    let err = secret.verify("joe@pve", &token, T0).unwrap_err();
    assert_eq!(err.to_string(), "Permission denied - invalid csrf token");
    assert!(secret.verify("root@pam", "5f5e1000:x", T0).is_err());
    assert!(secret.verify("root@pam", "garbage", T0).is_err());
}

#[test]
fn keys_are_generated_once_and_reloaded() {
    let dir = tempfile::tempdir().unwrap();
    let root = virton_sys::HostRoot::new(dir.path());
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let k = AuthKeys::load_or_generate(&root, now).unwrap();
    let priv_pem = std::fs::read_to_string(root.etc_pve().join("priv/authkey.key")).unwrap();
    let pub_pem = std::fs::read_to_string(root.etc_pve().join("authkey.pub")).unwrap();
    assert!(priv_pem.starts_with("-----BEGIN RSA PRIVATE KEY-----\n"));
    assert!(pub_pem.starts_with("-----BEGIN PUBLIC KEY-----\n"));
    let t = k.assemble_user_ticket(&user("joe@pve"), now).unwrap();
    let again = AuthKeys::load_or_generate(&root, now).unwrap();
    assert!(again.verify_ticket(&t, now + 1).is_ok());
    assert!(again.old.is_none());
    let csrf = CsrfSecret::load_or_generate(&root).unwrap();
    let token = csrf.assemble("joe@pve", now);
    let csrf2 = CsrfSecret::load_or_generate(&root).unwrap();
    assert!(csrf2.verify("joe@pve", &token, now).is_ok());
}

#[test]
fn malformed_tickets_are_rejected() {
    let k = keys();
    for t in [
        "",
        "PVE:",
        "PVE:joe@pve:5F5E1000",
        "PVE:joe@pve:5F5E1000::",
        "PVE:joe@pve:5f5e1000::AAAA",
        "PVEX:joe@pve:5F5E1000::AAAA",
        "PVE:joe @pve:5F5E1000::AAAA",
        "PVE::5F5E1000::AAAA",
        "PVE:joe@pve:5F5E1000::AA:AA",
    ] {
        assert!(k.verify_ticket(t, T0).is_err(), "{t:?}");
    }
}

proptest! {
    #[test]
    fn parse_ticket_never_panics(s in "\\PC*") {
        let _ = parse_ticket(PREFIX, &s);
        let _ = format::unescape(&s);
    }

    #[test]
    fn assembled_plain_parses_back(data in "[!-~&&[^%]]{1,40}", now in 0i64..0xFFFF_FFFF) {
        let plain = format::assemble_plain(PREFIX, Some(&data), now);
        let ticket = format::join_ticket(&plain, b"sig");
        let raw = parse_ticket(PREFIX, &ticket).expect("parses");
        prop_assert_eq!(raw.plain, plain.as_str());
        prop_assert_eq!(raw.timestamp, now);
        prop_assert_eq!(raw.data_unescaped(), Some(data));
        prop_assert_eq!(raw.signature_bytes(), Some(b"sig".to_vec()));
    }
}
