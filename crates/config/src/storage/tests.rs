use super::*;
use crate::Document;
use proptest::prelude::*;

const MIXED: &str = include_str!("../../tests/fixtures/storage/mixed.cfg");
const MIXED_CANONICAL: &str = include_str!("../../tests/fixtures/storage/mixed.expected.cfg");
const FRESH_NODE: &str = include_str!("../../tests/fixtures/storage/fresh-node.cfg");

fn diags(text: &str) -> Vec<String> {
    StorageConfig::parse_lenient("storage.cfg", text)
        .1
        .iter()
        .map(ToString::to_string)
        .collect()
}

#[test]
fn fresh_install_writes_local_dir_storage() {
    assert_eq!(
        StorageConfig::fresh_install().write(),
        "dir: local\n\tpath /var/lib/vz\n\tcontent iso,vztmpl,backup\n\n"
    );
}

#[test]
fn installer_file_parses_and_writes_identically() {
    let cfg = StorageConfig::parse("storage.cfg", FRESH_NODE).unwrap();
    assert_eq!(cfg.write(), FRESH_NODE);
    let thin = cfg.get("local-lvm").unwrap();
    assert_eq!(thin.storage_type(), "lvmthin");
    assert!(!thin.shared());
    assert_eq!(thin.default_format(), "raw");
}

#[test]
fn mixed_file_is_written_canonically() {
    let cfg = StorageConfig::parse("storage.cfg", MIXED).unwrap();
    assert_eq!(cfg.write(), MIXED_CANONICAL);
    let again = StorageConfig::parse("storage.cfg", MIXED_CANONICAL).unwrap();
    assert_eq!(again, cfg);
}

#[test]
fn unchanged_document_keeps_original_bytes() {
    let doc = Document::<StorageConfig>::parse("storage.cfg", MIXED).unwrap();
    assert_eq!(doc.write(), MIXED);
}

#[test]
fn typed_accessors_read_common_fields() {
    let cfg = StorageConfig::parse("storage.cfg", MIXED).unwrap();
    let nas = cfg.get("nas").unwrap();
    assert_eq!(nas.path(), Some("/mnt/pve/nas"));
    assert!(nas.shared(), "nfs is always shared");
    assert_eq!(nas.nodes(), ["pve1", "pve2"]);
    assert!(nas.available_on("pve2") && !nas.available_on("pve3"));
    let content: Vec<String> = nas.content().into_iter().collect();
    assert_eq!(content, ["backup", "images"]);
    assert!(cfg.get("ceph-vm").unwrap().disabled());
    assert!(!cfg.get("local").unwrap().shared());
    assert_eq!(cfg.get("ext").unwrap().storage_type(), "mystery");
}

#[test]
fn missing_content_means_type_default() {
    let cfg = StorageConfig::parse("storage.cfg", "cephfs: cfs\n\tpath /mnt/pve/cfs\n").unwrap();
    let content: Vec<String> = cfg.get("cfs").unwrap().content().into_iter().collect();
    assert_eq!(content, ["backup"]);
}

#[test]
fn missing_fixed_option_skips_storage() {
    assert_eq!(
        diags("nfs: nas\n\tserver 10.0.0.1\n\tpath /mnt/pve/nas\n"),
        ["file storage.cfg line 3 (skip section 'nas'): missing value for required option 'export'"]
    );
}

#[test]
fn option_of_another_type_is_rejected() {
    assert_eq!(
        diags("dir: d1\n\tpath /srv\n\tpool tank\n"),
        ["file storage.cfg line 3 (section 'd1') - unable to parse value of 'pool': unexpected property 'pool'"]
    );
}

#[test]
fn invalid_values_use_upstream_wording() {
    let d = diags(
        "dir: d1\n\tpath srv\n\tcontent images,bogus\n\tpreallocation none\n\tmax-protected-backups -2\n",
    );
    assert_eq!(
        d,
        [
            "file storage.cfg line 2 (section 'd1') - unable to parse value of 'path': invalid format - value does not look like a valid absolute path",
            "file storage.cfg line 3 (section 'd1') - unable to parse value of 'content': invalid format - invalid content type 'bogus'",
            "file storage.cfg line 4 (section 'd1') - unable to parse value of 'preallocation': value 'none' does not have a value in the enumeration 'off, metadata, falloc, full'",
            "file storage.cfg line 5 (section 'd1') - unable to parse value of 'max-protected-backups': value must have a minimum value of -1",
            "file storage.cfg line 5 (skip section 'd1'): missing value for required option 'path'",
        ]
    );
}

