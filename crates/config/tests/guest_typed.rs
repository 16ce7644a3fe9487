//! Crate-level checks of the typed guest formats: the VM configs of the peer
//! command-line cases (read at test time from `../shared/peer`, never copied) must read
//! without a single property-string warning, and every drive and NIC in them must read
//! as its typed format and print back to what the reader stored.

use std::path::Path;
use virton_config::guest::qemu::devices::DriveKey;
use virton_config::guest::qemu::VmConfig;
use virton_config::guest::ParseMode;

const PEER: &str = "../../../shared/peer/qemu-cfg2cmd.jsonl";
const PEER_CT: &str = "../../../shared/peer/lxc-snapshot.jsonl";

fn peer_configs_of(file: &str) -> Option<Vec<(String, String)>> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(file);
    let Ok(text) = std::fs::read_to_string(&path) else {
        eprintln!("skipped: {} not found", path.display());
        return None;
    };
    let mut out = Vec::new();
    for line in text.lines() {
        let case: serde_json::Value = serde_json::from_str(line).ok()?;
        let name = case["name"].as_str().unwrap_or_default().to_string();
        if let Some(inputs) = case["inputs"].as_object() {
            for (file, content) in inputs {
                if file.ends_with(".conf") {
                    let conf = content.as_str().unwrap_or_default().to_string();
                    out.push((format!("{name}/{file}"), conf));
                }
            }
        }
    }
    Some(out)
}

#[test]
fn peer_vm_configs_read_without_property_string_warnings() {
    let Some(configs) = peer_configs_of(PEER) else {
        return;
    };
    assert!(
        configs.len() > 40,
        "peer file read but only {} configs",
        configs.len()
    );
    let mut problems = Vec::new();
    for (name, text) in &configs {
        let parsed = VmConfig::parse_with("qemu-server/8006.conf", text, ParseMode::Lenient)
            .expect("lenient read never fails");
        for w in &parsed.warnings {
            problems.push(format!("{name}: {w}"));
        }
        let conf = parsed.config;
        for (key, _) in conf.raw_drives() {
            if let Err(e) = conf.drive(&key) {
                problems.push(format!("{name}: {e}"));
            }
        }
        if let Err(e) = conf.nets() {
            problems.push(format!("{name}: {e}"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn peer_ct_configs_read_without_property_string_warnings() {
    use virton_config::guest::lxc::CtConfig;
    let Some(configs) = peer_configs_of(PEER_CT) else {
        return;
    };
    let mut problems = Vec::new();
    for (name, text) in &configs {
        let parsed = CtConfig::parse_with("lxc/101.conf", text, ParseMode::Lenient)
            .expect("lenient read never fails");
        // Some cases carry a deliberately unknown key; only value problems count here.
        let value_problems = parsed
            .warnings
            .iter()
            .filter(|w| !w.contains("unknown setting"));
        problems.extend(value_problems.map(|w| format!("{name}: {w}")));
        let conf = parsed.config;
        if let Err(e) = conf.rootfs() {
            problems.push(format!("{name}: {e}"));
        }
        if let Err(e) = conf.mount_points() {
            problems.push(format!("{name}: {e}"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn typed_drive_prints_what_the_reader_stored() {
    let text = "scsi0: local-lvm:vm-100-disk-0,iothread=1,size=32G\n\
                ide2: none,media=cdrom\nvirtio1: local:100/vm-100-disk-1.qcow2,cache=writeback,discard=on\n";
    let conf = VmConfig::parse_with("qemu-server/100.conf", text, ParseMode::Strict)
        .expect("valid")
        .config;
    for (key, raw) in conf.raw_drives() {
        let mut copy = conf.clone();
        let value = conf.drive(&key).expect("valid").expect("set");
        copy.set_drive(&key, &value).expect("prints");
        assert_eq!(copy.get(&key.to_string()), Some(raw), "{key}");
    }
    assert!("scsi0".parse::<DriveKey>().is_ok());
}

mod round_trips {
    use proptest::prelude::*;
    use virton_config::guest::formats::GuestFormat;
    use virton_config::guest::qemu::formats::net::{NetDevice, NicModel};

    fn nic() -> impl Strategy<Value = NetDevice> {
        let model = prop_oneof![
            Just(NicModel::Virtio),
            Just(NicModel::E1000),
            Just(NicModel::Vmxnet3),
            Just(NicModel::Rtl8139),
        ];
        (
            model,
            proptest::option::of("BC:24:11:[0-9A-F]{2}:[0-9A-F]{2}:[0-9A-F]{2}"),
            proptest::option::of("vmbr[0-9]{1,2}"),
            proptest::option::of(1u32..=4094),
            proptest::option::of(any::<bool>()),
            proptest::option::of(1u32..=65520),
        )
            .prop_map(|(model, macaddr, bridge, tag, firewall, mtu)| NetDevice {
                model,
                macaddr,
                bridge,
                queues: None,
                rate: None,
                tag,
                trunks: None,
                firewall,
                link_down: None,
                mtu,
                host_tunnel: None,
            })
    }

    proptest! {
        #[test]
        fn nic_print_then_parse_is_identity(n in nic()) {
            let text = n.print().expect("valid NIC prints");
            let back = NetDevice::parse(&text).expect("printed NIC parses");
            prop_assert_eq!(&back, &n);
            prop_assert_eq!(back.print().expect("prints"), text);
        }
    }
}
