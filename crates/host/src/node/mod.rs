//! The status of this node (`GET /nodes/{node}/status` and the node figures of
//! `/nodes` and `/cluster/resources`), read from procfs, sysfs and statvfs.
//!
//! CPU usage is a difference between two readings of `/proc/stat`, so the reader keeps
//! the last reading per procfs directory (upstream keeps it per process, too): the first
//! call reports 0. Parsing is pure ([`procfs`]); this module does the reads.

pub mod procfs;
#[cfg(test)]
mod tests;

use crate::fs::fs_usage;
use procfs::CpuTimes;
use serde::Serialize;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};
use std::time::Instant;
use virton_schema::ApiType;
use virton_sys::HostRoot;

/// Clock ticks per second, as upstream reports (`user_hz`).
pub const USER_HZ: u64 = 100;

/// `cpuinfo` of the node status.
#[derive(Debug, Clone, PartialEq, Serialize, ApiType)]
pub struct CpuInfo {
    /// Clock ticks per second.
    pub user_hz: u64,
    /// CPU model name.
    pub model: String,
    /// CPU vendor id.
    pub vendor: String,
    /// CPU family number as the kernel writes it.
    pub family: String,
    /// Clock of the first CPU in MHz, as the kernel writes it.
    pub mhz: String,
    /// CPU feature flags, space separated.
    pub flags: String,
    /// Logical CPUs.
    pub cpus: u64,
    /// CPU sockets.
    pub sockets: u64,
    /// Physical cores over all sockets.
    pub cores: u64,
    /// `1` with hardware virtualization (vmx/svm), else empty (upstream's quirk).
    pub hvm: String,
}

/// `memory` of the node status, in bytes.
#[derive(Debug, Clone, PartialEq, Serialize, ApiType)]
pub struct MemoryUsage {
    /// Total memory.
    pub total: u64,
    /// Used memory (total minus available).
    pub used: u64,
    /// Free memory.
    pub free: u64,
    /// Memory available for new work.
    pub available: u64,
}

/// `swap` of the node status, in bytes.
#[derive(Debug, Clone, PartialEq, Serialize, ApiType)]
pub struct SwapUsage {
    /// Total swap.
    pub total: u64,
    /// Used swap.
    pub used: u64,
    /// Free swap.
    pub free: u64,
}

/// `rootfs` of the node status, in bytes.
#[derive(Debug, Clone, PartialEq, Serialize, ApiType)]
pub struct RootFsUsage {
    /// Size of the root file system.
    pub total: u64,
    /// Used bytes.
    pub used: u64,
    /// Bytes available to unprivileged users.
    pub avail: u64,
    /// Free bytes (total minus used).
    pub free: u64,
}

/// `ksm` of the node status.
#[derive(Debug, Clone, PartialEq, Serialize, ApiType)]
pub struct KsmUsage {
    /// Bytes shared by kernel same-page merging.
    pub shared: u64,
}

/// `current-kernel` of the node status.
#[derive(Debug, Clone, PartialEq, Serialize, ApiType)]
pub struct KernelInfo {
    /// Kernel name (`Linux`).
    pub sysname: String,
    /// Kernel release.
    pub release: String,
    /// Kernel build version.
    pub version: String,
    /// Machine architecture.
    pub machine: String,
}

/// `boot-info` of the node status.
#[derive(Debug, Clone, PartialEq, Serialize, ApiType)]
pub struct BootInfo {
    /// `efi` or `legacy-bios`.
    pub mode: String,
    /// Secure boot is on (EFI only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secureboot: Option<bool>,
}

