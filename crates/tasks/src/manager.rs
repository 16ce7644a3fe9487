//! [`TaskManager`]: starts worker tasks as threads of the daemon, tracks which
//! of them run, and answers status, log, list and stop requests for the tasks
//! of one host root. A task's pid/pstart are its thread's TID and start time,
//! so UPIDs look like upstream's and stay unique.
//!
//! Task start is kept cheap: a standby thread (see `threads`) takes the task,
//! and the list files are rewritten by the worker threads, not the caller. The
//! in-memory set of tracked tasks is the truth about which of ours run; the
//! files catch up, and list queries merge the tasks they do not name yet.
//! Owns the task lifecycle; the file formats live in `archive`, `log` and
//! `status`.

use crate::archive::{self, TaskEntry};
use crate::layout::TaskDir;
use crate::list::{self, TaskFilter, TaskListEntry};
use crate::log::{read_log_file, LogLine};
use crate::procfs;
use crate::status::{read_exit_status, TaskStatus};
use crate::threads::{self, IdleThread, Job};
use crate::worker::{Phase, Shared, WorkerCtx};
use crate::TaskError;
use std::collections::{HashMap, HashSet};
use std::fs::{self, File, OpenOptions};
use std::io;
use std::os::unix::fs::OpenOptionsExt;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread;
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use virton_api_types::{Authid, NodeName, Upid, UpidParts};
use virton_sys::HostRoot;

/// Threads kept started and waiting, so a task start need not wait for one.
const STANDBY: usize = 2;

/// Starts and tracks the worker tasks of one host root.
///
/// Cheap to clone; clones share the running tasks. Use one manager per root
/// in a process: it treats its own threads that it does not track as ended.
#[derive(Debug, Clone)]
pub struct TaskManager {
    inner: Arc<Inner>,
}

/// A task this manager started and has not yet seen archived.
#[derive(Debug)]
struct Tracked {
    upid: Upid,
    shared: Arc<Shared>,
}

#[derive(Debug)]
struct Inner {
    root: HostRoot,
    node: NodeName,
    dir: TaskDir,
    tracked: Mutex<HashMap<String, Tracked>>,
    standby: Mutex<Vec<IdleThread>>,
    starting: AtomicUsize,
    // Set when the lists on disk lag behind `tracked`.
    dirty: AtomicBool,
    // Serializes list updates inside the process; the flock taken by
    // `archive::update` only has to exclude other processes then.
    list_lock: Mutex<()>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

fn now() -> u32 {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    u32::try_from(secs).unwrap_or(u32::MAX)
}

/// Refuse text that cannot be a UPID field (or a file name part).
fn check_field(field: &'static str, value: &str, allow_empty: bool) -> Result<(), TaskError> {
    let bad = |c: char| c == ':' || c == '/' || c == '\0' || c.is_whitespace();
    if (value.is_empty() && !allow_empty) || value.chars().any(bad) {
        return Err(TaskError::InvalidField {
            field,
            value: value.to_string(),
        });
    }
    Ok(())
}

impl TaskManager {
    /// A manager for the tasks below `root` on node `node`.
    ///
    /// Creates the task directory, then closes out tasks a previous daemon left
    /// listed as running: their end time becomes now and their status what their
    /// log ends with (`unexpected status` when it ends without a result line).
    pub fn new(root: HostRoot, node: NodeName) -> Result<Self, TaskError> {
        let dir = TaskDir::new(&root);
        dir.ensure()?;
        let manager = TaskManager {
            inner: Arc::new(Inner {
                root,
                node,
                dir,
                tracked: Mutex::new(HashMap::new()),
                standby: Mutex::new(Vec::new()),
                starting: AtomicUsize::new(0),
                dirty: AtomicBool::new(false),
                list_lock: Mutex::new(()),
            }),
        };
        manager.inner.update_lists()?;
        Inner::refill(&manager.inner);
        Ok(manager)
    }

    /// The task directory.
    pub fn dir(&self) -> &TaskDir {
        &self.inner.dir
    }

