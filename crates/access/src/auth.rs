//! First-factor authentication: is the account usable, and does the password (for
//! the `pam` and `pve` realms) or the API token secret match.
//!
//! Error texts are upstream's; the API layer logs them and answers every failure with
//! the same `401 authentication failure` so that user names cannot be probed.
//!
//! Must not depend on: tickets or TFA (the login flow combines them), file I/O (the
//! caller passes parsed `user.cfg`, `domains.cfg`, `shadow.cfg` and `token.cfg`).

use crate::pam::{AuthFailure, Authenticator};
use crate::password::verify_password;
use rsa::rand_core::{OsRng, RngCore};
use virton_api_types::{Authid, Userid};
use virton_config::domains::DomainsConfig;
use virton_config::user_cfg::shadow::ShadowConfig;
use virton_config::user_cfg::token::TokenSecrets;
use virton_config::user_cfg::{Token, User, UserConfig};

/// Why authentication failed (logged, never shown to the client).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AuthError {
    /// The user id is not valid syntax.
    #[error("value '{0}' does not look like a valid user name")]
    InvalidUserid(String),
    /// The user is not in `user.cfg`.
    #[error("no such user ('{0}')")]
    NoSuchUser(String),
    /// The user's `enable` flag is off.
    #[error("user '{0}' is disabled")]
    Disabled(String),
    /// The user's `expire` date has passed.
    #[error("user '{0}' access expired")]
    Expired(String),
    /// The realm is not in `domains.cfg`.
    #[error("auth domain '{0}' does not exist")]
    NoSuchRealm(String),
    /// A realm type this crate cannot check passwords for.
    #[error("realm type '{0}' does not support password authentication here")]
    UnsupportedRealm(String),
    /// The password or token secret was rejected (text from the realm).
    #[error("{0}")]
    Rejected(String),
    /// The token id does not have the `user@realm!token` shape.
    #[error("'{0}' is not a valid token ID - not able to split into user and token parts")]
    InvalidTokenid(String),
    /// The header value has no `=` between token id and secret.
    #[error("no tokenid specified")]
    NoTokenid,
    /// The token is not in `user.cfg`.
    #[error("no such token '{token}' for user '{user}'")]
    NoSuchToken {
        /// The owning user.
        user: String,
        /// The token name.
        token: String,
    },
    /// The token's `expire` date has passed.
    #[error("token '{0}' access expired")]
    TokenExpired(String),
    /// The secret does not match `token.cfg`.
    #[error("invalid token value!")]
    InvalidTokenValue,
}

impl From<AuthFailure> for AuthError {
    fn from(f: AuthFailure) -> Self {
        AuthError::Rejected(f.0)
    }
}

/// The user's entry when it exists, is enabled and has not expired at `now`.
pub fn check_user_enabled<'a>(
    cfg: &'a UserConfig,
    userid: &str,
    now: i64,
) -> Result<&'a User, AuthError> {
    let user = cfg
        .users
        .get(userid)
        .ok_or_else(|| AuthError::NoSuchUser(userid.to_string()))?;
    if !user.enable {
        return Err(AuthError::Disabled(userid.to_string()));
    }
    if user.expire > 0 && i64::try_from(user.expire).unwrap_or(i64::MAX) < now {
        return Err(AuthError::Expired(userid.to_string()));
    }
    Ok(user)
}

/// The `pve` realm: hashes in `priv/shadow.cfg`, keyed by the realm-local user name.
#[derive(Debug, Clone, Copy)]
pub struct PveRealm<'a> {
    /// The parsed `priv/shadow.cfg`.
    pub shadow: &'a ShadowConfig,
}

impl Authenticator for PveRealm<'_> {
    fn authenticate(&self, user: &str, password: &str, _: Option<&str>) -> Result<(), AuthFailure> {
        if password.is_empty() {
            return Err(AuthFailure("no password".into()));
        }
        let hash = self
            .shadow
            .users
            .get(user)
            .ok_or_else(|| AuthFailure("no password set".into()))?;
        if verify_password(password, hash) {
            Ok(())
        } else {
            Err(AuthFailure("invalid credentials".into()))
        }
    }
}

