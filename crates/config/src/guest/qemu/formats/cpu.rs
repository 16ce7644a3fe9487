//! CPU formats of VM configs: the CPU model (`cpu`, with upstream's VM-specific checks)
//! and the confidential-computing settings (`amd-sev`, `intel-tdx`). Also the
//! `pve-cpuset` and `pve-phys-bits` value checks.

use crate::guest::formats::GuestFormat;
use serde::{Deserialize, Serialize};
use virton_schema::ApiType;

/// CPU flags a VM config may toggle (upstream's VM-specific list, sorted).
pub const VM_CPU_FLAGS: &[&str] = &[
    "aes",
    "amd-no-ssb",
    "amd-ssbd",
    "hv-evmcs",
    "hv-tlbflush",
    "ibpb",
    "md-clear",
    "nested-virt",
    "pcid",
    "pdpe1gb",
    "spec-ctrl",
    "ssbd",
    "virt-ssbd",
];

/// CPU models QEMU offers (upstream's built-in fallback list) plus `host`.
pub const CPU_MODELS: &[&str] = &[
    "486",
    "pentium",
    "pentium2",
    "pentium3",
    "coreduo",
    "core2duo",
    "Conroe",
    "Penryn",
    "Nehalem",
    "Nehalem-IBRS",
    "Westmere",
    "Westmere-IBRS",
    "SandyBridge",
    "SandyBridge-IBRS",
    "IvyBridge",
    "IvyBridge-IBRS",
    "Haswell",
    "Haswell-IBRS",
    "Haswell-noTSX",
    "Haswell-noTSX-IBRS",
    "Broadwell",
    "Broadwell-IBRS",
    "Broadwell-noTSX",
    "Broadwell-noTSX-IBRS",
    "Skylake-Client",
    "Skylake-Client-IBRS",
    "Skylake-Client-noTSX-IBRS",
    "Skylake-Client-v4",
    "Skylake-Server",
    "Skylake-Server-IBRS",
    "Skylake-Server-noTSX-IBRS",
    "Skylake-Server-v4",
    "Skylake-Server-v5",
    "Cascadelake-Server",
    "Cascadelake-Server-v2",
    "Cascadelake-Server-noTSX",
    "Cascadelake-Server-v4",
    "Cascadelake-Server-v5",
    "Cooperlake",
    "Cooperlake-v2",
    "KnightsMill",
    "Icelake-Client",
    "Icelake-Client-noTSX",
    "Icelake-Server",
    "Icelake-Server-noTSX",
    "Icelake-Server-v3",
    "Icelake-Server-v4",
    "Icelake-Server-v5",
    "Icelake-Server-v6",
    "Icelake-Server-v7",
    "SapphireRapids",
    "SapphireRapids-v2",
    "SapphireRapids-v3",
    "SapphireRapids-v4",
    "GraniteRapids",
    "GraniteRapids-v2",
    "GraniteRapids-v3",
    "SierraForest",
    "SierraForest-v2",
    "SierraForest-v3",
    "ClearwaterForest",
    "athlon",
    "phenom",
    "Opteron_G1",
    "Opteron_G2",
    "Opteron_G3",
    "Opteron_G4",
    "Opteron_G5",
    "EPYC",
    "EPYC-IBPB",
    "EPYC-v3",
    "EPYC-v4",
    "EPYC-v5",
    "EPYC-Rome",
    "EPYC-Rome-v2",
    "EPYC-Rome-v3",
    "EPYC-Rome-v4",
    "EPYC-Rome-v5",
    "EPYC-Milan",
    "EPYC-Milan-v2",
    "EPYC-Milan-v3",
    "EPYC-Genoa",
    "EPYC-Genoa-v2",
    "EPYC-Turin",
    "kvm32",
    "kvm64",
    "qemu32",
    "qemu64",
    "max",
    "host",
    "a64fx",
    "cortex-a35",
    "cortex-a53",
    "cortex-a55",
    "cortex-a57",
    "cortex-a710",
    "cortex-a72",
    "cortex-a76",
    "neoverse-n1",
    "neoverse-n2",
    "neoverse-v1",
    "x86-64-v2",
    "x86-64-v2-AES",
    "x86-64-v3",
    "x86-64-v4",
];

