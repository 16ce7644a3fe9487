//! API tokens: their entries in `user.cfg` and their secrets in `priv/token.cfg`.
//!
//! Must not depend on: HTTP types (see the parent module).

use super::{non_empty, split_list, AdminError, TOKEN_CFG, USER_CFG};
use crate::auth::generate_token_secret;
use virton_config::store::ConfigStore;
use virton_config::user_cfg::token::TokenSecrets;
use virton_config::user_cfg::{Token, UserConfig};

/// Settable token fields; `None` leaves a field as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TokenFields {
    /// Expiry (Unix seconds, 0 = never).
    pub expire: Option<u64>,
    /// Privilege separation.
    pub privsep: Option<bool>,
    /// Comment.
    pub comment: Option<String>,
}

/// A new or regenerated token: its entry, full id and secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewToken {
    /// The entry as stored.
    pub info: Token,
    /// `user@realm!name`.
    pub full_tokenid: String,
    /// The secret, shown once.
    pub value: Option<String>,
}

fn no_user(userid: &str) -> AdminError {
    AdminError::failed(format!("no such user ('{userid}')"))
}

fn no_token(userid: &str, tokenid: &str) -> AdminError {
    AdminError::failed(format!("no such token '{tokenid}' for user '{userid}'"))
}

/// The token entry, or upstream's error.
pub fn read_token<'a>(
    cfg: &'a UserConfig,
    userid: &str,
    tokenid: &str,
) -> Result<&'a Token, AdminError> {
    cfg.users
        .get(userid)
        .ok_or_else(|| no_user(userid))?
        .tokens
        .get(tokenid)
        .ok_or_else(|| no_token(userid, tokenid))
}

fn store_secret(store: &ConfigStore, full: &str) -> Result<String, AdminError> {
    let secret = generate_token_secret();
    store.update::<TokenSecrets, _, AdminError>(TOKEN_CFG, None, |t| {
        t.tokens.insert(full.to_string(), secret.clone());
        Ok(())
    })?;
    Ok(secret)
}

/// Removes the secrets of these full token ids.
pub fn remove_secrets(store: &ConfigStore, full_ids: &[String]) -> Result<(), AdminError> {
    if full_ids.is_empty() {
        return Ok(());
    }
    store.update::<TokenSecrets, _, AdminError>(TOKEN_CFG, None, |t| {
        for id in full_ids {
            t.tokens.remove(id);
        }
        Ok(())
    })
}

/// Creates a token with a new secret.
pub fn generate_token(
    store: &ConfigStore,
    userid: &str,
    tokenid: &str,
    fields: &TokenFields,
) -> Result<NewToken, AdminError> {
    let (cfg, _) = store.read::<UserConfig>(USER_CFG)?;
    if read_token(&cfg, userid, tokenid).is_ok() {
        return Err(AdminError::param("tokenid", "Token already exists."));
    }
    store
        .update::<UserConfig, _, AdminError>(USER_CFG, None, |cfg| {
            let user = cfg.users.get_mut(userid).ok_or_else(|| no_user(userid))?;
            if user.tokens.contains_key(tokenid) {
                return Err(AdminError::failed("Token already exists."));
            }
            let full = format!("{userid}!{tokenid}");
            let value = store_secret(store, &full)?;
            let info = Token {
                expire: fields.expire.unwrap_or(0),
                privsep: fields.privsep.unwrap_or(true),
                comment: fields.comment.as_deref().and_then(non_empty),
            };
            user.tokens.insert(tokenid.to_string(), info.clone());
            Ok(NewToken {
                info,
                full_tokenid: full,
                value: Some(value),
            })
        })
        .map_err(|e| e.context("generating token failed"))
}

/// Updates a token; `delete` may name `comment`; `regenerate` makes a new secret.
pub fn update_token(
    store: &ConfigStore,
    userid: &str,
    tokenid: &str,
    fields: &TokenFields,
    delete: Option<&str>,
    regenerate: bool,
) -> Result<NewToken, AdminError> {
    let deletes = split_list(delete);
    if let Some(bad) = deletes.iter().find(|k| *k != "comment") {
        return Err(AdminError::param(
            "delete",
            format!("unknown option '{bad}'"),
        ));
    }
    store
        .update::<UserConfig, _, AdminError>(USER_CFG, None, |cfg| {
            read_token(cfg, userid, tokenid)?;
            let full = format!("{userid}!{tokenid}");
            let value = regenerate.then(|| store_secret(store, &full)).transpose()?;
            let token = cfg
                .users
                .get_mut(userid)
                .and_then(|u| u.tokens.get_mut(tokenid))
                .ok_or_else(|| no_token(userid, tokenid))?;
            if let Some(p) = fields.privsep {
                token.privsep = p;
            }
            if let Some(x) = fields.expire {
                token.expire = x;
            }
            if let Some(c) = &fields.comment {
                token.comment = non_empty(c);
            }
            if !deletes.is_empty() {
                token.comment = None;
            }
            Ok(NewToken {
                info: token.clone(),
                full_tokenid: full,
                value,
            })
        })
        .map_err(|e| e.context("updating token info failed"))
}

/// Deletes a token, its secret and its ACL entries.
pub fn remove_token(store: &ConfigStore, userid: &str, tokenid: &str) -> Result<(), AdminError> {
    store
        .update::<UserConfig, _, AdminError>(USER_CFG, None, |cfg| {
            read_token(cfg, userid, tokenid)?;
            let full = format!("{userid}!{tokenid}");
            remove_secrets(store, std::slice::from_ref(&full))?;
            if let Some(u) = cfg.users.get_mut(userid) {
                u.tokens.remove(tokenid);
            }
            for node in cfg.acl.values_mut() {
                node.tokens.remove(&full);
            }
            cfg.acl.retain(|_, node| !node.is_empty());
            Ok(())
        })
        .map_err(|e| e.context("deleting token failed"))
}