/// The reply of `GET /nodes/{node}/status`.
#[derive(Debug, Clone, PartialEq, Serialize, ApiType)]
pub struct NodeStatus {
    /// Seconds since boot.
    pub uptime: u64,
    /// Always 0, as upstream reports it.
    pub idle: u64,
    /// Load averages over 1, 5 and 15 minutes.
    pub loadavg: Vec<String>,
    /// `<sysname> <release> <version>` of the running kernel.
    pub kversion: String,
    /// The running kernel.
    #[serde(rename = "current-kernel")]
    pub current_kernel: KernelInfo,
    /// How the node booted.
    #[serde(rename = "boot-info")]
    pub boot_info: BootInfo,
    /// CPU model and topology.
    pub cpuinfo: CpuInfo,
    /// CPU usage since the previous reading (fraction of all CPUs).
    pub cpu: f64,
    /// I/O wait since the previous reading (fraction).
    pub wait: f64,
    /// Memory usage.
    pub memory: MemoryUsage,
    /// Kernel same-page merging.
    pub ksm: KsmUsage,
    /// Swap usage.
    pub swap: SwapUsage,
    /// Version string of the management stack (`pve-manager/<version>/<build>`).
    pub pveversion: String,
    /// Root file system usage.
    pub rootfs: RootFsUsage,
}

/// The node figures `/nodes` and `/cluster/resources` show.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct NodeSummary {
    /// CPU usage (fraction).
    pub cpu: f64,
    /// Logical CPUs.
    pub maxcpu: u64,
    /// Used memory in bytes.
    pub mem: u64,
    /// Total memory in bytes.
    pub maxmem: u64,
    /// Used bytes of the root file system.
    pub disk: u64,
    /// Size of the root file system.
    pub maxdisk: u64,
    /// Seconds since boot.
    pub uptime: u64,
}

impl NodeStatus {
    /// The summary figures of this status.
    pub fn summary(&self) -> NodeSummary {
        NodeSummary {
            cpu: self.cpu,
            maxcpu: self.cpuinfo.cpus,
            mem: self.memory.used,
            maxmem: self.memory.total,
            disk: self.rootfs.used,
            maxdisk: self.rootfs.total,
            uptime: self.uptime,
        }
    }
}

/// A reading of `/proc/stat` and when it was taken.
#[derive(Debug, Clone, Copy)]
struct Sample {
    times: CpuTimes,
    at: Instant,
    cpu: f64,
    wait: f64,
}

/// Last CPU readings by `/proc/stat` path, shared by all readers of the process.
fn samples() -> &'static Mutex<HashMap<PathBuf, Sample>> {
    static SAMPLES: OnceLock<Mutex<HashMap<PathBuf, Sample>>> = OnceLock::new();
    SAMPLES.get_or_init(|| Mutex::new(HashMap::new()))
}

/// Reads the node status below a host root.
#[derive(Debug, Clone)]
pub struct NodeStatusReader {
    root: HostRoot,
    sys_dir: PathBuf,
}

impl NodeStatusReader {
    /// A reader over `root`'s procfs, the kernel's `/sys` and statvfs of the root dir.
    pub fn new(root: HostRoot) -> Self {
        Self {
            root,
            sys_dir: PathBuf::from("/sys"),
        }
    }

