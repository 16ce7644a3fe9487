//! `virton-tasks`: worker tasks as Proxmox VE has them, run as threads of the
//! daemon.
//!
//! L1 platform crate. A long operation becomes a task: [`TaskManager::spawn`]
//! starts it on its own thread and returns its [`Upid`] at once; the worker
//! writes plain log lines through [`WorkerCtx`] and ends with `TASK OK`,
//! `TASK WARNINGS: N` or `TASK ERROR: msg`. Logs, the `active` list and the
//! `index` of finished tasks live under `<root>/var/log/virton/tasks/` in
//! upstream's layout and line formats, so the task API can answer status, log,
//! list and stop requests as `/nodes/{node}/tasks` does.
//!
//! Depends on `virton-sys` (paths, locks, atomic replace) and
//! `virton-api-types` (`Upid`, `Authid`, `NodeName`) only; it knows nothing
//! of what a task does, nor of permissions.

mod archive;
mod error;
mod layout;
mod list;
mod log;
mod manager;
mod procfs;
mod status;
mod threads;
mod worker;

pub use archive::{
    format_active_line, format_index_line, parse_active_line, parse_index_line, read_active,
    TaskEntry, INDEX_MAX_SIZE, MAX_ACTIVE_ENTRIES,
};
pub use error::TaskError;
pub use layout::TaskDir;
pub use list::{parse_status_filter, TaskFilter, TaskListEntry, TaskSource};
pub use log::{read_log_file, LogLine, DEFAULT_LOG_LIMIT};
pub use manager::TaskManager;
pub use status::{
    classify, read_exit_status, split_user, status_is_error, RunState, StatusClass, TaskStatus,
    UNEXPECTED_STATUS,
};
pub use virton_api_types::Upid;
pub use worker::{WorkerCtx, INTERRUPTED, RECEIVED_INTERRUPT};

#[cfg(test)]
mod tests;
