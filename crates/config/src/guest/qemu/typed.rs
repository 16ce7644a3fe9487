//! Typed accessors of a VM config: property-string values read into the structs of
//! [`super::formats`] and written back in upstream's canonical form.

use super::devices::{indexed, DriveKey};
use super::formats::drive::{parse_bus_drive, Drive, EfiDisk, TpmState, UnusedVolume};
use super::formats::net::NetDevice;
use super::VmConfig;
use crate::guest::formats::{typed_get, typed_print, GuestFormat, GuestValueError};

/// A typed disk value: what a [`DriveKey`] holds.
#[derive(Debug, Clone, PartialEq)]
pub enum DriveValue {
    /// A bus drive (`ide0`, `sata0`, `scsi0`, `virtio0`).
    Disk(Box<Drive>),
    /// `efidisk0`.
    Efi(EfiDisk),
    /// `tpmstate0`.
    Tpm(TpmState),
}

impl VmConfig {
    /// The value of `key` in the current configuration as format `T`.
    pub fn get_typed<T: GuestFormat>(&self, key: &str) -> Result<Option<T>, GuestValueError> {
        typed_get(key, self.get(key))
    }

    /// Sets `key` to the canonical text of `value` (checked like [`Self::set`]).
    pub fn set_typed<T: GuestFormat>(
        &mut self,
        key: &str,
        value: &T,
    ) -> Result<(), GuestValueError> {
        let text = typed_print(key, value)?;
        self.set(key, &text)
            .map_err(|e| GuestValueError::new(key, e))
    }

    /// The disk at `key`, checked with the keys its bus allows.
    pub fn drive(&self, key: &DriveKey) -> Result<Option<DriveValue>, GuestValueError> {
        let name = key.to_string();
        let Some(text) = self.get(&name) else {
            return Ok(None);
        };
        let value = match key {
            DriveKey::Bus(bus, _) => parse_bus_drive(*bus, text)
                .map(|d| DriveValue::Disk(Box::new(d)))
                .map_err(|e| GuestValueError::new(&name, e))?,
            DriveKey::EfiDisk => {
                DriveValue::Efi(EfiDisk::parse(text).map_err(|e| GuestValueError::new(&name, e))?)
            }
            DriveKey::TpmState => {
                DriveValue::Tpm(TpmState::parse(text).map_err(|e| GuestValueError::new(&name, e))?)
            }
        };
        Ok(Some(value))
    }

    /// Sets the disk at `key`; the value kind must fit the key and a bus drive may only
    /// use its bus's keys.
    pub fn set_drive(&mut self, key: &DriveKey, value: &DriveValue) -> Result<(), GuestValueError> {
        let name = key.to_string();
        match (key, value) {
            (DriveKey::Bus(..), DriveValue::Disk(d)) => self.set_typed(&name, d.as_ref()),
            (DriveKey::EfiDisk, DriveValue::Efi(e)) => self.set_typed(&name, e),
            (DriveKey::TpmState, DriveValue::Tpm(t)) => self.set_typed(&name, t),
            _ => Err(GuestValueError::new(
                &name,
                "drive kind does not fit the key",
            )),
        }
    }

    /// The network devices (`netN`) of the current configuration, by index.
    pub fn nets(&self) -> Result<Vec<(u32, NetDevice)>, GuestValueError> {
        self.typed_family("net")
    }

    /// Sets network device `netN`.
    pub fn set_net(&mut self, index: u32, net: &NetDevice) -> Result<(), GuestValueError> {
        self.set_typed(&format!("net{index}"), net)
    }

    /// The unused volumes (`unusedN`) of the current configuration, by index.
    pub fn unused_volumes(&self) -> Result<Vec<(u32, UnusedVolume)>, GuestValueError> {
        self.typed_family("unused")
    }

