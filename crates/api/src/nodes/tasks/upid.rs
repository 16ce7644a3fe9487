//! `/nodes/{node}/tasks/{upid}`: one task's index, stop (`DELETE`), `status` and `log`.
//! The owner of a task may always read and stop it; anybody else needs `Sys.Audit`
//! (read) or `Sys.Modify` (stop) on the node.

use crate::nodes::{has_priv, user_config, NameEntry};
use crate::types::Empty;
use crate::Context;
use serde::Deserialize;
use virton_router::{ApiError, ApiMethod, Permission, Router, RpcEnv};
use virton_schema::ApiType;
use virton_tasks::{LogLine, TaskError, TaskStatus, Upid};

/// The `node` and `upid` path parameters.
#[derive(Debug, Deserialize, ApiType)]
pub struct UpidParams {
    /// The cluster node name.
    #[api(format = "pve-node")]
    pub node: String,
    /// The task's unique ID.
    pub upid: String,
}

/// Parameters of `GET .../log`.
#[derive(Debug, Deserialize, ApiType)]
pub struct LogParams {
    /// The cluster node name.
    #[api(format = "pve-node")]
    pub node: String,
    /// The task's unique ID.
    pub upid: String,
    /// Lines to skip.
    #[api(minimum = 0, default = "0")]
    pub start: Option<u64>,
    /// Lines to return at most.
    #[api(minimum = 0, default = "50")]
    pub limit: Option<u64>,
    /// Return the whole log; not together with `start` or `limit`.
    pub download: Option<bool>,
}

fn parse_upid(text: &str) -> Result<Upid, ApiError> {
    text.parse()
        .map_err(|_| ApiError::param("upid", "unable to parse worker upid"))
}

/// Task errors with upstream's wording for the `upid` parameter.
fn task_err(e: TaskError) -> ApiError {
    match e {
        TaskError::NoSuchTask => ApiError::param("upid", "no such task"),
        TaskError::InvalidUpid(_) => ApiError::param("upid", "unable to parse worker upid"),
        other => ApiError::internal(other.to_string()),
    }
}

/// A user owns its tasks and those of its tokens; a token only its own.
pub fn owns_task(task_user: &str, caller: &str) -> bool {
    if task_user == caller {
        return true;
    }
    task_user
        .split_once('!')
        .is_some_and(|(user, _)| user == caller)
}

/// Non-owners need `privilege` on `/nodes/<node>` (403 with upstream's wording).
fn check_task_access(
    ctx: &Context,
    env: &RpcEnv,
    node: &str,
    upid: &Upid,
    privilege: &str,
) -> Result<(), ApiError> {
    let caller = env.caller()?;
    if owns_task(upid.authid(), caller) {
        return Ok(());
    }
    let users = user_config(ctx)?;
    let path = format!("/nodes/{node}");
    if has_priv(&users, caller, &path, privilege) {
        return Ok(());
    }
    Err(ApiError::forbidden(format!(
        "Permission check failed ({path}, {privilege})"
    )))
}

fn task_index(_ctx: &Context, _env: &RpcEnv, _p: UpidParams) -> Result<Vec<NameEntry>, ApiError> {
    Ok(["log", "status"]
        .iter()
        .map(|n| NameEntry {
            name: (*n).to_string(),
        })
        .collect())
}

fn stop_task(ctx: &Context, env: &RpcEnv, p: UpidParams) -> Result<Empty, ApiError> {
    let upid = parse_upid(&p.upid)?;
    ctx.tasks.status(&upid).map_err(task_err)?;
    check_task_access(ctx, env, &p.node, &upid, "Sys.Modify")?;
    ctx.tasks.stop(&upid).map_err(task_err)?;
    Ok(Empty {})
}

fn read_task_status(ctx: &Context, env: &RpcEnv, p: UpidParams) -> Result<TaskStatus, ApiError> {
    let upid = parse_upid(&p.upid)?;
    let status = ctx.tasks.status(&upid).map_err(task_err)?;
    check_task_access(ctx, env, &p.node, &upid, "Sys.Audit")?;
    Ok(status)
}

fn read_task_log(ctx: &Context, env: &RpcEnv, p: LogParams) -> Result<Vec<LogLine>, ApiError> {
    let upid = parse_upid(&p.upid)?;
    check_task_access(ctx, env, &p.node, &upid, "Sys.Audit")?;
    let (start, limit) = if p.download.unwrap_or(false) {
        if p.start.is_some() || p.limit.is_some() {
            return Err(ApiError::internal(
                "'download' cannot be used together with 'start' or 'limit' parameters",
            ));
        }
        (0, 0)
    } else {
        (p.start.unwrap_or(0), p.limit.unwrap_or(50))
    };
    let (total, lines) = ctx.tasks.read_log(&upid, start, limit).map_err(task_err)?;
    env.total.set(Some(total));
    Ok(lines)
}

/// Routes of `/nodes/{node}/tasks/{upid}`.
pub fn router() -> Router<Context> {
    Router::new()
        .get(ApiMethod::new("Task index.", Permission::All, task_index))
        .delete(
            ApiMethod::new("Stop a task.", Permission::All, stop_task)
                .protected()
                .proxy_to_node(),
        )
        .subdir(
            "log",
            Router::new().get(
                ApiMethod::new("Read task log.", Permission::All, read_task_log)
                    .protected()
                    .proxy_to_node(),
            ),
        )
        .subdir(
            "status",
            Router::new().get(
                ApiMethod::new("Read task status.", Permission::All, read_task_status)
                    .protected()
                    .proxy_to_node(),
            ),
        )
}
