//! Atomic file replacement: readers see the old file or the new one, never a
//! partial write, and a failed replace leaves neither a partial file nor a stray
//! temporary file behind. Owns nothing else.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// How [`replace_file`] creates the new file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReplaceOptions {
    /// Permission bits of the new file (applied exactly, regardless of umask).
    pub mode: u32,
    /// `(uid, gid)` to give the new file; `None` keeps the creating process's.
    pub owner: Option<(u32, u32)>,
    /// Flush file and directory to stable storage before returning.
    pub fsync: bool,
}

impl Default for ReplaceOptions {
    fn default() -> Self {
        ReplaceOptions {
            mode: 0o644,
            owner: None,
            fsync: true,
        }
    }
}

/// A failed atomic replace; the target file is unchanged.
#[derive(Debug, thiserror::Error)]
#[error("unable to replace file '{}' - {step}", path.display())]
pub struct ReplaceError {
    /// The file that was to be replaced.
    pub path: PathBuf,
    /// Which step failed.
    pub step: &'static str,
    /// The underlying system error.
    #[source]
    pub source: io::Error,
}

static TEMP_COUNTER: AtomicU64 = AtomicU64::new(0);

/// Replace `path` with `bytes` atomically: write a temporary file in the same
/// directory, flush it, rename it over `path`, then flush the directory.
pub fn replace_file(path: &Path, bytes: &[u8], opts: ReplaceOptions) -> Result<(), ReplaceError> {
    let err = |step: &'static str| {
        move |source| ReplaceError {
            path: path.to_path_buf(),
            step,
            source,
        }
    };
    let temp = temp_path(path).map_err(err("invalid file name"))?;
    let mut file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(opts.mode)
        .custom_flags(libc::O_CLOEXEC)
        .open(&temp)
        .map_err(err("create temporary file"))?;
    let result = fill_and_rename(&mut file, &temp, path, bytes, opts);
    drop(file);
    if let Err((step, source)) = result {
        // Best effort: the temporary file must not linger, the error is what matters.
        let _ = fs::remove_file(&temp);
        return Err(ReplaceError {
            path: path.to_path_buf(),
            step,
            source,
        });
    }
    if opts.fsync {
        sync_parent(path).map_err(err("fsync directory"))?;
    }
    Ok(())
}

fn fill_and_rename(
    file: &mut File,
    temp: &Path,
    path: &Path,
    bytes: &[u8],
    opts: ReplaceOptions,
) -> Result<(), (&'static str, io::Error)> {
    file.write_all(bytes).map_err(|e| ("write", e))?;
    // Set the mode explicitly: `open` applied the umask.
    file.set_permissions(fs::Permissions::from_mode(opts.mode))
        .map_err(|e| ("set mode", e))?;
    if let Some((uid, gid)) = opts.owner {
        std::os::unix::fs::fchown(&*file, Some(uid), Some(gid)).map_err(|e| ("set owner", e))?;
    }
    if opts.fsync {
        file.sync_all().map_err(|e| ("fsync", e))?;
    }
    fs::rename(temp, path).map_err(|e| ("rename", e))
}

fn temp_path(path: &Path) -> io::Result<PathBuf> {
    let name = path
        .file_name()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "path has no file name"))?;
    let count = TEMP_COUNTER.fetch_add(1, Ordering::Relaxed);
    let mut temp_name = std::ffi::OsString::from(".");
    temp_name.push(name);
    temp_name.push(format!(".tmp.{}.{count}", std::process::id()));
    Ok(path.with_file_name(temp_name))
}

fn sync_parent(path: &Path) -> io::Result<()> {
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    File::open(parent)?.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entries(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn replace_file_writes_content_and_mode() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("a.cfg");
        fs::write(&path, b"old").unwrap();
        let opts = ReplaceOptions {
            mode: 0o600,
            ..Default::default()
        };
        replace_file(&path, b"new content\n", opts).unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"new content\n");
        assert_eq!(
            fs::metadata(&path).unwrap().permissions().mode() & 0o7777,
            0o600
        );
        assert_eq!(entries(tmp.path()), vec!["a.cfg"]);
    }

    #[test]
    fn replace_file_creates_missing_file_without_fsync() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("new");
        replace_file(
            &path,
            b"x",
            ReplaceOptions {
                fsync: false,
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"x");
    }

    #[test]
    fn replace_file_failed_rename_leaves_no_temp_and_target_intact() {
        let tmp = tempfile::tempdir().unwrap();
        // A non-empty directory cannot be replaced by a file: rename fails late.
        let target = tmp.path().join("dir");
        fs::create_dir(&target).unwrap();
        fs::write(target.join("keep"), b"k").unwrap();
        let err = replace_file(&target, b"data", ReplaceOptions::default()).unwrap_err();
        assert_eq!(err.step, "rename");
        assert!(
            err.to_string().starts_with("unable to replace file"),
            "{err}"
        );
        assert_eq!(entries(tmp.path()), vec!["dir"]);
        assert_eq!(fs::read(target.join("keep")).unwrap(), b"k");
    }

    #[test]
    fn replace_file_missing_directory_fails_cleanly() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("nope/file");
        let err = replace_file(&path, b"data", ReplaceOptions::default()).unwrap_err();
        assert_eq!(err.step, "create temporary file");
        assert!(entries(tmp.path()).is_empty());
    }

    #[test]
    fn replace_file_sets_owner() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("owned");
        // SAFETY: getuid/getgid have no preconditions and cannot fail.
        let (uid, gid) = unsafe { (libc::getuid(), libc::getgid()) };
        let opts = ReplaceOptions {
            owner: Some((uid, gid)),
            ..Default::default()
        };
        replace_file(&path, b"x", opts).unwrap();
        use std::os::unix::fs::MetadataExt;
        assert_eq!(fs::metadata(&path).unwrap().uid(), uid);
    }
}