    /// Reads sysfs from `dir` instead of `/sys` (fixtures in tests).
    pub fn with_sys_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.sys_dir = dir.into();
        self
    }

    fn proc_text(&self, rel: &str) -> String {
        self.root
            .proc(rel)
            .ok()
            .and_then(|p| std::fs::read_to_string(p).ok())
            .unwrap_or_default()
    }

    fn sys_text(&self, rel: &str) -> Option<String> {
        std::fs::read_to_string(self.sys_dir.join(rel)).ok()
    }

    /// The whole status; `pveversion` is left empty for the caller to fill in.
    pub fn read(&self) -> NodeStatus {
        let (cpu, wait) = self.cpu_usage();
        let mem = procfs::parse_meminfo(&self.proc_text("meminfo"));
        let root = fs_usage(self.root.dir()).unwrap_or_default();
        let kernel = self.kernel();
        NodeStatus {
            uptime: procfs::parse_uptime(&self.proc_text("uptime")),
            idle: 0,
            loadavg: procfs::parse_loadavg(&self.proc_text("loadavg")).to_vec(),
            kversion: format!("{} {} {}", kernel.sysname, kernel.release, kernel.version),
            current_kernel: kernel,
            boot_info: self.boot_info(),
            cpuinfo: self.cpuinfo(),
            cpu,
            wait,
            memory: MemoryUsage {
                total: mem.total,
                used: mem.used,
                free: mem.free,
                available: mem.available,
            },
            ksm: KsmUsage {
                shared: self.ksm_shared(),
            },
            swap: SwapUsage {
                total: mem.swap_total,
                used: mem.swap_used,
                free: mem.swap_free,
            },
            pveversion: String::new(),
            rootfs: RootFsUsage {
                total: root.total,
                used: root.used,
                avail: root.avail,
                free: root.total.saturating_sub(root.used),
            },
        }
    }

    /// Logical CPUs, counted cheaply from the per-CPU lines of `stat`.
    pub fn cpu_count(&self) -> u64 {
        procfs::parse_proc_stat(&self.proc_text("stat")).cpus
    }

    /// CPU model and topology from `cpuinfo`.
    pub fn cpuinfo(&self) -> CpuInfo {
        let c = procfs::parse_cpuinfo(&self.proc_text("cpuinfo"));
        CpuInfo {
            user_hz: USER_HZ,
            model: c.model,
            vendor: c.vendor,
            family: c.family,
            mhz: c.mhz,
            flags: c.flags,
            cpus: c.cpus,
            sockets: c.sockets,
            cores: c.cores,
            hvm: if c.hvm { "1".into() } else { String::new() },
        }
    }

    fn kernel(&self) -> KernelInfo {
        let line = |rel: &str| self.proc_text(rel).trim_end().to_string();
        KernelInfo {
            sysname: line("sys/kernel/ostype"),
            release: line("sys/kernel/osrelease"),
            version: line("sys/kernel/version"),
            machine: std::env::consts::ARCH.to_string(),
        }
    }

    fn boot_info(&self) -> BootInfo {
        let efi = self.sys_dir.join("firmware/efi");
        if !efi.is_dir() {
            return BootInfo {
                mode: "legacy-bios".into(),
                secureboot: None,
            };
        }
        let var = efi.join("efivars/SecureBoot-8be4df61-93ca-11d2-aa0d-00e098032b8c");
        // The variable is 4 bytes of attributes followed by the value byte.
        let secureboot = std::fs::read(var).ok().map(|b| b.get(4) == Some(&1));
        BootInfo {
            mode: "efi".into(),
            secureboot,
        }
    }

    fn ksm_shared(&self) -> u64 {
        self.sys_text("kernel/mm/ksm/pages_sharing")
            .and_then(|t| t.trim().parse::<u64>().ok())
            .unwrap_or(0)
            .saturating_mul(4096)
    }

    /// CPU and I/O-wait fractions since the previous reading of this procfs.
    fn cpu_usage(&self) -> (f64, f64) {
        let Ok(path) = self.root.proc("stat") else {
            return (0.0, 0.0);
        };
        let times = procfs::parse_proc_stat(&std::fs::read_to_string(&path).unwrap_or_default());
        let mut all = samples().lock().unwrap_or_else(|e| e.into_inner());
        let now = Instant::now();
        let sample = next_sample(all.get(&path).copied(), times, now);
        all.insert(path, sample);
        (sample.cpu, sample.wait)
    }

    /// The procfs directory this reader uses (for tests and diagnostics).
    pub fn proc_dir(&self) -> Option<PathBuf> {
        self.root
            .proc("stat")
            .ok()
            .and_then(|p| p.parent().map(Path::to_path_buf))
    }
}

/// Upstream's rule: a new difference only when more than 1000 ticks (over all CPUs)
/// passed since the last one, else the last figures again.
fn next_sample(last: Option<Sample>, times: CpuTimes, now: Instant) -> Sample {
    let Some(last) = last else {
        return Sample {
            times,
            at: now,
            cpu: 0.0,
            wait: 0.0,
        };
    };
    let elapsed = now.duration_since(last.at).as_secs_f64();
    let diff = elapsed * USER_HZ as f64 * times.cpus as f64;
    if diff <= 1000.0 {
        return last;
    }
    let total = (times.total.saturating_sub(last.times.total) as f64).min(diff);
    let used = (times.used.saturating_sub(last.times.used) as f64).min(diff);
    let wait = (times.iowait.saturating_sub(last.times.iowait) as f64).min(diff);
    let frac = |x: f64| if total > 0.0 { x / total } else { 0.0 };
    Sample {
        times,
        at: now,
        cpu: frac(used),
        wait: frac(wait),
    }
}
