//! Interface kinds, address methods and families, the host's link list, and the rules
//! that decide an interface's kind after reading (name patterns, host links, options).
//!
//! Must not depend on: `parse`, `write`, `order` (they use this, not the other way round).

use super::model::{Interface, NetworkConfig};
use super::text::{all_digits, is_ws, opt_truthy, split_numbered, truthy};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// What an interface is, as upstream names it in the `type` key.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum IfaceType {
    /// `loopback`: the `lo` interface.
    Loopback,
    /// `eth`: a physical NIC.
    Eth,
    /// `bridge`: a Linux bridge.
    Bridge,
    /// `bond`: a Linux bond.
    Bond,
    /// `vlan`: an 802.1q/802.1ad VLAN device.
    Vlan,
    /// `vxlan`: a VXLAN tunnel device.
    Vxlan,
    /// `alias`: an `if:N` alias.
    Alias,
    /// `dummy`: a dummy link (`link-type dummy`).
    Dummy,
    /// `OVSBridge`: an Open vSwitch bridge.
    OvsBridge,
    /// `OVSBond`: an Open vSwitch bond.
    OvsBond,
    /// `OVSPort`: a physical NIC attached to an Open vSwitch bridge.
    OvsPort,
    /// `OVSIntPort`: an Open vSwitch internal port.
    OvsIntPort,
    /// `unknown`: nothing matched.
    Unknown,
    /// Any other name set through the model.
    Other(String),
}

impl IfaceType {
    /// The upstream spelling.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Loopback => "loopback",
            Self::Eth => "eth",
            Self::Bridge => "bridge",
            Self::Bond => "bond",
            Self::Vlan => "vlan",
            Self::Vxlan => "vxlan",
            Self::Alias => "alias",
            Self::Dummy => "dummy",
            Self::OvsBridge => "OVSBridge",
            Self::OvsBond => "OVSBond",
            Self::OvsPort => "OVSPort",
            Self::OvsIntPort => "OVSIntPort",
            Self::Unknown => "unknown",
            Self::Other(s) => s,
        }
    }

    /// True for the OVS port-like kinds (`OVSPort`, `OVSIntPort`, `OVSBond`).
    pub fn is_ovs_port(&self) -> bool {
        matches!(self, Self::OvsPort | Self::OvsIntPort | Self::OvsBond)
    }
}

impl From<&str> for IfaceType {
    fn from(s: &str) -> Self {
        match s {
            "loopback" => Self::Loopback,
            "eth" => Self::Eth,
            "bridge" => Self::Bridge,
            "bond" => Self::Bond,
            "vlan" => Self::Vlan,
            "vxlan" => Self::Vxlan,
            "alias" => Self::Alias,
            "dummy" => Self::Dummy,
            "OVSBridge" => Self::OvsBridge,
            "OVSBond" => Self::OvsBond,
            "OVSPort" => Self::OvsPort,
            "OVSIntPort" => Self::OvsIntPort,
            "unknown" => Self::Unknown,
            other => Self::Other(other.to_string()),
        }
    }
}

impl fmt::Display for IfaceType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How a family's address is configured (the third word of an `iface` line).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Method {
    /// `manual`: no address handling.
    Manual,
    /// `static`: fixed address.
    Static,
    /// `dhcp`.
    Dhcp,
    /// `loopback`.
    Loopback,
    /// `auto` (IPv6 SLAAC).
    Auto,
    /// Any other method word.
    Other(String),
}

impl Method {
    /// The spelling in the file.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Manual => "manual",
            Self::Static => "static",
            Self::Dhcp => "dhcp",
            Self::Loopback => "loopback",
            Self::Auto => "auto",
            Self::Other(s) => s,
        }
    }
}

impl From<&str> for Method {
    fn from(s: &str) -> Self {
        match s {
            "manual" => Self::Manual,
            "static" => Self::Static,
            "dhcp" => Self::Dhcp,
            "loopback" => Self::Loopback,
            "auto" => Self::Auto,
            other => Self::Other(other.to_string()),
        }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An address family of an `iface` stanza.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Family {
    /// `inet` (IPv4).
    Inet,
    /// `inet6` (IPv6).
    Inet6,
}

impl Family {
    /// The spelling in the file.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Inet => "inet",
            Self::Inet6 => "inet6",
        }
    }

