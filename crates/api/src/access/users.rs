//! `/access/users`: the user list, create, read, update and delete, plus a user's TFA
//! types and TFA unlock. Tokens are in [`super::tokens`].

use super::{caller, user_cfg, FreeObject, Null};
use crate::error::OrApi;
use crate::Context;
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use virton_access::admin::checks::{self, GroupsParam};
use virton_access::admin::users::{self as dom, UserFields};
use virton_access::admin::{self, AdminError, TfaFile, TFA_CFG};
use virton_access::perm::Permissions;
use virton_config::user_cfg::{Token, User, UserConfig};
use virton_router::{ApiError, ApiMethod, Permission, Router, RpcEnv};
use virton_schema::ApiType;

/// The settable user fields, shared by create and update.
#[derive(Debug, Deserialize, ApiType)]
pub struct UserParams {
    /// The user (`name@realm`).
    #[api(format = "pve-userid")]
    pub userid: String,
    /// Whether the account may log in.
    #[api(default = "1")]
    pub enable: Option<bool>,
    /// Account expiry (Unix seconds, 0 = never).
    #[api(minimum = 0)]
    pub expire: Option<u64>,
    /// First name.
    #[api(max_length = 1024)]
    pub firstname: Option<String>,
    /// Last name.
    #[api(max_length = 1024)]
    pub lastname: Option<String>,
    /// E-mail address.
    #[api(format = "email-opt", max_length = 254)]
    pub email: Option<String>,
    /// Comment.
    #[api(max_length = 2048)]
    pub comment: Option<String>,
    /// Legacy second-factor keys.
    #[api(pattern = "[0-9a-zA-Z!=]{0,4096}")]
    pub keys: Option<String>,
    /// Groups of the user.
    #[api(format = "pve-groupid-list")]
    pub groups: Option<String>,
    /// Initial password (create only).
    #[api(min_length = 8, max_length = 64)]
    pub password: Option<String>,
    /// Add `groups` to the current groups instead of replacing them (update only).
    pub append: Option<bool>,
}

impl UserParams {
    fn fields(&self) -> UserFields {
        UserFields {
            enable: self.enable,
            expire: self.expire,
            firstname: self.firstname.clone(),
            lastname: self.lastname.clone(),
            email: self.email.clone(),
            comment: self.comment.clone(),
            keys: self.keys.clone(),
            groups: self.groups.clone(),
        }
    }
}

/// Only the `userid` path parameter.
#[derive(Debug, Deserialize, ApiType)]
pub struct UseridParam {
    /// The user (`name@realm`).
    #[api(format = "pve-userid")]
    pub userid: String,
}

/// List filters.
#[derive(Debug, Deserialize, ApiType)]
pub struct ListParams {
    /// Only enabled (1) or only disabled (0) users.
    pub enabled: Option<bool>,
    /// Include groups and tokens.
    #[api(default = "0")]
    pub full: Option<bool>,
}

