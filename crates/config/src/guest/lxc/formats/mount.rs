//! Container volumes: the root file system (`rootfs`), mount points (`mpN`) and unused
//! volumes (`unusedN`), with upstream's path check of mount targets and volumes.

use crate::guest::formats::GuestFormat;
use serde::{Deserialize, Serialize};
use virton_schema::ApiType;

/// Upstream's `pve-lxc-mp-string`: no `/./`, `/../`, trailing `/.` or `/..`, nor a
/// leading `../`.
pub fn check_mp_string(value: &str) -> Result<(), String> {
    let bad = ["/./", "/../"].iter().any(|s| value.contains(s))
        || value.ends_with("/.")
        || value.ends_with("/..")
        || value.starts_with("../");
    if bad {
        Err(format!("{value} contains illegal character sequences"))
    } else {
        Ok(())
    }
}

/// The root file system of a container (`rootfs`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ApiType)]
pub struct Rootfs {
    /// The volume (`storage:volume`) or a host path.
    #[api(
        default_key,
        format = "pve-lxc-mp-string",
        format_description = "volume"
    )]
    pub volume: String,
    /// Size as stored in the config (`8G`).
    #[api(format = "disk-size", format_description = "DiskSize")]
    pub size: Option<String>,
    /// POSIX ACLs on or off (unset: the file system's default).
    pub acl: Option<bool>,
    /// Mount options.
    #[api(
        pattern = "(discard|lazytime|noatime|nodev|noexec|nosuid)(;(discard|lazytime|noatime|nodev|noexec|nosuid))*",
        format_description = "opt[;opt...]"
    )]
    pub mountoptions: Option<String>,
    /// Custom id mapping of the volume, or `passthrough`.
    #[api(
        pattern = "^(?:passthrough|[ug]:[0-9]+:[0-9]+:[1-9][0-9]*(?:;[ug]:[0-9]+:[0-9]+:[1-9][0-9]*)*)$",
        format_description = "type:container:disk:range-size[;type:container:disk:range-size;...]"
    )]
    pub idmap: Option<String>,
    /// Mounted read-only.
    pub ro: Option<bool>,
    /// User quotas inside the container.
    pub quota: Option<bool>,
    /// Included in storage replication.
    #[api(default = "1")]
    pub replicate: Option<bool>,
    /// The volume is already available on all nodes.
    #[api(default = "0")]
    pub shared: Option<bool>,
}

impl GuestFormat for Rootfs {}

/// A container mount point (`mpN`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ApiType)]
pub struct MountPoint {
    /// The volume (`storage:volume`) or a host path.
    #[api(
        default_key,
        format = "pve-lxc-mp-string",
        format_description = "volume"
    )]
    pub volume: String,
    /// Where it is mounted inside the container.
    #[api(format = "pve-lxc-mp-string", format_description = "Path")]
    pub mp: String,
    /// Size as stored in the config.
    #[api(format = "disk-size", format_description = "DiskSize")]
    pub size: Option<String>,
    /// POSIX ACLs on or off.
    pub acl: Option<bool>,
    /// Mount options.
    #[api(
        pattern = "(discard|lazytime|noatime|nodev|noexec|nosuid)(;(discard|lazytime|noatime|nodev|noexec|nosuid))*",
        format_description = "opt[;opt...]"
    )]
    pub mountoptions: Option<String>,
    /// Custom id mapping of the volume, or `passthrough`.
    #[api(
        pattern = "^(?:passthrough|[ug]:[0-9]+:[0-9]+:[1-9][0-9]*(?:;[ug]:[0-9]+:[0-9]+:[1-9][0-9]*)*)$",
        format_description = "type:container:disk:range-size[;type:container:disk:range-size;...]"
    )]
    pub idmap: Option<String>,
    /// Mounted read-only.
    pub ro: Option<bool>,
    /// User quotas inside the container.
    pub quota: Option<bool>,
    /// Included in storage replication.
    #[api(default = "1")]
    pub replicate: Option<bool>,
    /// The volume is already available on all nodes.
    #[api(default = "0")]
    pub shared: Option<bool>,
    /// Included in backups.
    pub backup: Option<bool>,
    /// Keep the volume root's owner and mode.
    #[api(default = "0")]
    pub keepattrs: Option<bool>,
}

impl GuestFormat for MountPoint {}

/// A volume no longer used by the container (`unusedN`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ApiType)]
pub struct CtUnused {
    /// The volume id.
    #[api(default_key, format = "pve-volume-id", format_description = "volume")]
    pub volume: String,
}

impl GuestFormat for CtUnused {}

/// The mount options of a volume, split.
pub fn mount_options(value: Option<&str>) -> Vec<&str> {
    value.map(|v| v.split(';').collect()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rootfs_round_trips_canonically() {
        let r = Rootfs::parse("size=8G,local-lvm:vm-100-disk-0,acl=on").expect("parses");
        assert_eq!(r.volume, "local-lvm:vm-100-disk-0");
        assert_eq!(
            r.print().expect("prints"),
            "local-lvm:vm-100-disk-0,acl=1,size=8G"
        );
    }

    #[test]
    fn mount_point_needs_its_target_and_a_clean_path() {
        let m = MountPoint::parse("local:100/vm-100-disk-1.raw,mp=/srv,backup=1").expect("parses");
        assert_eq!(
            m.print().expect("prints"),
            "local:100/vm-100-disk-1.raw,mp=/srv,backup=1"
        );
        assert_eq!(
            MountPoint::parse("local:vol").unwrap_err(),
            "format error\nmp: property is missing and it is not optional"
        );
        assert_eq!(
            MountPoint::parse("local:vol,mp=/srv/../etc").unwrap_err(),
            "format error\nmp: invalid format - /srv/../etc contains illegal character sequences"
        );
        assert_eq!(
            mount_options(Some("noatime;nodev")),
            vec!["noatime", "nodev"]
        );
    }
}
