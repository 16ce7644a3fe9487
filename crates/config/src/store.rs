//! The shared read / lock / write shape of every config file under `<root>/etc/pve`.
//!
//! `read` gives a [`Document`] and the [`Digest`] of the bytes it came from (a missing
//! file reads as empty, as upstream does); `lock` serializes writers of one file; `write`
//! replaces the file atomically; `update` does lock → read → digest check → change →
//! write in one call, so a failed change writes nothing. Until the cluster filesystem
//! takes over `/etc/pve`, locks are flock(2) files under `<root>/run/virton/lock`.

use crate::{Digest, Document, Format, ParseError};
use std::path::PathBuf;
use std::time::Duration;
use virton_sys::{HostRoot, LockGuard, ReplaceOptions};

/// How long writers wait for a config lock, as upstream's default.
pub const LOCK_TIMEOUT: Duration = Duration::from_secs(10);

/// A config file operation failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The path is not a plain relative path below `/etc/pve`.
    #[error("invalid config path '{0}'")]
    BadPath(String),
    /// The file could not be read.
    #[error("unable to read '{}' - {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// The system error.
        #[source]
        source: std::io::Error,
    },
    /// The file's content is malformed.
    #[error(transparent)]
    Parse(#[from] ParseError),
    /// The file lock was not had.
    #[error(transparent)]
    Lock(#[from] virton_sys::LockError),
    /// The file could not be replaced.
    #[error(transparent)]
    Write(#[from] virton_sys::ReplaceError),
    /// The client's digest does not match the file (someone else changed it).
    #[error("{0}")]
    DigestMismatch(String),
}

/// Config files below `<root>/etc/pve`.
#[derive(Debug, Clone)]
pub struct ConfigStore {
    root: HostRoot,
}

impl ConfigStore {
    /// A store over `root`.
    pub fn new(root: HostRoot) -> Self {
        Self { root }
    }

    /// The host root.
    pub fn root(&self) -> &HostRoot {
        &self.root
    }

    /// The absolute path of `rel` (e.g. `storage.cfg`, `nodes/n1/qemu-server/100.conf`).
    pub fn path(&self, rel: &str) -> Result<PathBuf, StoreError> {
        let plain = !rel.is_empty()
            && !rel.starts_with('/')
            && rel
                .split('/')
                .all(|c| !c.is_empty() && c != "." && c != "..");
        if !plain {
            return Err(StoreError::BadPath(rel.to_string()));
        }
        Ok(self.root.etc_pve().join(rel))
    }

    /// Reads and parses `rel`; a missing file parses as empty text.
    pub fn read<T: Format + Clone + PartialEq>(
        &self,
        rel: &str,
    ) -> Result<(Document<T>, Digest), StoreError> {
        let path = self.path(rel)?;
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
            Err(source) => return Err(StoreError::Read { path, source }),
        };
        let digest = Digest::of(&text);
        Ok((Document::parse(rel, &text)?, digest))
    }

    /// Takes the writer lock of `rel`, waiting up to `timeout`.
    pub fn lock(&self, rel: &str, timeout: Duration) -> Result<LockGuard, StoreError> {
        let dir = self.root.run_virton().join("lock");
        std::fs::create_dir_all(&dir).map_err(|source| StoreError::Read {
            path: dir.clone(),
            source,
        })?;
        let name = format!("{}.lck", rel.replace('/', "_"));
        Ok(virton_sys::lock_file(&dir.join(name), timeout)?)
    }

    /// Writes `doc` to `rel` atomically and returns the new digest. Caller holds the lock.
    pub fn write<T: Format + Clone + PartialEq>(
        &self,
        rel: &str,
        doc: &Document<T>,
    ) -> Result<Digest, StoreError> {
        let path = self.path(rel)?;
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|source| StoreError::Read {
                path: parent.to_path_buf(),
                source,
            })?;
        }
        let text = doc.write();
        let mode = if rel.starts_with("priv/") {
            0o600
        } else {
            0o640
        };
        let opts = ReplaceOptions {
            mode,
            ..Default::default()
        };
        virton_sys::replace_file(&path, text.as_bytes(), opts)?;
        Ok(Digest::of(text))
    }

    /// Lock, read, check the client's digest, apply `change`, write; returns what
    /// `change` returned. Nothing is written when any step (or `change`) fails.
    pub fn update<T, R, E>(
        &self,
        rel: &str,
        client_digest: Option<&str>,
        change: impl FnOnce(&mut T) -> Result<R, E>,
    ) -> Result<R, E>
    where
        T: Format + Clone + PartialEq,
        E: From<StoreError>,
    {
        let _guard = self.lock(rel, LOCK_TIMEOUT)?;
        let (mut doc, digest) = self.read::<T>(rel)?;
        digest
            .check(client_digest)
            .map_err(StoreError::DigestMismatch)?;
        let out = change(&mut doc)?;
        if doc.is_changed() {
            self.write(rel, &doc)?;
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A toy format: one number per file.
    #[derive(Debug, Clone, PartialEq)]
    struct Counter(u32);

    impl Format for Counter {
        fn parse(file: &str, text: &str) -> Result<Self, ParseError> {
            let t = text.trim();
            if t.is_empty() {
                return Ok(Self(0));
            }
            t.parse()
                .map(Self)
                .map_err(|_| ParseError::new(file, "not a number").at_line(1))
        }
        fn write(&self) -> String {
            format!("{}\n", self.0)
        }
    }

    fn store() -> (ConfigStore, PathBuf) {
        let dir = std::env::temp_dir().join(format!(
            "virton-store-{}-{:?}",
            std::process::id(),
            std::thread::current().id()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        (ConfigStore::new(HostRoot::new(&dir)), dir)
    }

    #[test]
    fn missing_file_reads_as_empty() {
        let (s, dir) = store();
        let (doc, digest) = s.read::<Counter>("x.cfg").unwrap();
        assert_eq!(*doc, Counter(0));
        assert_eq!(digest, Digest::of(""));
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn update_writes_and_digest_mismatch_changes_nothing() {
        let (s, dir) = store();
        s.update::<Counter, _, StoreError>("x.cfg", None, |c| {
            c.0 = 5;
            Ok(())
        })
        .unwrap();
        let (doc, digest) = s.read::<Counter>("x.cfg").unwrap();
        assert_eq!(*doc, Counter(5));
        let stale = Digest::of("4\n").to_string();
        let err = s
            .update::<Counter, _, StoreError>("x.cfg", Some(&stale), |c| {
                c.0 = 6;
                Ok(())
            })
            .unwrap_err();
        assert!(matches!(err, StoreError::DigestMismatch(_)));
        assert_eq!(s.read::<Counter>("x.cfg").unwrap().1, digest);
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn failing_change_leaves_the_file_alone() {
        let (s, dir) = store();
        let path = s.path("x.cfg").unwrap();
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, "7\n").unwrap();
        let r = s.update::<Counter, (), StoreError>("x.cfg", None, |c| {
            c.0 = 8;
            Err(StoreError::DigestMismatch("no".into()))
        });
        assert!(r.is_err());
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "7\n");
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn path_outside_etc_pve_is_rejected() {
        let (s, _dir) = store();
        assert!(s.path("../../etc/passwd").is_err());
    }
}
