//! Pure parsers for `/proc/cpuinfo` and `/proc/meminfo` text. No I/O here.

use std::collections::{BTreeMap, BTreeSet};

/// What `/proc/cpuinfo` says about the CPUs.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CpuInfo {
    /// `vendor_id` of the first processor.
    pub vendor: String,
    /// `model name` of the first processor.
    pub model_name: String,
    /// `flags` of the first processor.
    pub flags: Vec<String>,
    /// Number of `processor` entries (logical CPUs).
    pub cpus: u32,
    /// Distinct `physical id`s (1 when the kernel does not report them).
    pub sockets: u32,
    /// Sum of `cpu cores` over the sockets (logical CPUs when not reported).
    pub cores: u32,
}

/// Parse `/proc/cpuinfo`. Unknown lines are ignored; missing fields stay empty.
pub fn parse_cpuinfo(text: &str) -> CpuInfo {
    let mut info = CpuInfo::default();
    let mut sockets: BTreeSet<String> = BTreeSet::new();
    let mut cores_per_socket: BTreeMap<String, u32> = BTreeMap::new();
    let mut current_socket = String::new();
    for line in text.lines() {
        let Some((key, value)) = line.split_once(':') else {
            continue;
        };
        let (key, value) = (key.trim(), value.trim());
        match key {
            "processor" => {
                info.cpus += 1;
                current_socket.clear();
            }
            "vendor_id" if info.vendor.is_empty() => info.vendor = value.to_string(),
            "model name" if info.model_name.is_empty() => info.model_name = value.to_string(),
            "flags" if info.flags.is_empty() => {
                info.flags = value.split_whitespace().map(String::from).collect()
            }
            "physical id" => {
                current_socket = value.to_string();
                sockets.insert(current_socket.clone());
            }
            "cpu cores" => {
                if let Ok(n) = value.parse::<u32>() {
                    cores_per_socket.insert(current_socket.clone(), n);
                }
            }
            _ => {}
        }
    }
    info.sockets = u32::try_from(sockets.len()).unwrap_or(u32::MAX).max(1);
    let cores: u32 = cores_per_socket
        .values()
        .fold(0u32, |a, b| a.saturating_add(*b));
    info.cores = if cores == 0 { info.cpus } else { cores };
    info
}

/// Parse `/proc/meminfo` into bytes per key (`kB` values are multiplied by 1024;
/// unit-less counters such as `HugePages_Total` are kept as they are).
pub fn parse_meminfo(text: &str) -> BTreeMap<String, u64> {
    let mut out = BTreeMap::new();
    for line in text.lines() {
        let Some((key, rest)) = line.split_once(':') else {
            continue;
        };
        let mut parts = rest.split_whitespace();
        let Some(Ok(number)) = parts.next().map(str::parse::<u64>) else {
            continue;
        };
        let value = match parts.next() {
            Some("kB") => number.saturating_mul(1024),
            _ => number,
        };
        out.insert(key.trim().to_string(), value);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const TWO_SOCKETS: &str = "\
processor\t: 0
vendor_id\t: GenuineIntel
model name\t: Intel(R) Xeon(R) Test CPU @ 2.00GHz
physical id\t: 0
cpu cores\t: 2
flags\t\t: fpu vme vmx sse2

processor\t: 1
vendor_id\t: GenuineIntel
model name\t: Intel(R) Xeon(R) Test CPU @ 2.00GHz
physical id\t: 0
cpu cores\t: 2
flags\t\t: fpu vme vmx sse2

processor\t: 2
vendor_id\t: GenuineIntel
physical id\t: 1
cpu cores\t: 2

processor\t: 3
vendor_id\t: GenuineIntel
physical id\t: 1
cpu cores\t: 2
";

    #[test]
    fn parse_cpuinfo_counts_cpus_sockets_cores() {
        let info = parse_cpuinfo(TWO_SOCKETS);
        assert_eq!(info.vendor, "GenuineIntel");
        assert_eq!(info.model_name, "Intel(R) Xeon(R) Test CPU @ 2.00GHz");
        assert_eq!(info.flags, vec!["fpu", "vme", "vmx", "sse2"]);
        assert_eq!((info.cpus, info.sockets, info.cores), (4, 2, 4));
    }

    #[test]
    fn parse_cpuinfo_without_topology_falls_back_to_cpus() {
        let info = parse_cpuinfo("processor : 0\nprocessor : 1\nBogoMIPS : 50.00\n");
        assert_eq!((info.cpus, info.sockets, info.cores), (2, 1, 2));
        assert!(info.vendor.is_empty());
    }

    #[test]
    fn parse_cpuinfo_garbage_does_not_panic() {
        let info = parse_cpuinfo("::::\n\ncpu cores : lots\nphysical id :\n");
        assert_eq!(info.cpus, 0);
    }

    #[test]
    fn parse_meminfo_converts_kb_to_bytes() {
        let text = "MemTotal:       2048 kB\nMemFree:  1024 kB\nHugePages_Total:       4\nbroken line\nX: y kB\n";
        let mem = parse_meminfo(text);
        assert_eq!(mem.get("MemTotal"), Some(&(2048 * 1024)));
        assert_eq!(mem.get("MemFree"), Some(&(1024 * 1024)));
        assert_eq!(mem.get("HugePages_Total"), Some(&4));
        assert_eq!(mem.len(), 3);
    }
}
