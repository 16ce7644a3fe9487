//! ACL entries in `user.cfg`: adding and removing role assignments.
//!
//! Must not depend on: HTTP types (see the parent module).

use super::{checks, split_list, AdminError, USER_CFG};
use crate::perm::{normalize_path, Permissions, PrivMap};
use virton_config::store::ConfigStore;
use virton_config::user_cfg::privileges::NO_ACCESS;
use virton_config::user_cfg::syntax::{is_userid, split_tokenid};
use virton_config::user_cfg::{RoleAssignments, UserConfig};

/// One `PUT /access/acl` request.
#[derive(Debug, Clone, Default)]
pub struct AclUpdate<'a> {
    /// The ACL path as given.
    pub path: &'a str,
    /// Role list.
    pub roles: &'a str,
    /// User list.
    pub users: Option<&'a str>,
    /// Group list.
    pub groups: Option<&'a str>,
    /// Token list.
    pub tokens: Option<&'a str>,
    /// Propagate to sub-paths (default on).
    pub propagate: Option<bool>,
    /// Remove instead of add.
    pub delete: bool,
}

fn is_word(s: &str, extra: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || extra.contains(c))
}

/// Upstream's list of paths an ACL may be set on.
pub fn is_valid_acl_path(path: &str) -> bool {
    let id = |s: &str| is_word(s, ".-_");
    let alnum = |s: &str| is_word(s, "");
    let parts: Vec<&str> = match path.strip_prefix('/') {
        Some("") => return true,
        Some(rest) => rest.split('/').collect(),
        None => return false,
    };
    match parts.as_slice() {
        ["access"] | ["access", "groups"] | ["access", "realm"] => true,
        ["access", "groups" | "realm", x] => id(x),
        ["nodes"] | ["pool"] | ["sdn"] | ["storage"] | ["vms"] | ["mapping"] => true,
        ["nodes" | "storage", x] => id(x),
        ["pool", rest @ ..] => rest.len() <= 3 && rest.iter().all(|p| id(p)),
        ["vms", x] => x.len() >= 3 && !x.starts_with('0') && x.chars().all(|c| c.is_ascii_digit()),
        ["mapping", rest @ ..] => rest.len() <= 2 && rest.iter().all(|p| id(p)),
        ["sdn", kind] => matches!(
            *kind,
            "controllers" | "dns" | "fabrics" | "ipams" | "prefix-lists" | "route-maps" | "zones"
        ),
        ["sdn", "controllers", x] => is_word(x, "_-"),
        ["sdn", "dns" | "fabrics" | "ipams" | "prefix-lists" | "route-maps", x] => alnum(x),
        ["sdn", "zones", rest @ ..] => sdn_zone_path(rest),
        _ => false,
    }
}

fn sdn_zone_path(rest: &[&str]) -> bool {
    let id = |s: &str| is_word(s, ".-_");
    match rest {
        [z] => id(z),
        [z, b] => id(z) && id(b),
        [z, b, vlan] => {
            id(z)
                && id(b)
                && (1..=4).contains(&vlan.len())
                && !vlan.starts_with('0')
                && vlan.chars().all(|c| c.is_ascii_digit())
        }
        _ => false,
    }
}

/// Refuses roles the caller could not grant without `Permissions.Modify`.
fn check_grantable(
    cfg: &UserConfig,
    held: &PrivMap,
    role: &str,
    propagate: bool,
    delete: bool,
) -> Result<(), AdminError> {
    if held.contains_key("Permissions.Modify") {
        return Ok(());
    }
    let verb = if delete { "remove" } else { "add" };
    for p in cfg.role_privileges(role).unwrap_or_default() {
        let Some(&held_prop) = held.get(p) else {
            return Err(AdminError::param(
                "role",
                format!("Cannot {verb} role '{role}' - requires 'Permissions.Modify' or superset of privileges."),
            ));
        };
        if propagate && !held_prop && !delete {
            return Err(AdminError::param("role", format!("Cannot {verb} role '{role}' with propagation - requires 'Permissions.Modify' or propagated superset of privileges.")));
        }
    }
    if role == NO_ACCESS {
        return Err(AdminError::param(
            "role",
            format!("Cannot {verb} role '{role}' - requires 'Permissions.Modify'"),
        ));
    }
    Ok(())
}

fn assign(
    map: &mut std::collections::BTreeMap<String, RoleAssignments>,
    who: &str,
    role: &str,
    prop: Option<bool>,
) {
    match prop {
        Some(p) => {
            map.entry(who.to_string())
                .or_default()
                .insert(role.to_string(), p);
        }
        None => {
            if let Some(roles) = map.get_mut(who) {
                roles.remove(role);
                if roles.is_empty() {
                    map.remove(who);
                }
            }
        }
    }
}

