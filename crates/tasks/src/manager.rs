//! [`TaskManager`]: starts worker tasks as threads of the daemon, tracks which
//! of them run, and answers status, log, list and stop requests for the tasks
//! of one host root. A task's pid/pstart are its thread's TID and start time,
//! so UPIDs look like upstream's and stay unique. Owns the task lifecycle; the
//! file formats live in `archive`, `log` and `status`.

use crate::archive::{self, TaskEntry};
use crate::layout::TaskDir;
use crate::list::{self, TaskFilter, TaskListEntry};
use crate::log::{read_log_file, LogLine};
use crate::procfs;
use crate::status::{read_exit_status, Outcome, TaskStatus};
use crate::worker::{Phase, Shared, WorkerCtx};
use crate::TaskError;
use std::collections::HashMap;
use std::fs::{self, File, OpenOptions};
use std::io;
use std::os::unix::fs::OpenOptionsExt;
use std::sync::atomic::Ordering;
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread;
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use virton_api_types::{Authid, NodeName, Upid, UpidParts};
use virton_sys::HostRoot;

/// Starts and tracks the worker tasks of one host root.
///
/// Cheap to clone; clones share the running tasks. Use one manager per root
/// in a process: it treats its own threads that it does not track as ended.
#[derive(Debug, Clone)]
pub struct TaskManager {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    root: HostRoot,
    node: NodeName,
    dir: TaskDir,
    running: Mutex<HashMap<String, Arc<Shared>>>,
    // Serializes list updates inside the process; the flock taken by
    // `archive::update` only has to exclude other processes then.
    list_lock: Mutex<()>,
}

