//! Reading `/etc/network/interfaces` into a [`NetworkConfig`], as upstream's reader does:
//! `auto`/`allow-*` lines, `iface` stanzas (with or without family) and their options,
//! comments inside stanzas, other top-level lines kept with their position, then the
//! host's links, kinds, addresses in CIDR form and defaults.
//!
//! Reading never fails: whatever is not understood is kept as an option or directive.
//!
//! Must not depend on: `write`, `order`.

use super::model::{Directive, FamilyConfig, Interface, NetworkConfig};
use super::text::{
    all_digits, is_ws, netmask_bits, split_ws_fields, trim_end_ws, trim_start_ws, truthy, words,
};
use super::types::{bond_mode_name, classify_all, has_word, Family, HostLinks, IfaceType, Method};
use std::collections::BTreeSet;

/// Reads `text` with what the host says about its links.
pub fn read_interfaces(text: &str, host: &HostLinks) -> NetworkConfig {
    let mut reader = Reader::default();
    reader.read_lines(text);
    let Reader {
        mut cfg,
        empty_bridges,
        ..
    } = reader;
    mark_host_links(&mut cfg, host);
    cfg.ifaces
        .entry("lo".to_string())
        .or_insert_with(|| Interface {
            priority: Some(1),
            kind: Some(IfaceType::Loopback),
            autostart: true,
            inet: FamilyConfig {
                method: Some(Method::Loopback),
                ..Default::default()
            },
            ..Default::default()
        });
    classify_all(&mut cfg, host, &empty_bridges);
    filter_allow_lines(&mut cfg);
    cfg
}

/// The reader's state while walking the lines.
struct Reader {
    cfg: NetworkConfig,
    /// Next position; 1 is reserved for `lo`.
    priority: u64,
    /// Bridges whose only port was `none`.
    empty_bridges: BTreeSet<String>,
}

impl Default for Reader {
    fn default() -> Self {
        Self {
            cfg: NetworkConfig::default(),
            priority: 2,
            empty_bridges: BTreeSet::new(),
        }
    }
}

/// Per-stanza values that replace the interface's ones when the stanza ends.
#[derive(Default)]
struct StanzaFamily {
    comments: Option<String>,
    options: Option<Vec<String>>,
}

/// Keywords that end a stanza when they start a line (followed by a blank).
const STANZA_ENDERS: [&str; 5] = ["iface", "mapping", "auto", "source", "source-directory"];

impl Reader {
    fn read_lines(&mut self, text: &str) {
        let mut lines = text
            .split_inclusive('\n')
            .map(|l| l.strip_suffix('\n').unwrap_or(l));
        let mut pending: Option<String> = None;
        loop {
            let line = match pending.take() {
                Some(l) => l,
                None => match lines.next() {
                    Some(l) => l.to_string(),
                    None => break,
                },
            };
            if trim_start_ws(&line).starts_with('#') {
                continue;
            }
            if let Some(names) = autostart_names(&line) {
                for n in names {
                    self.cfg.ifaces.entry(n.to_string()).or_default().autostart = true;
                }
            } else if let Some((name, family)) = iface_line(&line) {
                match self.read_stanza(name, family, &mut lines) {
                    Some(next) => pending = Some(next),
                    None => break,
                }
            } else if has_word(&line) {
                self.push_directive(line);
            }
        }
    }

    fn push_directive(&mut self, line: String) {
        self.cfg.directives.push(Directive {
            priority: self.priority,
            line,
        });
        self.priority += 1;
    }

    /// Reads one stanza's lines; returns the line that ended it (`None` at end of file).
    fn read_stanza<'a>(
        &mut self,
        name: String,
        family: Option<(Family, Method)>,
        lines: &mut impl Iterator<Item = &'a str>,
    ) -> Option<String> {
        let d = self.cfg.ifaces.entry(name.clone()).or_default();
        if d.priority.is_none_or(|p| p == 0) {
            d.priority = Some(self.priority);
            self.priority += 1;
        }
        d.families.push(family.as_ref().map(|(f, _)| *f));
        let mut stanza = StanzaFamily::default();
        let mut ended_by = None;
        for raw in lines.by_ref() {
            let line = trim_end_ws(raw);
            let body = trim_start_ws(line);
            if let Some(comment) = body.strip_prefix('#') {
                let comment = trim_end_ws(comment);
                let target = match family {
                    Some(_) => &mut stanza.comments,
                    None => &mut d.inet.comments,
                };
                let text = target.get_or_insert_with(String::new);
                text.push_str(comment);
                text.push('\n');
                continue;
            }
            let Some((id, value)) = option_line(body).filter(|_| !ends_stanza(body)) else {
                ended_by = Some(line.to_string());
                break;
            };
            let family_kind = family.as_ref().map(|(f, _)| *f);
            if !apply_option(d, family_kind, id, value, &mut self.empty_bridges, &name) {
                let target = match family {
                    Some(_) => stanza.options.get_or_insert_with(Vec::new),
                    None => &mut d.inet.options,
                };
                target.push(body.to_string());
            }
        }
        if let Some((f, method)) = family {
            let fc = d.family_mut(f);
            fc.method = Some(method);
            if let Some(c) = stanza.comments {
                fc.comments = Some(c);
            }
            if let Some(o) = stanza.options {
                fc.options = o;
            }
        }
        ended_by
    }
}

