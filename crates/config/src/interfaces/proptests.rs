//! Property tests: generated configurations survive write -> read -> write unchanged.
//!
//! A generated model is first brought into the form reading produces (derived `cidr`,
//! defaults, positions): it is written and read twice, because a model without `lo`
//! gets the default one at position 1, which becomes a file position only once it has
//! been written. From there `read(write(c)) == c` must hold exactly.

use super::*;
use proptest::prelude::*;

fn name() -> impl Strategy<Value = String> {
    let base = prop::sample::select(vec![
        "eth0", "eth1", "ens18", "enp3s0", "vmbr0", "vmbr1", "bond0", "bond1", "vxlan1", "dummy0",
        "vlan7", "mgmt",
    ]);
    (base, prop::option::of(1u16..4095)).prop_map(|(b, vlan)| match vlan {
        Some(v) if v % 3 == 0 => format!("{b}.{v}"),
        _ => b.to_string(),
    })
}

fn word() -> impl Strategy<Value = String> {
    "[a-z0-9][a-z0-9.:/_-]{0,12}"
}

/// Keys with a few plausible values each.
const CHOICES: &[(&str, &[&str])] = &[
    ("address", &["192.0.2.1", "192.0.2.1/24", "10.0.0.9"]),
    ("netmask", &["24", "255.255.255.0", "16"]),
    ("gateway", &["192.0.2.254"]),
    ("address6", &["2001:db8::1", "2001:db8::1/64"]),
    ("gateway6", &["2001:db8::ff"]),
    ("mtu", &["1280", "1500", "9000"]),
    ("bridge_stp", &["on", "off"]),
    ("bridge_fd", &["0", "2", "15", "40"]),
    ("bridge_vlan_aware", &["1"]),
    ("bond_mode", &["802.3ad", "active-backup", "balance-rr"]),
    ("vlan-protocol", &["802.1ad"]),
    ("vxlan-id", &["1", "2", "7"]),
    ("ovs_type", &["OVSBridge", "OVSPort", "OVSIntPort"]),
    ("ovs_options", &["tag=3", "tag=9"]),
    ("comments", &["note\n", "a\nb\n"]),
    ("link-type", &["dummy"]),
    ("method", &["static", "manual", "dhcp"]),
    ("autostart", &["0", "1"]),
];

fn choice_entry() -> impl Strategy<Value = (String, KeyValue)> {
    prop::sample::select(CHOICES.to_vec()).prop_flat_map(|(k, values)| {
        prop::sample::select(values.to_vec())
            .prop_map(move |v| (k.to_string(), KeyValue::Str(v.to_string())))
    })
}

/// Keys whose values name interfaces, and list-valued keys.
fn list_entry() -> impl Strategy<Value = (String, KeyValue)> {
    let port_key = prop::sample::select(vec!["bridge_ports", "slaves", "vlan-raw-device"]);
    let ports = (port_key, prop::collection::vec(name(), 0..3))
        .prop_map(|(k, v)| (k.to_string(), KeyValue::Str(v.join(" "))));
    let options = word().prop_map(|w| {
        let line = format!("post-up {w}");
        ("options".to_string(), KeyValue::List(vec![line]))
    });
    let families = prop::sample::select(vec![vec!["inet"], vec!["inet6"], vec!["inet", "inet6"]])
        .prop_map(|f| {
            let list = f.into_iter().map(String::from).collect();
            ("families".to_string(), KeyValue::List(list))
        });
    prop_oneof![ports, options, families]
}

/// One upstream key with a plausible value.
fn entry() -> impl Strategy<Value = (String, KeyValue)> {
    prop_oneof![3 => choice_entry(), 1 => list_entry()]
}

fn config() -> impl Strategy<Value = NetworkConfig> {
    let iface = prop::collection::vec(entry(), 0..6);
    let ifaces = prop::collection::btree_map(name(), iface, 0..6);
    let directives = prop::collection::vec(("[a-z]{1,8}", 1u64..12), 0..3);
    (ifaces, directives).prop_map(|(ifaces, dirs)| {
        let mut cfg = NetworkConfig::default();
        for (n, entries) in ifaces {
            let entries = entries.iter().map(|(k, v)| (k.as_str(), v.clone()));
            if let Ok(i) = Interface::from_entries(entries) {
                cfg.ifaces.insert(n, i);
            }
        }
        cfg.directives = dirs
            .into_iter()
            .map(|(w, p)| Directive {
                priority: p,
                line: format!("source {w}"),
            })
            .collect();
        cfg.directives.sort_by_key(|d| d.priority);
        cfg
    })
}

fn read(text: &str) -> NetworkConfig {
    NetworkConfig::read(text, &HostLinks::default())
}

proptest! {
    #[test]
    fn written_config_reads_back_unchanged(cfg in config()) {
        let settled = read(&read(&cfg.write()).write());
        let text = settled.write();
        let again = read(&text);
        prop_assert_eq!(&again, &settled);
        prop_assert_eq!(again.write(), text);
    }
}