#[test]
fn unsupported_content_type_is_dropped_with_warning() {
    let (cfg, d) = StorageConfig::parse_lenient(
        "storage.cfg",
        "lvm: vg\n\tvgname vg0\n\tcontent images,iso\n",
    );
    assert_eq!(
        d[0].to_string(),
        "file storage.cfg line 3 - storage does not support content type 'iso'"
    );
    assert_eq!(
        cfg.get("vg").unwrap().get("content").unwrap().to_string(),
        "images"
    );
}

#[test]
fn none_content_cannot_be_combined() {
    assert_eq!(
        diags("dir: d1\n\tpath /srv\n\tcontent none,iso\n"),
        ["file storage.cfg line 3 (skip section 'd1'): unable to combine 'none' with other content types"]
    );
}

#[test]
fn prune_backups_is_checked_as_property_string() {
    let d = diags("dir: d1\n\tpath /srv\n\tprune-backups keep-all=1,keep-last=2\n");
    assert_eq!(
        d,
        ["file storage.cfg line 3 (section 'd1') - unable to parse value of 'prune-backups': invalid format - keep-all cannot be set together with other options."]
    );
    let d = diags("dir: d1\n\tpath /srv\n\tprune-backups keep-hourl=2\n");
    assert!(
        d[0].contains("invalid key in comma-separated list property: keep-hourl"),
        "{d:?}"
    );
}

#[test]
fn bad_storage_id_skips_section() {
    assert_eq!(
        diags("dir: 1abc\n\tpath /srv\n"),
        ["file storage.cfg line 1 (skip section '1abc'): storage ID '1abc' contains illegal characters"]
    );
}

#[test]
fn zfs_blocksize_must_be_power_of_two() {
    let d = diags("zfspool: z1\n\tpool tank\n\tblocksize 12k\n");
    assert!(d[0].ends_with("value '12k' is not a valid ZFS blocksize. Must be a power of 2 between 512B and 16MiB (e.g., 4k, 8k, 16k, 64k, 1m)."), "{d:?}");
}

#[test]
fn ensure_local_adds_default_local_first() {
    let mut cfg = StorageConfig::parse(
        "storage.cfg",
        "nfs: nas\n\tserver 10.0.0.1\n\texport /e\n\tpath /mnt/pve/nas\n",
    )
    .unwrap();
    cfg.ensure_local();
    let ids: Vec<&str> = cfg.entries().map(|e| e.id()).collect();
    assert_eq!(ids, ["local", "nas"]);
    assert!(cfg.write().starts_with(
        "dir: local\n\tpath /var/lib/vz\n\tcontent backup,images,iso,rootdir,snippets,vztmpl\n\tprune-backups keep-all=1\n\n"
    ));
}

#[test]
fn ensure_local_drops_node_restriction() {
    let mut cfg = StorageConfig::parse(
        "storage.cfg",
        "dir: local\n\tpath /var/lib/vz\n\tnodes pve1\n",
    )
    .unwrap();
    cfg.ensure_local();
    assert!(cfg.get("local").unwrap().nodes().is_empty());
}

#[test]
fn every_upstream_type_is_known() {
    for ty in [
        "dir",
        "btrfs",
        "nfs",
        "cifs",
        "lvm",
        "lvmthin",
        "zfspool",
        "zfs",
        "iscsi",
        "iscsidirect",
        "rbd",
        "cephfs",
        "glusterfs",
        "pbs",
        "esxi",
    ] {
        assert!(storage_def().options(ty).is_some(), "{ty}");
    }
}

/// A valid raw value for `key` of a section of type `ty`.
fn sample(ty: &str, key: &str, pick: usize) -> String {
    let schema = storage_def().schema(key).cloned().unwrap_or_default();
    let by_key = match key {
        "content" => {
            let (valid, _) = content_types(ty).unwrap();
            let real: Vec<&str> = valid.iter().copied().filter(|c| *c != "none").collect();
            return real[pick % real.len()].to_string();
        }
        "format" => {
            let (valid, _) = image_formats(ty).unwrap_or((&["raw"], "raw"));
            return valid[pick % valid.len()].to_string();
        }
        "nodes" => "pve1,node-2",
        "prune-backups" => ["keep-all=1", "keep-last=3,keep-daily=7", "keep-yearly=0"][pick % 3],
        "bwlimit" => ["default=100", "clone=2.5,move=10"][pick % 2],
        "content-dirs" => "backup=dumps",
        "options" => "vers=4.2,soft",
        "port" => "8007",
        "max-protected-backups" => "-1",
        "saferemove-stepsize" => "8",
        "server" | "server2" => ["10.1.2.3", "nas.example.com"][pick % 2],
        "portal" => ["10.0.0.1:3260", "[fe80::1]:3260", "target.example"][pick % 3],
        "monhost" => "10.0.0.1 10.0.0.2",
        "vgname" | "thinpool" => "pve-data",
        "base" => "iscsi1:0.0.1.scsi-36",
        "blocksize" => ["8k", "1M", "4096"][pick % 3],
        "fs-name" => "cephfs",
        "fingerprint" => "0a:1b:2c:3d:4e:5f:60:71:82:93:a4:b5:c6:d7:e8:f9:0a:1b:2c:3d:4e:5f:60:71:82:93:a4:b5:c6:d7:e8:f9",
        _ => "",
    };
    if !by_key.is_empty() {
        return by_key.to_string();
    }
    if let Some(values) = schema.get("enum").and_then(|e| e.as_array()) {
        let v = &values[pick % values.len()];
        return v.as_str().map_or_else(|| v.to_string(), str::to_string);
    }
    match schema.get("type").and_then(|t| t.as_str()) {
        Some("boolean") => ["0", "1"][pick % 2].to_string(),
        Some("integer") => (pick % 50).to_string(),
        _ if schema.get("format").and_then(|f| f.as_str()) == Some("pve-storage-path") => {
            format!("/mnt/p{pick}")
        }
        _ => format!("v{pick}x"),
    }
}

