//! `/cluster` index, `status`, `nextid`, `tasks`, `options`, `log` and
//! `jobs/schedule-analyze` called in-process.

#[path = "nodes_common/mod.rs"]
mod common;

use common::{setup, write};
use virton_host::clog::NewEntry;
use virton_host::ClusterLog;
use virton_router::HttpMethod;
use virton_sys::HostRoot;

#[test]
fn cluster_index_lists_upstream_names() {
    let env = setup();
    let data = env.get("alice@pve", "/cluster", &[]).unwrap().data;
    let names: Vec<&str> = data
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["name"].as_str().unwrap())
        .collect();
    for n in [
        "resources",
        "status",
        "nextid",
        "tasks",
        "options",
        "log",
        "jobs",
    ] {
        assert!(names.contains(&n), "{n}");
    }
}

#[test]
fn status_without_cluster_is_one_local_node() {
    let env = setup();
    let data = env.get("root@pam", "/cluster/status", &[]).unwrap().data;
    let list = data.as_array().unwrap();
    assert_eq!(list.len(), 1);
    let n = &list[0];
    assert_eq!(n["type"], "node");
    assert_eq!(n["id"], "node/n1");
    assert_eq!(n["name"], "n1");
    assert_eq!(n["local"], 1);
    assert_eq!(n["online"], 1);
    assert_eq!(n["nodeid"], 0);
    assert_eq!(n["level"], "");
    let err = env.get("alice@pve", "/cluster/status", &[]).err().unwrap();
    assert_eq!(err.message, "Permission check failed (/, Sys.Audit)");
}

#[test]
fn status_with_corosync_conf_has_a_cluster_entry() {
    let env = setup();
    write(
        env.root_dir(),
        "etc/pve/corosync.conf",
        "totem {\n  cluster_name: lab\n  config_version: 3\n  version: 2\n}\n\
         nodelist {\n  node {\n    name: n1\n    nodeid: 1\n    ring0_addr: 10.0.0.1\n  }\n\
         node {\n    name: n2\n    nodeid: 2\n    ring0_addr: 10.0.0.2\n  }\n}\n",
    );
    let data = env.get("root@pam", "/cluster/status", &[]).unwrap().data;
    assert_eq!(data[0]["type"], "cluster");
    assert_eq!(data[0]["name"], "lab");
    assert_eq!(data[0]["nodes"], 2);
    assert_eq!(data[0]["version"], 3);
    assert_eq!(data[1]["id"], "node/n1");
    assert_eq!(data[1]["local"], 1);
    assert_eq!(data[2]["nodeid"], 2);
    assert_eq!(data[2]["local"], 0);
}

#[test]
fn nextid_returns_lowest_free_id_as_upstream_string() {
    let env = setup();
    let root = env.root_dir();
    write(root, "etc/pve/nodes/n1/qemu-server/100.conf", "name: a\n");
    write(root, "etc/pve/nodes/n1/lxc/101.conf", "hostname: b\n");
    let next = env.get("alice@pve", "/cluster/nextid", &[]).unwrap().data;
    assert_eq!(next, "102");
    let free = env
        .get("alice@pve", "/cluster/nextid", &[("vmid", "150")])
        .unwrap()
        .data;
    assert_eq!(free, "150");
    let taken = env
        .get("alice@pve", "/cluster/nextid", &[("vmid", "101")])
        .err()
        .unwrap();
    assert_eq!(taken.status, 400);
    assert_eq!(taken.errors["vmid"], "VM 101 already exists");
    let bad = env
        .get("alice@pve", "/cluster/nextid", &[("vmid", "5")])
        .err()
        .unwrap();
    assert_eq!(bad.status, 400);
    write(
        root,
        "etc/pve/datacenter.cfg",
        "next-id: lower=200,upper=202\n",
    );
    assert_eq!(
        env.get("alice@pve", "/cluster/nextid", &[]).unwrap().data,
        "200"
    );
    write(root, "etc/pve/nodes/n1/qemu-server/200.conf", "");
    write(root, "etc/pve/nodes/n1/qemu-server/201.conf", "");
    let full = env.get("alice@pve", "/cluster/nextid", &[]).err().unwrap();
    assert_eq!(full.status, 500);
    assert_eq!(
        full.message,
        "unable to get any free VMID in range [200, 202]"
    );
}

