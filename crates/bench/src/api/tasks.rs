//! Task start: no API endpoint starts a task yet, so this times
//! `virton_tasks::TaskManager::spawn` in-process on a temp root (UPID, log file, task
//! lists, worker thread), against a bare `std::thread::spawn` as the baseline.

use super::load::Outcome;
use super::report::{ratio, round3, Line};
use anyhow::{Context, Result};
use std::time::{Duration, Instant};
use virton_api_types::{Authid, NodeName};
use virton_sys::HostRoot;
use virton_tasks::TaskManager;

/// Pause between two starts, so each finds the standby threads refilled as a daemon
/// starting tasks on requests would.
const GAP: Duration = Duration::from_micros(500);

/// Times `count` starts of `start`, one every [`GAP`]; counts failed starts.
fn timed(count: usize, mut start: impl FnMut() -> bool) -> (Outcome, u64) {
    let mut errors = 0;
    let mut out = Outcome::default();
    start();
    for _ in 0..count {
        let t = Instant::now();
        if !start() {
            errors += 1;
        }
        out.latencies_us.push(t.elapsed().as_secs_f64() * 1e6);
        std::thread::sleep(GAP);
    }
    out.latencies_us.sort_by(f64::total_cmp);
    (out, errors)
}

/// Runs the case and prints its line.
pub fn task_start(count: usize) -> Result<()> {
    let dir = tempfile::tempdir()?;
    let node: NodeName = super::fixtures::NODE.parse().context("node name")?;
    let manager = TaskManager::new(HostRoot::new(dir.path()), node).context("task manager")?;
    let authid: Authid = "root@pam".parse().context("authid")?;
    let mut last = None;
    let (run, errors) = timed(count, || {
        match manager.spawn("benchtask", "", &authid, |_ctx| Ok(())) {
            Ok(upid) => {
                last = Some(upid);
                true
            }
            Err(_) => false,
        }
    });
    if let Some(upid) = &last {
        manager.wait(upid, Duration::from_secs(10));
    }
    let (base, _) = timed(count, || {
        drop(std::thread::spawn(|| ()));
        true
    });
    let p99 = run.quantile(0.99);
    Line::new("task_start")
        .set(
            "via",
            "TaskManager::spawn in-process (no task-starting endpoint yet)",
        )
        .set("items", count)
        .set("errors", errors)
        .set("p50_us", round3(run.quantile(0.5)))
        .set("p99_us", round3(p99))
        .set("baseline", "std::thread::spawn")
        .set("baseline_p50_us", round3(base.quantile(0.5)))
        .set("baseline_p99_us", round3(base.quantile(0.99)))
        .set("ratio_p50", ratio(run.quantile(0.5), base.quantile(0.5)))
        .target("task start <= 2 ms (p99)", errors == 0 && p99 <= 2000.0)
        .print();
    Ok(())
}
