//! Parsing, error wording and round trips of every identifier type.

use super::*;
use proptest::prelude::*;

fn err<T: std::str::FromStr<Err = IdError>>(s: &str) -> String {
    match s.parse::<T>() {
        Ok(_) => panic!("'{s}' unexpectedly parsed"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn vmid_accepts_range_and_rejects_malformed() {
    assert_eq!("100".parse::<Vmid>().unwrap().get(), 100);
    assert_eq!("999999999".parse::<Vmid>().unwrap().get(), 999_999_999);
    for bad in [
        "99",
        "0100",
        "1000000000",
        "-100",
        "+100",
        "10a",
        "",
        " 100",
    ] {
        assert_eq!(
            err::<Vmid>(bad),
            "value does not look like a valid VM ID",
            "{bad}"
        );
    }
    assert_eq!(
        Vmid::new(99).unwrap_err().to_string(),
        "value must have a minimum value of 100"
    );
    assert_eq!(
        Vmid::new(1_000_000_000).unwrap_err().to_string(),
        "value must have a maximum value of 999999999"
    );
}

#[test]
fn vmid_serde_is_integer_and_accepts_string() {
    let id: Vmid = serde_json::from_str("105").unwrap();
    assert_eq!(serde_json::to_string(&id).unwrap(), "105");
    assert_eq!(serde_json::from_str::<Vmid>("\"105\"").unwrap(), id);
    assert!(serde_json::from_str::<Vmid>("5").is_err());
    assert!(serde_json::from_str::<Vmid>("-5").is_err());
    assert!(serde_json::from_str::<Vmid>("1.5").is_err());
}

#[test]
fn node_name_rules() {
    for ok in ["pve", "node-1", "A", "1a"] {
        ok.parse::<NodeName>().unwrap();
    }
    for bad in ["-pve", "pve-", "pve.example", "", "a_b"] {
        assert_eq!(
            err::<NodeName>(bad),
            "value does not look like a valid node name"
        );
    }
}

#[test]
fn storage_id_rules_and_wording() {
    for ok in ["local", "local-lvm", "A.b_c9", "ab"] {
        ok.parse::<StorageId>().unwrap();
    }
    assert_eq!(
        err::<StorageId>("a"),
        "storage ID 'a' contains illegal characters"
    );
    assert_eq!(
        err::<StorageId>("1abc"),
        "storage ID '1abc' contains illegal characters"
    );
    assert_eq!(
        err::<StorageId>("abc-"),
        "storage ID 'abc-' contains illegal characters"
    );
    assert_eq!(
        err::<StorageId>("a:b"),
        "storage ID 'a:b' contains illegal characters"
    );
}

#[test]
fn volume_id_splits_at_first_colon() {
    let v: VolumeId = "local:iso/x:y.iso".parse().unwrap();
    assert_eq!(v.storage(), "local");
    assert_eq!(v.volname(), "iso/x:y.iso");
    assert_eq!(v.to_string(), "local:iso/x:y.iso");
    for bad in [
        "local:",
        ":vm-100",
        "local",
        "1x:vm",
        "lo cal:vm",
        "local:a\nb",
    ] {
        assert_eq!(
            err::<VolumeId>(bad),
            format!("unable to parse volume ID '{bad}'")
        );
    }
    let built = VolumeId::new("store".parse().unwrap(), "vm-1-disk-0").unwrap();
    assert_eq!(built.to_string(), "store:vm-1-disk-0");
    assert!(VolumeId::new("store".parse().unwrap(), "").is_err());
}

#[test]
fn userid_rules_and_wording() {
    let u: Userid = "root@pam".parse().unwrap();
    assert_eq!((u.name(), u.realm()), ("root", "pam"));
    assert!(u.is_root());
    let odd: Userid = "first.last@example.com@ldap".parse().unwrap();
    assert_eq!(
        (odd.name(), odd.realm()),
        ("first.last@example.com", "ldap")
    );
    assert_eq!(err::<Userid>("a@"), "user name 'a@' is too short");
    let long = format!("{}@pve", "x".repeat(61));
    assert_eq!(
        err::<Userid>(&long),
        format!("user name '{long}' is too long (65 > 64)")
    );
    for bad in [
        "root",
        "ro ot@pam",
        "a:b@pam",
        "a/b@pve",
        "root@1pam",
        "root@p",
    ] {
        assert_eq!(
            err::<Userid>(bad),
            format!("value '{bad}' does not look like a valid user name"),
            "{bad}"
        );
    }
}

#[test]
fn authid_user_or_token() {
    let user: Authid = "root@pam".parse().unwrap();
    assert!(!user.is_token());
    let token: Authid = "root@pam!automation".parse().unwrap();
    assert_eq!(token.user().as_str(), "root@pam");
    assert_eq!(token.token_name().unwrap(), "automation");
    assert_eq!(token.to_string(), "root@pam!automation");
    // '!' inside a user name is allowed; it is not a token unless a token name follows.
    let bang: Authid = "a!b@pve".parse().unwrap();
    assert!(!bang.is_token());
    assert_eq!(
        err::<Authid>("root!tok"),
        "value 'root!tok' does not look like a valid token ID"
    );
    assert_eq!(
        err::<Authid>("root@pam!"),
        "value 'root@pam!' does not look like a valid user name"
    );
}

#[test]
fn realm_token_group_role_rules() {
    "pve".parse::<RealmId>().unwrap();
    assert_eq!(
        err::<RealmId>("1x"),
        "value does not look like a valid realm"
    );
    assert_eq!(
        err::<RealmId>(&format!("r{}", "x".repeat(32))),
        "value may only be 32 characters long"
    );
    "tok-1.a_b".parse::<TokenName>().unwrap();
    assert_eq!(
        err::<TokenName>("t"),
        "value does not match the regex pattern"
    );
    "admins.x-y_z".parse::<GroupId>().unwrap();
    assert_eq!(
        err::<GroupId>("a b"),
        "group name 'a b' contains invalid characters"
    );
    "PVEVMAdmin".parse::<RoleId>().unwrap();
    assert_eq!(
        err::<RoleId>(""),
        "role name '' contains invalid characters"
    );
}

#[test]
fn pool_nesting_rules() {
    let p: PoolId = "a/b/c".parse().unwrap();
    assert_eq!(p.levels(), 3);
    assert_eq!(p.parent().unwrap().as_str(), "a/b");
    assert_eq!("top".parse::<PoolId>().unwrap().parent(), None);
    assert_eq!(
        err::<PoolId>("a/b/c/d"),
        "pool name 'a/b/c/d' nested too deeply (max levels = 3)"
    );
    assert_eq!(
        err::<PoolId>("a//b"),
        "pool name 'a//b' contains invalid characters"
    );
    assert_eq!(
        err::<PoolId>("a/b/"),
        "pool name 'a/b/' contains invalid characters"
    );
    assert_eq!(
        err::<PoolId>("a b"),
        "pool name 'a b' contains invalid characters"
    );
}

#[test]
fn config_id_and_snapshot_rules() {
    "net0".parse::<ConfigId>().unwrap();
    assert_eq!(err::<ConfigId>("0net"), "invalid configuration ID '0net'");
    assert_eq!(err::<ConfigId>("a"), "invalid configuration ID 'a'");
    "before_upgrade-1".parse::<SnapshotName>().unwrap();
    assert_eq!(err::<SnapshotName>("a.b"), "invalid configuration ID 'a.b'");
    assert_eq!(
        err::<SnapshotName>(&"s".repeat(41)),
        "value may only be 40 characters long"
    );
}

#[test]
fn mac_rules_keep_case() {
    let m: MacAddr = "bc:24:11:aa:bb:cc".parse().unwrap();
    assert_eq!(m.to_string(), "bc:24:11:aa:bb:cc");
    assert_eq!(m.octets(), [0xbc, 0x24, 0x11, 0xaa, 0xbb, 0xcc]);
    for bad in [
        "01:00:00:00:00:00",
        "bc:24:11:aa:bb",
        "bc:24:11:aa:bb:cc:dd",
        "bc-24-11-aa-bb-cc",
        "bc:24:11:aa:bb:c",
    ] {
        assert_eq!(
            err::<MacAddr>(bad),
            "value does not look like a valid unicast MAC address",
            "{bad}"
        );
    }
}

#[test]
fn mac_generate_sets_local_bit_and_prefix() {
    let m = MacAddr::generate(None, |b| *b = [0xff, 1, 2, 3, 4, 5]).unwrap();
    assert_eq!(m.as_str(), "FE:01:02:03:04:05");
    let m = MacAddr::generate(Some("bc:24:11"), |b| {
        *b = [0x11, 0x22, 0x33, 0x44, 0x55, 0x66]
    })
    .unwrap();
    assert_eq!(m.as_str(), "BC:24:11:44:55:66");
    assert!(MacAddr::generate(Some("01:00"), |_| {}).is_err());
    assert!(MacAddr::generate(Some(&"A".repeat(20)), |_| {}).is_err());
}

#[test]
fn upid_parse_and_format() {
    let text = "UPID:pve1:00001A2B:0000ABCD:65A0B1C2:qmstart:100:root@pam:";
    let upid: Upid = text.parse().unwrap();
    assert_eq!(upid.node(), "pve1");
    assert_eq!(
        (upid.pid(), upid.pstart(), upid.starttime()),
        (0x1A2B, 0xABCD, 0x65A0_B1C2)
    );
    assert_eq!(
        (upid.worker_type(), upid.worker_id(), upid.authid()),
        ("qmstart", "100", "root@pam")
    );
    assert_eq!(upid.to_string(), text);
    // Nine-digit pstart and an empty task ID are accepted.
    let long: Upid = "UPID:n:00000001:123456789:00000002:srvreload::u@pve!tok:"
        .parse()
        .unwrap();
    assert_eq!(long.pstart(), 0x1_2345_6789);
    assert_eq!(long.worker_id(), "");
}

#[test]
fn upid_malformed_is_rejected_with_upstream_wording() {
    for bad in [
        "UPID:pve1:00001A2B:0000ABCD:65A0B1C2:qmstart:100:root@pam",
        "UPID:pve1:1A2B:0000ABCD:65A0B1C2:qmstart:100:root@pam:",
        "UPID:pve1:00001A2B:0000ABCD:65A0B1C2::100:root@pam:",
        "UPID:pve1:00001A2B:0000ABCD:65A0B1C2:qmstart:100::",
        "UPID:-pve:00001A2B:0000ABCD:65A0B1C2:qmstart:100:root@pam:",
        "UPID:pve1:00001A2B:0000ABCD:65A0B1C2:qm start:100:root@pam:",
        "UPID:pve1:00001A2B:0000ABCDEF:65A0B1C2:qmstart:100:root@pam:",
        "PID:x",
        "",
    ] {
        assert_eq!(
            err::<Upid>(bad),
            format!("unable to parse worker upid '{bad}'")
        );
    }
}

#[test]
fn serde_goes_through_string_form() {
    let v: VolumeId = serde_json::from_str("\"local:vm-100-disk-0\"").unwrap();
    assert_eq!(
        serde_json::to_string(&v).unwrap(),
        "\"local:vm-100-disk-0\""
    );
    let e = serde_json::from_str::<StorageId>("\"-x\"").unwrap_err();
    assert!(
        e.to_string()
            .contains("storage ID '-x' contains illegal characters"),
        "{e}"
    );
    let a: Authid = serde_json::from_str("\"root@pam!t1\"").unwrap();
    assert!(a.is_token());
}

fn round_trip<T>(value: &T)
where
    T: std::str::FromStr<Err = IdError> + std::fmt::Display + PartialEq + std::fmt::Debug,
{
    let text = value.to_string();
    assert_eq!(&text.parse::<T>().unwrap(), value, "{text}");
}

fn upid_parts() -> impl Strategy<Value = UpidParts> {
    (
        "[a-zA-Z0-9]([a-zA-Z0-9-]{0,10}[a-zA-Z0-9])?",
        any::<u32>(),
        0u64..=0xF_FFFF_FFFF,
        any::<u32>(),
        "[a-z]{1,10}",
        "[a-z0-9@!._-]{0,10}",
        "[a-z]{1,8}@[a-z]{2,6}(![a-z]{2,5})?",
    )
        .prop_map(
            |(node, pid, pstart, starttime, worker_type, worker_id, authid)| UpidParts {
                node: node.parse().expect("strategy yields valid node names"),
                pid,
                pstart,
                starttime,
                worker_type,
                worker_id,
                authid,
            },
        )
}

proptest! {
    #[test]
    fn prop_vmid_round_trips(n in 100u32..=999_999_999) {
        round_trip(&Vmid::new(n).unwrap());
    }

    #[test]
    fn prop_names_round_trip(s in "[a-z][a-z0-9._-]{0,20}[a-z0-9]") {
        round_trip(&s.parse::<StorageId>().unwrap());
        round_trip(&s.parse::<GroupId>().unwrap());
        round_trip(&s.parse::<RoleId>().unwrap());
        round_trip(&s.parse::<TokenName>().unwrap());
    }

    #[test]
    fn prop_userid_authid_round_trip(name in "[^\\s:/]{1,20}", realm in "[A-Za-z][A-Za-z0-9._-]{1,10}", tok in "[A-Za-z][A-Za-z0-9._-]{1,10}") {
        let text = format!("{name}@{realm}");
        if let Ok(user) = text.parse::<Userid>() {
            round_trip(&user);
            round_trip(&Authid::from(user.clone()));
            round_trip(&Authid::token(user, tok.parse().unwrap()));
        }
    }

    #[test]
    fn prop_pool_round_trips(p in "[A-Za-z0-9._-]{1,8}(/[A-Za-z0-9._-]{1,8}){0,2}") {
        round_trip(&p.parse::<PoolId>().unwrap());
    }

    #[test]
    fn prop_volume_round_trips(s in "[a-z][a-z0-9-]{0,8}[a-z0-9]", v in "[^\n]{1,30}") {
        round_trip(&VolumeId::new(s.parse().unwrap(), v).unwrap());
    }

    #[test]
    fn prop_mac_round_trips(bytes in any::<[u8; 6]>(), prefix in proptest::option::of("[a-f0-9][02468ace](:[a-f0-9]{2}){0,2}")) {
        let mac = MacAddr::generate(prefix.as_deref(), |b| *b = bytes).unwrap();
        round_trip(&mac);
        let again = MacAddr::from_octets(mac.octets()).unwrap();
        prop_assert_eq!(again.as_str(), mac.as_str());
    }

    #[test]
    fn prop_upid_round_trips(parts in upid_parts()) {
        let upid = Upid::new(parts.clone()).unwrap();
        round_trip(&upid);
        prop_assert_eq!(upid.parts(), &parts);
    }

    #[test]
    fn prop_garbage_never_panics(s in "\\PC{0,80}") {
        let _ = s.parse::<Vmid>();
        let _ = s.parse::<NodeName>();
        let _ = s.parse::<VolumeId>();
        let _ = s.parse::<Userid>();
        let _ = s.parse::<Authid>();
        let _ = s.parse::<PoolId>();
        let _ = s.parse::<MacAddr>();
        if let Ok(upid) = s.parse::<Upid>() {
            // Anything accepted must print to an equivalent, parsable UPID.
            prop_assert_eq!(upid.to_string().parse::<Upid>().unwrap(), upid);
        }
    }

    #[test]
    fn prop_upid_garbage_is_rejected(s in "UPID:[^:]{0,10}(:[^:]{0,10}){0,9}") {
        if let Ok(upid) = s.parse::<Upid>() {
            prop_assert_eq!(upid.to_string().to_ascii_uppercase(), s.to_ascii_uppercase());
        }
    }
}

#[test]
fn upid_with_slash_in_a_field_is_rejected() {
    // A UPID names a task log file; a '/' (sent percent-encoded in a URL) must not reach it.
    let bad = "UPID:n1:00001234:00000001:5F000000:qmstart:../../x:root@pam:";
    assert!(bad.parse::<Upid>().is_err());
    let good = "UPID:n1:00001234:00000001:5F000000:qmstart:100:root@pam:";
    assert_eq!(good.parse::<Upid>().unwrap().to_string(), good);
}
