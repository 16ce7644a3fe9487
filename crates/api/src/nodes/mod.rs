//! `/nodes`: the node list and, below `/nodes/{node}`, one module per subpath
//! (`status`, `tasks`). Also the code-checked permission helpers the node and cluster
//! handlers share.

pub mod status;
pub mod tasks;

use crate::types::{NoParams, NodeParam};
use crate::Context;
use serde::Serialize;
use virton_access::Permissions;
use virton_config::user_cfg::{UserConfig, ROOT_USER};
use virton_host::{cluster, NodeStatusReader};
use virton_router::{ApiError, ApiMethod, Permission, Router, RpcEnv};
use virton_schema::ApiType;

/// The subdirectories of `/nodes/{node}` upstream lists, in its order.
pub const NODE_SUBDIRS: &[&str] = &[
    "aplinfo",
    "apt",
    "capabilities",
    "ceph",
    "certificates",
    "config",
    "disks",
    "dns",
    "firewall",
    "hardware",
    "hosts",
    "journal",
    "lxc",
    "migrateall",
    "netstat",
    "network",
    "qemu",
    "query-oci-repo-tags",
    "query-url-metadata",
    "replication",
    "report",
    "rrd",
    "rrddata",
    "scan",
    "sdn",
    "services",
    "spiceshell",
    "startall",
    "status",
    "stopall",
    "storage",
    "subscription",
    "suspendall",
    "syslog",
    "tasks",
    "termproxy",
    "time",
    "version",
    "vncshell",
    "vzdump",
    "wakeonlan",
];

/// Reads `user.cfg` for a code-checked permission decision.
pub(crate) fn user_config(ctx: &Context) -> Result<UserConfig, ApiError> {
    use crate::error::OrApi;
    let (doc, _) = ctx.store.read::<UserConfig>("user.cfg").or_api()?;
    Ok(doc.into_inner())
}

/// True when `authid` holds `privilege` on `path` (upstream's `check(..., noerr)`).
pub(crate) fn has_priv(users: &UserConfig, authid: &str, path: &str, privilege: &str) -> bool {
    authid == ROOT_USER
        || Permissions::new(users)
            .check(authid, path, &[privilege], true)
            .is_ok()
}

/// One entry of `GET /nodes`.
#[derive(Debug, Serialize, ApiType)]
pub struct NodeListEntry {
    /// `node/<name>`.
    pub id: String,
    /// Always `node`.
    #[serde(rename = "type")]
    pub ty: String,
    /// The node name.
    pub node: String,
    /// `online`, `offline` or `unknown`.
    pub status: String,
    /// CPU usage (fraction).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cpu: Option<f64>,
    /// Logical CPUs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub maxcpu: Option<u64>,
    /// Used memory in bytes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mem: Option<u64>,
    /// Total memory in bytes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub maxmem: Option<u64>,
    /// Used root file system bytes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub disk: Option<u64>,
    /// Root file system size in bytes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub maxdisk: Option<u64>,
    /// Seconds since boot.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uptime: Option<u64>,
    /// Subscription level.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level: Option<String>,
    /// SHA-256 fingerprint of the node certificate.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ssl_fingerprint: Option<String>,
}

fn list_nodes(ctx: &Context, env: &RpcEnv, _p: NoParams) -> Result<Vec<NodeListEntry>, ApiError> {
    let authid = env.caller()?;
    let users = user_config(ctx)?;
    let members = cluster::membership(&ctx.store, &ctx.node).members;
    let local = members
        .iter()
        .any(|m| m.local)
        .then(|| NodeStatusReader::new(ctx.root.clone()).read().summary());
    Ok(members
        .into_iter()
        .map(|m| {
            let audit = has_priv(&users, authid, &format!("/nodes/{}", m.name), "Sys.Audit");
            let stats = local.filter(|_| m.local && audit);
            NodeListEntry {
                id: format!("node/{}", m.name),
                ty: "node".into(),
                status: if m.online { "online" } else { "unknown" }.into(),
                cpu: stats.map(|s| s.cpu),
                maxcpu: stats.map(|s| s.maxcpu),
                mem: stats.map(|s| s.mem),
                maxmem: stats.map(|s| s.maxmem),
                disk: stats.map(|s| s.disk),
                maxdisk: stats.map(|s| s.maxdisk),
                uptime: stats.map(|s| s.uptime),
                level: m.local.then(String::new),
                ssl_fingerprint: cluster::node_fingerprint(&ctx.root, &m.name),
                node: m.name,
            }
        })
        .collect())
}

/// One entry of the `/nodes/{node}` index.
#[derive(Debug, Serialize, ApiType)]
pub struct NameEntry {
    /// Name of the subdirectory.
    pub name: String,
}

fn node_index(_ctx: &Context, _env: &RpcEnv, _p: NodeParam) -> Result<Vec<NameEntry>, ApiError> {
    Ok(NODE_SUBDIRS
        .iter()
        .map(|n| NameEntry {
            name: (*n).to_string(),
        })
        .collect())
}

/// Routes of `/nodes`.
pub fn router() -> Router<Context> {
    let node = Router::new()
        .get(ApiMethod::new("Node index.", Permission::All, node_index))
        .subdir("status", status::router())
        .subdir("tasks", tasks::router());
    Router::new()
        .get(ApiMethod::new(
            "Cluster node index.",
            Permission::All,
            list_nodes,
        ))
        .param("node", node)
}
