use super::*;

#[test]
fn check_format_accepts_valid_values() {
    for (name, value) in [
        ("pve-storage-id", "local-lvm"),
        ("pve-vmid", "100"),
        ("pve-node", "node1"),
        ("pve-configid", "net0"),
        ("mac-addr", "BC:24:11:AB:CD:EF"),
        ("ip", "fe80::1"),
        ("CIDR", "10.0.0.0/24"),
        ("email", "root@example.com"),
        ("pve-userid", "root@pam"),
        ("pve-tokenid", "root@pam!ci"),
        ("pve-poolid", "a/b/c"),
        ("pve-tag", "prod.db"),
        ("disk-size", "32G"),
        ("pve-vlan-id-or-range", "2-4094"),
        ("pve-startup-order", "order=1,up=30"),
        ("pve-volume-id-or-qm-path", "cdrom"),
        ("storage-pair", "local:other"),
        ("address", "pve.example.com"),
    ] {
        assert_eq!(check_format(name, value), Ok(()), "{name} {value}");
    }
}

#[test]
fn check_format_rejects_with_upstream_wording() {
    let cases = [
        (
            "pve-storage-id",
            "1abc",
            "storage ID '1abc' contains illegal characters",
        ),
        ("pve-vmid", "99", "value does not look like a valid VM ID"),
        (
            "mac-addr",
            "01:00:00:00:00:00",
            "value does not look like a valid unicast MAC address",
        ),
        ("pve-userid", "ab", "user name 'ab' is too short"),
        (
            "pve-userid",
            "root",
            "value 'root' does not look like a valid user name",
        ),
        (
            "pve-poolid",
            "a/b/c/d",
            "pool name 'a/b/c/d' nested too deeply (max levels = 3)",
        ),
        (
            "pve-vlan-id-or-range",
            "10-5",
            "VLAN range must go from lower to higher tag '10-5'",
        ),
        ("pve-vlan-id-or-range", "1", "invalid VLAN tag '1'"),
        (
            "storage-pair",
            "ab:1x",
            "entry 'ab:1x' contains invalid ID - storage ID '1x' contains illegal characters",
        ),
        ("no-such-format", "x", "undefined format 'no-such-format'"),
    ];
    for (name, value, message) in cases {
        assert_eq!(
            check_format(name, value),
            Err(message.to_string()),
            "{name} {value}"
        );
    }
}

#[test]
fn list_and_opt_suffixes() {
    assert_eq!(check_format("pve-vmid-list", "100,101;102 103"), Ok(()));
    assert_eq!(check_format("pve-vmid-list", ""), Ok(()));
    assert_eq!(
        check_format("pve-vmid-list", "100,5"),
        Err("value does not look like a valid VM ID".to_string())
    );
    assert_eq!(check_format("email-opt", ""), Ok(()));
    assert!(check_format("email-opt", "x").is_err());
    assert_eq!(check_format("string-list", "anything, at all"), Ok(()));
}

#[test]
fn registered_formats_are_checked_and_names_are_unique() {
    fn even(v: &str) -> Result<(), String> {
        match v.parse::<u32>() {
            Ok(n) if n % 2 == 0 => Ok(()),
            _ => Err(format!("'{v}' is not even")),
        }
    }
    assert_eq!(register_format("test-even", even), Ok(()));
    assert!(register_format("test-even", even).is_err());
    assert!(register_format("pve-vmid", even).is_err());
    assert_eq!(check_format("test-even-list", "2 4"), Ok(()));
    assert_eq!(
        check_format("test-even", "3"),
        Err("'3' is not even".to_string())
    );
}

#[test]
fn registered_object_format_parses_property_strings() {
    let schema = ObjectSchema::from_pve_json(&serde_json::json!({
        "a": {"type": "integer", "default_key": 1}
    }))
    .expect("valid");
    assert_eq!(register_object_format("test-obj", schema), Ok(()));
    assert_eq!(check_format("test-obj", "5"), Ok(()));
    assert!(check_format("test-obj", "x").is_err());
    assert_eq!(
        check_format("test-obj-list", "5"),
        Err("'-list' format must have code ref, not hash".to_string())
    );
}
