//! `HostRoot`: the single source of host paths.
//!
//! Every file the platform reads or writes on the host is named relative to a
//! `HostRoot`. Production uses `/`; tests, quick starts and multi-node test
//! clusters use a scratch directory. Kernel interfaces (`/proc`, `/dev`) are not
//! relocated with the root, but they are still named here so that tests can point
//! them at fixtures. This module must not depend on any other module of the crate.

use std::ffi::OsStr;
use std::fs;
use std::io;
use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
use std::path::{Component, Path, PathBuf};

/// Environment variable naming the root directory for CLIs (`VIRTON_ROOT=DIR`).
pub const ROOT_ENV: &str = "VIRTON_ROOT";

/// Why a relative host path was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PathError {
    /// The path was absolute; host paths are always given relative to the root.
    #[error("path '{0}' must be relative to the host root")]
    Absolute(String),
    /// The path used `..` to climb out of the root.
    #[error("path '{0}' escapes the host root")]
    Escapes(String),
    /// The path was empty.
    #[error("empty path below the host root")]
    Empty,
}

/// The directory every host path is resolved against.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostRoot {
    dir: PathBuf,
    proc_dir: PathBuf,
    dev_dir: PathBuf,
}

impl HostRoot {
    /// A root at `dir`; `/proc` and `/dev` stay the kernel's.
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        HostRoot {
            dir: dir.into(),
            proc_dir: PathBuf::from("/proc"),
            dev_dir: PathBuf::from("/dev"),
        }
    }

    /// The production root, `/`.
    pub fn system() -> Self {
        Self::new("/")
    }

    /// The root named by `VIRTON_ROOT`, or `/` when it is unset or empty.
    pub fn from_env() -> Self {
        match std::env::var_os(ROOT_ENV) {
            Some(dir) if !dir.is_empty() => Self::new(dir),
            _ => Self::system(),
        }
    }

    /// Read procfs from `dir` instead of `/proc` (fixtures in tests).
    pub fn with_proc_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.proc_dir = dir.into();
        self
    }

    /// Open device nodes from `dir` instead of `/dev`.
    pub fn with_dev_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.dev_dir = dir.into();
        self
    }

    /// The root directory itself.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Join a relative path below the root, refusing absolute paths and `..` escapes.
    pub fn path(&self, rel: impl AsRef<Path>) -> Result<PathBuf, PathError> {
        join_below(&self.dir, rel.as_ref())
    }

    /// `<root>/etc`.
    pub fn etc(&self) -> PathBuf {
        self.dir.join("etc")
    }

    /// `<root>/etc/pve`, the cluster configuration mount point.
    pub fn etc_pve(&self) -> PathBuf {
        self.dir.join("etc/pve")
    }

    /// `<root>/etc/virton`, node-local VirtOn settings (host-facts override, ...).
    pub fn etc_virton(&self) -> PathBuf {
        self.dir.join("etc/virton")
    }

    /// `<root>/var/lib/vz`, the default `local` directory storage.
    pub fn var_lib_vz(&self) -> PathBuf {
        self.dir.join("var/lib/vz")
    }

    /// `<root>/var/lib/virton`, persistent daemon state.
    pub fn var_lib_virton(&self) -> PathBuf {
        self.dir.join("var/lib/virton")
    }

    /// `<root>/run/virton`, runtime sockets, pid files and locks.
    pub fn run_virton(&self) -> PathBuf {
        self.dir.join("run/virton")
    }

    /// `<root>/var/log/virton`, task logs and daemon logs.
    pub fn var_log_virton(&self) -> PathBuf {
        self.dir.join("var/log/virton")
    }

    /// A file below procfs, e.g. `proc("cpuinfo")`.
    pub fn proc(&self, rel: impl AsRef<Path>) -> Result<PathBuf, PathError> {
        join_below(&self.proc_dir, rel.as_ref())
    }

    /// A device node, e.g. `dev("kvm")`.
    pub fn dev(&self, rel: impl AsRef<Path>) -> Result<PathBuf, PathError> {
        join_below(&self.dev_dir, rel.as_ref())
    }

    /// Create the standard directories (if missing) with their modes.
    ///
    /// Existing directories keep their mode: an admin may have tightened them.
    pub fn ensure_layout(&self) -> io::Result<()> {
        let layout = [
            (self.etc(), 0o755),
            (self.etc_pve(), 0o755),
            (self.etc_virton(), 0o755),
            (self.var_lib_vz(), 0o755),
            (self.var_lib_virton(), 0o700),
            (self.run_virton(), 0o755),
            (self.var_log_virton(), 0o755),
        ];
        for (dir, mode) in layout {
            ensure_dir(&dir, mode)?;
        }
        Ok(())
    }
}

