//! `user.cfg`: users, API tokens, groups, resource pools, custom roles and the ACL.
//!
//! The file is a list of colon-separated lines (`user:`, `token:`, `group:`, `pool:`,
//! `role:`, `acl:`). Reading is lenient the way Proxmox VE's is: an invalid entry is
//! dropped with a warning (see [`UserConfig::parse_with_report`]) rather than failing the
//! whole file, and `root@pam` always exists afterwards. Writing is canonical: sections in
//! a fixed order, entries and member lists sorted and de-duplicated, free text escaped.
//! Built-in roles live in [`privileges`] and are never written. The private companions
//! `priv/shadow.cfg` and `priv/token.cfg` are in [`shadow`] and [`token`].
//!
//! Must not depend on: permission evaluation (that is the `access` crate's job).

mod parse;
pub mod privileges;
pub mod shadow;
pub mod syntax;
pub mod token;
mod write;

#[cfg(test)]
mod tests;

use crate::{Format, ParseError};
use std::collections::{BTreeMap, BTreeSet};

/// The user that always exists and always holds `Administrator` on `/`.
pub const ROOT_USER: &str = "root@pam";

/// The parsed `user.cfg`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UserConfig {
    /// Users by user id (`name@realm`).
    pub users: BTreeMap<String, User>,
    /// Groups by name.
    pub groups: BTreeMap<String, Group>,
    /// Resource pools by name (nested pools as `parent/child`).
    pub pools: BTreeMap<String, Pool>,
    /// Custom roles by name and their privileges; built-in roles are not stored here.
    pub roles: BTreeMap<String, BTreeSet<String>>,
    /// ACL entries by normalized path (`/`, `/vms/100`, ...).
    pub acl: BTreeMap<String, AclNode>,
}

/// One user.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct User {
    /// Whether the user may log in.
    pub enable: bool,
    /// Account expiry as a Unix epoch; 0 means never.
    pub expire: u64,
    /// First name.
    pub firstname: Option<String>,
    /// Last name.
    pub lastname: Option<String>,
    /// E-mail address (stored unescaped).
    pub email: Option<String>,
    /// Free-text comment.
    pub comment: Option<String>,
    /// Legacy second-factor keys (Yubico ids or OATH secrets), stored verbatim.
    pub keys: Option<String>,
    /// Groups the user belongs to (derived from `group:` lines that follow the user).
    pub groups: BTreeSet<String>,
    /// API tokens by token name.
    pub tokens: BTreeMap<String, Token>,
}

/// One API token of a user.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Token {
    /// Expiry as a Unix epoch; 0 means never.
    pub expire: u64,
    /// Privilege separation: the token has only the privileges its own ACL grants.
    pub privsep: bool,
    /// Free-text comment.
    pub comment: Option<String>,
}

/// One group.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Group {
    /// Member user ids (kept even when the user is not defined).
    pub members: BTreeSet<String>,
    /// Free-text comment.
    pub comment: Option<String>,
}

/// One resource pool.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Pool {
    /// Free-text comment.
    pub comment: Option<String>,
    /// Member guests (a guest belongs to at most one pool).
    pub vms: BTreeSet<u64>,
    /// Member storages.
    pub storage: BTreeSet<String>,
}

/// Role assignments of one member: role name -> propagate to sub-paths.
pub type RoleAssignments = BTreeMap<String, bool>;

/// The ACL entries on one path.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AclNode {
    /// Assignments to users, by user id.
    pub users: BTreeMap<String, RoleAssignments>,
    /// Assignments to groups, by group name.
    pub groups: BTreeMap<String, RoleAssignments>,
    /// Assignments to API tokens, by full token id.
    pub tokens: BTreeMap<String, RoleAssignments>,
}

impl AclNode {
    /// True when the node holds no assignment.
    pub fn is_empty(&self) -> bool {
        self.users.is_empty() && self.groups.is_empty() && self.tokens.is_empty()
    }
}

/// Something the parser dropped or repaired, in upstream's wording.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseWarning {
    /// 1-based line number.
    pub line: usize,
    /// What was ignored and why.
    pub message: String,
}

/// What a lenient parse had to say about its input.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParseReport {
    /// Every dropped entry.
    pub warnings: Vec<ParseWarning>,
    /// True when the file had no valid `root@pam` line and the default one was added.
    pub root_user_added: bool,
}

impl UserConfig {
    /// Parses `text` leniently, returning the model and what was dropped.
    pub fn parse_with_report(text: &str) -> (Self, ParseReport) {
        parse::parse(text)
    }

    /// True when `name` is a built-in or a custom role.
    pub fn has_role(&self, name: &str) -> bool {
        privileges::is_builtin_role(name) || self.roles.contains_key(name)
    }

    /// The privileges of a built-in or custom role.
    pub fn role_privileges(&self, name: &str) -> Option<BTreeSet<&str>> {
        if let Some(privs) = privileges::builtin_roles().get(name) {
            return Some(privs.iter().copied().collect());
        }
        self.roles
            .get(name)
            .map(|privs| privs.iter().map(String::as_str).collect())
    }

    /// The pool a guest belongs to.
    pub fn pool_of_vm(&self, vmid: u64) -> Option<&str> {
        self.pools
            .iter()
            .find(|(_, pool)| pool.vms.contains(&vmid))
            .map(|(name, _)| name.as_str())
    }

    /// The direct sub-pools of a pool.
    pub fn pool_children(&self, name: &str) -> Vec<&str> {
        self.pools
            .keys()
            .filter(|child| pool_parent(child) == Some(name))
            .map(String::as_str)
            .collect()
    }

    /// Sets every user's `groups` from the groups' member lists, as a reload would.
    pub fn sync_user_groups(&mut self) {
        for user in self.users.values_mut() {
            user.groups.clear();
        }
        for (name, group) in &self.groups {
            for member in &group.members {
                if let Some(user) = self.users.get_mut(member) {
                    user.groups.insert(name.clone());
                }
            }
        }
    }
}

/// The parent of a nested pool name (`a/b` -> `a`).
pub fn pool_parent(name: &str) -> Option<&str> {
    name.rsplit_once('/').map(|(parent, _)| parent)
}

impl Format for UserConfig {
    /// Never fails: invalid entries are dropped, as upstream does.
    fn parse(_file: &str, text: &str) -> Result<Self, ParseError> {
        Ok(parse::parse(text).0)
    }

    fn write(&self) -> String {
        write::write(self)
    }
}