    /// Parses `inet` / `inet6`.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "inet" => Some(Self::Inet),
            "inet6" => Some(Self::Inet6),
            _ => None,
        }
    }
}

/// One link as `ip -details -json link show` reports it (the fields the reader uses).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IpLink {
    /// `link_type`, e.g. `ether`, `loopback`.
    pub link_type: String,
    /// `linkinfo.info_kind`, e.g. `bridge`, `vlan`; absent for plain NICs.
    pub info_kind: Option<String>,
    /// `altnames`.
    pub altnames: Vec<String>,
}

impl IpLink {
    /// A physical NIC: an `ether` link without a virtual link kind.
    pub fn is_physical(&self) -> bool {
        self.link_type == "ether" && self.info_kind.is_none()
    }
}

/// What the host says about its links when the file is read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HostLinks {
    /// Links by name.
    pub links: BTreeMap<String, IpLink>,
    /// Names of the interfaces that are currently up.
    pub active: Vec<String>,
}

impl HostLinks {
    /// Alternative name -> link name.
    pub fn altname_mapping(&self) -> BTreeMap<&str, &str> {
        let mut map = BTreeMap::new();
        for (name, link) in &self.links {
            for alt in &link.altnames {
                map.insert(alt.as_str(), name.as_str());
            }
        }
        map
    }
}

/// Whether `name` looks like a physical NIC by name alone (`ethN`, `en*`, `ib*`, `nicN`, `ifN`).
pub fn is_physical_nic_name(name: &str) -> bool {
    let no_sep = |rest: &str| !rest.is_empty() && !rest.contains([':', '.']);
    if let Some(rest) = name.strip_prefix("eth") {
        if all_digits(rest) {
            return true;
        }
    }
    if let Some(rest) = name.strip_prefix("en").or_else(|| name.strip_prefix("ib")) {
        if no_sep(rest) {
            return true;
        }
    }
    name.strip_prefix("nic")
        .or_else(|| name.strip_prefix("if"))
        .is_some_and(all_digits)
}

/// Bond modes by number, as `bond-mode 4` may spell them.
const BOND_MODES: [&str; 7] = [
    "balance-rr",
    "active-backup",
    "balance-xor",
    "broadcast",
    "802.3ad",
    "balance-tlb",
    "balance-alb",
];

/// The name of a numeric bond mode (`4` -> `802.3ad`); other values unchanged.
pub(crate) fn bond_mode_name(value: &str) -> String {
    BOND_MODES
        .iter()
        .enumerate()
        .find(|(n, _)| n.to_string() == value)
        .map_or_else(|| value.to_string(), |(_, name)| name.to_string())
}

/// Assigns every interface its kind, address/CIDR form and defaults after reading, in
/// name order; interfaces named as parents but missing are added with only `exists` off.
pub(crate) fn classify_all(
    cfg: &mut NetworkConfig,
    host: &HostLinks,
    empty_bridges: &BTreeSet<String>,
) {
    let altnames = host.altname_mapping();
    let names: Vec<String> = cfg.ifaces.keys().cloned().collect();
    for name in names {
        let Some(mut d) = cfg.ifaces.remove(&name) else {
            continue;
        };
        let link = host
            .links
            .get(altnames.get(name.as_str()).copied().unwrap_or(&name));
        let parent = classify(&name, &mut d, link, empty_bridges.contains(&name));
        if let Some(parent) = parent {
            d.exists = if parent == name {
                d.exists
            } else {
                let p = cfg.ifaces.entry(parent).or_default();
                p.exists
            };
        }
        super::parse::normalize_addresses(&mut d);
        cfg.ifaces.insert(name, d);
    }
}

