//! `/access/roles`: built-in (read-only) and custom roles.

use super::{user_cfg, FreeObject, Null};
use crate::error::OrApi;
use crate::Context;
use serde::{Deserialize, Serialize};
use serde_json::json;
use virton_access::admin::roles as dom;
use virton_config::user_cfg::privileges::{builtin_roles, is_builtin_role};
use virton_router::{ApiError, ApiMethod, Permission, Router, RpcEnv};
use virton_schema::ApiType;

/// A role and its privileges.
#[derive(Debug, Deserialize, ApiType)]
pub struct RoleParams {
    /// The role.
    #[api(format = "pve-roleid")]
    pub roleid: String,
    /// Privileges, comma-separated.
    pub privs: Option<String>,
    /// Add `privs` to the current ones instead of replacing them (update only).
    pub append: Option<bool>,
}

/// A role id.
#[derive(Debug, Deserialize, ApiType)]
pub struct RoleIdParam {
    /// The role.
    #[api(format = "pve-roleid")]
    pub roleid: String,
}

/// One role of the list.
#[derive(Debug, Serialize, ApiType)]
pub struct RoleEntry {
    /// The role.
    pub roleid: String,
    /// Privileges, comma-separated.
    pub privs: String,
    /// A built-in role.
    pub special: bool,
}

fn list_roles(
    ctx: &Context,
    _env: &RpcEnv,
    _p: crate::types::NoParams,
) -> Result<Vec<RoleEntry>, ApiError> {
    let cfg = user_cfg(ctx)?;
    let builtin = builtin_roles().iter().map(|(r, p)| {
        (
            r.clone(),
            p.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
        )
    });
    let custom = cfg
        .roles
        .iter()
        .map(|(r, p)| (r.clone(), p.iter().cloned().collect::<Vec<_>>()));
    Ok(builtin
        .chain(custom)
        .map(|(roleid, privs)| RoleEntry {
            special: is_builtin_role(&roleid),
            roleid,
            privs: privs.join(","),
        })
        .collect())
}

fn read_role(ctx: &Context, _env: &RpcEnv, p: RoleIdParam) -> Result<FreeObject, ApiError> {
    let cfg = user_cfg(ctx)?;
    let privs = dom::read_role(&cfg, &p.roleid).or_api()?;
    Ok(FreeObject(
        privs.into_iter().map(|p| (p, json!(1))).collect(),
    ))
}

fn create_role(ctx: &Context, _env: &RpcEnv, p: RoleParams) -> Result<Null, ApiError> {
    dom::create_role(&ctx.store, &p.roleid, p.privs.as_deref()).or_api()?;
    Ok(Null)
}

fn update_role(ctx: &Context, _env: &RpcEnv, p: RoleParams) -> Result<Null, ApiError> {
    if p.append.is_some() && p.privs.is_none() {
        return Err(ApiError::param(
            "append",
            "parameter 'append' requires 'privs'",
        ));
    }
    dom::update_role(
        &ctx.store,
        &p.roleid,
        p.privs.as_deref(),
        p.append.unwrap_or(false),
    )
    .or_api()?;
    Ok(Null)
}

fn delete_role(ctx: &Context, _env: &RpcEnv, p: RoleIdParam) -> Result<Null, ApiError> {
    dom::delete_role(&ctx.store, &p.roleid).or_api()?;
    Ok(Null)
}

const MODIFY: Permission = Permission::Perm {
    path: "/access",
    privs: &["Sys.Modify"],
    any: false,
};

/// Routes of `/access/roles`.
pub fn router() -> Router<Context> {
    let item = Router::new()
        .get(ApiMethod::new(
            "Get role configuration.",
            Permission::All,
            read_role,
        ))
        .put(ApiMethod::new("Update an existing role.", MODIFY, update_role).protected())
        .delete(ApiMethod::new("Delete role.", MODIFY, delete_role).protected());
    Router::new()
        .get(ApiMethod::new("Role index.", Permission::All, list_roles))
        .post(ApiMethod::new("Create new role.", MODIFY, create_role).protected())
        .param("roleid", item)
}
