//! Tests of the task lifecycle through `TaskManager`, each on its own temp root.

use crate::*;
use std::collections::HashSet;
use std::sync::mpsc;
use std::time::{Duration, Instant};
use virton_api_types::{Authid, UpidParts};
use virton_sys::HostRoot;

const WAIT: Duration = Duration::from_secs(20);

fn manager() -> (tempfile::TempDir, TaskManager) {
    let tmp = tempfile::tempdir().unwrap();
    let mgr = TaskManager::new(HostRoot::new(tmp.path()), "node1".parse().unwrap()).unwrap();
    (tmp, mgr)
}

fn root() -> Authid {
    "root@pam".parse().unwrap()
}

fn run(
    mgr: &TaskManager,
    f: impl FnOnce(&WorkerCtx) -> Result<(), String> + Send + 'static,
) -> Upid {
    let upid = mgr.spawn("test", "100", &root(), f).unwrap();
    assert!(mgr.wait(&upid, WAIT), "task did not end");
    upid
}

fn log_text(mgr: &TaskManager, upid: &Upid) -> Vec<String> {
    let (_, lines) = mgr.read_log(upid, 0, 0).unwrap();
    lines.into_iter().map(|l| l.t).collect()
}

fn exit_status(mgr: &TaskManager, upid: &Upid) -> String {
    let st = mgr.status(upid).unwrap();
    assert_eq!(st.status, RunState::Stopped);
    st.exitstatus.unwrap()
}

#[test]
fn spawned_task_has_thread_upid_and_ends_ok() {
    let (tmp, mgr) = manager();
    let upid = run(&mgr, |ctx| {
        ctx.log("hello");
        ctx.log("world\n");
        Ok(())
    });
    assert_eq!(upid.node().as_str(), "node1");
    assert_eq!(upid.worker_type(), "test");
    assert_eq!(upid.worker_id(), "100");
    assert_eq!(upid.authid(), "root@pam");
    assert_ne!(
        upid.pid(),
        std::process::id(),
        "pid is the worker thread's TID"
    );
    assert!(upid.pstart() > 0);
    let subdir = format!("{:X}", upid.starttime() % 16);
    let path = tmp
        .path()
        .join("var/log/virton/tasks")
        .join(subdir)
        .join(upid.to_string());
    assert!(path.is_file());
    assert_eq!(log_text(&mgr, &upid), ["hello", "world", "TASK OK"]);
    assert_eq!(exit_status(&mgr, &upid), "OK");
}

#[test]
fn warnings_are_counted_in_exit_status() {
    let (_tmp, mgr) = manager();
    let upid = run(&mgr, |ctx| {
        ctx.warn("first");
        ctx.log("between");
        ctx.warn("second\n");
        Ok(())
    });
    assert_eq!(
        log_text(&mgr, &upid),
        ["WARN: first", "between", "WARN: second", "TASK WARNINGS: 2"]
    );
    assert_eq!(exit_status(&mgr, &upid), "WARNINGS: 2");
}

#[test]
fn error_text_becomes_one_line_exit_status() {
    let (_tmp, mgr) = manager();
    let upid = run(&mgr, |_| Err("storage 'x' does not exist\nmore\n".into()));
    assert_eq!(
        log_text(&mgr, &upid).last().unwrap(),
        "TASK ERROR: storage 'x' does not exist more"
    );
    assert_eq!(exit_status(&mgr, &upid), "storage 'x' does not exist more");
    assert!(status_is_error(&exit_status(&mgr, &upid)));
}

#[test]
fn panic_in_worker_is_error_status_and_manager_survives() {
    let (_tmp, mgr) = manager();
    let upid = run(&mgr, |_| panic!("kaboom"));
    assert_eq!(exit_status(&mgr, &upid), "worker panicked - kaboom");
    let next = run(&mgr, |_| Ok(()));
    assert_eq!(exit_status(&mgr, &next), "OK");
}

#[test]
fn running_task_reports_running_without_exitstatus() {
    let (_tmp, mgr) = manager();
    let (tx, rx) = mpsc::channel::<()>();
    let upid = mgr
        .spawn("test", "", &root(), move |_| {
            let _ = rx.recv();
            Ok(())
        })
        .unwrap();
    let st = mgr.status(&upid).unwrap();
    assert_eq!(st.status, RunState::Running);
    assert_eq!(st.exitstatus, None);
    let json = serde_json::to_value(&st).unwrap();
    assert_eq!(json["status"], "running");
    assert_eq!(json["pid"], serde_json::json!(upid.pid()));
    assert!(json.get("exitstatus").is_none());
    tx.send(()).unwrap();
    assert!(mgr.wait(&upid, WAIT));
    assert_eq!(exit_status(&mgr, &upid), "OK");
}