/// Password login against the configured realms.
pub struct PasswordLogin<'a> {
    /// The parsed `user.cfg`.
    pub users: &'a UserConfig,
    /// The parsed `domains.cfg`.
    pub domains: &'a DomainsConfig,
    /// The parsed `priv/shadow.cfg`.
    pub shadow: &'a ShadowConfig,
    /// The authenticator for `pam` realms.
    pub pam: &'a dyn Authenticator,
}

impl PasswordLogin<'_> {
    /// Checks that `userid` may log in at `now` and that `password` is right for it.
    pub fn authenticate(
        &self,
        userid: &str,
        password: &str,
        rhost: Option<&str>,
        now: i64,
    ) -> Result<Userid, AuthError> {
        let parsed: Userid = userid
            .parse()
            .map_err(|_| AuthError::InvalidUserid(userid.to_string()))?;
        check_user_enabled(self.users, userid, now)?;
        let realm = self
            .domains
            .get(parsed.realm())
            .ok_or_else(|| AuthError::NoSuchRealm(parsed.realm().to_string()))?;
        match realm.section_type.as_str() {
            "pam" => self.pam.authenticate(parsed.name(), password, rhost)?,
            "pve" => PveRealm {
                shadow: self.shadow,
            }
            .authenticate(parsed.name(), password, rhost)?,
            other => return Err(AuthError::UnsupportedRealm(other.to_string())),
        }
        Ok(parsed)
    }
}

/// Splits an `Authorization` header value of the `PVEAPIToken` scheme
/// (`PVEAPIToken=<tokenid>=<secret>`, or a space after the scheme) into the
/// `<tokenid>=<secret>` part.
pub fn token_from_authorization(header: &str) -> Option<&str> {
    let rest = header.strip_prefix("PVEAPIToken")?;
    rest.strip_prefix('=').or_else(|| rest.strip_prefix(' '))
}

/// API token verification against `user.cfg` and `priv/token.cfg`.
pub struct TokenLogin<'a> {
    /// The parsed `user.cfg`.
    pub users: &'a UserConfig,
    /// The parsed `priv/token.cfg`.
    pub secrets: &'a TokenSecrets,
}

impl TokenLogin<'_> {
    /// Verifies `<user@realm!token>=<secret>`: the user must be enabled, the token must
    /// exist and not be expired, and the secret must match (compared in constant time).
    pub fn verify(&self, value: &str, now: i64) -> Result<Authid, AuthError> {
        let (tokenid, secret) = value.rsplit_once('=').ok_or(AuthError::NoTokenid)?;
        let authid: Authid = tokenid
            .parse()
            .ok()
            .filter(|a: &Authid| a.is_token())
            .ok_or_else(|| AuthError::InvalidTokenid(tokenid.to_string()))?;
        let user = authid.user().as_str();
        let token_name = authid
            .token_name()
            .map(|t| t.to_string())
            .unwrap_or_default();
        let entry = check_user_enabled(self.users, user, now)?;
        let token: &Token =
            entry
                .tokens
                .get(&token_name)
                .ok_or_else(|| AuthError::NoSuchToken {
                    user: user.to_string(),
                    token: token_name.clone(),
                })?;
        if token.expire > 0 && i64::try_from(token.expire).unwrap_or(i64::MAX) < now {
            return Err(AuthError::TokenExpired(token_name));
        }
        let stored = self.secrets.tokens.get(tokenid);
        match stored {
            Some(stored) if crate::ct_eq(stored.as_bytes(), secret.as_bytes()) => Ok(authid),
            _ => Err(AuthError::InvalidTokenValue),
        }
    }
}

/// A new token secret as upstream makes it: a random (version 4) UUID in lower case.
pub fn generate_token_secret() -> String {
    let mut b = [0u8; 16];
    OsRng.fill_bytes(&mut b);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h = hex::encode(b);
    format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

#[cfg(test)]
mod tests;