#[test]
fn options_read_write_and_delete() {
    let env = setup();
    let put =
        |params: &[(&str, &str)]| env.call("root@pam", HttpMethod::Put, "/cluster/options", params);
    put(&[
        ("console", "xtermjs"),
        ("max_workers", "4"),
        ("migration", "type=insecure"),
        ("tag-style", "shape=circle"),
    ])
    .unwrap();
    let all = env.get("root@pam", "/cluster/options", &[]).unwrap().data;
    assert_eq!(all["console"], "xtermjs");
    assert_eq!(all["max_workers"], 4);
    assert_eq!(all["keyboard"], "en-us");
    assert_eq!(all["migration"]["type"], "insecure");
    assert!(all["allowed-tags"].is_array());
    let text = std::fs::read_to_string(env.root_dir().join("etc/pve/datacenter.cfg")).unwrap();
    assert!(text.contains("console: xtermjs\n"), "{text}");

    let limited = env.get("alice@pve", "/cluster/options", &[]).unwrap().data;
    let keys: Vec<&String> = limited.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["console", "tag-style", "allowed-tags"]);

    put(&[("delete", "console,max_workers")]).unwrap();
    let after = env.get("root@pam", "/cluster/options", &[]).unwrap().data;
    assert!(after.get("console").is_none() && after.get("max_workers").is_none());

    let bad = put(&[("console", "nonsense")]).err().unwrap();
    assert_eq!(bad.status, 400);
    assert!(bad.errors.contains_key("console"), "{bad}");
    let unknown = put(&[("bogus", "1")]).err().unwrap();
    assert_eq!(unknown.status, 400);
    let range = put(&[("next-id", "lower=500,upper=400")]).err().unwrap();
    assert!(range.message.contains("boundary rule broken"), "{range}");
    put(&[
        ("email_from", "admin@example.com"),
        ("description", "notes here"),
    ])
    .unwrap();
    let notes = env.get("root@pam", "/cluster/options", &[]).unwrap().data;
    assert_eq!(notes["email_from"], "admin@example.com");
    assert_eq!(notes["description"], "notes here\n");
    let (node, _) = env.router.lookup("/cluster/options").unwrap();
    let props = &node
        .get_method(HttpMethod::Put)
        .unwrap()
        .parameters()
        .properties;
    for key in ["console", "delete", "next-id", "migration", "mac_prefix"] {
        assert!(props.contains_key(key), "{key} missing from the PUT schema");
    }
    let denied = env
        .call(
            "bob@pve",
            HttpMethod::Put,
            "/cluster/options",
            &[("console", "vv")],
        )
        .err()
        .unwrap();
    assert_eq!(denied.message, "Permission check failed (/, Sys.Modify)");
}

#[test]
fn allowed_tags_come_from_audited_guests() {
    let env = setup();
    write(
        env.root_dir(),
        "etc/pve/nodes/n1/qemu-server/100.conf",
        "tags: web;prod\n",
    );
    write(
        env.root_dir(),
        "etc/pve/nodes/n1/qemu-server/300.conf",
        "tags: secret\n",
    );
    let alice = env.get("alice@pve", "/cluster/options", &[]).unwrap().data;
    assert_eq!(alice["allowed-tags"], serde_json::json!(["prod", "web"]));
    let root = env.get("root@pam", "/cluster/options", &[]).unwrap().data;
    assert_eq!(
        root["allowed-tags"],
        serde_json::json!(["prod", "secret", "web"])
    );
}

