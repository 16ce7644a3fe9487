//! Smaller property-string formats of VM configs: guest agent, display, boot order,
//! memory, NUMA nodes, SMBIOS, audio, RNG, SPICE, watchdog, shared memory, virtiofs,
//! machine type, cloud-init custom files and creation meta data; plus the plain-string
//! patterns of serial and parallel ports.

use crate::guest::formats::GuestFormat;
use serde::{Deserialize, Serialize};
use virton_schema::ApiType;

/// Pattern of a `serialN` value (a host device or `socket`).
pub const SERIAL_PATTERN: &str = r"(/dev/[^,]+|socket)";
/// Pattern of a `parallelN` value (a host parallel port).
pub const PARALLEL_PATTERN: &str = r"/dev/parport\d+|/dev/usb/lp\d+";

/// How the guest agent is attached.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ApiType)]
#[serde(rename_all = "lowercase")]
pub enum AgentType {
    /// Written as `virtio`.
    Virtio,
    /// Written as `isa`.
    Isa,
}

/// QEMU guest agent settings (`agent`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ApiType)]
pub struct Agent {
    /// The agent is used.
    #[api(default_key, default = "0")]
    pub enabled: bool,
    /// Trim cloned disks after a clone or migration.
    #[api(default = "0")]
    pub fstrim_cloned_disks: Option<bool>,
    /// Freeze guest file systems for backups and snapshots.
    #[serde(rename = "freeze-fs")]
    #[api(default = "1", alias = "freeze-fs-on-backup", alias = "guest-fsfreeze")]
    pub freeze_fs: Option<bool>,
    /// Agent device type.
    #[serde(rename = "type")]
    #[api(default = "virtio")]
    pub agent_type: Option<AgentType>,
}

impl GuestFormat for Agent {}

/// Emulated graphics cards.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ApiType)]
#[serde(rename_all = "kebab-case")]
pub enum VgaType {
    /// Written as `cirrus`.
    Cirrus,
    /// Written as `qxl`.
    Qxl,
    /// Written as `qxl2`.
    Qxl2,
    /// Written as `qxl3`.
    Qxl3,
    /// Written as `qxl4`.
    Qxl4,
    /// Written as `none`.
    None,
    /// Written as `serial0`.
    Serial0,
    /// Written as `serial1`.
    Serial1,
    /// Written as `serial2`.
    Serial2,
    /// Written as `serial3`.
    Serial3,
    /// Written as `std`.
    Std,
    /// Written as `virtio`.
    Virtio,
    /// Written as `virtio-gl`.
    VirtioGl,
    /// Written as `vmware`.
    Vmware,
}

/// Clipboard sharing back ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ApiType)]
#[serde(rename_all = "lowercase")]
pub enum Clipboard {
    /// Written as `vnc`.
    Vnc,
}

/// Display settings (`vga`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ApiType)]
pub struct Vga {
    /// Graphics card type.
    #[serde(rename = "type")]
    #[api(default_key, default = "std")]
    pub vga_type: Option<VgaType>,
    /// Video memory in MiB.
    #[api(minimum = 4, maximum = 512)]
    pub memory: Option<u32>,
    /// Clipboard sharing.
    pub clipboard: Option<Clipboard>,
}

impl GuestFormat for Vga {}

/// Boot order (`boot`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ApiType)]
pub struct Boot {
    /// Old letter syntax (floppy, disk, CD-ROM, network).
    #[api(
        default_key,
        pattern = "[acdn]{1,4}",
        format_description = "[acdn]{1,4}",
        default = "cdn"
    )]
    pub legacy: Option<String>,
    /// Boot devices (`scsi0;net0`) in order.
    #[api(
        format = "pve-qm-bootdev-list",
        format_description = "device[;device...]"
    )]
    pub order: Option<String>,
}

impl GuestFormat for Boot {}

impl Boot {
    /// The devices of `order`, in order.
    pub fn devices(&self) -> Vec<&str> {
        self.order
            .as_deref()
            .map(virton_schema::text::split_list)
            .unwrap_or_default()
    }
}

/// Memory settings (`memory`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ApiType)]
pub struct Memory {
    /// Memory in MiB.
    #[api(default_key, minimum = 16, default = "512")]
    pub current: u64,
}

impl GuestFormat for Memory {}

/// NUMA memory policies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ApiType)]
#[serde(rename_all = "lowercase")]
pub enum NumaPolicy {
    /// Written as `preferred`.
    Preferred,
    /// Written as `bind`.
    Bind,
    /// Written as `interleave`.
    Interleave,
}

