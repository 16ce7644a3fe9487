//! The ticket signing key pair: `priv/authkey.key` (PKCS#1 PEM private key),
//! `authkey.pub` (SubjectPublicKeyInfo PEM) and, after a rotation, `authkey.pub.old`,
//! all under `/etc/pve`. The public key's modification time is the key's age.
//!
//! Must not depend on: ticket text handling (see `format`).

use rsa::pkcs1::{DecodeRsaPrivateKey, DecodeRsaPublicKey, EncodeRsaPrivateKey, LineEnding};
use rsa::pkcs8::{DecodePrivateKey, DecodePublicKey, EncodePublicKey};
use rsa::{Pkcs1v15Sign, RsaPrivateKey, RsaPublicKey};
use sha1::Sha1;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;
use virton_sys::{replace_file, HostRoot, ReplaceOptions};

/// Key size upstream generates.
pub const KEY_BITS: usize = 2048;
/// Keys are rotated once they are this old (seconds).
pub const AUTHKEY_LIFETIME: i64 = 24 * 3600;

/// A key file could not be read, parsed or written.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    /// Reading or writing a key file failed.
    #[error("auth key file '{path}': {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        #[source]
        source: std::io::Error,
    },
    /// A key file does not hold a usable RSA key.
    #[error("auth key file '{0}': invalid key")]
    Invalid(PathBuf),
    /// Generating or encoding a key failed.
    #[error("auth key generation failed: {0}")]
    Generate(String),
    /// Replacing a key file failed.
    #[error(transparent)]
    Replace(#[from] virton_sys::ReplaceError),
}

/// A public key with the modification time of its file (Unix seconds).
#[derive(Debug, Clone)]
pub struct DatedKey {
    /// The key.
    pub key: RsaPublicKey,
    /// When the key file was written.
    pub mtime: i64,
}

impl DatedKey {
    /// True when `signature` is a PKCS#1 v1.5 signature of `payload` with SHA-256 or
    /// (older tickets) SHA-1.
    pub fn verify(&self, payload: &[u8], signature: &[u8]) -> bool {
        let sha256 = Sha256::digest(payload);
        if self
            .key
            .verify(Pkcs1v15Sign::new::<Sha256>(), &sha256, signature)
            .is_ok()
        {
            return true;
        }
        let sha1 = Sha1::digest(payload);
        self.key
            .verify(Pkcs1v15Sign::new::<Sha1>(), &sha1, signature)
            .is_ok()
    }
}

/// The signing key, its public half and the previous public key, if any.
#[derive(Debug, Clone)]
pub struct AuthKeys {
    /// The private key (absent on a node that only verifies).
    pub private: Option<RsaPrivateKey>,
    /// The current public key.
    pub public: DatedKey,
    /// The public key before the last rotation.
    pub old: Option<DatedKey>,
}

impl AuthKeys {
    /// Builds keys from PEM text (for tests and for keys received from elsewhere).
    pub fn from_pem(private: &str, public_mtime: i64) -> Result<Self, KeyError> {
        let key = parse_private(private).ok_or_else(|| KeyError::Invalid("<pem>".into()))?;
        Ok(AuthKeys {
            public: DatedKey {
                key: key.to_public_key(),
                mtime: public_mtime,
            },
            private: Some(key),
            old: None,
        })
    }

    /// Signs `payload` (PKCS#1 v1.5, SHA-256); `None` without a private key.
    pub fn sign(&self, payload: &[u8]) -> Option<Vec<u8>> {
        let digest = Sha256::digest(payload);
        self.private
            .as_ref()?
            .sign(Pkcs1v15Sign::new::<Sha256>(), &digest)
            .ok()
    }

    /// Loads the key files under `root`; `Ok(None)` when the public key is missing.
    pub fn load(root: &HostRoot) -> Result<Option<Self>, KeyError> {
        let paths = KeyPaths::new(root);
        let Some(public) = read_public(&paths.public)? else {
            return Ok(None);
        };
        let private = match read_file(&paths.private)? {
            Some((pem, _)) => {
                Some(parse_private(&pem).ok_or_else(|| KeyError::Invalid(paths.private.clone()))?)
            }
            None => None,
        };
        let old = read_public(&paths.old)?;
        Ok(Some(AuthKeys {
            private,
            public,
            old,
        }))
    }

