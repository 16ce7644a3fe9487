//! What the writer does to a configuration before printing it, as upstream does: CIDR
//! back into `address`, OVS ports attached to their bridge (or dropped when orphaned),
//! bond and OVS bond slaves started at boot, VLAN parent/id implied by the name removed;
//! and the consistency checks upstream refuses to write without (port used twice,
//! missing parent or slave, MTU lower than a child's, misplaced bridge-port options...).
//!
//! Problems are collected with upstream's wording; the caller decides whether they stop
//! the write.
//!
//! Must not depend on: `parse`, `order`.

use super::model::{FamilyConfig, Interface, NetworkConfig};
use super::text::{num, opt_truthy, split_list, split_numbered, split_ws_fields, truthy};
use super::types::{Family, IfaceType, Method};
use std::collections::{BTreeMap, BTreeSet};

/// Prepares `cfg` for printing and returns the problems found, in check order.
pub(crate) fn prepare(cfg: &mut NetworkConfig, ifupdown2: bool) -> Vec<String> {
    let mut errors = Vec::new();
    let used = collect_ports(cfg, &mut errors);
    drop_unused_ovs_ports(cfg, &used);
    attach_ovs_ports(cfg, &mut errors);
    check_ovs_bonds(cfg, &mut errors);
    check_bonds(cfg, &mut errors);
    check_vxlans(cfg, &mut errors);
    check_vlans(cfg, ifupdown2, &mut errors);
    check_uplinks(cfg, &mut errors);
    check_bridges(cfg, &mut errors);
    check_undefined(cfg, &mut errors);
    errors
}

/// Parents named by a VLAN or alias but never defined: upstream cannot print them.
fn check_undefined(cfg: &NetworkConfig, errors: &mut Vec<String>) {
    for (name, d) in &cfg.ifaces {
        if d.kind.is_none() && d.families.is_empty() && d.inet.method.is_none() {
            errors.push(format!("interface '{name}' is referenced but not defined"));
        }
    }
}

fn kind_str(d: Option<&Interface>) -> &str {
    d.and_then(|d| d.kind.as_ref())
        .map_or("", IfaceType::as_str)
}

fn is_kind(d: Option<&Interface>, kind: &IfaceType) -> bool {
    d.and_then(|d| d.kind.as_ref()) == Some(kind)
}

/// Upstream's MTU rule: a child may not have a larger MTU than its parent.
fn mtu_error(
    parent: &str,
    pdata: Option<&Interface>,
    child: &str,
    cdata: Option<&Interface>,
) -> Option<String> {
    let cmtu = cdata.and_then(|c| c.mtu.clone()).filter(|m| truthy(m))?;
    let mut pmtu = pdata.and_then(|p| p.mtu.clone()).unwrap_or_default();
    if is_kind(pdata, &IfaceType::Bond) && !truthy(&pmtu) {
        pmtu = cmtu.clone();
    }
    if !truthy(&pmtu) {
        pmtu = "1500".to_string();
    }
    (num(&pmtu) < num(&cmtu))
        .then(|| format!("interface '{parent}' - mtu {pmtu} is lower than '{child}' - mtu {cmtu}"))
}

fn check_mtu(cfg: &NetworkConfig, parent: &str, child: &str, errors: &mut Vec<String>) {
    errors.extend(mtu_error(
        parent,
        cfg.ifaces.get(parent),
        child,
        cfg.ifaces.get(child),
    ));
}

/// Moves `cidr` back to `address` and maps every port to the interface using it.
fn collect_ports(cfg: &mut NetworkConfig, errors: &mut Vec<String>) -> BTreeMap<String, String> {
    let mut used: BTreeMap<String, String> = BTreeMap::new();
    for (name, d) in cfg.ifaces.iter_mut() {
        for fc in [&mut d.inet, &mut d.inet6] {
            let cidr = fc.cidr.take();
            if fc.address.is_none() {
                fc.address = cidr;
            }
        }
        let lists = [
            d.bridge.ports.as_ref().map(|p| p.join(" ")),
            d.ovs.ports.clone(),
            d.bond.slaves.as_ref().map(|p| p.join(" ")),
            d.ovs.bonds.clone(),
        ];
        let ports: Vec<String> = lists.into_iter().flatten().filter(|v| truthy(v)).collect();
        for p in split_list(&ports.join(" ")) {
            if let Some(other) = used.get(&p).filter(|o| *o != name) {
                errors.push(format!("port '{p}' is already used on interface '{other}'"));
            }
            used.insert(p, name.clone());
        }
    }
    used
}