#[test]
fn stop_makes_cooperative_worker_end_interrupted() {
    let (_tmp, mgr) = manager();
    let upid = mgr
        .spawn("test", "", &root(), |ctx| loop {
            ctx.check_abort()?;
            std::thread::sleep(Duration::from_millis(2));
        })
        .unwrap();
    mgr.stop(&upid).unwrap();
    assert!(mgr.wait(&upid, WAIT));
    assert_eq!(exit_status(&mgr, &upid), INTERRUPTED);
    assert_eq!(
        log_text(&mgr, &upid).last().unwrap(),
        "TASK ERROR: interrupted by signal"
    );
    // stopping a finished task is fine
    mgr.stop(&upid).unwrap();
}

#[test]
fn stopped_worker_that_returns_ok_still_ends_in_error() {
    let (_tmp, mgr) = manager();
    let (tx, rx) = mpsc::channel::<()>();
    let upid = mgr
        .spawn("test", "", &root(), move |_| {
            let _ = rx.recv();
            Ok(())
        })
        .unwrap();
    mgr.stop(&upid).unwrap();
    tx.send(()).unwrap();
    assert!(mgr.wait(&upid, WAIT));
    assert_eq!(exit_status(&mgr, &upid), RECEIVED_INTERRUPT);
}

#[test]
fn read_log_pages_like_upstream() {
    let (_tmp, mgr) = manager();
    let upid = run(&mgr, |ctx| {
        (1..=120).for_each(|i| ctx.log(format!("line {i}")));
        Ok(())
    });
    let (total, lines) = mgr.read_log(&upid, 0, DEFAULT_LOG_LIMIT).unwrap();
    assert_eq!(total, 121);
    assert_eq!(lines.len(), 50);
    assert_eq!((lines[0].n, lines[0].t.as_str()), (1, "line 1"));
    let (_, lines) = mgr.read_log(&upid, 115, 50).unwrap();
    let ns: Vec<u64> = lines.iter().map(|l| l.n).collect();
    assert_eq!(ns, [116, 117, 118, 119, 120, 121]);
    assert_eq!(lines[5].t, "TASK OK");
    let json = serde_json::to_value(&lines[0]).unwrap();
    assert_eq!(json, serde_json::json!({"n": 116, "t": "line 116"}));
}

#[test]
fn unknown_task_is_no_such_task() {
    let (_tmp, mgr) = manager();
    let upid: Upid = "UPID:node1:00000001:00000001:00000001:test::root@pam:"
        .parse()
        .unwrap();
    assert!(matches!(mgr.status(&upid), Err(TaskError::NoSuchTask)));
    assert!(matches!(mgr.stop(&upid), Err(TaskError::NoSuchTask)));
    let (total, lines) = mgr.read_log(&upid, 0, 50).unwrap();
    assert_eq!(total, 1);
    assert!(lines[0].t.starts_with("unable to open file - "));
}

#[test]
fn invalid_worker_fields_are_refused() {
    let (_tmp, mgr) = manager();
    for (ty, id) in [
        ("", "1"),
        ("a:b", "1"),
        ("a b", "1"),
        ("ok", "../x"),
        ("ok", "1:2"),
    ] {
        let res = mgr.spawn(ty, id, &root(), |_| Ok(()));
        assert!(
            matches!(res, Err(TaskError::InvalidField { .. })),
            "{ty:?} {id:?}"
        );
    }
}

#[test]
fn token_task_status_splits_user_and_token() {
    let (_tmp, mgr) = manager();
    let auth: Authid = "alice@pve!ci".parse().unwrap();
    let upid = mgr.spawn("test", "", &auth, |_| Ok(())).unwrap();
    assert!(mgr.wait(&upid, WAIT));
    assert_eq!(upid.authid(), "alice@pve!ci");
    let st = mgr.status(&upid).unwrap();
    assert_eq!(st.user, "alice@pve");
    assert_eq!(st.tokenid.as_deref(), Some("ci"));
}

fn old_task(pid: u32, starttime: u32) -> Upid {
    Upid::new(UpidParts {
        node: "node1".parse().unwrap(),
        pid,
        pstart: 4242,
        starttime,
        worker_type: "qmstart".into(),
        worker_id: "100".into(),
        authid: "root@pam".into(),
    })
    .unwrap()
}