/// What the spawner hands the new thread.
struct Start {
    starttime: u32,
    worker_type: String,
    worker_id: String,
    authid: String,
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
                running: Mutex::new(HashMap::new()),
                list_lock: Mutex::new(()),
            }),
        };
        manager.inner.update_lists(None)?;
        Ok(manager)
    }

    /// The task directory.
    pub fn dir(&self) -> &TaskDir {
        &self.inner.dir
    }

    /// Start `f` as task `ty`/`id` of `authid` on a new thread and return its
    /// UPID once the log file exists and the task is listed as running.
    pub fn spawn<F>(&self, ty: &str, id: &str, authid: &Authid, f: F) -> Result<Upid, TaskError>
    where
        F: FnOnce(&WorkerCtx) -> Result<(), String> + Send + 'static,
    {
        check_field("type", ty, false)?;
        check_field("id", id, true)?;
        let authid = authid.to_string();
        check_field("user", &authid, false)?;
        let start = Start {
            starttime: now(),
            worker_type: ty.to_string(),
            worker_id: id.to_string(),
            authid,
        };
        let (ready_tx, ready_rx) = sync_channel(1);
        let (go_tx, go_rx) = sync_channel(1);
        let inner = Arc::clone(&self.inner);
        thread::Builder::new()
            .name("virton-task".into())
            .spawn(move || inner.worker_main(start, ready_tx, go_rx, f))
            .map_err(|e| TaskError::Start(e.to_string()))?;
        let upid = ready_rx
            .recv()
            .map_err(|_| TaskError::Start("worker thread ended early".into()))??;
        if let Err(err) = self.inner.update_lists(Some(&upid)) {
            let _ = go_tx.send(Err(format!("unable to list task - {err}")));
            return Err(err);
        }
        let _ = go_tx.send(Ok(()));
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

    /// Tasks matching `filter`, with the count of all matches.
    pub fn list(&self, filter: &TaskFilter) -> Result<(u64, Vec<TaskListEntry>), TaskError> {
        list::list(&self.inner.dir, filter)
    }

    /// Ask a task to stop (`DELETE /nodes/{node}/tasks/{upid}`). Its worker sees
    /// `is_aborted()`; stopping a finished task does nothing.
    pub fn stop(&self, upid: &Upid) -> Result<(), TaskError> {
        let path = self.inner.dir.log_path(upid)?;
        if !path.is_file() {
            return Err(TaskError::NoSuchTask);
        }
        if let Some(shared) = lock(&self.inner.running).get(&upid.to_string()) {
            shared.abort.store(true, Ordering::Relaxed);
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
        let shared = lock(&self.inner.running).get(&upid.to_string()).cloned();
        match shared {
            Some(shared) => shared.wait_archived(timeout),
            None => !self.inner.is_running(upid),
        }
    }

    /// Re-check the lists now: archive tasks whose workers are gone.
    pub fn refresh(&self) -> Result<Vec<TaskEntry>, TaskError> {
        self.inner.update_lists(None)
    }
}

impl Inner {
    fn is_running(&self, upid: &Upid) -> bool {
        if let Some(shared) = lock(&self.running).get(&upid.to_string()) {
            return shared.phase() == Phase::Running;
        }
        // A thread of ours that we do not track is no running task of ours,
        // even while it is still winding down.
        if procfs::is_own_thread(&self.root, upid.pid()) {
            return false;
        }
        procfs::is_running(&self.root, upid.pid(), upid.pstart())
    }

    fn update_lists(&self, new: Option<&Upid>) -> Result<Vec<TaskEntry>, TaskError> {
        let _guard = lock(&self.list_lock);
        archive::update(&self.dir, new, &|u| self.is_running(u), now())
    }

    /// Body of a worker thread: set up, hand the UPID back, wait for the go,
    /// run, end, archive.
    fn worker_main<F>(
        self: Arc<Self>,
        start: Start,
        ready: SyncSender<Result<Upid, TaskError>>,
        go: Receiver<Result<(), String>>,
        f: F,
    ) where
        F: FnOnce(&WorkerCtx) -> Result<(), String>,
    {
        let shared = Shared::new();
        let (upid, file) = match self.prepare(&start) {
            Ok(v) => v,
            Err(err) => {
                let _ = ready.send(Err(err));
                return;
            }
        };
        lock(&self.running).insert(upid.to_string(), Arc::clone(&shared));
        let ctx = WorkerCtx::new(upid.clone(), file, Arc::clone(&shared));
        if ready.send(Ok(upid.clone())).is_err() {
            ctx.end(&Outcome::Error("parent setup error".into()));
        } else {
            match go.recv() {
                Ok(Ok(())) => ctx.run(f),
                Ok(Err(msg)) => ctx.end(&Outcome::Error(msg)),
                Err(_) => ctx.end(&Outcome::Error("parent setup error".into())),
            }
        }
        drop(ctx);
        shared.set_phase(Phase::Ended);
        // An update failure leaves the task listed; the next update retries.
        let _ = self.update_lists(None);
        lock(&self.running).remove(&upid.to_string());
        shared.set_phase(Phase::Archived);
    }

    /// On the worker thread: build the UPID from this thread and create its log.
    fn prepare(&self, start: &Start) -> Result<(Upid, File), TaskError> {
        let tid = procfs::gettid();
        let pstart = procfs::thread_start(&self.root, tid)
            .ok_or_else(|| TaskError::Start("unable to read process start time".into()))?;
        let upid = Upid::new(UpidParts {
            node: self.node.clone(),
            pid: tid,
            pstart,
            starttime: start.starttime,
            worker_type: start.worker_type.clone(),
            worker_id: start.worker_id.clone(),
            authid: start.authid.clone(),
        })
        .map_err(|e| TaskError::Start(e.to_string()))?;
        let path = self.dir.log_path(&upid)?;
        let open = || {
            OpenOptions::new()
                .append(true)
                .create_new(true)
                .mode(0o640)
                .open(&path)
        };
        let file = match open() {
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                if let Some(parent) = path.parent() {
                    fs::create_dir_all(parent).map_err(TaskError::io(parent))?;
                }
                open()
            }
            other => other,
        }
        .map_err(TaskError::io(&path))?;
        Ok((upid, file))
    }
}
