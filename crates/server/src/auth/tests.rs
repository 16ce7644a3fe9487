use super::*;
use std::collections::BTreeSet;

struct Fake;
struct NoPerms;

impl PermissionCheck for NoPerms {
    fn privileges(&self, _: &str, _: &str) -> BTreeSet<String> {
        BTreeSet::new()
    }
    fn user_group_privs(&self, _: &str, _: &str, _: &[&str]) -> bool {
        false
    }
}

impl Authenticator for Fake {
    fn verify_ticket(&self, ticket: &str) -> Result<Authid, AuthFailure> {
        match ticket {
            "good" | "PVE:!tfa!x" => Ok("alice@pve".parse().unwrap()),
            _ => Err(AuthFailure::failed()),
        }
    }
    fn verify_token(&self, authid: &Authid, secret: &str) -> Result<(), AuthFailure> {
        if authid.to_string() == "alice@pve!t1" && secret == "s3cr=t" {
            Ok(())
        } else {
            Err(AuthFailure::failed())
        }
    }
    fn verify_csrf(&self, _: &Authid, token: &str) -> bool {
        token == "csrf"
    }
    fn is_tfa_pending(&self, ticket: &str) -> bool {
        ticket.starts_with("PVE:!tfa!")
    }
    fn permission_checker(&self) -> Arc<dyn PermissionCheck + Send + Sync> {
        Arc::new(NoPerms)
    }
}

fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
    let mut h = HeaderMap::new();
    for (k, v) in pairs {
        h.append(*k, v.parse().unwrap());
    }
    h
}

const GET: RequestKind<'static> = RequestKind {
    method: "GET",
    rel: "/version",
};
const POST: RequestKind<'static> = RequestKind {
    method: "POST",
    rel: "/nodes/n1/qemu",
};

#[test]
fn ticket_from_cookie_wins_over_authorization_header() {
    let c = Credentials::from_headers(&headers(&[
        ("cookie", "foo=1; PVEAuthCookie=PVE%3Aroot%40pam%3A1; bar=2"),
        ("authorization", "PVEAuthCookie=other"),
    ]));
    assert_eq!(c.ticket.as_deref(), Some("PVE:root@pam:1"));
    assert_eq!(c.api_token, None);
}

#[test]
fn ticket_from_authorization_header_fallback() {
    let c = Credentials::from_headers(&headers(&[("authorization", "PVEAuthCookie=abc")]));
    assert_eq!(c.ticket.as_deref(), Some("abc"));
}

#[test]
fn token_header_accepts_equals_and_space() {
    for h in [
        "PVEAPIToken=alice@pve!t1=s3cr=t",
        "PVEAPIToken alice@pve!t1=s3cr=t",
    ] {
        let c = Credentials::from_headers(&headers(&[("authorization", h)]));
        let a = authenticate(&Fake, &c, POST).unwrap();
        assert!(a.by_token, "{h}");
        assert_eq!(a.authid.to_string(), "alice@pve!t1");
    }
}

#[test]
fn extract_auth_value_needs_a_boundary() {
    assert_eq!(extract_auth_value("XPVEAuthCookie=1", COOKIE_NAME), None);
    assert_eq!(extract_auth_value("a=b;PVEAuthCookie=1", COOKIE_NAME), None);
    assert_eq!(
        extract_auth_value("a=b; PVEAuthCookie=1", COOKIE_NAME).as_deref(),
        Some("1")
    );
    assert_eq!(extract_auth_value("PVEAuthCookie=", COOKIE_NAME), None);
}

#[test]
fn missing_credentials_is_no_ticket() {
    let err = authenticate(&Fake, &Credentials::default(), GET).unwrap_err();
    assert_eq!(err.message, "No ticket");
}

#[test]
fn csrf_is_required_for_non_get_ticket_requests_only() {
    let mut c = Credentials {
        ticket: Some("good".into()),
        ..Default::default()
    };
    assert!(authenticate(&Fake, &c, GET).is_ok());
    assert_eq!(
        authenticate(&Fake, &c, POST).unwrap_err(),
        AuthFailure::csrf()
    );
    let upload = RequestKind {
        method: "POST",
        rel: "/nodes/n1/storage/local/upload",
    };
    assert!(authenticate(&Fake, &c, upload).is_ok());
    c.csrf = Some("csrf".into());
    assert!(authenticate(&Fake, &c, POST).is_ok());
}

#[test]
fn tfa_pending_ticket_only_reaches_post_access_tfa() {
    let c = Credentials {
        ticket: Some("PVE:!tfa!x".into()),
        csrf: Some("csrf".into()),
        ..Default::default()
    };
    assert_eq!(
        authenticate(&Fake, &c, GET).unwrap_err(),
        AuthFailure::no_ticket()
    );
    let tfa = RequestKind {
        method: "POST",
        rel: "/access/tfa",
    };
    assert!(authenticate(&Fake, &c, tfa).is_ok());
}

#[test]
fn bad_token_forms_fail() {
    for t in ["alice@pve!t1", "alice@pve=x", "nonsense"] {
        let c = Credentials {
            api_token: Some(t.into()),
            ..Default::default()
        };
        assert_eq!(
            authenticate(&Fake, &c, GET).unwrap_err(),
            AuthFailure::failed(),
            "{t}"
        );
    }
}

#[test]
fn unix_uid_zero_is_root_others_refused() {
    assert_eq!(authenticate_uid(0).unwrap().authid.to_string(), "root@pam");
    assert!(authenticate_uid(1000).is_err());
}

#[test]
fn upload_path_matches_only_storage_upload() {
    assert!(is_upload_path("/nodes/n1/storage/local/upload"));
    assert!(!is_upload_path("/nodes/n1/storage/local/upload/x"));
    assert!(!is_upload_path("/nodes//storage/local/upload"));
}
