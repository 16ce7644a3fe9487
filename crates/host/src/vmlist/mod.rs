//! The guest list ("vmlist"): every `etc/pve/nodes/<node>/{qemu-server,lxc}/<vmid>.conf`
//! with the settings the resource index needs.
//!
//! Reading 10,000 configs per request is too slow, so [`VmListCache`] keeps each file's
//! parsed entry keyed by its stamp (mtime, size, inode) and re-reads only files whose
//! stamp changed; directories whose own stamp did not change are not even listed
//! (except on a periodic sweep), and an unchanged tree returns the previous list. A
//! VMID found twice keeps its first entry in node-name order (as the cluster file
//! system does). Must not depend on the config grammars' strict checks: a broken
//! file still gives an entry.

mod parse;
#[cfg(test)]
mod tests;

pub use parse::{drive_size, parse_guest, parse_size};

use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::fs;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};
use virton_sys::HostRoot;

/// The kind of a guest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum GuestType {
    /// A QEMU virtual machine (`qemu-server/`).
    Qemu,
    /// An LXC container (`lxc/`).
    Lxc,
}

impl GuestType {
    /// `qemu` or `lxc`, as resource ids and types spell it.
    pub fn as_str(self) -> &'static str {
        match self {
            GuestType::Qemu => "qemu",
            GuestType::Lxc => "lxc",
        }
    }

    /// The config directory below a node directory.
    pub fn config_dir(self) -> &'static str {
        match self {
            GuestType::Qemu => "qemu-server",
            GuestType::Lxc => "lxc",
        }
    }
}

/// One guest of the list.
#[derive(Debug, Clone, PartialEq)]
pub struct GuestInfo {
    /// The VMID.
    pub vmid: u32,
    /// The node whose directory holds the config.
    pub node: String,
    /// VM or container.
    pub ty: GuestType,
    /// `name` (VM) or `hostname` (CT).
    pub name: Option<String>,
    /// The guest is a template.
    pub template: bool,
    /// Configured memory in bytes.
    pub maxmem: u64,
    /// Configured CPUs; `None` means all host CPUs (CT without `cores`).
    pub cpus: Option<f64>,
    /// `cpulimit`, when set and not 0.
    pub cpulimit: Option<f64>,
    /// Size of the boot disk (VM) or root file system (CT) in bytes.
    pub maxdisk: u64,
    /// `tags`, as written.
    pub tags: Option<String>,
    /// `lock`, as written.
    pub lock: Option<String>,
}

impl GuestInfo {
    /// CPUs the guest may use on a host with `host_cpus` CPUs: capped by the host and by
    /// `cpulimit` (containers).
    pub fn maxcpu(&self, host_cpus: u64) -> f64 {
        let host = host_cpus.max(1) as f64;
        let mut cpus = self.cpus.unwrap_or(host).min(host);
        if self.ty == GuestType::Lxc {
            if let Some(limit) = self.cpulimit {
                cpus = cpus.min(limit);
            }
        }
        cpus
    }
}

/// A snapshot of the guest list, by VMID.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct VmList {
    guests: BTreeMap<u32, Arc<GuestInfo>>,
}

impl VmList {
    /// The guest with this VMID.
    pub fn get(&self, vmid: u32) -> Option<&GuestInfo> {
        self.guests.get(&vmid).map(Arc::as_ref)
    }

    /// True when a config for `vmid` exists anywhere.
    pub fn contains(&self, vmid: u32) -> bool {
        self.guests.contains_key(&vmid)
    }

    /// All guests, by ascending VMID.
    pub fn iter(&self) -> impl Iterator<Item = &GuestInfo> {
        self.guests.values().map(Arc::as_ref)
    }

    /// Number of guests.
    pub fn len(&self) -> usize {
        self.guests.len()
    }

    /// True when there are no guests.
    pub fn is_empty(&self) -> bool {
        self.guests.is_empty()
    }
}

/// What identifies one version of a config file without reading it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stamp {
    mtime: i64,
    mtime_nsec: i64,
    size: u64,
    ino: u64,
}

impl Stamp {
    fn of(md: &fs::Metadata) -> Self {
        Stamp {
            mtime: md.mtime(),
            mtime_nsec: md.mtime_nsec(),
            size: md.len(),
            ino: md.ino(),
        }
    }
}

/// One scanned config directory: its own stamp and its configs in VMID order.
#[derive(Debug, Default, Clone)]
struct DirState {
    stamp: Option<Stamp>,
    entries: Vec<(PathBuf, Stamp, Arc<GuestInfo>)>,
}

#[derive(Debug, Default)]
struct CacheState {
    dirs: HashMap<PathBuf, DirState>,
    list: Arc<VmList>,
    last_sweep: Option<Instant>,
}

/// The guest list of one `etc/pve`, re-reading only changed configs.
///
/// A config directory whose own stamp is unchanged is taken as unchanged (creating,
/// removing or atomically replacing a file changes it); every [`SWEEP_INTERVAL`] all
/// files are stamped anyway, so in-place edits are seen within that time.
#[derive(Debug)]
pub struct VmListCache {
    nodes_dir: PathBuf,
    sweep_interval: Duration,
    state: Mutex<CacheState>,
}

/// How often every config file is stamped even when its directory looks unchanged.
pub const SWEEP_INTERVAL: Duration = Duration::from_secs(2);

impl VmListCache {
    /// A cache over `<etc_pve>/nodes`.
    pub fn new(etc_pve: &Path) -> Self {
        Self {
            nodes_dir: etc_pve.join("nodes"),
            sweep_interval: SWEEP_INTERVAL,
            state: Mutex::new(CacheState::default()),
        }
    }

