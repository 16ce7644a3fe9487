//! Advisory file locks with flock(2), taken with a deadline.
//!
//! The lock belongs to the open file description, so two guards on the same
//! path exclude each other even inside one process. Callers that nest the same
//! lock must keep the guard instead of locking again. Owns nothing else.

use std::fs::{File, OpenOptions};
use std::io;
use std::os::fd::AsRawFd;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::thread;
use std::time::{Duration, Instant};

/// Exclusive (writer) or shared (reader) lock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LockMode {
    /// Only one holder at a time.
    Exclusive,
    /// Any number of shared holders, excluding exclusive ones.
    Shared,
}

/// Taking a lock failed.
#[derive(Debug, thiserror::Error)]
pub enum LockError {
    /// The lock was not free before the deadline.
    #[error("can't lock file '{}' - got timeout", path.display())]
    Timeout {
        /// The lock file.
        path: PathBuf,
    },
    /// The lock file could not be opened or locked.
    #[error("can't lock file '{}'", path.display())]
    Io {
        /// The lock file.
        path: PathBuf,
        /// The underlying system error.
        #[source]
        source: io::Error,
    },
}

/// A held lock; dropping it releases the lock.
#[derive(Debug)]
pub struct LockGuard {
    file: File,
    path: PathBuf,
    mode: LockMode,
}

impl LockGuard {
    /// The lock file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The mode the lock is held in.
    pub fn mode(&self) -> LockMode {
        self.mode
    }
}

impl Drop for LockGuard {
    fn drop(&mut self) {
        // SAFETY: the fd is owned by `self.file` and still open here.
        // Closing the file would release the lock anyway; unlocking first makes
        // the release independent of other descriptors shared via fork.
        unsafe { libc::flock(self.file.as_raw_fd(), libc::LOCK_UN) };
    }
}

const POLL_START: Duration = Duration::from_millis(5);
const POLL_MAX: Duration = Duration::from_millis(100);

/// Take an exclusive lock on `path` (created if missing), waiting up to `timeout`.
pub fn lock_file(path: &Path, timeout: Duration) -> Result<LockGuard, LockError> {
    lock_file_mode(path, LockMode::Exclusive, timeout)
}

/// Take a lock of the given mode on `path`, waiting up to `timeout`.
pub fn lock_file_mode(
    path: &Path,
    mode: LockMode,
    timeout: Duration,
) -> Result<LockGuard, LockError> {
    let io_err = |source| LockError::Io {
        path: path.to_path_buf(),
        source,
    };
    let file = OpenOptions::new()
        .append(true)
        .create(true)
        .mode(0o644)
        .custom_flags(libc::O_CLOEXEC)
        .open(path)
        .map_err(io_err)?;
    let op = match mode {
        LockMode::Exclusive => libc::LOCK_EX,
        LockMode::Shared => libc::LOCK_SH,
    } | libc::LOCK_NB;
    let deadline = Instant::now() + timeout;
    let mut pause = POLL_START;
    loop {
        // SAFETY: the fd is owned by `file`, which outlives this call.
        let rc = unsafe { libc::flock(file.as_raw_fd(), op) };
        if rc == 0 {
            return Ok(LockGuard {
                file,
                path: path.to_path_buf(),
                mode,
            });
        }
        let err = io::Error::last_os_error();
        match err.raw_os_error() {
            Some(libc::EWOULDBLOCK) | Some(libc::EINTR) => {}
            _ => return Err(io_err(err)),
        }
        let now = Instant::now();
        if now >= deadline {
            return Err(LockError::Timeout {
                path: path.to_path_buf(),
            });
        }
        thread::sleep(pause.min(deadline - now));
        pause = (pause * 2).min(POLL_MAX);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;

    #[test]
    fn second_exclusive_lock_times_out_with_upstream_message() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("lock");
        let _held = lock_file(&path, Duration::from_secs(1)).unwrap();
        let path2 = path.clone();
        let err = thread::spawn(move || lock_file(&path2, Duration::from_millis(50)).unwrap_err())
            .join()
            .unwrap();
        assert_eq!(
            err.to_string(),
            format!("can't lock file '{}' - got timeout", path.display())
        );
    }

    #[test]
    fn second_lock_waits_until_first_is_released() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("lock");
        let held = lock_file(&path, Duration::from_secs(1)).unwrap();
        let (tx, rx) = mpsc::channel();
        let path2 = path.clone();
        let waiter = thread::spawn(move || {
            let guard = lock_file(&path2, Duration::from_secs(10));
            tx.send(()).unwrap();
            guard.map(|g| g.mode())
        });
        // The waiter must still be blocked while we hold the lock.
        assert!(rx.recv_timeout(Duration::from_millis(100)).is_err());
        drop(held);
        rx.recv_timeout(Duration::from_secs(5)).unwrap();
        assert_eq!(waiter.join().unwrap().unwrap(), LockMode::Exclusive);
    }

    #[test]
    fn shared_locks_coexist_but_exclude_exclusive() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("lock");
        let a = lock_file_mode(&path, LockMode::Shared, Duration::from_secs(1)).unwrap();
        let b = lock_file_mode(&path, LockMode::Shared, Duration::from_millis(50)).unwrap();
        assert!(matches!(
            lock_file(&path, Duration::from_millis(30)),
            Err(LockError::Timeout { .. })
        ));
        drop((a, b));
        lock_file(&path, Duration::from_millis(50)).unwrap();
    }

    #[test]
    fn lock_in_missing_directory_is_io_error() {
        let tmp = tempfile::tempdir().unwrap();
        let err = lock_file(&tmp.path().join("no/such"), Duration::from_millis(10)).unwrap_err();
        assert!(matches!(err, LockError::Io { .. }));
    }
}
