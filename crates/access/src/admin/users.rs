//! Users in `user.cfg` and their `pve`-realm passwords in `priv/shadow.cfg`.
//!
//! Must not depend on: HTTP types (see the parent module).

use super::{
    non_empty, split_list, AdminError, TfaFile, DOMAINS_CFG, SHADOW_CFG, TFA_CFG, USER_CFG,
};
use crate::password::hash_password;
use virton_config::domains::DomainsConfig;
use virton_config::store::ConfigStore;
use virton_config::user_cfg::shadow::ShadowConfig;
use virton_config::user_cfg::syntax::is_userid;
use virton_config::user_cfg::{User, UserConfig};

/// The settable fields of a user; `None` leaves a field as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UserFields {
    /// Account enabled.
    pub enable: Option<bool>,
    /// Expiry (Unix seconds, 0 = never).
    pub expire: Option<u64>,
    /// First name.
    pub firstname: Option<String>,
    /// Last name.
    pub lastname: Option<String>,
    /// E-mail address.
    pub email: Option<String>,
    /// Comment.
    pub comment: Option<String>,
    /// Legacy second-factor keys.
    pub keys: Option<String>,
    /// Group list (`,`-separated).
    pub groups: Option<String>,
}

/// Checks the user id syntax with upstream's wording.
pub fn verify_userid(userid: &str) -> Result<(), AdminError> {
    if is_userid(userid) {
        Ok(())
    } else {
        Err(AdminError::failed(format!(
            "value '{userid}' does not look like a valid user name"
        )))
    }
}

fn realm_of(userid: &str) -> (&str, &str) {
    userid.rsplit_once('@').unwrap_or((userid, ""))
}

fn add_groups(cfg: &mut UserConfig, userid: &str, groups: Option<&str>) -> Result<(), AdminError> {
    for group in split_list(groups) {
        let g = cfg
            .groups
            .get_mut(&group)
            .ok_or_else(|| AdminError::failed(format!("no such group '{group}'")))?;
        g.members.insert(userid.to_string());
    }
    Ok(())
}

fn apply_text(user: &mut User, f: &UserFields) {
    let set = |slot: &mut Option<String>, v: &Option<String>| {
        if let Some(v) = v {
            *slot = non_empty(v);
        }
    };
    set(&mut user.firstname, &f.firstname);
    set(&mut user.lastname, &f.lastname);
    set(&mut user.email, &f.email);
    set(&mut user.comment, &f.comment);
    set(&mut user.keys, &f.keys);
}

/// Stores a new password for `userid` in its realm (only the `pve` realm keeps
/// passwords here). Caller holds the `user.cfg` lock or none.
pub fn set_password(store: &ConfigStore, userid: &str, password: &str) -> Result<(), AdminError> {
    let (name, realm) = realm_of(userid);
    let domains: DomainsConfig = super::read(store, DOMAINS_CFG)?;
    let kind = match domains.get(realm) {
        Some(section) => section.section_type.clone(),
        None if realm == "pve" || realm == "pam" => realm.to_string(),
        None => {
            return Err(AdminError::failed(format!(
                "auth domain '{realm}' does not exist"
            )))
        }
    };
    if kind != "pve" {
        return Err(AdminError::failed(format!(
            "can't set password on auth type '{kind}'"
        )));
    }
    let hash =
        hash_password(password).ok_or_else(|| AdminError::failed("unable to hash password"))?;
    store.update::<ShadowConfig, _, AdminError>(SHADOW_CFG, None, |shadow| {
        shadow.users.insert(name.to_string(), hash);
        Ok(())
    })
}

/// Creates a user (and sets its password when given).
pub fn create_user(
    store: &ConfigStore,
    userid: &str,
    fields: &UserFields,
    password: Option<&str>,
) -> Result<(), AdminError> {
    verify_userid(userid)?;
    store
        .update::<UserConfig, _, AdminError>(USER_CFG, None, |cfg| {
            if cfg.users.contains_key(userid) {
                return Err(AdminError::failed(format!(
                    "user '{userid}' already exists"
                )));
            }
            add_groups(cfg, userid, fields.groups.as_deref())?;
            if let Some(pw) = password {
                set_password(store, userid, pw)?;
            }
            let mut user = User {
                enable: fields.enable.unwrap_or(true),
                expire: fields.expire.unwrap_or(0),
                ..Default::default()
            };
            apply_text(&mut user, fields);
            cfg.users.insert(userid.to_string(), user);
            cfg.sync_user_groups();
            Ok(())
        })
        .map_err(|e| e.context("create user failed"))
}

/// Updates a user; with `append`, listed groups are added to the current ones instead
/// of replacing them.
pub fn update_user(
    store: &ConfigStore,
    userid: &str,
    fields: &UserFields,
    append: bool,
) -> Result<(), AdminError> {
    verify_userid(userid)?;
    store
        .update::<UserConfig, _, AdminError>(USER_CFG, None, |cfg| {
            if !cfg.users.contains_key(userid) {
                return Err(AdminError::failed(format!("no such user ('{userid}')")));
            }
            if !append && fields.groups.is_some() {
                for g in cfg.groups.values_mut() {
                    g.members.remove(userid);
                }
            }
            add_groups(cfg, userid, fields.groups.as_deref())?;
            if let Some(user) = cfg.users.get_mut(userid) {
                if let Some(e) = fields.enable {
                    user.enable = e;
                }
                if let Some(x) = fields.expire {
                    user.expire = x;
                }
                apply_text(user, fields);
            }
            cfg.sync_user_groups();
            Ok(())
        })
        .map_err(|e| e.context("update user failed"))
}

/// Deletes a user with its password, second factors, group memberships, ACL entries
/// and tokens (secrets too).
pub fn delete_user(store: &ConfigStore, userid: &str) -> Result<(), AdminError> {
    verify_userid(userid)?;
    let (name, realm) = realm_of(userid);
    store
        .update::<TfaFile, _, AdminError>(TFA_CFG, None, |tfa| {
            store.update::<UserConfig, _, AdminError>(USER_CFG, None, |cfg| {
                let user = cfg
                    .users
                    .remove(userid)
                    .ok_or_else(|| AdminError::failed(format!("no such user ('{userid}')")))?;
                for g in cfg.groups.values_mut() {
                    g.members.remove(userid);
                }
                let tokens: Vec<String> = user
                    .tokens
                    .keys()
                    .map(|t| format!("{userid}!{t}"))
                    .collect();
                for node in cfg.acl.values_mut() {
                    node.users.remove(userid);
                    for t in &tokens {
                        node.tokens.remove(t);
                    }
                }
                cfg.acl.retain(|_, node| !node.is_empty());
                super::tokens::remove_secrets(store, &tokens)?;
                if realm == "pve" {
                    store.update::<ShadowConfig, _, AdminError>(SHADOW_CFG, None, |s| {
                        s.users.remove(name);
                        Ok(())
                    })?;
                }
                Ok(())
            })?;
            tfa.0.users.remove(userid);
            Ok(())
        })
        .map_err(|e| e.context("delete user failed"))
}
