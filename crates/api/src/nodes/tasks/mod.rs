//! `/nodes/{node}/tasks`: this node's task list, and below `{upid}` ([`upid`]) one
//! task's status, log and stop. Who sees which task is upstream's rule: callers with
//! `Sys.Audit` on the node see all tasks, others only their own (a user also sees the
//! tasks of its tokens, a token only its own).

pub mod upid;

use crate::error::OrApi;
use crate::nodes::{has_priv, user_config};
use crate::Context;
use serde::Deserialize;
use virton_router::{ApiError, ApiMethod, Permission, Router, RpcEnv};
use virton_schema::ApiType;
use virton_tasks::{parse_status_filter, TaskFilter, TaskListEntry, TaskSource};

/// Which task lists to read.
#[derive(Debug, Clone, Copy, Deserialize, ApiType)]
#[serde(rename_all = "lowercase")]
pub enum SourceParam {
    /// Finished tasks.
    Archive,
    /// Running tasks.
    Active,
    /// Both.
    All,
}

/// Parameters of `GET /nodes/{node}/tasks`.
#[derive(Debug, Deserialize, ApiType)]
pub struct TaskListParams {
    /// The cluster node name.
    #[api(format = "pve-node")]
    pub node: String,
    /// Matching tasks to skip.
    #[api(minimum = 0, default = "0")]
    pub start: Option<u64>,
    /// Tasks to return at most.
    #[api(minimum = 0, default = "50")]
    pub limit: Option<u64>,
    /// Only tasks of users containing this text.
    pub userfilter: Option<String>,
    /// Only tasks of this type.
    pub typefilter: Option<String>,
    /// Only tasks of this guest.
    #[api(format = "pve-vmid")]
    pub vmid: Option<u32>,
    /// Only failed tasks.
    #[api(default = "0")]
    pub errors: Option<bool>,
    /// Finished, running or all tasks.
    #[api(default = "archive")]
    pub source: Option<SourceParam>,
    /// Tasks started at or after this time.
    pub since: Option<i64>,
    /// Tasks started at or before this time.
    pub until: Option<i64>,
    /// Only these status classes (ok, warning, error, unknown).
    #[api(format = "pve-task-status-type-list")]
    pub statusfilter: Option<String>,
}

/// `None` when the caller may see every task of `node`, else the caller itself.
pub(crate) fn visibility(
    ctx: &Context,
    authid: &str,
    node: &str,
) -> Result<Option<String>, ApiError> {
    let users = user_config(ctx)?;
    let all = has_priv(&users, authid, &format!("/nodes/{node}"), "Sys.Audit");
    Ok((!all).then(|| authid.to_string()))
}

fn list_tasks(
    ctx: &Context,
    env: &RpcEnv,
    p: TaskListParams,
) -> Result<Vec<TaskListEntry>, ApiError> {
    let authid = env.caller()?;
    let statusfilter = p
        .statusfilter
        .as_deref()
        .map(parse_status_filter)
        .transpose()
        .map_err(|e| ApiError::param("statusfilter", e))?;
    let filter = TaskFilter {
        start: p.start.unwrap_or(0),
        limit: p.limit.unwrap_or(50),
        userfilter: p.userfilter,
        typefilter: p.typefilter,
        vmid: p.vmid,
        since: p.since,
        until: p.until,
        statusfilter,
        errors: p.errors.unwrap_or(false),
        source: match p.source {
            None | Some(SourceParam::Archive) => TaskSource::Archive,
            Some(SourceParam::Active) => TaskSource::Active,
            Some(SourceParam::All) => TaskSource::All,
        },
        visible_to: visibility(ctx, authid, &p.node)?,
    };
    let (total, list) = ctx.tasks.list(&filter).or_api()?;
    env.total.set(Some(total));
    Ok(list)
}

/// Routes of `/nodes/{node}/tasks`.
pub fn router() -> Router<Context> {
    Router::new()
        .get(
            ApiMethod::new(
                "Read task list for one node (finished tasks).",
                Permission::All,
                list_tasks,
            )
            .proxy_to_node(),
        )
        .param("upid", upid::router())
}