/// A guest NUMA node (`numaN`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ApiType)]
pub struct NumaNode {
    /// Guest CPUs of the node (`0-3;8`).
    #[api(
        pattern = r"\d+(?:-\d+)?(?:;\d+(?:-\d+)?)*",
        format_description = "id[-id];..."
    )]
    pub cpus: String,
    /// Memory of the node in MiB.
    pub memory: Option<f64>,
    /// Host NUMA nodes backing it.
    #[api(
        pattern = r"\d+(?:-\d+)?(?:;\d+(?:-\d+)?)*",
        format_description = "id[-id];..."
    )]
    pub hostnodes: Option<String>,
    /// Host memory policy.
    pub policy: Option<NumaPolicy>,
}

impl GuestFormat for NumaNode {}

/// SMBIOS type 1 fields (`smbios1`); text fields are base64 when `base64` is set.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ApiType)]
pub struct Smbios1 {
    /// System UUID.
    #[api(
        pattern = "[a-fA-F0-9]{8}(?:-[a-fA-F0-9]{4}){3}-[a-fA-F0-9]{12}",
        format_description = "UUID"
    )]
    pub uuid: Option<String>,
    /// Version string.
    #[api(
        pattern = r"[A-Za-z0-9+\/]+={0,2}",
        format_description = "Base64 encoded string"
    )]
    pub version: Option<String>,
    /// Serial number.
    #[api(
        pattern = r"[A-Za-z0-9+\/]+={0,2}",
        format_description = "Base64 encoded string"
    )]
    pub serial: Option<String>,
    /// Manufacturer.
    #[api(
        pattern = r"[A-Za-z0-9+\/]+={0,2}",
        format_description = "Base64 encoded string"
    )]
    pub manufacturer: Option<String>,
    /// Product name.
    #[api(
        pattern = r"[A-Za-z0-9+\/]+={0,2}",
        format_description = "Base64 encoded string"
    )]
    pub product: Option<String>,
    /// SKU number.
    #[api(
        pattern = r"[A-Za-z0-9+\/]+={0,2}",
        format_description = "Base64 encoded string"
    )]
    pub sku: Option<String>,
    /// Product family.
    #[api(
        pattern = r"[A-Za-z0-9+\/]+={0,2}",
        format_description = "Base64 encoded string"
    )]
    pub family: Option<String>,
    /// The text fields are base64 encoded.
    pub base64: Option<bool>,
}

impl GuestFormat for Smbios1 {}

/// Emulated sound cards.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ApiType)]
pub enum AudioDevice {
    /// Written as `ich9-intel-hda`.
    #[serde(rename = "ich9-intel-hda")]
    Ich9IntelHda,
    /// Written as `intel-hda`.
    #[serde(rename = "intel-hda")]
    IntelHda,
    /// Written as `AC97`.
    #[serde(rename = "AC97")]
    Ac97,
}

/// Audio back ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ApiType)]
#[serde(rename_all = "lowercase")]
pub enum AudioDriver {
    /// Written as `spice`.
    Spice,
    /// Written as `none`.
    None,
}

/// Sound card (`audio0`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ApiType)]
pub struct Audio {
    /// Card model.
    pub device: AudioDevice,
    /// Back end.
    #[api(default = "spice")]
    pub driver: Option<AudioDriver>,
}

impl GuestFormat for Audio {}

/// Host entropy sources.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ApiType)]
pub enum RngSource {
    /// Written as `/dev/urandom`.
    #[serde(rename = "/dev/urandom")]
    Urandom,
    /// Written as `/dev/random`.
    #[serde(rename = "/dev/random")]
    Random,
    /// Written as `/dev/hwrng`.
    #[serde(rename = "/dev/hwrng")]
    Hwrng,
}

/// VirtIO random number generator (`rng0`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ApiType)]
pub struct Rng {
    /// Host entropy source.
    #[api(default_key)]
    pub source: RngSource,
    /// Bytes per `period` at most (0: no limit).
    #[api(default = "1024")]
    pub max_bytes: Option<i64>,
    /// Period in milliseconds for `max_bytes`.
    #[api(default = "1000")]
    pub period: Option<i64>,
}

impl GuestFormat for Rng {}

/// SPICE video streaming modes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ApiType)]
#[serde(rename_all = "lowercase")]
pub enum VideoStreaming {
    /// Written as `off`.
    Off,
    /// Written as `all`.
    All,
    /// Written as `filter`.
    Filter,
}

/// SPICE extras (`spice_enhancements`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ApiType)]
pub struct SpiceEnhancements {
    /// Folder sharing through the SPICE agent.
    #[api(default = "0")]
    pub foldersharing: Option<bool>,
    /// Video streaming.
    #[api(default = "off")]
    pub videostreaming: Option<VideoStreaming>,
}

impl GuestFormat for SpiceEnhancements {}

/// Emulated watchdog models.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ApiType)]
#[serde(rename_all = "lowercase")]
pub enum WatchdogModel {
    /// Written as `i6300esb`.
    I6300esb,
    /// Written as `ib700`.
    Ib700,
}

