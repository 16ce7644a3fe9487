//! Key tables of guest configs: which keys exist in `qemu-server/<vmid>.conf` and
//! `lxc/<vmid>.conf`, which are indexed families (`net0`..`net31`) and what type of value
//! each takes at parse time (boolean, integer, number, free text, or a named format).
//!
//! Facts only (key names, index ranges, types, format names as upstream registers them);
//! the checks themselves live in [`super::value`]. Must not depend on the typed layer.

/// How a key's value is checked and normalized when a config file is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueType {
    /// `1/on/yes/true` or `0/off/no/false`, written back as `1` or `0`.
    Boolean,
    /// Unsigned decimal digits, written back without leading zeros.
    Integer,
    /// Decimal number `digits[.digits]`, kept as written.
    Number,
    /// Free text (VM configs strip one pair of surrounding double quotes).
    Text,
    /// Text that must match the named format (upstream's format name where it has one).
    Format(&'static str),
}

/// An indexed key family such as `net0`..`net31`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Family {
    /// The key prefix (`net`).
    pub prefix: &'static str,
    /// Number of keys: indexes `0..count`.
    pub count: u32,
    /// Value type of every member.
    pub ty: ValueType,
}

use ValueType::{Boolean as B, Format as F, Integer as I, Number as N, Text as T};

/// Scalar (non-indexed) keys of a VM config.
pub const VM_KEYS: &[(&str, ValueType)] = &[
    ("acpi", B),
    ("affinity", F("pve-cpuset")),
    ("agent", F("pve-qm-agent")),
    ("allow-ksm", B),
    ("amd-sev", F("pve-qemu-sev-fmt")),
    ("arch", T),
    ("args", T),
    ("audio0", F("pve-qm-audio")),
    ("autostart", B),
    ("balloon", I),
    ("bios", T),
    ("boot", F("pve-qm-boot")),
    ("bootdisk", F("pve-qm-bootdisk")),
    ("cdrom", F("pve-qm-ide")),
    ("cicustom", F("pve-qm-cicustom")),
    ("cipassword", T),
    ("citype", T),
    ("ciupgrade", B),
    ("ciuser", T),
    ("cores", I),
    ("cpu", F("pve-vm-cpu-conf")),
    ("cpulimit", N),
    ("cpuunits", I),
    ("description", T),
    ("efidisk0", F("pve-qm-efidisk")),
    ("freeze", B),
    ("hookscript", F("pve-volume-id")),
    ("hotplug", F("pve-hotplug-features")),
    ("hugepages", T),
    ("intel-tdx", F("pve-qemu-tdx-fmt")),
    ("ivshmem", F("pve-qm-ivshmem")),
    ("keephugepages", B),
    ("keyboard", T),
    ("kvm", B),
    ("localtime", B),
    ("lock", T),
    ("machine", F("pve-qemu-machine-fmt")),
    ("memory", F("pve-qm-memory")),
    ("meta", F("pve-qm-meta")),
    ("migrate_downtime", N),
    ("migrate_speed", I),
    ("name", F("dns-name")),
    ("nameserver", F("address-list")),
    ("numa", B),
    ("onboot", B),
    ("ostype", T),
    ("parent", F("pve-configid")),
    ("protection", B),
    ("reboot", B),
    ("rng0", F("pve-qm-rng")),
    ("running-nets-host-mtu", T),
    ("runningcpu", T),
    ("runningmachine", F("pve-qemu-machine-fmt")),
    ("scsihw", T),
    ("searchdomain", T),
    ("shares", I),
    ("smbios1", F("pve-qm-smbios1")),
    ("smp", I),
    ("snaptime", I),
    ("sockets", I),
    ("spice_enhancements", F("pve-qm-spice-enhancements")),
    ("sshkeys", F("urlencoded")),
    ("startdate", T),
    ("startup", F("pve-startup-order")),
    ("tablet", B),
    ("tags", F("pve-tag-list")),
    ("tdf", B),
    ("template", B),
    ("tpmstate0", F("pve-qm-tpmstate")),
    ("vcpus", I),
    ("vga", F("pve-qm-vga")),
    ("vmgenid", T),
    ("vmstate", F("pve-volume-id")),
    ("vmstatestorage", F("pve-storage-id")),
    ("watchdog", F("pve-qm-watchdog")),
];

/// Indexed key families of a VM config.
pub const VM_FAMILIES: &[Family] = &[
    fam("hostpci", 16, F("pve-qm-hostpci")),
    fam("ide", 4, F("pve-qm-ide")),
    fam("ipconfig", 32, F("pve-qm-ipconfig")),
    fam("net", 32, F("pve-qm-net")),
    fam("numa", 8, F("pve-qm-numanode")),
    fam("parallel", 3, T),
    fam("sata", 6, F("pve-qm-sata")),
    fam("scsi", 31, F("pve-qm-scsi")),
    fam("serial", 4, T),
    fam("unused", 256, F("pve-qm-unused")),
    fam("usb", 14, F("pve-qm-usb")),
    fam("virtio", 16, F("pve-qm-virtio")),
    fam("virtiofs", 10, F("pve-qm-virtiofs")),
];