#[test]
fn cluster_log_filters_by_user_without_sys_syslog() {
    let env = setup();
    let log = ClusterLog::shared(&HostRoot::new(env.root_dir()));
    for (user, msg) in [("root@pam", "a"), ("alice@pve", "b"), ("root@pam", "c")] {
        log.add(&NewEntry {
            time: 1_700_000_000,
            pri: 6,
            tag: "virtond",
            node: "n1",
            user,
            msg,
        });
    }
    let all = env.get("root@pam", "/cluster/log", &[]).unwrap().data;
    assert_eq!(all.as_array().unwrap().len(), 3);
    assert_eq!(all[0]["msg"], "c");
    assert_eq!(all[0]["id"], format!("{}:n1", all[0]["uid"]));
    for key in ["uid", "time", "pri", "tag", "pid", "node", "user", "msg"] {
        assert!(all[0].get(key).is_some(), "{key}");
    }
    let one = env
        .get("root@pam", "/cluster/log", &[("max", "1")])
        .unwrap()
        .data;
    assert_eq!(one.as_array().unwrap().len(), 1);
    let alice = env.get("alice@pve", "/cluster/log", &[]).unwrap().data;
    assert_eq!(alice.as_array().unwrap().len(), 1);
    assert_eq!(alice[0]["msg"], "b");
    assert_eq!(
        env.get("root@pam", "/cluster/log", &[("max", "0")])
            .err()
            .unwrap()
            .status,
        400
    );
}

#[test]
fn schedule_analyze_lists_next_event_times() {
    let env = setup();
    let data = env
        .get(
            "alice@pve",
            "/cluster/jobs/schedule-analyze",
            &[
                ("schedule", "*-*-* 02:30"),
                ("starttime", "1757001600"),
                ("iterations", "3"),
            ],
        )
        .unwrap()
        .data;
    let list = data.as_array().unwrap();
    assert_eq!(list.len(), 3);
    // Test roots have no etc/timezone: UTC.
    assert_eq!(list[0]["timestamp"], 1_757_039_400);
    assert_eq!(list[0]["utc"], "Fri Sep  5 02:30:00 2025");
    assert_eq!(list[1]["timestamp"], 1_757_039_400 + 86_400);
    let bad = env
        .get(
            "alice@pve",
            "/cluster/jobs/schedule-analyze",
            &[("schedule", "nonsense")],
        )
        .err()
        .unwrap();
    assert_eq!(bad.status, 400);
    assert!(bad.errors["schedule"].contains("unable to parse calendar event"));
    let many = env
        .get(
            "alice@pve",
            "/cluster/jobs/schedule-analyze",
            &[("schedule", "daily"), ("iterations", "101")],
        )
        .err()
        .unwrap();
    assert_eq!(many.status, 400);
    let jobs = env.get("alice@pve", "/cluster/jobs", &[]).unwrap().data;
    assert_eq!(jobs[0]["subdir"], "schedule-analyze");
}

#[test]
fn cluster_tasks_show_own_tasks_to_unprivileged_users() {
    let env = setup();
    let spawn = |user: &str| {
        let authid: virton_api_types::Authid = user.parse().unwrap();
        let upid = env
            .ctx
            .tasks
            .spawn("qmstart", "100", &authid, |_| Ok(()))
            .unwrap();
        assert!(env
            .ctx
            .tasks
            .wait(&upid, std::time::Duration::from_secs(10)));
        upid.to_string()
    };
    let _a = spawn("root@pam");
    let b = spawn("alice@pve");
    let all = env.get("bob@pve", "/cluster/tasks", &[]).unwrap().data;
    assert_eq!(all.as_array().unwrap().len(), 2);
    let mine = env.get("alice@pve", "/cluster/tasks", &[]).unwrap().data;
    let upids: Vec<&str> = mine
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["upid"].as_str().unwrap())
        .collect();
    assert_eq!(upids, [b.as_str()]);
}
