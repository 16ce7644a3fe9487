//! The cluster-wide resource index (`GET /cluster/resources`): pools, guests, nodes,
//! storages and the local network zone, each shown only to callers holding the audit
//! privilege on it, in upstream's order and with upstream's ids.
//!
//! Live guest figures come from the statistics collector upstream; until ours exists a
//! guest is `running` only when the caller's probe says so, with zero usage figures.

use crate::cluster::Membership;
use crate::fs::fs_usage;
use crate::node::NodeSummary;
use crate::vmlist::{GuestInfo, GuestType, VmList};
use serde::{Deserialize, Serialize, Serializer};
use std::collections::HashMap;
use virton_access::Permissions;
use virton_config::storage::{StorageConfig, StorageEntry};
use virton_config::user_cfg::{UserConfig, ROOT_USER};
use virton_schema::ApiType;
use virton_sys::HostRoot;

/// The `type` filter of the request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, ApiType)]
#[serde(rename_all = "lowercase")]
pub enum ResourceType {
    /// Guests.
    Vm,
    /// Storages per node.
    Storage,
    /// Nodes.
    Node,
    /// SDN zones.
    Sdn,
}

/// Writes whole numbers as JSON integers (clients decode `maxcpu` into ints).
fn whole_number<S: Serializer>(v: &Option<f64>, s: S) -> Result<S::Ok, S::Error> {
    match v {
        Some(x) if x.fract() == 0.0 && x.abs() < 9.0e15 => s.serialize_i64(*x as i64),
        Some(x) => s.serialize_f64(*x),
        None => s.serialize_none(),
    }
}

/// One entry of the resource index; which fields are set depends on the type.
#[derive(Debug, Clone, Default, PartialEq, Serialize, ApiType)]
pub struct ResourceEntry {
    /// Resource id (`qemu/100`, `node/n1`, `storage/n1/local`, `/pool/p`).
    pub id: String,
    /// `node`, `storage`, `pool`, `qemu`, `lxc`, `sdn` or `network`.
    #[serde(rename = "type")]
    pub ty: String,
    /// Type dependent status.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// Guest name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Node of a node, storage or guest.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub node: Option<String>,
    /// Storage id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub storage: Option<String>,
    /// Pool name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pool: Option<String>,
    /// Numerical VMID.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vmid: Option<u32>,
    /// CPU usage (fraction).
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "whole_number"
    )]
    pub cpu: Option<f64>,
    /// Available CPUs.
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "whole_number"
    )]
    pub maxcpu: Option<f64>,
    /// Used memory in bytes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mem: Option<u64>,
    /// Available memory in bytes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub maxmem: Option<u64>,
    /// Used disk space in bytes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub disk: Option<u64>,
    /// Disk size in bytes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub maxdisk: Option<u64>,
    /// Uptime in seconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uptime: Option<u64>,
    /// Bytes received by the guest.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub netin: Option<u64>,
    /// Bytes sent by the guest.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub netout: Option<u64>,
    /// Bytes the guest read from its disks.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub diskread: Option<u64>,
    /// Bytes the guest wrote to its disks.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub diskwrite: Option<u64>,
    /// The guest is a template.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub template: Option<bool>,
    /// Guest tags.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tags: Option<String>,
    /// Guest config lock.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lock: Option<String>,
    /// Subscription level (nodes).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level: Option<String>,
    /// Allowed content types (storages).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub content: Option<String>,
    /// The storage is shared.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shared: Option<bool>,
    /// Storage type.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub plugintype: Option<String>,
    /// Network entity name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub network: Option<String>,
    /// Network entity type.
    #[serde(rename = "network-type", skip_serializing_if = "Option::is_none")]
    pub network_type: Option<String>,
}

/// The inputs of one resource listing.
pub struct ResourceQuery<'a> {
    /// Only this kind of resource.
    pub ty: Option<ResourceType>,
    /// The caller.
    pub authid: &'a str,
    /// `user.cfg` (permissions and pools).
    pub users: &'a UserConfig,
    /// The guest list.
    pub vmlist: &'a VmList,
    /// `storage.cfg`.
    pub storage: &'a StorageConfig,
    /// The cluster members.
    pub membership: &'a Membership,
    /// Host root (storage paths are below it).
    pub root: &'a HostRoot,
    /// Figures of this node.
    pub local: NodeSummary,
    /// Whether a guest runs.
    pub running: &'a dyn Fn(GuestType, u32) -> bool,
}

struct Access<'a> {
    authid: &'a str,
    perms: Permissions<'a>,
}

impl Access<'_> {
    fn can(&self, path: &str, privilege: &str) -> bool {
        self.authid == ROOT_USER
            || self
                .perms
                .check(self.authid, path, &[privilege], true)
                .is_ok()
    }
}

/// The resource index for `q`.
pub fn cluster_resources(q: &ResourceQuery<'_>) -> Vec<ResourceEntry> {
    let access = Access {
        authid: q.authid,
        perms: Permissions::new(q.users),
    };
    let mut out = Vec::new();
    if q.ty.is_none() {
        pool_entries(q, &access, &mut out);
    }
    if matches!(q.ty, None | Some(ResourceType::Vm)) {
        guest_entries(q, &access, &mut out);
    }
    if matches!(q.ty, None | Some(ResourceType::Node)) {
        node_entries(q, &access, &mut out);
    }
    if matches!(q.ty, None | Some(ResourceType::Storage)) {
        storage_entries(q, &access, &mut out);
    }
    if q.ty.is_none() && access.can("/sdn/zones/localnetwork", "SDN.Audit") {
        for m in &q.membership.members {
            out.push(ResourceEntry {
                id: format!("network/{}/zone/localnetwork", m.name),
                ty: "network".into(),
                network: Some("localnetwork".into()),
                network_type: Some("zone".into()),
                node: Some(m.name.clone()),
                status: Some("ok".into()),
                ..Default::default()
            });
        }
    }
    out
}

