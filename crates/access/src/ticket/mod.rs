//! Authentication tickets as Proxmox VE issues them.
//!
//! * Login tickets `PVE:<userid>:<8 hex time>::<base64 signature>`, valid 2 hours with
//!   a 5 minute allowance for clock skew, never older than the key that signed them.
//! * TFA-pending tickets `PVE:!tfa!<challenge JSON>:<time>::<sig>`, whose signature also
//!   covers `:<userid>` so that they are useless without naming the user.
//! * Short-lived VNC (`PVEVNC`) and tunnel (`PVETUNNEL`) tickets that carry no data but
//!   sign `<authid>:<path>[:<port>]`, valid from 20 s before to 40 s after creation.
//! * CSRF prevention tokens ([`csrf`]).
//!
//! Signatures are RSA PKCS#1 v1.5 over SHA-256; SHA-1 signatures are still accepted.
//! Every function takes the current time, so callers (and tests) control the clock.
//!
//! Must not depend on: HTTP types or how tickets travel (cookie, header).

pub mod csrf;
pub mod format;
pub mod keys;

#[cfg(test)]
mod tests;

pub use csrf::CsrfSecret;
pub use format::{parse_ticket, RawTicket};
pub use keys::{AuthKeys, DatedKey, KeyError};

use crate::perm::normalize_path;
use keys::AUTHKEY_LIFETIME;
use virton_api_types::Userid;

/// Prefix of login and TFA tickets.
pub const PREFIX: &str = "PVE";
/// Prefix of VNC tickets.
pub const VNC_PREFIX: &str = "PVEVNC";
/// Prefix of tunnel tickets.
pub const TUNNEL_PREFIX: &str = "PVETUNNEL";
/// How long a login ticket is valid (seconds).
pub const TICKET_LIFETIME: i64 = 2 * 3600;
/// Allowance for clocks that run apart (seconds).
pub const AUTH_GRACE_PERIOD: i64 = 5 * 60;
/// Data prefix of a TFA-pending ticket.
pub const TFA_DATA_PREFIX: &str = "!tfa!";

/// A ticket was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TicketError {
    /// Bad shape, bad signature or outside its validity window (HTTP 401).
    #[error("permission denied - invalid {0} ticket")]
    Invalid(String),
    /// A short-lived ticket was requested for a path that does not normalize.
    #[error("invalid ticket path")]
    InvalidPath,
    /// This node has no private key to sign with.
    #[error("no auth key available for signing")]
    NoPrivateKey,
    /// The CSRF prevention token does not match (HTTP 401).
    #[error("Permission denied - invalid csrf token")]
    InvalidCsrf,
}

impl TicketError {
    /// The HTTP status upstream answers with.
    pub fn status(&self) -> u16 {
        match self {
            TicketError::Invalid(_) | TicketError::InvalidCsrf => 401,
            TicketError::InvalidPath | TicketError::NoPrivateKey => 500,
        }
    }
}

/// What a verified login ticket stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TicketSubject {
    /// A fully authenticated user.
    User(Userid),
    /// A half-authenticated login waiting for its second factor (data is the challenge).
    TfaPending(String),
    /// A ticket of the old TFA flow (`tfa!<user>`), still waiting for TOTP or Yubico.
    LegacyTfa(Userid),
    /// A ticket of the old U2F flow (`u2f!<user>!<challenge>`); `None` when completed.
    LegacyU2f(Userid, Option<String>),
}

/// A verified ticket with its age in seconds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedTicket {
    /// Whom the ticket is for.
    pub subject: TicketSubject,
    /// Seconds since the ticket was issued (may be slightly negative).
    pub age: i64,
}

impl AuthKeys {
    /// Signs a `PVE` ticket carrying `data`, with `aad` covered by the signature only.
    pub fn assemble_ticket(
        &self,
        data: &str,
        aad: Option<&str>,
        now: i64,
    ) -> Result<String, TicketError> {
        let plain = format::assemble_plain(PREFIX, Some(data), now);
        let payload = format::signed_payload(&plain, aad);
        let sig = self
            .sign(payload.as_bytes())
            .ok_or(TicketError::NoPrivateKey)?;
        Ok(format::join_ticket(&plain, &sig))
    }