#[test]
fn restart_closes_out_tasks_of_vanished_workers() {
    let tmp = tempfile::tempdir().unwrap();
    let root = HostRoot::new(tmp.path());
    let dir = TaskDir::new(&root);
    dir.ensure().unwrap();
    // Tasks of a previous daemon whose threads are gone (no TID reaches
    // 0x3FFFFFFF): one died mid-way, one ended before it was archived.
    let died = old_task(0x3FFF_FFFF, 1_700_000_000);
    let ended = old_task(0x3FFF_FFFE, 1_700_000_100);
    std::fs::write(dir.log_path(&died).unwrap(), "starting\n").unwrap();
    std::fs::write(dir.log_path(&ended).unwrap(), "starting\nTASK OK\n").unwrap();
    std::fs::write(dir.active(), format!("{died} 0\n{ended} 0\n")).unwrap();

    let mgr = TaskManager::new(root, "node1".parse().unwrap()).unwrap();
    assert_eq!(exit_status(&mgr, &died), UNEXPECTED_STATUS);
    assert_eq!(exit_status(&mgr, &ended), "OK");
    let (total, tasks) = mgr.list(&TaskFilter::default()).unwrap();
    assert_eq!(total, 2);
    // One update appends its batch newest first and the list reads the index
    // backwards, so within a batch the older task comes first (as upstream).
    assert_eq!(tasks[0].upid, died.to_string());
    assert_eq!(tasks[1].upid, ended.to_string());
    assert_eq!(tasks[0].status.as_deref(), Some(UNEXPECTED_STATUS));
    assert!(tasks[0].endtime.is_some());
    assert!(read_active(mgr.dir()).unwrap().iter().all(|e| e.saved));
}

#[test]
fn active_source_lists_running_tasks_as_running() {
    let (_tmp, mgr) = manager();
    let (tx, rx) = mpsc::channel::<()>();
    let upid = mgr
        .spawn("vzdump", "101", &root(), move |_| {
            let _ = rx.recv();
            Ok(())
        })
        .unwrap();
    let done = run(&mgr, |_| Ok(()));
    let filter = TaskFilter {
        source: TaskSource::Active,
        ..TaskFilter::default()
    };
    let (total, tasks) = mgr.list(&filter).unwrap();
    assert_eq!(total, 1);
    assert_eq!(tasks[0].upid, upid.to_string());
    assert_eq!(tasks[0].status.as_deref(), Some("RUNNING"));
    let all = TaskFilter {
        source: TaskSource::All,
        ..TaskFilter::default()
    };
    let (_, tasks) = mgr.list(&all).unwrap();
    let upids: Vec<&str> = tasks.iter().map(|t| t.upid.as_str()).collect();
    assert_eq!(upids, [upid.to_string(), done.to_string()]);
    tx.send(()).unwrap();
    assert!(mgr.wait(&upid, WAIT));
    let (total, _) = mgr.list(&filter).unwrap();
    assert_eq!(total, 0);
}

#[test]
fn concurrent_spawns_get_distinct_upids_and_all_are_archived() {
    let (_tmp, mgr) = manager();
    let per_thread = 20;
    let upids: Vec<Upid> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..6)
            .map(|t| {
                let mgr = mgr.clone();
                s.spawn(move || {
                    (0..per_thread)
                        .map(|i| {
                            let id = format!("{}", 100 + t * per_thread + i);
                            mgr.spawn("test", &id, &root(), |ctx| {
                                ctx.log("x");
                                Ok(())
                            })
                            .unwrap()
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    });
    let distinct: HashSet<String> = upids.iter().map(|u| u.to_string()).collect();
    assert_eq!(distinct.len(), upids.len());
    for u in &upids {
        assert!(mgr.wait(u, WAIT));
        assert_eq!(exit_status(&mgr, u), "OK");
    }
    let filter = TaskFilter {
        limit: 1000,
        ..TaskFilter::default()
    };
    let (total, _) = mgr.list(&filter).unwrap();
    assert_eq!(total, u64::try_from(upids.len()).unwrap());
    assert!(read_active(mgr.dir()).unwrap().len() <= MAX_ACTIVE_ENTRIES);
}

/// Mean and worst time of `rounds` calls of `f`, `pause` apart.
fn time_calls(rounds: u32, pause: Duration, mut f: impl FnMut()) -> (Duration, Duration) {
    let (mut total, mut worst) = (Duration::ZERO, Duration::ZERO);
    for _ in 0..rounds {
        let t = Instant::now();
        f();
        let took = t.elapsed();
        total += took;
        worst = worst.max(took);
        std::thread::sleep(pause);
    }
    (total / rounds, worst)
}

#[test]
fn task_start_time_is_printed() {
    let (_tmp, mgr) = manager();
    let mut upids = Vec::new();
    let mut spawn = || upids.push(mgr.spawn("test", "", &root(), |_| Ok(())).unwrap());
    // Paced like API requests, and as a back-to-back burst.
    let paced = time_calls(100, Duration::from_millis(3), &mut spawn);
    let burst = time_calls(100, Duration::ZERO, &mut spawn);
    // Baseline on this (shared, noisy) machine: start a thread and hear back.
    let bare = time_calls(100, Duration::from_millis(3), || {
        let (tx, rx) = mpsc::sync_channel(1);
        std::thread::spawn(move || tx.send(()).unwrap());
        rx.recv().unwrap();
    });
    println!(
        "task start (target <= 2 ms): paced mean {:?} worst {:?}; burst mean {:?} worst {:?}; \
         bare thread start mean {:?} worst {:?}",
        paced.0, paced.1, burst.0, burst.1, bare.0, bare.1
    );
    for u in &upids {
        assert!(mgr.wait(u, WAIT));
    }
}