    /// Stamps every file at least this often (tests use zero to always sweep).
    pub fn with_sweep_interval(mut self, interval: Duration) -> Self {
        self.sweep_interval = interval;
        self
    }

    /// The process-wide cache of `root` (one per root, created on first use).
    pub fn shared(root: &HostRoot) -> Arc<VmListCache> {
        static CACHES: OnceLock<Mutex<HashMap<PathBuf, Arc<VmListCache>>>> = OnceLock::new();
        let caches = CACHES.get_or_init(|| Mutex::new(HashMap::new()));
        let mut caches = caches.lock().unwrap_or_else(|e| e.into_inner());
        let etc_pve = root.etc_pve();
        Arc::clone(
            caches
                .entry(etc_pve.clone())
                .or_insert_with(|| Arc::new(VmListCache::new(&etc_pve))),
        )
    }

    /// The current list; only directories (or, on a sweep, files) that changed are
    /// read again, and an unchanged tree returns the previous list.
    pub fn snapshot(&self) -> Arc<VmList> {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let now = Instant::now();
        let sweep = state
            .last_sweep
            .is_none_or(|t| now.duration_since(t) >= self.sweep_interval);
        let mut old_dirs = std::mem::take(&mut state.dirs);
        let old_count = old_dirs.len();
        let mut dirs = HashMap::new();
        let mut order = Vec::new();
        let mut changed = false;
        for (node, node_dir) in sorted_subdirs(&self.nodes_dir) {
            for ty in [GuestType::Qemu, GuestType::Lxc] {
                let dir = node_dir.join(ty.config_dir());
                let old = old_dirs.remove(&dir);
                let (scanned, dir_changed) = scan_dir(&dir, ty, &node, old, sweep);
                changed |= dir_changed;
                order.push(dir.clone());
                dirs.insert(dir, scanned);
            }
        }
        changed |= dirs.len() != old_count;
        if sweep {
            state.last_sweep = Some(now);
        }
        if !changed {
            state.dirs = dirs;
            return Arc::clone(&state.list);
        }
        let mut guests = BTreeMap::new();
        for dir in &order {
            for (_, _, info) in dirs.get(dir).map(|d| d.entries.as_slice()).unwrap_or(&[]) {
                guests.entry(info.vmid).or_insert_with(|| Arc::clone(info));
            }
        }
        state.dirs = dirs;
        state.list = Arc::new(VmList { guests });
        Arc::clone(&state.list)
    }
}

/// Subdirectories of `dir` by name, sorted.
fn sorted_subdirs(dir: &Path) -> Vec<(String, PathBuf)> {
    let Ok(rd) = fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out: Vec<(String, PathBuf)> = rd
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .filter_map(|e| Some((e.file_name().into_string().ok()?, e.path())))
        .collect();
    out.sort();
    out
}

/// The VMID of a `<vmid>.conf` file name.
fn vmid_of(name: &str) -> Option<u32> {
    let stem = name.strip_suffix(".conf")?;
    if stem.is_empty() || !stem.bytes().all(|b| b.is_ascii_digit()) || stem.starts_with('0') {
        return None;
    }
    stem.parse().ok().filter(|v| *v >= 100)
}

/// The configs of one directory and whether they differ from `old`. The directory is
/// reused as it was when its stamp is unchanged and this is no sweep.
fn scan_dir(
    dir: &Path,
    ty: GuestType,
    node: &str,
    old: Option<DirState>,
    sweep: bool,
) -> (DirState, bool) {
    let stamp = fs::metadata(dir).ok().map(|md| Stamp::of(&md));
    let old = old.unwrap_or_default();
    if !sweep && old.stamp.is_some() && old.stamp == stamp {
        return (old, false);
    }
    let known: HashMap<&Path, (Stamp, &Arc<GuestInfo>)> = old
        .entries
        .iter()
        .map(|(p, s, i)| (p.as_path(), (*s, i)))
        .collect();
    let mut listed: Vec<(u32, PathBuf, Stamp)> = fs::read_dir(dir)
        .map(|rd| {
            rd.flatten()
                .filter_map(|e| {
                    let vmid = vmid_of(e.file_name().to_str()?)?;
                    let md = e.metadata().ok().filter(fs::Metadata::is_file)?;
                    Some((vmid, e.path(), Stamp::of(&md)))
                })
                .collect()
        })
        .unwrap_or_default();
    listed.sort_by_key(|(vmid, _, _)| *vmid);
    let mut changed = listed.len() != known.len();
    let mut entries = Vec::with_capacity(listed.len());
    for (vmid, path, file_stamp) in listed {
        let info = match known.get(path.as_path()) {
            Some((old, info)) if *old == file_stamp => Arc::clone(info),
            _ => {
                changed = true;
                let text = fs::read_to_string(&path).unwrap_or_default();
                Arc::new(parse_guest(ty, vmid, node, &text))
            }
        };
        entries.push((path, file_stamp, info));
    }
    (DirState { stamp, entries }, changed)
}

/// Whether a guest runs on this node: its QEMU pid file (`run/qemu-server/<vmid>.pid`)
/// names a live process. Containers are reported stopped until the LXC code tracks them.
pub fn guest_running(root: &HostRoot, ty: GuestType, vmid: u32) -> bool {
    if ty != GuestType::Qemu {
        return false;
    }
    let Ok(pidfile) = root.path(format!("run/qemu-server/{vmid}.pid")) else {
        return false;
    };
    let Some(pid) = fs::read_to_string(pidfile)
        .ok()
        .and_then(|t| t.trim().parse::<u32>().ok())
    else {
        return false;
    };
    root.proc(pid.to_string()).is_ok_and(|p| p.is_dir())
}