/// OVS ports no bridge lists become plain NICs; those of a non-OVS bridge are removed.
fn drop_unused_ovs_ports(cfg: &mut NetworkConfig, used: &BTreeMap<String, String>) {
    let names: Vec<String> = cfg.ifaces.keys().cloned().collect();
    for name in names {
        let Some(kind) = cfg.ifaces.get(&name).and_then(|d| d.kind.clone()) else {
            continue;
        };
        if !kind.is_ovs_port() {
            continue;
        }
        match used.get(&name).filter(|br| cfg.ifaces.contains_key(*br)) {
            None => {
                let plain = Interface {
                    kind: Some(IfaceType::Eth),
                    exists: true,
                    inet: FamilyConfig {
                        method: Some(Method::Manual),
                        ..Default::default()
                    },
                    families: vec![Some(Family::Inet)],
                    ..Default::default()
                };
                cfg.ifaces.insert(name, plain);
            }
            Some(br) if !is_kind(cfg.ifaces.get(br), &IfaceType::OvsBridge) => {
                cfg.ifaces.remove(&name);
            }
            Some(_) => {}
        }
    }
}

fn names_of_kind(cfg: &NetworkConfig, kind: &IfaceType) -> Vec<String> {
    cfg.ifaces
        .iter()
        .filter(|(_, d)| d.kind.as_ref() == Some(kind))
        .map(|(n, _)| n.clone())
        .collect()
}

/// Every port an OVS bridge lists becomes an OVS port of that bridge.
fn attach_ovs_ports(cfg: &mut NetworkConfig, errors: &mut Vec<String>) {
    for br in names_of_kind(cfg, &IfaceType::OvsBridge) {
        let ports = cfg.ifaces.get(&br).and_then(|d| d.ovs.ports.clone());
        let Some(ports) = ports.filter(|p| truthy(p)) else {
            continue;
        };
        for p in split_ws_fields(&ports) {
            let Some(n) = cfg.ifaces.get_mut(p) else {
                errors.push(format!("OVS bridge '{br}' - unable to find port '{p}'"));
                continue;
            };
            n.autostart = false;
            match n.kind {
                Some(IfaceType::Eth) => {
                    n.kind = Some(IfaceType::OvsPort);
                    n.ovs.bridge = Some(br.clone());
                }
                Some(ref k) if k.is_ovs_port() => n.ovs.bridge = Some(br.clone()),
                _ => errors.push(format!("interface '{p}' is not defined as OVS port/bond")),
            }
            check_mtu(cfg, &br, p, errors);
        }
    }
}

/// OVS bond slaves must be NICs; they start at boot.
fn check_ovs_bonds(cfg: &mut NetworkConfig, errors: &mut Vec<String>) {
    for bond in names_of_kind(cfg, &IfaceType::OvsBond) {
        let slaves = cfg.ifaces.get(&bond).and_then(|d| d.ovs.bonds.clone());
        let Some(slaves) = slaves.filter(|s| truthy(s)) else {
            continue;
        };
        for p in split_ws_fields(&slaves) {
            let Some(n) = cfg.ifaces.get_mut(p) else {
                errors.push(format!("OVS bond '{bond}' - unable to find slave '{p}'"));
                continue;
            };
            n.autostart = true;
            if n.kind != Some(IfaceType::Eth) {
                errors.push(format!(
                    "OVS bond '{bond}' - wrong interface type on slave '{p}' ('{}' != 'eth')",
                    kind_str(Some(n))
                ));
            }
            check_mtu(cfg, &bond, p, errors);
        }
    }
}

