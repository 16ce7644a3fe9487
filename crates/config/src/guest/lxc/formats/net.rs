//! Container network interfaces (`netN`).

use crate::guest::formats::GuestFormat;
use serde::{Deserialize, Serialize};
use virton_schema::ApiType;

/// Container interface types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ApiType)]
#[serde(rename_all = "lowercase")]
pub enum CtNetType {
    /// Written as `veth`.
    Veth,
}

/// A container network interface (`netN`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ApiType)]
pub struct CtNet {
    /// Interface type.
    #[serde(rename = "type")]
    pub net_type: Option<CtNetType>,
    /// Interface name inside the container.
    #[api(pattern = r"[-_.\w\d]+", format_description = "string")]
    pub name: String,
    /// Host bridge to attach to.
    #[api(pattern = r"[-_.\w\d]+", format_description = "bridge")]
    pub bridge: Option<String>,
    /// MAC address.
    #[api(format = "mac-addr", format_description = "XX:XX:XX:XX:XX:XX")]
    pub hwaddr: Option<String>,
    /// MTU of the interface.
    #[api(minimum = 64, maximum = 65535)]
    pub mtu: Option<u32>,
    /// IPv4 address in CIDR notation, `dhcp` or `manual`.
    #[api(
        format = "pve-ipv4-config",
        format_description = "(IPv4/CIDR|dhcp|manual)"
    )]
    pub ip: Option<String>,
    /// IPv4 gateway.
    #[api(format = "ipv4", format_description = "GatewayIPv4")]
    pub gw: Option<String>,
    /// IPv6 address in CIDR notation, `auto`, `dhcp` or `manual`.
    #[api(
        format = "pve-ipv6-config",
        format_description = "(IPv6/CIDR|auto|dhcp|manual)"
    )]
    pub ip6: Option<String>,
    /// IPv6 gateway.
    #[api(format = "ipv6", format_description = "GatewayIPv6")]
    pub gw6: Option<String>,
    /// Protected by the firewall.
    pub firewall: Option<bool>,
    /// VLAN tag.
    #[api(minimum = 1, maximum = 4094)]
    pub tag: Option<u32>,
    /// VLANs passed through, `;` separated.
    #[api(pattern = r"\d+(?:;\d+)*", format_description = "vlanid[;vlanid...]")]
    pub trunks: Option<String>,
    /// Rate limit in megabytes per second.
    #[api(format_description = "mbps")]
    pub rate: Option<f64>,
    /// Link is down.
    pub link_down: Option<bool>,
    /// The host, not the container, manages the addresses.
    #[serde(rename = "host-managed")]
    pub host_managed: Option<bool>,
}

impl GuestFormat for CtNet {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ct_net_round_trips_with_name_first() {
        let text = "bridge=vmbr0,name=eth0,hwaddr=BC:24:11:00:00:02,ip=dhcp,type=veth";
        let net = CtNet::parse(text).expect("parses");
        assert_eq!(
            net.print().expect("prints"),
            "name=eth0,bridge=vmbr0,hwaddr=BC:24:11:00:00:02,ip=dhcp,type=veth"
        );
    }

    #[test]
    fn ct_net_errors_use_upstream_wording() {
        assert_eq!(
            CtNet::parse("eth0").unwrap_err(),
            "value without key, but schema does not define a default key"
        );
        assert_eq!(
            CtNet::parse("name=eth0,mtu=10").unwrap_err(),
            "format error\nmtu: value must have a minimum value of 64"
        );
    }
}
