use super::*;
use virton_config::Format;

/// A hand-written configuration exercising groups, propagation, pools and tokens.
const CFG: &str = "\
user:ann@pve:1:0::::::
token:ann@pve!sep::1:
token:ann@pve!full::0::
user:bob@pve:1:0::::::
user:cid@pam:1:0::::::
group:ops:ann@pve,bob@pve::
group:audit:cid@pam::
role:Looker:VM.Audit:
role:Starter:VM.Audit,VM.PowerMgmt:
pool:web:web guests:101,102:fast:
pool:web/inner::103::
acl:1:/:@audit:PVEAuditor:
acl:1:/vms:@ops:Starter:
acl:0:/vms/200:bob@pve:Looker:
acl:1:/vms/300:bob@pve:NoAccess:
acl:1:/pool/web:ann@pve:PVEVMAdmin:
acl:1:/pool/web/inner:bob@pve:NoAccess:
acl:1:/vms:ann@pve!sep:Looker:
";

fn cfg() -> UserConfig {
    UserConfig::parse("user.cfg", CFG).expect("fixture parses")
}

fn names(privs: BTreeSet<String>) -> String {
    privs.into_iter().collect::<Vec<_>>().join(",")
}

#[test]
fn group_role_propagates_to_children() {
    let cfg = cfg();
    let p = Permissions::new(&cfg);
    assert_eq!(
        names(p.privileges("bob@pve", "/vms/555")),
        "VM.Audit,VM.PowerMgmt"
    );
    assert_eq!(
        p.roles("bob@pve", "/vms/555"),
        RoleMap::from([("Starter".into(), true)])
    );
}

#[test]
fn user_assignment_overrides_group_and_non_propagating_applies_only_on_its_path() {
    let cfg = cfg();
    let p = Permissions::new(&cfg);
    assert_eq!(
        p.roles("bob@pve", "/vms/200"),
        RoleMap::from([("Looker".into(), false)])
    );
    assert_eq!(names(p.privileges("bob@pve", "/vms/200")), "VM.Audit");
    // Below /vms/200 the non-propagating role does not apply: the group role does.
    assert_eq!(
        p.roles("bob@pve", "/vms/200/x"),
        RoleMap::from([("Starter".into(), true)])
    );
}

#[test]
fn no_access_removes_everything() {
    let cfg = cfg();
    let p = Permissions::new(&cfg);
    assert_eq!(
        p.roles("bob@pve", "/vms/300"),
        RoleMap::from([("NoAccess".into(), true)])
    );
    assert!(p.privileges("bob@pve", "/vms/300").is_empty());
}

#[test]
fn pool_roles_apply_to_member_guests_and_storages() {
    let cfg = cfg();
    let p = Permissions::new(&cfg);
    let privs = p.permissions("ann@pve", "/vms/101");
    assert!(privs.contains_key("VM.Allocate"));
    // Pool-derived privileges never propagate, group ones still do.
    assert_eq!(privs.get("VM.Allocate"), Some(&false));
    assert_eq!(privs.get("VM.PowerMgmt"), Some(&true));
    assert!(!p
        .privileges("ann@pve", "/storage/fast")
        .contains("Datastore.Audit"));
    assert!(p
        .privileges("ann@pve", "/storage/fast")
        .contains("VM.Allocate"));
    // Nested pool inherits the propagating pool role.
    assert!(p.privileges("ann@pve", "/vms/103").contains("VM.Allocate"));
    // Roles alone do not consider pools.
    assert!(!p.roles("ann@pve", "/vms/101").contains_key("PVEVMAdmin"));
}

#[test]
fn pool_no_access_beats_regular_acl() {
    let cfg = cfg();
    let p = Permissions::new(&cfg);
    assert!(p.privileges("bob@pve", "/vms/103").is_empty());
    assert_eq!(
        names(p.privileges("bob@pve", "/vms/101")),
        "VM.Audit,VM.PowerMgmt"
    );
}

#[test]
fn privsep_token_gets_intersection_and_plain_token_gets_user_privileges() {
    let cfg = cfg();
    let p = Permissions::new(&cfg);
    assert_eq!(names(p.privileges("ann@pve!sep", "/vms/555")), "VM.Audit");
    assert_eq!(
        p.privileges("ann@pve!full", "/vms/101"),
        p.privileges("ann@pve", "/vms/101")
    );
    assert!(p.privileges("ann@pve!missing", "/vms/555").is_empty());
    assert!(p.roles("ann@pve!missing", "/vms/555").is_empty());
}

