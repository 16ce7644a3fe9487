use super::procfs::*;
use super::*;
use std::fs;
use std::time::Duration;

const CPUINFO: &str = "\
processor\t: 0
vendor_id\t: GenuineIntel
cpu family\t: 6
model name\t: Test CPU @ 2.00GHz
cpu MHz\t\t: 1999.999
physical id\t: 0
cpu cores\t: 2
flags\t\t: fpu vmx sse2

processor\t: 1
vendor_id\t: GenuineIntel
physical id\t: 0
cpu cores\t: 2

processor\t: 2
physical id\t: 1
cpu cores\t: 2

processor\t: 3
physical id\t: 1
cpu cores\t: 2
";

fn fixture() -> (tempfile::TempDir, NodeStatusReader) {
    let dir = tempfile::tempdir().unwrap();
    let proc_dir = dir.path().join("proc");
    fs::create_dir_all(proc_dir.join("sys/kernel")).unwrap();
    fs::write(proc_dir.join("cpuinfo"), CPUINFO).unwrap();
    fs::write(
        proc_dir.join("meminfo"),
        "MemTotal: 4000 kB\nMemFree: 1000 kB\nMemAvailable: 3000 kB\nSwapTotal: 200 kB\nSwapFree: 50 kB\n",
    )
    .unwrap();
    fs::write(proc_dir.join("uptime"), "12345.67 40000.00\n").unwrap();
    fs::write(proc_dir.join("loadavg"), "0.50 0.25 0.10 1/123 4567\n").unwrap();
    fs::write(
        proc_dir.join("stat"),
        "cpu 100 0 100 800 0 0 0 0 0 0\ncpu0 1\ncpu1 1\n",
    )
    .unwrap();
    fs::write(proc_dir.join("sys/kernel/ostype"), "Linux\n").unwrap();
    fs::write(proc_dir.join("sys/kernel/osrelease"), "6.8.0-test\n").unwrap();
    fs::write(proc_dir.join("sys/kernel/version"), "#1 SMP Test\n").unwrap();
    let sys = dir.path().join("sys");
    fs::create_dir_all(sys.join("kernel/mm/ksm")).unwrap();
    fs::write(sys.join("kernel/mm/ksm/pages_sharing"), "3\n").unwrap();
    let root = HostRoot::new(dir.path()).with_proc_dir(&proc_dir);
    (dir, NodeStatusReader::new(root).with_sys_dir(sys))
}

#[test]
fn status_from_fixture_procfs_has_upstream_fields() {
    let (_dir, reader) = fixture();
    let st = reader.read();
    assert_eq!(st.uptime, 12345);
    assert_eq!(st.idle, 0);
    assert_eq!(st.loadavg, vec!["0.50", "0.25", "0.10"]);
    assert_eq!(st.kversion, "Linux 6.8.0-test #1 SMP Test");
    assert_eq!(st.current_kernel.release, "6.8.0-test");
    assert_eq!(st.boot_info.mode, "legacy-bios");
    assert_eq!(st.cpuinfo.model, "Test CPU @ 2.00GHz");
    assert_eq!(st.cpuinfo.mhz, "1999.999");
    assert_eq!(
        (st.cpuinfo.cpus, st.cpuinfo.sockets, st.cpuinfo.cores),
        (4, 2, 4)
    );
    assert_eq!(st.cpuinfo.hvm, "1");
    assert_eq!(st.memory.total, 4000 * 1024);
    assert_eq!(st.memory.used, 1000 * 1024);
    assert_eq!(st.memory.available, 3000 * 1024);
    assert_eq!(st.swap.used, 150 * 1024);
    assert_eq!(st.ksm.shared, 3 * 4096);
    assert!(st.rootfs.total > 0);
    assert_eq!(st.rootfs.free, st.rootfs.total - st.rootfs.used);
    let v = serde_json::to_value(&st).unwrap();
    for key in [
        "boot-info",
        "current-kernel",
        "cpuinfo",
        "memory",
        "swap",
        "rootfs",
        "ksm",
    ] {
        assert!(v.get(key).is_some(), "{key} missing");
    }
}

#[test]
fn missing_procfs_gives_defaults_not_errors() {
    let dir = tempfile::tempdir().unwrap();
    let root = HostRoot::new(dir.path()).with_proc_dir(dir.path().join("none"));
    let st = NodeStatusReader::new(root)
        .with_sys_dir(dir.path().join("none"))
        .read();
    assert_eq!(st.uptime, 0);
    assert_eq!(st.loadavg, vec!["0", "0", "0"]);
    assert_eq!(st.cpuinfo.model, "unknown");
    assert_eq!(st.cpuinfo.sockets, 1);
}

#[test]
fn cpu_fraction_needs_two_readings_far_enough_apart() {
    let t0 = Instant::now();
    let a = CpuTimes {
        used: 100,
        total: 1000,
        iowait: 0,
        cpus: 2,
    };
    let first = next_sample(None, a, t0);
    assert_eq!(first.cpu, 0.0);
    let b = CpuTimes {
        used: 600,
        total: 3000,
        iowait: 200,
        cpus: 2,
    };
    let soon = next_sample(Some(first), b, t0 + Duration::from_secs(1));
    assert_eq!(soon.cpu, 0.0, "under 1000 ticks: last figures again");
    let later = next_sample(Some(first), b, t0 + Duration::from_secs(10));
    assert!((later.cpu - 0.25).abs() < 1e-9);
    assert!((later.wait - 0.1).abs() < 1e-9);
}

#[test]
fn proc_stat_subtracts_guest_time_from_user() {
    let t = parse_proc_stat("cpu 50 10 20 100 5 1 1 1 30 5\ncpu0 x\n");
    assert_eq!(t.used, 50 + 10 + 20 + 1 + 1 + 1);
    assert_eq!(t.total, 20 + 5 + 20 + 5 + 1 + 1 + 1 + 100 + 30 + 5);
    assert_eq!(t.cpus, 1);
}

#[test]
fn loadavg_garbage_is_zero() {
    assert_eq!(parse_loadavg("x y z"), ["0", "0", "0"]);
    assert_eq!(parse_uptime("abc"), 0);
}
