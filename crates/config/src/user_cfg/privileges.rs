//! The privilege catalogue and the built-in roles of `user.cfg`, as data.
//!
//! Privileges come in categories (`VM`, `Sys`, `Datastore`, ...). Within a category each
//! privilege has a tier: `root` (only `Administrator` holds it), `admin`, `user` or
//! `audit`. The built-in roles are derived from the tiers the same way Proxmox VE derives
//! them, so adding a privilege to a tier is the only change needed to update every role.
//! The `access` crate reuses this table for permission checks.
//!
//! Must not depend on: anything but `std`.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::LazyLock;

/// One privilege category and its privileges per tier.
#[derive(Debug, Clone, Copy)]
pub struct PrivilegeCategory {
    /// Category name, used in the derived role names (`PVE<name>Admin`, `PVE<name>User`).
    pub name: &'static str,
    /// Privileges only `Administrator` holds.
    pub root: &'static [&'static str],
    /// Privileges of the category's admin role.
    pub admin: &'static [&'static str],
    /// Privileges of the category's user role.
    pub user: &'static [&'static str],
    /// Read-only privileges, held by every role of the category and by `PVEAuditor`.
    pub audit: &'static [&'static str],
}

/// Every privilege category, as of Proxmox VE 9.1.
pub const CATEGORIES: &[PrivilegeCategory] = &[
    PrivilegeCategory {
        name: "VM",
        root: &[],
        admin: &[
            "VM.Config.Disk",
            "VM.Config.CPU",
            "VM.Config.Memory",
            "VM.Config.Network",
            "VM.Config.HWType",
            "VM.Config.Options",
            "VM.Allocate",
            "VM.Clone",
            "VM.GuestAgent.Unrestricted",
            "VM.Migrate",
            "VM.Replicate",
            "VM.Snapshot",
            "VM.Snapshot.Rollback",
        ],
        user: &[
            "VM.Config.CDROM",
            "VM.Config.Cloudinit",
            "VM.Console",
            "VM.Backup",
            "VM.GuestAgent.FileRead",
            "VM.GuestAgent.FileSystemMgmt",
            "VM.GuestAgent.FileWrite",
            "VM.PowerMgmt",
        ],
        audit: &["VM.Audit", "VM.GuestAgent.Audit"],
    },
    PrivilegeCategory {
        name: "Sys",
        root: &[
            "Sys.PowerMgmt",
            "Sys.Modify",
            "Sys.Incoming",
            "Sys.AccessNetwork",
        ],
        admin: &["Sys.Console", "Sys.Syslog"],
        user: &[],
        audit: &["Sys.Audit"],
    },
    PrivilegeCategory {
        name: "Datastore",
        root: &[],
        admin: &["Datastore.Allocate", "Datastore.AllocateTemplate"],
        user: &["Datastore.AllocateSpace"],
        audit: &["Datastore.Audit"],
    },
    PrivilegeCategory {
        name: "SDN",
        root: &[],
        admin: &["SDN.Allocate", "SDN.Audit"],
        user: &["SDN.Use"],
        audit: &["SDN.Audit"],
    },
    PrivilegeCategory {
        name: "User",
        root: &["Realm.Allocate"],
        admin: &["User.Modify", "Group.Allocate", "Realm.AllocateUser"],
        user: &[],
        audit: &[],
    },
    PrivilegeCategory {
        name: "Pool",
        root: &[],
        admin: &["Pool.Allocate"],
        user: &["Pool.Audit"],
        audit: &["Pool.Audit"],
    },
    PrivilegeCategory {
        name: "Mapping",
        root: &[],
        admin: &["Mapping.Modify"],
        user: &["Mapping.Use"],
        audit: &["Mapping.Audit"],
    },
];

/// Privileges that belong to no category (only `Administrator` holds them).
pub const UNCATEGORIZED: &[&str] = &["Permissions.Modify"];

/// The role with every privilege.
pub const ADMINISTRATOR: &str = "Administrator";
/// The role with no privilege (an explicit "deny" when assigned).
pub const NO_ACCESS: &str = "NoAccess";

/// A role name mapped to its privileges.
pub type RoleTable = BTreeMap<String, BTreeSet<&'static str>>;

static VALID: LazyLock<BTreeSet<&'static str>> = LazyLock::new(|| {
    let mut set: BTreeSet<&'static str> = UNCATEGORIZED.iter().copied().collect();
    for cat in CATEGORIES {
        set.extend(
            cat.root
                .iter()
                .chain(cat.admin)
                .chain(cat.user)
                .chain(cat.audit),
        );
    }
    set
});

static BUILTIN: LazyLock<RoleTable> = LazyLock::new(derive_builtin_roles);

