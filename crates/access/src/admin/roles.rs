//! Custom roles in `user.cfg`; built-in roles are read-only.
//!
//! Must not depend on: HTTP types (see the parent module).

use super::{split_list, AdminError, USER_CFG};
use std::collections::BTreeSet;
use virton_config::store::ConfigStore;
use virton_config::user_cfg::privileges::{is_builtin_role, is_valid_privilege};
use virton_config::user_cfg::syntax::is_group_or_role_name;
use virton_config::user_cfg::UserConfig;

fn missing(role: &str) -> AdminError {
    AdminError::failed(format!("role '{role}' does not exist"))
}

/// Parses a privilege list, failing on the first unknown privilege.
pub fn parse_privs(privs: Option<&str>) -> Result<BTreeSet<String>, AdminError> {
    split_list(privs)
        .into_iter()
        .map(|p| {
            if is_valid_privilege(&p) {
                Ok(p)
            } else {
                Err(AdminError::failed(format!("invalid privilege '{p}'")))
            }
        })
        .collect()
}

/// Creates a custom role; names in the `PVE` namespace are refused.
pub fn create_role(store: &ConfigStore, role: &str, privs: Option<&str>) -> Result<(), AdminError> {
    if !is_group_or_role_name(role) {
        return Err(AdminError::param(
            "roleid",
            format!("role name '{role}' contains invalid characters"),
        ));
    }
    if role.len() >= 3 && role[..3].eq_ignore_ascii_case("pve") {
        return Err(AdminError::param(
            "roleid",
            "cannot use role ID starting with the (case-insensitive) 'PVE' namespace",
        ));
    }
    store
        .update::<UserConfig, _, AdminError>(USER_CFG, None, |cfg| {
            if cfg.has_role(role) {
                return Err(AdminError::failed(format!("role '{role}' already exists")));
            }
            let set = parse_privs(privs)?;
            cfg.roles.insert(role.to_string(), set);
            Ok(())
        })
        .map_err(|e| e.context("create role failed"))
}

/// Replaces (or with `append` extends) a custom role's privileges.
pub fn update_role(
    store: &ConfigStore,
    role: &str,
    privs: Option<&str>,
    append: bool,
) -> Result<(), AdminError> {
    if is_builtin_role(role) {
        return Err(AdminError::failed(format!(
            "auto-generated role '{role}' cannot be modified"
        )));
    }
    store
        .update::<UserConfig, _, AdminError>(USER_CFG, None, |cfg| {
            let set = cfg.roles.get_mut(role).ok_or_else(|| missing(role))?;
            let new = parse_privs(privs)?;
            if !append {
                set.clear();
            }
            set.extend(new);
            Ok(())
        })
        .map_err(|e| e.context("update role failed"))
}

/// Deletes a custom role.
pub fn delete_role(store: &ConfigStore, role: &str) -> Result<(), AdminError> {
    if is_builtin_role(role) {
        return Err(AdminError::failed(format!(
            "auto-generated role '{role}' cannot be deleted"
        )));
    }
    store
        .update::<UserConfig, _, AdminError>(USER_CFG, None, |cfg| {
            cfg.roles.remove(role).ok_or_else(|| missing(role))?;
            Ok(())
        })
        .map_err(|e| e.context("delete role failed"))
}

/// A role's privileges (built-in or custom), or upstream's error.
pub fn read_role(cfg: &UserConfig, role: &str) -> Result<BTreeSet<String>, AdminError> {
    cfg.role_privileges(role)
        .map(|s| s.into_iter().map(str::to_string).collect())
        .ok_or_else(|| missing(role))
}