    /// Every member of family `prefix` (`hostpci`, `usb`, `numa`, `ipconfig`, ...) as
    /// format `T`, by index.
    pub fn typed_family<T: GuestFormat>(
        &self,
        prefix: &str,
    ) -> Result<Vec<(u32, T)>, GuestValueError> {
        indexed(&self.main, prefix)
            .map(|(index, text)| {
                T::parse(text)
                    .map(|v| (index, v))
                    .map_err(|e| GuestValueError::new(&format!("{prefix}{index}"), e))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::guest::formats::StartupOrder;
    use crate::guest::qemu::devices::DriveBus;
    use crate::guest::qemu::formats::misc::Agent;
    use crate::guest::qemu::formats::pci::HostPci;
    use crate::Format;

    const TEXT: &str = "agent: 1\nnet0: virtio=BC:24:11:2C:69:EC,bridge=vmbr0,firewall=1\n\
        scsi0: local-lvm:vm-100-disk-0,iothread=1,size=32G\nstartup: order=2\n\
        hostpci1: 01:00.0,pcie=1\nefidisk0: local-lvm:vm-100-disk-1,efitype=4m\n";

    fn conf() -> VmConfig {
        VmConfig::parse("qemu-server/100.conf", TEXT).expect("parses")
    }

    #[test]
    fn typed_getters_read_property_strings() {
        let conf = conf();
        let key = DriveKey::Bus(DriveBus::Scsi, 0);
        let Some(DriveValue::Disk(d)) = conf.drive(&key).expect("valid") else {
            panic!("disk expected")
        };
        assert_eq!(d.size.as_deref(), Some("32G"));
        assert!(matches!(
            conf.drive(&DriveKey::EfiDisk),
            Ok(Some(DriveValue::Efi(_)))
        ));
        assert_eq!(conf.drive(&DriveKey::TpmState), Ok(None));
        let nets = conf.nets().expect("valid");
        assert_eq!(nets.len(), 1);
        assert_eq!(nets[0].1.bridge.as_deref(), Some("vmbr0"));
        let agent: Agent = conf.get_typed("agent").expect("valid").expect("set");
        assert!(agent.enabled);
        let startup: StartupOrder = conf.get_typed("startup").expect("valid").expect("set");
        assert_eq!(startup.order, Some(2));
        let pci: Vec<(u32, HostPci)> = conf.typed_family("hostpci").expect("valid");
        assert_eq!(pci[0].0, 1);
    }

    #[test]
    fn typed_setters_write_canonical_text() {
        let mut conf = conf();
        let key = DriveKey::Bus(DriveBus::Virtio, 1);
        let drive = Drive {
            file: "local:vm-100-disk-2".into(),
            size: Some("8G".into()),
            cache: Some(super::super::formats::drive::CacheMode::Writeback),
            ..Default::default()
        };
        conf.set_drive(&key, &DriveValue::Disk(Box::new(drive)))
            .expect("sets");
        assert_eq!(
            conf.get("virtio1"),
            Some("local:vm-100-disk-2,cache=writeback,size=8G")
        );
        let mut net = conf.nets().expect("valid").remove(0).1;
        net.tag = Some(10);
        conf.set_net(0, &net).expect("sets");
        assert_eq!(
            conf.get("net0"),
            Some("virtio=BC:24:11:2C:69:EC,bridge=vmbr0,firewall=1,tag=10")
        );
        let bad = DriveValue::Efi(EfiDisk::default());
        assert!(conf.set_drive(&key, &bad).is_err());
    }

    #[test]
    fn bus_drive_with_foreign_key_is_refused_on_set() {
        let mut conf = conf();
        let drive = Drive {
            file: "local:vm-100-disk-3".into(),
            iothread: Some(true),
            ..Default::default()
        };
        let err = conf
            .set_drive(
                &DriveKey::Bus(DriveBus::Ide, 0),
                &DriveValue::Disk(Box::new(drive)),
            )
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "unable to parse value of 'ide0' - invalid key in comma-separated list property: iothread"
        );
    }
}
