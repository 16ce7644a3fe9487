//! `/nodes/{node}/tasks` and `/nodes/{node}/tasks/{upid}/...` called in-process:
//! visibility of other users' tasks, filters, status, log paging and stop.

#[path = "nodes_common/mod.rs"]
mod common;

use common::{setup, TestEnv};
use std::time::Duration;
use virton_api_types::Authid;
use virton_router::HttpMethod;

fn run_task(env: &TestEnv, ty: &str, id: &str, user: &str, fail: bool) -> String {
    let authid: Authid = user.parse().unwrap();
    let upid = env
        .ctx
        .tasks
        .spawn(ty, id, &authid, move |w| {
            w.log("first line");
            w.log("second line");
            if fail {
                Err("it broke".into())
            } else {
                Ok(())
            }
        })
        .unwrap();
    assert!(env.ctx.tasks.wait(&upid, Duration::from_secs(10)));
    upid.to_string()
}

fn upids(data: &serde_json::Value) -> Vec<String> {
    data.as_array()
        .unwrap()
        .iter()
        .map(|t| t["upid"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn task_list_filters_and_hides_other_users_tasks() {
    let env = setup();
    let a = run_task(&env, "qmstart", "100", "root@pam", false);
    let b = run_task(&env, "vzdump", "101", "alice@pve", true);
    let c = run_task(&env, "qmstop", "100", "alice@pve!tok", false);

    let all = env.get("root@pam", "/nodes/n1/tasks", &[]).unwrap();
    assert_eq!(all.total, Some(3));
    let list = upids(&all.data);
    assert_eq!(list.len(), 3);
    assert_eq!(list[0], c, "newest first");
    let first = &all.data[0];
    assert!(first["pid"].is_u64() && first["starttime"].is_u64());
    assert_eq!(first["user"], "alice@pve");
    assert_eq!(first["tokenid"], "tok");

    let alice = env.get("alice@pve", "/nodes/n1/tasks", &[]).unwrap();
    assert_eq!(upids(&alice.data), vec![c.clone(), b.clone()]);
    let token = env.get("alice@pve!tok", "/nodes/n1/tasks", &[]).unwrap();
    assert_eq!(upids(&token.data), vec![c.clone()]);
    let bob = env.get("bob@pve", "/nodes/n1/tasks", &[]).unwrap();
    assert_eq!(bob.total, Some(3), "Sys.Audit on /nodes/n1 via / sees all");

    let errors = env
        .get("root@pam", "/nodes/n1/tasks", &[("errors", "1")])
        .unwrap();
    assert_eq!(upids(&errors.data), vec![b.clone()]);
    let by_vmid = env
        .get("root@pam", "/nodes/n1/tasks", &[("vmid", "100")])
        .unwrap();
    assert_eq!(upids(&by_vmid.data), vec![c.clone(), a.clone()]);
    let by_type = env
        .get("root@pam", "/nodes/n1/tasks", &[("typefilter", "vzdump")])
        .unwrap();
    assert_eq!(upids(&by_type.data), vec![b.clone()]);
    let paged = env
        .get(
            "root@pam",
            "/nodes/n1/tasks",
            &[("start", "1"), ("limit", "1")],
        )
        .unwrap();
    assert_eq!(paged.total, Some(3));
    assert_eq!(upids(&paged.data), vec![b.clone()]);
    let ok_only = env
        .get("root@pam", "/nodes/n1/tasks", &[("statusfilter", "ok")])
        .unwrap();
    assert_eq!(ok_only.total, Some(2));
    let bad = env
        .get("root@pam", "/nodes/n1/tasks", &[("statusfilter", "bogus")])
        .err()
        .unwrap();
    assert_eq!(bad.status, 400);
}

#[test]
fn task_status_log_and_stop_follow_ownership_rules() {
    let env = setup();
    let upid = run_task(&env, "qmstart", "100", "root@pam", true);
    let status_path = format!("/nodes/n1/tasks/{upid}/status");
    let st = env.get("root@pam", &status_path, &[]).unwrap().data;
    assert_eq!(st["status"], "stopped");
    assert_eq!(st["exitstatus"], "it broke");
    assert_eq!(st["upid"], upid.as_str());
    assert_eq!(st["type"], "qmstart");
    assert!(st["pid"].is_u64() && st["pstart"].is_u64());

    let denied = env.get("alice@pve", &status_path, &[]).err().unwrap();
    assert_eq!(denied.status, 403);
    assert_eq!(
        denied.message,
        "Permission check failed (/nodes/n1, Sys.Audit)"
    );
    assert!(env.get("bob@pve", &status_path, &[]).is_ok());

    let log_path = format!("/nodes/n1/tasks/{upid}/log");
    let log = env
        .get("root@pam", &log_path, &[("start", "1"), ("limit", "1")])
        .unwrap();
    assert_eq!(log.data[0]["n"], 2);
    assert_eq!(log.data[0]["t"], "second line");
    assert!(log.total.unwrap() >= 3);
    let whole = env
        .get("root@pam", &log_path, &[("download", "1")])
        .unwrap();
    assert_eq!(
        whole.data.as_array().unwrap().len() as u64,
        log.total.unwrap()
    );
    let mixed = env
        .get("root@pam", &log_path, &[("download", "1"), ("limit", "5")])
        .err()
        .unwrap();
    assert!(mixed.message.contains("'download' cannot be used together"));

    let index = env
        .get("alice@pve", &format!("/nodes/n1/tasks/{upid}"), &[])
        .unwrap();
    assert_eq!(index.data[0]["name"], "log");

    let del = format!("/nodes/n1/tasks/{upid}");
    let err = env
        .call("bob@pve", HttpMethod::Delete, &del, &[])
        .err()
        .unwrap();
    assert_eq!(
        err.message,
        "Permission check failed (/nodes/n1, Sys.Modify)"
    );
    assert!(env.call("root@pam", HttpMethod::Delete, &del, &[]).is_ok());
}

#[test]
fn bad_or_unknown_upid_is_a_parameter_error() {
    let env = setup();
    let bad = env
        .get("root@pam", "/nodes/n1/tasks/nonsense/status", &[])
        .err()
        .unwrap();
    assert_eq!(bad.status, 400);
    assert_eq!(bad.errors["upid"], "unable to parse worker upid");
    let unknown = "UPID:n1:00001234:00005678:65A1B2CE:qmstart:100:root@pam:";
    let err = env
        .get(
            "root@pam",
            &format!("/nodes/n1/tasks/{unknown}/status"),
            &[],
        )
        .err()
        .unwrap();
    assert_eq!(err.errors["upid"], "no such task");
}