    /// Loads the keys, generating (or rotating, when older than a day) a pair first when
    /// needed, as a fresh node does on first start.
    pub fn load_or_generate(root: &HostRoot, now: i64) -> Result<Self, KeyError> {
        if let Some(keys) = Self::load(root)? {
            let fresh = now - keys.public.mtime < AUTHKEY_LIFETIME;
            if keys.private.is_some() && fresh {
                return Ok(keys);
            }
        }
        Self::rotate(root)?;
        Self::load(root)?.ok_or_else(|| KeyError::Invalid(KeyPaths::new(root).public))
    }

    /// Generates a new pair, keeping the current public key as `authkey.pub.old`.
    pub fn rotate(root: &HostRoot) -> Result<(), KeyError> {
        let paths = KeyPaths::new(root);
        let mut rng = rsa::rand_core::OsRng;
        let key = RsaPrivateKey::new(&mut rng, KEY_BITS)
            .map_err(|e| KeyError::Generate(e.to_string()))?;
        let public_pem = key
            .to_public_key()
            .to_public_key_pem(LineEnding::LF)
            .map_err(|e| KeyError::Generate(e.to_string()))?;
        let private_pem = key
            .to_pkcs1_pem(LineEnding::LF)
            .map_err(|e| KeyError::Generate(e.to_string()))?;
        if let Some((old_pem, _)) = read_file(&paths.public)? {
            write(&paths.old, old_pem.as_bytes(), 0o644)?;
        }
        write(&paths.public, public_pem.as_bytes(), 0o644)?;
        write(&paths.private, private_pem.as_bytes(), 0o600)?;
        Ok(())
    }
}

struct KeyPaths {
    private: PathBuf,
    public: PathBuf,
    old: PathBuf,
}

impl KeyPaths {
    fn new(root: &HostRoot) -> Self {
        let etc = root.etc_pve();
        KeyPaths {
            private: etc.join("priv/authkey.key"),
            public: etc.join("authkey.pub"),
            old: etc.join("authkey.pub.old"),
        }
    }
}

fn parse_private(pem: &str) -> Option<RsaPrivateKey> {
    RsaPrivateKey::from_pkcs1_pem(pem)
        .ok()
        .or_else(|| RsaPrivateKey::from_pkcs8_pem(pem).ok())
}

/// Parses a public key in SubjectPublicKeyInfo or PKCS#1 PEM.
pub fn parse_public(pem: &str) -> Option<RsaPublicKey> {
    RsaPublicKey::from_public_key_pem(pem)
        .ok()
        .or_else(|| RsaPublicKey::from_pkcs1_pem(pem).ok())
}

fn read_public(path: &Path) -> Result<Option<DatedKey>, KeyError> {
    let Some((pem, mtime)) = read_file(path)? else {
        return Ok(None);
    };
    let key = parse_public(&pem).ok_or_else(|| KeyError::Invalid(path.to_path_buf()))?;
    Ok(Some(DatedKey { key, mtime }))
}

fn read_file(path: &Path) -> Result<Option<(String, i64)>, KeyError> {
    let io = |source| KeyError::Io {
        path: path.to_path_buf(),
        source,
    };
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(io(e)),
    };
    let modified = std::fs::metadata(path)
        .and_then(|m| m.modified())
        .map_err(io)?;
    let mtime = modified
        .duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
        .unwrap_or(0);
    Ok(Some((text, mtime)))
}

/// Writes a secret or public file atomically, creating its directory.
pub(crate) fn write(path: &Path, bytes: &[u8], mode: u32) -> Result<(), KeyError> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|source| KeyError::Io {
            path: dir.to_path_buf(),
            source,
        })?;
    }
    let opts = ReplaceOptions {
        mode,
        ..ReplaceOptions::default()
    };
    replace_file(path, bytes, opts)?;
    Ok(())
}
