//! The typed model of `/etc/network/interfaces`: the configuration, one interface with
//! its per-family and per-kind settings, and access to every field by the key upstream
//! uses in its interface hash (`bridge_ports`, `address6`, `vlan-raw-device`, ...).
//!
//! Values upstream keeps verbatim (addresses, MTU, ids, timers) stay strings so a file
//! reads and writes back exactly; what upstream interprets (kind, method, families, port
//! lists) is typed.
//!
//! Must not depend on: `parse`, `write`, `order`.

use super::text::{split_list, truthy, words};
use super::types::{Family, IfaceType, Method};
use indexmap::IndexMap;
use std::collections::BTreeMap;

/// A parsed `/etc/network/interfaces`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NetworkConfig {
    /// Interfaces by name (file order lives in [`Interface::priority`]).
    pub ifaces: BTreeMap<String, Interface>,
    /// Top-level lines that are not interface stanzas (`source`, `mapping`, ...), kept.
    pub directives: Vec<Directive>,
}

/// A preserved top-level line and its position among the stanzas.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Directive {
    /// Position in the file, on the same scale as [`Interface::priority`].
    pub priority: u64,
    /// The line as read.
    pub line: String,
}

/// The settings of one address family (`inet` or `inet6`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FamilyConfig {
    /// `method` / `method6`.
    pub method: Option<Method>,
    /// `address` / `address6` (without prefix after reading).
    pub address: Option<String>,
    /// `netmask` / `netmask6` (prefix length after reading when known).
    pub netmask: Option<String>,
    /// `broadcast` / `broadcast6`.
    pub broadcast: Option<String>,
    /// `gateway` / `gateway6`.
    pub gateway: Option<String>,
    /// `cidr` / `cidr6`: address with prefix (derived on read, preferred on write).
    pub cidr: Option<String>,
    /// `comments` / `comments6`: `#` lines of the stanza, each ending in a newline.
    pub comments: Option<String>,
    /// `options` / `options6`: option lines not understood, in file order.
    pub options: Vec<String>,
}

/// Linux bridge settings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BridgeOptions {
    /// `bridge_ports`; `Some(empty)` is a bridge without ports (`none`).
    pub ports: Option<Vec<String>>,
    /// `bridge_stp` (`on` / `off`).
    pub stp: Option<String>,
    /// `bridge_fd`.
    pub fd: Option<String>,
    /// `bridge_vlan_aware` (present means yes).
    pub vlan_aware: Option<String>,
    /// `bridge_vids`.
    pub vids: Option<String>,
}

/// Settings of an interface that is a bridge port.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BridgePortOptions {
    /// `bridge-access`.
    pub access: Option<String>,
    /// `bridge-learning`.
    pub learning: Option<String>,
    /// `bridge-arp-nd-suppress`.
    pub arp_nd_suppress: Option<String>,
    /// `bridge-unicast-flood`.
    pub unicast_flood: Option<String>,
    /// `bridge-multicast-flood`.
    pub multicast_flood: Option<String>,
    /// `bridge-disable-mac-learning`.
    pub disable_mac_learning: Option<String>,
}

/// Linux bond settings (and the mode of an OVS bond).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BondOptions {
    /// `slaves`.
    pub slaves: Option<Vec<String>>,
    /// `bond_mode` (a name, never a number, after reading).
    pub mode: Option<String>,
    /// `bond_miimon`.
    pub miimon: Option<String>,
    /// `bond_xmit_hash_policy`.
    pub xmit_hash_policy: Option<String>,
    /// `bond-primary`.
    pub primary: Option<String>,
}

/// VLAN settings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VlanOptions {
    /// `vlan-raw-device`.
    pub raw_device: Option<String>,
    /// `vlan-id`.
    pub id: Option<String>,
    /// `vlan-protocol` (`802.1q` / `802.1ad`).
    pub protocol: Option<String>,
}

/// VXLAN settings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VxlanOptions {
    /// `vxlan-id`.
    pub id: Option<String>,
    /// `vxlan-svcnodeip`.
    pub svcnodeip: Option<String>,
    /// `vxlan-physdev`.
    pub physdev: Option<String>,
    /// `vxlan-local-tunnelip`.
    pub local_tunnelip: Option<String>,
    /// `vxlan-remoteip`, one per line.
    pub remoteip: Option<Vec<String>>,
}

/// Open vSwitch settings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OvsOptions {
    /// `ovs_type`.
    pub kind: Option<String>,
    /// `ovs_options` (`key=value` words).
    pub options: Option<String>,
    /// `ovs_bridge`.
    pub bridge: Option<String>,
    /// `ovs_bonds`.
    pub bonds: Option<String>,
    /// `ovs_ports`.
    pub ports: Option<String>,
    /// `ovs_tag` (taken out of `ovs_options` on read, put back on write).
    pub tag: Option<String>,
}

