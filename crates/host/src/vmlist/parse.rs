//! The few settings of a guest config the guest list needs (name, template, memory,
//! CPUs, boot-disk size, tags, lock), read from the main section only. Deliberately not
//! the full config grammar: this runs over thousands of files and must never fail.

use super::{GuestInfo, GuestType};
use std::collections::BTreeMap;

/// Default memory of a guest without `memory`, in MiB (both VMs and CTs).
const DEFAULT_MEMORY_MIB: u64 = 512;

/// Reads the main section of a guest config into its list entry.
pub fn parse_guest(ty: GuestType, vmid: u32, node: &str, text: &str) -> GuestInfo {
    let main = main_section(text);
    let get = |k: &str| main.get(k).map(String::as_str);
    let name_key = match ty {
        GuestType::Qemu => "name",
        GuestType::Lxc => "hostname",
    };
    GuestInfo {
        vmid,
        node: node.to_string(),
        ty,
        name: get(name_key).map(str::to_string),
        template: get("template").is_some_and(|v| matches!(v, "1" | "yes" | "on" | "true")),
        maxmem: memory_mib(get("memory")).saturating_mul(1024 * 1024),
        cpus: match ty {
            GuestType::Qemu => Some(qemu_cpus(&main)),
            GuestType::Lxc => lxc_cpus(&main),
        },
        cpulimit: get("cpulimit")
            .and_then(|v| v.parse::<f64>().ok())
            .filter(|v| *v > 0.0),
        maxdisk: match ty {
            GuestType::Qemu => qemu_boot_disk_size(&main),
            GuestType::Lxc => get("rootfs").and_then(drive_size).unwrap_or(0),
        },
        tags: get("tags").map(str::to_string),
        lock: get("lock").map(str::to_string),
    }
}

/// `key: value` pairs before the first `[section]`; comments skipped.
fn main_section(text: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            break;
        }
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some((k, v)) = line.split_once(':') {
            out.insert(k.trim().to_string(), v.trim().to_string());
        }
    }
    out
}

/// `memory: 2048` or the property-string form `memory: current=2048`.
fn memory_mib(value: Option<&str>) -> u64 {
    let Some(v) = value else {
        return DEFAULT_MEMORY_MIB;
    };
    let current = v
        .split(',')
        .find_map(|p| match p.split_once('=') {
            Some(("current", n)) => Some(n),
            Some(_) => None,
            None => Some(p),
        })
        .unwrap_or(v);
    current.trim().parse().unwrap_or(DEFAULT_MEMORY_MIB)
}

fn qemu_cpus(main: &BTreeMap<String, String>) -> f64 {
    let num = |k: &str| main.get(k).and_then(|v| v.parse::<u64>().ok());
    if let Some(v) = num("vcpus").filter(|v| *v > 0) {
        return v as f64;
    }
    let sockets = num("sockets").filter(|v| *v > 0).unwrap_or(1);
    let cores = num("cores").filter(|v| *v > 0).unwrap_or(1);
    sockets.saturating_mul(cores) as f64
}

/// `cores` of a container; `None` means every host CPU.
fn lxc_cpus(main: &BTreeMap<String, String>) -> Option<f64> {
    main.get("cores")
        .and_then(|v| v.parse::<u64>().ok())
        .filter(|v| *v > 0)
        .map(|v| v as f64)
}

/// The size of the boot disk: `bootdisk`, else the first disk of `boot: order=`, else
/// (legacy order) the first disk in ide/sata/scsi/virtio order.
fn qemu_boot_disk_size(main: &BTreeMap<String, String>) -> u64 {
    let boot = main.get("boot").map(String::as_str).unwrap_or("");
    let order = boot
        .split(',')
        .find_map(|p| p.strip_prefix("order="))
        .map(|o| o.split(';').map(str::to_string).collect::<Vec<_>>());
    let candidates: Vec<String> = match (main.get("bootdisk"), order) {
        (Some(d), _) => vec![d.clone()],
        (None, Some(order)) => order,
        (None, None) => legacy_disk_order(main),
    };
    candidates
        .iter()
        .filter(|k| is_disk_key(k))
        .filter_map(|k| main.get(k))
        .find(|v| !v.split(',').any(|p| p == "media=cdrom"))
        .and_then(|v| drive_size(v))
        .unwrap_or(0)
}

fn legacy_disk_order(main: &BTreeMap<String, String>) -> Vec<String> {
    let mut keys: Vec<&String> = main.keys().filter(|k| is_disk_key(k)).collect();
    let rank = |k: &str| {
        let bus = ["ide", "sata", "scsi", "virtio"]
            .iter()
            .position(|b| k.starts_with(b))
            .unwrap_or(4);
        let n: u32 = k
            .trim_start_matches(|c: char| c.is_ascii_alphabetic())
            .parse()
            .unwrap_or(0);
        (bus, n)
    };
    keys.sort_by_key(|k| rank(k));
    keys.into_iter().cloned().collect()
}

fn is_disk_key(key: &str) -> bool {
    ["ide", "sata", "scsi", "virtio"].iter().any(|bus| {
        key.strip_prefix(bus)
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
    })
}

/// The `size=` of a drive or mount point property string, in bytes.
pub fn drive_size(value: &str) -> Option<u64> {
    value
        .split(',')
        .find_map(|p| p.strip_prefix("size="))
        .and_then(parse_size)
}

/// `32G`, `512M`, `1T`, `100K`, plain bytes; fractions allowed (`1.5G`).
pub fn parse_size(text: &str) -> Option<u64> {
    let text = text.trim();
    let (num, unit) = match text.char_indices().last() {
        Some((i, c)) if c.is_ascii_alphabetic() => (&text[..i], c.to_ascii_uppercase()),
        _ => (text, 'B'),
    };
    let factor: u64 = match unit {
        'B' => 1,
        'K' => 1 << 10,
        'M' => 1 << 20,
        'G' => 1 << 30,
        'T' => 1 << 40,
        _ => return None,
    };
    let value: f64 = num.parse().ok()?;
    (value.is_finite() && value >= 0.0).then_some((value * factor as f64) as u64)
}
