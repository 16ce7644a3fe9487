//! Simple name identifiers: node, storage, config key, snapshot, realm, token
//! name, group, role and pool. Each validator mirrors the upstream format check
//! and its error message.

use crate::macros::string_id;
use crate::IdError;

/// Longest realm name (`realm` standard option).
pub const REALM_MAX_LEN: usize = 32;
/// Longest snapshot name (`pve-snapshot-name` standard option).
pub const SNAPSHOT_MAX_LEN: usize = 40;
/// Deepest pool nesting (`a/b/c`).
pub const POOL_MAX_LEVELS: usize = 3;

fn is_id_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_')
}

/// `[A-Za-z][A-Za-z0-9.\-_]+`: realms and API token names.
fn is_realm_like(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic())
        && !chars.as_str().is_empty()
        && chars.all(is_id_char)
}

/// `[A-Za-z0-9.\-_]+`: group, role and pool path elements.
fn is_simple_name(s: &str) -> bool {
    !s.is_empty() && s.chars().all(is_id_char)
}

fn check_node(s: &str) -> Result<(), IdError> {
    let ok = s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        && s.starts_with(|c: char| c.is_ascii_alphanumeric())
        && s.ends_with(|c: char| c.is_ascii_alphanumeric());
    if ok {
        Ok(())
    } else {
        Err(IdError::new(
            "node",
            "value does not look like a valid node name",
        ))
    }
}

/// The shared storage-style ID rule: `[a-z][a-z0-9\-_.]*[a-z0-9]`, case-insensitive.
pub(crate) fn is_storage_like(s: &str) -> bool {
    s.len() >= 2
        && s.starts_with(|c: char| c.is_ascii_alphabetic())
        && s.ends_with(|c: char| c.is_ascii_alphanumeric())
        && s.chars().all(is_id_char)
}

fn check_storage(s: &str) -> Result<(), IdError> {
    if is_storage_like(s) {
        Ok(())
    } else {
        Err(IdError::new(
            "storage",
            format!("storage ID '{s}' contains illegal characters"),
        ))
    }
}

fn is_config_id(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic())
        && !chars.as_str().is_empty()
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

fn check_config_id(s: &str) -> Result<(), IdError> {
    if is_config_id(s) {
        Ok(())
    } else {
        Err(IdError::new(
            "configid",
            format!("invalid configuration ID '{s}'"),
        ))
    }
}

fn check_snapshot(s: &str) -> Result<(), IdError> {
    if !is_config_id(s) {
        return Err(IdError::new(
            "snapshot",
            format!("invalid configuration ID '{s}'"),
        ));
    }
    if s.chars().count() > SNAPSHOT_MAX_LEN {
        return Err(IdError::new(
            "snapshot",
            format!("value may only be {SNAPSHOT_MAX_LEN} characters long"),
        ));
    }
    Ok(())
}

fn check_realm(s: &str) -> Result<(), IdError> {
    if !is_realm_like(s) {
        return Err(IdError::new(
            "realm",
            "value does not look like a valid realm",
        ));
    }
    if s.len() > REALM_MAX_LEN {
        return Err(IdError::new(
            "realm",
            format!("value may only be {REALM_MAX_LEN} characters long"),
        ));
    }
    Ok(())
}

fn check_token_name(s: &str) -> Result<(), IdError> {
    if is_realm_like(s) {
        Ok(())
    } else {
        Err(IdError::new(
            "token",
            "value does not match the regex pattern",
        ))
    }
}

fn check_group(s: &str) -> Result<(), IdError> {
    if is_simple_name(s) {
        Ok(())
    } else {
        Err(IdError::new(
            "group",
            format!("group name '{s}' contains invalid characters"),
        ))
    }
}

fn check_role(s: &str) -> Result<(), IdError> {
    if is_simple_name(s) {
        Ok(())
    } else {
        Err(IdError::new(
            "role",
            format!("role name '{s}' contains invalid characters"),
        ))
    }
}

fn check_pool(s: &str) -> Result<(), IdError> {
    // Count levels as Perl's split does: trailing empty fields do not count.
    let levels = s
        .trim_end_matches('/')
        .split('/')
        .filter(|_| !s.is_empty())
        .count();
    if levels > POOL_MAX_LEVELS {
        let msg = format!("pool name '{s}' nested too deeply (max levels = {POOL_MAX_LEVELS})");
        return Err(IdError::new("pool", msg));
    }
    if s.split('/').all(is_simple_name) {
        Ok(())
    } else {
        Err(IdError::new(
            "pool",
            format!("pool name '{s}' contains invalid characters"),
        ))
    }
}

pub(crate) fn is_realm_id(s: &str) -> bool {
    is_realm_like(s)
}

pub(crate) fn is_token_name(s: &str) -> bool {
    is_realm_like(s)
}

string_id!(
    /// A cluster node name (`pve-node` format): letters, digits and inner dashes.
    NodeName,
    check_node
);

string_id!(
    /// A storage ID (`pve-storage-id` format), e.g. `local-lvm`.
    StorageId,
    check_storage
);

string_id!(
    /// A configuration ID (`pve-configid` format), e.g. a realm or replication key.
    ConfigId,
    check_config_id
);

string_id!(
    /// A guest snapshot name: a configuration ID of at most 40 characters.
    SnapshotName,
    check_snapshot
);

string_id!(
    /// An authentication realm (`pve-realm` format, at most 32 characters), e.g. `pam`.
    RealmId,
    check_realm
);

string_id!(
    /// The user-specific part of an API token ID (`root@pam!<name>`).
    TokenName,
    check_token_name
);

string_id!(
    /// A user group name (`pve-groupid` format).
    GroupId,
    check_group
);

string_id!(
    /// A role name (`pve-roleid` format), e.g. `PVEVMAdmin`.
    RoleId,
    check_role
);

string_id!(
    /// A resource pool (`pve-poolid` format), nested up to three levels: `a/b/c`.
    PoolId,
    check_pool
);

impl PoolId {
    /// Nesting depth: 1 for `a`, 3 for `a/b/c`.
    pub fn levels(&self) -> usize {
        self.0.split('/').count()
    }

    /// The enclosing pool, `None` for a top-level pool.
    pub fn parent(&self) -> Option<PoolId> {
        self.0
            .rsplit_once('/')
            .map(|(parent, _)| PoolId(parent.to_string()))
    }
}
