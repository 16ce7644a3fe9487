//! The worker side of a task: [`WorkerCtx`], what a worker function sees (log
//! lines, warnings, the cooperative stop flag), and turning the function's
//! result, or its panic, into the final log line. Owns nothing on disk but the
//! one open log file it writes to.

use crate::status::Outcome;
use std::any::Any;
use std::fs::File;
use std::io::Write;
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use virton_api_types::Upid;

/// The error text a worker should end with when it stops because it was asked
/// to (upstream's wording for long operations that trap the stop signal).
pub const INTERRUPTED: &str = "interrupted by signal";

/// The exit status of a task that was stopped but still returned success
/// (upstream's default worker signal handler wording).
pub const RECEIVED_INTERRUPT: &str = "received interrupt";

/// Lifecycle of a task as its manager tracks it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Phase {
    /// The worker function runs (or is about to).
    Running,
    /// The final line is written; the lists are being updated.
    Ended,
    /// The task is in the index.
    Archived,
}

/// State shared by a running task, its manager and the stop request.
#[derive(Debug)]
pub(crate) struct Shared {
    pub(crate) abort: AtomicBool,
    phase: Mutex<Phase>,
    changed: Condvar,
}

impl Shared {
    pub(crate) fn new() -> Arc<Self> {
        Arc::new(Shared {
            abort: AtomicBool::new(false),
            phase: Mutex::new(Phase::Running),
            changed: Condvar::new(),
        })
    }

    pub(crate) fn phase(&self) -> Phase {
        *self.phase.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub(crate) fn set_phase(&self, phase: Phase) {
        *self.phase.lock().unwrap_or_else(|e| e.into_inner()) = phase;
        self.changed.notify_all();
    }

    /// Wait until the task is archived or `timeout` passes; true if archived.
    pub(crate) fn wait_archived(&self, timeout: std::time::Duration) -> bool {
        let guard = self.phase.lock().unwrap_or_else(|e| e.into_inner());
        let (guard, _) = self
            .changed
            .wait_timeout_while(guard, timeout, |p| *p != Phase::Archived)
            .unwrap_or_else(|e| e.into_inner());
        *guard == Phase::Archived
    }
}

/// What a worker function gets: its UPID, its log and the stop flag.
///
/// It is `Sync`, so a worker may share it with threads it scopes.
#[derive(Debug)]
pub struct WorkerCtx {
    upid: Upid,
    log: Mutex<File>,
    warnings: AtomicU64,
    shared: Arc<Shared>,
}

impl WorkerCtx {
    pub(crate) fn new(upid: Upid, log: File, shared: Arc<Shared>) -> Self {
        WorkerCtx {
            upid,
            log: Mutex::new(log),
            warnings: AtomicU64::new(0),
            shared,
        }
    }

    /// The task's UPID.
    pub fn upid(&self) -> &Upid {
        &self.upid
    }

    /// Append a line to the task log (plain text, no timestamp, as upstream).
    pub fn log(&self, line: impl AsRef<str>) {
        let line = line.as_ref();
        let line = line.strip_suffix('\n').unwrap_or(line);
        let mut buf = String::with_capacity(line.len() + 1);
        buf.push_str(line);
        buf.push('\n');
        let mut file = self.log.lock().unwrap_or_else(|e| e.into_inner());
        // One write per line so readers never see half a line; a full disk
        // must not kill the worker, so the error is dropped.
        let _ = file.write_all(buf.as_bytes());
    }

    /// Log `WARN: line` and count it; warnings make the task end `WARNINGS: N`.
    pub fn warn(&self, line: impl AsRef<str>) {
        let line = line.as_ref();
        self.log(format!("WARN: {}", line.strip_suffix('\n').unwrap_or(line)));
        self.warnings.fetch_add(1, Ordering::Relaxed);
    }

    /// Warnings counted so far.
    pub fn warnings(&self) -> u64 {
        self.warnings.load(Ordering::Relaxed)
    }

    /// Whether someone asked the task to stop.
    pub fn is_aborted(&self) -> bool {
        self.shared.abort.load(Ordering::Relaxed)
    }

    /// `Err(`[`INTERRUPTED`]`)` once a stop was asked for, for use with `?`.
    pub fn check_abort(&self) -> Result<(), String> {
        if self.is_aborted() {
            Err(INTERRUPTED.to_string())
        } else {
            Ok(())
        }
    }

    /// Run the worker function and write the final line; never unwinds.
    pub(crate) fn run<F>(&self, f: F)
    where
        F: FnOnce(&WorkerCtx) -> Result<(), String>,
    {
        let outcome = match panic::catch_unwind(AssertUnwindSafe(|| f(self))) {
            Err(payload) => Outcome::Error(format!("worker panicked - {}", panic_text(&*payload))),
            Ok(Err(msg)) if msg.trim().is_empty() => Outcome::Error("unknown error".into()),
            Ok(Err(msg)) => Outcome::Error(msg),
            Ok(Ok(())) if self.is_aborted() => Outcome::Error(RECEIVED_INTERRUPT.into()),
            Ok(Ok(())) => match self.warnings() {
                0 => Outcome::Ok,
                n => Outcome::Warnings(n),
            },
        };
        self.end(&outcome);
    }

    /// Write the final line.
    pub(crate) fn end(&self, outcome: &Outcome) {
        self.log(outcome.final_line());
    }
}

fn panic_text(payload: &(dyn Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "unknown panic".to_string()
    }
}
