//! `/cluster/resources`: every guest, node, storage and pool the caller may audit.

use crate::error::OrApi;
use crate::nodes::user_config;
use crate::Context;
use serde::Deserialize;
use virton_config::storage::StorageConfig;
use virton_host::vmlist::guest_running;
use virton_host::{
    cluster, cluster_resources, NodeStatusReader, NodeSummary, ResourceEntry, ResourceQuery,
    ResourceType, VmListCache,
};
use virton_router::{ApiError, ApiMethod, Permission, Router, RpcEnv};
use virton_schema::ApiType;

/// Parameters of `GET /cluster/resources`.
#[derive(Debug, Deserialize, ApiType)]
pub struct ResourcesParams {
    /// Only resources of this type.
    #[serde(rename = "type")]
    pub ty: Option<ResourceType>,
}

fn list_resources(
    ctx: &Context,
    env: &RpcEnv,
    p: ResourcesParams,
) -> Result<Vec<ResourceEntry>, ApiError> {
    let authid = env.caller()?;
    let users = user_config(ctx)?;
    let (storage, _) = ctx.store.read::<StorageConfig>("storage.cfg").or_api()?;
    let vmlist = VmListCache::shared(&ctx.root).snapshot();
    let membership = cluster::membership(&ctx.store, &ctx.node);
    let reader = NodeStatusReader::new(ctx.root.clone());
    // The full status costs several reads; guests only need the CPU count.
    let local = match p.ty {
        None | Some(ResourceType::Node) => reader.read().summary(),
        Some(_) => NodeSummary {
            maxcpu: reader.cpu_count(),
            ..Default::default()
        },
    };
    let running = |ty, vmid| guest_running(&ctx.root, ty, vmid);
    Ok(cluster_resources(&ResourceQuery {
        ty: p.ty,
        authid,
        users: &users,
        vmlist: &vmlist,
        storage: &storage,
        membership: &membership,
        root: &ctx.root,
        local,
        running: &running,
    }))
}

/// Routes of `/cluster/resources`.
pub fn router() -> Router<Context> {
    Router::new().get(ApiMethod::new(
        "Resources index (cluster wide).",
        Permission::All,
        list_resources,
    ))
}
