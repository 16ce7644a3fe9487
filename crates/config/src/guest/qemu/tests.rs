//! Tests of the VM config reader and writer (hand-written fixtures).

use super::*;

const FILE: &str = "qemu-server/100.conf";

fn strict(text: &str) -> Result<VmConfig, ParseError> {
    VmConfig::parse_with(FILE, text, ParseMode::Strict).map(|p| p.config)
}

fn lenient(text: &str) -> Parsed<VmConfig> {
    VmConfig::parse_with(FILE, text, ParseMode::Lenient).unwrap()
}

#[test]
fn canonical_file_round_trips_byte_identical() {
    let text = "# my vm\n#  second%3A line\ncores: 2\nmemory: 1024\nnet0: virtio=AA:BB:CC:DD:EE:FF,bridge=vmbr0\nparent: s1\nscsi0: local:100/vm-100-disk-0.qcow2,size=4G\n\n[PENDING]\ndelete: !net1,tablet\nmemory: 2048\n\n[s1]\ncores: 1\nsnaptime: 1700000000\n";
    let conf = strict(text).unwrap();
    assert_eq!(
        conf.main.description.as_deref(),
        Some(" my vm\n  second: line")
    );
    assert_eq!(conf.write(), text);
}

#[test]
fn keys_are_sorted_and_values_normalized_on_write() {
    let conf = strict("onboot: yes\ncores: 0004\nciuser: \"x\"\n").unwrap();
    assert_eq!(conf.write(), "ciuser: x\ncores: 4\nonboot: 1\n");
    let conf = strict("args: \"-a\"\nbios: \"ovmf\"\n").unwrap();
    assert_eq!(conf.write(), "args: \"-a\"\nbios: ovmf\n");
}

#[test]
fn formatted_value_keeps_quotes_and_fails_its_format() {
    let err = strict("name: \"x\"\n").unwrap_err();
    assert_eq!(
        err.message,
        "vm 100 - unable to parse value of 'name' - value does not look like a valid DNS name"
    );
}

#[test]
fn invalid_boolean_is_strict_error_and_lenient_skip() {
    let text = "cores: 1\nnuma: maybe\n";
    let err = strict(text).unwrap_err();
    assert_eq!(
        err.message,
        "vm 100 - unable to parse value of 'numa' - type check ('boolean') failed - got 'maybe'"
    );
    assert_eq!((err.line, err.key.as_deref()), (Some(2), Some("numa")));
    let parsed = lenient(text);
    assert_eq!(parsed.config.write(), "cores: 1\n");
    assert_eq!(parsed.warnings.len(), 1);
}

#[test]
fn unknown_key_is_reported_with_upstream_wording() {
    let err = strict("bogus: 1\n").unwrap_err();
    assert_eq!(
        err.message,
        "vm 100 - unable to parse value of 'bogus' - unknown setting 'bogus'"
    );
    assert!(lenient("bogus: 1\n").config.main.values.is_empty());
}

#[test]
fn unknown_section_is_skipped_with_its_lines() {
    let text = "cores: 1\n\n[special:nope]\nname: x\n\n[s1]\ncores: 2\n";
    let err = strict(text).unwrap_err();
    assert_eq!(
        err.message,
        "vm 100 - skipping unknown section: 'special:nope'"
    );
    let parsed = lenient(text);
    assert_eq!(parsed.config.write(), "cores: 1\n\n[s1]\ncores: 2\n");
}

#[test]
fn duplicate_sections_keep_the_last_one() {
    let text = "cores: 1\n\n[PENDING]\ncores: 2\n\n[pending]\ncores: 3\n";
    assert_eq!(
        strict(text).unwrap_err().message,
        "vm 100 - duplicate section: pending"
    );
    assert_eq!(lenient(text).config.pending.get("cores"), Some("3"));
    let text = "cores: 1\n\n[a1]\ncores: 2\n\n[a1]\ncores: 3\n";
    assert_eq!(
        strict(text).unwrap_err().message,
        "vm 100 - duplicate snapshot section: a1"
    );
}

#[test]
fn delete_outside_pending_is_rejected() {
    let err = strict("delete: net0\n").unwrap_err();
    assert_eq!(
        err.message,
        "vm 100 - property 'delete' is only allowed in [PENDING]"
    );
}

#[test]
fn malformed_line_is_reported() {
    let err = strict(" cores: 1\n").unwrap_err();
    assert_eq!(err.message, "vm 100 - unable to parse config:  cores: 1");
}

#[test]
fn cloudinit_section_needs_a_cloudinit_drive_to_be_written() {
    let text = "cores: 1\n\n[special:cloudinit]\nname: whatever value\n";
    assert_eq!(strict(text).unwrap().write(), "cores: 1\n");
    let text =
        "ide2: local:100/vm-100-cloudinit.qcow2,media=cdrom\n\n[special:cloudinit]\nname: x\n";
    assert_eq!(strict(text).unwrap().write(), text);
}

