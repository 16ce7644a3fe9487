//! `/access/groups`: group list and CRUD.

use super::{caller, user_cfg, Null};
use crate::error::OrApi;
use crate::Context;
use serde::{Deserialize, Serialize};
use virton_access::admin::groups as dom;
use virton_access::perm::Permissions;
use virton_router::{ApiError, ApiMethod, Permission, Router, RpcEnv};
use virton_schema::ApiType;

/// A group id and optional comment.
#[derive(Debug, Deserialize, ApiType)]
pub struct GroupParams {
    /// The group.
    #[api(format = "pve-groupid")]
    pub groupid: String,
    /// Comment.
    pub comment: Option<String>,
}

/// A group id.
#[derive(Debug, Deserialize, ApiType)]
pub struct GroupIdParam {
    /// The group.
    #[api(format = "pve-groupid")]
    pub groupid: String,
}

/// One group of the list.
#[derive(Debug, Serialize, ApiType)]
pub struct GroupEntry {
    /// The group.
    pub groupid: String,
    /// Comment.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// Members, comma-separated.
    pub users: String,
}

/// One group's configuration.
#[derive(Debug, Serialize, ApiType)]
pub struct GroupInfo {
    /// Comment.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// Member user ids.
    pub members: Vec<String>,
}

fn list_groups(
    ctx: &Context,
    env: &RpcEnv,
    _p: crate::types::NoParams,
) -> Result<Vec<GroupEntry>, ApiError> {
    let authid = caller(env)?;
    let cfg = user_cfg(ctx)?;
    let perms = Permissions::new(&cfg);
    let privs = ["User.Modify", "Sys.Audit", "Group.Allocate"];
    Ok(cfg
        .groups
        .iter()
        .filter(|(g, _)| {
            let held = perms.permissions(authid, &format!("/access/groups/{g}"));
            privs.iter().any(|p| held.contains_key(*p))
        })
        .map(|(g, d)| GroupEntry {
            groupid: g.clone(),
            comment: d.comment.clone(),
            users: d.members.iter().cloned().collect::<Vec<_>>().join(","),
        })
        .collect())
}

fn create_group(ctx: &Context, _env: &RpcEnv, p: GroupParams) -> Result<Null, ApiError> {
    dom::create_group(&ctx.store, &p.groupid, p.comment.as_deref()).or_api()?;
    Ok(Null)
}

fn read_group(ctx: &Context, _env: &RpcEnv, p: GroupIdParam) -> Result<GroupInfo, ApiError> {
    let cfg = user_cfg(ctx)?;
    let g = dom::read_group(&cfg, &p.groupid).or_api()?;
    Ok(GroupInfo {
        comment: g.comment.clone(),
        members: g.members.iter().cloned().collect(),
    })
}

fn update_group(ctx: &Context, _env: &RpcEnv, p: GroupParams) -> Result<Null, ApiError> {
    dom::update_group(&ctx.store, &p.groupid, p.comment.as_deref()).or_api()?;
    Ok(Null)
}

fn delete_group(ctx: &Context, _env: &RpcEnv, p: GroupIdParam) -> Result<Null, ApiError> {
    dom::delete_group(&ctx.store, &p.groupid).or_api()?;
    Ok(Null)
}

const ALLOCATE: Permission = Permission::Perm {
    path: "/access/groups",
    privs: &["Group.Allocate"],
    any: false,
};

/// Routes of `/access/groups`.
pub fn router() -> Router<Context> {
    let item = Router::new()
        .get(ApiMethod::new(
            "Get group configuration.",
            Permission::Perm {
                path: "/access/groups",
                privs: &["Sys.Audit", "Group.Allocate"],
                any: true,
            },
            read_group,
        ))
        .put(ApiMethod::new("Update group data.", ALLOCATE, update_group).protected())
        .delete(ApiMethod::new("Delete group.", ALLOCATE, delete_group).protected());
    Router::new()
        .get(ApiMethod::new("Group index.", Permission::All, list_groups))
        .post(ApiMethod::new("Create new group.", ALLOCATE, create_group).protected())
        .param("groupid", item)
}
