//! Upstream's read-time rewrite of bus drives (`ide0`, `sata0`, `scsi0`, `virtio0`):
//! its drive parser's extra checks (with their warnings), bare file names turned into
//! volume ids, and the value re-printed in canonical key order with the texts of the
//! values kept as written (booleans as `1`/`0`, sizes in their largest unit).
//!
//! Works on a value that already passed its format check.

use super::drive::{bus_schema, Drive};
use crate::guest::formats::GuestFormat;
use crate::guest::qemu::devices::DriveBus;
use indexmap::IndexMap;
use serde_json::{Map, Value};
use virton_schema::text::{format_size, parse_boolean, parse_size, perl_truthy};
use virton_schema::{ObjectSchema, Schema};

/// The outcome of [`normalize_drive`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Normalized {
    /// The value upstream stores, `None` when it refuses the drive.
    pub value: Option<String>,
    /// Warnings upstream prints while reading the drive (not errors, even when strict).
    pub warnings: Vec<String>,
}

/// Rewrites a checked bus-drive value as upstream does when reading a config of VM
/// `vmid`. `None` as value means upstream's "unable to parse value" error.
pub fn normalize_drive(vmid: &str, bus: DriveBus, value: &str) -> Normalized {
    let mut warnings = Vec::new();
    let drive = text_map(value, bus_schema(bus))
        .and_then(|map| drive_checks(bus, map, &mut warnings))
        .unwrap_or_default();
    let file = drive.get("file").map(String::as_str);
    let media = drive.get("media").map(String::as_str);
    let Some(volid) = filename_to_volume_id(vmid, file, media) else {
        return Normalized {
            value: None,
            warnings,
        };
    };
    let mut drive = drive;
    drive.insert("file".to_string(), volid);
    Normalized {
        value: print_texts(&drive).ok(),
        warnings,
    }
}

/// Key -> text of a property string that passed its check: aliases resolved, the
/// keyless part under the default key, booleans spelled `1`/`0`.
fn text_map(value: &str, schema: &ObjectSchema) -> Option<IndexMap<String, String>> {
    let mut map = IndexMap::new();
    for part in value.split(',') {
        if part.chars().all(char::is_whitespace) {
            continue;
        }
        let (key, text) = match part.split_once('=') {
            Some((k, v)) => (k, v),
            None => (schema.default_key()?, part),
        };
        let key = schema
            .property(key)
            .and_then(|p| p.alias.as_deref())
            .unwrap_or(key);
        let text = match schema.property(key).map(|p| &p.schema) {
            Some(Schema::Boolean(_)) => match parse_boolean(text) {
                Some(b) => if b { "1" } else { "0" }.to_string(),
                None => text.to_string(),
            },
            _ => text.to_string(),
        };
        map.insert(key.to_string(), text);
    }
    Some(map)
}

fn truthy(map: &IndexMap<String, String>, key: &str) -> bool {
    map.get(key).is_some_and(|v| perl_truthy(v))
}

/// Option -> option it needs (upstream checks these by hand in its drive parser).
const REQUIREMENTS: &[(&str, &str)] = &[
    ("mbps_max", "mbps"),
    ("mbps_rd_max", "mbps_rd"),
    ("mbps_wr_max", "mbps_wr"),
    ("bps_max_length", "mbps_max"),
    ("bps_rd_max_length", "mbps_rd_max"),
    ("bps_wr_max_length", "mbps_wr_max"),
    ("iops_max_length", "iops_max"),
    ("iops_rd_max_length", "iops_rd_max"),
    ("iops_wr_max_length", "iops_wr_max"),
];

/// Upstream's drive parser on top of the format: `None` when it refuses the drive.
fn drive_checks(
    bus: DriveBus,
    mut map: IndexMap<String, String>,
    warnings: &mut Vec<String>,
) -> Option<IndexMap<String, String>> {
    let mut error = false;
    for opt in ["bps", "bps_rd", "bps_wr"] {
        if map.shift_remove(opt).is_none() {
            continue;
        }
        let target = format!("m{opt}");
        if map.contains_key(&target) {
            warnings.push(format!("both {opt} and {target} specified"));
            error = true;
        } else {
            // Upstream converts the *definedness* of the value (1), not the value.
            map.insert(target, "0.000".to_string());
        }
    }
    for (option, required) in REQUIREMENTS {
        if truthy(&map, option) && !truthy(&map, required) {
            warnings.push(format!("{option} requires {required}"));
            error = true;
        }
    }
    let conflicts = [
        ("mbps_rd", "mbps"),
        ("mbps_wr", "mbps"),
        ("iops_rd", "iops"),
        ("iops_wr", "iops"),
    ];
    if error
        || conflicts
            .iter()
            .any(|(a, b)| truthy(&map, a) && truthy(&map, b))
    {
        return None;
    }
    if map.get("media").is_some_and(|m| m == "cdrom")
        && (truthy(&map, "snapshot") || truthy(&map, "format") || bus == DriveBus::Virtio)
    {
        return None;
    }
    if truthy(&map, "size") {
        let bytes = parse_size(map.get("size")?)?;
        map.insert("size".to_string(), format_size(bytes));
    }
    Some(map)
}