/// Bond slaves must be NICs or bonds; they start at boot; the primary must be a slave.
fn check_bonds(cfg: &mut NetworkConfig, errors: &mut Vec<String>) {
    for bond in names_of_kind(cfg, &IfaceType::Bond) {
        let Some(d) = cfg.ifaces.get(&bond) else {
            continue;
        };
        let slaves = d.bond.slaves.as_ref().map(|s| s.join(" "));
        let Some(slaves) = slaves.filter(|s| truthy(s)) else {
            continue;
        };
        let primary = d.bond.primary.clone().filter(|p| truthy(p));
        let mut primary_is_slave = false;
        for p in split_ws_fields(&slaves) {
            let Some(n) = cfg.ifaces.get_mut(p) else {
                errors.push(format!("bond '{bond}' - unable to find slave '{p}'"));
                continue;
            };
            n.autostart = true;
            if !matches!(n.kind, Some(IfaceType::Eth | IfaceType::Bond)) {
                errors.push(format!(
                    "bond '{bond}' - wrong interface type on slave '{p}' ('{}' != 'eth or bond')",
                    kind_str(Some(n))
                ));
            }
            check_mtu(cfg, &bond, p, errors);
            primary_is_slave |= primary.as_deref() == Some(p);
        }
        if primary.is_some() && !primary_is_slave {
            errors.push(format!(
                "bond '{bond}' - bond-primary interface is not a slave"
            ));
        }
    }
}

/// VXLAN ids are unique; remote addressing options exclude each other.
fn check_vxlans(cfg: &NetworkConfig, errors: &mut Vec<String>) {
    let mut ids: BTreeMap<&str, &str> = BTreeMap::new();
    for (name, d) in &cfg.ifaces {
        if let Some(id) = d.vxlan.id.as_deref().filter(|i| truthy(i)) {
            if d.kind == Some(IfaceType::Vxlan) {
                if let Some(other) = ids.get(id) {
                    errors.push(format!(
                        "iface {name} - duplicate vxlan-id {id} already used in {other}"
                    ));
                }
                ids.insert(id, name);
            }
        }
        let x = &d.vxlan;
        let ips = [
            x.svcnodeip.is_some(),
            x.remoteip.is_some(),
            x.local_tunnelip.is_some(),
        ];
        if ips.iter().filter(|b| **b).count() > 1 {
            errors.push(format!("iface {name} - vxlan-svcnodeip, vxlan-remoteip and vxlan-localtunnelip are mutually exclusive"));
        }
        if x.svcnodeip.is_some() != x.physdev.is_some() {
            errors.push(format!(
                "iface {name} - vxlan-svcnodeip and vxlan-physdev must be define together"
            ));
        }
    }
}

/// The parent and id of a VLAN; drops the options its name already implies.
fn vlan_parent(name: &str, d: &mut Interface, ifupdown2: bool) -> Result<(String, String), String> {
    if let Some((p, id)) = split_numbered(name, '.') {
        if opt_truthy(d.vlan.raw_device.as_ref()) {
            d.vlan.raw_device = None;
        }
        if opt_truthy(d.vlan.id.as_ref()) {
            d.vlan.id = None;
        }
        return Ok((p.to_string(), id.to_string()));
    }
    let p = d
        .vlan
        .raw_device
        .clone()
        .filter(|r| truthy(r))
        .ok_or("missing vlan-raw-device option")?;
    if let Some(id) = name
        .strip_prefix("vlan")
        .filter(|r| super::text::all_digits(r))
    {
        if opt_truthy(d.vlan.id.as_ref()) {
            d.vlan.id = None;
        }
        return Ok((p, id.to_string()));
    }
    if !ifupdown2 {
        return Err("custom vlan interface name need ifupdown2".to_string());
    }
    let id = d.vlan.id.clone().filter(|i| truthy(i));
    Ok((p, id.ok_or("missing vlan-id option")?))
}

/// VLANs need an existing NIC/bond/bridge/VLAN parent and an id up to 4094.
fn check_vlans(cfg: &mut NetworkConfig, ifupdown2: bool, errors: &mut Vec<String>) {
    for name in names_of_kind(cfg, &IfaceType::Vlan) {
        let Some(d) = cfg.ifaces.get_mut(&name) else {
            continue;
        };
        let (p, id) = match vlan_parent(&name, d, ifupdown2) {
            Ok(v) => v,
            Err(e) => {
                errors.push(e);
                continue;
            }
        };
        if num(&id) > 4094.0 {
            errors.push(format!("vlan '{name}' - vlan-id {id} should be <= 4094"));
        }
        let parent = cfg.ifaces.get(&p);
        if parent.is_none() {
            errors.push(format!("vlan '{name}' - unable to find parent '{p}'"));
            continue;
        }
        if !matches!(
            parent.and_then(|n| n.kind.as_ref()),
            Some(IfaceType::Eth | IfaceType::Bridge | IfaceType::Bond | IfaceType::Vlan)
        ) {
            errors.push(format!(
                "vlan '{name}' - wrong interface type on parent '{p}' ('{}' != 'eth|bond|bridge|vlan' )",
                kind_str(parent)
            ));
        }
        check_mtu(cfg, &p, &name, errors);
    }
}

