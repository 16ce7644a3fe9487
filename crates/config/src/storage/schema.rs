//! The `storage.cfg` grammar: the global property list of all storage types, the options
//! each type uses, the content types and image formats each type supports, and the
//! storage-specific string formats.

use crate::section::{formats, split_list, OptionSpec, Section, SectionDef, SectionValue};
use indexmap::IndexMap;
use serde_json::{json, Value};
use std::sync::OnceLock;
use virton_schema::ObjectSchema;

const O: OptionSpec = OptionSpec::OPTIONAL;
const F: OptionSpec = OptionSpec::FIXED;
const R: OptionSpec = OptionSpec::REQUIRED;
const OF: OptionSpec = OptionSpec::OPTIONAL_FIXED;

/// Storage types whose volumes upstream always treats as shared between nodes.
pub const SHARED_TYPES: &[&str] = &[
    "iscsi",
    "nfs",
    "cifs",
    "rbd",
    "cephfs",
    "iscsidirect",
    "glusterfs",
    "zfs",
    "drbd",
    "pbs",
];

/// Per type: (content types it supports, content types it gets when none are set).
pub fn content_types(
    storage_type: &str,
) -> Option<(&'static [&'static str], &'static [&'static str])> {
    const FILE_ALL: &[&str] = &[
        "images", "rootdir", "vztmpl", "iso", "backup", "snippets", "none", "import",
    ];
    const NET_FS: &[&str] = &[
        "images", "rootdir", "vztmpl", "iso", "backup", "snippets", "import",
    ];
    let res: (&[&str], &[&str]) = match storage_type {
        "dir" | "btrfs" => (FILE_ALL, &["images", "rootdir"]),
        "nfs" | "cifs" => (NET_FS, &["images"]),
        "glusterfs" => (
            &["images", "vztmpl", "iso", "backup", "snippets", "import"],
            &["images"],
        ),
        "cephfs" => (
            &["vztmpl", "iso", "backup", "snippets", "import"],
            &["backup"],
        ),
        "lvm" | "rbd" => (&["images", "rootdir"], &["images"]),
        "lvmthin" | "zfspool" => (&["images", "rootdir"], &["images", "rootdir"]),
        "zfs" => (&["images"], &["images"]),
        "iscsi" | "iscsidirect" => (&["images", "none"], &["images"]),
        "pbs" => (&["backup", "none"], &["backup"]),
        "esxi" => (&["import"], &["import"]),
        _ => return None,
    };
    Some(res)
}

/// Per type: (image formats it supports, its default format); `None` for types without
/// a choice of format.
pub fn image_formats(storage_type: &str) -> Option<(&'static [&'static str], &'static str)> {
    let res: (&[&str], &str) = match storage_type {
        "dir" => (&["raw", "qcow2", "vmdk", "subvol"], "raw"),
        "btrfs" | "zfspool" => (&["raw", "subvol"], "raw"),
        "nfs" | "cifs" | "glusterfs" | "esxi" => (&["raw", "qcow2", "vmdk"], "raw"),
        "lvm" => (&["raw", "qcow2"], "raw"),
        _ => return None,
    };
    Some(res)
}

/// The `prune-backups` property-string format (retention counts).
pub fn prune_backups_format() -> Value {
    let keep = json!({"type": "integer", "minimum": 0, "optional": 1});
    json!({
        "keep-all": {"type": "boolean", "optional": 1},
        "keep-last": keep, "keep-hourly": keep, "keep-daily": keep,
        "keep-weekly": keep, "keep-monthly": keep, "keep-yearly": keep,
    })
}

/// The `bwlimit` property-string format (KiB/s per operation).
pub fn bwlimit_format() -> Value {
    let limit = json!({"type": "number", "minimum": 0, "optional": 1});
    json!({"default": limit, "restore": limit, "migration": limit, "clone": limit, "move": limit})
}

const S: &str = r#"{"type":"string"}"#;
const B: &str = r#"{"type":"boolean"}"#;
const PATH: &str = r#"{"type":"string","format":"pve-storage-path"}"#;
const VGNAME: &str = r#"{"type":"string","format":"pve-storage-vgname"}"#;
const SERVER: &str = r#"{"type":"string","format":"pve-storage-server"}"#;

