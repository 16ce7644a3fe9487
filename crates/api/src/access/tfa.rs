//! `/access/tfa`: listing, adding (TOTP, recovery keys), changing and deleting second
//! factors. Users other than root@pam confirm changes with their current password.

use super::{caller, now, user_cfg, Null};
use crate::error::OrApi;
use crate::Context;
use serde::{Deserialize, Serialize};
use virton_access::admin::{self, AdminError, TfaFile, TFA_CFG};
use virton_access::auth::PasswordLogin;
use virton_access::perm::Permissions;
use virton_config::user_cfg::ROOT_USER;
use virton_router::{ApiError, ApiMethod, Permission, Router, RpcEnv};
use virton_schema::ApiType;

/// Checks that the caller may change `userid`'s credentials: only root changes
/// root@pam, and anyone but root confirms with their own current password.
pub fn reauth(
    ctx: &Context,
    env: &RpcEnv,
    userid: &str,
    password: Option<&str>,
    param: &str,
) -> Result<(), ApiError> {
    let authid = caller(env)?;
    let cfg = user_cfg(ctx)?;
    if !cfg.users.contains_key(userid) {
        return Err(ApiError::internal(format!("no such user ('{userid}')")));
    }
    if authid == ROOT_USER {
        return Ok(());
    }
    if userid == ROOT_USER {
        return Err(AdminError::denied()).or_api();
    }
    let password =
        password.ok_or_else(|| ApiError::param(param, "password is required to modify user"))?;
    let (domains, _) = admin::realms::read_realms(&ctx.store).or_api()?;
    let shadow = admin::read(&ctx.store, admin::SHADOW_CFG).or_api()?;
    let login = PasswordLogin {
        users: &cfg,
        domains: &domains,
        shadow: &shadow,
        pam: &*ctx.pam,
    };
    login
        .authenticate(authid, password, None, now())
        .map(|_| ())
        .map_err(|e| ApiError::internal(e.to_string()))
}

/// One second factor.
#[derive(Debug, Serialize, ApiType)]
pub struct TfaEntryInfo {
    /// `totp`, `u2f`, `webauthn`, `recovery` or `yubico`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Entry id.
    pub id: String,
    /// Description.
    pub description: String,
    /// Creation time (Unix seconds).
    pub created: i64,
    /// Whether the entry may be used.
    pub enable: bool,
}

impl From<admin::tfa::TfaInfo> for TfaEntryInfo {
    fn from(i: admin::tfa::TfaInfo) -> Self {
        Self {
            kind: i.kind.to_string(),
            id: i.id,
            description: i.description,
            created: i.created,
            enable: i.enable,
        }
    }
}

crate::nested_list!(
    /// The factors inside a list entry.
    EntryList,
    TfaEntryInfo
);

/// The factors of one user.
#[derive(Debug, Serialize, ApiType)]
pub struct UserTfa {
    /// The user.
    pub userid: String,
    /// The factors.
    pub entries: EntryList,
    /// TOTP is locked.
    #[serde(rename = "totp-locked", skip_serializing_if = "Option::is_none")]
    pub totp_locked: Option<bool>,
    /// Factors are locked until this time.
    #[serde(rename = "tfa-locked-until", skip_serializing_if = "Option::is_none")]
    pub tfa_locked_until: Option<i64>,
}

/// A user.
#[derive(Debug, Deserialize, ApiType)]
pub struct UserParam {
    /// The user.
    #[api(format = "pve-userid")]
    pub userid: String,
}

/// A user's factor.
#[derive(Debug, Deserialize, ApiType)]
pub struct EntryParams {
    /// The user.
    #[api(format = "pve-userid")]
    pub userid: String,
    /// The entry id.
    pub id: String,
    /// New description (update only).
    #[api(max_length = 255)]
    pub description: Option<String>,
    /// Enable or disable the entry (update only).
    pub enable: Option<bool>,
    /// The caller's current password (needed unless the caller is root@pam).
    #[api(min_length = 5, max_length = 64)]
    pub password: Option<String>,
}

/// A new factor.
#[derive(Debug, Deserialize, ApiType)]
pub struct AddParams {
    /// The user.
    #[api(format = "pve-userid")]
    pub userid: String,
    /// The kind of factor.
    #[serde(rename = "type")]
    #[api(pattern = "^(?:totp|u2f|webauthn|recovery|yubico)$")]
    pub kind: String,
    /// Description.
    #[api(max_length = 255)]
    pub description: Option<String>,
    /// The TOTP URI (`otpauth://totp/...`).
    pub totp: Option<String>,
    /// The current code of the TOTP URI.
    pub value: Option<String>,
    /// A U2F challenge (not supported).
    pub challenge: Option<String>,
    /// The caller's current password (needed unless the caller is root@pam).
    #[api(min_length = 5, max_length = 64)]
    pub password: Option<String>,
}

/// What adding a factor produced.
#[derive(Debug, Serialize, ApiType)]
pub struct AddedInfo {
    /// The new entry's id.
    pub id: String,
    /// New recovery keys, shown once.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recovery: Option<Vec<String>>,
}

