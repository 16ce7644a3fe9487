//! File system usage through statvfs(2), in the shape upstream's `df` reports it.
//! Owns only this one system call.

use std::ffi::CString;
use std::io;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;

/// Sizes of one file system, in bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FsUsage {
    /// Total size.
    pub total: u64,
    /// Used (total minus free blocks).
    pub used: u64,
    /// Available to unprivileged users.
    pub avail: u64,
    /// Free blocks, including those reserved for root.
    pub free: u64,
}

/// The usage of the file system holding `path`.
// The statvfs field types differ between targets; `u64::from` keeps this portable.
#[allow(clippy::useless_conversion)]
pub fn fs_usage(path: &Path) -> io::Result<FsUsage> {
    let c_path = CString::new(path.as_os_str().as_bytes())
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "path contains a NUL byte"))?;
    let mut st = std::mem::MaybeUninit::<libc::statvfs>::zeroed();
    // SAFETY: `c_path` is a valid NUL-terminated string and `st` points to writable
    // memory of the right size; statvfs only writes into it.
    let rc = unsafe { libc::statvfs(c_path.as_ptr(), st.as_mut_ptr()) };
    if rc != 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: statvfs returned 0, so it filled in the whole struct.
    let st = unsafe { st.assume_init() };
    let frsize = u64::from(st.f_frsize);
    let blocks = u64::from(st.f_blocks);
    let bfree = u64::from(st.f_bfree);
    let bavail = u64::from(st.f_bavail);
    let total = blocks.saturating_mul(frsize);
    let free = bfree.saturating_mul(frsize);
    Ok(FsUsage {
        total,
        used: total.saturating_sub(free),
        avail: bavail.saturating_mul(frsize),
        free,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usage_of_a_temp_dir_is_consistent() {
        let dir = tempfile::tempdir().unwrap();
        let u = fs_usage(dir.path()).unwrap();
        assert!(u.total > 0);
        assert_eq!(u.used + u.free, u.total);
        assert!(u.avail <= u.free);
    }

    #[test]
    fn missing_path_is_an_error() {
        assert!(fs_usage(Path::new("/nonexistent/virton/path")).is_err());
    }
}
