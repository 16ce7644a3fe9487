//! Pass-through formats of VM configs: host PCI devices (`hostpciN`) and USB devices
//! (`usbN`).

use crate::guest::formats::GuestFormat;
use serde::{Deserialize, Serialize};
use virton_schema::ApiType;

/// Which host driver a passed-through PCI device is bound to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ApiType)]
#[serde(rename_all = "lowercase")]
pub enum PciDriver {
    /// Written as `vfio`.
    Vfio,
    /// Written as `keep`.
    Keep,
}

/// A host PCI device passed through (`hostpciN`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ApiType)]
pub struct HostPci {
    /// Host PCI address(es), `;` separated (this or `mapping` must be set).
    #[api(
        default_key,
        pattern = r"(?:[a-f0-9]{4,}:)?[a-f0-9]{2}:[a-f0-9]{2}(?:\.[a-f0-9])?(;(?:[a-f0-9]{4,}:)?[a-f0-9]{2}:[a-f0-9]{2}(?:\.[a-f0-9])?)*",
        format_description = "HOSTPCIID[;HOSTPCIID2...]"
    )]
    pub host: Option<String>,
    /// Cluster-wide resource mapping to use instead of `host`.
    #[api(format = "pve-configid", format_description = "mapping-id")]
    pub mapping: Option<String>,
    /// The device's ROM is visible to the guest.
    #[api(default = "1")]
    pub rombar: Option<bool>,
    /// A ROM file (below `/usr/share/kvm/`) to use instead of the device's.
    #[api(pattern = "[^,;]+", format_description = "string")]
    pub romfile: Option<String>,
    /// Attached to a PCI Express port (q35 machines).
    #[api(default = "0")]
    pub pcie: Option<bool>,
    /// The device is the guest's primary graphics card.
    #[serde(rename = "x-vga")]
    #[api(default = "0")]
    pub x_vga: Option<bool>,
    /// Legacy Intel graphics pass-through mode.
    #[serde(rename = "legacy-igd")]
    #[api(default = "0")]
    pub legacy_igd: Option<bool>,
    /// Mediated device type to create for the guest.
    #[api(pattern = r"[^/\.:]+", format_description = "string")]
    pub mdev: Option<String>,
    /// Vendor id shown to the guest.
    #[serde(rename = "vendor-id")]
    #[api(pattern = "^0x[0-9a-fA-F]{4}$", format_description = "hex id")]
    pub vendor_id: Option<String>,
    /// Device id shown to the guest.
    #[serde(rename = "device-id")]
    #[api(pattern = "^0x[0-9a-fA-F]{4}$", format_description = "hex id")]
    pub device_id: Option<String>,
    /// Subsystem vendor id shown to the guest.
    #[serde(rename = "sub-vendor-id")]
    #[api(pattern = "^0x[0-9a-fA-F]{4}$", format_description = "hex id")]
    pub sub_vendor_id: Option<String>,
    /// Subsystem device id shown to the guest.
    #[serde(rename = "sub-device-id")]
    #[api(pattern = "^0x[0-9a-fA-F]{4}$", format_description = "hex id")]
    pub sub_device_id: Option<String>,
    /// Host driver handling.
    #[api(default = "vfio")]
    pub driver: Option<PciDriver>,
}

impl GuestFormat for HostPci {}

impl HostPci {
    /// The host PCI addresses of `host`, in order.
    pub fn host_ids(&self) -> Vec<&str> {
        self.host
            .as_deref()
            .map(|h| h.split(';').collect())
            .unwrap_or_default()
    }
}

/// A USB device passed through or redirected (`usbN`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ApiType)]
pub struct UsbDevice {
    /// `vendor:product` (hex), `bus-port[.port...]` (decimal) or `spice`.
    #[api(
        default_key,
        pattern = r"(?:(?:(0x)?([0-9A-Fa-f]{4}):(0x)?([0-9A-Fa-f]{4}))|(?:(\d+)\-(\d+(\.\d+)*))|[Ss][Pp][Ii][Cc][Ee])",
        format_description = "HOSTUSBDEVICE|spice"
    )]
    pub host: Option<String>,
    /// Cluster-wide resource mapping to use instead of `host`.
    #[api(format = "pve-configid", format_description = "mapping-id")]
    pub mapping: Option<String>,
    /// Plugged into a USB 3 controller.
    #[api(default = "0")]
    pub usb3: Option<bool>,
}

impl GuestFormat for UsbDevice {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostpci_with_address_list_round_trips() {
        let hp = HostPci::parse("0000:01:00.0;02:00.1,pcie=1,x-vga=on").expect("parses");
        assert_eq!(hp.host_ids(), vec!["0000:01:00.0", "02:00.1"]);
        assert_eq!(
            hp.print().expect("prints"),
            "0000:01:00.0;02:00.1,pcie=1,x-vga=1"
        );
    }

    #[test]
    fn malformed_pci_and_usb_values_give_upstream_wording() {
        assert_eq!(
            HostPci::parse("01:00.0,vendor-id=0x12").unwrap_err(),
            "format error\nvendor-id: value does not match the regex pattern"
        );
        assert_eq!(
            UsbDevice::parse("host=spice,usb3=maybe").unwrap_err(),
            "format error\nusb3: type check ('boolean') failed - got 'maybe'"
        );
    }

    #[test]
    fn usb_accepts_ids_ports_and_spice() {
        for text in ["046d:c52b", "0x046d:0xc52b", "1-2.3", "SPICE"] {
            assert!(UsbDevice::parse(text).is_ok(), "{text}");
        }
        assert_eq!(
            UsbDevice::parse("mapping=cam,usb3=1")
                .expect("parses")
                .print()
                .expect("prints"),
            "mapping=cam,usb3=1"
        );
    }
}
