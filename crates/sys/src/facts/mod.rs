//! Host facts: what this node's hardware and software can do (QEMU version and
//! machine types, KVM usability, CPU, memory, kernel), gathered by one probe.
//!
//! A JSON file can stand in for the probe so that tests and test clusters see
//! reproducible facts: `$VIRTON_HOST_FACTS`, else `<root>/etc/virton/host-facts.json`.
//! Parsing of procfs and QEMU output is pure (see [`procfs`] and [`qemu`]); the
//! side effects are file reads, the [`CommandRunner`] and the KVM probe.

pub mod kvm;
pub mod procfs;
pub mod qemu;

use crate::command::{CommandRunner, CommandSpec};
use crate::root::HostRoot;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Environment variable naming a facts file that replaces the probe.
pub const FACTS_ENV: &str = "VIRTON_HOST_FACTS";

/// The QEMU binary the probe asks.
pub const QEMU_BINARY: &str = "qemu-system-x86_64";

const QEMU_TIMEOUT: Duration = Duration::from_secs(10);

/// Whether KVM hardware acceleration can run guests here.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(tag = "state", rename_all = "kebab-case")]
pub enum KvmState {
    /// A test guest ran to its `hlt` instruction.
    Usable,
    /// `/dev/kvm` exists but a guest cannot run; `reason` says why.
    Unusable {
        /// Human-readable cause.
        reason: String,
    },
    /// No `/dev/kvm` on this host.
    #[default]
    Absent,
}

impl KvmState {
    /// Whether guests can use KVM acceleration.
    pub fn is_usable(&self) -> bool {
        matches!(self, KvmState::Usable)
    }
}

/// Facts about this host, as probed or as loaded from an override file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default, rename_all = "kebab-case")]
pub struct HostFacts {
    /// QEMU version `(major, minor, micro)`, `None` when QEMU is not installed.
    pub qemu_version: Option<(u32, u32, u32)>,
    /// Machine types QEMU supports (`pc`, `q35`, `pc-i440fx-8.1`, ...).
    pub qemu_machines: Vec<String>,
    /// KVM usability.
    pub kvm: KvmState,
    /// CPU vendor id (`GenuineIntel`, `AuthenticAMD`).
    pub cpu_vendor: String,
    /// CPU model name.
    pub cpu_model_name: String,
    /// CPU feature flags.
    pub cpu_flags: Vec<String>,
    /// Logical CPUs.
    pub cpus: u32,
    /// CPU sockets.
    pub sockets: u32,
    /// Physical cores over all sockets.
    pub cores: u32,
    /// Total memory in bytes.
    pub memory_bytes: u64,
    /// Kernel release (`uname -r`).
    pub kernel_release: String,
    /// Machine architecture (`x86_64`).
    pub arch: String,
    /// What the probe could not find out, one line each.
    pub warnings: Vec<String>,
}

/// Loading an override facts file failed.
#[derive(Debug, thiserror::Error)]
pub enum FactsError {
    /// The file could not be read.
    #[error("unable to read host facts file '{}'", path.display())]
    Read {
        /// The facts file.
        path: PathBuf,
        /// The underlying system error.
        #[source]
        source: std::io::Error,
    },
    /// The file is not valid facts JSON.
    #[error("unable to parse host facts file '{}'", path.display())]
    Parse {
        /// The facts file.
        path: PathBuf,
        /// The JSON error.
        #[source]
        source: serde_json::Error,
    },
}

impl HostFacts {
    /// Facts from the override file if there is one, else from a live probe.
    pub fn probe(root: &HostRoot, runner: &dyn CommandRunner) -> Result<HostFacts, FactsError> {
        match override_path(root) {
            Some(path) => Self::load(&path),
            None => Ok(Self::probe_live(root, runner)),
        }
    }

    /// Load facts from a JSON file (missing keys take their defaults).
    pub fn load(path: &Path) -> Result<HostFacts, FactsError> {
        let text = std::fs::read_to_string(path).map_err(|source| FactsError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        serde_json::from_str(&text).map_err(|source| FactsError::Parse {
            path: path.to_path_buf(),
            source,
        })
    }

    /// Probe the host now, ignoring any override file. Never fails: what cannot
    /// be determined stays at its default and is noted in `warnings`.
    pub fn probe_live(root: &HostRoot, runner: &dyn CommandRunner) -> HostFacts {
        let mut facts = HostFacts {
            arch: std::env::consts::ARCH.to_string(),
            ..Default::default()
        };
        facts.probe_qemu(runner);
        facts.probe_procfs(root);
        facts.kvm = match root.dev("kvm") {
            Ok(dev) => kvm::probe(&dev, kvm::DEFAULT_TIMEOUT),
            Err(err) => KvmState::Unusable {
                reason: err.to_string(),
            },
        };
        facts
    }

    fn probe_qemu(&mut self, runner: &dyn CommandRunner) {
        let ask = |arg: &[&str]| {
            let argv = std::iter::once(QEMU_BINARY).chain(arg.iter().copied());
            runner
                .run(&CommandSpec::new(argv).timeout(QEMU_TIMEOUT))
                .map(|o| o.stdout_text())
        };
        match ask(&["--version"]) {
            Ok(text) => self.qemu_version = qemu::parse_version(&text),
            Err(err) => {
                self.warnings.push(format!("QEMU not available: {err}"));
                return;
            }
        }
        if self.qemu_version.is_none() {
            self.warnings
                .push("unable to parse QEMU version".to_string());
        }
        match ask(&["-machine", "help"]) {
            Ok(text) => self.qemu_machines = qemu::parse_machine_help(&text),
            Err(err) => self
                .warnings
                .push(format!("unable to list QEMU machines: {err}")),
        }
    }

    fn probe_procfs(&mut self, root: &HostRoot) {
        match read_proc(root, "cpuinfo") {
            Ok(text) => {
                let cpu = procfs::parse_cpuinfo(&text);
                self.cpu_vendor = cpu.vendor;
                self.cpu_model_name = cpu.model_name;
                self.cpu_flags = cpu.flags;
                self.cpus = cpu.cpus;
                self.sockets = cpu.sockets;
                self.cores = cpu.cores;
            }
            Err(err) => self.warnings.push(err),
        }
        match read_proc(root, "meminfo") {
            Ok(text) => {
                self.memory_bytes = procfs::parse_meminfo(&text)
                    .get("MemTotal")
                    .copied()
                    .unwrap_or(0)
            }
            Err(err) => self.warnings.push(err),
        }
        match read_proc(root, "sys/kernel/osrelease") {
            Ok(text) => self.kernel_release = text.trim().to_string(),
            Err(err) => self.warnings.push(err),
        }
    }
}

fn read_proc(root: &HostRoot, rel: &str) -> Result<String, String> {
    let path = root.proc(rel).map_err(|e| e.to_string())?;
    std::fs::read_to_string(&path).map_err(|e| format!("unable to read '{}' - {e}", path.display()))
}

fn override_path(root: &HostRoot) -> Option<PathBuf> {
    if let Some(path) = std::env::var_os(FACTS_ENV).filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(path));
    }
    let path = root.etc_virton().join("host-facts.json");
    path.is_file().then_some(path)
}

#[cfg(test)]
mod tests;