/// Builds the built-in role table from [`CATEGORIES`].
fn derive_builtin_roles() -> RoleTable {
    let mut roles: RoleTable = BTreeMap::new();
    roles.insert(NO_ACCESS.into(), BTreeSet::new());
    roles.insert(ADMINISTRATOR.into(), VALID.clone());
    for cat in CATEGORIES {
        let admin_privs = cat.admin.iter().chain(cat.user).chain(cat.audit);
        let admin: BTreeSet<&'static str> = admin_privs.copied().collect();
        roles.entry("PVEAdmin".into()).or_default().extend(&admin);
        roles.insert(format!("PVE{}Admin", cat.name), admin);
        if !cat.user.is_empty() {
            let user = cat.user.iter().chain(cat.audit).copied().collect();
            roles.insert(format!("PVE{}User", cat.name), user);
        }
        roles
            .entry("PVEAuditor".into())
            .or_default()
            .extend(cat.audit);
    }
    // Mapping changes stay with Administrator and PVEMappingAdmin.
    if let Some(pve_admin) = roles.get_mut("PVEAdmin") {
        pve_admin.remove("Mapping.Modify");
    }
    roles.insert("PVETemplateUser".into(), ["VM.Clone", "VM.Audit"].into());
    roles
}

/// Every valid privilege name, sorted.
pub fn valid_privileges() -> &'static BTreeSet<&'static str> {
    &VALID
}

/// True when `name` is a known privilege.
pub fn is_valid_privilege(name: &str) -> bool {
    VALID.contains(name)
}

/// The built-in roles and their privileges.
pub fn builtin_roles() -> &'static RoleTable {
    &BUILTIN
}

/// True when `name` is a built-in role (these are never written to `user.cfg`).
pub fn is_builtin_role(name: &str) -> bool {
    BUILTIN.contains_key(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn privs(role: &str) -> Vec<&'static str> {
        builtin_roles()[role].iter().copied().collect()
    }

    #[test]
    fn builtin_role_names_match_upstream_list() {
        let names: Vec<_> = builtin_roles().keys().map(String::as_str).collect();
        assert_eq!(
            names,
            [
                "Administrator",
                "NoAccess",
                "PVEAdmin",
                "PVEAuditor",
                "PVEDatastoreAdmin",
                "PVEDatastoreUser",
                "PVEMappingAdmin",
                "PVEMappingUser",
                "PVEPoolAdmin",
                "PVEPoolUser",
                "PVESDNAdmin",
                "PVESDNUser",
                "PVESysAdmin",
                "PVETemplateUser",
                "PVEUserAdmin",
                "PVEVMAdmin",
                "PVEVMUser",
            ]
        );
    }

    #[test]
    fn administrator_holds_every_privilege_including_root_tier() {
        let admin = &builtin_roles()["Administrator"];
        assert_eq!(admin, valid_privileges());
        assert!(admin.contains("Sys.Modify"));
        assert!(admin.contains("Permissions.Modify"));
        assert_eq!(admin.len(), 47);
    }

    #[test]
    fn derived_roles_have_upstream_privileges() {
        assert_eq!(
            privs("PVEVMUser"),
            [
                "VM.Audit",
                "VM.Backup",
                "VM.Config.CDROM",
                "VM.Config.Cloudinit",
                "VM.Console",
                "VM.GuestAgent.Audit",
                "VM.GuestAgent.FileRead",
                "VM.GuestAgent.FileSystemMgmt",
                "VM.GuestAgent.FileWrite",
                "VM.PowerMgmt",
            ]
        );
        assert_eq!(
            privs("PVESysAdmin"),
            ["Sys.Audit", "Sys.Console", "Sys.Syslog"]
        );
        assert_eq!(
            privs("PVEUserAdmin"),
            ["Group.Allocate", "Realm.AllocateUser", "User.Modify"]
        );
        assert_eq!(privs("PVEPoolUser"), ["Pool.Audit"]);
        assert_eq!(privs("PVETemplateUser"), ["VM.Audit", "VM.Clone"]);
        assert!(privs("NoAccess").is_empty());
    }

    #[test]
    fn pve_admin_lacks_root_tier_and_mapping_modify() {
        let pve_admin = &builtin_roles()["PVEAdmin"];
        for p in [
            "Sys.Modify",
            "Realm.Allocate",
            "Permissions.Modify",
            "Mapping.Modify",
        ] {
            assert!(!pve_admin.contains(p), "{p}");
        }
        assert!(pve_admin.contains("Mapping.Use"));
        assert!(builtin_roles()["PVEMappingAdmin"].contains("Mapping.Modify"));
    }

    #[test]
    fn auditor_has_only_audit_privileges() {
        assert_eq!(
            privs("PVEAuditor"),
            [
                "Datastore.Audit",
                "Mapping.Audit",
                "Pool.Audit",
                "SDN.Audit",
                "Sys.Audit",
                "VM.Audit",
                "VM.GuestAgent.Audit",
            ]
        );
    }
}
