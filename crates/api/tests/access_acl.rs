//! Groups, roles, the ACL, effective permissions, realms and pools: round trips,
//! upstream error wording and permission denial.

mod access_common;

use access_common::{assert_err, setup};
use serde_json::json;
use virton_router::HttpMethod::{Delete, Get, Post, Put};

#[test]
fn group_round_trip_and_errors() {
    let env = setup();
    env.root(
        Post,
        "access/groups",
        &[("groupid", "ops"), ("comment", "Ops team")],
    )
    .unwrap();
    assert_err(
        env.root(Post, "access/groups", &[("groupid", "ops")]),
        500,
        "create group failed: group 'ops' already exists",
    );
    env.root(Put, "access/groups/ops", &[("comment", "Operations")])
        .unwrap();
    let g = env.root(Get, "access/groups/ops", &[]).unwrap();
    assert_eq!(g, json!({"comment": "Operations", "members": []}));
    let list = env.root(Get, "access/groups", &[]).unwrap();
    assert_eq!(list.as_array().unwrap().len(), 2);
    env.root(Delete, "access/groups/ops", &[]).unwrap();
    assert_err(
        env.root(Get, "access/groups/ops", &[]),
        500,
        "group 'ops' does not exist",
    );
    assert_err(
        env.call(Some("bob@pve"), Post, "access/groups", &[("groupid", "x")]),
        403,
        "Permission check failed (/access/groups, Group.Allocate)",
    );
}

#[test]
fn role_round_trip_and_builtin_roles_are_read_only() {
    let env = setup();
    env.root(
        Post,
        "access/roles",
        &[
            ("roleid", "Backup"),
            ("privs", "VM.Backup,Datastore.AllocateSpace"),
        ],
    )
    .unwrap();
    let r = env.root(Get, "access/roles/Backup", &[]).unwrap();
    assert_eq!(r, json!({"Datastore.AllocateSpace": 1, "VM.Backup": 1}));
    env.root(
        Put,
        "access/roles/Backup",
        &[("privs", "VM.Audit"), ("append", "1")],
    )
    .unwrap();
    assert_eq!(
        env.root(Get, "access/roles/Backup", &[]).unwrap()["VM.Audit"],
        1
    );
    assert_err(
        env.root(Post, "access/roles", &[("roleid", "Backup")]),
        500,
        "role 'Backup' already exists",
    );
    assert_err(
        env.root(Post, "access/roles", &[("roleid", "PVEMine")]),
        400,
        "Parameter verification failed",
    );
    assert_err(
        env.root(
            Post,
            "access/roles",
            &[("roleid", "X"), ("privs", "VM.Fly")],
        ),
        500,
        "invalid privilege 'VM.Fly'",
    );
    assert_err(
        env.root(Put, "access/roles/PVEAdmin", &[("privs", "VM.Audit")]),
        500,
        "auto-generated role 'PVEAdmin' cannot be modified",
    );
    assert_err(
        env.root(Delete, "access/roles/Administrator", &[]),
        500,
        "auto-generated role 'Administrator' cannot be deleted",
    );
    let list = env.root(Get, "access/roles", &[]).unwrap();
    let admin = list
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["roleid"] == "Administrator")
        .unwrap();
    assert_eq!(admin["special"], 1);
    env.root(Delete, "access/roles/Backup", &[]).unwrap();
    assert_err(
        env.root(Get, "access/roles/Backup", &[]),
        500,
        "role 'Backup' does not exist",
    );
}

#[test]
fn acl_add_list_remove_and_effective_permissions() {
    let env = setup();
    env.root(
        Put,
        "access/acl",
        &[
            ("path", "/vms/100"),
            ("roles", "PVEVMAdmin"),
            ("groups", "staff"),
            ("propagate", "0"),
        ],
    )
    .unwrap();
    assert!(env
        .file("user.cfg")
        .contains("acl:0:/vms/100:@staff:PVEVMAdmin:"));
    let acl = env.root(Get, "access/acl", &[]).unwrap();
    assert_eq!(
        acl[0],
        json!({"path": "/vms/100", "type": "group", "ugid": "staff", "roleid": "PVEVMAdmin", "propagate": 0})
    );
    let perms = env
        .call(
            Some("alice@pve"),
            Get,
            "access/permissions",
            &[("path", "/vms/100")],
        )
        .unwrap();
    assert_eq!(perms["/vms/100"]["VM.PowerMgmt"], 0);
    assert_err(
        env.call(
            Some("bob@pve"),
            Get,
            "access/permissions",
            &[("userid", "alice@pve")],
        ),
        403,
        "Permission check failed (/access, Sys.Audit)",
    );
    env.root(
        Put,
        "access/acl",
        &[
            ("path", "/vms/100"),
            ("roles", "PVEVMAdmin"),
            ("groups", "staff"),
            ("delete", "1"),
        ],
    )
    .unwrap();
    assert_eq!(env.root(Get, "access/acl", &[]).unwrap(), json!([]));
}

