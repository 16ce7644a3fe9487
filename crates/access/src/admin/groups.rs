//! Groups in `user.cfg`.
//!
//! Must not depend on: HTTP types (see the parent module).

use super::{non_empty, AdminError, USER_CFG};
use virton_config::store::ConfigStore;
use virton_config::user_cfg::syntax::is_group_or_role_name;
use virton_config::user_cfg::{Group, UserConfig};

fn missing(group: &str) -> AdminError {
    AdminError::failed(format!("group '{group}' does not exist"))
}

/// Creates a group.
pub fn create_group(
    store: &ConfigStore,
    group: &str,
    comment: Option<&str>,
) -> Result<(), AdminError> {
    if !is_group_or_role_name(group) {
        return Err(AdminError::param(
            "groupid",
            format!("group name '{group}' contains invalid characters"),
        ));
    }
    store
        .update::<UserConfig, _, AdminError>(USER_CFG, None, |cfg| {
            if cfg.groups.contains_key(group) {
                return Err(AdminError::failed(format!(
                    "group '{group}' already exists"
                )));
            }
            let g = Group {
                comment: comment.and_then(non_empty),
                ..Default::default()
            };
            cfg.groups.insert(group.to_string(), g);
            Ok(())
        })
        .map_err(|e| e.context("create group failed"))
}

/// Sets a group's comment.
pub fn update_group(
    store: &ConfigStore,
    group: &str,
    comment: Option<&str>,
) -> Result<(), AdminError> {
    store
        .update::<UserConfig, _, AdminError>(USER_CFG, None, |cfg| {
            let g = cfg.groups.get_mut(group).ok_or_else(|| missing(group))?;
            if let Some(c) = comment {
                g.comment = non_empty(c);
            }
            Ok(())
        })
        .map_err(|e| e.context("update group failed"))
}

/// Deletes a group and its ACL entries.
pub fn delete_group(store: &ConfigStore, group: &str) -> Result<(), AdminError> {
    store
        .update::<UserConfig, _, AdminError>(USER_CFG, None, |cfg| {
            cfg.groups.remove(group).ok_or_else(|| missing(group))?;
            for node in cfg.acl.values_mut() {
                node.groups.remove(group);
            }
            cfg.acl.retain(|_, node| !node.is_empty());
            cfg.sync_user_groups();
            Ok(())
        })
        .map_err(|e| e.context("delete group failed"))
}

/// A group's comment and members, or upstream's error.
pub fn read_group<'a>(cfg: &'a UserConfig, group: &str) -> Result<&'a Group, AdminError> {
    cfg.groups.get(group).ok_or_else(|| missing(group))
}