/// What a watchdog does when it fires.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ApiType)]
#[serde(rename_all = "lowercase")]
pub enum WatchdogAction {
    /// Written as `reset`.
    Reset,
    /// Written as `shutdown`.
    Shutdown,
    /// Written as `poweroff`.
    Poweroff,
    /// Written as `pause`.
    Pause,
    /// Written as `debug`.
    Debug,
    /// Written as `none`.
    None,
}

/// Watchdog device (`watchdog`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ApiType)]
pub struct Watchdog {
    /// Device model.
    #[api(default_key, default = "i6300esb")]
    pub model: Option<WatchdogModel>,
    /// Action when the guest stops feeding it.
    pub action: Option<WatchdogAction>,
}

impl GuestFormat for Watchdog {}

/// Inter-VM shared memory (`ivshmem`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ApiType)]
pub struct Ivshmem {
    /// Size in MiB.
    #[api(minimum = 1)]
    pub size: u64,
    /// Name of the shared memory file.
    #[api(pattern = r"[a-zA-Z0-9\-]+", format_description = "string")]
    pub name: Option<String>,
}

impl GuestFormat for Ivshmem {}

/// virtiofs cache modes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ApiType)]
#[serde(rename_all = "lowercase")]
pub enum VirtiofsCache {
    /// Written as `auto`.
    Auto,
    /// Written as `always`.
    Always,
    /// Written as `metadata`.
    Metadata,
    /// Written as `never`.
    Never,
}

/// A host directory shared through virtiofs (`virtiofsN`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ApiType)]
pub struct Virtiofs {
    /// Directory mapping id.
    #[api(
        default_key,
        format = "pve-configid",
        format_description = "mapping-id"
    )]
    pub dirid: String,
    /// Cache mode.
    #[api(default = "auto")]
    pub cache: Option<VirtiofsCache>,
    /// Direct I/O (bypassing the page cache).
    #[serde(rename = "direct-io")]
    #[api(default = "0")]
    pub direct_io: Option<bool>,
    /// Extended attributes are passed through.
    #[serde(rename = "expose-xattr")]
    #[api(default = "0")]
    pub expose_xattr: Option<bool>,
    /// POSIX ACLs are passed through (implies xattrs).
    #[serde(rename = "expose-acl")]
    #[api(default = "0")]
    pub expose_acl: Option<bool>,
}

impl GuestFormat for Virtiofs {}

/// Virtual IOMMU models.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ApiType)]
#[serde(rename_all = "lowercase")]
pub enum Viommu {
    /// Written as `intel`.
    Intel,
    /// Written as `virtio`.
    Virtio,
}

/// Machine type and platform options (`machine`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ApiType)]
pub struct Machine {
    /// QEMU machine type, optionally versioned (`pc-q35-9.0+pve1`).
    #[serde(rename = "type")]
    #[api(
        default_key,
        max_length = 40,
        format_description = "machine type",
        pattern = r"(pc|pc(-i440fx)?-\d+(\.\d+)+(\+pve\d+)?(\.pxe)?|q35|pc-q35-\d+(\.\d+)+(\+pve\d+)?(\.pxe)?|virt(?:-\d+(\.\d+)+)?(\+pve\d+)?)"
    )]
    pub machine_type: Option<String>,
    /// Virtual IOMMU.
    pub viommu: Option<Viommu>,
    /// Guest physical address width of the vIOMMU.
    #[serde(rename = "aw-bits")]
    #[api(minimum = 32, maximum = 64)]
    pub aw_bits: Option<f64>,
    /// ACPI suspend-to-RAM offered to the guest.
    #[serde(rename = "enable-s3")]
    pub enable_s3: Option<bool>,
    /// ACPI suspend-to-disk offered to the guest.
    #[serde(rename = "enable-s4")]
    pub enable_s4: Option<bool>,
}

impl GuestFormat for Machine {}

/// Custom cloud-init files (`cicustom`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ApiType)]
pub struct CiCustom {
    /// Meta data file.
    #[api(format = "pve-volume-id", format_description = "volume")]
    pub meta: Option<String>,
    /// Network configuration file.
    #[api(format = "pve-volume-id", format_description = "volume")]
    pub network: Option<String>,
    /// User data file.
    #[api(format = "pve-volume-id", format_description = "volume")]
    pub user: Option<String>,
    /// Vendor data file.
    #[api(format = "pve-volume-id", format_description = "volume")]
    pub vendor: Option<String>,
}

impl GuestFormat for CiCustom {}

/// Creation meta data (`meta`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ApiType)]
pub struct MetaInfo {
    /// Creation time (UNIX epoch).
    #[api(minimum = 0)]
    pub ctime: Option<u64>,
    /// QEMU version the VM was created with.
    #[serde(rename = "creation-qemu")]
    #[api(pattern = r"\d+(\.\d+)+")]
    pub creation_qemu: Option<String>,
}

impl GuestFormat for MetaInfo {}

#[cfg(test)]
#[path = "misc_tests.rs"]
mod tests;
