//! `/cluster/status`: the cluster (when one is configured) and its nodes.

use crate::types::NoParams;
use crate::Context;
use virton_host::cluster::{cluster_status, ClusterStatusEntry};
use virton_router::{ApiError, ApiMethod, Permission, Router, RpcEnv};

fn read_cluster_status(
    ctx: &Context,
    _env: &RpcEnv,
    _p: NoParams,
) -> Result<Vec<ClusterStatusEntry>, ApiError> {
    Ok(cluster_status(&ctx.root, &ctx.store, &ctx.node))
}

/// Routes of `/cluster/status`.
pub fn router() -> Router<Context> {
    Router::new().get(
        ApiMethod::new(
            "Get cluster status information.",
            Permission::Perm {
                path: "/",
                privs: &["Sys.Audit"],
                any: false,
            },
            read_cluster_status,
        )
        .protected(),
    )
}
