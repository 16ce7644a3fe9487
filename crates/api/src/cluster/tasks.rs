//! `/cluster/tasks`: recent tasks of the cluster (this node's, until nodes share their
//! task lists). Callers without `Sys.Audit` on `/` see only their own.

use crate::error::OrApi;
use crate::types::NoParams;
use crate::Context;
use virton_router::{ApiError, ApiMethod, Permission, Router, RpcEnv};
use virton_tasks::TaskListEntry;
use virton_tasks::{TaskFilter, TaskSource};

/// Tasks the recent list holds at most.
const RECENT_TASKS: u64 = 50;

fn list_cluster_tasks(
    ctx: &Context,
    env: &RpcEnv,
    _p: NoParams,
) -> Result<Vec<TaskListEntry>, ApiError> {
    let authid = env.caller()?;
    let users = crate::nodes::user_config(ctx)?;
    let all = crate::nodes::has_priv(&users, authid, "/", "Sys.Audit");
    let filter = TaskFilter {
        limit: RECENT_TASKS,
        source: TaskSource::All,
        visible_to: (!all).then(|| authid.to_string()),
        ..Default::default()
    };
    let (_, list) = ctx.tasks.list(&filter).or_api()?;
    Ok(list)
}

/// Routes of `/cluster/tasks`.
pub fn router() -> Router<Context> {
    Router::new().get(ApiMethod::new(
        "List recent tasks (cluster wide).",
        Permission::All,
        list_cluster_tasks,
    ))
}
