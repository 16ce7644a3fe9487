//! Worker threads that serve exactly one task each. A thread learns its TID
//! and start time (the task's UPID pid and pstart) before it gets work, so a
//! manager can keep one such thread on standby and start a task without
//! waiting for a new thread to be scheduled. Owns thread start-up only; what a
//! thread runs is the caller's closure.

use crate::procfs;
use crate::TaskError;
use std::sync::mpsc::{sync_channel, SyncSender};
use std::thread;
use virton_sys::HostRoot;

/// The work handed to an idle thread.
pub(crate) type Job = Box<dyn FnOnce() + Send + 'static>;

/// A started thread waiting for its one job; dropping it ends the thread.
#[derive(Debug)]
pub(crate) struct IdleThread {
    /// Kernel thread ID.
    pub(crate) tid: u32,
    /// Start time in clock ticks since boot.
    pub(crate) pstart: u64,
    job: SyncSender<Job>,
}

impl IdleThread {
    /// Hand the thread its job; gives the job back if the thread is gone.
    pub(crate) fn run(self, job: Job) -> Result<(), Job> {
        self.job.send(job).map_err(|e| e.0)
    }
}

/// Start a thread; it calls `announce` with itself (or why it cannot serve)
/// and, if `announce` keeps it, waits for one job and runs it.
pub(crate) fn start<A>(root: HostRoot, announce: A) -> Result<(), TaskError>
where
    A: FnOnce(Result<IdleThread, TaskError>) -> bool + Send + 'static,
{
    thread::Builder::new()
        .name("virton-task".into())
        .spawn(move || {
            let tid = procfs::gettid();
            let Some(pstart) = procfs::thread_start(&root, tid) else {
                let err = TaskError::Start("unable to read process start time".into());
                announce(Err(err));
                return;
            };
            let (tx, rx) = sync_channel::<Job>(1);
            let idle = IdleThread {
                tid,
                pstart,
                job: tx,
            };
            if announce(Ok(idle)) {
                if let Ok(job) = rx.recv() {
                    job();
                }
            }
        })
        .map(|_| ())
        .map_err(|e| TaskError::Start(e.to_string()))
}

/// Start a thread and wait until it is ready for its job.
pub(crate) fn start_now(root: HostRoot) -> Result<IdleThread, TaskError> {
    let (tx, rx) = sync_channel(1);
    start(root, move |idle| tx.send(idle).is_ok())?;
    rx.recv()
        .map_err(|_| TaskError::Start("worker thread ended early".into()))?
}
