//! The order in which the writer prints interfaces: by kind of the root interface
//! (loopback, NICs, OVS internal ports, bonds, bridges, VLANs/VXLANs; children after
//! their root), then by file position, then by name — upstream's comparison.
//!
//! Upstream's comparison is not a total order when an interface of unknown kind is
//! involved (it then compares positions only). A merge sort over name-sorted input keeps
//! the result deterministic and never fails on such input.
//!
//! Must not depend on: `parse`, `write`.

use super::model::Interface;
use super::text::truthy;
use super::types::IfaceType;
use std::cmp::Ordering;
use std::collections::BTreeMap;

/// Position used for interfaces that have none (added through the model).
const DEFAULT_PRIORITY: u64 = 50_000;

/// The rank of a kind; kinds without one rank 0.
fn type_rank(kind: &IfaceType) -> u64 {
    match kind {
        IfaceType::Loopback | IfaceType::Dummy => 100_000,
        IfaceType::Eth | IfaceType::OvsPort => 200_000,
        IfaceType::OvsIntPort => 300_000,
        IfaceType::OvsBond | IfaceType::Bond => 400_000,
        IfaceType::Bridge | IfaceType::OvsBridge => 500_000,
        IfaceType::Vlan | IfaceType::Vxlan => 600_000,
        _ => 0,
    }
}

/// Rank of `name` by the kind of its root (`bond0` for `bond0.100.10`) plus its depth;
/// `None` when the root's kind is unknown or unset.
fn type_priority(name: &str, ifaces: &BTreeMap<String, Interface>) -> Option<u64> {
    let mut parts: Vec<&str> = name.split(['.', ':']).collect();
    while parts.last().is_some_and(|p| p.is_empty()) {
        parts.pop();
    }
    let root = parts.first().copied().unwrap_or("");
    let depth = parts.len().saturating_sub(1) as u64;
    let kind = ifaces.get(root)?.kind.as_ref()?;
    if !truthy(kind.as_str()) || *kind == IfaceType::Unknown {
        return None;
    }
    Some(type_rank(kind) + depth)
}

/// Upstream's comparison of two interface names.
fn compare(a: &str, b: &str, ifaces: &BTreeMap<String, Interface>) -> Ordering {
    let (tp1, tp2) = match (type_priority(a, ifaces), type_priority(b, ifaces)) {
        (Some(x), Some(y)) => (x, y),
        _ => (0, 0),
    };
    let prio = |n: &str| {
        ifaces
            .get(n)
            .and_then(|i| i.priority)
            .unwrap_or(DEFAULT_PRIORITY)
    };
    let p1 = tp1 + prio(a);
    let p2 = tp2 + prio(b);
    p1.cmp(&p2).then_with(|| a.cmp(b))
}

/// Interface names in the order the writer prints them.
pub(crate) fn write_order(ifaces: &BTreeMap<String, Interface>) -> Vec<String> {
    let names: Vec<String> = ifaces.keys().cloned().collect();
    merge_sort(names, &|a, b| compare(a, b, ifaces))
}

/// A stable top-down merge sort that tolerates inconsistent comparisons.
fn merge_sort(mut v: Vec<String>, cmp: &dyn Fn(&str, &str) -> Ordering) -> Vec<String> {
    if v.len() <= 1 {
        return v;
    }
    let right = v.split_off(v.len() / 2);
    let left = merge_sort(v, cmp);
    let right = merge_sort(right, cmp);
    let mut out = Vec::with_capacity(left.len() + right.len());
    let mut l = left.into_iter().peekable();
    let mut r = right.into_iter().peekable();
    loop {
        let take_right = match (l.peek(), r.peek()) {
            (Some(a), Some(b)) => cmp(a, b) == Ordering::Greater,
            (Some(_), None) => false,
            (None, Some(_)) => true,
            (None, None) => break,
        };
        let next = if take_right { r.next() } else { l.next() };
        out.extend(next);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iface(kind: &str, priority: Option<u64>) -> Interface {
        Interface {
            kind: Some(IfaceType::from(kind)),
            priority,
            ..Default::default()
        }
    }

    #[test]
    fn kinds_order_before_file_position() {
        let mut m = BTreeMap::new();
        m.insert("vmbr0".to_string(), iface("bridge", Some(2)));
        m.insert("eth0".to_string(), iface("eth", Some(3)));
        m.insert("lo".to_string(), iface("loopback", Some(1)));
        m.insert("vmbr0.10".to_string(), iface("vlan", Some(4)));
        m.insert("eth1".to_string(), iface("eth", None));
        assert_eq!(
            write_order(&m),
            vec!["lo", "eth0", "eth1", "vmbr0", "vmbr0.10"]
        );
    }

    #[test]
    fn unknown_kind_orders_by_position_only() {
        let mut m = BTreeMap::new();
        m.insert("a".to_string(), iface("unknown", Some(5)));
        m.insert("b".to_string(), iface("unknown", Some(3)));
        assert_eq!(write_order(&m), vec!["b", "a"]);
    }
}