/// One token of a user, with its name.
#[derive(Debug, Serialize, ApiType)]
pub struct TokenEntry {
    /// The token name.
    pub tokenid: String,
    /// Expiry (Unix seconds, 0 = never).
    pub expire: u64,
    /// Privilege separation.
    pub privsep: bool,
    /// Comment.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

impl TokenEntry {
    /// The entry for token `name`.
    pub fn new(name: &str, t: &Token) -> Self {
        Self {
            tokenid: name.to_string(),
            expire: t.expire,
            privsep: t.privsep,
            comment: t.comment.clone(),
        }
    }
}

crate::nested_list!(
    /// Tokens of a user inside a list entry.
    TokenList,
    TokenEntry
);

/// One user of the list.
#[derive(Debug, Serialize, ApiType)]
pub struct UserEntry {
    /// The user.
    pub userid: String,
    /// Whether the account may log in.
    pub enable: bool,
    /// Account expiry (0 = never).
    pub expire: u64,
    /// First name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub firstname: Option<String>,
    /// Last name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lastname: Option<String>,
    /// E-mail address.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Comment.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// Legacy second-factor keys.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub keys: Option<String>,
    /// Groups (with `full`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub groups: Option<String>,
    /// Tokens (with `full`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tokens: Option<TokenList>,
    /// Type of the user's realm.
    #[serde(rename = "realm-type", skip_serializing_if = "Option::is_none")]
    pub realm_type: Option<String>,
    /// TOTP is locked after too many failures.
    #[serde(rename = "totp-locked", skip_serializing_if = "Option::is_none")]
    pub totp_locked: Option<bool>,
    /// Second factors are locked until this time.
    #[serde(rename = "tfa-locked-until", skip_serializing_if = "Option::is_none")]
    pub tfa_locked_until: Option<i64>,
}

fn user_entry(userid: &str, u: &User, full: bool) -> UserEntry {
    UserEntry {
        userid: userid.to_string(),
        enable: u.enable,
        expire: u.expire,
        firstname: u.firstname.clone(),
        lastname: u.lastname.clone(),
        email: u.email.clone(),
        comment: u.comment.clone(),
        keys: u.keys.clone(),
        groups: full.then(|| u.groups.iter().cloned().collect::<Vec<_>>().join(",")),
        tokens: full.then(|| {
            u.tokens
                .iter()
                .map(|(n, t)| TokenEntry::new(n, t))
                .collect()
        }),
        realm_type: None,
        totp_locked: None,
        tfa_locked_until: None,
    }
}

/// Runs a code-checked permission rule over the current `user.cfg`.
pub fn require(
    ctx: &Context,
    env: &RpcEnv,
    rule: impl FnOnce(&Permissions, &str) -> Result<(), AdminError>,
) -> Result<(), ApiError> {
    let authid = caller(env)?;
    let cfg = user_cfg(ctx)?;
    rule(&Permissions::new(&cfg), authid).or_api()
}

fn list_users(ctx: &Context, env: &RpcEnv, p: ListParams) -> Result<Vec<UserEntry>, ApiError> {
    let authid = caller(env)?;
    let mut cfg = user_cfg(ctx)?;
    cfg.sync_user_groups();
    let (realms, _) = admin::realms::read_realms(&ctx.store).or_api()?;
    let tfa: TfaFile = admin::read(&ctx.store, TFA_CFG).or_api()?;
    let perms = Permissions::new(&cfg);
    let privs = ["User.Modify", "Sys.Audit"];
    let mut out = Vec::new();
    for (userid, u) in &cfg.users {
        let visible =
            userid == authid || checks::user_group_allowed(&perms, authid, userid, &privs);
        if !visible || p.enabled.is_some_and(|e| e != u.enable) {
            continue;
        }
        let mut e = user_entry(userid, u, p.full.unwrap_or(false));
        let realm = userid.rsplit_once('@').map(|(_, r)| r).unwrap_or("");
        e.realm_type = realms.get(realm).map(|s| s.section_type.clone());
        if let Some(t) = tfa.0.users.get(userid) {
            e.totp_locked = t.totp_locked.then_some(true);
            e.tfa_locked_until = t.tfa_locked_until;
        }
        out.push(e);
    }
    Ok(out)
}

fn create_user(ctx: &Context, env: &RpcEnv, p: UserParams) -> Result<Null, ApiError> {
    require(ctx, env, |perms, a| {
        checks::check_realm_allocate_user(perms, a, &p.userid)?;
        let groups = GroupsParam::Create(p.groups.as_deref());
        checks::check_userid_group(perms, a, &p.userid, &["User.Modify"], groups)
    })?;
    dom::create_user(&ctx.store, &p.userid, &p.fields(), p.password.as_deref()).or_api()?;
    Ok(Null)
}

/// A user's configuration.
#[derive(Debug, Serialize, ApiType)]
pub struct UserConfigInfo {
    /// Whether the account may log in.
    pub enable: bool,
    /// Account expiry (0 = never).
    pub expire: u64,
    /// First name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub firstname: Option<String>,
    /// Last name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lastname: Option<String>,
    /// E-mail address.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Comment.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// Legacy second-factor keys.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub keys: Option<String>,
    /// Groups.
    pub groups: Vec<String>,
    /// Tokens by name.
    pub tokens: FreeObject,
}

fn read_user(ctx: &Context, _env: &RpcEnv, p: UseridParam) -> Result<UserConfigInfo, ApiError> {
    let mut cfg: UserConfig = user_cfg(ctx)?;
    cfg.sync_user_groups();
    let u = cfg
        .users
        .get(&p.userid)
        .ok_or_else(|| ApiError::internal(format!("no such user ('{}')", p.userid)))?;
    let tokens: Map<String, Value> = u
        .tokens
        .iter()
        .map(|(n, t)| {
            let mut v = json!({"expire": t.expire, "privsep": t.privsep});
            if let (Some(c), Some(o)) = (&t.comment, v.as_object_mut()) {
                o.insert("comment".into(), json!(c));
            }
            (n.clone(), v)
        })
        .collect();
    Ok(UserConfigInfo {
        enable: u.enable,
        expire: u.expire,
        firstname: u.firstname.clone(),
        lastname: u.lastname.clone(),
        email: u.email.clone(),
        comment: u.comment.clone(),
        keys: u.keys.clone(),
        groups: u.groups.iter().cloned().collect(),
        tokens: FreeObject(tokens),
    })
}

fn update_user(ctx: &Context, env: &RpcEnv, p: UserParams) -> Result<Null, ApiError> {
    if p.append.is_some() && p.groups.is_none() {
        return Err(ApiError::param(
            "append",
            "parameter 'append' requires 'groups'",
        ));
    }
    require(ctx, env, |perms, a| {
        let groups = GroupsParam::Update(p.groups.as_deref());
        checks::check_userid_group(perms, a, &p.userid, &["User.Modify"], groups)
    })?;
    dom::update_user(
        &ctx.store,
        &p.userid,
        &p.fields(),
        p.append.unwrap_or(false),
    )
    .or_api()?;
    Ok(Null)
}

fn delete_user(ctx: &Context, env: &RpcEnv, p: UseridParam) -> Result<Null, ApiError> {
    require(ctx, env, |perms, a| {
        checks::check_realm_allocate_user(perms, a, &p.userid)?;
        checks::check_userid_group(perms, a, &p.userid, &["User.Modify"], GroupsParam::Ignored)
    })?;
    dom::delete_user(&ctx.store, &p.userid).or_api()?;
    Ok(Null)
}

/// Parameters of the TFA type query.
#[derive(Debug, Deserialize, ApiType)]
pub struct TfaTypeParams {
    /// The user.
    #[api(format = "pve-userid")]
    pub userid: String,
    /// List every configured type.
    #[api(default = "0")]
    pub multiple: Option<bool>,
}

fn read_tfa_type(ctx: &Context, _env: &RpcEnv, p: TfaTypeParams) -> Result<FreeObject, ApiError> {
    let realm = p.userid.rsplit_once('@').map(|(_, r)| r).unwrap_or("");
    let (realms, _) = admin::realms::read_realms(&ctx.store).or_api()?;
    let section = realms
        .get(realm)
        .ok_or_else(|| ApiError::internal(format!("auth domain '{realm}' does not exist")))?;
    let mut out = Map::new();
    if let Some(kind) = section.get_str("tfa").and_then(|t| {
        t.split(',')
            .find_map(|kv| kv.strip_prefix("type="))
            .or_else(|| t.split(',').next().filter(|v| !v.contains('=')))
    }) {
        out.insert("realm".into(), json!(kind));
    }
    if p.multiple.unwrap_or(false) {
        let tfa: TfaFile = admin::read(&ctx.store, TFA_CFG).or_api()?;
        let kinds: Vec<&str> = tfa
            .0
            .users
            .get(&p.userid)
            .map(|u| {
                let mut k: Vec<&str> = admin::tfa::list_user(u).iter().map(|i| i.kind).collect();
                k.dedup();
                k
            })
            .unwrap_or_default();
        out.insert("user".into(), json!(kinds));
    }
    Ok(FreeObject(out))
}

fn unlock_tfa(ctx: &Context, _env: &RpcEnv, p: UseridParam) -> Result<bool, ApiError> {
    admin::tfa::unlock(&ctx.store, &p.userid).or_api()
}

const SELF_OR_AUDIT: Permission = Permission::Or(&[
    Permission::UseridParam,
    Permission::UseridGroup(&["User.Modify", "Sys.Audit"]),
]);

/// Routes of `/access/users`.
pub fn router() -> Router<Context> {
    let item = Router::new()
        .get(ApiMethod::new(
            "Get user configuration.",
            Permission::UseridGroup(&["User.Modify", "Sys.Audit"]),
            read_user,
        ))
        .put(ApiMethod::new("Update user configuration.", Permission::All, update_user).protected())
        .delete(ApiMethod::new("Delete user.", Permission::All, delete_user).protected())
        .subdir(
            "tfa",
            Router::new().get(
                ApiMethod::new(
                    "Get user TFA types (personal and realm).",
                    SELF_OR_AUDIT,
                    read_tfa_type,
                )
                .protected(),
            ),
        )
        .subdir("token", super::tokens::router())
        .subdir(
            "unlock-tfa",
            Router::new().put(
                ApiMethod::new(
                    "Unlock a user's TFA authentication.",
                    Permission::UseridGroup(&["User.Modify"]),
                    unlock_tfa,
                )
                .protected(),
            ),
        );
    Router::new()
        .get(ApiMethod::new("User index.", Permission::All, list_users).protected())
        .post(ApiMethod::new("Create new user.", Permission::All, create_user).protected())
        .param("userid", item)
}
