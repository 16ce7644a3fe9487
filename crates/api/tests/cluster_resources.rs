//! `/cluster/resources` called in-process: entry shapes, the `type` filter, permission
//! filtering for an unprivileged user, and a timing printout over 10,000 guest configs.

#[path = "nodes_common/mod.rs"]
mod common;

use common::{setup, write, TestEnv};
use serde_json::Value;
use std::time::Instant;

fn guests(env: &TestEnv) {
    let root = env.root_dir();
    write(
        root,
        "etc/pve/nodes/n1/qemu-server/100.conf",
        "name: web\nmemory: 2048\ncores: 2\nscsi0: local:100/vm-100-disk-0.qcow2,size=32G\n\
         boot: order=scsi0\ntags: prod;web\nlock: backup\n",
    );
    write(
        root,
        "etc/pve/nodes/n1/qemu-server/101.conf",
        "name: tpl\ntemplate: 1\n",
    );
    write(
        root,
        "etc/pve/nodes/n1/lxc/102.conf",
        "hostname: ct\nmemory: 256\ncores: 1\nrootfs: local:102/vm-102-disk-0.raw,size=8G\n",
    );
    write(
        root,
        "etc/pve/nodes/n1/qemu-server/1000.conf",
        "name: big\n",
    );
}

fn ids(data: &Value) -> Vec<String> {
    data.as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn root_sees_everything_in_upstream_order_and_shape() {
    let env = setup();
    guests(&env);
    let data = env.get("root@pam", "/cluster/resources", &[]).unwrap().data;
    let ids = ids(&data);
    assert_eq!(
        ids,
        [
            "/pool/p1",
            "qemu/100",
            "qemu/1000",
            "qemu/101",
            "lxc/102",
            "node/n1",
            "storage/n1/local",
            "storage/n1/shared1",
            "network/n1/zone/localnetwork",
        ]
    );
    let vm = &data[1];
    assert_eq!(vm["vmid"], 100);
    assert_eq!(vm["type"], "qemu");
    assert_eq!(vm["node"], "n1");
    assert_eq!(vm["name"], "web");
    assert_eq!(vm["status"], "stopped");
    assert_eq!(vm["template"], 0);
    assert_eq!(vm["maxmem"], 2048u64 << 20);
    assert_eq!(
        vm["maxcpu"].as_u64().map(|c| c >= 1),
        Some(true),
        "integer maxcpu"
    );
    assert_eq!(vm["maxdisk"], 32u64 << 30);
    assert_eq!(vm["tags"], "prod;web");
    assert_eq!(vm["lock"], "backup");
    assert_eq!(data[3]["template"], 1);
    assert_eq!(data[3]["pool"], "p1");
    assert_eq!(data[4]["maxdisk"], 8u64 << 30);
    let node = &data[5];
    assert_eq!(node["status"], "online");
    assert!(node["maxmem"].is_u64());
    let local = &data[6];
    assert_eq!(local["storage"], "local");
    assert_eq!(local["plugintype"], "dir");
    assert_eq!(local["content"], "backup,iso,vztmpl");
    assert_eq!(local["shared"], 0);
    assert_eq!(local["status"], "available");
    assert!(local["maxdisk"].as_u64().unwrap() > 0);
    assert_eq!(data[7]["shared"], 1);
    assert_eq!(data[7]["status"], "unknown");
}

#[test]
fn type_filter_selects_one_kind() {
    let env = setup();
    guests(&env);
    let vms = env
        .get("root@pam", "/cluster/resources", &[("type", "vm")])
        .unwrap()
        .data;
    assert_eq!(ids(&vms), ["qemu/100", "qemu/1000", "qemu/101", "lxc/102"]);
    let nodes = env
        .get("root@pam", "/cluster/resources", &[("type", "node")])
        .unwrap()
        .data;
    assert_eq!(ids(&nodes), ["node/n1"]);
    let storage = env
        .get("root@pam", "/cluster/resources", &[("type", "storage")])
        .unwrap()
        .data;
    assert_eq!(ids(&storage), ["storage/n1/local", "storage/n1/shared1"]);
    let bad = env
        .get("root@pam", "/cluster/resources", &[("type", "bogus")])
        .err()
        .unwrap();
    assert_eq!(bad.status, 400);
}

#[test]
fn unprivileged_user_sees_only_what_it_may_audit() {
    let env = setup();
    guests(&env);
    let data = env
        .get("alice@pve", "/cluster/resources", &[])
        .unwrap()
        .data;
    // VM.Audit on /vms/100 directly and on 101/102 through pool p1.
    assert_eq!(
        ids(&data),
        [
            "/pool/p1",
            "qemu/100",
            "qemu/101",
            "lxc/102",
            "node/n1",
            "storage/n1/local"
        ]
    );
    let node = &data[4];
    assert!(
        node.get("maxmem").is_none(),
        "no Sys.Audit: no node figures"
    );
    let nobody = env
        .get("bob@pve", "/cluster/resources", &[("type", "vm")])
        .unwrap()
        .data;
    assert_eq!(
        nobody.as_array().unwrap().len(),
        4,
        "PVEAuditor on / sees all guests"
    );
}

fn p99_ms(env: &TestEnv, authid: &str, rounds: usize) -> (f64, usize) {
    let mut times = Vec::with_capacity(rounds);
    let mut count = 0;
    for _ in 0..rounds {
        let t = Instant::now();
        let data = env
            .get(authid, "/cluster/resources", &[("type", "vm")])
            .unwrap()
            .data;
        times.push(t.elapsed().as_secs_f64() * 1000.0);
        count = data.as_array().unwrap().len();
    }
    times.sort_by(|a, b| a.total_cmp(b));
    let idx = ((rounds as f64) * 0.99).ceil() as usize - 1;
    (times[idx.min(rounds - 1)], count)
}

#[test]
fn ten_thousand_guests_are_listed_from_the_cache() {
    let env = setup();
    let root = env.root_dir();
    for vmid in 100..10_100u32 {
        let (dir, text) = if vmid % 4 == 0 {
            (
                "lxc",
                format!("hostname: ct{vmid}\nrootfs: local:{vmid}/d.raw,size=4G\n"),
            )
        } else {
            (
                "qemu-server",
                format!("name: vm{vmid}\nmemory: 1024\nscsi0: local:d,size=10G\n"),
            )
        };
        write(root, &format!("etc/pve/nodes/n1/{dir}/{vmid}.conf"), &text);
    }
    let t = Instant::now();
    let first = env
        .get("root@pam", "/cluster/resources", &[("type", "vm")])
        .unwrap()
        .data;
    let cold_ms = t.elapsed().as_secs_f64() * 1000.0;
    assert_eq!(first.as_array().unwrap().len(), 10_000);
    let (root_p99, n) = p99_ms(&env, "root@pam", 10);
    assert_eq!(n, 10_000);
    let (alice_p99, n) = p99_ms(&env, "alice@pve", 10);
    assert_eq!(
        n, 3,
        "alice audits VM 100 and pool p1 (101, 102) among these"
    );
    println!(
        "cluster/resources type=vm, 10000 guests ({} build): cold {cold_ms:.1} ms, \
         warm p99 root {root_p99:.1} ms, warm p99 unprivileged {alice_p99:.1} ms",
        if cfg!(debug_assertions) {
            "debug"
        } else {
            "release"
        }
    );
}
