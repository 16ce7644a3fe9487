//! `/cluster/log`: the newest cluster log entries; callers without `Sys.Syslog` on `/`
//! see only entries about themselves.

use crate::nodes::{has_priv, user_config};
use crate::Context;
use serde::Deserialize;
use virton_host::ClusterLog;
use virton_host::ClusterLogEntry;
use virton_router::{ApiError, ApiMethod, Permission, Router, RpcEnv};
use virton_schema::ApiType;

/// Parameters of `GET /cluster/log`.
#[derive(Debug, Deserialize, ApiType)]
pub struct LogParams {
    /// Entries to return at most.
    #[api(minimum = 1)]
    pub max: Option<u64>,
}

fn read_cluster_log(
    ctx: &Context,
    env: &RpcEnv,
    p: LogParams,
) -> Result<Vec<ClusterLogEntry>, ApiError> {
    let authid = env.caller()?;
    let users = user_config(ctx)?;
    let admin = has_priv(&users, authid, "/", "Sys.Syslog");
    let max = usize::try_from(p.max.unwrap_or(0)).unwrap_or(usize::MAX);
    let filter = (!admin).then_some(authid);
    Ok(ClusterLog::shared(&ctx.root).dump(filter, max))
}

/// Routes of `/cluster/log`.
pub fn router() -> Router<Context> {
    Router::new().get(ApiMethod::new(
        "Read cluster log.",
        Permission::All,
        read_cluster_log,
    ))
}