    /// Start `f` as task `ty`/`id` of `authid` on its own thread and return its
    /// UPID once its log file exists. The worker thread lists the task in
    /// `active` before it calls `f`.
    pub fn spawn<F>(&self, ty: &str, id: &str, authid: &Authid, f: F) -> Result<Upid, TaskError>
    where
        F: FnOnce(&WorkerCtx) -> Result<(), String> + Send + 'static,
    {
        check_field("type", ty, false)?;
        check_field("id", id, true)?;
        let authid = authid.to_string();
        check_field("user", &authid, false)?;
        let starttime = now();
        let thread = self.inner.take_thread()?;
        let upid = Upid::new(UpidParts {
            node: self.inner.node.clone(),
            pid: thread.tid,
            pstart: thread.pstart,
            starttime,
            worker_type: ty.to_string(),
            worker_id: id.to_string(),
            authid,
        })
        .map_err(|e| TaskError::Start(e.to_string()))?;
        let file = self.inner.create_log(&upid)?;
        let shared = Shared::new();
        let tracked = Tracked {
            upid: upid.clone(),
            shared: Arc::clone(&shared),
        };
        lock(&self.inner.tracked).insert(upid.to_string(), tracked);
        let ctx = WorkerCtx::new(upid.clone(), file, Arc::clone(&shared));
        let inner = Arc::clone(&self.inner);
        let job: Job = Box::new(move || {
            Inner::refill(&inner);
            inner.mark_dirty_and_settle();
            ctx.run(f);
            drop(ctx);
            shared.set_phase(Phase::Ended);
            inner.mark_dirty_and_settle();
        });
        if let Err(job) = thread.run(job) {
            // The standby thread vanished: run on a plain thread rather than
            // lose the task (its pid then names the vanished thread).
            thread::spawn(job);
        }
        Ok(upid)
    }

    /// Status of a task of this node.
    pub fn status(&self, upid: &Upid) -> Result<TaskStatus, TaskError> {
        let path = self.inner.dir.log_path(upid)?;
        if !path.is_file() {
            return Err(TaskError::NoSuchTask);
        }
        let exit = (!self.inner.is_running(upid)).then(|| read_exit_status(&path));
        Ok(TaskStatus::new(upid, exit))
    }

    /// Lines `start+1 ..= start+limit` of a task log (to the end when `limit`
    /// is 0) and the total line count.
    pub fn read_log(
        &self,
        upid: &Upid,
        start: u64,
        limit: u64,
    ) -> Result<(u64, Vec<LogLine>), TaskError> {
        let path = self.inner.dir.log_path(upid)?;
        Ok(read_log_file(&path, start, limit))
    }

    /// Tasks matching `filter`, with the count of all matches. Running tasks
    /// not yet written to `active` are included.
    pub fn list(&self, filter: &TaskFilter) -> Result<(u64, Vec<TaskListEntry>), TaskError> {
        let unlisted: Vec<Upid> = lock(&self.inner.tracked)
            .values()
            .filter(|t| t.shared.phase() == Phase::Running)
            .map(|t| t.upid.clone())
            .collect();
        list::list(&self.inner.dir, filter, &unlisted)
    }

    /// Ask a task to stop (`DELETE /nodes/{node}/tasks/{upid}`). Its worker sees
    /// `is_aborted()`; stopping a finished task does nothing.
    pub fn stop(&self, upid: &Upid) -> Result<(), TaskError> {
        let path = self.inner.dir.log_path(upid)?;
        if !path.is_file() {
            return Err(TaskError::NoSuchTask);
        }
        if let Some(t) = lock(&self.inner.tracked).get(&upid.to_string()) {
            t.shared.abort.store(true, Ordering::Relaxed);
            return Ok(());
        }
        if self.inner.is_running(upid) {
            return Err(TaskError::NotOwned);
        }
        Ok(())
    }

    /// Wait until a task of this manager has ended and is archived; true when
    /// it has (or is not running here), false on timeout.
    pub fn wait(&self, upid: &Upid, timeout: Duration) -> bool {
        let shared = lock(&self.inner.tracked)
            .get(&upid.to_string())
            .map(|t| Arc::clone(&t.shared));
        match shared {
            Some(shared) => shared.wait_archived(timeout),
            None => !self.inner.is_running(upid),
        }
    }