/// Scalar (non-indexed) keys of a container config.
pub const CT_KEYS: &[(&str, ValueType)] = &[
    ("arch", T),
    ("cmode", T),
    ("console", B),
    ("cores", I),
    ("cpulimit", N),
    ("cpuunits", I),
    ("debug", B),
    ("description", T),
    ("entrypoint", T),
    ("env", T),
    ("features", F("pve-ct-features")),
    ("hookscript", F("pve-volume-id")),
    ("hostname", F("dns-name")),
    ("lock", T),
    ("memory", I),
    ("nameserver", F("lxc-ip-with-ll-iface-list")),
    ("onboot", B),
    ("ostype", T),
    ("parent", F("pve-configid")),
    ("protection", B),
    ("rootfs", F("pve-ct-rootfs")),
    ("searchdomain", F("dns-name-list")),
    ("snaptime", I),
    ("startup", F("pve-startup-order")),
    ("swap", I),
    ("tags", F("pve-tag-list")),
    ("template", B),
    ("timezone", F("pve-ct-timezone")),
    ("tty", I),
    ("unprivileged", B),
];

/// Indexed key families of a container config.
pub const CT_FAMILIES: &[Family] = &[
    fam("dev", 256, F("pve-ct-dev")),
    fam("mp", 256, F("pve-ct-mountpoint")),
    fam("net", 32, F("pve-ct-net")),
    fam("unused", 256, F("pve-ct-unused")),
];

const fn fam(prefix: &'static str, count: u32, ty: ValueType) -> Family {
    Family { prefix, count, ty }
}

/// Splits `net12` into `("net", 12)`; the index must be written canonically (no leading
/// zero), as upstream looks keys up by their exact name.
pub fn split_indexed(key: &str) -> Option<(&str, u32)> {
    let digits = key.len() - key.trim_end_matches(|c: char| c.is_ascii_digit()).len();
    if digits == 0 || digits == key.len() {
        return None;
    }
    let (prefix, index) = key.split_at(key.len() - digits);
    if index.len() > 1 && index.starts_with('0') {
        return None;
    }
    Some((prefix, index.parse().ok()?))
}

fn lookup(key: &str, keys: &[(&str, ValueType)], families: &[Family]) -> Option<ValueType> {
    // The key tables are sorted byte-wise (a test below keeps them so).
    if let Ok(i) = keys.binary_search_by(|(k, _)| k.cmp(&key)) {
        return keys.get(i).map(|(_, ty)| *ty);
    }
    let (prefix, index) = split_indexed(key)?;
    families
        .iter()
        .find(|f| f.prefix == prefix && index < f.count)
        .map(|f| f.ty)
}

/// The family a key belongs to, if it is an indexed key of a VM config.
pub fn vm_family(key: &str) -> Option<(Family, u32)> {
    family_of(key, VM_FAMILIES)
}

/// The family a key belongs to, if it is an indexed key of a container config.
pub fn ct_family(key: &str) -> Option<(Family, u32)> {
    family_of(key, CT_FAMILIES)
}

fn family_of(key: &str, families: &[Family]) -> Option<(Family, u32)> {
    let (prefix, index) = split_indexed(key)?;
    families
        .iter()
        .find(|f| f.prefix == prefix && index < f.count)
        .map(|f| (*f, index))
}

/// Value type of a VM config key, `None` for an unknown key.
pub fn vm_key_type(key: &str) -> Option<ValueType> {
    lookup(key, VM_KEYS, VM_FAMILIES)
}

/// Value type of a container config key, `None` for an unknown key.
pub fn ct_key_type(key: &str) -> Option<ValueType> {
    lookup(key, CT_KEYS, CT_FAMILIES)
}

/// True for VM keys holding a disk drive (`ide0`, `scsi3`, `efidisk0`, ...), not `unusedN`.
pub fn is_vm_drive_key(key: &str) -> bool {
    if key == "efidisk0" || key == "tpmstate0" {
        return true;
    }
    matches!(vm_family(key), Some((f, _)) if matches!(f.prefix, "ide" | "sata" | "scsi" | "virtio"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_tables_are_sorted_for_binary_search() {
        for table in [VM_KEYS, CT_KEYS] {
            assert!(table.windows(2).all(|w| w[0].0 < w[1].0));
        }
    }

    #[test]
    fn indexed_keys_are_known_up_to_their_maximum() {
        assert_eq!(vm_key_type("net31"), Some(F("pve-qm-net")));
        assert_eq!(vm_key_type("net32"), None);
        assert_eq!(vm_key_type("scsi30"), Some(F("pve-qm-scsi")));
        assert_eq!(vm_key_type("scsi31"), None);
        assert_eq!(vm_key_type("unused255"), Some(F("pve-qm-unused")));
        assert_eq!(ct_key_type("mp255"), Some(F("pve-ct-mountpoint")));
        assert_eq!(ct_key_type("mp256"), None);
    }

    #[test]
    fn index_with_leading_zero_is_not_a_key() {
        assert_eq!(vm_key_type("net01"), None);
        assert_eq!(split_indexed("net0"), Some(("net", 0)));
        assert_eq!(split_indexed("42"), None);
    }

    #[test]
    fn scalar_keys_have_their_types() {
        assert_eq!(vm_key_type("numa"), Some(B));
        assert_eq!(vm_key_type("numa0"), Some(F("pve-qm-numanode")));
        assert_eq!(vm_key_type("cores"), Some(I));
        assert_eq!(ct_key_type("memory"), Some(I));
        assert_eq!(vm_key_type("bogus"), None);
    }

    #[test]
    fn tables_are_sorted_and_unique() {
        for table in [VM_KEYS, CT_KEYS] {
            assert!(table.windows(2).all(|w| w[0].0 < w[1].0));
        }
    }

    #[test]
    fn drive_keys_exclude_unused() {
        assert!(is_vm_drive_key("scsi0"));
        assert!(is_vm_drive_key("efidisk0"));
        assert!(!is_vm_drive_key("unused0"));
        assert!(!is_vm_drive_key("net0"));
    }
}