/// `auto`, `allow-auto`, `allow-ovs`, `allow-hotplug`: the names they list.
fn autostart_names(line: &str) -> Option<Vec<&str>> {
    let body = trim_start_ws(line);
    ["allow-auto", "auto", "allow-ovs", "allow-hotplug"]
        .iter()
        .find_map(|kw| body.strip_prefix(kw).filter(|r| r.starts_with(is_ws)))
        .map(|rest| words(rest).collect())
}

/// `iface NAME [inet|inet6 METHOD]`.
fn iface_line(line: &str) -> Option<(String, Option<(Family, Method)>)> {
    let rest = trim_start_ws(line).strip_prefix("iface")?;
    if !rest.starts_with(is_ws) {
        return None;
    }
    let tokens: Vec<&str> = words(rest).collect();
    match tokens.as_slice() {
        [name] => Some((name.to_string(), None)),
        [name, fam, method] => {
            let fam = Family::parse(fam)?;
            Some((name.to_string(), Some((fam, Method::from(*method)))))
        }
        _ => None,
    }
}

/// True when a stanza line starts a new top-level statement.
fn ends_stanza(body: &str) -> bool {
    body.starts_with("allow-")
        || STANZA_ENDERS
            .iter()
            .any(|kw| body.strip_prefix(kw).is_some_and(|r| r.starts_with(is_ws)))
}

/// `KEY VALUE` (value non-empty) of a trimmed stanza line.
fn option_line(body: &str) -> Option<(&str, &str)> {
    let pos = body.find(is_ws)?;
    let (id, rest) = body.split_at(pos);
    let value = trim_start_ws(rest);
    (!id.is_empty() && !value.is_empty()).then_some((id, value))
}

/// The canonical key for an alternative spelling.
fn canonical_key(id: &str) -> &str {
    match id {
        "ovs_mtu" => "mtu",
        "bond-slaves" | "bond_slaves" => "slaves",
        "bond-xmit-hash-policy" => "bond_xmit_hash_policy",
        "bond-mode" => "bond_mode",
        "bond-miimon" => "bond_miimon",
        "bridge-vlan-aware" => "bridge_vlan_aware",
        "bridge-fd" => "bridge_fd",
        "bridge-stp" => "bridge_stp",
        "bridge-ports" => "bridge_ports",
        "bridge-vids" => "bridge_vids",
        other => other,
    }
}

/// Options stored as they are under their key.
const SIMPLE_OPTIONS: [&str; 26] = [
    "mtu",
    "ovs_type",
    "ovs_options",
    "ovs_bridge",
    "ovs_bonds",
    "ovs_ports",
    "bridge_fd",
    "bridge_vids",
    "bridge-access",
    "bridge-learning",
    "bridge-arp-nd-suppress",
    "bridge-unicast-flood",
    "bridge-multicast-flood",
    "bridge-disable-mac-learning",
    "bond_miimon",
    "bond_xmit_hash_policy",
    "bond-primary",
    "link-type",
    "uplink-id",
    "vlan-protocol",
    "vlan-raw-device",
    "vlan-id",
    "vxlan-id",
    "vxlan-svcnodeip",
    "vxlan-physdev",
    "vxlan-local-tunnelip",
];

/// Stores a known option; false when the option is not one the reader understands.
fn apply_option(
    d: &mut Interface,
    family: Option<Family>,
    id: &str,
    value: &str,
    empty_bridges: &mut BTreeSet<String>,
    name: &str,
) -> bool {
    use super::model::KeyValue::Str;
    let id = canonical_key(id);
    let set = |d: &mut Interface, key: &str, v: &str| {
        // Only known string keys reach here, so setting cannot fail.
        let _ = d.set_key(key, Str(v.to_string()));
    };
    match id {
        "address" | "netmask" | "broadcast" | "gateway" => {
            let six = match family {
                Some(f) => f == Family::Inet6,
                None => id != "netmask" && value.contains(':'),
            };
            let key = if six {
                format!("{id}6")
            } else {
                id.to_string()
            };
            set(d, &key, value);
        }
        "slaves" | "bridge_ports" => add_ports(d, id == "bridge_ports", value, empty_bridges, name),
        "bridge_stp" => {
            let on = ["on", "yes"].contains(&value.to_ascii_lowercase().as_str());
            set(d, id, if on { "on" } else { "off" });
        }
        "bridge_vlan_aware" => set(d, id, "1"),
        "bond_mode" => set(d, id, &bond_mode_name(value)),
        "vxlan-remoteip" => d
            .vxlan
            .remoteip
            .get_or_insert_with(Vec::new)
            .push(value.to_string()),
        _ if SIMPLE_OPTIONS.contains(&id) => set(d, id, value),
        _ => return false,
    }
    true
}

