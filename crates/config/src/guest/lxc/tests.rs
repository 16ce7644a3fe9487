//! Tests of the container config reader and writer (hand-written fixtures).

use super::*;

const FILE: &str = "lxc/200.conf";

fn strict(text: &str) -> Result<CtConfig, ParseError> {
    CtConfig::parse_with(FILE, text, ParseMode::Strict).map(|p| p.config)
}

fn lenient(text: &str) -> Parsed<CtConfig> {
    CtConfig::parse_with(FILE, text, ParseMode::Lenient).unwrap()
}

#[test]
fn canonical_file_round_trips_byte_identical() {
    let text = "#web server\narch: amd64\nhostname: web\nmemory: 512\nnet0: name=eth0,bridge=vmbr0,ip=dhcp,type=veth\nrootfs: local:200/vm-200-disk-0.raw,size=8G\nlxc.environment.runtime: A=1\nlxc.environment.runtime: B=2\nlxc.apparmor.profile: unconfined\nlxc.cgroup2.devices.allow: c 10:200 rwm\n\n[pve:pending]\ndelete: !mp0,swap\nmemory: 1024\n\n[before]\nmemory: 256\nsnaptime: 1700000000\n";
    let conf = strict(text).unwrap();
    assert_eq!(conf.env_vars(), vec!["A=1", "B=2"]);
    assert_eq!(conf.main.lxc.len(), 2);
    assert_eq!(conf.write(), text);
}

#[test]
fn raw_lxc_keys_accept_equals_sign_and_keep_order() {
    let conf = strict("lxc.mount.entry = /a b none bind 0 0\nlxc.arch: x86_64\n").unwrap();
    assert_eq!(
        conf.write(),
        "lxc.mount.entry: /a b none bind 0 0\nlxc.arch: x86_64\n"
    );
}

#[test]
fn refused_and_unknown_raw_keys_are_errors() {
    let err = strict("lxc.rootfs.path: /x\n").unwrap_err();
    assert_eq!(
        err.message,
        "vm 200 - lxc.rootfs.path: lxc.rootfs.path is auto generated from rootfs"
    );
    let err = strict("lxc.bogus: 1\n").unwrap_err();
    assert_eq!(err.message, "vm 200 - unable to parse config: lxc.bogus: 1");
}

#[test]
fn deprecated_raw_key_is_kept_with_a_warning() {
    let parsed = CtConfig::parse_with(FILE, "lxc.tty: 2\n", ParseMode::Strict).unwrap();
    assert_eq!(
        parsed.config.main.lxc,
        vec![("lxc.tty".to_string(), "2".to_string())]
    );
    assert_eq!(
        parsed.warnings,
        vec!["vm 200 - lxc.tty is deprecated and was renamed to lxc.tty.max"]
    );
}

#[test]
fn invalid_value_is_kept_when_lenient() {
    let text = "memory: lots\n";
    let err = strict(text).unwrap_err();
    assert_eq!(
        err.message,
        "vm 200 - unable to parse value of 'memory' - type check ('integer') failed - got 'lots'"
    );
    let parsed = lenient(text);
    assert_eq!(parsed.config.get("memory"), Some("lots"));
    assert_eq!(parsed.warnings.len(), 1);
}

#[test]
fn booleans_are_normalized() {
    assert_eq!(strict("onboot: yes\n").unwrap().write(), "onboot: 1\n");
}

#[test]
fn description_is_kept_untrimmed_and_blank_lines_vanish_on_write() {
    let conf = strict("# a \n#\nmemory: 1\n").unwrap();
    assert_eq!(conf.main.description.as_deref(), Some(" a \n\n"));
    assert_eq!(conf.write(), "# a \nmemory: 1\n");
    let conf = strict("#\n").unwrap();
    assert_eq!(conf.main.description.as_deref(), Some("\n"));
    assert_eq!(conf.write(), "");
}

#[test]
fn delete_outside_pending_is_rejected() {
    let err = strict("delete: swap\n").unwrap_err();
    assert_eq!(
        err.message,
        "vm 200 - property 'delete' is only allowed in [pve:pending]"
    );
}

#[test]
fn unknown_header_is_a_malformed_line() {
    let err = strict("[:3]\n").unwrap_err();
    assert_eq!(err.message, "vm 200 - unable to parse config: [:3]");
}

#[test]
fn unused_entry_for_a_mounted_volume_is_dropped_on_write() {
    let text = "mp0: local:200/vm-200-disk-1.raw,mp=/data\nunused0: local:200/vm-200-disk-1.raw\nunused1: local:200/vm-200-disk-2.raw\n";
    assert_eq!(
        strict(text).unwrap().write(),
        "mp0: local:200/vm-200-disk-1.raw,mp=/data\nunused1: local:200/vm-200-disk-2.raw\n"
    );
}

#[test]
fn env_key_and_runtime_lines_join() {
    let conf = strict("env: A=1\nlxc.environment.runtime: B=2\n").unwrap();
    assert_eq!(conf.main.env.as_deref(), Some("A=1\0B=2"));
    assert_eq!(
        conf.write(),
        "lxc.environment.runtime: A=1\nlxc.environment.runtime: B=2\n"
    );
}

#[test]
fn setters_check_values() {
    let mut conf = CtConfig::default();
    assert!(conf.set("swap", "-1").is_err());
    conf.set("unprivileged", "true").unwrap();
    assert_eq!(conf.get("unprivileged"), Some("1"));
    conf.set_pending_deletions(&[PendingDelete {
        key: "swap".into(),
        force: false,
    }]);
    assert_eq!(
        conf.write(),
        "unprivileged: 1\n\n[pve:pending]\ndelete: swap\n"
    );
}
