//! Permission rules of the user-management endpoints that a method's declared
//! permission cannot express: `userid-group` (with its `groups` parameter variants),
//! `userid-param(Realm.AllocateUser)`, `perm-modify`, and the group filters of the
//! list methods. `root@pam` passes every rule, as upstream's check does.
//!
//! Must not depend on: file I/O (callers pass the parsed `user.cfg`).

use super::{split_list, AdminError};
use crate::perm::Permissions;
use std::collections::BTreeSet;
use virton_config::user_cfg::ROOT_USER;

/// How a `userid-group` rule looks at the `groups` parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupsParam<'a> {
    /// The rule ignores `groups`; the target user must exist.
    Ignored,
    /// Creating a user: every listed group must be allowed; the user need not exist.
    Create(Option<&'a str>),
    /// Updating a user: every listed group must be allowed, and the user too.
    Update(Option<&'a str>),
}

/// Groups on which `authid` holds any of `privs`.
pub fn allowed_groups(perms: &Permissions, authid: &str, privs: &[&str]) -> BTreeSet<String> {
    perms
        .config()
        .groups
        .keys()
        .filter(|g| holds_any(perms, authid, &format!("/access/groups/{g}"), privs))
        .cloned()
        .collect()
}

/// Members of `groups`.
pub fn group_members(perms: &Permissions, groups: &BTreeSet<String>) -> BTreeSet<String> {
    groups
        .iter()
        .filter_map(|g| perms.config().groups.get(g))
        .flat_map(|g| g.members.iter().cloned())
        .collect()
}

fn holds_any(perms: &Permissions, authid: &str, path: &str, privs: &[&str]) -> bool {
    let held = perms.permissions(authid, path);
    privs.iter().any(|p| held.contains_key(*p))
}

/// True when `authid` may act on `target` under `userid-group(privs)`: any of `privs`
/// on `/access/groups`, or on a group `target` is a member of.
pub fn user_group_allowed(perms: &Permissions, authid: &str, target: &str, privs: &[&str]) -> bool {
    if authid == ROOT_USER || holds_any(perms, authid, "/access/groups", privs) {
        return true;
    }
    group_members(perms, &allowed_groups(perms, authid, privs)).contains(target)
}

/// Upstream's `userid-group` rule, with its errors: a missing target user is
/// `no such user ('x')`, a group not allowed names the group.
pub fn check_userid_group(
    perms: &Permissions,
    authid: &str,
    target: &str,
    privs: &[&str],
    groups: GroupsParam,
) -> Result<(), AdminError> {
    if authid == ROOT_USER {
        return Ok(());
    }
    let check_existing = !matches!(groups, GroupsParam::Create(_));
    if check_existing && !perms.config().users.contains_key(target) {
        return Err(AdminError::failed(format!("no such user ('{target}')")));
    }
    if holds_any(perms, authid, "/access/groups", privs) {
        return Ok(());
    }
    let allowed = allowed_groups(perms, authid, privs);
    if let GroupsParam::Create(list) | GroupsParam::Update(list) = groups {
        let named = split_list(list);
        if named.is_empty() {
            return Err(AdminError::denied_on(format!(
                "/access/groups, {}",
                privs.join("|")
            )));
        }
        if let Some(g) = named.iter().find(|g| !allowed.contains(*g)) {
            return Err(AdminError::denied_on(format!(
                "/access/groups/{g}, {}",
                privs.join("|")
            )));
        }
    }
    if check_existing && !group_members(perms, &allowed).contains(target) {
        return Err(AdminError::denied());
    }
    Ok(())
}

/// Upstream's `userid-param(Realm.AllocateUser)`: the privilege on the target's realm.
pub fn check_realm_allocate_user(
    perms: &Permissions,
    authid: &str,
    target: &str,
) -> Result<(), AdminError> {
    if authid == ROOT_USER {
        return Ok(());
    }
    let realm = target.rsplit_once('@').map(|(_, r)| r).unwrap_or("");
    perms.check(
        authid,
        &format!("/access/realm/{realm}"),
        &["Realm.AllocateUser"],
        false,
    )?;
    Ok(())
}

/// Upstream's `userid-param(self)`: the target exists and is the caller.
pub fn is_self(perms: &Permissions, authid: &str, target: &str) -> bool {
    authid == target && perms.config().users.contains_key(target)
}

/// Upstream's `perm-modify` rule on an ACL path (root passes).
pub fn check_perm_modify(perms: &Permissions, authid: &str, path: &str) -> Result<(), AdminError> {
    if authid == ROOT_USER {
        return Ok(());
    }
    perms.check_perm_modify(authid, Some(path))?;
    Ok(())
}
