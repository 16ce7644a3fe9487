//! The error type of the task crate. Owns nothing else.

use std::io;
use std::path::PathBuf;

/// A task operation failed.
#[derive(Debug, thiserror::Error)]
pub enum TaskError {
    /// The UPID cannot name a task file (upstream's parameter error wording).
    #[error("unable to parse worker upid")]
    InvalidUpid(String),
    /// No log file exists for the UPID on this node.
    #[error("no such task")]
    NoSuchTask,
    /// A worker type, ID or user would not fit in a UPID.
    #[error("invalid worker {field} '{value}'")]
    InvalidField {
        /// `type`, `id` or `user`.
        field: &'static str,
        /// The refused value.
        value: String,
    },
    /// The worker thread could not be started or set up.
    #[error("unable to start worker - {0}")]
    Start(String),
    /// The task runs in another process, which this manager cannot stop.
    #[error("task is not run by this daemon")]
    NotOwned,
    /// Reading or writing a task file failed.
    #[error("unable to access '{}'", path.display())]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The underlying system error.
        #[source]
        source: io::Error,
    },
    /// The task list lock could not be taken.
    #[error(transparent)]
    Lock(#[from] virton_sys::LockError),
    /// The task list could not be replaced.
    #[error(transparent)]
    Replace(#[from] virton_sys::ReplaceError),
}

impl TaskError {
    /// Wrap an I/O error with the path it happened on.
    pub(crate) fn io(path: impl Into<PathBuf>) -> impl FnOnce(io::Error) -> TaskError {
        let path = path.into();
        move |source| TaskError::Io { path, source }
    }
}