#[test]
fn unused_entry_for_a_used_volume_is_dropped_on_write() {
    let text = "scsi0: local:vm-100-disk-0,size=1G\nunused0: local:vm-100-disk-0\nunused1: local:vm-100-disk-1\n";
    assert_eq!(
        strict(text).unwrap().write(),
        "scsi0: local:vm-100-disk-0,size=1G\nunused1: local:vm-100-disk-1\n"
    );
}

#[test]
fn cdrom_becomes_ide2_and_bare_file_names_fail_the_volume_check() {
    let conf = strict("cdrom: local:iso/debian.iso,media=cdrom\n").unwrap();
    assert_eq!(conf.write(), "ide2: local:iso/debian.iso,media=cdrom\n");
    let err = strict("scsi0: disk.raw,size=1G\n").unwrap_err();
    assert_eq!(
        err.message,
        "vm 100 - unable to parse value of 'scsi0' - format error\n\
         file: invalid format - unable to parse volume ID 'disk.raw'"
    );
}

#[test]
fn malformed_property_strings_are_dropped_leniently_and_errors_strictly() {
    let text = "net0: virtio=BC:24:11:2C:69:EC,bridge=vmbr0,speed=1\nscsi0: local:vm-100-disk-0,cache=fast\ncores: 2\n";
    let parsed = lenient(text);
    assert_eq!(parsed.config.write(), "cores: 2\n");
    assert_eq!(
        parsed.warnings,
        vec![
            "vm 100 - unable to parse value of 'net0' - invalid key in comma-separated list property: speed".to_string(),
            "vm 100 - unable to parse value of 'scsi0' - format error\ncache: value 'fast' does not have a value in the enumeration 'none, writethrough, writeback, unsafe, directsync'".to_string(),
        ]
    );
    let err = strict(text).unwrap_err();
    assert_eq!((err.line, err.key.as_deref()), (Some(1), Some("net0")));
}

#[test]
fn drives_are_reprinted_canonically_but_efidisk_is_kept_as_written() {
    let text = "efidisk0: size=4M,file=local:vm-100-disk-1\nscsi0: size=32G,local-lvm:vm-100-disk-0,iothread=on,ssd=yes\n";
    let conf = strict(text).unwrap();
    assert_eq!(
        conf.write(),
        "efidisk0: size=4M,file=local:vm-100-disk-1\nscsi0: local-lvm:vm-100-disk-0,iothread=1,size=32G,ssd=1\n"
    );
}

#[test]
fn drive_parser_warnings_are_kept_even_when_strict() {
    let parsed = VmConfig::parse_with(
        FILE,
        "virtio0: local:vm-100-disk-0,iops_max_length=3\n",
        ParseMode::Strict,
    )
    .unwrap();
    assert_eq!(
        parsed.warnings,
        vec!["iops_max_length requires iops_max".to_string()]
    );
    assert_eq!(parsed.config.write(), "virtio0: local:100/\n");
}

#[test]
fn smp_is_written_as_sockets() {
    let mut conf = VmConfig::default();
    conf.main.values.insert("smp".into(), "2".into());
    conf.main.values.insert("cores".into(), "4".into());
    assert_eq!(conf.write(), "sockets: 2\n");
}

#[test]
fn snapstate_is_kept_in_snapshots_only() {
    let text = "snapstate: prepare\ncores: 1\n\n[s1]\nsnapstate: delete\n";
    let conf = strict(text).unwrap();
    assert_eq!(conf.write(), "cores: 1\n\n[s1]\nsnapstate: delete\n");
}

#[test]
fn empty_pending_description_is_written_as_bare_comment() {
    let mut conf = VmConfig::default();
    conf.pending.description = Some(String::new());
    assert_eq!(conf.write(), "\n[PENDING]\n#\n");
    assert_eq!(strict(&conf.write()).unwrap(), conf);
}

#[test]
fn description_key_line_appends_without_newline() {
    let conf = strict("description: a%3Ab\n#c\n").unwrap();
    assert_eq!(conf.main.description.as_deref(), Some("a:bc"));
}

#[test]
fn setters_check_and_pending_deletions_round_trip() {
    let mut conf = VmConfig::default();
    assert_eq!(
        conf.set("cores", "x").unwrap_err(),
        "type check ('integer') failed - got 'x'"
    );
    conf.set("onboot", "on").unwrap();
    assert_eq!(conf.get("onboot"), Some("1"));
    conf.set_pending_deletions(&[
        PendingDelete {
            key: "tablet".into(),
            force: false,
        },
        PendingDelete {
            key: "net0".into(),
            force: true,
        },
    ]);
    assert_eq!(conf.pending.get("delete"), Some("!net0,tablet"));
    assert_eq!(conf.pending_deletions().len(), 2);
}

#[test]
fn strange_file_name_is_used_in_messages() {
    let err = VmConfig::parse_with("fuzz", "x y\n", ParseMode::Strict).unwrap_err();
    assert_eq!(err.message, "vm fuzz - unable to parse config: x y");
}