/// `bridge-ports` / `bond-slaves`: sorted unique names per line, appended across lines.
fn add_ports(
    d: &mut Interface,
    bridge: bool,
    value: &str,
    empty_bridges: &mut BTreeSet<String>,
    name: &str,
) {
    let mut devs = BTreeSet::new();
    for p in split_ws_fields(value) {
        if p == "none" {
            if bridge {
                empty_bridges.insert(name.to_string());
            }
            continue;
        }
        devs.insert(p.to_string());
    }
    let slot = if bridge {
        &mut d.bridge.ports
    } else {
        &mut d.bond.slaves
    };
    match slot {
        Some(existing) if truthy(&existing.join(" ")) => existing.extend(devs),
        _ => *slot = Some(devs.into_iter().collect()),
    }
}

/// Marks interfaces the host has as existing (adding unconfigured NICs) and active.
fn mark_host_links(cfg: &mut NetworkConfig, host: &HostLinks) {
    for (name, link) in &host.links {
        if !link.is_physical() {
            continue;
        }
        if let Some(alt) = link.altnames.iter().find(|a| cfg.ifaces.contains_key(*a)) {
            if let Some(i) = cfg.ifaces.get_mut(alt) {
                i.exists = true;
            }
            continue;
        }
        cfg.ifaces.entry(name.clone()).or_default().exists = true;
    }
    for name in &host.active {
        if let Some(i) = cfg.ifaces.get_mut(name) {
            i.active = true;
        }
    }
}

/// Derives `cidr`/`cidr6` (and a prefix-length netmask), default methods, comments and
/// families, as upstream does for every interface after reading.
pub(crate) fn normalize_addresses(d: &mut Interface) {
    normalize_family(&mut d.inet, "32", true);
    normalize_family(&mut d.inet6, "128", false);
    for m in [&mut d.inet.method, &mut d.inet6.method] {
        if m.as_ref().is_none_or(|m| !truthy(m.as_str())) {
            *m = Some(Method::Manual);
        }
    }
    if let Some(c6) = d.inet6.comments.take().filter(|c| truthy(c)) {
        d.inet
            .comments
            .get_or_insert_with(String::new)
            .push_str(&c6);
    }
    if d.families.is_empty() {
        d.families.push(Some(Family::Inet));
    }
}

fn normalize_family(fc: &mut FamilyConfig, host_bits: &str, v4: bool) {
    let Some(addr) = fc.address.clone().filter(|a| truthy(a)) else {
        return;
    };
    if let Some((base, mask)) = cidr_parts(&addr) {
        fc.cidr = Some(addr.clone());
        fc.address = base;
        fc.netmask = mask;
    } else if let Some(bits) = mask_bits(fc.netmask.as_deref()) {
        fc.cidr = Some(format!("{addr}/{bits}"));
        if v4 {
            fc.netmask = Some(bits);
        }
    } else {
        fc.cidr = Some(format!("{addr}/{host_bits}"));
    }
}

/// `ADDR/BITS` split in two; `None` when `addr` has no `/digits` suffix. A bare `/BITS`
/// has no address part upstream can split, so both parts come back unset.
fn cidr_parts(addr: &str) -> Option<(Option<String>, Option<String>)> {
    let (base, bits) = addr.rsplit_once('/')?;
    if !all_digits(bits) {
        return None;
    }
    if base.is_empty() {
        return Some((None, None));
    }
    Some((Some(base.to_string()), Some(bits.to_string())))
}

/// A netmask as prefix length: digits as they are, a dotted mask converted.
pub(crate) fn mask_bits(mask: Option<&str>) -> Option<String> {
    let mask = mask.filter(|m| truthy(m))?;
    if all_digits(mask) {
        return Some(mask.to_string());
    }
    netmask_bits(mask).map(|b| b.to_string())
}

/// Drops `allow-BRIDGE PORT` lines for ports the OVS bridge already lists.
fn filter_allow_lines(cfg: &mut NetworkConfig) {
    let ifaces = &cfg.ifaces;
    cfg.directives.retain_mut(|dir| {
        let Some(rest) = dir.line.strip_prefix("allow-") else {
            return true;
        };
        let Some(pos) = rest.find(is_ws) else {
            return true;
        };
        let (bridge, ports) = rest.split_at(pos);
        if bridge.is_empty() {
            return true;
        }
        if bridge == "ovs" {
            return false;
        }
        let mut ports: Vec<&str> = words(ports).collect();
        if let Some(br) = ifaces.get(bridge) {
            let in_bridge: BTreeSet<&str> = words(br.ovs.ports.as_deref().unwrap_or("")).collect();
            ports.retain(|p| !in_bridge.contains(p));
        }
        if ports.is_empty() {
            return false;
        }
        dir.line = format!("allow-{bridge} {}", ports.join(" "));
        true
    });
}