/// One interface (all its `iface` stanzas merged).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Interface {
    /// `type`; `None` only for parents named by a VLAN/alias but never defined.
    pub kind: Option<IfaceType>,
    /// `priority`: position in the file (lower first; `lo` defaults to 1).
    pub priority: Option<u64>,
    /// `exists`: the host has this link.
    pub exists: bool,
    /// `active`: the link is up.
    pub active: bool,
    /// `autostart`: an `auto` / `allow-hotplug` line names it.
    pub autostart: bool,
    /// `families`, in stanza order; `None` is a stanza without family (ifupdown2).
    pub families: Vec<Option<Family>>,
    /// IPv4 settings (`method`, `address`, ...).
    pub inet: FamilyConfig,
    /// IPv6 settings (`method6`, `address6`, ...).
    pub inet6: FamilyConfig,
    /// `mtu`.
    pub mtu: Option<String>,
    /// `link-type`.
    pub link_type: Option<String>,
    /// `uplink-id`.
    pub uplink_id: Option<String>,
    /// Linux bridge settings.
    pub bridge: BridgeOptions,
    /// Bridge port settings.
    pub port: BridgePortOptions,
    /// Bond settings.
    pub bond: BondOptions,
    /// VLAN settings.
    pub vlan: VlanOptions,
    /// VXLAN settings.
    pub vxlan: VxlanOptions,
    /// Open vSwitch settings.
    pub ovs: OvsOptions,
    /// Any other key set through the model (written as `key value`, sorted).
    pub extra: BTreeMap<String, String>,
}

/// A value of the upstream interface hash: a string or a list of strings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyValue {
    /// A scalar.
    Str(String),
    /// A list (`families`, `options`, `vxlan-remoteip`).
    List(Vec<String>),
}

impl KeyValue {
    /// The value as one string (lists joined by a space).
    pub fn joined(&self) -> String {
        match self {
            Self::Str(s) => s.clone(),
            Self::List(l) => l.join(" "),
        }
    }

    fn into_list(self) -> Vec<String> {
        match self {
            Self::Str(s) => vec![s],
            Self::List(l) => l,
        }
    }
}

macro_rules! string_keys {
    ($($key:literal => $($f:ident).+;)*) => {
        /// Upstream keys held as plain strings.
        const STRING_KEYS: &[&str] = &[$($key),*];

        fn str_field<'a>(i: &'a Interface, key: &str) -> Option<&'a Option<String>> {
            match key {
                $($key => Some(&i.$($f).+),)*
                _ => None,
            }
        }

        fn str_field_mut<'a>(i: &'a mut Interface, key: &str) -> Option<&'a mut Option<String>> {
            match key {
                $($key => Some(&mut i.$($f).+),)*
                _ => None,
            }
        }
    };
}

string_keys! {
    "address" => inet.address;
    "netmask" => inet.netmask;
    "broadcast" => inet.broadcast;
    "gateway" => inet.gateway;
    "cidr" => inet.cidr;
    "comments" => inet.comments;
    "address6" => inet6.address;
    "netmask6" => inet6.netmask;
    "broadcast6" => inet6.broadcast;
    "gateway6" => inet6.gateway;
    "cidr6" => inet6.cidr;
    "comments6" => inet6.comments;
    "mtu" => mtu;
    "link-type" => link_type;
    "uplink-id" => uplink_id;
    "bridge_stp" => bridge.stp;
    "bridge_fd" => bridge.fd;
    "bridge_vlan_aware" => bridge.vlan_aware;
    "bridge_vids" => bridge.vids;
    "bridge-access" => port.access;
    "bridge-learning" => port.learning;
    "bridge-arp-nd-suppress" => port.arp_nd_suppress;
    "bridge-unicast-flood" => port.unicast_flood;
    "bridge-multicast-flood" => port.multicast_flood;
    "bridge-disable-mac-learning" => port.disable_mac_learning;
    "bond_mode" => bond.mode;
    "bond_miimon" => bond.miimon;
    "bond_xmit_hash_policy" => bond.xmit_hash_policy;
    "bond-primary" => bond.primary;
    "vlan-raw-device" => vlan.raw_device;
    "vlan-id" => vlan.id;
    "vlan-protocol" => vlan.protocol;
    "vxlan-id" => vxlan.id;
    "vxlan-svcnodeip" => vxlan.svcnodeip;
    "vxlan-physdev" => vxlan.physdev;
    "vxlan-local-tunnelip" => vxlan.local_tunnelip;
    "ovs_type" => ovs.kind;
    "ovs_options" => ovs.options;
    "ovs_bridge" => ovs.bridge;
    "ovs_bonds" => ovs.bonds;
    "ovs_ports" => ovs.ports;
    "ovs_tag" => ovs.tag;
}