/// The CPU of a VM (`cpu`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ApiType)]
pub struct Cpu {
    /// CPU model, or `custom-<name>` for a cluster-defined model.
    #[api(default_key, default = "kvm64", format_description = "string")]
    pub cputype: Option<String>,
    /// Model reported to the guest (only allowed in custom model definitions).
    #[serde(rename = "reported-model")]
    #[api(default = "kvm64")]
    pub reported_model: Option<String>,
    /// Hide the fact that the guest runs in a VM.
    #[api(default = "0")]
    pub hidden: Option<bool>,
    /// Hyper-V vendor id shown to the guest.
    #[serde(rename = "hv-vendor-id")]
    #[api(pattern = "[a-zA-Z0-9]{1,12}", format_description = "vendor-id")]
    pub hv_vendor_id: Option<String>,
    /// Flags to add (`+flag`) or remove (`-flag`), `;` separated.
    #[api(
        pattern = r"([+-])([a-zA-Z0-9\-_\.]+)(;([+-])([a-zA-Z0-9\-_\.]+))*",
        format_description = "+FLAG[;-FLAG...]"
    )]
    pub flags: Option<String>,
    /// Guest physical address bits reported to the guest.
    #[serde(rename = "guest-phys-bits")]
    #[api(minimum = 32, maximum = 64)]
    pub guest_phys_bits: Option<u32>,
    /// Physical address bits, a number or `host`.
    #[serde(rename = "phys-bits")]
    #[api(format = "pve-phys-bits", format_description = "8-64|host")]
    pub phys_bits: Option<String>,
    /// CPUID level reported to the guest.
    #[api(minimum = 0, maximum = 4294967295_u64)]
    pub level: Option<u64>,
}

impl GuestFormat for Cpu {
    /// Upstream's checks of a VM-specific CPU setting.
    fn validate(&self) -> Result<(), String> {
        let cputype = self
            .cputype
            .as_deref()
            .filter(|c| !c.is_empty() && *c != "0")
            .ok_or_else(|| "CPU is missing cputype".to_string())?;
        if !cputype.starts_with("custom-") && !CPU_MODELS.contains(&cputype) {
            return Err(format!(
                "Built-in cputype '{cputype}' is not defined (missing 'custom-' prefix?)"
            ));
        }
        if let Some(flags) = self.flags.as_deref().filter(|f| !f.is_empty() && *f != "0") {
            let supported = flags.split(';').all(|f| {
                f.strip_prefix(['+', '-'])
                    .is_some_and(|name| VM_CPU_FLAGS.contains(&name))
            });
            if !supported {
                return Err(format!(
                    "VM-specific CPU flags must be a subset of: {}",
                    VM_CPU_FLAGS.join(", ")
                ));
            }
        }
        if self.reported_model.is_some() {
            return Err("Property 'reported-model' not allowed in VM-specific CPU config.".into());
        }
        Ok(())
    }
}

/// Upstream's `pve-phys-bits` check: `host` or 8 to 64.
pub fn check_phys_bits(value: &str) -> Result<(), String> {
    let ok = value == "host"
        || (matches!(value.len(), 1 | 2)
            && value.bytes().all(|b| b.is_ascii_digit())
            && value.parse::<u32>().is_ok_and(|n| (8..=64).contains(&n)));
    if ok {
        Ok(())
    } else {
        Err("value must be an integer between 8 and 64 or 'host'".to_string())
    }
}

/// Upstream's `pve-cpuset` check: CPU ids and ranges separated by commas.
pub fn check_cpuset(value: &str) -> Result<(), String> {
    let range_ok = |part: &str| {
        let (a, b) = part.split_once('-').unwrap_or((part, part));
        let num = |s: &str| !s.is_empty() && s.bytes().all(|c| c.is_ascii_digit());
        num(a) && num(b) && a.parse::<u64>().ok() <= b.parse::<u64>().ok()
    };
    let parts: Vec<&str> = value.split(',').map(str::trim).collect();
    if !value.trim().is_empty() && parts.iter().all(|p| range_ok(p)) {
        Ok(())
    } else {
        Err("unable to parse cpuset option".to_string())
    }
}

