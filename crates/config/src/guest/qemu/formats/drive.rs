//! Disk formats of VM configs: bus drives (`ide0`, `sata0`, `scsi0`, `virtio0`, each bus
//! with its own set of allowed keys), `efidisk0`, `tpmstate0` and `unusedN`, as upstream
//! checks them when it reads a config file (the API's `import-from` is not part of it).
//!
//! [`normalize_drive`] is upstream's read-time rewrite of a bus drive: the checks of its
//! drive parser, bare file names turned into volume ids, and the value re-printed in
//! canonical key order.

use crate::guest::formats::{object_of, GuestFormat};
use crate::guest::qemu::devices::DriveBus;
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;
use virton_schema::{ApiType, ObjectSchema};

/// How the host caches a disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ApiType)]
#[serde(rename_all = "lowercase")]
pub enum CacheMode {
    /// Written as `none`.
    None,
    /// Written as `writethrough`.
    Writethrough,
    /// Written as `writeback`.
    Writeback,
    /// Written as `unsafe`.
    Unsafe,
    /// Written as `directsync`.
    Directsync,
}

/// Whether a drive is a disk or an optical drive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ApiType)]
#[serde(rename_all = "lowercase")]
pub enum DriveMedia {
    /// Written as `cdrom`.
    Cdrom,
    /// Written as `disk`.
    Disk,
}

/// Image formats a drive's volume can have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ApiType)]
#[serde(rename_all = "lowercase")]
pub enum ImageFormat {
    /// Written as `raw`.
    Raw,
    /// Written as `qcow`.
    Qcow,
    /// Written as `qed`.
    Qed,
    /// Written as `qcow2`.
    Qcow2,
    /// Written as `vmdk`.
    Vmdk,
    /// Written as `cloop`.
    Cloop,
}

/// What the guest sees on a read error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ApiType)]
#[serde(rename_all = "lowercase")]
pub enum ReadErrorAction {
    /// Written as `ignore`.
    Ignore,
    /// Written as `report`.
    Report,
    /// Written as `stop`.
    Stop,
}

/// What the guest sees on a write error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ApiType)]
#[serde(rename_all = "lowercase")]
pub enum WriteErrorAction {
    /// Written as `enospc`.
    Enospc,
    /// Written as `ignore`.
    Ignore,
    /// Written as `report`.
    Report,
    /// Written as `stop`.
    Stop,
}

/// The asynchronous I/O backend.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ApiType)]
#[serde(rename_all = "snake_case")]
pub enum AioMode {
    /// Written as `native`.
    Native,
    /// Written as `threads`.
    Threads,
    /// Written as `io_uring`.
    IoUring,
}

/// Whether discard requests reach the storage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ApiType)]
#[serde(rename_all = "lowercase")]
pub enum DiscardMode {
    /// Written as `ignore`.
    Ignore,
    /// Written as `on`.
    On,
}

