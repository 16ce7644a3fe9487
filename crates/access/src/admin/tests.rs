//! Tests of the admin module: path rules, permission rules and file changes.

use super::acl::is_valid_acl_path;
use super::checks::{check_userid_group, user_group_allowed, GroupsParam};
use super::*;
use crate::perm::Permissions;
use virton_config::user_cfg::UserConfig;
use virton_sys::HostRoot;

fn store() -> (tempfile::TempDir, ConfigStore) {
    let dir = tempfile::tempdir().unwrap();
    let s = ConfigStore::new(HostRoot::new(dir.path()));
    (dir, s)
}

fn cfg(text: &str) -> UserConfig {
    UserConfig::parse("user.cfg", text).unwrap()
}

#[test]
fn acl_paths_follow_upstream_list() {
    for ok in [
        "/",
        "/vms",
        "/vms/100",
        "/pool/a/b/c",
        "/storage/local",
        "/sdn/zones/z/vnet/10",
        "/access/realm/pve",
        "/mapping/pci/x",
    ] {
        assert!(is_valid_acl_path(ok), "{ok}");
    }
    for bad in [
        "/vms/99",
        "/vms/0100",
        "/bogus",
        "/pool/a/b/c/d",
        "/sdn/zones/z/v/0",
        "vms",
    ] {
        assert!(!is_valid_acl_path(bad), "{bad}");
    }
}

#[test]
fn split_list_accepts_upstream_separators() {
    assert_eq!(split_list(Some("a,b; c\0d")), ["a", "b", "c", "d"]);
    assert!(split_list(None).is_empty());
}

#[test]
fn userid_group_rule_allows_group_admins_only_for_their_members() {
    let c = cfg(
        "user:root@pam:1:0::::::\nuser:a@pve:1:0::::::\nuser:b@pve:1:0::::::\nuser:m@pve:1:0::::::\n\
         group:g:a@pve::\nacl:1:/access/groups/g:m@pve:PVEUserAdmin:\n",
    );
    let p = Permissions::new(&c);
    let privs = ["User.Modify"];
    assert!(user_group_allowed(&p, "m@pve", "a@pve", &privs));
    assert!(!user_group_allowed(&p, "m@pve", "b@pve", &privs));
    assert!(check_userid_group(&p, "m@pve", "a@pve", &privs, GroupsParam::Ignored).is_ok());
    let e = check_userid_group(&p, "m@pve", "x@pve", &privs, GroupsParam::Ignored).unwrap_err();
    assert_eq!(e.to_string(), "no such user ('x@pve')");
    let e =
        check_userid_group(&p, "m@pve", "n@pve", &privs, GroupsParam::Create(None)).unwrap_err();
    assert_eq!(
        e.to_string(),
        "Permission check failed (/access/groups, User.Modify)"
    );
    assert!(
        check_userid_group(&p, "m@pve", "n@pve", &privs, GroupsParam::Create(Some("g"))).is_ok()
    );
}

#[test]
fn create_and_delete_user_keep_files_consistent() {
    let (_d, s) = store();
    users::create_user(
        &s,
        "joe@pve",
        &users::UserFields::default(),
        Some("Joe-pass-1"),
    )
    .unwrap();
    let t = tokens::generate_token(&s, "joe@pve", "t1", &tokens::TokenFields::default()).unwrap();
    assert_eq!(t.full_tokenid, "joe@pve!t1");
    let shadow = std::fs::read_to_string(s.path(SHADOW_CFG).unwrap()).unwrap();
    assert!(shadow.starts_with("joe:$5$"), "{shadow}");
    users::delete_user(&s, "joe@pve").unwrap();
    let token_cfg = std::fs::read_to_string(s.path(TOKEN_CFG).unwrap()).unwrap();
    assert!(!token_cfg.contains("joe@pve"));
    let shadow = std::fs::read_to_string(s.path(SHADOW_CFG).unwrap()).unwrap();
    assert!(!shadow.contains("joe"));
}

#[test]
fn failed_change_writes_nothing() {
    let (_d, s) = store();
    let fields = users::UserFields {
        groups: Some("missing".into()),
        ..Default::default()
    };
    let e = users::create_user(&s, "joe@pve", &fields, Some("Joe-pass-1")).unwrap_err();
    assert_eq!(e.to_string(), "create user failed: no such group 'missing'");
    assert!(!s.path(USER_CFG).unwrap().exists());
    assert!(!s.path(SHADOW_CFG).unwrap().exists());
}

#[test]
fn pool_delete_ignores_vanished_members() {
    let (_d, s) = store();
    pools::create_pool(&s, "p1", None).unwrap();
    let upd = pools::PoolUpdate {
        poolid: "p1",
        vms: Some("100"),
        ..Default::default()
    };
    pools::update_pool(&s, "root@pam", &upd).unwrap();
    let e = pools::delete_pool(&s, "p1", &|_| true, &|_| false).unwrap_err();
    assert_eq!(
        e.to_string(),
        "delete pool failed: pool 'p1' is not empty (contains VM 100)"
    );
    pools::delete_pool(&s, "p1", &|_| false, &|_| false).unwrap();
}