#[test]
fn root_holds_everything_and_unknown_user_nothing() {
    let cfg = cfg();
    let p = Permissions::new(&cfg);
    assert!(p.privileges("root@pam", "/anything").contains("Sys.Modify"));
    assert_eq!(
        p.roles("root@pam", "/"),
        RoleMap::from([("Administrator".into(), true)])
    );
    assert!(p.privileges("nobody@pve", "/").is_empty());
    assert!(p.privileges("not a user", "/").is_empty());
}

#[test]
fn check_reports_upstream_wording() {
    let cfg = cfg();
    let p = Permissions::new(&cfg);
    assert_eq!(p.check("bob@pve", "/vms/555", &["VM.Audit"], false), Ok(()));
    let err = p
        .check("bob@pve", "/vms/555", &["VM.Audit", "VM.Allocate"], false)
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "Permission check failed (/vms/555, VM.Allocate)"
    );
    assert_eq!(err.status(), 403);
    let err = p
        .check("bob@pve", "/", &["Sys.Modify", "Sys.Audit"], true)
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "Permission check failed (/, Sys.Modify|Sys.Audit)"
    );
    assert_eq!(
        p.check("bob@pve", "/vms/1", &["VM.Allocate", "VM.Audit"], true),
        Ok(())
    );
    let err = p.check("bob@pve", "/", &["No.Such"], false).unwrap_err();
    assert_eq!(err, PermissionError::InvalidPrivilege("No.Such".into()));
}

#[test]
fn check_vm_accepts_pool_privileges() {
    let cfg = cfg();
    let p = Permissions::new(&cfg);
    assert!(p
        .check_vm("ann@pve", 999, Some("web"), &["VM.Allocate"], false)
        .is_ok());
    assert!(p
        .check_vm("ann@pve", 999, None, &["VM.Allocate"], false)
        .is_err());
    assert!(p.check_perm_modify("ann@pve", Some("/vms/101")).is_ok());
    assert!(p.check_perm_modify("bob@pve", None).is_err());
}

#[test]
fn capabilities_group_privileges_per_area() {
    let cfg = cfg();
    let p = Permissions::new(&cfg);
    let cap = p.api_capabilities("cid@pam");
    assert_eq!(cap.len(), 7);
    assert_eq!(
        cap["dc"].keys().collect::<Vec<_>>(),
        ["SDN.Audit", "Sys.Audit"]
    );
    assert!(cap["vms"].contains_key("VM.Audit"));
    assert!(cap["storage"].contains_key("Datastore.Audit"));
    assert!(cap["access"].is_empty());
    let ann = p.api_capabilities("ann@pve");
    assert!(
        ann["vms"].contains_key("VM.Allocate"),
        "pool privileges count for vms"
    );
    let root = p.api_capabilities("root@pam");
    assert!(root["access"].contains_key("User.Modify"));
    assert!(root["nodes"].contains_key("Sys.PowerMgmt"));
}

#[test]
fn effective_permissions_list_only_paths_with_privileges() {
    let cfg = cfg();
    let p = Permissions::new(&cfg);
    let dump = p.effective_permissions("bob@pve", None);
    assert!(dump.contains_key("/vms"));
    assert!(dump.contains_key("/vms/101"), "pool members are listed");
    assert!(!dump.contains_key("/vms/300"));
    assert!(!dump.contains_key("/"));
    let one = p.effective_permissions("bob@pve", Some("/vms/300"));
    assert_eq!(one.len(), 1);
    assert!(one["/vms/300"].is_empty());
}

#[test]
fn normalize_path_matches_upstream_rules() {
    assert_eq!(normalize_path("//vms//100/").as_deref(), Some("/vms/100"));
    assert_eq!(normalize_path("vms").as_deref(), Some("/vms"));
    assert_eq!(normalize_path("/").as_deref(), Some("/"));
    assert_eq!(normalize_path(""), None);
    assert_eq!(normalize_path("/vms/1 0"), None);
}

#[test]
fn relative_path_skips_root_level() {
    let cfg = cfg();
    let p = Permissions::new(&cfg);
    assert!(!p.roles("cid@pam", "/vms").is_empty());
    assert!(p.roles("cid@pam", "vms").is_empty());
    assert!(p.roles("cid@pam", "").is_empty());
}