fn pool_entries(q: &ResourceQuery<'_>, access: &Access<'_>, out: &mut Vec<ResourceEntry>) {
    for name in q.users.pools.keys() {
        if access.can(&format!("/pool/{name}"), "Pool.Audit") {
            out.push(ResourceEntry {
                id: format!("/pool/{name}"),
                ty: "pool".into(),
                pool: Some(name.clone()),
                ..Default::default()
            });
        }
    }
}

fn guest_entries(q: &ResourceQuery<'_>, access: &Access<'_>, out: &mut Vec<ResourceEntry>) {
    let pool_of: HashMap<u64, &str> = q
        .users
        .pools
        .iter()
        .flat_map(|(name, p)| p.vms.iter().map(move |v| (*v, name.as_str())))
        .collect();
    // Upstream sorts VMIDs as strings.
    let mut guests: Vec<(String, &GuestInfo)> =
        q.vmlist.iter().map(|g| (g.vmid.to_string(), g)).collect();
    guests.sort_by(|a, b| a.0.cmp(&b.0));
    for (vmid, g) in guests {
        if !access.can(&format!("/vms/{vmid}"), "VM.Audit") {
            continue;
        }
        let mut entry = guest_entry(g, (q.running)(g.ty, g.vmid), q.local.maxcpu);
        entry.pool = pool_of
            .get(&u64::from(g.vmid))
            .filter(|p| access.can(&format!("/pool/{p}"), "Pool.Audit"))
            .map(|p| p.to_string());
        out.push(entry);
    }
}

/// The entry of one guest; usage figures are zero until statistics exist.
pub fn guest_entry(g: &GuestInfo, running: bool, host_cpus: u64) -> ResourceEntry {
    ResourceEntry {
        id: format!("{}/{}", g.ty.as_str(), g.vmid),
        ty: g.ty.as_str().into(),
        status: Some(if running { "running" } else { "stopped" }.into()),
        name: g.name.clone(),
        node: Some(g.node.clone()),
        vmid: Some(g.vmid),
        cpu: Some(0.0),
        maxcpu: Some(g.maxcpu(host_cpus)),
        mem: Some(0),
        maxmem: Some(g.maxmem),
        disk: Some(0),
        maxdisk: Some(g.maxdisk),
        uptime: Some(0),
        netin: Some(0),
        netout: Some(0),
        diskread: Some(0),
        diskwrite: Some(0),
        template: Some(g.template),
        tags: g.tags.clone(),
        lock: g.lock.clone(),
        ..Default::default()
    }
}

fn node_entries(q: &ResourceQuery<'_>, access: &Access<'_>, out: &mut Vec<ResourceEntry>) {
    for m in &q.membership.members {
        let audit = access.can(&format!("/nodes/{}", m.name), "Sys.Audit");
        out.push(node_entry(
            &m.name,
            m.local,
            m.online,
            audit.then_some(&q.local),
        ));
    }
}

/// The entry of a node; `stats` only for callers who may audit it (and only this
/// node's are known).
pub fn node_entry(
    name: &str,
    local: bool,
    online: bool,
    stats: Option<&NodeSummary>,
) -> ResourceEntry {
    let mut entry = ResourceEntry {
        id: format!("node/{name}"),
        ty: "node".into(),
        node: Some(name.to_string()),
        status: Some(if online { "online" } else { "unknown" }.into()),
        ..Default::default()
    };
    if !local {
        return entry;
    }
    entry.level = Some(String::new());
    if let Some(s) = stats {
        entry.cpu = Some(s.cpu);
        entry.maxcpu = Some(s.maxcpu as f64);
        entry.mem = Some(s.mem);
        entry.maxmem = Some(s.maxmem);
        entry.disk = Some(s.disk);
        entry.maxdisk = Some(s.maxdisk);
        entry.uptime = Some(s.uptime);
    }
    entry
}

fn storage_entries(q: &ResourceQuery<'_>, access: &Access<'_>, out: &mut Vec<ResourceEntry>) {
    let mut ids: Vec<StorageEntry<'_>> = q.storage.entries().collect();
    ids.sort_by_key(|s| s.id());
    for s in ids {
        if !access.can(&format!("/storage/{}", s.id()), "Datastore.Audit") || s.disabled() {
            continue;
        }
        for m in &q.membership.members {
            if s.available_on(&m.name) {
                out.push(storage_entry(&s, &m.name, m.local.then_some(q.root)));
            }
        }
    }
}

/// The entry of a storage on a node; sizes are read for path-based local storages.
pub fn storage_entry(
    s: &StorageEntry<'_>,
    node: &str,
    local_root: Option<&HostRoot>,
) -> ResourceEntry {
    let content: Vec<String> = s.content().into_iter().collect();
    let mut entry = ResourceEntry {
        id: format!("storage/{node}/{}", s.id()),
        ty: "storage".into(),
        storage: Some(s.id().to_string()),
        node: Some(node.to_string()),
        plugintype: Some(s.storage_type().to_string()),
        status: Some("unknown".into()),
        shared: Some(s.shared()),
        content: Some(content.join(",")),
        ..Default::default()
    };
    let usage = local_root
        .filter(|_| matches!(s.storage_type(), "dir" | "btrfs"))
        .zip(s.path())
        .and_then(|(root, path)| root.path(path.trim_start_matches('/')).ok())
        .filter(|p| p.is_dir())
        .and_then(|p| fs_usage(&p).ok());
    if let Some(u) = usage {
        entry.maxdisk = Some(u.total);
        entry.disk = Some(u.used);
        entry.status = Some("available".into());
    }
    entry
}
