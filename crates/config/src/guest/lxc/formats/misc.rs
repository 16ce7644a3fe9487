//! Container feature switches (`features`) and device pass-through (`devN`).

use crate::guest::formats::GuestFormat;
use serde::{Deserialize, Serialize};
use virton_schema::ApiType;

/// Optional kernel features a container may use (`features`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ApiType)]
pub struct Features {
    /// File system types the container may mount, `;` separated.
    #[api(pattern = "[a-zA-Z0-9_; ]+", format_description = "fstype;fstype;...")]
    pub mount: Option<String>,
    /// Nested containers.
    #[api(default = "0")]
    pub nesting: Option<bool>,
    /// The keyctl system call (unprivileged containers).
    #[api(default = "0")]
    pub keyctl: Option<bool>,
    /// FUSE mounts.
    #[api(default = "0")]
    pub fuse: Option<bool>,
    /// Creating device nodes (through seccomp notification).
    #[api(default = "0")]
    pub mknod: Option<bool>,
    /// `/sys` mounted read-write.
    #[api(default = "0")]
    pub force_rw_sys: Option<bool>,
}

impl GuestFormat for Features {}

/// Upstream's `pve-lxc-dev-string`: below `/dev/`, without `.` or `..` components.
pub fn check_dev_string(value: &str) -> Result<(), String> {
    let dotted = value
        .split('/')
        .skip(1)
        .any(|component| component == "." || component == "..");
    if dotted || !value.starts_with("/dev/") {
        Err(format!("{value} is not a valid device path"))
    } else {
        Ok(())
    }
}

/// A host device passed into the container (`devN`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ApiType)]
pub struct DeviceEntry {
    /// Device path below `/dev/`.
    #[api(
        default_key,
        format = "pve-lxc-dev-string",
        format_description = "Path"
    )]
    pub path: Option<String>,
    /// Access mode in octal (`0660`).
    #[api(pattern = "0[0-7]{3}", format_description = "Octal access mode")]
    pub mode: Option<String>,
    /// Owner inside the container.
    #[api(minimum = 0)]
    pub uid: Option<u64>,
    /// Group inside the container.
    #[api(minimum = 0)]
    pub gid: Option<u64>,
    /// Read-only access.
    #[serde(rename = "deny-write")]
    #[api(default = "0")]
    pub deny_write: Option<bool>,
}

impl GuestFormat for DeviceEntry {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn features_round_trip_sorted() {
        let f = Features::parse("nesting=1,keyctl=yes").expect("parses");
        assert_eq!(f.print().expect("prints"), "keyctl=1,nesting=1");
    }

    #[test]
    fn device_paths_are_checked_as_upstream() {
        let d = DeviceEntry::parse("/dev/ttyUSB0,mode=0660,gid=20").expect("parses");
        assert_eq!(d.print().expect("prints"), "/dev/ttyUSB0,gid=20,mode=0660");
        assert_eq!(
            DeviceEntry::parse("/etc/passwd").unwrap_err(),
            "format error\npath: invalid format - /etc/passwd is not a valid device path"
        );
        assert!(check_dev_string("/dev/../etc").is_err());
        assert!(check_dev_string("/dev/.").is_err());
    }
}
