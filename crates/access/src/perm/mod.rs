//! Permission evaluation over `user.cfg`, with Proxmox VE's semantics.
//!
//! Roles are resolved by walking the ACL along the path from `/`: at each level an
//! assignment to the token itself wins over one to the user, which wins over the union of
//! the user's groups; a deeper level replaces what was found above, and only propagating
//! assignments apply below the level they are set on. `NoAccess` anywhere in the result
//! leaves only `NoAccess`. On `/vms/<id>` and `/storage/<id>`, roles a user holds on a
//! pool containing the guest or storage are added (never propagating, never overriding an
//! explicit `NoAccess`, and a pool `NoAccess` beats everything). A privilege-separated API
//! token gets the intersection of its own privileges and its user's; a token without
//! separation gets its user's. `root@pam` holds every privilege everywhere.
//!
//! Must not depend on: how the configuration is read (the caller passes a parsed
//! [`UserConfig`]) or anything HTTP.

mod cap;

#[cfg(test)]
mod tests;

pub use cap::ApiCapabilities;

use std::collections::{BTreeMap, BTreeSet};
use virton_api_types::Userid;
use virton_config::user_cfg::privileges::{is_valid_privilege, ADMINISTRATOR, NO_ACCESS};
use virton_config::user_cfg::syntax::split_tokenid;
use virton_config::user_cfg::{UserConfig, ROOT_USER};

/// Privileges held on one path, each with whether it was granted by a propagating role.
pub type PrivMap = BTreeMap<String, bool>;

/// Roles held on one path: role name -> propagate.
pub type RoleMap = BTreeMap<String, bool>;

/// Why a permission check failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PermissionError {
    /// The caller lacks a privilege; `what` is `"<path>, <priv>"` (or `priv1|priv2`).
    #[error("Permission check failed ({what})")]
    Denied {
        /// The path and the missing privilege(s), as upstream names them.
        what: String,
    },
    /// A privilege name that does not exist (a programming error in the caller).
    #[error("invalid privilege '{0}'")]
    InvalidPrivilege(String),
}

impl PermissionError {
    /// The HTTP status upstream answers with: 403 when denied, 500 for a bad privilege.
    pub fn status(&self) -> u16 {
        match self {
            PermissionError::Denied { .. } => 403,
            PermissionError::InvalidPrivilege(_) => 500,
        }
    }
}

/// Permission evaluation over one snapshot of `user.cfg`.
#[derive(Debug, Clone, Copy)]
pub struct Permissions<'a> {
    cfg: &'a UserConfig,
}

impl<'a> Permissions<'a> {
    /// Evaluates against `cfg` (whose users' group lists need not be synced: group
    /// membership is read from the groups' member lists, as upstream does).
    pub fn new(cfg: &'a UserConfig) -> Self {
        Permissions { cfg }
    }

