//! Tests of the interfaces grammar with hand-written fixtures.

use super::*;

fn read(text: &str) -> NetworkConfig {
    NetworkConfig::read(text, &HostLinks::default())
}

/// The written text without the header.
fn body(cfg: &NetworkConfig) -> String {
    let text = cfg.try_write(true).expect("writable");
    text.strip_prefix(HEADER).expect("header first").to_string()
}

fn host_with_nics(names: &[&str]) -> HostLinks {
    let mut host = HostLinks::default();
    for n in names {
        host.links.insert(
            n.to_string(),
            IpLink {
                link_type: "ether".into(),
                ..Default::default()
            },
        );
    }
    host
}

#[test]
fn empty_file_writes_header_and_loopback() {
    let cfg = read("");
    assert_eq!(
        cfg.write(),
        format!("{HEADER}auto lo\niface lo inet loopback\n\n")
    );
}

#[test]
fn unknown_options_and_comments_are_kept_in_order() {
    let cfg = read(
        "iface eth0 inet static\n\taddress 192.0.2.5/24\n\tpost-up ip route add x\n\
         # first note\n\tpre-down echo bye\n#second\n",
    );
    let eth0 = &cfg.ifaces["eth0"];
    assert_eq!(
        eth0.inet.options,
        vec!["post-up ip route add x", "pre-down echo bye"]
    );
    assert_eq!(eth0.inet.comments.as_deref(), Some(" first note\nsecond\n"));
    assert!(body(&cfg).contains(
        "iface eth0 inet static\n\taddress 192.0.2.5/24\n\tpost-up ip route add x\n\
         \tpre-down echo bye\n# first note\n#second\n\n"
    ));
}

#[test]
fn typeless_stanza_sorts_addresses_by_family() {
    let cfg = read(
        "iface eth0 inet manual\niface vmbr1\n\taddress 192.0.2.4/24\n\taddress 2001:db8::4/64\n\
         \tgateway 192.0.2.1\n\tgateway 2001:db8::1\n\tbridge-ports eth0\n",
    );
    let d = &cfg.ifaces["vmbr1"];
    assert_eq!(d.kind, Some(IfaceType::Bridge));
    assert_eq!(d.families, vec![None]);
    assert_eq!(d.inet.cidr.as_deref(), Some("192.0.2.4/24"));
    assert_eq!(d.inet6.cidr.as_deref(), Some("2001:db8::4/64"));
    assert_eq!(d.inet6.gateway.as_deref(), Some("2001:db8::1"));
    assert!(body(&cfg).contains(
        "iface vmbr1\n\taddress 192.0.2.4/24\n\tgateway 192.0.2.1\n\
         \taddress 2001:db8::4/64\n\tgateway 2001:db8::1\n\tbridge-ports eth0\n"
    ));
}

#[test]
fn dotted_netmask_becomes_prefix_length() {
    let cfg = read("iface eth0 inet static\n\taddress 10.1.2.3\n\tnetmask 255.255.0.0\n");
    let d = &cfg.ifaces["eth0"];
    assert_eq!(d.inet.address.as_deref(), Some("10.1.2.3"));
    assert_eq!(d.inet.netmask.as_deref(), Some("16"));
    assert_eq!(d.inet.cidr.as_deref(), Some("10.1.2.3/16"));
    assert!(body(&cfg).contains("\taddress 10.1.2.3/16\n"));
}

#[test]
fn address_without_mask_gets_host_prefix_in_cidr_only() {
    let cfg = read("iface eth0 inet6 static\n\taddress 2001:db8::9\n");
    let d = &cfg.ifaces["eth0"];
    assert_eq!(d.inet6.cidr.as_deref(), Some("2001:db8::9/128"));
    assert!(body(&cfg).contains("\taddress 2001:db8::9\n"));
}

#[test]
fn bridge_port_spellings_are_merged_sorted_and_unique() {
    let cfg = read(
        "iface eth1 inet manual\niface eth2 inet manual\n\
         iface vmbr0 inet manual\n\tbridge_ports eth2 eth1 eth2\n\tbridge-stp YES\n",
    );
    let d = &cfg.ifaces["vmbr0"];
    assert_eq!(
        d.bridge.ports,
        Some(vec!["eth1".to_string(), "eth2".to_string()])
    );
    assert_eq!(d.bridge.stp.as_deref(), Some("on"));
    assert_eq!(d.bridge.fd, None);
    assert!(body(&cfg).contains("\tbridge-ports eth1 eth2\n\tbridge-stp on\n\n"));
}

#[test]
fn bridge_without_ports_is_still_a_bridge() {
    let cfg = read("iface vmbr9 inet manual\n\tbridge-ports none\n");
    let d = &cfg.ifaces["vmbr9"];
    assert_eq!(d.kind, Some(IfaceType::Bridge));
    assert!(body(&cfg).contains("\tbridge-ports none\n\tbridge-stp off\n\tbridge-fd 0\n"));
}

#[test]
fn numeric_bond_mode_is_written_by_name_with_defaults() {
    let cfg = read(
        "iface eth1 inet manual\niface eth2 inet manual\n\
         iface bond0 inet manual\n\tbond-slaves eth1 eth2\n\tbond-mode 4\n\
         \tbond-xmit-hash-policy layer3+4\n",
    );
    assert_eq!(cfg.ifaces["bond0"].bond.mode.as_deref(), Some("802.3ad"));
    let text = body(&cfg);
    assert!(text.contains(
        "iface bond0 inet manual\n\tbond-slaves eth1 eth2\n\tbond-miimon 100\n\
         \tbond-mode 802.3ad\n\tbond-xmit-hash-policy layer3+4\n"
    ));
    // Bond slaves start at boot.
    assert!(text.contains("auto eth1\niface eth1 inet manual\n"));
}

