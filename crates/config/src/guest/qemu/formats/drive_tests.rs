//! Tests of the VM disk formats (hand-written samples).

use super::*;

#[test]
fn scsi_drive_round_trips_canonically() {
    let d = parse_bus_drive(
        DriveBus::Scsi,
        "local-lvm:vm-100-disk-0,iothread=1,size=32G",
    )
    .expect("parses");
    assert_eq!(d.file, "local-lvm:vm-100-disk-0");
    assert_eq!(d.iothread, Some(true));
    assert_eq!(
        d.print().expect("prints"),
        "local-lvm:vm-100-disk-0,iothread=1,size=32G"
    );
}

#[test]
fn buses_allow_only_their_own_keys() {
    let text = "local:vm-1-disk-0,iothread=1";
    assert!(parse_bus_drive(DriveBus::Virtio, text).is_ok());
    assert_eq!(
        parse_bus_drive(DriveBus::Ide, text).unwrap_err(),
        "invalid key in comma-separated list property: iothread"
    );
    assert!(parse_bus_drive(DriveBus::Ide, "local:vm-1-disk-0,model=QEMU%20HD").is_ok());
    assert!(parse_bus_drive(DriveBus::Sata, "local:vm-1-disk-0,ssd=1").is_ok());
    assert!(parse_bus_drive(DriveBus::Virtio, "local:vm-1-disk-0,ssd=1").is_err());
}

#[test]
fn drive_values_are_checked_with_upstream_wording() {
    assert_eq!(
        parse_bus_drive(DriveBus::Scsi, "local:vm-1-disk-0,cache=fast").unwrap_err(),
        "format error\ncache: value 'fast' does not have a value in the enumeration \
         'none, writethrough, writeback, unsafe, directsync'"
    );
    assert_eq!(
        parse_bus_drive(DriveBus::Scsi, "local:vm-1-disk-0,queues=1").unwrap_err(),
        "format error\nqueues: value must have a minimum value of 2"
    );
    assert_eq!(
        parse_bus_drive(DriveBus::Scsi, "cache=none").unwrap_err(),
        "format error\nfile: property is missing and it is not optional"
    );
    assert_eq!(
        parse_bus_drive(DriveBus::Scsi, "local:a,local:b").unwrap_err(),
        "duplicate key in comma-separated list property: file"
    );
}

#[test]
fn volume_alias_and_wwn_pattern() {
    let d = parse_bus_drive(DriveBus::Sata, "volume=local:iso/x.iso,media=cdrom").expect("parses");
    assert_eq!(d.file, "local:iso/x.iso");
    assert_eq!(d.print().expect("prints"), "local:iso/x.iso,media=cdrom");
    assert!(parse_bus_drive(DriveBus::Scsi, "none,wwn=0x0123456789abcdef").is_ok());
    assert!(parse_bus_drive(DriveBus::Scsi, "none,wwn=0123456789abcdef").is_err());
}

#[test]
fn efidisk_tpmstate_and_unused_round_trip() {
    let e = EfiDisk::parse("local-lvm:vm-100-disk-1,size=4M,efitype=4m,pre-enrolled-keys=1")
        .expect("parses");
    assert_eq!(e.efitype, Some(EfiType::Large));
    assert_eq!(
        e.print().expect("prints"),
        "local-lvm:vm-100-disk-1,efitype=4m,pre-enrolled-keys=1,size=4M"
    );
    let t = TpmState::parse("local-lvm:vm-100-disk-2,version=v2.0,size=4M").expect("parses");
    assert_eq!(t.version, Some(TpmVersion::V2_0));
    assert_eq!(
        t.print().expect("prints"),
        "local-lvm:vm-100-disk-2,size=4M,version=v2.0"
    );
    assert_eq!(
        TpmState::parse("local:x,format=qcow").unwrap_err(),
        "format error\nformat: value 'qcow' does not have a value in the enumeration 'raw, qcow2, vmdk'"
    );
    let u = UnusedVolume::parse("local:100/vm-100-disk-3.qcow2").expect("parses");
    assert_eq!(u.print().expect("prints"), "local:100/vm-100-disk-3.qcow2");
    assert!(UnusedVolume::parse("/dev/sdb").is_err());
}
