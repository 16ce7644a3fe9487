//! Resource pools in `user.cfg`, and the guest index their member lists are read
//! against (which guests exist, of which type, on which node).
//!
//! Must not depend on: HTTP types (see the parent module).

use super::{checks, non_empty, split_list, AdminError, USER_CFG};
use crate::perm::Permissions;
use std::collections::BTreeMap;
use virton_config::store::ConfigStore;
use virton_config::user_cfg::syntax::is_pool_name;
use virton_config::user_cfg::{pool_parent, Pool, UserConfig, ROOT_USER};

/// A guest known to the cluster.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GuestRef {
    /// The node it is configured on.
    pub node: String,
    /// `qemu` or `lxc`.
    pub kind: &'static str,
}

/// Every guest with a config file under `nodes/<node>/{qemu-server,lxc}/<vmid>.conf`.
pub fn guest_index(store: &ConfigStore) -> BTreeMap<u64, GuestRef> {
    let mut out = BTreeMap::new();
    let nodes = store.root().etc_pve().join("nodes");
    let Ok(dir) = std::fs::read_dir(nodes) else {
        return out;
    };
    for node in dir.flatten() {
        let name = node.file_name().to_string_lossy().into_owned();
        for (sub, kind) in [("qemu-server", "qemu"), ("lxc", "lxc")] {
            let Ok(files) = std::fs::read_dir(node.path().join(sub)) else {
                continue;
            };
            for f in files.flatten() {
                let file = f.file_name().to_string_lossy().into_owned();
                if let Some(id) = file.strip_suffix(".conf").and_then(|s| s.parse().ok()) {
                    out.insert(
                        id,
                        GuestRef {
                            node: name.clone(),
                            kind,
                        },
                    );
                }
            }
        }
    }
    out
}

fn missing(pool: &str) -> AdminError {
    AdminError::failed(format!("pool '{pool}' does not exist"))
}

/// Creates a pool (nested pools need their parent).
pub fn create_pool(
    store: &ConfigStore,
    pool: &str,
    comment: Option<&str>,
) -> Result<(), AdminError> {
    if !is_pool_name(pool) {
        return Err(AdminError::param(
            "poolid",
            format!("pool name '{pool}' contains invalid characters"),
        ));
    }
    store
        .update::<UserConfig, _, AdminError>(USER_CFG, None, |cfg| {
            if cfg.pools.contains_key(pool) {
                return Err(AdminError::failed(format!("pool '{pool}' already exists")));
            }
            let leaf = match pool_parent(pool) {
                Some(parent) => {
                    if !cfg.pools.contains_key(parent) {
                        return Err(AdminError::failed(format!(
                            "parent '{parent}' of pool '{pool}' does not exist"
                        )));
                    }
                    pool.rsplit('/').next().unwrap_or(pool)
                }
                None => pool,
            };
            if !leaf.starts_with(|c: char| c.is_ascii_alphabetic()) {
                return Err(AdminError::failed("pool name must start with a letter"));
            }
            let p = Pool {
                comment: comment.and_then(non_empty),
                ..Default::default()
            };
            cfg.pools.insert(pool.to_string(), p);
            Ok(())
        })
        .map_err(|e| e.context("create pool failed"))
}

/// One pool update.
#[derive(Debug, Clone, Default)]
pub struct PoolUpdate<'a> {
    /// The pool.
    pub poolid: &'a str,
    /// New comment.
    pub comment: Option<&'a str>,
    /// Guests to add or remove.
    pub vms: Option<&'a str>,
    /// Storages to add or remove.
    pub storage: Option<&'a str>,
    /// Move guests that are in another pool.
    pub allow_move: bool,
    /// Remove instead of add.
    pub delete: bool,
}

