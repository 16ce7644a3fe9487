//! Changes to the access-control files as the `/access` and `/pools` API makes them:
//! users, groups, roles, the ACL, pools and API tokens in `user.cfg`, password hashes
//! in `priv/shadow.cfg`, token secrets in `priv/token.cfg`, second factors in
//! `priv/tfa.cfg` and realms in `domains.cfg`; plus the login flow that ties passwords,
//! tickets and second factors together, and the permission rules that the route table
//! cannot express (`userid-group`, `userid-param`, `perm-modify`).
//!
//! Every change goes through [`ConfigStore::update`]: lock, read, check, change, write,
//! so a failed check writes nothing. Files are always locked in one order: `tfa.cfg`,
//! then `user.cfg`, then `shadow.cfg` / `token.cfg`. Error texts are upstream's.
//!
//! Must not depend on: the router or any HTTP type (callers map [`AdminError`]).

pub mod acl;
pub mod checks;
pub mod groups;
pub mod login;
pub mod pools;
pub mod realms;
pub mod roles;
pub mod tfa;
pub mod tokens;
pub mod users;

#[cfg(test)]
mod tests;

use crate::perm::PermissionError;
use crate::tfa::TfaConfig;
use virton_config::store::{ConfigStore, StoreError};
use virton_config::{Format, ParseError};

/// `user.cfg`, relative to `/etc/pve`.
pub const USER_CFG: &str = "user.cfg";
/// `priv/shadow.cfg`.
pub const SHADOW_CFG: &str = "priv/shadow.cfg";
/// `priv/token.cfg`.
pub const TOKEN_CFG: &str = "priv/token.cfg";
/// `priv/tfa.cfg`.
pub const TFA_CFG: &str = "priv/tfa.cfg";
/// `domains.cfg`.
pub const DOMAINS_CFG: &str = "domains.cfg";

/// A change was refused or failed.
#[derive(Debug, thiserror::Error)]
pub enum AdminError {
    /// Upstream's `die` text (HTTP 500).
    #[error("{0}")]
    Failed(String),
    /// A bad value of one parameter (HTTP 400).
    #[error("{param}: {message}")]
    Param {
        /// The parameter name.
        param: String,
        /// What is wrong with it.
        message: String,
    },
    /// The caller may not do this (HTTP 403); the whole message.
    #[error("{0}")]
    Denied(String),
    /// Reading or writing a file failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl AdminError {
    /// A 500 with this text.
    pub fn failed(message: impl Into<String>) -> Self {
        AdminError::Failed(message.into())
    }

    /// A 400 on `param`.
    pub fn param(param: impl Into<String>, message: impl Into<String>) -> Self {
        AdminError::Param {
            param: param.into(),
            message: message.into(),
        }
    }

    /// Upstream's bare `Permission check failed`.
    pub fn denied() -> Self {
        AdminError::Denied("Permission check failed".into())
    }

    /// `Permission check failed (<what>)`.
    pub fn denied_on(what: impl std::fmt::Display) -> Self {
        AdminError::Denied(format!("Permission check failed ({what})"))
    }

    /// Prefixes a failure with what was being done, as upstream's config-lock wrapper
    /// does (`create user failed: ...`); permission and parameter errors stay as they are.
    pub fn context(self, what: &str) -> Self {
        match self {
            AdminError::Failed(m) => AdminError::Failed(format!("{what}: {m}")),
            AdminError::Store(StoreError::DigestMismatch(m)) => {
                AdminError::Store(StoreError::DigestMismatch(m))
            }
            AdminError::Store(e) => AdminError::Failed(format!("{what}: {e}")),
            other => other,
        }
    }
}

impl From<PermissionError> for AdminError {
    fn from(e: PermissionError) -> Self {
        match e {
            PermissionError::Denied { .. } => AdminError::Denied(e.to_string()),
            PermissionError::InvalidPrivilege(_) => AdminError::Failed(e.to_string()),
        }
    }
}

/// `priv/tfa.cfg` as a [`Format`], so that it goes through the config store.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TfaFile(pub TfaConfig);

impl Format for TfaFile {
    fn parse(file: &str, text: &str) -> Result<Self, ParseError> {
        TfaConfig::parse(text)
            .map(TfaFile)
            .map_err(|e| ParseError::new(file, e.to_string()))
    }

    fn write(&self) -> String {
        self.0.write()
    }
}

/// Splits a list parameter as upstream's `split_list` does (`,` `;` and whitespace).
pub fn split_list(list: Option<&str>) -> Vec<String> {
    list.unwrap_or("")
        .split(|c: char| c == ',' || c == ';' || c.is_ascii_whitespace() || c == '\0')
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// Reads one file through the store (no lock; a missing file is empty).
pub fn read<T: Format + Clone + PartialEq>(
    store: &ConfigStore,
    rel: &str,
) -> Result<T, AdminError> {
    Ok(store.read::<T>(rel)?.0.into_inner())
}

/// Text that is set when non-empty and cleared when empty (upstream keeps `""`, which
/// reads back as unset).
pub(crate) fn non_empty(v: &str) -> Option<String> {
    (!v.is_empty()).then(|| v.to_string())
}
