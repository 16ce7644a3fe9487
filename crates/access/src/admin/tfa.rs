//! Managing second factors in `priv/tfa.cfg` (TOTP and recovery keys; other kinds are
//! listed and deletable but cannot be added here). A user with any factor has the
//! `keys` marker `x` in `user.cfg`, as upstream keeps it.
//!
//! Must not depend on: HTTP types (see the parent module).

use super::{AdminError, TfaFile, TFA_CFG, USER_CFG};
use crate::tfa::totp::Totp;
use crate::tfa::{TfaEntry, TfaUser};
use virton_config::store::ConfigStore;
use virton_config::user_cfg::UserConfig;

/// One factor as the list methods show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TfaInfo {
    /// `totp`, `recovery`, `webauthn`, `u2f` or `yubico`.
    pub kind: &'static str,
    /// Entry id (`recovery` for the recovery keys).
    pub id: String,
    /// Description.
    pub description: String,
    /// Creation time.
    pub created: i64,
    /// Whether the entry is enabled.
    pub enable: bool,
}

/// The result of adding a factor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TfaAdded {
    /// The new entry's id.
    pub id: String,
    /// New recovery keys (shown once).
    pub recovery: Option<Vec<String>>,
}

fn info(kind: &'static str, e: &TfaEntry) -> TfaInfo {
    TfaInfo {
        kind,
        id: e.id.clone(),
        description: e.description.clone(),
        created: e.created,
        enable: e.enable,
    }
}

/// Every factor of one user, in upstream's order.
pub fn list_user(user: &TfaUser) -> Vec<TfaInfo> {
    let mut out: Vec<TfaInfo> = Vec::new();
    out.extend(user.totp.iter().map(|e| info("totp", e)));
    out.extend(user.u2f.iter().map(|e| info("u2f", e)));
    out.extend(user.webauthn.iter().map(|e| info("webauthn", e)));
    out.extend(user.yubico.iter().map(|e| info("yubico", e)));
    if let Some(r) = &user.recovery {
        out.push(TfaInfo {
            kind: "recovery",
            id: "recovery".into(),
            description: "recovery keys".into(),
            created: r.created,
            enable: true,
        });
    }
    out
}

/// Sets (or clears) the `keys` marker of a user in `user.cfg`.
fn mark_user(store: &ConfigStore, userid: &str, has_tfa: bool) -> Result<(), AdminError> {
    store
        .update::<UserConfig, _, AdminError>(USER_CFG, None, |cfg| {
            if let Some(u) = cfg.users.get_mut(userid) {
                u.keys = has_tfa.then(|| "x".to_string());
            }
            Ok(())
        })
        .map_err(|e| e.context("enabling TFA for the user failed"))
}

/// Adds a TOTP entry (checked against the current `value`) or recovery keys.
pub fn add_entry(
    store: &ConfigStore,
    userid: &str,
    kind: &str,
    description: Option<&str>,
    totp: Option<&str>,
    value: Option<&str>,
    now: i64,
) -> Result<TfaAdded, AdminError> {
    store.update::<TfaFile, _, AdminError>(TFA_CFG, None, |tfa| {
        let added = match kind {
            "totp" => {
                let uri = totp.ok_or_else(|| AdminError::failed("missing 'totp' parameter"))?;
                let code = value.ok_or_else(|| AdminError::failed("missing 'value' parameter"))?;
                let t =
                    Totp::from_uri(uri).ok_or_else(|| AdminError::failed("invalid totp uri"))?;
                if !t.verify(code, now) {
                    return Err(AdminError::failed("failed to verify TOTP challenge"));
                }
                let id = tfa
                    .0
                    .add_totp(userid, description.unwrap_or(""), uri, now)
                    .map_err(|e| AdminError::failed(e.to_string()))?;
                TfaAdded { id, recovery: None }
            }
            "recovery" => {
                let keys = tfa
                    .0
                    .add_recovery(userid, now)
                    .map_err(|e| AdminError::failed(e.to_string()))?;
                TfaAdded {
                    id: "recovery".into(),
                    recovery: Some(keys),
                }
            }
            other => {
                return Err(AdminError::failed(format!(
                    "{other} authentication is not supported"
                )))
            }
        };
        mark_user(store, userid, true)?;
        Ok(added)
    })
}

fn entry_lists(user: &mut TfaUser) -> [&mut Vec<TfaEntry>; 4] {
    [
        &mut user.totp,
        &mut user.u2f,
        &mut user.webauthn,
        &mut user.yubico,
    ]
}

/// Deletes one factor; the last one clears the user's marker.
pub fn delete_entry(store: &ConfigStore, userid: &str, id: &str) -> Result<(), AdminError> {
    store.update::<TfaFile, _, AdminError>(TFA_CFG, None, |tfa| {
        let user = tfa
            .0
            .users
            .get_mut(userid)
            .ok_or_else(|| AdminError::failed("no such entry"))?;
        let mut found = false;
        if id == "recovery" && user.recovery.is_some() {
            user.recovery = None;
            found = true;
        }
        for list in entry_lists(user) {
            let before = list.len();
            list.retain(|e| e.id != id);
            found |= list.len() != before;
        }
        if !found {
            return Err(AdminError::failed("no such entry"));
        }
        if list_user(user).is_empty() {
            tfa.0.users.remove(userid);
            mark_user(store, userid, false)?;
        }
        Ok(())
    })
}

/// Changes a factor's description or enabled state.
pub fn update_entry(
    store: &ConfigStore,
    userid: &str,
    id: &str,
    description: Option<&str>,
    enable: Option<bool>,
) -> Result<(), AdminError> {
    store.update::<TfaFile, _, AdminError>(TFA_CFG, None, |tfa| {
        let entry = tfa
            .0
            .users
            .get_mut(userid)
            .and_then(|u| {
                entry_lists(u)
                    .into_iter()
                    .flat_map(|l| l.iter_mut())
                    .find(|e| e.id == id)
            })
            .ok_or_else(|| AdminError::failed("no such entry"))?;
        if let Some(d) = description {
            entry.description = d.to_string();
        }
        if let Some(e) = enable {
            entry.enable = e;
        }
        Ok(())
    })
}

/// Clears the TOTP and TFA locks of a user; true when one was set.
pub fn unlock(store: &ConfigStore, userid: &str) -> Result<bool, AdminError> {
    store.update::<TfaFile, _, AdminError>(TFA_CFG, None, |tfa| {
        let Some(user) = tfa.0.users.get_mut(userid) else {
            return Ok(false);
        };
        let was = user.totp_locked || user.tfa_locked_until.is_some();
        user.totp_locked = false;
        user.tfa_locked_until = None;
        Ok(was)
    })
}
