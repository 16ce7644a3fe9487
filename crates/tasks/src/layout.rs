//! Where task files live below `<root>/var/log/virton/tasks/`, in Proxmox VE's
//! layout: one subdirectory per last hex digit of the start time holding the
//! task logs (named by their UPID), the `index` of finished tasks (rotated to
//! `index.1`), the `active` list and its `.active.lock`. Owns path naming only.

use crate::TaskError;
use std::fs;
use std::path::{Path, PathBuf};
use virton_api_types::Upid;
use virton_sys::HostRoot;

/// The task directory of one host root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskDir {
    base: PathBuf,
}

impl TaskDir {
    /// `<root>/var/log/virton/tasks`.
    pub fn new(root: &HostRoot) -> Self {
        TaskDir {
            base: root.var_log_virton().join("tasks"),
        }
    }

    /// The directory itself.
    pub fn base(&self) -> &Path {
        &self.base
    }

    /// The index of finished tasks, newest line last.
    pub fn index(&self) -> PathBuf {
        self.base.join("index")
    }

    /// The previous index, after rotation.
    pub fn index_old(&self) -> PathBuf {
        self.base.join("index.1")
    }

    /// The list of running and recently finished tasks.
    pub fn active(&self) -> PathBuf {
        self.base.join("active")
    }

    /// The lock serializing updates of `active` and `index`.
    pub fn active_lock(&self) -> PathBuf {
        self.base.join(".active.lock")
    }

    /// The log file of a task: `<X>/<upid>` where `X` is the last hex digit of
    /// the start time as `%08X` prints it.
    pub fn log_path(&self, upid: &Upid) -> Result<PathBuf, TaskError> {
        check_file_safe(upid)?;
        Ok(self
            .base
            .join(subdir(upid.starttime()))
            .join(upid.to_string()))
    }

    /// Create the directory and its 16 log subdirectories when missing.
    pub fn ensure(&self) -> Result<(), TaskError> {
        for digit in 0..16u32 {
            let dir = self.base.join(subdir(digit));
            fs::create_dir_all(&dir).map_err(TaskError::io(&dir))?;
        }
        Ok(())
    }
}

/// The log subdirectory name for a start time.
fn subdir(starttime: u32) -> String {
    format!("{:X}", starttime & 0xF)
}

/// Upstream's UPID grammar refuses `/` in the type, ID and user fields; a UPID
/// names a file, so refuse it here too rather than build a path from it.
pub(crate) fn check_file_safe(upid: &Upid) -> Result<(), TaskError> {
    let text = upid.to_string();
    if text.contains('/') || text.contains('\0') {
        return Err(TaskError::InvalidUpid(text));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_path_uses_last_upper_hex_digit_of_starttime() {
        let dir = TaskDir::new(&HostRoot::new("/r"));
        let upid: Upid = "UPID:n1:0000AB12:0001F2A3:65A1B2CE:qmstart:100:root@pam:"
            .parse()
            .unwrap();
        assert_eq!(
            dir.log_path(&upid).unwrap(),
            PathBuf::from(
                "/r/var/log/virton/tasks/E/UPID:n1:0000AB12:0001F2A3:65A1B2CE:qmstart:100:root@pam:"
            )
        );
    }

    #[test]
    fn log_path_with_slash_in_upid_is_rejected() {
        let dir = TaskDir::new(&HostRoot::new("/r"));
        if let Ok(upid) = "UPID:n1:00000001:00000001:00000001:x:../../etc:root@pam:".parse::<Upid>()
        {
            assert!(matches!(
                dir.log_path(&upid),
                Err(TaskError::InvalidUpid(_))
            ));
        }
    }
}
