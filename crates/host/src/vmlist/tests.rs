use super::*;

fn write(dir: &Path, rel: &str, text: &str) {
    let path = dir.join(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

#[test]
fn vm_entry_reads_name_memory_cpus_and_boot_disk() {
    let text = "#notes\nname: web\nmemory: 2048\nsockets: 2\ncores: 2\n\
        boot: order=ide2;scsi0\nide2: local:iso/x.iso,media=cdrom\n\
        scsi0: local:100/vm-100-disk-0.qcow2,size=32G\ntags: a;b\n\n[snap]\nname: other\nmemory: 1\n";
    let g = parse_guest(GuestType::Qemu, 100, "n1", text);
    assert_eq!(g.name.as_deref(), Some("web"));
    assert_eq!(g.maxmem, 2048 * 1024 * 1024);
    assert_eq!(g.cpus, Some(4.0));
    assert_eq!(g.maxdisk, 32 << 30);
    assert_eq!(g.tags.as_deref(), Some("a;b"));
    assert!(!g.template);
    assert_eq!(g.maxcpu(2), 2.0, "capped by the host");
}

#[test]
fn vm_defaults_and_property_string_memory() {
    let g = parse_guest(GuestType::Qemu, 101, "n1", "template: 1\n");
    assert_eq!(g.maxmem, 512 << 20);
    assert_eq!(g.cpus, Some(1.0));
    assert_eq!(g.maxdisk, 0);
    assert!(g.template);
    let g = parse_guest(
        GuestType::Qemu,
        101,
        "n1",
        "memory: current=1024\nvcpus: 3\ncores: 4\n",
    );
    assert_eq!(g.maxmem, 1 << 30);
    assert_eq!(g.cpus, Some(3.0));
}

#[test]
fn legacy_boot_order_takes_first_disk_by_bus() {
    let text = "virtio0: local:vm-1,size=10G\nscsi1: local:vm-2,size=1G\nide0: none,media=cdrom\n";
    let g = parse_guest(GuestType::Qemu, 102, "n1", text);
    assert_eq!(g.maxdisk, 1 << 30);
}

#[test]
fn ct_entry_reads_hostname_rootfs_and_cpulimit() {
    let text =
        "hostname: ct1\nrootfs: local:100/vm-100-disk-0.raw,size=8G\ncpulimit: 1.5\nlock: backup\n";
    let g = parse_guest(GuestType::Lxc, 200, "n1", text);
    assert_eq!(g.name.as_deref(), Some("ct1"));
    assert_eq!(g.maxdisk, 8 << 30);
    assert_eq!(g.cpus, None);
    assert_eq!(g.maxcpu(8), 1.5);
    assert_eq!(g.lock.as_deref(), Some("backup"));
}

#[test]
fn sizes_parse_with_units_and_garbage_is_none() {
    assert_eq!(parse_size("512M"), Some(512 << 20));
    assert_eq!(parse_size("1.5G"), Some(3 << 29));
    assert_eq!(parse_size("100"), Some(100));
    assert_eq!(parse_size("12X"), None);
    assert_eq!(parse_size(""), None);
    assert_eq!(drive_size("local:x,size=2T"), Some(2 << 40));
}

#[test]
fn cache_rereads_only_changed_files_and_sees_removals() {
    let dir = tempfile::tempdir().unwrap();
    let pve = dir.path();
    write(pve, "nodes/n1/qemu-server/100.conf", "name: a\n");
    write(pve, "nodes/n1/lxc/200.conf", "hostname: b\n");
    write(pve, "nodes/n2/qemu-server/100.conf", "name: dup\n");
    write(pve, "nodes/n1/qemu-server/notes.txt", "x");
    write(pve, "nodes/n1/qemu-server/099.conf", "name: bad\n");
    let cache = VmListCache::new(pve);
    let first = cache.snapshot();
    assert_eq!(first.len(), 2);
    assert_eq!(first.get(100).unwrap().name.as_deref(), Some("a"));
    assert_eq!(first.get(200).unwrap().ty, GuestType::Lxc);
    let again = cache.snapshot();
    assert!(
        Arc::ptr_eq(&first, &again),
        "unchanged tree reuses the list"
    );

    // Replaced as config writers do (write + rename): the directory changes.
    write(
        pve,
        "nodes/n1/qemu-server/100.tmp",
        "name: renamed-longer\n",
    );
    let dir = pve.join("nodes/n1/qemu-server");
    fs::rename(dir.join("100.tmp"), dir.join("100.conf")).unwrap();
    let changed = cache.snapshot();
    assert_eq!(
        changed.get(100).unwrap().name.as_deref(),
        Some("renamed-longer")
    );
    fs::remove_file(pve.join("nodes/n1/lxc/200.conf")).unwrap();
    let removed = cache.snapshot();
    assert!(!removed.contains(200));
}

#[test]
fn missing_nodes_dir_is_an_empty_list() {
    let dir = tempfile::tempdir().unwrap();
    assert!(VmListCache::new(&dir.path().join("nope"))
        .snapshot()
        .is_empty());
}

#[test]
fn in_place_edit_is_seen_on_the_next_sweep() {
    let dir = tempfile::tempdir().unwrap();
    let pve = dir.path();
    write(pve, "nodes/n1/qemu-server/100.conf", "name: a\n");
    let lazy = VmListCache::new(pve);
    let eager = VmListCache::new(pve).with_sweep_interval(std::time::Duration::ZERO);
    assert_eq!(lazy.snapshot().get(100).unwrap().name.as_deref(), Some("a"));
    assert_eq!(
        eager.snapshot().get(100).unwrap().name.as_deref(),
        Some("a")
    );
    // Rewritten in place with a different size: only the file's stamp changes.
    std::fs::write(pve.join("nodes/n1/qemu-server/100.conf"), "name: bbb\n").unwrap();
    assert_eq!(
        eager.snapshot().get(100).unwrap().name.as_deref(),
        Some("bbb")
    );
}
