//! Whole-configuration views of one user's permissions: the `cap` map of the ticket
//! response and the `/access/permissions` dump.
//!
//! Must not depend on: anything but the evaluation in the parent module.

use super::{Permissions, PrivMap};
use std::collections::{BTreeMap, BTreeSet};

/// The `cap` map of a ticket response: area (`access`, `dc`, `mapping`, `nodes`, `sdn`,
/// `storage`, `vms`) -> privilege -> 1.
pub type ApiCapabilities = BTreeMap<String, BTreeMap<String, u8>>;

/// Which privileges each top-level area reports (prefixes of the privilege name).
const AREAS: &[(&str, &[&str])] = &[
    ("access", &["User.", "Group.", "Permissions.Modify"]),
    ("dc", &["Sys.Audit", "Sys.Modify", "SDN."]),
    ("mapping", &["Mapping.", "Permissions.Modify"]),
    ("nodes", &["Sys.", "Permissions.Modify"]),
    ("sdn", &["SDN.", "Permissions.Modify"]),
    ("storage", &["Datastore.", "Permissions.Modify"]),
    ("vms", &["VM.", "Permissions.Modify"]),
];

/// Paths the `cap` map always looks at.
const CAP_PATHS: &[&str] = &[
    "/",
    "/nodes",
    "/access/groups",
    "/vms",
    "/storage",
    "/sdn",
    "/mapping",
];

/// Paths the permission dump always looks at.
const DUMP_PATHS: &[&str] = &[
    "/",
    "/access",
    "/access/groups",
    "/nodes",
    "/pool",
    "/sdn",
    "/storage",
    "/vms",
];

impl Permissions<'_> {
    /// Every path the ACL tree has a node for: each ACL path and all its ancestors.
    pub fn acl_tree_paths(&self) -> BTreeSet<String> {
        let mut out = BTreeSet::from([String::from("/")]);
        for path in self.config().acl.keys() {
            let mut prefix = String::new();
            for comp in path.split('/').filter(|c| !c.is_empty()) {
                prefix.push('/');
                prefix.push_str(comp);
                out.insert(prefix.clone());
            }
        }
        out
    }

    /// The `cap` map the ticket call returns for `authid`.
    pub fn api_capabilities(&self, authid: &str) -> ApiCapabilities {
        let mut res: ApiCapabilities = AREAS
            .iter()
            .map(|(area, _)| (area.to_string(), BTreeMap::new()))
            .collect();
        let mut paths: BTreeSet<String> = CAP_PATHS.iter().map(|p| p.to_string()).collect();
        paths.extend(self.acl_tree_paths());
        for path in paths {
            let privs = self.permissions(authid, &path);
            let top = top_level(&path);
            if top == "pool" {
                add_pool_caps(&mut res, privs);
                continue;
            }
            let Some((area, prefixes)) = AREAS.iter().find(|(a, _)| *a == top) else {
                continue;
            };
            let area_caps = res.entry(area.to_string()).or_default();
            for p in privs.into_keys() {
                if prefixes.iter().any(|pre| p.starts_with(pre)) {
                    area_caps.insert(p, 1);
                }
            }
        }
        res
    }

    /// The `/access/permissions` answer: with a `path`, just that path (even when
    /// empty); otherwise every default, ACL and pool-member path where `authid` holds
    /// anything.
    pub fn effective_permissions(
        &self,
        authid: &str,
        path: Option<&str>,
    ) -> BTreeMap<String, PrivMap> {
        if let Some(path) = path.filter(|p| !p.is_empty()) {
            return BTreeMap::from([(path.to_string(), self.permissions(authid, path))]);
        }
        let mut paths: BTreeSet<String> = DUMP_PATHS.iter().map(|p| p.to_string()).collect();
        paths.extend(self.acl_tree_paths());
        for pool in self.config().pools.values() {
            paths.extend(pool.vms.iter().map(|id| format!("/vms/{id}")));
            paths.extend(pool.storage.iter().map(|id| format!("/storage/{id}")));
        }
        paths
            .into_iter()
            .map(|p| {
                let privs = self.permissions(authid, &p);
                (p, privs)
            })
            .filter(|(_, privs)| !privs.is_empty())
            .collect()
    }
}

/// The first path component made of word characters, or `dc` for `/` and the like.
fn top_level(path: &str) -> &str {
    let rest = path.strip_prefix('/').unwrap_or("");
    let end = rest
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(rest.len());
    match rest.get(..end) {
        Some(word) if !word.is_empty() => word,
        _ => "dc",
    }
}

/// Privileges held on a pool count for the guests and storages in it.
fn add_pool_caps(res: &mut ApiCapabilities, privs: PrivMap) {
    for p in privs.into_keys() {
        if p.starts_with("VM.") {
            res.entry("vms".into()).or_default().insert(p, 1);
        } else if p.starts_with("Datastore.") {
            res.entry("storage".into()).or_default().insert(p, 1);
        } else if p == "Permissions.Modify" {
            res.entry("storage".into())
                .or_default()
                .insert(p.clone(), 1);
            res.entry("vms".into()).or_default().insert(p, 1);
        }
    }
}
