//! Pure parsers for the procfs files the node status reads, with upstream's readings
//! (`ProcFSTools`): uptime, load average, CPU times, CPU info and memory. No I/O here.

use std::collections::BTreeMap;

/// Seconds since boot (whole seconds) from `/proc/uptime`; 0 when unreadable.
pub fn parse_uptime(text: &str) -> u64 {
    let first = text.split_whitespace().next().unwrap_or("");
    first
        .split('.')
        .next()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0)
}

/// The three load averages as upstream sends them (strings); `0` each when the line
/// does not have the expected shape.
pub fn parse_loadavg(text: &str) -> [String; 3] {
    let parts: Vec<&str> = text.split_whitespace().collect();
    let is_avg = |s: &str| {
        s.split_once('.').is_some_and(|(a, b)| {
            !a.is_empty()
                && !b.is_empty()
                && a.bytes().all(|c| c.is_ascii_digit())
                && b.bytes().all(|c| c.is_ascii_digit())
        })
    };
    match parts.as_slice() {
        [a, b, c, _, ..] if is_avg(a) && is_avg(b) && is_avg(c) => {
            [a.to_string(), b.to_string(), c.to_string()]
        }
        _ => ["0".into(), "0".into(), "0".into()],
    }
}

/// Aggregate CPU times of the `cpu` line of `/proc/stat`, in clock ticks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CpuTimes {
    /// Busy time: user, nice, system, irq, softirq and steal.
    pub used: u64,
    /// Every counted state (guest time is part of user/nice already).
    pub total: u64,
    /// Time waiting for I/O.
    pub iowait: u64,
    /// Number of `cpuN` lines (at least 1).
    pub cpus: u64,
}

/// Reads the aggregate `cpu` line and counts the per-CPU lines.
pub fn parse_proc_stat(text: &str) -> CpuTimes {
    let mut times = CpuTimes::default();
    let mut cpus = 0;
    for line in text.lines() {
        let mut fields = line.split_whitespace();
        match fields.next() {
            Some("cpu") => {
                let v: Vec<u64> = fields.map_while(|f| f.parse().ok()).collect();
                if v.len() >= 8 {
                    times = times_from(&v);
                }
            }
            Some(name) if name.starts_with("cpu") => cpus += 1,
            _ => {}
        }
    }
    times.cpus = cpus.max(1);
    times
}

fn times_from(v: &[u64]) -> CpuTimes {
    let at = |i: usize| v.get(i).copied().unwrap_or(0);
    let (guest, guest_nice) = (at(8), at(9));
    let user = at(0).saturating_sub(guest);
    let nice = at(1).saturating_sub(guest_nice);
    let (system, idle, iowait, irq, softirq, steal) = (at(2), at(3), at(4), at(5), at(6), at(7));
    CpuTimes {
        used: at(0) + at(1) + system + irq + softirq + steal,
        total: user + nice + system + iowait + irq + softirq + steal + idle + guest + guest_nice,
        iowait,
        cpus: 1,
    }
}

/// What upstream's `read_cpuinfo` reports about the CPUs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CpuInfoText {
    /// `model name` of the first CPU, `unknown` when absent.
    pub model: String,
    /// `vendor_id` of the first CPU, `unknown` when absent.
    pub vendor: String,
    /// `cpu family` of the first CPU, `0` when absent.
    pub family: String,
    /// `cpu MHz` of the first CPU as written, `0` when absent.
    pub mhz: String,
    /// `flags` of the first CPU.
    pub flags: String,
    /// `processor` entries.
    pub cpus: u64,
    /// Distinct physical ids (at least 1).
    pub sockets: u64,
    /// Sum of `cpu cores` per physical id (at least 1).
    pub cores: u64,
    /// `vmx` or `svm` among the flags.
    pub hvm: bool,
}

/// Parses `/proc/cpuinfo` as upstream does.
pub fn parse_cpuinfo(text: &str) -> CpuInfoText {
    let mut info = CpuInfoText {
        model: "unknown".into(),
        vendor: "unknown".into(),
        family: "0".into(),
        mhz: "0".into(),
        flags: String::new(),
        cpus: 0,
        sockets: 1,
        cores: 1,
        hvm: false,
    };
    let mut sockets: BTreeMap<String, u64> = BTreeMap::new();
    let mut current = "0".to_string();
    for line in text.lines() {
        let Some((key, value)) = line.split_once(':') else {
            continue;
        };
        let (key, value) = (key.trim().to_ascii_lowercase(), value.trim());
        match key.as_str() {
            "processor" => info.cpus += 1,
            "model name" if info.model == "unknown" => info.model = value.into(),
            "vendor_id" if info.vendor == "unknown" => info.vendor = value.into(),
            "cpu family" if info.family == "0" => info.family = value.into(),
            "cpu mhz" if info.mhz == "0" => info.mhz = value.into(),
            "flags" if info.flags.is_empty() => info.flags = value.into(),
            "physical id" => {
                current = value.to_string();
                sockets.entry(current.clone()).or_insert(1);
            }
            "cpu cores" => {
                if let (Some(slot), Ok(n)) = (sockets.get_mut(&current), value.parse()) {
                    *slot = n;
                }
            }
            _ => {}
        }
    }
    info.hvm = info
        .flags
        .split_whitespace()
        .any(|f| f == "vmx" || f == "svm");
    info.sockets = (sockets.len() as u64).max(1);
    info.cores = sockets.values().sum::<u64>().max(1);
    info
}

/// Memory figures in bytes, as upstream's `read_meminfo` derives them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct MemInfo {
    /// `MemTotal`.
    pub total: u64,
    /// `MemFree`.
    pub free: u64,
    /// `MemAvailable`.
    pub available: u64,
    /// Total minus available.
    pub used: u64,
    /// `SwapTotal`.
    pub swap_total: u64,
    /// `SwapFree`.
    pub swap_free: u64,
    /// Swap total minus swap free.
    pub swap_used: u64,
}

/// Parses `/proc/meminfo`.
pub fn parse_meminfo(text: &str) -> MemInfo {
    let m = virton_sys::facts::procfs::parse_meminfo(text);
    let get = |k: &str| m.get(k).copied().unwrap_or(0);
    let (total, available) = (get("MemTotal"), get("MemAvailable"));
    let (swap_total, swap_free) = (get("SwapTotal"), get("SwapFree"));
    MemInfo {
        total,
        free: get("MemFree"),
        available,
        used: total.saturating_sub(available),
        swap_total,
        swap_free,
        swap_used: swap_total.saturating_sub(swap_free),
    }
}
