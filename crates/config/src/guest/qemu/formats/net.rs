//! Network formats of VM configs: network devices (`netN`, where `virtio=MAC` names
//! model and MAC address at once) and cloud-init address settings (`ipconfigN`).

use crate::guest::formats::{missing_required, GuestFormat};
use serde::{Deserialize, Serialize};
use virton_schema::ApiType;

/// Emulated network card models.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ApiType)]
pub enum NicModel {
    /// Written as `e1000`.
    #[serde(rename = "e1000")]
    E1000,
    /// Written as `e1000-82540em`.
    #[serde(rename = "e1000-82540em")]
    E1000_82540em,
    /// Written as `e1000-82544gc`.
    #[serde(rename = "e1000-82544gc")]
    E1000_82544gc,
    /// Written as `e1000-82545em`.
    #[serde(rename = "e1000-82545em")]
    E1000_82545em,
    /// Written as `e1000e`.
    #[serde(rename = "e1000e")]
    E1000e,
    /// Written as `i82551`.
    #[serde(rename = "i82551")]
    I82551,
    /// Written as `i82557b`.
    #[serde(rename = "i82557b")]
    I82557b,
    /// Written as `i82559er`.
    #[serde(rename = "i82559er")]
    I82559er,
    /// Written as `ne2k_isa`.
    #[serde(rename = "ne2k_isa")]
    Ne2kIsa,
    /// Written as `ne2k_pci`.
    #[serde(rename = "ne2k_pci")]
    Ne2kPci,
    /// Written as `pcnet`.
    #[serde(rename = "pcnet")]
    Pcnet,
    /// Written as `rtl8139`.
    #[serde(rename = "rtl8139")]
    Rtl8139,
    /// Written as `virtio`.
    #[serde(rename = "virtio")]
    Virtio,
    /// Written as `vmxnet3`.
    #[serde(rename = "vmxnet3")]
    Vmxnet3,
}

/// A network device of a VM (`netN`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ApiType)]
pub struct NetDevice {
    /// The card model; in files usually written as `<model>=<macaddr>`.
    #[api(default_key)]
    pub model: NicModel,
    /// MAC address of the card.
    #[api(keyalias = "model", format = "mac-addr")]
    #[api(format_description = "XX:XX:XX:XX:XX:XX")]
    pub macaddr: Option<String>,
    /// Bridge the card is plugged into (none: user-mode networking).
    #[api(format = "pve-bridge-id", format_description = "bridge")]
    pub bridge: Option<String>,
    /// Number of packet queues.
    #[api(minimum = 0, maximum = 64)]
    pub queues: Option<u32>,
    /// Rate limit in megabytes per second.
    #[api(minimum = 0)]
    pub rate: Option<f64>,
    /// VLAN tag of the card's traffic.
    #[api(minimum = 1, maximum = 4094)]
    pub tag: Option<u32>,
    /// VLANs passed through the card, `;` separated (ranges allowed).
    #[api(
        pattern = r"\d+(?:-\d+)?(?:;\d+(?:-\d+)?)*",
        format_description = "vlanid[;vlanid...]"
    )]
    pub trunks: Option<String>,
    /// Protected by the firewall.
    pub firewall: Option<bool>,
    /// Link is down, as if the cable were unplugged.
    pub link_down: Option<bool>,
    /// MTU of the card (`1` means the bridge's).
    #[api(minimum = 1, maximum = 65520)]
    pub mtu: Option<u32>,
    /// Host tunnel offloads for VirtIO cards.
    #[serde(rename = "host-tunnel")]
    pub host_tunnel: Option<bool>,
}

impl GuestFormat for NetDevice {}

/// Cloud-init addresses of one interface (`ipconfigN`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ApiType)]
pub struct IpConfig {
    /// IPv4 address in CIDR notation, or `dhcp`.
    #[api(
        format = "pve-ipv4-config",
        format_description = "IPv4Format/CIDR",
        default = "dhcp"
    )]
    pub ip: Option<String>,
    /// IPv4 gateway (needs `ip`).
    #[api(format = "ipv4", format_description = "GatewayIPv4")]
    pub gw: Option<String>,
    /// IPv6 address in CIDR notation, `dhcp` or `auto`.
    #[api(
        format = "pve-ipv6-config",
        format_description = "IPv6Format/CIDR",
        default = "dhcp"
    )]
    pub ip6: Option<String>,
    /// IPv6 gateway (needs `ip6`).
    #[api(format = "ipv6", format_description = "GatewayIPv6")]
    pub gw6: Option<String>,
}

impl GuestFormat for IpConfig {
    /// The schema's `requires` of the gateways.
    fn validate(&self) -> Result<(), String> {
        if self.gw.is_some() && self.ip.is_none() {
            return Err(missing_required("gw", "ip"));
        }
        if self.gw6.is_some() && self.ip6.is_none() {
            return Err(missing_required("gw6", "ip6"));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nic_with_model_key_alias_round_trips() {
        let text = "virtio=BC:24:11:2C:69:EC,bridge=vmbr0,firewall=1";
        let nic = NetDevice::parse(text).expect("parses");
        assert_eq!(nic.model, NicModel::Virtio);
        assert_eq!(nic.macaddr.as_deref(), Some("BC:24:11:2C:69:EC"));
        assert_eq!(nic.firewall, Some(true));
        assert_eq!(nic.print().expect("prints"), text);
    }

    #[test]
    fn nic_keys_are_written_in_canonical_order() {
        let nic = NetDevice::parse(
            "tag=5,bridge=vmbr1,model=e1000,macaddr=BC:24:11:00:00:01,link_down=on",
        )
        .expect("parses");
        assert_eq!(
            nic.print().expect("prints"),
            "e1000=BC:24:11:00:00:01,bridge=vmbr1,link_down=1,tag=5"
        );
        let nic = NetDevice::parse("virtio,bridge=vmbr0").expect("parses");
        assert_eq!(nic.print().expect("prints"), "virtio,bridge=vmbr0");
    }

    #[test]
    fn malformed_nics_give_upstream_wording() {
        assert_eq!(
            NetDevice::parse("virtio=BC:24:11:2C:69:EC,speed=1").unwrap_err(),
            "invalid key in comma-separated list property: speed"
        );
        assert_eq!(
            NetDevice::parse("virtio=BC:24:11:2C:69:EC,tag=5000").unwrap_err(),
            "format error\ntag: value must have a maximum value of 4094"
        );
        assert_eq!(
            NetDevice::parse("fast=BC:24:11:2C:69:EC").unwrap_err(),
            "invalid key in comma-separated list property: fast"
        );
        assert_eq!(
            NetDevice::parse("bridge=vmbr0").unwrap_err(),
            "format error\nmodel: property is missing and it is not optional"
        );
    }

    #[test]
    fn ipconfig_gateway_requires_an_address() {
        let c = IpConfig::parse("ip=10.0.0.2/24,gw=10.0.0.1").expect("parses");
        assert_eq!(c.print().expect("prints"), "gw=10.0.0.1,ip=10.0.0.2/24");
        assert_eq!(
            IpConfig::parse("gw=10.0.0.1").unwrap_err(),
            "format error\nip: missing property required by 'gw'"
        );
    }
}