#[test]
fn acl_errors_use_upstream_wording() {
    let env = setup();
    assert_err(
        env.root(
            Put,
            "access/acl",
            &[("path", "/vms/100"), ("roles", "PVEVMAdmin")],
        ),
        400,
        "Parameter verification failed",
    );
    assert_err(
        env.root(
            Put,
            "access/acl",
            &[
                ("path", "/bogus"),
                ("roles", "PVEVMAdmin"),
                ("users", "bob@pve"),
            ],
        ),
        400,
        "Parameter verification failed",
    );
    assert_err(
        env.root(
            Put,
            "access/acl",
            &[("path", "/"), ("roles", "Nope"), ("users", "bob@pve")],
        ),
        500,
        "role 'Nope' does not exist",
    );
    assert_err(
        env.root(
            Put,
            "access/acl",
            &[("path", "/"), ("roles", "PVEAuditor"), ("users", "zed@pve")],
        ),
        500,
        "user 'zed@pve' does not exist",
    );
    assert_err(
        env.call(
            Some("bob@pve"),
            Put,
            "access/acl",
            &[
                ("path", "/"),
                ("roles", "Administrator"),
                ("users", "bob@pve"),
            ],
        ),
        403,
        "Permission check failed",
    );
    assert!(!env.file("user.cfg").contains("acl:"));
}

#[test]
fn pool_round_trip_with_query_forms() {
    let env = setup();
    let guest = env.dir.path().join("etc/pve/nodes/n1/qemu-server");
    std::fs::create_dir_all(&guest).unwrap();
    std::fs::write(guest.join("100.conf"), "memory: 512\n").unwrap();
    env.root(Post, "pools", &[("poolid", "dev"), ("comment", "Dev")])
        .unwrap();
    assert_err(
        env.root(Post, "pools", &[("poolid", "dev")]),
        500,
        "create pool failed: pool 'dev' already exists",
    );
    assert_err(
        env.root(Post, "pools", &[("poolid", "x/y")]),
        500,
        "parent 'x' of pool 'x/y' does not exist",
    );
    env.root(
        Put,
        "pools",
        &[("poolid", "dev"), ("vms", "100"), ("storage", "local")],
    )
    .unwrap();
    let q = env.root(Get, "pools", &[("poolid", "dev")]).unwrap();
    assert_eq!(q[0]["comment"], "Dev");
    let members = q[0]["members"].as_array().unwrap();
    assert_eq!(members[0]["id"], "qemu/100");
    assert_eq!(members[0]["vmid"], 100);
    assert_eq!(members[1]["id"], "storage/n1/local");
    let old = env.root(Get, "pools/dev", &[("type", "storage")]).unwrap();
    assert_eq!(old["members"].as_array().unwrap().len(), 1);
    assert_err(
        env.root(Put, "pools", &[("poolid", "dev"), ("vms", "100")]),
        500,
        "VM 100 is already a pool member",
    );
    assert_err(
        env.root(Delete, "pools", &[("poolid", "dev")]),
        500,
        "pool 'dev' is not empty (contains VM 100)",
    );
    env.root(
        Put,
        "pools/dev",
        &[("vms", "100"), ("storage", "local"), ("delete", "1")],
    )
    .unwrap();
    env.root(Delete, "pools", &[("poolid", "dev")]).unwrap();
    assert_err(
        env.root(Get, "pools", &[("poolid", "dev")]),
        500,
        "pool 'dev' does not exist",
    );
    assert_err(
        env.call(Some("bob@pve"), Post, "pools", &[("poolid", "mine")]),
        403,
        "Permission check failed (/pool/mine, Pool.Allocate)",
    );
    assert_eq!(
        env.call(Some("bob@pve"), Get, "pools", &[]).unwrap(),
        json!([])
    );
}

#[test]
fn realms_list_anonymously_and_change_with_checks() {
    let env = setup();
    let list = env.call(None, Get, "access/domains", &[]).unwrap();
    assert_eq!(list.as_array().unwrap().len(), 2);
    assert_err(
        env.root(
            Post,
            "access/domains",
            &[("realm", "local2"), ("type", "pve")],
        ),
        500,
        "unable to create builtin type 'pve'",
    );
    env.root(
        Post,
        "access/domains",
        &[
            ("realm", "corp"),
            ("type", "ldap"),
            ("server1", "ldap.example.com"),
            ("base_dn", "dc=example,dc=com"),
            ("user_attr", "uid"),
        ],
    )
    .unwrap();
    assert_err(
        env.root(
            Post,
            "access/domains",
            &[("realm", "corp"), ("type", "ldap")],
        ),
        500,
        "domain 'corp' already exists",
    );
    env.root(
        Put,
        "access/domains/pve",
        &[("default", "1"), ("comment", "Local")],
    )
    .unwrap();
    let pve = env.root(Get, "access/domains/pve", &[]).unwrap();
    assert_eq!(pve["default"], 1);
    assert_eq!(pve["comment"], "Local");
    assert!(pve["digest"].is_string());
    env.root(Delete, "access/domains/corp", &[]).unwrap();
    assert_err(
        env.root(Get, "access/domains/corp", &[]),
        500,
        "domain 'corp' does not exist",
    );
}

#[test]
fn index_lists_subdirectories() {
    let env = setup();
    let idx = env.root(Get, "access", &[]).unwrap();
    assert!(idx
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["subdir"] == "ticket"));
}
