//! Second factors: the `priv/tfa.cfg` JSON of current Proxmox VE (per user: `totp`,
//! `recovery`, `webauthn`, `u2f`, `yubico` entries), the challenge carried in a
//! TFA-pending ticket, and checking a response against it.
//!
//! TOTP and recovery keys are verified here. WebAuthn, U2F and Yubico entries are kept
//! byte-for-byte (unknown fields too) but cannot be used to log in yet; a response of
//! those kinds fails with a clear error. Recovery keys are one-time: a successful use
//! clears the key, and the caller must then save the configuration.
//!
//! Must not depend on: tickets (the login flow wraps the challenge in one) or file I/O.

pub mod lockout;
pub mod totp;

#[cfg(test)]
mod tests;

use hmac::{Hmac, Mac};
use rsa::rand_core::{OsRng, RngCore};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use sha2::Sha256;
use std::collections::BTreeMap;
use totp::Totp;

/// A second-factor check failed (texts as upstream's where it has them).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TfaError {
    /// `tfa.cfg` is not valid JSON of the expected shape.
    #[error("failed to parse tfa config: {0}")]
    Parse(String),
    /// The response is not `<type>:<value>`.
    #[error("invalid tfa response")]
    BadResponse,
    /// The user has no second factor.
    #[error("no 2nd factor available for user '{0}'")]
    NoFactor(String),
    /// The challenge did not offer this kind of factor.
    #[error("no such challenge")]
    NoSuchChallenge,
    /// The TOTP code was wrong.
    #[error("totp verification failed")]
    TotpFailed,
    /// The recovery key was wrong or used up.
    #[error("recovery verification failed")]
    RecoveryFailed,
    /// TOTP is locked for the user (too many failures recorded in `tfa.cfg`).
    #[error("failed 2nd factor: TOTP limit reached, locked")]
    TotpLocked,
    /// All second factors are locked for the user until the given time.
    #[error("failed 1nd factor: TFA limit reached, user locked out")]
    TfaLocked,
    /// A factor type this build cannot verify.
    #[error("{0} authentication is not supported")]
    Unsupported(String),
    /// The user already has recovery keys.
    #[error("user already has recovery keys")]
    RecoveryExists,
    /// A TOTP URI that cannot be used.
    #[error("invalid totp uri")]
    BadTotp,
}

fn default_true() -> bool {
    true
}

fn is_true(v: &bool) -> bool {
    *v
}

fn is_false(v: &bool) -> bool {
    !*v
}

/// One registered factor: common info plus the factor's own `entry` data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TfaEntry {
    /// Entry id (a UUID).
    pub id: String,
    /// User-chosen description.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// Creation time (Unix seconds).
    #[serde(default)]
    pub created: i64,
    /// Whether the entry may be used.
    #[serde(default = "default_true", skip_serializing_if = "is_true")]
    pub enable: bool,
    /// The factor data (a TOTP URI, a Yubico key id, or WebAuthn/U2F objects).
    pub entry: Value,
    /// Fields this version does not know, kept as they were.
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

/// Recovery keys: HMAC-SHA256 (keyed with `secret`) of each key, `null` once used.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Recovery {
    /// The HMAC key (hex text, used as bytes).
    pub secret: String,
    /// Hashed keys in the order they were shown to the user.
    pub entries: Vec<Option<String>>,
    /// Creation time (Unix seconds).
    pub created: i64,
}

impl Recovery {
    fn hash(&self, key: &str) -> String {
        match Hmac::<Sha256>::new_from_slice(self.secret.as_bytes()) {
            Ok(mut mac) => {
                mac.update(key.as_bytes());
                hex::encode(mac.finalize().into_bytes())
            }
            Err(_) => String::new(),
        }
    }

    /// Indices of the keys still unused.
    pub fn available(&self) -> Vec<usize> {
        (0..self.entries.len())
            .filter(|&i| matches!(self.entries.get(i), Some(Some(_))))
            .collect()
    }

    /// Consumes `key` if it is one of the unused keys.
    pub fn consume(&mut self, key: &str) -> bool {
        let hash = self.hash(key.trim());
        for slot in &mut self.entries {
            if slot
                .as_deref()
                .is_some_and(|h| crate::ct_eq(h.as_bytes(), hash.as_bytes()))
            {
                *slot = None;
                return true;
            }
        }
        false
    }

    /// Ten new keys (`xxxx-xxxx-xxxx-xxxx` hex) and their stored form.
    pub fn generate(now: i64) -> (Recovery, Vec<String>) {
        let mut secret = [0u8; 8];
        OsRng.fill_bytes(&mut secret);
        let mut rec = Recovery {
            secret: hex::encode(secret),
            entries: Vec::with_capacity(10),
            created: now,
        };
        let mut keys = Vec::with_capacity(10);
        for _ in 0..10 {
            let mut b = [0u8; 8];
            OsRng.fill_bytes(&mut b);
            let h = hex::encode(b);
            let key = format!("{}-{}-{}-{}", &h[0..4], &h[4..8], &h[8..12], &h[12..16]);
            rec.entries.push(Some(rec.hash(&key)));
            keys.push(key);
        }
        (rec, keys)
    }
}