/// Validates the request's shape and returns the normalized path.
fn checked_path(upd: &AclUpdate) -> Result<String, AdminError> {
    let empty = |v: Option<&str>| v.unwrap_or("").is_empty();
    if empty(upd.users) && empty(upd.groups) && empty(upd.tokens) {
        return Err(AdminError::param(
            "users",
            "either 'users', 'groups' or 'tokens' is required.",
        ));
    }
    let bad = || AdminError::param("path", format!("invalid ACL path '{}'", upd.path));
    let path = normalize_path(upd.path).ok_or_else(bad)?;
    if !upd.delete && !is_valid_acl_path(&path) {
        return Err(bad());
    }
    Ok(path)
}

/// Adds or removes role assignments as `authid`, with upstream's checks.
pub fn update_acl(store: &ConfigStore, authid: &str, upd: &AclUpdate) -> Result<(), AdminError> {
    let path = checked_path(upd)?;
    let propagate = upd.propagate.unwrap_or(true);
    let result = store.update::<UserConfig, _, AdminError>(USER_CFG, None, |cfg| {
        let perms = Permissions::new(cfg);
        checks::check_perm_modify(&perms, authid, &path)?;
        let held = perms.permissions(authid, &path);
        let snapshot = cfg.clone();
        let value = (!upd.delete).then_some(propagate);
        for role in split_list(Some(upd.roles)) {
            if !snapshot.has_role(&role) {
                return Err(AdminError::failed(format!("role '{role}' does not exist")));
            }
            check_grantable(&snapshot, &held, &role, propagate, upd.delete)?;
            let node = cfg.acl.entry(path.clone()).or_default();
            for group in split_list(upd.groups) {
                if !snapshot.groups.contains_key(&group) {
                    return Err(AdminError::failed(format!(
                        "group '{group}' does not exist"
                    )));
                }
                assign(&mut node.groups, &group, &role, value);
            }
            for user in split_list(upd.users) {
                if !is_userid(&user) {
                    return Err(AdminError::failed(format!(
                        "value '{user}' does not look like a valid user name"
                    )));
                }
                if !snapshot.users.contains_key(&user) {
                    return Err(AdminError::failed(format!("user '{user}' does not exist")));
                }
                assign(&mut node.users, &user, &role, value);
            }
            for token in split_list(upd.tokens) {
                check_token(&snapshot, &token)?;
                assign(&mut node.tokens, &token, &role, value);
            }
        }
        cfg.acl.retain(|_, node| !node.is_empty());
        Ok(())
    });
    result.map_err(|e| e.context("ACL update failed"))
}

fn check_token(cfg: &UserConfig, tokenid: &str) -> Result<(), AdminError> {
    let (user, token) = split_tokenid(tokenid).ok_or_else(|| {
        AdminError::failed(format!(
            "'{tokenid}' is not a valid token ID - not able to split into user and token parts"
        ))
    })?;
    let u = cfg
        .users
        .get(user)
        .ok_or_else(|| AdminError::failed(format!("no such user ('{user}')")))?;
    if !u.tokens.contains_key(token) {
        return Err(AdminError::failed(format!(
            "no such token '{token}' for user '{user}'"
        )));
    }
    Ok(())
}

/// One ACL entry as the list method returns it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AclEntry {
    /// The path.
    pub path: String,
    /// `user`, `group` or `token`.
    pub kind: &'static str,
    /// The user, group or token id.
    pub ugid: String,
    /// The role.
    pub roleid: String,
    /// Propagates to sub-paths.
    pub propagate: bool,
}

/// The ACL entries `authid` may see: all with `Sys.Audit` on `/access`, otherwise
/// those on paths where it may modify permissions.
pub fn visible_acl(perms: &Permissions, authid: &str) -> Vec<AclEntry> {
    let audit = authid == virton_config::user_cfg::ROOT_USER
        || perms
            .check(authid, "/access", &["Sys.Audit"], false)
            .is_ok();
    let mut out = Vec::new();
    for (path, node) in &perms.config().acl {
        if !audit && checks::check_perm_modify(perms, authid, path).is_err() {
            continue;
        }
        let kinds = [
            ("user", &node.users),
            ("group", &node.groups),
            ("token", &node.tokens),
        ];
        for (kind, map) in kinds {
            for (id, roles) in map {
                for (role, &propagate) in roles {
                    out.push(AclEntry {
                        path: path.clone(),
                        kind,
                        ugid: id.clone(),
                        roleid: role.clone(),
                        propagate,
                    });
                }
            }
        }
    }
    out
}