#[test]
fn vlan_by_name_drops_implied_options_on_write() {
    let cfg = read(
        "iface eth0 inet manual\niface eth0.10 inet manual\n\
         iface mgmt inet manual\n\tvlan-raw-device eth0\n\tvlan-id 20\n",
    );
    let v = &cfg.ifaces["eth0.10"];
    assert_eq!(v.kind, Some(IfaceType::Vlan));
    assert_eq!(v.vlan.raw_device.as_deref(), Some("eth0"));
    assert_eq!(v.vlan.id.as_deref(), Some("10"));
    assert_eq!(cfg.ifaces["mgmt"].kind, Some(IfaceType::Vlan));
    let text = body(&cfg);
    assert!(text.contains("iface eth0.10 inet manual\n\n"));
    assert!(text.contains("iface mgmt inet manual\n\tvlan-id 20\n\tvlan-raw-device eth0\n"));
}

#[test]
fn ovs_bond_mode_moves_between_options_and_model() {
    let text = "allow-ovs vmbr1\niface vmbr1 inet manual\n\tovs_type OVSBridge\n\
                \tovs_ports bond0\n\n\
                iface eth1 inet manual\niface eth2 inet manual\n\
                allow-vmbr1 bond0\niface bond0 inet manual\n\tovs_type OVSBond\n\
                \tovs_bridge vmbr1\n\tovs_bonds eth1 eth2\n\
                \tovs_options bond_mode=balance-slb lacp=active tag=7\n";
    let cfg = read(text);
    let b = &cfg.ifaces["bond0"];
    assert_eq!(b.kind, Some(IfaceType::OvsBond));
    assert_eq!(b.bond.mode.as_deref(), Some("lacp-balance-slb"));
    assert_eq!(b.ovs.tag.as_deref(), Some("7"));
    assert_eq!(b.ovs.options, None);
    assert!(cfg.directives.is_empty(), "allow-vmbr1 line is implied");
    assert!(body(&cfg).contains(
        "auto bond0\niface bond0 inet manual\n\tovs_bonds eth1 eth2\n\tovs_type OVSBond\n\
         \tovs_bridge vmbr1\n\tovs_options tag=7 lacp=active bond_mode=balance-slb\n"
    ));
}

#[test]
fn unconfigured_host_nics_are_written_as_manual() {
    let cfg = NetworkConfig::read("", &host_with_nics(&["eth0", "eno1"]));
    assert!(cfg.ifaces["eno1"].exists);
    assert_eq!(
        body(&cfg),
        "auto lo\niface lo inet loopback\n\niface eno1 inet manual\n\n\
         iface eth0 inet manual\n\n"
    );
}

#[test]
fn directives_keep_their_place_between_interfaces() {
    let cfg = read(
        "source /etc/network/a\n\niface eth1 inet manual\n\n\
         source-directory /etc/network/interfaces.d\n\niface eth2 inet manual\n",
    );
    assert_eq!(
        body(&cfg),
        "auto lo\niface lo inet loopback\n\nsource /etc/network/a\n\n\
         iface eth1 inet manual\n\nsource-directory /etc/network/interfaces.d\n\n\
         iface eth2 inet manual\n\n"
    );
}

#[test]
fn allow_hotplug_is_read_as_autostart() {
    let cfg = read("allow-hotplug ens18\niface ens18 inet dhcp\n");
    assert!(cfg.ifaces["ens18"].autostart);
    assert!(body(&cfg).contains("auto ens18\niface ens18 inet dhcp\n"));
}

#[test]
fn inet6_only_interface_writes_comments_after_its_stanza() {
    let cfg = read("iface eth0 inet6 static\n\taddress 2001:db8::1/64\n# v6 note\n");
    assert_eq!(
        cfg.ifaces["eth0"].inet.comments.as_deref(),
        Some(" v6 note\n")
    );
    assert!(body(&cfg).contains("iface eth0 inet6 static\n\taddress 2001:db8::1/64\n# v6 note\n"));
}

#[test]
fn port_used_twice_is_refused_with_upstream_wording() {
    let cfg = read(
        "iface eth0 inet manual\niface vmbr0 inet manual\n\tbridge-ports eth0\n\
         iface vmbr1 inet manual\n\tbridge-ports eth0\n",
    );
    let err = cfg.try_write(true).unwrap_err();
    assert_eq!(
        err.to_string(),
        "port 'eth0' is already used on interface 'vmbr0'"
    );
    // The lenient writer still prints.
    assert!(cfg.write().contains("iface vmbr1 inet manual\n"));
}

#[test]
fn vlan_with_missing_parent_is_refused() {
    let cfg = read("iface bond7.5 inet manual\n");
    assert!(cfg.try_write(true).is_err());
}

#[test]
fn single_word_line_ends_stanza_and_is_kept_as_directive() {
    let cfg = read("iface eth0 inet manual\n\tup\n\tmtu 9000\n");
    assert_eq!(cfg.ifaces["eth0"].mtu, None);
    let lines: Vec<&str> = cfg.directives.iter().map(|d| d.line.as_str()).collect();
    assert_eq!(lines, vec!["\tup", "\tmtu 9000"]);
}

#[test]
fn format_parse_never_fails_and_write_reparses() {
    let text = "iface\niface x inet\nauto\n\tmtu\n\u{00e9}\n";
    let cfg = <NetworkConfig as Format>::parse("interfaces", text).unwrap();
    let again = <NetworkConfig as Format>::parse("interfaces", &cfg.write()).unwrap();
    assert_eq!(again.write(), cfg.write());
}
