//! The configuration digest: SHA-1 over a file's raw bytes, shown as 40 hex digits.
//!
//! Proxmox VE hands this digest out with every config read and checks it on writes
//! (optimistic locking); clients compare it as an opaque string, so it must be computed
//! exactly as upstream does, over the bytes as stored.

use sha1::{Digest as _, Sha1};
use std::fmt;

/// SHA-1 digest of a config file's bytes.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Digest([u8; 20]);

impl Digest {
    /// Digest of `bytes`.
    pub fn of(bytes: impl AsRef<[u8]>) -> Self {
        Self(Sha1::digest(bytes.as_ref()).into())
    }

    /// The raw 20 bytes.
    pub fn as_bytes(&self) -> &[u8; 20] {
        &self.0
    }

    /// Parses the 40-hex-digit form clients send back.
    pub fn parse_hex(s: &str) -> Option<Self> {
        let mut out = [0u8; 20];
        hex::decode_to_slice(s.trim(), &mut out).ok()?;
        Some(Self(out))
    }

    /// Checks a digest a client sent against the current one, with upstream's wording.
    pub fn check(&self, client: Option<&str>) -> Result<(), String> {
        match client {
            Some(c) if Self::parse_hex(c) != Some(*self) => Err(
                "detected modified configuration - file changed by other user? Try again."
                    .to_string(),
            ),
            _ => Ok(()),
        }
    }
}

impl fmt::Display for Digest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&hex::encode(self.0))
    }
}

impl fmt::Debug for Digest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Digest({self})")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digest_of_empty_input_is_sha1_of_nothing() {
        assert_eq!(
            Digest::of("").to_string(),
            "da39a3ee5e6b4b0d3255bfef95601890afd80709"
        );
    }

    #[test]
    fn digest_check_rejects_mismatch_with_upstream_wording() {
        let d = Digest::of("a");
        assert!(d.check(None).is_ok());
        assert!(d.check(Some(&d.to_string())).is_ok());
        let err = d.check(Some(&Digest::of("b").to_string())).unwrap_err();
        assert!(err.starts_with("detected modified configuration"));
    }
}