/// Updates a pool as `authid`, who must be allowed to modify permissions on every
/// guest and storage added or removed.
pub fn update_pool(store: &ConfigStore, authid: &str, upd: &PoolUpdate) -> Result<(), AdminError> {
    store
        .update::<UserConfig, _, AdminError>(USER_CFG, None, |cfg| {
            let snapshot = cfg.clone();
            let perms = Permissions::new(&snapshot);
            if !cfg.pools.contains_key(upd.poolid) {
                return Err(missing(upd.poolid));
            }
            for vmid in split_list(upd.vms) {
                let id: u64 = vmid
                    .parse()
                    .map_err(|_| AdminError::param("vms", format!("invalid VMID '{vmid}'")))?;
                checks::check_perm_modify(&perms, authid, &format!("/vms/{id}"))?;
                move_vm(cfg, &perms, authid, upd, id)?;
            }
            let pool = cfg
                .pools
                .get_mut(upd.poolid)
                .ok_or_else(|| missing(upd.poolid))?;
            if let Some(c) = upd.comment {
                pool.comment = non_empty(c);
            }
            for sid in split_list(upd.storage) {
                checks::check_perm_modify(&perms, authid, &format!("/storage/{sid}"))?;
                let member = pool.storage.contains(&sid);
                match (upd.delete, member) {
                    (true, false) => {
                        return Err(AdminError::failed(format!(
                            "Storage '{sid}' is not a pool member"
                        )))
                    }
                    (false, true) => {
                        return Err(AdminError::failed(format!(
                            "Storage '{sid}' is already a pool member"
                        )))
                    }
                    (true, true) => pool.storage.remove(&sid),
                    (false, false) => pool.storage.insert(sid),
                };
            }
            Ok(())
        })
        .map_err(|e| e.context("update pools failed"))
}

fn move_vm(
    cfg: &mut UserConfig,
    perms: &Permissions,
    authid: &str,
    upd: &PoolUpdate,
    id: u64,
) -> Result<(), AdminError> {
    let current = cfg.pool_of_vm(id).map(str::to_string);
    let in_this = current.as_deref() == Some(upd.poolid);
    if upd.delete {
        if !in_this {
            return Err(AdminError::failed(format!("VM {id} is not a pool member")));
        }
    } else if in_this {
        return Err(AdminError::failed(format!(
            "VM {id} is already a pool member"
        )));
    } else if let Some(other) = &current {
        if !upd.allow_move {
            return Err(AdminError::failed(format!(
                "VM {id} belongs already to pool '{other}' and 'allow-move' is not set"
            )));
        }
        if authid != ROOT_USER {
            perms.check(authid, &format!("/pool/{other}"), &["Pool.Allocate"], false)?;
        }
    }
    for p in cfg.pools.values_mut() {
        p.vms.remove(&id);
    }
    if !upd.delete {
        if let Some(p) = cfg.pools.get_mut(upd.poolid) {
            p.vms.insert(id);
        }
    }
    Ok(())
}

/// Deletes an empty pool (guests and storages that no longer exist do not count) and
/// its ACL entries.
pub fn delete_pool(
    store: &ConfigStore,
    pool: &str,
    guest_exists: &dyn Fn(u64) -> bool,
    storage_exists: &dyn Fn(&str) -> bool,
) -> Result<(), AdminError> {
    store
        .update::<UserConfig, _, AdminError>(USER_CFG, None, |cfg| {
            let p = cfg.pools.get(pool).ok_or_else(|| missing(pool))?;
            let not_empty = |what: String| {
                AdminError::failed(format!("pool '{pool}' is not empty (contains {what})"))
            };
            if let Some(child) = cfg.pool_children(pool).first() {
                return Err(not_empty(format!("pool '{child}'")));
            }
            if let Some(id) = p.vms.iter().find(|id| guest_exists(**id)) {
                return Err(not_empty(format!("VM {id}")));
            }
            if let Some(s) = p.storage.iter().find(|s| storage_exists(s)) {
                return Err(not_empty(format!("storage '{s}'")));
            }
            cfg.pools.remove(pool);
            let prefix = format!("/pool/{pool}");
            cfg.acl
                .retain(|path, _| path != &prefix && !path.starts_with(&format!("{prefix}/")));
            Ok(())
        })
        .map_err(|e| e.context("delete pool failed"))
}