fn tfa_file(ctx: &Context) -> Result<TfaFile, ApiError> {
    admin::read(&ctx.store, TFA_CFG).or_api()
}

fn list_tfa(
    ctx: &Context,
    env: &RpcEnv,
    _p: crate::types::NoParams,
) -> Result<Vec<UserTfa>, ApiError> {
    let authid = caller(env)?;
    let cfg = user_cfg(ctx)?;
    let perms = Permissions::new(&cfg);
    let privs = ["User.Modify", "Sys.Audit"];
    let tfa = tfa_file(ctx)?;
    Ok(tfa
        .0
        .users
        .iter()
        .filter(|(u, _)| {
            u.as_str() == authid || admin::checks::user_group_allowed(&perms, authid, u, &privs)
        })
        .map(|(u, t)| UserTfa {
            userid: u.clone(),
            entries: admin::tfa::list_user(t)
                .into_iter()
                .map(Into::into)
                .collect(),
            totp_locked: t.totp_locked.then_some(true),
            tfa_locked_until: t.tfa_locked_until,
        })
        .collect())
}

fn list_user_tfa(
    ctx: &Context,
    _env: &RpcEnv,
    p: UserParam,
) -> Result<Vec<TfaEntryInfo>, ApiError> {
    let tfa = tfa_file(ctx)?;
    Ok(tfa
        .0
        .users
        .get(&p.userid)
        .map(|t| {
            admin::tfa::list_user(t)
                .into_iter()
                .map(Into::into)
                .collect()
        })
        .unwrap_or_default())
}

fn get_entry(ctx: &Context, _env: &RpcEnv, p: EntryParams) -> Result<TfaEntryInfo, ApiError> {
    let tfa = tfa_file(ctx)?;
    tfa.0
        .users
        .get(&p.userid)
        .and_then(|t| admin::tfa::list_user(t).into_iter().find(|i| i.id == p.id))
        .map(Into::into)
        .ok_or_else(|| ApiError::not_found(format!("No such tfa entry '{}'", p.id)))
}

fn add_entry(ctx: &Context, env: &RpcEnv, p: AddParams) -> Result<AddedInfo, ApiError> {
    reauth(ctx, env, &p.userid, p.password.as_deref(), "password")?;
    let added = admin::tfa::add_entry(
        &ctx.store,
        &p.userid,
        &p.kind,
        p.description.as_deref(),
        p.totp.as_deref(),
        p.value.as_deref(),
        now(),
    )
    .or_api()?;
    Ok(AddedInfo {
        id: added.id,
        recovery: added.recovery,
    })
}

fn update_entry(ctx: &Context, env: &RpcEnv, p: EntryParams) -> Result<Null, ApiError> {
    reauth(ctx, env, &p.userid, p.password.as_deref(), "password")?;
    admin::tfa::update_entry(
        &ctx.store,
        &p.userid,
        &p.id,
        p.description.as_deref(),
        p.enable,
    )
    .or_api()?;
    Ok(Null)
}

fn delete_entry(ctx: &Context, env: &RpcEnv, p: EntryParams) -> Result<Null, ApiError> {
    reauth(ctx, env, &p.userid, p.password.as_deref(), "password")?;
    admin::tfa::delete_entry(&ctx.store, &p.userid, &p.id).or_api()?;
    Ok(Null)
}

const SELF_OR_AUDIT: Permission = Permission::Or(&[
    Permission::UseridParam,
    Permission::UseridGroup(&["User.Modify", "Sys.Audit"]),
]);
const SELF_OR_MODIFY: Permission = Permission::Or(&[
    Permission::UseridParam,
    Permission::UseridGroup(&["User.Modify"]),
]);

/// Routes of `/access/tfa`.
pub fn router() -> Router<Context> {
    let entry = Router::new()
        .get(
            ApiMethod::new(
                "Fetch a requested TFA entry if present.",
                SELF_OR_AUDIT,
                get_entry,
            )
            .protected(),
        )
        .put(
            ApiMethod::new(
                "Update a TFA entry of a user.",
                SELF_OR_MODIFY,
                update_entry,
            )
            .protected()
            .no_token(),
        )
        .delete(
            ApiMethod::new("Delete a TFA entry by ID.", SELF_OR_MODIFY, delete_entry)
                .protected()
                .no_token(),
        );
    let user = Router::new()
        .get(
            ApiMethod::new(
                "List TFA configurations of users.",
                SELF_OR_AUDIT,
                list_user_tfa,
            )
            .protected(),
        )
        .post(
            ApiMethod::new("Add a TFA entry for a user.", SELF_OR_MODIFY, add_entry)
                .protected()
                .no_token(),
        )
        .param("id", entry);
    Router::new()
        .get(
            ApiMethod::new(
                "List TFA configurations of users.",
                Permission::All,
                list_tfa,
            )
            .protected(),
        )
        .param("userid", user)
}