    /// A login ticket for `userid`.
    pub fn assemble_user_ticket(&self, userid: &Userid, now: i64) -> Result<String, TicketError> {
        self.assemble_ticket(userid.as_str(), None, now)
    }

    /// A TFA-pending ticket carrying `challenge` (compact JSON, no whitespace) for
    /// `userid`.
    pub fn assemble_tfa_ticket(
        &self,
        userid: &Userid,
        challenge: &str,
        now: i64,
    ) -> Result<String, TicketError> {
        let data = format!("{TFA_DATA_PREFIX}{challenge}");
        self.assemble_ticket(&data, Some(userid.as_str()), now)
    }

    /// Verifies a login ticket; tries the previous key when the current one fails.
    pub fn verify_ticket(&self, ticket: &str, now: i64) -> Result<VerifiedTicket, TicketError> {
        let invalid = || TicketError::Invalid(PREFIX.into());
        let (data, age) = self
            .verify_with_keys(ticket, None, now)
            .ok_or_else(invalid)?;
        let subject = classify(&data).ok_or_else(invalid)?;
        Ok(VerifiedTicket { subject, age })
    }

    /// Verifies the `tfa-challenge` ticket of `userid` and returns its challenge data.
    pub fn verify_tfa_ticket(
        &self,
        ticket: &str,
        userid: &str,
        now: i64,
    ) -> Result<String, TicketError> {
        let (data, _) = self
            .verify_with_keys(ticket, Some(userid), now)
            .ok_or_else(|| TicketError::Invalid(PREFIX.into()))?;
        data.strip_prefix(TFA_DATA_PREFIX)
            .map(str::to_string)
            .ok_or_else(|| TicketError::Invalid(PREFIX.into()))
    }

    fn verify_with_keys(&self, ticket: &str, aad: Option<&str>, now: i64) -> Option<(String, i64)> {
        let current = std::iter::once((&self.public, false));
        let old = self.old.iter().map(|k| (k, true));
        current.chain(old).find_map(|(key, rotated)| {
            let (min, max) = ticket_age_range(now, key.mtime, rotated)?;
            let (data, age) = verify_rsa(key, PREFIX, ticket, aad, (min, max), now)?;
            Some((data?, age))
        })
    }

    /// A VNC ticket for `authid` on `path` (and `port` when given).
    pub fn assemble_vnc_ticket(
        &self,
        authid: &str,
        path: &str,
        port: Option<u16>,
        now: i64,
    ) -> Result<String, TicketError> {
        self.assemble_short_lived(VNC_PREFIX, authid, path, port, now)
    }

    /// Verifies a VNC ticket (also in the old `<8 chars>:PVEVNC:...` form).
    pub fn verify_vnc_ticket(
        &self,
        ticket: &str,
        authid: &str,
        path: &str,
        port: Option<u16>,
        now: i64,
    ) -> Result<(), TicketError> {
        let ticket = match ticket.get(8..).and_then(|t| t.strip_prefix(':')) {
            Some(rest) if rest.starts_with("PVEVNC:") => rest,
            _ => ticket,
        };
        self.verify_short_lived(VNC_PREFIX, ticket, authid, path, port, now)
    }

    /// A tunnel ticket for `authid` on `path`.
    pub fn assemble_tunnel_ticket(
        &self,
        authid: &str,
        path: &str,
        now: i64,
    ) -> Result<String, TicketError> {
        self.assemble_short_lived(TUNNEL_PREFIX, authid, path, None, now)
    }

    /// Verifies a tunnel ticket.
    pub fn verify_tunnel_ticket(
        &self,
        ticket: &str,
        authid: &str,
        path: &str,
        now: i64,
    ) -> Result<(), TicketError> {
        self.verify_short_lived(TUNNEL_PREFIX, ticket, authid, path, None, now)
    }

