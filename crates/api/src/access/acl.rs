//! `/access/acl`: reading and changing the access control list.

use super::{caller, user_cfg, Null};
use crate::error::OrApi;
use crate::Context;
use serde::{Deserialize, Serialize};
use virton_access::admin::acl::{self as dom, AclUpdate};
use virton_access::perm::Permissions;
use virton_router::{ApiError, ApiMethod, Permission, Router, RpcEnv};
use virton_schema::ApiType;

/// One ACL entry.
#[derive(Debug, Serialize, ApiType)]
pub struct AclEntry {
    /// The ACL path.
    pub path: String,
    /// `user`, `group` or `token`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The user, group or token id.
    pub ugid: String,
    /// The role.
    pub roleid: String,
    /// Whether the assignment propagates to sub-paths.
    pub propagate: bool,
}

/// An ACL change.
#[derive(Debug, Deserialize, ApiType)]
pub struct AclParams {
    /// The ACL path.
    pub path: String,
    /// Roles, comma-separated.
    #[api(format = "pve-roleid-list")]
    pub roles: String,
    /// Users, comma-separated.
    #[api(format = "pve-userid-list")]
    pub users: Option<String>,
    /// Groups, comma-separated.
    #[api(format = "pve-groupid-list")]
    pub groups: Option<String>,
    /// API tokens, comma-separated.
    #[api(format = "pve-tokenid-list")]
    pub tokens: Option<String>,
    /// Let the assignment apply to sub-paths.
    #[api(default = "1")]
    pub propagate: Option<bool>,
    /// Remove the assignments instead of adding them.
    pub delete: Option<bool>,
}

fn read_acl(
    ctx: &Context,
    env: &RpcEnv,
    _p: crate::types::NoParams,
) -> Result<Vec<AclEntry>, ApiError> {
    let authid = caller(env)?;
    let cfg = user_cfg(ctx)?;
    Ok(dom::visible_acl(&Permissions::new(&cfg), authid)
        .into_iter()
        .map(|e| AclEntry {
            path: e.path,
            kind: e.kind.to_string(),
            ugid: e.ugid,
            roleid: e.roleid,
            propagate: e.propagate,
        })
        .collect())
}

fn update_acl(ctx: &Context, env: &RpcEnv, p: AclParams) -> Result<Null, ApiError> {
    let authid = caller(env)?;
    let upd = AclUpdate {
        path: &p.path,
        roles: &p.roles,
        users: p.users.as_deref(),
        groups: p.groups.as_deref(),
        tokens: p.tokens.as_deref(),
        propagate: p.propagate,
        delete: p.delete.unwrap_or(false),
    };
    dom::update_acl(&ctx.store, authid, &upd).or_api()?;
    Ok(Null)
}

/// Routes of `/access/acl`.
pub fn router() -> Router<Context> {
    Router::new()
        .get(ApiMethod::new(
            "Get Access Control List (ACLs).",
            Permission::All,
            read_acl,
        ))
        .put(
            ApiMethod::new(
                "Update Access Control List (add or remove permissions).",
                Permission::All,
                update_acl,
            )
            .protected(),
        )
}