/// Upstream's `filename_to_volume_id`: a bare file name becomes `local:iso/<name>` for
/// CD-ROMs and `local:<vmid>/<name>` otherwise; a relative path is refused. A missing
/// file (a drive the parser refused) is treated as an empty name, as upstream's is.
fn filename_to_volume_id(vmid: &str, file: Option<&str>, media: Option<&str>) -> Option<String> {
    let file = file.unwrap_or_default();
    let is_volume = file == "none"
        || file == "cdrom"
        || file.strip_prefix("/dev/").is_some_and(|r| !r.is_empty())
        || file
            .split_once(':')
            .is_some_and(|(s, v)| !s.is_empty() && !v.is_empty());
    if is_volume {
        return Some(file.to_string());
    }
    if file.contains('/') {
        return None;
    }
    Some(if media == Some("cdrom") {
        format!("local:iso/{file}")
    } else {
        format!("local:{vmid}/{file}")
    })
}

/// Prints texts in canonical order with the union drive schema, as upstream's drive
/// printer does.
fn print_texts(map: &IndexMap<String, String>) -> Result<String, String> {
    let values: Map<String, Value> = map
        .iter()
        .map(|(k, v)| (k.clone(), Value::String(v.clone())))
        .collect();
    virton_schema::print_property_string(&values, Drive::object_schema()).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norm(bus: DriveBus, value: &str) -> Normalized {
        normalize_drive("100", bus, value)
    }

    #[test]
    fn drive_is_reprinted_in_canonical_order() {
        let n = norm(
            DriveBus::Scsi,
            "size=32G,iothread=on,file=local-lvm:vm-100-disk-0,discard=on",
        );
        assert_eq!(
            n.value.as_deref(),
            Some("local-lvm:vm-100-disk-0,discard=on,iothread=1,size=32G")
        );
        assert!(n.warnings.is_empty());
    }

    #[test]
    fn size_is_written_in_its_largest_unit_and_numbers_keep_their_text() {
        let n = norm(DriveBus::Virtio, "local:vm-1-disk-0,size=1024M,mbps=10.50");
        assert_eq!(
            n.value.as_deref(),
            Some("local:vm-1-disk-0,mbps=10.50,size=1G")
        );
    }

    #[test]
    fn bare_file_names_become_volume_ids_and_paths_are_refused() {
        let n = norm(DriveBus::Ide, "media=cdrom,file=x.iso");
        assert_eq!(n.value.as_deref(), Some("local:iso/x.iso,media=cdrom"));
        let n = norm(DriveBus::Ide, "disk.raw");
        assert_eq!(n.value.as_deref(), Some("local:100/disk.raw"));
        assert_eq!(norm(DriveBus::Ide, "sub/disk.raw").value, None);
    }

    #[test]
    fn legacy_length_alias_is_written_under_its_target() {
        let n = norm(
            DriveBus::Sata,
            "local:vm-1-disk-0,iops_rd=10,iops_rd_max=20,iops_rd_length=5",
        );
        assert_eq!(
            n.value.as_deref(),
            Some("local:vm-1-disk-0,iops_rd=10,iops_rd_max=20,iops_rd_max_length=5")
        );
    }

    #[test]
    fn refused_drive_becomes_an_empty_local_volume_as_upstream() {
        let n = norm(DriveBus::Scsi, "local:iso/x.iso,media=cdrom,snapshot=1");
        assert_eq!(n.value.as_deref(), Some("local:100/"));
        let n = norm(DriveBus::Scsi, "local:vm-1-disk-0,mbps_max=5");
        assert_eq!(n.warnings, vec!["mbps_max requires mbps".to_string()]);
        assert_eq!(n.value.as_deref(), Some("local:100/"));
    }

    #[test]
    fn byte_limits_turn_into_megabyte_limits_as_upstream() {
        let n = norm(DriveBus::Scsi, "local:vm-1-disk-0,bps=1048576");
        assert_eq!(n.value.as_deref(), Some("local:vm-1-disk-0,mbps=0.000"));
        let n = norm(DriveBus::Scsi, "local:vm-1-disk-0,bps=1,mbps=2");
        assert_eq!(n.warnings, vec!["both bps and mbps specified".to_string()]);
    }
}
