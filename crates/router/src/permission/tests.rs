use super::*;
use serde_json::json;

/// A checker where `alice@pve` holds VM.Audit on /vms/100 only.
struct Fake;

impl PermissionCheck for Fake {
    fn privileges(&self, authid: &str, path: &str) -> BTreeSet<String> {
        match (authid, path) {
            ("alice@pve", "/vms/100") => ["VM.Audit".to_string()].into(),
            _ => BTreeSet::new(),
        }
    }
    fn user_group_privs(&self, authid: &str, target: &str, _privs: &[&str]) -> bool {
        authid == "alice@pve" && target == "bob@pve"
    }
}

fn env(authid: Option<&str>) -> RpcEnv {
    RpcEnv::new(authid.map(str::to_string), "node1")
}

fn params(v: Value) -> Map<String, Value> {
    v.as_object().cloned().unwrap_or_default()
}

const AUDIT: Permission = Permission::Perm {
    path: "/vms/{vmid}",
    privs: &["VM.Audit"],
    any: false,
};

#[test]
fn perm_on_expanded_path_is_granted() {
    let p = params(json!({"vmid": 100}));
    assert!(AUDIT.evaluate(&env(Some("alice@pve")), &p, &Fake).is_ok());
}

#[test]
fn missing_privilege_names_path_and_privilege() {
    let p = params(json!({"vmid": "200"}));
    let e = AUDIT
        .evaluate(&env(Some("alice@pve")), &p, &Fake)
        .unwrap_err();
    assert_eq!(e.status, 403);
    assert_eq!(e.message, "Permission check failed (/vms/200, VM.Audit)");
}

#[test]
fn any_failure_lists_all_alternatives() {
    let p = Permission::Perm {
        path: "/",
        privs: &["Sys.Audit", "Datastore.Audit"],
        any: true,
    };
    let e = p
        .evaluate(&env(Some("alice@pve")), &Map::new(), &Fake)
        .unwrap_err();
    assert_eq!(
        e.message,
        "Permission check failed (/, Sys.Audit|Datastore.Audit)"
    );
}

#[test]
fn anonymous_caller_is_only_allowed_on_world_methods() {
    assert!(Permission::World
        .evaluate(&env(None), &Map::new(), &Fake)
        .is_ok());
    assert_eq!(
        Permission::All
            .evaluate(&env(None), &Map::new(), &Fake)
            .unwrap_err()
            .status,
        401
    );
}

#[test]
fn root_only_and_userid_rules() {
    assert!(Permission::RootOnly
        .evaluate(&env(Some("root@pam")), &Map::new(), &Fake)
        .is_ok());
    assert!(Permission::RootOnly
        .evaluate(&env(Some("alice@pve")), &Map::new(), &Fake)
        .is_err());
    const SELF_OR_GROUP: Permission = Permission::Or(&[
        Permission::UseridParam,
        Permission::UseridGroup(&["User.Modify"]),
    ]);
    let own = params(json!({"userid": "alice@pve"}));
    let bob = params(json!({"userid": "bob@pve"}));
    let carol = params(json!({"userid": "carol@pve"}));
    assert!(SELF_OR_GROUP
        .evaluate(&env(Some("alice@pve")), &own, &Fake)
        .is_ok());
    assert!(SELF_OR_GROUP
        .evaluate(&env(Some("alice@pve")), &bob, &Fake)
        .is_ok());
    assert!(SELF_OR_GROUP
        .evaluate(&env(Some("alice@pve")), &carol, &Fake)
        .is_err());
}

#[test]
fn display_uses_the_reference_notation() {
    assert_eq!(AUDIT.to_string(), "perm(/vms/{vmid},[VM.Audit])");
    let any = Permission::Perm {
        path: "/",
        privs: &["Sys.Audit", "Datastore.Audit"],
        any: true,
    };
    assert_eq!(any.to_string(), "perm(/,[Sys.Audit|Datastore.Audit],any)");
    const OR: Permission = Permission::Or(&[
        Permission::UseridParam,
        Permission::UseridGroup(&["User.Modify"]),
    ]);
    assert_eq!(
        OR.to_string(),
        "or(userid-param(self),userid-group([User.Modify]))"
    );
}