/// Sets `d.kind` (and what the kind implies); returns the parent whose `exists` the
/// interface inherits (VLANs and aliases).
fn classify(
    name: &str,
    d: &mut Interface,
    link: Option<&IpLink>,
    empty_bridge: bool,
) -> Option<String> {
    d.kind = Some(IfaceType::Unknown);
    let ovs_type = d.ovs.kind.clone();
    if d.bridge.ports.is_some() || empty_bridge {
        d.kind = Some(IfaceType::Bridge);
        let stp = d.bridge.stp.get_or_insert_with(|| "off".to_string());
        if d.bridge.fd.is_none() && stp == "off" {
            d.bridge.fd = Some("0".to_string());
        }
    } else if ovs_type.as_deref() == Some("OVSBridge") {
        d.kind = Some(IfaceType::OvsBridge);
    } else if name.strip_prefix("bond").is_some_and(all_digits) {
        classify_bond(d);
    } else if let Some((parent, _)) = split_numbered(name, ':') {
        d.kind = Some(IfaceType::Alias);
        return Some(parent.to_string());
    } else if let Some((dev, id)) = split_numbered(name, '.') {
        d.kind = Some(IfaceType::Vlan);
        if !opt_truthy(d.vlan.raw_device.as_ref()) {
            d.vlan.raw_device = Some(dev.to_string());
        }
        if truthy(id) {
            d.vlan.id = Some(id.to_string());
        }
        return d.vlan.raw_device.clone();
    } else if opt_truthy(d.vlan.raw_device.as_ref()) {
        d.kind = Some(IfaceType::Vlan);
        if let Some(id) = name.strip_prefix("vlan").filter(|r| all_digits(r)) {
            if truthy(id) {
                d.vlan.id = Some(id.to_string());
            }
        }
        return d.vlan.raw_device.clone();
    } else if link.is_some_and(IpLink::is_physical) || is_physical_nic_name(name) {
        if !opt_truthy(ovs_type.as_ref()) {
            d.kind = Some(IfaceType::Eth);
        } else if ovs_type.as_deref() == Some("OVSPort") {
            d.kind = Some(IfaceType::OvsPort);
            take_tag(d);
        }
    } else if name == "lo" {
        d.kind = Some(IfaceType::Loopback);
    } else {
        classify_other(d);
    }
    None
}

/// A `bondN` name: a Linux bond, or an OVS bond whose mode lives in `ovs_options`.
fn classify_bond(d: &mut Interface) {
    match d.ovs.kind.as_deref() {
        None => d.kind = Some(IfaceType::Bond),
        Some(k) if !truthy(k) => d.kind = Some(IfaceType::Bond),
        Some("OVSBond") => {
            d.kind = Some(IfaceType::OvsBond);
            d.bond.mode = d.take_ovs_option("bond_mode");
            let lacp = d.take_ovs_option("lacp");
            if lacp.as_deref() == Some("active") && d.bond.mode.as_deref() == Some("balance-slb") {
                d.bond.mode = Some("lacp-balance-slb".to_string());
            }
            // balance-tcp only works with LACP, so upstream always reads it as such.
            if d.bond.mode.as_deref() == Some("balance-tcp") {
                d.bond.mode = Some("lacp-balance-tcp".to_string());
            }
            take_tag(d);
        }
        Some(_) => {}
    }
}

/// Names matching no pattern: VXLAN, OVS internal port or dummy by their options.
fn classify_other(d: &mut Interface) {
    if opt_truthy(d.vxlan.id.as_ref()) {
        d.kind = Some(IfaceType::Vxlan);
    } else if let Some(ovs) = d.ovs.kind.as_deref() {
        if ovs == "OVSIntPort" {
            d.kind = Some(IfaceType::OvsIntPort);
            take_tag(d);
        }
    } else if d.link_type.as_deref() == Some("dummy") {
        d.kind = Some(IfaceType::Dummy);
    }
}

/// Moves `tag=N` from `ovs_options` to `ovs_tag`.
fn take_tag(d: &mut Interface) {
    if let Some(tag) = d.take_ovs_option("tag") {
        d.ovs.tag = Some(tag);
    }
}

/// True when `s` has a word character (a line worth keeping at top level).
pub(crate) fn has_word(s: &str) -> bool {
    s.chars()
        .any(|c| c.is_alphanumeric() || c == '_' || (!c.is_ascii() && !is_ws(c)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn physical_nic_names_match_upstream_patterns() {
        for n in ["eth0", "eth100", "ens18", "enp3s0f1", "ib0", "nic1", "if2"] {
            assert!(is_physical_nic_name(n), "{n}");
        }
        for n in [
            "eth", "ethx", "en", "ens18.5", "vmbr0", "nic", "lo", "bond0",
        ] {
            assert!(!is_physical_nic_name(n), "{n}");
        }
    }

    #[test]
    fn numeric_bond_mode_becomes_its_name() {
        assert_eq!(bond_mode_name("4"), "802.3ad");
        assert_eq!(bond_mode_name("04"), "04");
        assert_eq!(bond_mode_name("balance-rr"), "balance-rr");
    }
}
