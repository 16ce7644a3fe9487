//! `corosync.conf` as Proxmox VE reads and writes it (`/etc/pve/corosync.conf`).
//!
//! Owns the model (a tree of `name { key: value }` blocks), the parser with upstream's
//! error wording, the canonical writer (keys sorted, two-space indent, a blank line after
//! each top-level block, nodes sorted by name and interfaces by link number) and typed
//! accessors for the values the cluster code needs. Pure text in, text out.
//!
//! Must not depend on: anything above L1; resolving node addresses is not done here.

mod parse;
mod write;

#[cfg(test)]
mod tests;

use crate::{Format, ParseError};
use std::collections::BTreeMap;

/// Block names that may repeat; they collect into a [`CorosyncValue::List`].
pub const LIST_SECTIONS: [&str; 2] = ["node", "interface"];

/// A value in a block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CorosyncValue {
    /// `key: value` (a value is one word).
    Scalar(String),
    /// `key { ... }`, at most once per block.
    Section(CorosyncSection),
    /// Repeated `node { ... }` or `interface { ... }` blocks, in file order.
    List(Vec<CorosyncSection>),
}

/// One block: its entries sorted by key, as upstream writes them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CorosyncSection {
    entries: BTreeMap<String, CorosyncValue>,
}

impl CorosyncSection {
    /// An empty block.
    pub fn new() -> Self {
        Self::default()
    }

    /// The entries, sorted by key.
    pub fn entries(&self) -> impl Iterator<Item = (&str, &CorosyncValue)> {
        self.entries.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// The value of `key`.
    pub fn get(&self, key: &str) -> Option<&CorosyncValue> {
        self.entries.get(key)
    }

    /// The value of `key` when it is a `key: value` line.
    pub fn scalar(&self, key: &str) -> Option<&str> {
        match self.entries.get(key) {
            Some(CorosyncValue::Scalar(v)) => Some(v),
            _ => None,
        }
    }

    /// The block named `key`.
    pub fn section(&self, key: &str) -> Option<&CorosyncSection> {
        match self.entries.get(key) {
            Some(CorosyncValue::Section(s)) => Some(s),
            _ => None,
        }
    }

    /// The block named `key`, for changing it.
    pub fn section_mut(&mut self, key: &str) -> Option<&mut CorosyncSection> {
        match self.entries.get_mut(key) {
            Some(CorosyncValue::Section(s)) => Some(s),
            _ => None,
        }
    }

    /// The repeated blocks named `key` (`node`, `interface`); empty when there are none.
    pub fn list(&self, key: &str) -> &[CorosyncSection] {
        match self.entries.get(key) {
            Some(CorosyncValue::List(l)) => l,
            _ => &[],
        }
    }

    /// Sets `key` to `value`, replacing what was there.
    pub fn insert(&mut self, key: impl Into<String>, value: CorosyncValue) {
        self.entries.insert(key.into(), value);
    }

    /// Sets a `key: value` line.
    pub fn set_scalar(&mut self, key: impl Into<String>, value: impl Into<String>) {
        self.insert(key, CorosyncValue::Scalar(value.into()));
    }

    /// Removes `key` and returns its value.
    pub fn remove(&mut self, key: &str) -> Option<CorosyncValue> {
        self.entries.remove(key)
    }
}

/// A node of the `nodelist`, read from its block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CorosyncNode {
    /// `name`, or `ring0_addr` for nodes without name (how upstream keys nodes).
    pub name: String,
    /// `nodeid`.
    pub nodeid: Option<u32>,
    /// `quorum_votes`.
    pub quorum_votes: Option<u32>,
    /// Link number to address, from `ringN_addr` / `linkN_addr`.
    pub links: BTreeMap<u32, String>,
}

/// An operation on a parsed `corosync.conf` that the file's content does not allow.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CorosyncError {
    /// `totem.config_version` is missing or not a number.
    #[error("invalid corosync config: unable to read config version")]
    NoConfigVersion,
}

/// A parsed `corosync.conf`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CorosyncConf {
    main: CorosyncSection,
}