fn arb_section_text() -> impl Strategy<Value = String> {
    let types: Vec<String> = storage_def().types.keys().cloned().collect();
    (
        proptest::sample::select(types),
        "[a-z][a-z0-9]{1,5}",
        any::<u64>(),
        any::<usize>(),
    )
        .prop_map(|(ty, id, mask, pick)| {
            let mut text = format!("{ty}: {id}\n");
            let opts = storage_def().options(&ty).unwrap();
            for (i, (key, spec)) in opts.iter().enumerate() {
                let no_format = key == "format" && image_formats(&ty).is_none();
                if key == "disable" || no_format || (spec.optional && mask & (1 << (i % 64)) == 0) {
                    continue;
                }
                text.push_str(&format!(
                    "\t{key} {}\n",
                    sample(&ty, key, pick.wrapping_add(i))
                ));
            }
            text
        })
}

proptest! {
    #[test]
    fn storage_cfg_round_trips(sections in proptest::collection::vec(arb_section_text(), 0..6)) {
        let text = sections.join("\n");
        let cfg = StorageConfig::parse("storage.cfg", &text).expect("generated file is valid");
        let written = cfg.write();
        let back = StorageConfig::parse("storage.cfg", &written).expect("canonical output parses");
        prop_assert_eq!(&back, &cfg);
        prop_assert_eq!(back.write(), written);
    }
}

#[test]
fn integer_enum_is_enforced() {
    let d = diags("lvm: vg\n\tvgname vg0\n\tsaferemove-stepsize 3\n");
    assert_eq!(d.len(), 1, "{d:?}");
    assert!(
        d[0].contains("does not have a value in the enumeration"),
        "{d:?}"
    );
}

#[test]
fn check_section_validates_new_storage() {
    let mut s = Section::new("nfs", "nas");
    s.set("server", SectionValue::Str("10.0.0.1".into()));
    s.set("path", SectionValue::Str("/mnt/pve/nas".into()));
    assert_eq!(
        StorageConfig::check_section(&s),
        Err("missing value for required option 'export'".into())
    );
    s.set("export", SectionValue::Str("/srv/nfs".into()));
    assert_eq!(StorageConfig::check_section(&s), Ok(()));
    s.set("server", SectionValue::Str("bad host!".into()));
    assert!(StorageConfig::check_section(&s).is_err());
}

proptest! {
    /// What the `section_config` fuzz target checks, on storage-flavoured noise.
    #[test]
    fn lenient_storage_parse_writes_strictly_parseable_text(
        lines in proptest::collection::vec(
            prop_oneof![
                "(dir|nfs|lvm|pbs|zfs|foo): [a-z]{1,4}",
                "\t(path|content|server|export|vgname|disable|nodes|bwlimit|format|pool) [ -~]{0,12}",
                "#[ -~]{0,5}",
                "",
                "[ -~]{0,10}",
            ],
            0..20,
        )
    ) {
        let text = lines.join("\n");
        let (cfg, _) = StorageConfig::parse_lenient("storage.cfg", &text);
        let written = cfg.write();
        let back = StorageConfig::parse("storage.cfg", &written).expect("canonical output parses");
        prop_assert_eq!(back.write(), written);
    }
}

#[test]
fn pattern_is_enforced_for_fingerprint() {
    assert_eq!(
        diags("pbs: b1\n\tserver pbs\n\tdatastore s\n\tfingerprint aa:bb\n"),
        ["file storage.cfg line 4 (section 'b1') - unable to parse value of 'fingerprint': value does not match the regex pattern"]
    );
}
