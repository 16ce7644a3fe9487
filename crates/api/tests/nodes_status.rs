//! `/nodes`, `/nodes/{node}` and `/nodes/{node}/status` called in-process.

#[path = "nodes_common/mod.rs"]
mod common;

use common::setup;

#[test]
fn node_list_shows_stats_only_to_auditors() {
    let env = setup();
    let root = env.get("root@pam", "/nodes", &[]).unwrap().data;
    let list = root.as_array().unwrap();
    assert_eq!(list.len(), 1);
    let n = &list[0];
    assert_eq!(n["node"], "n1");
    assert_eq!(n["id"], "node/n1");
    assert_eq!(n["type"], "node");
    assert_eq!(n["status"], "online");
    assert_eq!(n["level"], "");
    for key in [
        "cpu", "maxcpu", "mem", "maxmem", "disk", "maxdisk", "uptime",
    ] {
        assert!(n[key].is_number(), "{key}: {n}");
    }
    assert!(n["maxcpu"].is_u64());
    let alice = env.get("alice@pve", "/nodes", &[]).unwrap().data;
    assert_eq!(alice[0]["status"], "online");
    assert!(alice[0].get("maxmem").is_none());
}

#[test]
fn node_list_reports_certificate_fingerprint() {
    let env = setup();
    common::write(
        env.root_dir(),
        "etc/pve/nodes/n1/pve-ssl.pem",
        "-----BEGIN CERTIFICATE-----\naGVsbG8=\n-----END CERTIFICATE-----\n",
    );
    let data = env.get("root@pam", "/nodes", &[]).unwrap().data;
    let fp = data[0]["ssl_fingerprint"].as_str().unwrap();
    assert_eq!(fp.split(':').count(), 32);
}

#[test]
fn node_index_lists_upstream_subdirs() {
    let env = setup();
    let data = env.get("alice@pve", "/nodes/n1", &[]).unwrap().data;
    let names: Vec<&str> = data
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["name"].as_str().unwrap())
        .collect();
    for n in ["status", "tasks", "qemu", "lxc", "storage", "version"] {
        assert!(names.contains(&n), "{n} missing");
    }
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted, "upstream lists them sorted");
}

#[test]
fn node_status_has_upstream_shape_and_needs_sys_audit() {
    let env = setup();
    let st = env.get("root@pam", "/nodes/n1/status", &[]).unwrap().data;
    assert_eq!(st["loadavg"].as_array().unwrap().len(), 3);
    assert!(st["loadavg"][0].is_string());
    assert!(st["cpuinfo"]["cpus"].as_u64().unwrap() >= 1);
    assert_eq!(st["cpuinfo"]["user_hz"], 100);
    for key in ["model", "mhz", "flags", "hvm"] {
        assert!(st["cpuinfo"][key].is_string(), "cpuinfo.{key}");
    }
    for key in ["total", "used", "free", "available"] {
        assert!(st["memory"][key].is_u64(), "memory.{key}");
    }
    for key in ["total", "used", "avail", "free"] {
        assert!(st["rootfs"][key].is_u64(), "rootfs.{key}");
    }
    assert!(st["swap"]["total"].is_u64());
    assert!(st["ksm"]["shared"].is_u64());
    assert!(st["uptime"].as_u64().unwrap() > 0);
    assert_eq!(st["idle"], 0);
    assert!(st["kversion"].as_str().unwrap().starts_with("Linux "));
    assert!(st["current-kernel"]["release"].is_string());
    assert!(st["boot-info"]["mode"].is_string());
    assert!(st["pveversion"]
        .as_str()
        .unwrap()
        .starts_with("pve-manager/"));
    assert!(st["cpu"].is_number() && st["wait"].is_number());

    let err = env.get("alice@pve", "/nodes/n1/status", &[]).err().unwrap();
    assert_eq!(err.status, 403);
    assert_eq!(
        err.message,
        "Permission check failed (/nodes/n1, Sys.Audit)"
    );
    assert!(env.get("bob@pve", "/nodes/n1/status", &[]).is_ok());
}