/// An uplink id belongs to one NIC or bond.
fn check_uplinks(cfg: &NetworkConfig, errors: &mut Vec<String>) {
    let mut seen: BTreeMap<&str, &str> = BTreeMap::new();
    for (name, d) in &cfg.ifaces {
        let Some(id) = d.uplink_id.as_deref().filter(|i| truthy(i)) else {
            continue;
        };
        if !matches!(d.kind, Some(IfaceType::Eth | IfaceType::Bond)) {
            errors.push(format!("iface '{name}' - uplink-id {id} is only allowed on physical and linux bond interfaces"));
        }
        if let Some(other) = seen.get(id) {
            errors.push(format!(
                "iface '{name}' - uplink-id {id} is already assigned on '{other}'"
            ));
        }
        seen.insert(id, name);
    }
}

/// A VLAN port a bridge names without defining it (`vmbr4.99`).
fn implicit_vlan(cfg: &NetworkConfig, port: &str) -> Option<Interface> {
    let (parent, _) = split_numbered(port, '.')?;
    Some(Interface {
        kind: Some(IfaceType::Vlan),
        inet: FamilyConfig {
            method: Some(Method::Manual),
            ..Default::default()
        },
        inet6: FamilyConfig {
            method: Some(Method::Manual),
            ..Default::default()
        },
        mtu: cfg.ifaces.get(parent).and_then(|p| p.mtu.clone()),
        ..Default::default()
    })
}

fn has_static_address(n: &Interface) -> bool {
    let fixed = |fc: &FamilyConfig, any: &str| {
        fc.method == Some(Method::Static) && fc.address.as_deref() != Some(any)
    };
    fixed(&n.inet, "0.0.0.0") || fixed(&n.inet6, "::")
}

/// Bridge ports must exist and carry no address; port-only options need a bridge.
fn check_bridges(cfg: &NetworkConfig, errors: &mut Vec<String>) {
    let mut port_of: BTreeMap<String, String> = BTreeMap::new();
    let mut bridges = BTreeSet::new();
    for (br, d) in cfg
        .ifaces
        .iter()
        .filter(|(_, d)| d.kind == Some(IfaceType::Bridge))
    {
        for p in d.bridge.ports.iter().flatten() {
            let implicit = (!cfg.ifaces.contains_key(p))
                .then(|| implicit_vlan(cfg, p))
                .flatten();
            let Some(n) = cfg.ifaces.get(p).or(implicit.as_ref()) else {
                errors.push(format!("bridge '{br}' - unable to find bridge port '{p}'"));
                continue;
            };
            if has_static_address(n) {
                errors.push(format!(
                    "iface {p} - ip address can't be set on interface if bridged in {br}"
                ));
            }
            errors.extend(mtu_error(p, Some(n), br, Some(d)));
            port_of.insert(p.clone(), br.clone());
        }
        bridges.insert(br.clone());
    }
    check_port_options(cfg, &port_of, &bridges, errors);
}

fn check_port_options(
    cfg: &NetworkConfig,
    port_of: &BTreeMap<String, String>,
    bridges: &BTreeSet<String>,
    errors: &mut Vec<String>,
) {
    const PORT_KEYS: [&str; 5] = [
        "bridge-learning",
        "bridge-arp-nd-suppress",
        "bridge-unicast-flood",
        "bridge-multicast-flood",
        "bridge-access",
    ];
    for (name, d) in &cfg.ifaces {
        for k in PORT_KEYS {
            let set = d.get_key(k).is_some_and(|v| truthy(&v.joined()));
            if set && !port_of.contains_key(name) {
                errors.push(format!("iface {name} - {k}: bridge port specific options can be used only on interfaces attached to a bridge"));
            }
        }
        if opt_truthy(d.port.access.as_ref()) {
            let aware = port_of
                .get(name)
                .filter(|b| bridges.contains(*b))
                .and_then(|b| cfg.ifaces.get(b))
                .is_some_and(|b| opt_truthy(b.bridge.vlan_aware.as_ref()));
            if !aware {
                errors.push(format!("iface {name} - bridge-access option can be only used if interface is in a vlan aware bridge"));
            }
        }
    }
}