    /// Update the lists now: list new tasks, archive those whose workers are
    /// gone. Returns the new `active` list.
    pub fn refresh(&self) -> Result<Vec<TaskEntry>, TaskError> {
        let list = self.inner.update_lists();
        // Work left by threads that found the lock taken meanwhile.
        self.inner.settle();
        list
    }
}

impl Inner {
    fn is_running(&self, upid: &Upid) -> bool {
        if let Some(t) = lock(&self.tracked).get(&upid.to_string()) {
            return t.shared.phase() == Phase::Running;
        }
        // A thread of ours that we do not track is no running task of ours,
        // even while it is still winding down.
        if procfs::is_own_thread(&self.root, upid.pid()) {
            return false;
        }
        procfs::is_running(&self.root, upid.pid(), upid.pstart())
    }

    /// Update the lists now (callers outside `settle` run `settle` after it).
    fn update_lists(&self) -> Result<Vec<TaskEntry>, TaskError> {
        let _guard = lock(&self.list_lock);
        self.update_locked()
    }

    fn update_locked(&self) -> Result<Vec<TaskEntry>, TaskError> {
        let ours: Vec<Upid> = lock(&self.tracked)
            .values()
            .map(|t| t.upid.clone())
            .collect();
        let list = archive::update(&self.dir, &ours, &|u| self.is_running(u), now())?;
        self.sweep(&ours, &list);
        Ok(list)
    }

    /// Forget the tasks of `ours` that had ended when the update checked them
    /// (they are no longer live in its `list`). Tasks started meanwhile were
    /// not part of this update and stay tracked.
    fn sweep(&self, ours: &[Upid], list: &[TaskEntry]) {
        let live: HashSet<String> = list
            .iter()
            .filter(|e| e.endtime.is_none())
            .map(|e| e.upid.to_string())
            .collect();
        let mut tracked = lock(&self.tracked);
        for upid in ours {
            let key = upid.to_string();
            let ended = tracked
                .get(&key)
                .is_some_and(|t| t.shared.phase() == Phase::Ended);
            if ended && !live.contains(&key) {
                if let Some(t) = tracked.remove(&key) {
                    t.shared.set_phase(Phase::Archived);
                }
            }
        }
    }

    fn mark_dirty_and_settle(&self) {
        self.dirty.store(true, Ordering::SeqCst);
        self.settle();
    }

    /// Run list updates while the lists lag behind. A thread that finds the
    /// lock taken leaves the work to the holder, so a burst of starting and
    /// ending tasks costs a few updates instead of one each.
    fn settle(&self) {
        while self.dirty.load(Ordering::SeqCst) {
            let Ok(_guard) = self.list_lock.try_lock() else {
                return;
            };
            if !self.dirty.swap(false, Ordering::SeqCst) {
                return;
            }
            // A failure leaves the lists as they were; the next update retries.
            let _ = self.update_locked();
        }
    }

    /// A thread for a new task: a standby one, else a freshly started one.
    fn take_thread(&self) -> Result<IdleThread, TaskError> {
        match lock(&self.standby).pop() {
            Some(thread) => Ok(thread),
            None => threads::start_now(self.root.clone()),
        }
    }

    /// Start threads in the background until `STANDBY` wait for tasks.
    fn refill(self: &Arc<Self>) {
        let have = lock(&self.standby).len() + self.starting.load(Ordering::SeqCst);
        for _ in have..STANDBY {
            self.starting.fetch_add(1, Ordering::SeqCst);
            // The thread holds the manager only weakly: dropping the last
            // manager drops the standby threads' job senders, ending them.
            let weak = Arc::downgrade(self);
            let started = threads::start(self.root.clone(), move |idle| {
                let Some(inner) = weak.upgrade() else {
                    return false;
                };
                inner.starting.fetch_sub(1, Ordering::SeqCst);
                match idle {
                    Ok(idle) => {
                        lock(&inner.standby).push(idle);
                        true
                    }
                    Err(_) => false,
                }
            });
            if started.is_err() {
                self.starting.fetch_sub(1, Ordering::SeqCst);
            }
        }
    }

    /// Create the log file of a new task.
    fn create_log(&self, upid: &Upid) -> Result<File, TaskError> {
        let path = self.dir.log_path(upid)?;
        let open = || {
            OpenOptions::new()
                .append(true)
                .create_new(true)
                .mode(0o640)
                .open(&path)
        };
        match open() {
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                if let Some(parent) = path.parent() {
                    fs::create_dir_all(parent).map_err(TaskError::io(parent))?;
                }
                open()
            }
            other => other,
        }
        .map_err(TaskError::io(&path))
    }
}
