//! `/nodes/{node}/status`: the node's CPU, memory, disk, load and kernel figures.
//! (The reboot/shutdown POST is not offered: it would act on the host itself.)

use crate::types::NodeParam;
use crate::version::PVE_COMPAT_VERSION;
use crate::Context;
use virton_host::{NodeStatus, NodeStatusReader};
use virton_router::{ApiError, ApiMethod, Permission, Router, RpcEnv};

fn read_node_status(ctx: &Context, _env: &RpcEnv, _p: NodeParam) -> Result<NodeStatus, ApiError> {
    let mut status = NodeStatusReader::new(ctx.root.clone()).read();
    status.pveversion = format!(
        "pve-manager/{PVE_COMPAT_VERSION}/virton-{}",
        env!("CARGO_PKG_VERSION")
    );
    Ok(status)
}

/// Routes of `/nodes/{node}/status`.
pub fn router() -> Router<Context> {
    Router::new().get(
        ApiMethod::new(
            "Read node status.",
            Permission::Perm {
                path: "/nodes/{node}",
                privs: &["Sys.Audit"],
                any: false,
            },
            read_node_status,
        )
        .proxy_to_node(),
    )
}
