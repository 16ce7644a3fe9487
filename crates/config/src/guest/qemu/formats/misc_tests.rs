//! Tests of the smaller VM formats (hand-written samples).

use super::*;

#[test]
fn agent_aliases_and_required_enabled() {
    let a = Agent::parse("1,freeze-fs-on-backup=0,type=isa").expect("parses");
    assert!(a.enabled);
    assert_eq!(a.freeze_fs, Some(false));
    assert_eq!(a.print().expect("prints"), "1,freeze-fs=0,type=isa");
    assert_eq!(
        Agent::parse("type=isa").unwrap_err(),
        "format error\nenabled: property is missing and it is not optional"
    );
}

#[test]
fn vga_boot_memory_and_watchdog_round_trip() {
    let v = Vga::parse("memory=32,type=virtio-gl").expect("parses");
    assert_eq!(v.vga_type, Some(VgaType::VirtioGl));
    assert_eq!(v.print().expect("prints"), "virtio-gl,memory=32");
    let b = Boot::parse("order=scsi0;ide2;net0").expect("parses");
    assert_eq!(b.devices(), vec!["scsi0", "ide2", "net0"]);
    assert_eq!(b.print().expect("prints"), "order=scsi0;ide2;net0");
    let m = Memory::parse("4096").expect("parses");
    assert_eq!(m.current, 4096);
    assert_eq!(
        Memory::parse("8").unwrap_err(),
        "format error\ncurrent: value must have a minimum value of 16"
    );
    let w = Watchdog::parse("action=reset,model=ib700").expect("parses");
    assert_eq!(w.print().expect("prints"), "ib700,action=reset");
}

#[test]
fn numa_smbios_audio_rng_round_trip() {
    let n = NumaNode::parse("cpus=0-3,hostnodes=0,memory=2048,policy=bind").expect("parses");
    assert_eq!(
        n.print().expect("prints"),
        "cpus=0-3,hostnodes=0,memory=2048,policy=bind"
    );
    let s = Smbios1::parse("uuid=3f2b9a5c-1d2e-4f60-8a9b-0c1d2e3f4a5b,base64=1,serial=YWJj")
        .expect("parses");
    assert_eq!(
        s.print().expect("prints"),
        "base64=1,serial=YWJj,uuid=3f2b9a5c-1d2e-4f60-8a9b-0c1d2e3f4a5b"
    );
    assert_eq!(
        Smbios1::parse("uuid=nope").unwrap_err(),
        "format error\nuuid: value does not match the regex pattern"
    );
    let a = Audio::parse("device=AC97,driver=none").expect("parses");
    assert_eq!(a.device, AudioDevice::Ac97);
    let r = Rng::parse("/dev/urandom,max_bytes=2048").expect("parses");
    assert_eq!(r.print().expect("prints"), "/dev/urandom,max_bytes=2048");
}

#[test]
fn machine_virtiofs_ivshmem_and_spice() {
    let m = Machine::parse("pc-q35-9.0+pve1,viommu=virtio").expect("parses");
    assert_eq!(m.print().expect("prints"), "pc-q35-9.0+pve1,viommu=virtio");
    assert_eq!(
        Machine::parse("type=pc-weird").unwrap_err(),
        "format error\ntype: value does not match the regex pattern"
    );
    let v = Virtiofs::parse("share1,cache=never,expose-acl=1").expect("parses");
    assert_eq!(
        v.print().expect("prints"),
        "share1,cache=never,expose-acl=1"
    );
    let i = Ivshmem::parse("size=32,name=shm-1").expect("parses");
    assert_eq!(i.print().expect("prints"), "size=32,name=shm-1");
    let s = SpiceEnhancements::parse("videostreaming=all,foldersharing=1").expect("parses");
    assert_eq!(
        s.print().expect("prints"),
        "foldersharing=1,videostreaming=all"
    );
    let c = CiCustom::parse("user=local:snippets/u.yaml").expect("parses");
    assert_eq!(c.print().expect("prints"), "user=local:snippets/u.yaml");
    let meta = MetaInfo::parse("creation-qemu=9.0.2,ctime=1700000000").expect("parses");
    assert_eq!(
        meta.print().expect("prints"),
        "creation-qemu=9.0.2,ctime=1700000000"
    );
}
