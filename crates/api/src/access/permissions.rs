//! `/access/permissions`: the effective privileges of a user or token.

use super::{caller, user_cfg, FreeObject};
use crate::Context;
use serde::Deserialize;
use serde_json::{json, Map, Value};
use virton_access::perm::Permissions;
use virton_config::user_cfg::syntax::split_tokenid;
use virton_config::user_cfg::ROOT_USER;
use virton_router::{ApiError, ApiMethod, Permission, Router, RpcEnv};
use virton_schema::ApiType;

/// Whose permissions, and where.
#[derive(Debug, Deserialize, ApiType)]
pub struct PermissionsParams {
    /// A user or full token id (default: the caller).
    pub userid: Option<String>,
    /// Only this path.
    pub path: Option<String>,
}

fn read_permissions(
    ctx: &Context,
    env: &RpcEnv,
    p: PermissionsParams,
) -> Result<FreeObject, ApiError> {
    let authid = caller(env)?;
    let target = p.userid.clone().unwrap_or_else(|| authid.to_string());
    let cfg = user_cfg(ctx)?;
    let perms = Permissions::new(&cfg);
    let own_token = split_tokenid(&target).is_some_and(|(u, _)| u == authid);
    if target != authid && !own_token && authid != ROOT_USER {
        use crate::error::OrApi;
        perms
            .check(authid, "/access", &["Sys.Audit"], false)
            .or_api()?;
    }
    let map = perms.effective_permissions(&target, p.path.as_deref());
    let out: Map<String, Value> = map
        .into_iter()
        .map(|(path, privs)| {
            let inner: Map<String, Value> = privs
                .into_iter()
                .map(|(k, v)| (k, json!(u8::from(v))))
                .collect();
            (path, Value::Object(inner))
        })
        .collect();
    Ok(FreeObject(out))
}

/// Routes of `/access/permissions`.
pub fn router() -> Router<Context> {
    Router::new().get(ApiMethod::new(
        "Retrieve effective permissions of given user/token.",
        Permission::All,
        read_permissions,
    ))
}