    /// The configuration evaluated against.
    pub fn config(&self) -> &'a UserConfig {
        self.cfg
    }

    /// The roles `authid` (a user id or a token id) holds on `path` from the ACL alone
    /// (pools not considered), with their propagate flag.
    ///
    /// A token without privilege separation reports its user's roles; a separated one
    /// reports its own (not intersected with the user's: use [`Self::permissions`]).
    pub fn roles(&self, authid: &str, path: &str) -> RoleMap {
        if authid == ROOT_USER {
            return RoleMap::from([(ADMINISTRATOR.to_string(), true)]);
        }
        if let Some((user, token)) = split_tokenid(authid) {
            let Some(info) = self.token_info(user, token) else {
                return RoleMap::new();
            };
            if !info.privsep {
                return self.roles(user, path);
            }
        }
        let roles = self.walk_acl(authid, path);
        match roles.get(NO_ACCESS) {
            Some(&propagate) => RoleMap::from([(NO_ACCESS.to_string(), propagate)]),
            None => roles,
        }
    }

    /// The privileges `authid` holds on `path`, each with its propagate flag, including
    /// roles inherited from pools and the token intersection.
    pub fn permissions(&self, authid: &str, path: &str) -> PrivMap {
        if authid == ROOT_USER {
            return self.privs_of_roles(&RoleMap::from([(ADMINISTRATOR.to_string(), true)]));
        }
        if let Some((user, token)) = split_tokenid(authid) {
            let Some(info) = self.token_info(user, token) else {
                return PrivMap::new();
            };
            let user_privs = self.permissions(user, path);
            if !info.privsep {
                return user_privs;
            }
            let token_privs = self.compile(authid, path);
            if user == ROOT_USER {
                return token_privs;
            }
            return token_privs
                .into_iter()
                .filter_map(|(p, prop)| user_privs.get(&p).map(|&uprop| (p, uprop && prop)))
                .collect();
        }
        if authid.parse::<Userid>().is_err() {
            return PrivMap::new();
        }
        self.compile(authid, path)
    }

    /// The names of the privileges `authid` holds on `path`.
    pub fn privileges(&self, authid: &str, path: &str) -> BTreeSet<String> {
        self.permissions(authid, path).into_keys().collect()
    }

    /// Checks that `authid` holds all of `privs` on `path` (or any one of them when
    /// `any`), failing with upstream's 403 wording.
    pub fn check(
        &self,
        authid: &str,
        path: &str,
        privs: &[&str],
        any: bool,
    ) -> Result<(), PermissionError> {
        let held = self.permissions(authid, path);
        for p in privs {
            if !is_valid_privilege(p) {
                return Err(PermissionError::InvalidPrivilege(p.to_string()));
            }
            let has = held.contains_key(*p);
            if any && has {
                return Ok(());
            }
            if !any && !has {
                return Err(PermissionError::Denied {
                    what: format!("{path}, {p}"),
                });
            }
        }
        if any {
            return Err(PermissionError::Denied {
                what: format!("{path}, {}", privs.join("|")),
            });
        }
        Ok(())
    }

    /// The guest check upstream uses: privileges on the guest's pool suffice, otherwise
    /// they are checked on `/vms/<vmid>`.
    pub fn check_vm(
        &self,
        authid: &str,
        vmid: u64,
        pool: Option<&str>,
        privs: &[&str],
        any: bool,
    ) -> Result<(), PermissionError> {
        if let Some(pool) = pool {
            if self
                .check(authid, &format!("/pool/{pool}"), privs, any)
                .is_ok()
            {
                return Ok(());
            }
        }
        self.check(authid, &format!("/vms/{vmid}"), privs, any)
    }

    /// May `authid` change the ACL on `path` (`None`: on the whole ACL)?
    /// `Permissions.Modify`, or the allocate privilege of the path's kind.
    pub fn check_perm_modify(
        &self,
        authid: &str,
        path: Option<&str>,
    ) -> Result<(), PermissionError> {
        let Some(path) = path else {
            return self.check(authid, "/access", &["Permissions.Modify"], false);
        };
        let mut privs = vec!["Permissions.Modify"];
        let sub = |prefix: &str| path.strip_prefix(prefix).is_some_and(|r| !r.is_empty());
        if sub("/storage/") {
            privs.push("Datastore.Allocate");
        } else if sub("/vms/") {
            privs.push("VM.Allocate");
        } else if sub("/pool/") {
            privs.push("Pool.Allocate");
        }
        self.check(authid, path, &privs, true)
    }

    fn token_info(&self, user: &str, token: &str) -> Option<&'a virton_config::user_cfg::Token> {
        self.cfg.users.get(user)?.tokens.get(token)
    }

    /// Privileges of `authid` itself on `path` (roles from the ACL plus pools).
    fn compile(&self, authid: &str, path: &str) -> PrivMap {
        let mut roles = self.roles(authid, path);
        let pool_roles = self.pool_roles(authid, path);
        if !pool_roles.is_empty() && !roles.contains_key(NO_ACCESS) {
            if pool_roles.contains(NO_ACCESS) {
                roles = RoleMap::from([(NO_ACCESS.to_string(), false)]);
            } else {
                for role in pool_roles {
                    roles.entry(role).or_insert(false);
                }
            }
        }
        self.privs_of_roles(&roles)
    }

    /// Roles `authid` holds on any pool that has `path` (`/vms/<id>`, `/storage/<id>`)
    /// as a member.
    fn pool_roles(&self, authid: &str, path: &str) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        let (vm, storage) = (path.strip_prefix("/vms/"), path.strip_prefix("/storage/"));
        if vm.is_none() && storage.is_none() {
            return out;
        }
        for (name, pool) in &self.cfg.pools {
            let member = vm.is_some_and(|id| pool.vms.iter().any(|v| v.to_string() == id))
                || storage.is_some_and(|id| pool.storage.contains(id));
            if member {
                out.extend(self.roles(authid, &format!("/pool/{name}")).into_keys());
            }
        }
        out
    }

    fn privs_of_roles(&self, roles: &RoleMap) -> PrivMap {
        let mut privs = PrivMap::new();
        for (role, &propagate) in roles {
            for p in self.cfg.role_privileges(role).unwrap_or_default() {
                let entry = privs.entry(p.to_string()).or_insert(false);
                *entry |= propagate;
            }
        }
        privs
    }

    /// The ACL walk: each level that assigns anything to the subject replaces the
    /// result; token beats user beats groups at the same level.
    fn walk_acl(&self, subject: &str, path: &str) -> RoleMap {
        let comps = path_components(path);
        let mut roles = RoleMap::new();
        let mut node_path = String::from("/");
        for (idx, comp) in comps.iter().enumerate() {
            let last = idx + 1 == comps.len();
            if !comp.is_empty() {
                if node_path != "/" {
                    node_path.push('/');
                }
                node_path.push_str(comp);
            }
            let Some(node) = self.cfg.acl.get(&node_path) else {
                continue;
            };
            let applicable = |assigned: &RoleMap| -> Option<RoleMap> {
                let found: RoleMap = assigned
                    .iter()
                    .filter(|(_, &prop)| last || prop)
                    .map(|(r, &p)| (r.clone(), p))
                    .collect();
                (!found.is_empty()).then_some(found)
            };
            if let Some(found) = node.tokens.get(subject).and_then(applicable) {
                roles = found;
                continue;
            }
            if let Some(found) = node.users.get(subject).and_then(applicable) {
                roles = found;
                continue;
            }
            let mut group_roles = RoleMap::new();
            for (group, assigned) in &node.groups {
                let member = self
                    .cfg
                    .groups
                    .get(group)
                    .is_some_and(|g| g.members.contains(subject));
                if member {
                    group_roles.extend(applicable(assigned).unwrap_or_default());
                }
            }
            if !group_roles.is_empty() {
                roles = group_roles;
            }
        }
        roles
    }
}

/// The levels of `path` the ACL walk visits: `""` stands for `/`; trailing empty parts
/// are dropped, and a relative path does not visit `/`.
fn path_components(path: &str) -> Vec<&str> {
    if path == "/" {
        return vec![""];
    }
    let mut comps: Vec<&str> = path.split('/').collect();
    while comps.last() == Some(&"") {
        comps.pop();
    }
    comps
}

/// Normalizes an ACL path as upstream does: collapses `//`, drops a trailing `/`, adds
/// a leading one; `None` for an empty path or one with characters outside
/// `[A-Za-z0-9._/-]`.
pub fn normalize_path(path: &str) -> Option<String> {
    if path.is_empty() || path == "0" {
        return None;
    }
    let mut out = String::with_capacity(path.len() + 1);
    for c in path.chars() {
        if c == '/' && out.ends_with('/') {
            continue;
        }
        out.push(c);
    }
    if out.ends_with('/') {
        out.pop();
    }
    // Upstream treats a remaining "" or "0" as false and substitutes the root.
    if out.is_empty() || out == "0" {
        out = String::from("/");
    }
    if !out.starts_with('/') {
        out.insert(0, '/');
    }
    let valid = out
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | '/'));
    valid.then_some(out)
}