    fn assemble_short_lived(
        &self,
        prefix: &str,
        authid: &str,
        path: &str,
        port: Option<u16>,
        now: i64,
    ) -> Result<String, TicketError> {
        let secret = short_lived_secret(authid, path, port)?;
        let plain = format::assemble_plain(prefix, None, now);
        let payload = format::signed_payload(&plain, Some(&secret));
        let sig = self
            .sign(payload.as_bytes())
            .ok_or(TicketError::NoPrivateKey)?;
        Ok(format::join_ticket(&plain, &sig))
    }

    fn verify_short_lived(
        &self,
        prefix: &str,
        ticket: &str,
        authid: &str,
        path: &str,
        port: Option<u16>,
        now: i64,
    ) -> Result<(), TicketError> {
        let secret = short_lived_secret(authid, path, port)?;
        let invalid = || TicketError::Invalid(prefix.into());
        if now - self.public.mtime > AUTHKEY_LIFETIME {
            return Err(invalid());
        }
        verify_rsa(&self.public, prefix, ticket, Some(&secret), (-20, 40), now)
            .map(|_| ())
            .ok_or_else(invalid)
    }
}

fn short_lived_secret(authid: &str, path: &str, port: Option<u16>) -> Result<String, TicketError> {
    let path = normalize_path(path).ok_or(TicketError::InvalidPath)?;
    Ok(match port {
        Some(port) => format!("{authid}:{path}:{port}"),
        None => format!("{authid}:{path}"),
    })
}

/// Which ticket ages (exclusive bounds) a key with file time `mtime` vouches for.
/// A rotated-out key vouches only for tickets issued before the rotation; a key
/// younger than a ticket lifetime only for tickets not older than itself.
pub fn ticket_age_range(now: i64, mtime: i64, rotated: bool) -> Option<(i64, i64)> {
    let key_age = (now - mtime).max(0);
    let mut min = -AUTH_GRACE_PERIOD;
    let mut max = TICKET_LIFETIME;
    if rotated {
        min = key_age - AUTH_GRACE_PERIOD;
    } else {
        if key_age > AUTHKEY_LIFETIME {
            min = key_age - AUTHKEY_LIFETIME;
        }
        if key_age < TICKET_LIFETIME {
            max = key_age + AUTH_GRACE_PERIOD;
        }
    }
    (min <= TICKET_LIFETIME).then_some((min, max))
}

/// Checks shape, signature and age; returns the unescaped data (if any) and the age.
fn verify_rsa(
    key: &DatedKey,
    prefix: &str,
    ticket: &str,
    secret_data: Option<&str>,
    (min, max): (i64, i64),
    now: i64,
) -> Option<(Option<String>, i64)> {
    let raw = parse_ticket(prefix, ticket)?;
    let sig = raw.signature_bytes()?;
    if !key.verify(raw.signed_payload(secret_data).as_bytes(), &sig) {
        return None;
    }
    let age = now - raw.timestamp;
    (age > min && age < max).then(|| (raw.data_unescaped(), age))
}

fn classify(data: &str) -> Option<TicketSubject> {
    if let Some(challenge) = data.strip_prefix(TFA_DATA_PREFIX) {
        return Some(TicketSubject::TfaPending(challenge.to_string()));
    }
    if let Some(rest) = data.strip_prefix("u2f!") {
        let (user, challenge) = rest.split_once('!')?;
        let valid = !challenge.is_empty()
            && challenge
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "/.=_-+".contains(c));
        if !valid {
            return None;
        }
        let challenge = (challenge != "verified").then(|| challenge.to_string());
        return Some(TicketSubject::LegacyU2f(user.parse().ok()?, challenge));
    }
    if let Some(user) = data.strip_prefix("tfa!") {
        return Some(TicketSubject::LegacyTfa(user.parse().ok()?));
    }
    Some(TicketSubject::User(data.parse().ok()?))
}