/// Keys with a typed (non-string) field.
const TYPED_KEYS: &[&str] = &[
    "type",
    "priority",
    "exists",
    "active",
    "autostart",
    "families",
    "method",
    "method6",
    "options",
    "options6",
    "bridge_ports",
    "slaves",
    "vxlan-remoteip",
];

impl Interface {
    /// An interface built from upstream hash entries (unset keys stay unset).
    pub fn from_entries<'a>(
        entries: impl IntoIterator<Item = (&'a str, KeyValue)>,
    ) -> Result<Self, String> {
        let mut iface = Self::default();
        for (k, v) in entries {
            iface.set_key(k, v)?;
        }
        Ok(iface)
    }

    /// The value under an upstream hash key, `None` when unset.
    pub fn get_key(&self, key: &str) -> Option<KeyValue> {
        if let Some(field) = str_field(self, key) {
            return field.clone().map(KeyValue::Str);
        }
        let s = |v: String| Some(KeyValue::Str(v));
        let flag = |b: bool| b.then(|| KeyValue::Str("1".to_string()));
        let list = |l: &Vec<String>| (!l.is_empty()).then(|| KeyValue::List(l.clone()));
        match key {
            "type" => self.kind.as_ref().and_then(|k| s(k.to_string())),
            "priority" => self.priority.and_then(|p| s(p.to_string())),
            "exists" => flag(self.exists),
            "active" => flag(self.active),
            "autostart" => flag(self.autostart),
            "families" => Some(KeyValue::List(
                self.families
                    .iter()
                    .map(|f| f.map_or("", Family::as_str).to_string())
                    .collect(),
            ))
            .filter(|_| !self.families.is_empty()),
            "method" => self.inet.method.as_ref().and_then(|m| s(m.to_string())),
            "method6" => self.inet6.method.as_ref().and_then(|m| s(m.to_string())),
            "options" => list(&self.inet.options),
            "options6" => list(&self.inet6.options),
            "bridge_ports" => self.bridge.ports.as_ref().and_then(|p| s(p.join(" "))),
            "slaves" => self.bond.slaves.as_ref().and_then(|p| s(p.join(" "))),
            "vxlan-remoteip" => self.vxlan.remoteip.clone().map(KeyValue::List),
            other => self.extra.get(other).cloned().map(KeyValue::Str),
        }
    }

    /// Sets an upstream hash key; an invalid family name is refused.
    pub fn set_key(&mut self, key: &str, value: KeyValue) -> Result<(), String> {
        if let Some(field) = str_field_mut(self, key) {
            *field = Some(value.joined());
            return Ok(());
        }
        match key {
            "type" => self.kind = Some(IfaceType::from(value.joined().as_str())),
            "priority" => {
                let v = value.joined();
                self.priority = Some(v.parse().map_err(|_| format!("invalid priority '{v}'"))?);
            }
            "exists" => self.exists = truthy(&value.joined()),
            "active" => self.active = truthy(&value.joined()),
            "autostart" => self.autostart = truthy(&value.joined()),
            "families" => self.families = parse_families(value.into_list())?,
            "method" => self.inet.method = Some(Method::from(value.joined().as_str())),
            "method6" => self.inet6.method = Some(Method::from(value.joined().as_str())),
            "options" => self.inet.options = value.into_list(),
            "options6" => self.inet6.options = value.into_list(),
            "bridge_ports" => self.bridge.ports = Some(split_list(&value.joined())),
            "slaves" => self.bond.slaves = Some(split_list(&value.joined())),
            "vxlan-remoteip" => self.vxlan.remoteip = Some(value.into_list()),
            other => {
                self.extra.insert(other.to_string(), value.joined());
            }
        }
        Ok(())
    }

    /// Removes an upstream hash key.
    pub fn delete_key(&mut self, key: &str) {
        if let Some(field) = str_field_mut(self, key) {
            *field = None;
            return;
        }
        match key {
            "type" => self.kind = None,
            "priority" => self.priority = None,
            "exists" => self.exists = false,
            "active" => self.active = false,
            "autostart" => self.autostart = false,
            "families" => self.families.clear(),
            "method" => self.inet.method = None,
            "method6" => self.inet6.method = None,
            "options" => self.inet.options.clear(),
            "options6" => self.inet6.options.clear(),
            "bridge_ports" => self.bridge.ports = None,
            "slaves" => self.bond.slaves = None,
            "vxlan-remoteip" => self.vxlan.remoteip = None,
            other => {
                self.extra.remove(other);
            }
        }
    }