/// A disk on the IDE, SATA, SCSI or VirtIO bus (the union of the keys of all buses;
/// [`bus_schema`] restricts a bus to its own keys).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ApiType)]
pub struct Drive {
    /// The volume (`storage:volume`), a device or file path, `none` or `cdrom`.
    #[api(default_key, alias = "volume", format = "pve-volume-id-or-qm-path")]
    #[api(format_description = "volume")]
    pub file: String,
    /// Disk or optical drive.
    #[api(default = "disk")]
    pub media: Option<DriveMedia>,
    /// Writes are thrown away when the VM stops.
    pub snapshot: Option<bool>,
    /// Host cache mode.
    pub cache: Option<CacheMode>,
    /// Image format of the volume.
    pub format: Option<ImageFormat>,
    /// Size as stored in the config (`32G`).
    #[api(format = "disk-size", format_description = "DiskSize")]
    pub size: Option<String>,
    /// Included in backups.
    pub backup: Option<bool>,
    /// Included in storage replication.
    #[api(default = "1")]
    pub replicate: Option<bool>,
    /// Reaction to read errors.
    pub rerror: Option<ReadErrorAction>,
    /// Reaction to write errors.
    pub werror: Option<WriteErrorAction>,
    /// I/O backend.
    pub aio: Option<AioMode>,
    /// Discard passing.
    pub discard: Option<DiscardMode>,
    /// Zero writes are detected and optimized.
    pub detect_zeroes: Option<bool>,
    /// Serial number shown to the guest (URL-encoded).
    #[api(format = "urlencoded", max_length = 60, format_description = "serial")]
    pub serial: Option<String>,
    /// The volume is already available on all nodes.
    #[api(default = "0")]
    pub shared: Option<bool>,
    /// Byte rate limit, both directions.
    #[api(format_description = "bps")]
    pub bps: Option<i64>,
    /// Seconds a byte-rate burst may last.
    #[api(minimum = 1, format_description = "seconds")]
    pub bps_max_length: Option<i64>,
    /// Read byte rate limit.
    #[api(format_description = "bps")]
    pub bps_rd: Option<i64>,
    /// Seconds a read byte-rate burst may last.
    #[api(minimum = 1, alias = "bps_rd_length", format_description = "seconds")]
    pub bps_rd_max_length: Option<i64>,
    /// Write byte rate limit.
    #[api(format_description = "bps")]
    pub bps_wr: Option<i64>,
    /// Seconds a write byte-rate burst may last.
    #[api(minimum = 1, alias = "bps_wr_length", format_description = "seconds")]
    pub bps_wr_max_length: Option<i64>,
    /// Operations per second, both directions.
    #[api(format_description = "iops")]
    pub iops: Option<i64>,
    /// Burst pool of operations per second.
    #[api(format_description = "iops")]
    pub iops_max: Option<i64>,
    /// Seconds an operations burst may last.
    #[api(minimum = 1, format_description = "seconds")]
    pub iops_max_length: Option<i64>,
    /// Read operations per second.
    #[api(format_description = "iops")]
    pub iops_rd: Option<i64>,
    /// Burst pool of read operations per second.
    #[api(format_description = "iops")]
    pub iops_rd_max: Option<i64>,
    /// Seconds a read operations burst may last.
    #[api(minimum = 1, alias = "iops_rd_length", format_description = "seconds")]
    pub iops_rd_max_length: Option<i64>,
    /// Write operations per second.
    #[api(format_description = "iops")]
    pub iops_wr: Option<i64>,
    /// Burst pool of write operations per second.
    #[api(format_description = "iops")]
    pub iops_wr_max: Option<i64>,
    /// Seconds a write operations burst may last.
    #[api(minimum = 1, alias = "iops_wr_length", format_description = "seconds")]
    pub iops_wr_max_length: Option<i64>,
    /// Megabytes per second, both directions.
    #[api(format_description = "mbps")]
    pub mbps: Option<f64>,
    /// Burst pool in megabytes per second.
    #[api(format_description = "mbps")]
    pub mbps_max: Option<f64>,
    /// Read megabytes per second.
    #[api(format_description = "mbps")]
    pub mbps_rd: Option<f64>,
    /// Burst pool of reads in megabytes per second.
    #[api(format_description = "mbps")]
    pub mbps_rd_max: Option<f64>,
    /// Write megabytes per second.
    #[api(format_description = "mbps")]
    pub mbps_wr: Option<f64>,
    /// Burst pool of writes in megabytes per second.
    #[api(format_description = "mbps")]
    pub mbps_wr_max: Option<f64>,
    /// A dedicated I/O thread (SCSI, VirtIO).
    pub iothread: Option<bool>,
    /// Model name shown to the guest, URL-encoded (IDE).
    #[api(format = "urlencoded", max_length = 120, format_description = "model")]
    pub model: Option<String>,
    /// SCSI product string.
    #[api(pattern = r"[A-Za-z0-9\-_\s]{0,16}", format_description = "product")]
    pub product: Option<String>,
    /// Number of queues (SCSI).
    #[api(minimum = 2)]
    pub queues: Option<u32>,
    /// Read-only (SCSI, VirtIO).
    pub ro: Option<bool>,
    /// Full pass-through of a host block device (SCSI).
    #[api(default = "0")]
    pub scsiblock: Option<bool>,
    /// Shown to the guest as a solid-state drive (IDE, SATA, SCSI).
    pub ssd: Option<bool>,
    /// SCSI vendor string.
    #[api(pattern = r"[A-Za-z0-9\-_\s]{0,8}", format_description = "vendor")]
    pub vendor: Option<String>,
    /// World wide name, `0x` and 16 hex digits (IDE, SATA, SCSI).
    #[api(pattern = "(0x)[0-9a-fA-F]{16}", format_description = "wwn")]
    pub wwn: Option<String>,
}

impl GuestFormat for Drive {
    fn object_schema() -> &'static ObjectSchema {
        object_of(Self::api_schema())
    }
}

/// Keys only some buses have (everything else is common to all of them).
const BUS_KEYS: &[(&str, &[DriveBus])] = &[
    ("iothread", &[DriveBus::Scsi, DriveBus::Virtio]),
    ("model", &[DriveBus::Ide]),
    ("product", &[DriveBus::Scsi]),
    ("queues", &[DriveBus::Scsi]),
    ("ro", &[DriveBus::Scsi, DriveBus::Virtio]),
    ("scsiblock", &[DriveBus::Scsi]),
    ("ssd", &[DriveBus::Ide, DriveBus::Sata, DriveBus::Scsi]),
    ("vendor", &[DriveBus::Scsi]),
    ("wwn", &[DriveBus::Ide, DriveBus::Sata, DriveBus::Scsi]),
];

