//! `/access/ticket`: password (or ticket renewal) login with optional second factor,
//! and the `path`/`privs` credential check. Every failure answers
//! `401 authentication failure` (the server adds the delay) and is counted by the
//! lockout; the reason is never shown to the client.

use super::{now, FreeObject, Null};
use crate::Context;
use serde::{Deserialize, Serialize};
use virton_access::admin::login::{self, LoginEnv, LoginOutcome, LoginRequest};
use virton_access::perm::Permissions;
use virton_router::{ApiError, ApiMethod, Permission, Router, RpcEnv};
use virton_schema::ApiType;

/// Login parameters.
#[derive(Debug, Deserialize, ApiType)]
pub struct TicketParams {
    /// User name, with or without `@realm`.
    #[api(max_length = 64)]
    pub username: String,
    /// Realm added to a user name that has none.
    #[api(format = "pve-realm")]
    pub realm: Option<String>,
    /// The password, or a still-valid ticket to renew; with `tfa-challenge` the
    /// second-factor response (`totp:<code>`, `recovery:<key>`).
    pub password: String,
    /// One-time code for the second factor in the same request.
    pub otp: Option<String>,
    /// Check the privileges `privs` on this path instead of issuing a ticket.
    #[api(max_length = 64)]
    pub path: Option<String>,
    /// Privileges to check on `path`.
    #[api(max_length = 64)]
    pub privs: Option<String>,
    /// Accepted for compatibility; the new ticket format is always used.
    #[serde(rename = "new-format")]
    #[api(default = "1")]
    pub new_format: Option<bool>,
    /// The TFA-pending ticket the `password` answers.
    #[serde(rename = "tfa-challenge")]
    pub tfa_challenge: Option<String>,
}

/// A login result.
#[derive(Debug, Default, Serialize, ApiType)]
pub struct TicketInfo {
    /// The authenticated user.
    pub username: String,
    /// The ticket (TFA-pending while `NeedTFA` is set).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ticket: Option<String>,
    /// The CSRF prevention token for write requests.
    #[serde(
        rename = "CSRFPreventionToken",
        skip_serializing_if = "Option::is_none"
    )]
    pub csrf: Option<String>,
    /// The cluster name (only in a cluster, for users with `Sys.Audit` on `/`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub clustername: Option<String>,
    /// The user's privileges per area, for the web UI.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cap: Option<FreeObject>,
    /// Set to 1 when the second factor is still due.
    #[serde(rename = "NeedTFA", skip_serializing_if = "Option::is_none")]
    pub need_tfa: Option<u8>,
}

fn auth_failure() -> ApiError {
    ApiError::new(401, "authentication failure")
}

fn capabilities(ctx: &Context, userid: &str) -> Result<FreeObject, ApiError> {
    let cfg = super::user_cfg(ctx)?;
    let caps = Permissions::new(&cfg).api_capabilities(userid);
    match serde_json::to_value(caps) {
        Ok(serde_json::Value::Object(m)) => Ok(FreeObject(m)),
        _ => Err(ApiError::internal("unable to encode capabilities")),
    }
}

/// The cluster name for users with `Sys.Audit` on `/`; none on a single node.
fn cluster_name(ctx: &Context, userid: &str) -> Option<String> {
    use virton_config::corosync::CorosyncConf;
    let conf: CorosyncConf = virton_access::admin::read(&ctx.store, "corosync.conf").ok()?;
    let name = conf.cluster_name()?.to_string();
    let cfg = super::user_cfg(ctx).ok()?;
    Permissions::new(&cfg)
        .check(userid, "/", &["Sys.Audit"], false)
        .is_ok()
        .then_some(name)
}

fn create_ticket(ctx: &Context, env: &RpcEnv, p: TicketParams) -> Result<TicketInfo, ApiError> {
    let mut username = p.username.clone();
    if let Some(realm) = p.realm.as_deref().filter(|r| !r.is_empty()) {
        if !username.contains('@') {
            username = format!("{username}@{realm}");
        }
    }
    let ip = env.client_ip.map(|ip| ip.to_string());
    let time = now();
    let login_env = LoginEnv {
        store: &ctx.store,
        keys: &ctx.keys,
        pam: &*ctx.pam,
        lockout: &ctx.lockout,
        now: time,
    };
    let req = LoginRequest {
        username: &username,
        password: &p.password,
        otp: p.otp.as_deref(),
        tfa_challenge: p.tfa_challenge.as_deref(),
        client_ip: ip.as_deref(),
    };
    if let (Some(path), Some(privs)) = (p.path.as_deref(), p.privs.as_deref()) {
        let user = login::verify_auth(&login_env, &req, path, privs).map_err(|_| auth_failure())?;
        return Ok(TicketInfo {
            cap: Some(capabilities(ctx, &user)?),
            clustername: cluster_name(ctx, &user),
            username: user,
            ..Default::default()
        });
    }
    let outcome = login::login(&login_env, &req).map_err(|_| auth_failure())?;
    let issued = login::issue(&ctx.keys, &ctx.csrf, &outcome, time).map_err(|_| auth_failure())?;
    let cap = match outcome {
        LoginOutcome::Authenticated(ref u) => Some(capabilities(ctx, u)?),
        LoginOutcome::TfaRequired { .. } => None,
    };
    let clustername = cluster_name(ctx, &issued.username);
    Ok(TicketInfo {
        username: issued.username,
        ticket: Some(issued.ticket),
        csrf: Some(issued.csrf),
        clustername,
        cap,
        need_tfa: issued.need_tfa.then_some(1),
    })
}

/// Routes of `/access/ticket`.
pub fn router() -> Router<Context> {
    Router::new()
        .get(ApiMethod::new(
            "Dummy, for formatters that show a login page.",
            Permission::World,
            |_: &Context, _: &RpcEnv, _: crate::types::NoParams| Ok(Null),
        ))
        .post(
            ApiMethod::new(
                "Create or verify an authentication ticket.",
                Permission::World,
                create_ticket,
            )
            .protected()
            .no_token(),
        )
}