    /// Every key that currently has a value, with its value, sorted by key.
    pub fn entries(&self) -> Vec<(String, KeyValue)> {
        let mut out: Vec<(String, KeyValue)> = STRING_KEYS
            .iter()
            .chain(TYPED_KEYS)
            .filter_map(|k| self.get_key(k).map(|v| (k.to_string(), v)))
            .chain(
                self.extra
                    .iter()
                    .map(|(k, v)| (k.clone(), KeyValue::Str(v.clone()))),
            )
            .collect();
        out.sort_by(|a, b| a.0.cmp(&b.0));
        out
    }

    /// The settings of one family.
    pub fn family(&self, family: Family) -> &FamilyConfig {
        match family {
            Family::Inet => &self.inet,
            Family::Inet6 => &self.inet6,
        }
    }

    /// The settings of one family, mutable.
    pub fn family_mut(&mut self, family: Family) -> &mut FamilyConfig {
        match family {
            Family::Inet => &mut self.inet,
            Family::Inet6 => &mut self.inet6,
        }
    }

    /// `ovs_options` as `key -> value` in order (words without `=` are ignored).
    fn ovs_option_map(&self) -> IndexMap<String, String> {
        let mut map = IndexMap::new();
        for kv in words(self.ovs.options.as_deref().unwrap_or("")) {
            if let Some((k, v)) = kv.split_once('=') {
                if truthy(k) {
                    map.insert(k.to_string(), v.to_string());
                }
            }
        }
        map
    }

    fn store_ovs_options(&mut self, map: &IndexMap<String, String>) {
        let joined: Vec<String> = map.iter().map(|(k, v)| format!("{k}={v}")).collect();
        let joined = joined.join(" ");
        self.ovs.options = truthy(&joined).then_some(joined);
    }

    /// Removes `name=value` from `ovs_options` and returns the value.
    pub fn take_ovs_option(&mut self, name: &str) -> Option<String> {
        let mut map = self.ovs_option_map();
        let v = map.shift_remove(name);
        self.store_ovs_options(&map);
        v
    }

    /// Sets (`Some` and non-empty) or removes `name=value` in `ovs_options`.
    pub fn set_ovs_option(&mut self, name: &str, value: Option<&str>) {
        let mut map = self.ovs_option_map();
        match value.filter(|v| truthy(v)) {
            Some(v) => {
                map.insert(name.to_string(), v.to_string());
            }
            None => {
                map.shift_remove(name);
            }
        }
        self.store_ovs_options(&map);
    }
}

fn parse_families(list: Vec<String>) -> Result<Vec<Option<Family>>, String> {
    list.into_iter()
        .map(|f| {
            if f.is_empty() {
                Ok(None)
            } else {
                Family::parse(&f)
                    .map(Some)
                    .ok_or_else(|| format!("invalid family '{f}'"))
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_map_to_typed_fields_and_back() {
        let mut i = Interface::default();
        i.set_key("bridge_ports", KeyValue::Str("eth0,eth1".into()))
            .unwrap();
        i.set_key("address6", KeyValue::Str("fc00::1".into()))
            .unwrap();
        i.set_key("ovs_mtu", KeyValue::Str("1400".into())).unwrap();
        assert_eq!(
            i.bridge.ports,
            Some(vec!["eth0".to_string(), "eth1".to_string()])
        );
        assert_eq!(i.inet6.address.as_deref(), Some("fc00::1"));
        assert_eq!(i.get_key("ovs_mtu"), Some(KeyValue::Str("1400".into())));
        i.delete_key("address6");
        assert_eq!(i.get_key("address6"), None);
    }

    #[test]
    fn invalid_family_is_refused() {
        let mut i = Interface::default();
        assert!(i
            .set_key("families", KeyValue::List(vec!["ipx".into()]))
            .is_err());
    }

    #[test]
    fn ovs_options_keep_order_when_changed() {
        let mut i = Interface::default();
        i.ovs.options = Some("a=1 bond_mode=x junk lacp=active".into());
        assert_eq!(i.take_ovs_option("bond_mode").as_deref(), Some("x"));
        assert_eq!(i.ovs.options.as_deref(), Some("a=1 lacp=active"));
        i.set_ovs_option("lacp", None);
        i.set_ovs_option("tag", Some("5"));
        assert_eq!(i.ovs.options.as_deref(), Some("a=1 tag=5"));
        i.set_ovs_option("a", None);
        i.set_ovs_option("tag", Some("0"));
        assert_eq!(i.ovs.options, None);
    }
}
