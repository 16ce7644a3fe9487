//! `/cluster`: the cluster index and one module per subpath (`resources`, `status`,
//! `nextid`, `tasks`, `options`, `log`, `jobs`).

pub mod jobs;
pub mod log;
pub mod nextid;
pub mod options;
pub mod resources;
pub mod status;
pub mod tasks;

use crate::nodes::NameEntry;
use crate::types::NoParams;
use crate::Context;
use virton_router::{ApiError, ApiMethod, Permission, Router, RpcEnv};

/// The subdirectories of `/cluster` upstream lists, in its order.
pub const CLUSTER_SUBDIRS: &[&str] = &[
    "acme",
    "backup",
    "backup-info",
    "bulk-action",
    "ceph",
    "config",
    "firewall",
    "ha",
    "jobs",
    "log",
    "mapping",
    "metrics",
    "notifications",
    "nextid",
    "options",
    "qemu",
    "replication",
    "resources",
    "status",
    "tasks",
    "sdn",
];

fn cluster_index(_ctx: &Context, _env: &RpcEnv, _p: NoParams) -> Result<Vec<NameEntry>, ApiError> {
    Ok(CLUSTER_SUBDIRS
        .iter()
        .map(|n| NameEntry {
            name: (*n).to_string(),
        })
        .collect())
}

/// Routes of `/cluster`.
pub fn router() -> Router<Context> {
    Router::new()
        .get(ApiMethod::new(
            "Cluster index.",
            Permission::All,
            cluster_index,
        ))
        .subdir("jobs", jobs::router())
        .subdir("log", log::router())
        .subdir("nextid", nextid::router())
        .subdir("options", options::router())
        .subdir("resources", resources::router())
        .subdir("status", status::router())
        .subdir("tasks", tasks::router())
}
