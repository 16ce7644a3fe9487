use super::*;
use crate::command::{FakeResponse, FakeRunner};
use std::fs;

fn fixture_root(tmp: &Path) -> HostRoot {
    let proc_dir = tmp.join("proc");
    fs::create_dir_all(proc_dir.join("sys/kernel")).unwrap();
    fs::write(
        proc_dir.join("cpuinfo"),
        "processor : 0\nvendor_id : AuthenticAMD\nmodel name : Test EPYC\nflags : fpu svm\nphysical id : 0\ncpu cores : 1\n",
    )
    .unwrap();
    fs::write(proc_dir.join("meminfo"), "MemTotal: 1024 kB\n").unwrap();
    fs::write(proc_dir.join("sys/kernel/osrelease"), "6.1.0-test\n").unwrap();
    // An empty dev dir: no /dev/kvm, so the probe must say Absent.
    fs::create_dir_all(tmp.join("dev")).unwrap();
    HostRoot::new(tmp.join("root"))
        .with_proc_dir(proc_dir)
        .with_dev_dir(tmp.join("dev"))
}

#[test]
fn probe_live_combines_runner_and_procfs() {
    let tmp = tempfile::tempdir().unwrap();
    let root = fixture_root(tmp.path());
    let fake = FakeRunner::new();
    fake.expect_exact(
        [QEMU_BINARY, "--version"],
        FakeResponse::ok("QEMU emulator version 9.2.1\n"),
    )
    .expect_exact(
        [QEMU_BINARY, "-machine", "help"],
        FakeResponse::ok("Supported machines are:\npc   x\nq35  y\n"),
    );
    let facts = HostFacts::probe_live(&root, &fake);
    assert_eq!(facts.qemu_version, Some((9, 2, 1)));
    assert_eq!(facts.qemu_machines, vec!["pc", "q35"]);
    assert_eq!(facts.kvm, KvmState::Absent);
    assert_eq!(facts.cpu_vendor, "AuthenticAMD");
    assert_eq!(facts.cpu_flags, vec!["fpu", "svm"]);
    assert_eq!((facts.cpus, facts.sockets, facts.cores), (1, 1, 1));
    assert_eq!(facts.memory_bytes, 1024 * 1024);
    assert_eq!(facts.kernel_release, "6.1.0-test");
    assert!(facts.warnings.is_empty(), "{:?}", facts.warnings);
    assert_eq!(fake.calls().len(), 2);
}

#[test]
fn probe_live_without_qemu_records_warning() {
    let tmp = tempfile::tempdir().unwrap();
    let root = fixture_root(tmp.path());
    let fake = FakeRunner::new();
    let facts = HostFacts::probe_live(&root, &fake);
    assert_eq!(facts.qemu_version, None);
    assert!(facts.qemu_machines.is_empty());
    assert_eq!(facts.warnings.len(), 1);
    assert!(
        facts.warnings[0].starts_with("QEMU not available"),
        "{:?}",
        facts.warnings
    );
    // Without QEMU there is no point in asking for machine types.
    assert_eq!(fake.calls().len(), 1);
}

#[test]
fn probe_prefers_override_file_in_root() {
    let tmp = tempfile::tempdir().unwrap();
    let root = fixture_root(tmp.path());
    fs::create_dir_all(root.etc_virton()).unwrap();
    let json = r#"{"qemu-version":[8,1,5],"kvm":{"state":"unusable","reason":"test"},"cpus":64}"#;
    fs::write(root.etc_virton().join("host-facts.json"), json).unwrap();
    if std::env::var_os(FACTS_ENV).is_some() {
        return; // the environment overrides the root file; nothing to check here
    }
    let facts = HostFacts::probe(&root, &FakeRunner::new()).unwrap();
    assert_eq!(facts.qemu_version, Some((8, 1, 5)));
    assert_eq!(
        facts.kvm,
        KvmState::Unusable {
            reason: "test".into()
        }
    );
    assert_eq!(facts.cpus, 64);
    assert!(facts.cpu_flags.is_empty());
}

#[test]
fn facts_json_round_trips() {
    let facts = HostFacts {
        qemu_version: Some((9, 0, 0)),
        qemu_machines: vec!["q35".into()],
        kvm: KvmState::Unusable {
            reason: "KVM_RUN did not complete (guests hang)".into(),
        },
        cpu_vendor: "GenuineIntel".into(),
        cores: 4,
        memory_bytes: 1 << 30,
        ..Default::default()
    };
    let text = serde_json::to_string(&facts).unwrap();
    assert!(
        text.contains(r#""kvm":{"state":"unusable","reason":"#),
        "{text}"
    );
    let back: HostFacts = serde_json::from_str(&text).unwrap();
    assert_eq!(back, facts);
}

#[test]
fn load_malformed_override_is_parse_error() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("facts.json");
    fs::write(&path, "{not json").unwrap();
    assert!(matches!(
        HostFacts::load(&path),
        Err(FactsError::Parse { .. })
    ));
    assert!(matches!(
        HostFacts::load(&tmp.path().join("missing")),
        Err(FactsError::Read { .. })
    ));
}

#[test]
fn kvm_state_usable_only_when_usable() {
    assert!(KvmState::Usable.is_usable());
    assert!(!KvmState::Absent.is_usable());
    assert!(!KvmState::Unusable {
        reason: String::new()
    }
    .is_usable());
}
