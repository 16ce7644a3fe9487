//! TOTP (RFC 6238) from `otpauth://totp/...` URIs, as `tfa.cfg` stores them.
//!
//! Must not depend on: the rest of the TFA configuration.

use hmac::{Hmac, Mac};
use sha1::Sha1;
use sha2::{Sha256, Sha512};

/// The hash TOTP codes are computed with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Algorithm {
    /// HMAC-SHA1 (the default and what authenticator apps support).
    Sha1,
    /// HMAC-SHA256.
    Sha256,
    /// HMAC-SHA512.
    Sha512,
}

/// A TOTP generator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Totp {
    /// The shared secret.
    pub secret: Vec<u8>,
    /// Code length.
    pub digits: u32,
    /// Step length in seconds.
    pub period: u64,
    /// HMAC algorithm.
    pub algorithm: Algorithm,
}

impl Totp {
    /// Reads an `otpauth://totp/<label>?secret=<base32>&digits=&period=&algorithm=` URI.
    pub fn from_uri(uri: &str) -> Option<Totp> {
        let rest = uri.strip_prefix("otpauth://totp/")?;
        let (_, query) = rest.split_once('?')?;
        let mut totp = Totp {
            secret: Vec::new(),
            digits: 6,
            period: 30,
            algorithm: Algorithm::Sha1,
        };
        for pair in query.split('&') {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            match key {
                "secret" => totp.secret = base32_decode(value)?,
                "digits" => totp.digits = value.parse().ok().filter(|d| (6..=8).contains(d))?,
                "period" => totp.period = value.parse().ok().filter(|p| *p > 0)?,
                "algorithm" => {
                    totp.algorithm = match value.to_ascii_uppercase().as_str() {
                        "SHA1" => Algorithm::Sha1,
                        "SHA256" => Algorithm::Sha256,
                        "SHA512" => Algorithm::Sha512,
                        _ => return None,
                    }
                }
                _ => {}
            }
        }
        (!totp.secret.is_empty()).then_some(totp)
    }

    /// The code for time step `counter`.
    pub fn code_at_counter(&self, counter: u64) -> String {
        let msg = counter.to_be_bytes();
        let digest = match self.algorithm {
            Algorithm::Sha1 => hmac_digest::<Hmac<Sha1>>(&self.secret, &msg),
            Algorithm::Sha256 => hmac_digest::<Hmac<Sha256>>(&self.secret, &msg),
            Algorithm::Sha512 => hmac_digest::<Hmac<Sha512>>(&self.secret, &msg),
        };
        let offset = usize::from(digest.last().copied().unwrap_or(0) & 0x0f);
        let word = digest
            .get(offset..offset + 4)
            .map(|b| u32::from_be_bytes([b[0] & 0x7f, b[1], b[2], b[3]]))
            .unwrap_or(0);
        let modulus = 10u32.pow(self.digits);
        format!("{:0width$}", word % modulus, width = self.digits as usize)
    }

    /// True when `code` is right for `now`, the step before or the step after (the
    /// window upstream allows).
    pub fn verify(&self, code: &str, now: i64) -> bool {
        let step = i64::try_from(self.period).unwrap_or(30);
        let counter = now.div_euclid(step);
        (counter - 1..=counter + 1)
            .filter_map(|c| u64::try_from(c).ok())
            .any(|c| crate::ct_eq(self.code_at_counter(c).as_bytes(), code.trim().as_bytes()))
    }
}

fn hmac_digest<M: Mac + hmac::digest::KeyInit>(key: &[u8], msg: &[u8]) -> Vec<u8> {
    match <M as hmac::digest::KeyInit>::new_from_slice(key) {
        Ok(mut mac) => {
            mac.update(msg);
            mac.finalize().into_bytes().to_vec()
        }
        Err(_) => Vec::new(),
    }
}

/// Decodes RFC 4648 base32 (upper or lower case, padding optional).
pub fn base32_decode(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let (mut buffer, mut bits) = (0u64, 0u32);
    for c in text.trim_end_matches('=').bytes() {
        let value = match c.to_ascii_uppercase() {
            b @ b'A'..=b'Z' => b - b'A',
            b @ b'2'..=b'7' => b - b'2' + 26,
            _ => return None,
        };
        buffer = (buffer << 5) | u64::from(value);
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push(((buffer >> bits) & 0xff) as u8);
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238 appendix B secret for SHA-1, base32.
    const URI: &str = "otpauth://totp/VirtOn:joe?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&digits=8";

    #[test]
    fn rfc6238_sha1_vectors() {
        let totp = Totp::from_uri(URI).unwrap();
        assert_eq!(totp.code_at_counter(59 / 30), "94287082");
        assert_eq!(totp.code_at_counter(1111111109 / 30), "07081804");
        assert_eq!(totp.code_at_counter(20000000000 / 30), "65353130");
    }

    #[test]
    fn adjacent_steps_are_accepted_and_further_ones_not() {
        let mut totp = Totp::from_uri(URI).unwrap();
        totp.digits = 6;
        let code = totp.code_at_counter(1000);
        assert!(totp.verify(&code, 1000 * 30));
        assert!(totp.verify(&code, 1001 * 30 + 29));
        assert!(totp.verify(&code, 999 * 30));
        assert!(!totp.verify(&code, 1002 * 30));
        assert!(!totp.verify(&code, 998 * 30 + 29));
        assert!(!totp.verify("000000x", 1000 * 30));
    }

    #[test]
    fn bad_uris_are_rejected() {
        assert!(Totp::from_uri("otpauth://hotp/x?secret=GEZD").is_none());
        assert!(Totp::from_uri("otpauth://totp/x?secret=1").is_none());
        assert!(Totp::from_uri("otpauth://totp/x?digits=6").is_none());
        assert!(Totp::from_uri("otpauth://totp/x?secret=GEZD&digits=12").is_none());
    }
}