/// AMD SEV flavours.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ApiType)]
#[serde(rename_all = "lowercase")]
pub enum SevType {
    /// Written as `std`.
    Std,
    /// Written as `es`.
    Es,
    /// Written as `snp`.
    Snp,
}

/// AMD memory encryption (`amd-sev`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ApiType)]
pub struct AmdSev {
    /// SEV flavour.
    #[serde(rename = "type")]
    #[api(default_key, max_length = 3, format_description = "sev-type")]
    pub sev_type: SevType,
    /// Guest debugging is refused.
    #[serde(rename = "no-debug")]
    #[api(default = "0")]
    pub no_debug: Option<bool>,
    /// Keys are not shared with other guests.
    #[serde(rename = "no-key-sharing")]
    #[api(default = "0")]
    pub no_key_sharing: Option<bool>,
    /// Simultaneous multithreading allowed (SEV-SNP).
    #[serde(rename = "allow-smt")]
    #[api(default = "1")]
    pub allow_smt: Option<bool>,
    /// Kernel hashes are added to the measurement.
    #[serde(rename = "kernel-hashes")]
    #[api(default = "0")]
    pub kernel_hashes: Option<bool>,
}

impl GuestFormat for AmdSev {}

/// Intel TDX flavours.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ApiType)]
#[serde(rename_all = "lowercase")]
pub enum TdxType {
    /// Written as `tdx`.
    Tdx,
}

/// Intel trust domain settings (`intel-tdx`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ApiType)]
pub struct IntelTdx {
    /// TDX flavour.
    #[serde(rename = "type")]
    #[api(default_key, format_description = "tdx-type")]
    pub tdx_type: TdxType,
    /// Attestation support (upstream's schema makes this key mandatory).
    #[api(default = "1")]
    pub attestation: bool,
    /// vsock context id of the quote generation service.
    #[serde(rename = "vsock-cid")]
    #[api(minimum = 2, default = "2")]
    pub vsock_cid: Option<u32>,
    /// vsock port of the quote generation service.
    #[serde(rename = "vsock-port")]
    #[api(minimum = 0, default = "4050")]
    pub vsock_port: Option<u32>,
}

impl GuestFormat for IntelTdx {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cpu_round_trips_and_checks_flags() {
        let cpu = Cpu::parse("host,flags=+aes;-pcid,hidden=1").expect("parses");
        assert_eq!(
            cpu.print().expect("prints"),
            "host,flags=+aes;-pcid,hidden=1"
        );
        assert_eq!(
            Cpu::parse("host,flags=+avx").unwrap_err(),
            format!(
                "VM-specific CPU flags must be a subset of: {}",
                VM_CPU_FLAGS.join(", ")
            )
        );
    }

    #[test]
    fn cpu_needs_a_known_type() {
        assert_eq!(
            Cpu::parse("hidden=1").unwrap_err(),
            "CPU is missing cputype"
        );
        assert_eq!(
            Cpu::parse("Skylake").unwrap_err(),
            "Built-in cputype 'Skylake' is not defined (missing 'custom-' prefix?)"
        );
        assert!(Cpu::parse("custom-mine").is_ok());
        assert_eq!(
            Cpu::parse("kvm64,reported-model=qemu64").unwrap_err(),
            "Property 'reported-model' not allowed in VM-specific CPU config."
        );
    }

    #[test]
    fn phys_bits_and_cpuset_checks() {
        assert!(check_phys_bits("host").is_ok());
        assert!(check_phys_bits("40").is_ok());
        assert!(check_phys_bits("7").is_err());
        assert!(check_cpuset("0-3,8").is_ok());
        assert_eq!(
            check_cpuset("a").unwrap_err(),
            "unable to parse cpuset option"
        );
    }

    #[test]
    fn sev_and_tdx_round_trip() {
        let sev = AmdSev::parse("snp,allow-smt=0").expect("parses");
        assert_eq!(sev.print().expect("prints"), "snp,allow-smt=0");
        assert_eq!(
            IntelTdx::parse("tdx").unwrap_err(),
            "format error\nattestation: property is missing and it is not optional"
        );
        let tdx = IntelTdx::parse("tdx,attestation=1,vsock-port=4051").expect("parses");
        assert_eq!(
            tdx.print().expect("prints"),
            "tdx,attestation=1,vsock-port=4051"
        );
    }
}
