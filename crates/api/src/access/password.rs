//! `/access/password`: changing one's own password, or (with `Realm.AllocateUser` and
//! `User.Modify` on a group of the user) someone else's.

use super::users::require;
use super::{caller, Null};
use crate::error::OrApi;
use crate::Context;
use serde::Deserialize;
use virton_access::admin::checks::{self, GroupsParam};
use virton_access::admin::{users as dom, AdminError};
use virton_config::user_cfg::ROOT_USER;
use virton_router::{ApiError, ApiMethod, Permission, Router, RpcEnv};
use virton_schema::ApiType;

/// A password change.
#[derive(Debug, Deserialize, ApiType)]
pub struct PasswordParams {
    /// The user whose password changes.
    #[api(format = "pve-userid")]
    pub userid: String,
    /// The new password.
    #[api(min_length = 8, max_length = 64)]
    pub password: String,
    /// The caller's current password (needed unless the caller is root@pam).
    #[serde(rename = "confirmation-password")]
    #[api(min_length = 5, max_length = 64)]
    pub confirmation_password: Option<String>,
}

fn change_password(ctx: &Context, env: &RpcEnv, p: PasswordParams) -> Result<Null, ApiError> {
    let authid = caller(env)?.to_string();
    require(ctx, env, |perms, a| {
        if checks::is_self(perms, a, &p.userid) {
            return Ok(());
        }
        checks::check_realm_allocate_user(perms, a, &p.userid)?;
        checks::check_userid_group(perms, a, &p.userid, &["User.Modify"], GroupsParam::Ignored)
    })?;
    super::tfa::reauth(
        ctx,
        env,
        &p.userid,
        p.confirmation_password.as_deref(),
        "confirmation-password",
    )?;
    if authid != ROOT_USER && authid != p.userid {
        let realm = p.userid.rsplit_once('@').map(|(_, r)| r).unwrap_or("");
        if p.userid == ROOT_USER || realm == "pam" {
            return Err(AdminError::denied()).or_api();
        }
    }
    dom::set_password(&ctx.store, &p.userid, &p.password).or_api()?;
    Ok(Null)
}

/// Routes of `/access/password`.
pub fn router() -> Router<Context> {
    Router::new().put(
        ApiMethod::new("Change user password.", Permission::All, change_password)
            .protected()
            .no_token(),
    )
}
