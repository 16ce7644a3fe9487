//! CSRF prevention tokens: `<8 hex time>:<base64 HMAC-SHA256 of "<time>:<userid>">`.
//!
//! The HMAC key is derived from the contents of `priv/pve-www.key`: the unpadded base64
//! of HMAC-SHA256 (empty key) over the file. Tokens with a 27-character signature are
//! from older releases and are checked with the legacy key (unpadded base64 SHA-1 of
//! the file). Base64 here is unpadded, as upstream's digest helpers produce it.
//!
//! Must not depend on: the RSA ticket code.

use super::format::{hex_time, parse_hex_time};
use super::keys::{write, KeyError, KEY_BITS};
use super::{TicketError, AUTH_GRACE_PERIOD, TICKET_LIFETIME};
use base64::engine::general_purpose::STANDARD_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};
use rsa::pkcs1::{EncodeRsaPrivateKey, LineEnding};
use sha1::Sha1;
use sha2::{Digest, Sha256};
use virton_sys::HostRoot;

/// Length of a legacy (SHA-1 keyed) token signature.
const LEGACY_SIG_LEN: usize = 27;

/// The keys derived from `priv/pve-www.key`.
#[derive(Clone)]
pub struct CsrfSecret {
    key: String,
    legacy_key: String,
}

impl std::fmt::Debug for CsrfSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CsrfSecret(..)")
    }
}

fn hmac_b64(key: &[u8], data: &[u8]) -> String {
    // HMAC accepts keys of any length, so this cannot fail.
    let mut mac = match Hmac::<Sha256>::new_from_slice(key) {
        Ok(mac) => mac,
        Err(_) => return String::new(),
    };
    mac.update(data);
    STANDARD_NO_PAD.encode(mac.finalize().into_bytes())
}

impl CsrfSecret {
    /// Derives the keys from the file contents.
    pub fn from_file_contents(contents: &[u8]) -> Self {
        CsrfSecret {
            key: hmac_b64(b"", contents),
            legacy_key: STANDARD_NO_PAD.encode(Sha1::digest(contents)),
        }
    }

    /// Reads `priv/pve-www.key`, creating it (an RSA private key in PEM, as upstream
    /// does) when it is missing.
    pub fn load_or_generate(root: &HostRoot) -> Result<Self, KeyError> {
        let path = root.etc_pve().join("priv/pve-www.key");
        match std::fs::read(&path) {
            Ok(bytes) => return Ok(Self::from_file_contents(&bytes)),
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                return Err(KeyError::Io { path, source: e })
            }
            Err(_) => {}
        }
        let mut rng = rsa::rand_core::OsRng;
        let key = rsa::RsaPrivateKey::new(&mut rng, KEY_BITS)
            .map_err(|e| KeyError::Generate(e.to_string()))?;
        let pem = key
            .to_pkcs1_pem(LineEnding::LF)
            .map_err(|e| KeyError::Generate(e.to_string()))?;
        write(&path, pem.as_bytes(), 0o600)?;
        Ok(Self::from_file_contents(pem.as_bytes()))
    }

    /// A token for `userid` issued at `now`.
    pub fn assemble(&self, userid: &str, now: i64) -> String {
        let time = hex_time(now);
        let sig = hmac_b64(self.key.as_bytes(), format!("{time}:{userid}").as_bytes());
        format!("{time}:{sig}")
    }

    /// Checks a token of `userid`: its signature, and an age within the ticket
    /// lifetime (with the clock-skew allowance for tokens from the future).
    pub fn verify(&self, userid: &str, token: &str, now: i64) -> Result<(), TicketError> {
        let (time, sig) = token.split_once(':').ok_or(TicketError::InvalidCsrf)?;
        let shaped = time.len() == 8
            && time
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
            && !sig.is_empty()
            && !sig.contains(char::is_whitespace);
        if !shaped {
            return Err(TicketError::InvalidCsrf);
        }
        let key = if sig.len() == LEGACY_SIG_LEN {
            &self.legacy_key
        } else {
            &self.key
        };
        let expected = hmac_b64(key.as_bytes(), format!("{time}:{userid}").as_bytes());
        let ttime = parse_hex_time(time).ok_or(TicketError::InvalidCsrf)?;
        let age = now - ttime;
        let fresh = age > -AUTH_GRACE_PERIOD && age < TICKET_LIFETIME;
        if fresh && crate::ct_eq(expected.as_bytes(), sig.as_bytes()) {
            Ok(())
        } else {
            Err(TicketError::InvalidCsrf)
        }
    }
}
