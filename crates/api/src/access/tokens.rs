//! `/access/users/{userid}/token`: a user's API tokens.

use super::users::TokenEntry;
use super::Null;
use crate::error::OrApi;
use crate::Context;
use serde::{Deserialize, Serialize};
use virton_access::admin::tokens::{self as dom, NewToken, TokenFields};
use virton_router::{ApiError, ApiMethod, Permission, Router, RpcEnv};
use virton_schema::ApiType;

/// The owner and name of a token, plus the settable fields.
#[derive(Debug, Deserialize, ApiType)]
pub struct TokenParams {
    /// The owning user.
    #[api(format = "pve-userid")]
    pub userid: String,
    /// The token name.
    #[api(pattern = "^[A-Za-z][A-Za-z0-9\\.\\-_]+$")]
    pub tokenid: String,
    /// Expiry (Unix seconds, 0 = never).
    #[api(minimum = 0)]
    pub expire: Option<u64>,
    /// Restrict the token to its own ACL entries.
    #[api(default = "1")]
    pub privsep: Option<bool>,
    /// Comment.
    pub comment: Option<String>,
    /// Settings to remove (update only).
    #[api(format = "pve-configid-list")]
    pub delete: Option<String>,
    /// Make a new secret (update only).
    #[api(default = "0")]
    pub regenerate: Option<bool>,
}

impl TokenParams {
    fn fields(&self) -> TokenFields {
        TokenFields {
            expire: self.expire,
            privsep: self.privsep,
            comment: self.comment.clone(),
        }
    }
}

/// The owner and name of a token.
#[derive(Debug, Deserialize, ApiType)]
pub struct TokenIdParams {
    /// The owning user.
    #[api(format = "pve-userid")]
    pub userid: String,
    /// The token name.
    #[api(pattern = "^[A-Za-z][A-Za-z0-9\\.\\-_]+$")]
    pub tokenid: String,
}

/// The owner only.
#[derive(Debug, Deserialize, ApiType)]
pub struct OwnerParam {
    /// The owning user.
    #[api(format = "pve-userid")]
    pub userid: String,
}

/// A token's settings.
#[derive(Debug, Serialize, ApiType)]
pub struct TokenInfo {
    /// Expiry (Unix seconds, 0 = never).
    pub expire: u64,
    /// Privilege separation.
    pub privsep: bool,
    /// Comment.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

/// A new token.
#[derive(Debug, Serialize, ApiType)]
pub struct GeneratedToken {
    /// Its settings.
    pub info: TokenInfo,
    /// The secret, shown only now.
    pub value: String,
    /// `user@realm!name`.
    #[serde(rename = "full-tokenid")]
    pub full_tokenid: String,
}

/// An updated token (with a new secret when regenerated).
#[derive(Debug, Serialize, ApiType)]
pub struct UpdatedToken {
    /// Expiry (Unix seconds, 0 = never).
    pub expire: u64,
    /// Privilege separation.
    pub privsep: bool,
    /// Comment.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// The new secret (with `regenerate`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// `user@realm!name` (with `regenerate`).
    #[serde(rename = "full-tokenid", skip_serializing_if = "Option::is_none")]
    pub full_tokenid: Option<String>,
}

fn info(t: &virton_config::user_cfg::Token) -> TokenInfo {
    TokenInfo {
        expire: t.expire,
        privsep: t.privsep,
        comment: t.comment.clone(),
    }
}

fn list_tokens(ctx: &Context, _env: &RpcEnv, p: OwnerParam) -> Result<Vec<TokenEntry>, ApiError> {
    let cfg = super::user_cfg(ctx)?;
    let user = cfg
        .users
        .get(&p.userid)
        .ok_or_else(|| ApiError::internal(format!("no such user ('{}')", p.userid)))?;
    Ok(user
        .tokens
        .iter()
        .map(|(n, t)| TokenEntry::new(n, t))
        .collect())
}

fn read_token(ctx: &Context, _env: &RpcEnv, p: TokenIdParams) -> Result<TokenInfo, ApiError> {
    let cfg = super::user_cfg(ctx)?;
    dom::read_token(&cfg, &p.userid, &p.tokenid)
        .map(info)
        .or_api()
}

fn generate_token(
    ctx: &Context,
    _env: &RpcEnv,
    p: TokenParams,
) -> Result<GeneratedToken, ApiError> {
    let t: NewToken =
        dom::generate_token(&ctx.store, &p.userid, &p.tokenid, &p.fields()).or_api()?;
    Ok(GeneratedToken {
        info: info(&t.info),
        value: t.value.unwrap_or_default(),
        full_tokenid: t.full_tokenid,
    })
}

fn update_token(ctx: &Context, _env: &RpcEnv, p: TokenParams) -> Result<UpdatedToken, ApiError> {
    let regenerate = p.regenerate.unwrap_or(false);
    let t = dom::update_token(
        &ctx.store,
        &p.userid,
        &p.tokenid,
        &p.fields(),
        p.delete.as_deref(),
        regenerate,
    )
    .or_api()?;
    Ok(UpdatedToken {
        expire: t.info.expire,
        privsep: t.info.privsep,
        comment: t.info.comment,
        full_tokenid: regenerate.then_some(t.full_tokenid),
        value: t.value,
    })
}

fn remove_token(ctx: &Context, _env: &RpcEnv, p: TokenIdParams) -> Result<Null, ApiError> {
    dom::remove_token(&ctx.store, &p.userid, &p.tokenid).or_api()?;
    Ok(Null)
}

const SELF_OR_MODIFY: Permission = Permission::Or(&[
    Permission::UseridParam,
    Permission::UseridGroup(&["User.Modify"]),
]);

/// Routes of `/access/users/{userid}/token`.
pub fn router() -> Router<Context> {
    let item = Router::new()
        .get(ApiMethod::new(
            "Get specific API token information.",
            SELF_OR_MODIFY,
            read_token,
        ))
        .post(
            ApiMethod::new(
                "Generate a new API token for a user; the secret is returned only once.",
                SELF_OR_MODIFY,
                generate_token,
            )
            .protected(),
        )
        .put(
            ApiMethod::new(
                "Update an API token of a user.",
                SELF_OR_MODIFY,
                update_token,
            )
            .protected(),
        )
        .delete(
            ApiMethod::new(
                "Remove an API token of a user.",
                SELF_OR_MODIFY,
                remove_token,
            )
            .protected(),
        );
    Router::new()
        .get(ApiMethod::new(
            "Get user API tokens.",
            SELF_OR_MODIFY,
            list_tokens,
        ))
        .param("tokenid", item)
}