/// The schema of drives on `bus`: the [`Drive`] keys that bus allows.
pub fn bus_schema(bus: DriveBus) -> &'static ObjectSchema {
    static CACHE: [OnceLock<ObjectSchema>; 4] = [
        OnceLock::new(),
        OnceLock::new(),
        OnceLock::new(),
        OnceLock::new(),
    ];
    let slot = match bus {
        DriveBus::Ide => &CACHE[0],
        DriveBus::Sata => &CACHE[1],
        DriveBus::Scsi => &CACHE[2],
        DriveBus::Virtio => &CACHE[3],
    };
    slot.get_or_init(|| {
        let mut schema = Drive::object_schema().clone();
        schema.properties.retain(|key, _| {
            BUS_KEYS
                .iter()
                .find(|(k, _)| k == key)
                .is_none_or(|(_, buses)| buses.contains(&bus))
        });
        schema
    })
}

/// Parses a drive of `bus` (upstream's checks and wording for that bus's keys).
pub fn parse_bus_drive(bus: DriveBus, text: &str) -> Result<Drive, String> {
    crate::guest::formats::ensure_registered();
    let map =
        virton_schema::parse_property_string(text, bus_schema(bus)).map_err(|e| e.to_string())?;
    serde_json::from_value(serde_json::Value::Object(map)).map_err(|e| e.to_string())
}

/// A drive as one property-string format per bus (for the registry).
pub(crate) fn check_bus(bus: DriveBus, text: &str) -> Result<(), String> {
    parse_bus_drive(bus, text).map(|_| ())
}

/// The EFI variables disk (`efidisk0`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ApiType)]
pub struct EfiDisk {
    /// The volume holding the EFI variables.
    #[api(default_key, alias = "volume", format = "pve-volume-id-or-qm-path")]
    #[api(format_description = "volume")]
    pub file: String,
    /// Image format of the volume.
    pub format: Option<ImageFormat>,
    /// Size as stored in the config.
    #[api(format = "disk-size", format_description = "DiskSize")]
    pub size: Option<String>,
    /// Size of the OVMF variable store.
    #[api(default = "2m")]
    pub efitype: Option<EfiType>,
    /// The store comes with distribution and Microsoft keys enrolled.
    #[serde(rename = "pre-enrolled-keys")]
    #[api(default = "0")]
    pub pre_enrolled_keys: Option<bool>,
    /// Latest Microsoft UEFI certificates enrolled.
    #[serde(rename = "ms-cert")]
    #[api(default = "2011")]
    pub ms_cert: Option<MsCert>,
}

impl GuestFormat for EfiDisk {}

/// Size of the EFI variable store.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ApiType)]
pub enum EfiType {
    /// Written as `2m`.
    #[serde(rename = "2m")]
    Small,
    /// Written as `4m`.
    #[serde(rename = "4m")]
    Large,
}

/// Microsoft certificate generation marker of an EFI disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ApiType)]
pub enum MsCert {
    /// Written as `2011`.
    #[serde(rename = "2011")]
    Ms2011,
    /// Written as `2023`.
    #[serde(rename = "2023")]
    Ms2023,
    /// Written as `2023w`.
    #[serde(rename = "2023w")]
    Ms2023w,
    /// Written as `2023k`.
    #[serde(rename = "2023k")]
    Ms2023k,
}

/// The TPM state volume (`tpmstate0`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ApiType)]
pub struct TpmState {
    /// The volume holding the TPM state.
    #[api(default_key, alias = "volume", format = "pve-volume-id-or-qm-path")]
    #[api(format_description = "volume")]
    pub file: String,
    /// Image format of the volume.
    pub format: Option<TpmImageFormat>,
    /// Size as stored in the config.
    #[api(format = "disk-size", format_description = "DiskSize")]
    pub size: Option<String>,
    /// TPM interface version.
    #[api(default = "v1.2")]
    pub version: Option<TpmVersion>,
}

impl GuestFormat for TpmState {}

/// Image formats a TPM state volume can have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ApiType)]
#[serde(rename_all = "lowercase")]
pub enum TpmImageFormat {
    /// Written as `raw`.
    Raw,
    /// Written as `qcow2`.
    Qcow2,
    /// Written as `vmdk`.
    Vmdk,
}

/// TPM interface version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ApiType)]
pub enum TpmVersion {
    /// Written as `v1.2`.
    #[serde(rename = "v1.2")]
    V1_2,
    /// Written as `v2.0`.
    #[serde(rename = "v2.0")]
    V2_0,
}

/// A volume no longer attached to the VM (`unusedN`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ApiType)]
pub struct UnusedVolume {
    /// The volume id.
    #[api(default_key, alias = "volume", format = "pve-volume-id")]
    #[api(format_description = "volume")]
    pub file: String,
}

impl GuestFormat for UnusedVolume {}

#[cfg(test)]
#[path = "drive_tests.rs"]
mod tests;