fn ensure_dir(dir: &Path, mode: u32) -> io::Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    fs::DirBuilder::new()
        .recursive(true)
        .mode(mode)
        .create(dir)?;
    // The umask may have cleared bits of `mode`; set it exactly.
    fs::set_permissions(dir, fs::Permissions::from_mode(mode))
}

fn join_below(base: &Path, rel: &Path) -> Result<PathBuf, PathError> {
    let shown = || rel.to_string_lossy().into_owned();
    if rel.as_os_str().is_empty() {
        return Err(PathError::Empty);
    }
    let mut parts: Vec<&OsStr> = Vec::new();
    for component in rel.components() {
        match component {
            Component::Normal(part) => parts.push(part),
            Component::CurDir => {}
            Component::ParentDir => {
                if parts.pop().is_none() {
                    return Err(PathError::Escapes(shown()));
                }
            }
            Component::RootDir | Component::Prefix(_) => {
                return Err(PathError::Absolute(shown()));
            }
        }
    }
    let mut out = base.to_path_buf();
    out.extend(parts);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_joins_relative_below_root() {
        let root = HostRoot::new("/tmp/r");
        assert_eq!(
            root.path("etc/pve/storage.cfg").unwrap(),
            PathBuf::from("/tmp/r/etc/pve/storage.cfg")
        );
        assert_eq!(
            root.path("./a/b/../c").unwrap(),
            PathBuf::from("/tmp/r/a/c")
        );
    }

    #[test]
    fn path_absolute_is_rejected() {
        let root = HostRoot::new("/tmp/r");
        assert_eq!(
            root.path("/etc/passwd"),
            Err(PathError::Absolute("/etc/passwd".into()))
        );
    }

    #[test]
    fn path_dotdot_escape_is_rejected() {
        let root = HostRoot::new("/tmp/r");
        assert!(matches!(root.path("../x"), Err(PathError::Escapes(_))));
        assert!(matches!(root.path("a/../../x"), Err(PathError::Escapes(_))));
        assert_eq!(root.path(""), Err(PathError::Empty));
    }

    #[test]
    fn system_root_accessors_are_standard_paths() {
        let root = HostRoot::system();
        assert_eq!(root.etc_pve(), PathBuf::from("/etc/pve"));
        assert_eq!(root.var_lib_vz(), PathBuf::from("/var/lib/vz"));
        assert_eq!(root.run_virton(), PathBuf::from("/run/virton"));
        assert_eq!(
            root.proc("cpuinfo").unwrap(),
            PathBuf::from("/proc/cpuinfo")
        );
        assert_eq!(root.dev("kvm").unwrap(), PathBuf::from("/dev/kvm"));
    }

    #[test]
    fn ensure_layout_creates_dirs_with_modes() {
        let tmp = tempfile::tempdir().unwrap();
        let root = HostRoot::new(tmp.path());
        root.ensure_layout().unwrap();
        for dir in [
            root.etc_pve(),
            root.var_lib_vz(),
            root.run_virton(),
            root.var_log_virton(),
        ] {
            assert!(dir.is_dir(), "{dir:?}");
        }
        let mode = fs::metadata(root.var_lib_virton())
            .unwrap()
            .permissions()
            .mode()
            & 0o7777;
        assert_eq!(mode, 0o700);
        // idempotent
        root.ensure_layout().unwrap();
    }
}