/// The second factors of one user.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct TfaUser {
    /// TOTP entries (`entry` is an `otpauth://totp/` URI).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub totp: Vec<TfaEntry>,
    /// U2F registrations (kept, not usable here).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub u2f: Vec<TfaEntry>,
    /// WebAuthn credentials (kept, not usable here).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub webauthn: Vec<TfaEntry>,
    /// Recovery keys.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recovery: Option<Recovery>,
    /// Yubico key ids (kept, not usable here).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub yubico: Vec<TfaEntry>,
    /// TOTP locked after too many failures (cleared by an administrator).
    #[serde(default, skip_serializing_if = "is_false")]
    pub totp_locked: bool,
    /// All factors locked until this time (Unix seconds).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tfa_locked_until: Option<i64>,
    /// Fields this version does not know, kept as they were.
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

/// The parsed `priv/tfa.cfg`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TfaConfig {
    /// Second factors by user id.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub users: BTreeMap<String, TfaUser>,
    /// Instance settings (`u2f`, `webauthn`) and anything else, kept as they were.
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

/// What a TFA-pending ticket tells the client it may answer with.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TfaChallenge {
    /// The user has enabled TOTP entries.
    #[serde(default, skip_serializing_if = "is_false")]
    pub totp: bool,
    /// Indices of unused recovery keys.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recovery: Option<Vec<usize>>,
    /// The user has enabled Yubico keys.
    #[serde(default, skip_serializing_if = "is_false")]
    pub yubico: bool,
}

impl TfaConfig {
    /// Parses the file (empty text is an empty configuration).
    pub fn parse(text: &str) -> Result<TfaConfig, TfaError> {
        if text.trim().is_empty() {
            return Ok(TfaConfig::default());
        }
        serde_json::from_str(text).map_err(|e| TfaError::Parse(e.to_string()))
    }

    /// The file text.
    pub fn write(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| String::from("{}"))
    }

    /// The challenge for `userid`, or `None` when no usable second factor is set up.
    pub fn challenge(&self, userid: &str) -> Option<TfaChallenge> {
        let user = self.users.get(userid)?;
        let challenge = TfaChallenge {
            totp: user.totp.iter().any(|e| e.enable),
            recovery: user.recovery.as_ref().map(Recovery::available),
            yubico: user.yubico.iter().any(|e| e.enable),
        };
        let empty = !challenge.totp && challenge.recovery.is_none() && !challenge.yubico;
        let unusable_only = !user.webauthn.is_empty() || !user.u2f.is_empty();
        // A user with only WebAuthn/U2F still needs a challenge, so that login is not
        // granted without the second factor; it just cannot be answered yet.
        (!empty || unusable_only).then_some(challenge)
    }

    /// Checks `response` (`totp:<code>`, `recovery:<key>`, ...) for `userid` against the
    /// `challenge` from the ticket. `Ok(true)` means the configuration changed (a
    /// recovery key was used) and must be saved.
    pub fn verify(
        &mut self,
        userid: &str,
        challenge: &TfaChallenge,
        response: &str,
        now: i64,
    ) -> Result<bool, TfaError> {
        let (kind, value) = response.split_once(':').ok_or(TfaError::BadResponse)?;
        let user = self
            .users
            .get_mut(userid)
            .ok_or_else(|| TfaError::NoFactor(userid.to_string()))?;
        if user.tfa_locked_until.is_some_and(|until| until > now) {
            return Err(TfaError::TfaLocked);
        }
        match kind {
            "totp" => {
                if !challenge.totp {
                    return Err(TfaError::NoSuchChallenge);
                }
                if user.totp_locked {
                    return Err(TfaError::TotpLocked);
                }
                let ok = user
                    .totp
                    .iter()
                    .filter(|e| e.enable)
                    .filter_map(|e| e.entry.as_str().and_then(Totp::from_uri))
                    .any(|t| t.verify(value, now));
                ok.then_some(false).ok_or(TfaError::TotpFailed)
            }
            "recovery" => {
                let rec = user.recovery.as_mut().ok_or(TfaError::RecoveryFailed)?;
                rec.consume(value)
                    .then_some(true)
                    .ok_or(TfaError::RecoveryFailed)
            }
            "u2f" | "webauthn" | "yubico" => Err(TfaError::Unsupported(kind.to_string())),
            _ => Err(TfaError::BadResponse),
        }
    }

    /// Adds a TOTP entry from its URI; returns the new entry id.
    pub fn add_totp(
        &mut self,
        userid: &str,
        description: &str,
        uri: &str,
        now: i64,
    ) -> Result<String, TfaError> {
        Totp::from_uri(uri).ok_or(TfaError::BadTotp)?;
        let id = crate::auth::generate_token_secret();
        self.users
            .entry(userid.to_string())
            .or_default()
            .totp
            .push(TfaEntry {
                id: id.clone(),
                description: description.to_string(),
                created: now,
                enable: true,
                entry: Value::String(uri.to_string()),
                other: Map::new(),
            });
        Ok(id)
    }

    /// Creates the user's recovery keys; returns them (shown once, stored hashed).
    pub fn add_recovery(&mut self, userid: &str, now: i64) -> Result<Vec<String>, TfaError> {
        let user = self.users.entry(userid.to_string()).or_default();
        if user.recovery.is_some() {
            return Err(TfaError::RecoveryExists);
        }
        let (rec, keys) = Recovery::generate(now);
        user.recovery = Some(rec);
        Ok(keys)
    }
}