impl CorosyncConf {
    /// A configuration with the given top-level block.
    pub fn from_main(mut main: CorosyncSection) -> Self {
        write::normalize_keyed_lists(&mut main);
        Self { main }
    }

    /// The top level (`totem`, `nodelist`, `quorum`, `logging`, ...).
    pub fn main(&self) -> &CorosyncSection {
        &self.main
    }

    /// The top level, for changing it; the writer re-sorts nodes and interfaces.
    pub fn main_mut(&mut self) -> &mut CorosyncSection {
        &mut self.main
    }

    /// The `totem` block.
    pub fn totem(&self) -> Option<&CorosyncSection> {
        self.main.section("totem")
    }

    /// `totem.cluster_name`.
    pub fn cluster_name(&self) -> Option<&str> {
        self.totem()?.scalar("cluster_name")
    }

    /// `totem.config_version`, when it is a number.
    pub fn config_version(&self) -> Option<u64> {
        self.totem()?.scalar("config_version")?.parse().ok()
    }

    /// Increments `totem.config_version` (done before every write) and returns the new one.
    pub fn bump_config_version(&mut self) -> Result<u64, CorosyncError> {
        let next = self
            .config_version()
            .and_then(|v| v.checked_add(1))
            .ok_or(CorosyncError::NoConfigVersion)?;
        let totem = self
            .main
            .section_mut("totem")
            .ok_or(CorosyncError::NoConfigVersion)?;
        totem.set_scalar("config_version", next.to_string());
        Ok(next)
    }

    /// The nodes of the `nodelist`, sorted by name.
    pub fn nodes(&self) -> Vec<CorosyncNode> {
        let Some(nodelist) = self.main.section("nodelist") else {
            return Vec::new();
        };
        nodelist
            .list("node")
            .iter()
            .map(node_from_section)
            .collect()
    }

    /// Adds the node block, or replaces the one with the same name (`name`/`ring0_addr`).
    pub fn upsert_node(&mut self, node: CorosyncSection) {
        if self.main.section("nodelist").is_none() {
            self.main
                .insert("nodelist", CorosyncValue::Section(CorosyncSection::new()));
        }
        if let Some(nodelist) = self.main.section_mut("nodelist") {
            let mut list = match nodelist.remove("node") {
                Some(CorosyncValue::List(l)) => l,
                _ => Vec::new(),
            };
            list.push(node);
            nodelist.insert("node", CorosyncValue::List(list));
        }
        write::normalize_keyed_lists(&mut self.main);
    }

    /// The link numbers of the `totem.interface` blocks (`linknumber`, else `ringnumber`).
    pub fn interface_linknumbers(&self) -> Vec<u32> {
        let Some(totem) = self.totem() else {
            return Vec::new();
        };
        totem
            .list("interface")
            .iter()
            .filter_map(|i| i.scalar("linknumber").or_else(|| i.scalar("ringnumber")))
            .filter_map(|n| n.parse().ok())
            .collect()
    }
}

/// Reads the typed fields of one `node { ... }` block.
fn node_from_section(section: &CorosyncSection) -> CorosyncNode {
    let links = section
        .entries()
        .filter_map(|(key, value)| {
            let number = key
                .strip_prefix("ring")
                .or_else(|| key.strip_prefix("link"))?
                .strip_suffix("_addr")?;
            if number.is_empty() || !number.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            match value {
                CorosyncValue::Scalar(addr) => Some((number.parse().ok()?, addr.clone())),
                _ => None,
            }
        })
        .collect();
    CorosyncNode {
        name: write::node_key(section),
        nodeid: section.scalar("nodeid").and_then(|v| v.parse().ok()),
        quorum_votes: section.scalar("quorum_votes").and_then(|v| v.parse().ok()),
        links,
    }
}

impl Format for CorosyncConf {
    fn parse(file: &str, text: &str) -> Result<Self, ParseError> {
        parse::parse_conf(file, text).map(|main| Self { main })
    }

    fn write(&self) -> String {
        write::write_conf(&self.main)
    }
}
