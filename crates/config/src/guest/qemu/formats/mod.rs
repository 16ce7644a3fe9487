//! Typed property-string formats of VM config keys (`net0`, `scsi0`, `cpu`, ...) as
//! Rust structs deriving `ApiType`, and their registration with the schema registry
//! under the format names the raw key table ([`crate::guest::keys`]) uses, so reading
//! a config checks every such value as upstream does.

pub mod cpu;
pub mod drive;
pub mod misc;
pub mod net;
pub mod normalize;
pub mod pci;

use crate::guest::formats::{check_typed, register as reg, StartupOrder};
use crate::guest::qemu::devices::DriveBus;
use cpu::{AmdSev, Cpu, IntelTdx};
use drive::{check_bus, EfiDisk, TpmState, UnusedVolume};
use misc::{
    Agent, Audio, Boot, CiCustom, Ivshmem, Machine, Memory, MetaInfo, NumaNode, Rng, Smbios1,
    SpiceEnhancements, Vga, Virtiofs, Watchdog,
};
use net::{IpConfig, NetDevice};
use pci::{HostPci, UsbDevice};

/// Registers the VM formats (called once through [`crate::guest::formats::ensure_registered`]).
pub(crate) fn register() {
    reg("pve-qm-ide", |v| check_bus(DriveBus::Ide, v));
    reg("pve-qm-sata", |v| check_bus(DriveBus::Sata, v));
    reg("pve-qm-scsi", |v| check_bus(DriveBus::Scsi, v));
    reg("pve-qm-virtio", |v| check_bus(DriveBus::Virtio, v));
    reg("pve-qm-efidisk", check_typed::<EfiDisk>);
    reg("pve-qm-tpmstate", check_typed::<TpmState>);
    reg("pve-qm-unused", check_typed::<UnusedVolume>);
    reg("pve-qm-net", check_typed::<NetDevice>);
    reg("pve-qm-ipconfig", check_typed::<IpConfig>);
    reg("pve-qm-hostpci", check_typed::<HostPci>);
    reg("pve-qm-usb", check_typed::<UsbDevice>);
    reg("pve-qm-agent", check_typed::<Agent>);
    reg("pve-qm-vga", check_typed::<Vga>);
    reg("pve-qm-boot", check_typed::<Boot>);
    reg("pve-qm-memory", check_typed::<Memory>);
    reg("pve-qm-numanode", check_typed::<NumaNode>);
    reg("pve-qm-smbios1", check_typed::<Smbios1>);
    reg("pve-qm-audio", check_typed::<Audio>);
    reg("pve-qm-rng", check_typed::<Rng>);
    reg(
        "pve-qm-spice-enhancements",
        check_typed::<SpiceEnhancements>,
    );
    reg("pve-qm-watchdog", check_typed::<Watchdog>);
    reg("pve-qm-ivshmem", check_typed::<Ivshmem>);
    reg("pve-qm-virtiofs", check_typed::<Virtiofs>);
    reg("pve-qemu-machine-fmt", check_typed::<Machine>);
    reg("pve-qm-cicustom", check_typed::<CiCustom>);
    reg("pve-qm-meta", check_typed::<MetaInfo>);
    reg("pve-vm-cpu-conf", check_typed::<Cpu>);
    reg("pve-qemu-sev-fmt", check_typed::<AmdSev>);
    reg("pve-qemu-tdx-fmt", check_typed::<IntelTdx>);
    reg("pve-phys-bits", cpu::check_phys_bits);
    reg("pve-cpuset", cpu::check_cpuset);
    reg("pve-qm-bootdev", check_bootdev);
    reg("pve-qm-bootdisk", check_bootdisk);
    // Built in already when the schema crate checks it; typed here for accessors.
    reg("pve-startup-order", check_typed::<StartupOrder>);
}

/// Upstream's `pve-qm-bootdisk`: a drive key (not `unusedN`).
fn check_bootdisk(value: &str) -> Result<(), String> {
    if crate::guest::keys::is_vm_drive_key(value) {
        Ok(())
    } else {
        Err(format!("invalid boot disk '{value}'"))
    }
}

/// Upstream's `pve-qm-bootdev`: a bus drive, NIC, USB or PCI device key.
fn check_bootdev(value: &str) -> Result<(), String> {
    let bus_drive = value
        .parse::<crate::guest::qemu::devices::DriveKey>()
        .is_ok_and(|k| matches!(k, crate::guest::qemu::devices::DriveKey::Bus(..)));
    let device = crate::guest::keys::vm_family(value)
        .is_some_and(|(f, _)| matches!(f.prefix, "net" | "usb" | "hostpci"));
    if bus_drive || device {
        Ok(())
    } else {
        Err(format!("invalid boot device '{value}'"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boot_devices_and_disks_are_checked() {
        assert!(check_bootdev("scsi0").is_ok());
        assert!(check_bootdev("net3").is_ok());
        assert_eq!(
            check_bootdev("efidisk0").unwrap_err(),
            "invalid boot device 'efidisk0'"
        );
        assert!(check_bootdisk("virtio15").is_ok());
        assert_eq!(
            check_bootdisk("unused0").unwrap_err(),
            "invalid boot disk 'unused0'"
        );
    }

    #[test]
    fn registered_formats_check_through_the_schema_registry() {
        crate::guest::formats::ensure_registered();
        assert!(virton_schema::check_format("pve-qm-net", "virtio,bridge=vmbr0").is_ok());
        assert_eq!(
            virton_schema::check_format("pve-qm-scsi", "local:vm-1-disk-0,model=x").unwrap_err(),
            "invalid key in comma-separated list property: model"
        );
        assert!(virton_schema::check_format("pve-qm-ide", "local:vm-1-disk-0,model=x").is_ok());
        assert_eq!(
            virton_schema::check_format("pve-qm-boot", "order=scsi0;bogus0").unwrap_err(),
            "format error\norder: invalid format - invalid boot device 'bogus0'"
        );
    }
}
