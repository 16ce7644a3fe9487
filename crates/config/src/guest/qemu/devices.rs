//! Typed keys of a VM config's device families: which disk a `scsi3` or `efidisk0` key
//! names, and iterators over the drives, NICs and other indexed entries of a section.
//! Values stay raw strings here; typed property-string views build on these keys.

use super::VmConfig;
use crate::guest::keys::{split_indexed, vm_family};
use crate::guest::Section;
use std::fmt;
use std::str::FromStr;

/// The bus a disk drive hangs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DriveBus {
    /// `ide0`..`ide3`.
    Ide,
    /// `sata0`..`sata5`.
    Sata,
    /// `scsi0`..`scsi30`.
    Scsi,
    /// `virtio0`..`virtio15`.
    Virtio,
}

impl DriveBus {
    /// The key prefix (`scsi`).
    pub fn prefix(self) -> &'static str {
        match self {
            Self::Ide => "ide",
            Self::Sata => "sata",
            Self::Scsi => "scsi",
            Self::Virtio => "virtio",
        }
    }

    /// Number of drives the bus takes (indexes `0..max`).
    pub fn slots(self) -> u32 {
        match self {
            Self::Ide => 4,
            Self::Sata => 6,
            Self::Scsi => 31,
            Self::Virtio => 16,
        }
    }
}

/// The config key of a disk drive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DriveKey {
    /// A bus drive (`scsi3`).
    Bus(DriveBus, u32),
    /// `efidisk0`.
    EfiDisk,
    /// `tpmstate0`.
    TpmState,
}

/// A key that is not a drive key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid drive key '{0}'")]
pub struct InvalidDriveKey(pub String);

impl FromStr for DriveKey {
    type Err = InvalidDriveKey;

    fn from_str(key: &str) -> Result<Self, Self::Err> {
        match key {
            "efidisk0" => return Ok(Self::EfiDisk),
            "tpmstate0" => return Ok(Self::TpmState),
            _ => {}
        }
        let bus = split_indexed(key).and_then(|(prefix, index)| {
            [
                DriveBus::Ide,
                DriveBus::Sata,
                DriveBus::Scsi,
                DriveBus::Virtio,
            ]
            .into_iter()
            .find(|b| b.prefix() == prefix && index < b.slots())
            .map(|b| Self::Bus(b, index))
        });
        bus.ok_or_else(|| InvalidDriveKey(key.to_string()))
    }
}

impl fmt::Display for DriveKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Bus(bus, index) => write!(f, "{}{index}", bus.prefix()),
            Self::EfiDisk => f.write_str("efidisk0"),
            Self::TpmState => f.write_str("tpmstate0"),
        }
    }
}

/// The members of family `prefix` (`net`, `unused`, `hostpci`, ...) set in `section`,
/// by index.
pub fn indexed<'a>(section: &'a Section, prefix: &'a str) -> impl Iterator<Item = (u32, &'a str)> {
    section
        .values
        .iter()
        .filter_map(move |(k, v)| match vm_family(k) {
            Some((family, index)) if family.prefix == prefix => Some((index, v.as_str())),
            _ => None,
        })
}

impl VmConfig {
    /// The disk drives of the current configuration with their raw values.
    pub fn raw_drives(&self) -> impl Iterator<Item = (DriveKey, &str)> {
        self.main
            .values
            .iter()
            .filter_map(|(k, v)| k.parse::<DriveKey>().ok().map(|key| (key, v.as_str())))
    }

    /// The network devices (`netN`) of the current configuration, by index, as raw
    /// values (see `nets` for typed ones).
    pub fn raw_nets(&self) -> impl Iterator<Item = (u32, &str)> {
        indexed(&self.main, "net")
    }

    /// The unused volumes (`unusedN`) of the current configuration, by index.
    pub fn unused(&self) -> impl Iterator<Item = (u32, &str)> {
        indexed(&self.main, "unused")
    }

    /// The lowest free index of family `prefix` with `max` members, if any is free.
    pub fn free_index(&self, prefix: &str, max: u32) -> Option<u32> {
        (0..max).find(|i| !self.main.values.contains_key(&format!("{prefix}{i}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Format;

    #[test]
    fn drive_keys_parse_and_print() {
        assert_eq!("scsi30".parse(), Ok(DriveKey::Bus(DriveBus::Scsi, 30)));
        assert_eq!("efidisk0".parse(), Ok(DriveKey::EfiDisk));
        assert!("scsi31".parse::<DriveKey>().is_err());
        assert!("unused0".parse::<DriveKey>().is_err());
        assert!("ide01".parse::<DriveKey>().is_err());
        assert_eq!(DriveKey::Bus(DriveBus::Virtio, 2).to_string(), "virtio2");
    }

    #[test]
    fn iterators_list_family_members_of_the_main_section() {
        let text =
            "efidisk0: local:1\nnet1: virtio\nnet10: e1000\nscsi0: local:2\nunused3: local:3\n";
        let conf = VmConfig::parse("qemu-server/1.conf", text).unwrap();
        let drives: Vec<String> = conf.raw_drives().map(|(k, _)| k.to_string()).collect();
        assert_eq!(drives, vec!["efidisk0", "scsi0"]);
        assert_eq!(
            conf.raw_nets().map(|(i, _)| i).collect::<Vec<_>>(),
            vec![1, 10]
        );
        assert_eq!(conf.unused().collect::<Vec<_>>(), vec![(3, "local:3")]);
        assert_eq!(conf.free_index("net", 32), Some(0));
        assert_eq!(conf.free_index("efidisk", 1), None);
    }
}
