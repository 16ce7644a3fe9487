//! `/etc/network/interfaces` in the ifupdown2 dialect, read and written exactly as
//! Proxmox VE does: a typed [`NetworkConfig`] of interfaces (kind, families, addresses,
//! bridge/bond/VLAN/VXLAN/OVS settings, unknown options and comments kept in order) plus
//! the top-level directives (`source`, `mapping`, ...) at their positions.
//!
//! Reading needs what the host says about its links ([`HostLinks`]) to tell NICs apart
//! and to list NICs the file does not mention; [`Format::parse`] reads without host
//! information. Writing prints upstream's header, interface order and option order;
//! [`NetworkConfig::try_write`] also refuses what upstream refuses to write.
//!
//! Submodules: `model` (the types, access by upstream key), `types` (kinds and their
//! detection), `parse`, `order` (writer's interface order), `check` (pre-write rules),
//! `write`, `text` (shared string rules).
//!
//! Must not depend on: anything above L1; no host access (links come in as data).

mod check;
mod model;
mod order;
mod parse;
mod text;
mod types;
mod write;

#[cfg(test)]
mod proptests;
#[cfg(test)]
mod tests;

pub use model::{
    BondOptions, BridgeOptions, BridgePortOptions, Directive, FamilyConfig, Interface, KeyValue,
    NetworkConfig, OvsOptions, VlanOptions, VxlanOptions,
};
pub use types::{is_physical_nic_name, Family, HostLinks, IfaceType, IpLink, Method};
pub use write::{NetworkError, HEADER};

use crate::{Format, ParseError};

impl NetworkConfig {
    /// Reads `text` with the host's links and active interfaces. Never fails: what is not
    /// understood is kept.
    pub fn read(text: &str, host: &HostLinks) -> Self {
        parse::read_interfaces(text, host)
    }

    /// The text upstream writes, even where upstream would refuse (see [`Self::try_write`]).
    /// `ifupdown2` selects `auto` lines for OVS interfaces (else `allow-ovs`/`allow-BRIDGE`).
    pub fn write_with(&self, ifupdown2: bool) -> String {
        write::render(self, ifupdown2).0
    }

    /// The text upstream writes, or the first reason upstream refuses to write it.
    pub fn try_write(&self, ifupdown2: bool) -> Result<String, NetworkError> {
        let (text, errors) = write::render(self, ifupdown2);
        match errors.into_iter().next() {
            Some(e) => Err(e),
            None => Ok(text),
        }
    }

    /// Every reason upstream would refuse to write this configuration.
    pub fn problems(&self, ifupdown2: bool) -> Vec<NetworkError> {
        write::render(self, ifupdown2).1
    }
}

impl Format for NetworkConfig {
    /// Reads without host information (NICs are recognised by name only).
    fn parse(_file: &str, text: &str) -> Result<Self, ParseError> {
        Ok(Self::read(text, &HostLinks::default()))
    }

    /// Writes in the ifupdown2 dialect.
    fn write(&self) -> String {
        self.write_with(true)
    }
}