/// The global property list (upstream's unified mode): key and schema as JSON text.
/// `bwlimit` gets its inline format in [`properties`].
const PROPERTIES: &[(&str, &str)] = &[
    // common to all types
    ("nodes", r#"{"type":"string","format":"pve-node-list"}"#),
    (
        "content",
        r#"{"type":"string","format":"pve-storage-content-list"}"#,
    ),
    ("disable", B),
    (
        "prune-backups",
        r#"{"type":"string","format":"prune-backups"}"#,
    ),
    (
        "max-protected-backups",
        r#"{"type":"integer","minimum":-1}"#,
    ),
    ("shared", B),
    ("subdir", PATH),
    (
        "format",
        r#"{"type":"string","enum":["raw","qcow2","subvol","vmdk"]}"#,
    ),
    (
        "preallocation",
        r#"{"type":"string","enum":["off","metadata","falloc","full"]}"#,
    ),
    (
        "content-dirs",
        r#"{"type":"string","format":"pve-dir-override-list"}"#,
    ),
    (
        "options",
        r#"{"type":"string","format":"pve-storage-options"}"#,
    ),
    ("port", r#"{"type":"integer","minimum":1,"maximum":65535}"#),
    ("snapshot-as-volume-chain", B),
    // dir, btrfs, cifs, cephfs, esxi
    ("path", PATH),
    ("mkdir", B),
    ("create-base-path", B),
    ("create-subdirs", B),
    ("is_mountpoint", S),
    ("bwlimit", S),
    ("nocow", B),
    ("share", S),
    ("password", r#"{"type":"string","maxLength":256}"#),
    ("domain", r#"{"type":"string","maxLength":256}"#),
    (
        "smbversion",
        r#"{"type":"string","enum":["default","2.0","2.1","3","3.0","3.11"]}"#,
    ),
    ("fuse", B),
    ("fs-name", r#"{"type":"string","format":"pve-configid"}"#),
    ("skip-cert-verification", B),
    // iscsi, lvm, lvmthin
    ("target", S),
    (
        "portal",
        r#"{"type":"string","format":"pve-storage-portal-dns"}"#,
    ),
    ("vgname", VGNAME),
    ("base", r#"{"type":"string","format":"pve-volume-id"}"#),
    ("saferemove", B),
    (
        "saferemove-stepsize",
        r#"{"type":"integer","enum":["1","2","4","8","16","32"]}"#,
    ),
    ("saferemove_throughput", S),
    ("tagged_only", B),
    ("thinpool", VGNAME),
    // nfs, glusterfs
    ("export", PATH),
    ("server", SERVER),
    ("server2", SERVER),
    ("volume", S),
    (
        "transport",
        r#"{"type":"string","enum":["tcp","rdma","unix"]}"#,
    ),
    // pbs
    ("datastore", S),
    (
        "fingerprint",
        r#"{"type":"string","pattern":"([A-Fa-f0-9]{2}:){31}[A-Fa-f0-9]{2}"}"#,
    ),
    ("encryption-key", S),
    ("master-pubkey", S),
    // rbd
    (
        "monhost",
        r#"{"type":"string","format":"pve-storage-portal-dns-list"}"#,
    ),
    ("pool", S),
    ("data-pool", S),
    ("namespace", S),
    ("username", S),
    ("authsupported", S),
    ("krbd", B),
    ("keyring", S),
    // zfs over iscsi, zfspool
    ("iscsiprovider", S),
    ("nowritecache", B),
    ("comstar_tg", S),
    ("comstar_hg", S),
    ("lio_tpg", S),
    ("zfs-base-path", PATH),
    (
        "blocksize",
        r#"{"type":"string","format":"pve-storage-zfs-blocksize"}"#,
    ),
    ("sparse", B),
    ("mountpoint", PATH),
];

fn properties() -> IndexMap<String, Value> {
    let mut props: IndexMap<String, Value> = PROPERTIES
        .iter()
        .map(|(k, v)| {
            (
                (*k).to_string(),
                serde_json::from_str(v).unwrap_or(Value::Null),
            )
        })
        .collect();
    props.insert(
        "bwlimit".into(),
        json!({"type": "string", "format": bwlimit_format()}),
    );
    props
}

type Opts = &'static [(&'static str, OptionSpec)];

/// Options shared by the file-based types that keep backups.
const BACKUP_OPTS: Opts = &[
    ("nodes", O),
    ("disable", O),
    ("prune-backups", O),
    ("max-protected-backups", O),
    ("content", O),
];
const MKDIR_OPTS: Opts = &[
    ("format", O),
    ("mkdir", O),
    ("create-base-path", O),
    ("create-subdirs", O),
];
const NET_OPTS: Opts = &[("nodes", O), ("disable", O), ("content", O), ("bwlimit", O)];

const DIR: Opts = &[
    ("path", F),
    ("content-dirs", O),
    ("shared", O),
    ("is_mountpoint", O),
    ("bwlimit", O),
    ("preallocation", O),
    ("snapshot-as-volume-chain", OF),
];
const BTRFS: Opts = &[
    ("path", F),
    ("shared", O),
    ("is_mountpoint", O),
    ("nocow", O),
    ("preallocation", O),
];
const NFS: Opts = &[
    ("path", F),
    ("content-dirs", O),
    ("server", F),
    ("export", F),
    ("options", O),
    ("bwlimit", O),
    ("preallocation", O),
    ("snapshot-as-volume-chain", OF),
];
const CIFS: Opts = &[
    ("path", F),
    ("content-dirs", O),
    ("server", F),
    ("share", F),
    ("subdir", O),
    ("username", O),
    ("password", O),
    ("domain", O),
    ("smbversion", O),
    ("bwlimit", O),
    ("preallocation", O),
    ("options", O),
    ("snapshot-as-volume-chain", OF),
];
const GLUSTERFS: Opts = &[
    ("path", F),
    ("server", O),
    ("server2", O),
    ("volume", F),
    ("transport", O),
    ("bwlimit", O),
    ("preallocation", O),
];
const CEPHFS: Opts = &[
    ("path", F),
    ("content-dirs", O),
    ("monhost", O),
    ("subdir", O),
    ("options", O),
    ("username", O),
    ("format", O),
    ("mkdir", O),
    ("create-base-path", O),
    ("create-subdirs", O),
    ("fuse", O),
    ("bwlimit", O),
    ("keyring", O),
    ("fs-name", O),
];
const LVM: Opts = &[
    ("vgname", F),
    ("shared", O),
    ("saferemove", O),
    ("saferemove-stepsize", O),
    ("saferemove_throughput", O),
    ("base", OF),
    ("tagged_only", O),
    ("snapshot-as-volume-chain", O),
];
const LVMTHIN: Opts = &[("thinpool", F), ("vgname", F)];
const ISCSI: Opts = &[("portal", F), ("target", F)];
const RBD: Opts = &[
    ("monhost", O),
    ("pool", O),
    ("data-pool", O),
    ("namespace", O),
    ("username", O),
    ("krbd", O),
    ("keyring", O),
];
const ZFSPOOL: Opts = &[
    ("pool", F),
    ("blocksize", O),
    ("sparse", O),
    ("mountpoint", O),
];
const ZFS: Opts = &[
    ("portal", F),
    ("target", F),
    ("pool", F),
    ("blocksize", F),
    ("iscsiprovider", F),
    ("nowritecache", O),
    ("sparse", O),
    ("comstar_hg", O),
    ("comstar_tg", O),
    ("lio_tpg", O),
    ("zfs-base-path", O),
];
const PBS: Opts = &[
    ("server", F),
    ("datastore", F),
    ("namespace", O),
    ("port", O),
    ("username", O),
    ("password", O),
    ("encryption-key", O),
    ("master-pubkey", O),
    ("fingerprint", O),
];
const ESXI: Opts = &[
    ("nodes", O),
    ("shared", O),
    ("disable", O),
    ("content", O),
    ("server", R),
    ("username", R),
    ("password", O),
    ("skip-cert-verification", O),
    ("port", O),
];

/// Every storage type with the option groups it is made of.
const TYPES: &[(&str, &[Opts])] = &[
    ("dir", &[BACKUP_OPTS, MKDIR_OPTS, DIR]),
    ("btrfs", &[BACKUP_OPTS, MKDIR_OPTS, BTRFS]),
    ("nfs", &[BACKUP_OPTS, MKDIR_OPTS, NFS]),
    ("cifs", &[BACKUP_OPTS, MKDIR_OPTS, CIFS]),
    ("glusterfs", &[BACKUP_OPTS, MKDIR_OPTS, GLUSTERFS]),
    ("cephfs", &[BACKUP_OPTS, CEPHFS]),
    ("lvm", &[NET_OPTS, LVM]),
    ("lvmthin", &[NET_OPTS, LVMTHIN]),
    ("iscsi", &[NET_OPTS, ISCSI]),
    ("iscsidirect", &[NET_OPTS, ISCSI]),
    ("rbd", &[NET_OPTS, RBD]),
    ("zfspool", &[NET_OPTS, ZFSPOOL]),
    ("zfs", &[NET_OPTS, ZFS]),
    ("pbs", &[BACKUP_OPTS, PBS]),
    ("esxi", &[ESXI]),
];

/// The `storage.cfg` grammar (built once).
pub fn storage_def() -> &'static SectionDef {
    static DEF: OnceLock<SectionDef> = OnceLock::new();
    DEF.get_or_init(|| {
        let mut def = SectionDef::new(properties());
        for (name, groups) in TYPES {
            let opts: Vec<(&str, OptionSpec)> =
                groups.iter().flat_map(|g| g.iter().copied()).collect();
            def = def.with_type(name, &opts);
        }
        def.lowercase_type = true;
        def.id_check = Some(|id| formats::parse_id(id, "storage"));
        def.formats = Some(storage_format);
        def.section_hook = Some(check_storage_section);
        def.prepare()
    })
}

/// The string formats pve-storage registers that the schema crate does not know.
fn storage_format(name: &str, v: &str) -> Option<Result<(), String>> {
    let res = match name {
        "pve-storage-content" => content_type(v),
        "pve-dir-override" => dir_override(v),
        "pve-storage-zfs-blocksize" => zfs_blocksize(v),
        "prune-backups" => prune_backups(v),
        _ => return None,
    };
    Some(res)
}

/// The `prune-backups` property string, then upstream's keep-all rule.
fn prune_backups(v: &str) -> Result<(), String> {
    if v.is_empty() {
        return Ok(());
    }
    static FORMAT: OnceLock<Result<ObjectSchema, String>> = OnceLock::new();
    let format = FORMAT
        .get_or_init(|| {
            ObjectSchema::from_pve_json(&prune_backups_format()).map_err(|e| e.to_string())
        })
        .as_ref()
        .map_err(String::clone)?;
    virton_schema::parse_property_string(v, format)
        .map_err(|e| e.to_string().trim_end().to_string())?;
    check_prune_backups(v)
}

fn content_type(v: &str) -> Result<(), String> {
    let all = content_types("dir").map(|c| c.0).unwrap_or_default();
    (v == "import" || all.contains(&v))
        .then_some(())
        .ok_or_else(|| format!("invalid content type '{v}'"))
}

fn dir_override(v: &str) -> Result<(), String> {
    let err = || format!("invalid override '{v}'");
    let (ct, path) = v.split_once('=').ok_or_else(err)?;
    let ct_ok =
        !ct.is_empty() && ct.bytes().all(|b| b.is_ascii_lowercase()) && content_type(ct).is_ok();
    let path_ok = !path.is_empty()
        && path.len() < 1023
        && !path.split('.').any(str::is_empty)
        && path.split('/').all(|p| p.len() < 255);
    (ct_ok && path_ok).then_some(()).ok_or_else(err)
}

fn zfs_blocksize(v: &str) -> Result<(), String> {
    if v.is_empty() {
        return Ok(());
    }
    let lower = v.to_ascii_lowercase();
    let (digits, mult) = match lower.strip_suffix('k') {
        Some(d) => (d, 1024u64),
        None => match lower.strip_suffix('m') {
            Some(d) => (d, 1024 * 1024),
            None => (lower.as_str(), 1),
        },
    };
    let well_formed = !digits.is_empty()
        && !digits.starts_with('0')
        && digits.bytes().all(|b| b.is_ascii_digit());
    if !well_formed {
        return Err(format!(
            "invalid ZFS blocksize format '{v}'. Use a positive number (no leading zeros) with an optional 'k' or 'm' suffix."
        ));
    }
    let num = digits.parse::<u64>().ok().and_then(|n| n.checked_mul(mult));
    match num {
        Some(n) if (512..=16 * 1024 * 1024).contains(&n) && n.is_power_of_two() => Ok(()),
        _ => Err(format!(
            "value '{v}' is not a valid ZFS blocksize. Must be a power of 2 between 512B and 16MiB (e.g., 4k, 8k, 16k, 64k, 1m)."
        )),
    }
}

/// Upstream's `decode_value` checks: content types and formats the type supports, node
/// names, content-dir overrides, and the `prune-backups` keep-all rule.
fn check_storage_section(section: &mut Section, warnings: &mut Vec<String>) -> Result<(), String> {
    let ty = section.section_type.clone();
    if let Some(SectionValue::Str(content)) = section.props.get("content").cloned() {
        let normalized = check_content(&ty, &content, warnings)?;
        section.set("content", SectionValue::Str(normalized));
    }
    if let Some(format) = section.get_str("format").map(str::to_string) {
        let supported = image_formats(&ty).is_some_and(|(all, _)| all.contains(&format.as_str()));
        if !supported {
            warnings.push(format!("storage does not support format '{format}'"));
            section.props.shift_remove("format");
        }
    }
    if let Some(nodes) = section.get_str("nodes").map(str::to_string) {
        let kept: Vec<String> = split_list(&nodes)
            .into_iter()
            .filter(|n| formats::node_name(n).is_ok())
            .collect();
        section.set("nodes", SectionValue::Str(kept.join(",")));
    }
    if let Some(dirs) = section.get_str("content-dirs").map(str::to_string) {
        let valid = content_types(&ty).map(|c| c.0).unwrap_or_default();
        let mut kept = Vec::new();
        for entry in split_list(&dirs) {
            let ct = entry.split_once('=').map_or(entry.as_str(), |(c, _)| c);
            if valid.contains(&ct) {
                kept.push(entry.clone());
            } else {
                warnings.push(format!("storage does not support content type '{ct}'"));
            }
        }
        kept.sort();
        section.set("content-dirs", SectionValue::Str(kept.join(",")));
    }
    Ok(())
}

fn check_content(ty: &str, content: &str, warnings: &mut Vec<String>) -> Result<String, String> {
    let valid = content_types(ty).map(|c| c.0).unwrap_or_default();
    let mut kept: Vec<String> = Vec::new();
    for c in split_list(content) {
        if !valid.contains(&c.as_str()) {
            warnings.push(format!("storage does not support content type '{c}'"));
        } else if !kept.contains(&c) {
            kept.push(c);
        }
    }
    if kept.iter().any(|c| c == "none") && kept.len() > 1 {
        return Err("unable to combine 'none' with other content types".into());
    }
    if kept.is_empty() && !valid.contains(&"none") {
        return Err("storage does not support content type 'none'".into());
    }
    Ok(if kept.is_empty() {
        "none".into()
    } else {
        kept.join(",")
    })
}

/// `keep-all` may not be combined with a positive keep option.
fn check_prune_backups(value: &str) -> Result<(), String> {
    let mut keep_all = false;
    let mut other = false;
    for part in value.split(',') {
        match part.split_once('=') {
            Some(("keep-all", v)) => keep_all = matches!(v, "1" | "on" | "yes" | "true"),
            Some((_, v)) => other |= v.parse::<i64>().is_ok_and(|n| n > 0),
            None => {}
        }
    }
    if keep_all && other {
        return Err("keep-all cannot be set together with other options.".into());
    }
    Ok(())
}
