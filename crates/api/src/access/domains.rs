//! `/access/domains`: authentication realms. Listing needs no login (the login form
//! shows it); changes are checked against the realm type's options.

use super::{FreeObject, Null};
use crate::error::OrApi;
use crate::Context;
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use virton_access::admin::realms as dom;
use virton_router::{ApiError, ApiMethod, Permission, Router, RpcEnv};
use virton_schema::ApiType;

fn to_map<T: Serialize>(v: &T) -> Result<Map<String, Value>, ApiError> {
    match serde_json::to_value(v) {
        Ok(Value::Object(m)) => Ok(m),
        _ => Err(ApiError::internal("unable to encode realm options")),
    }
}

/// A new realm.
#[derive(Debug, Deserialize, Serialize, ApiType)]
pub struct CreateParams {
    /// The realm id.
    #[api(format = "pve-realm", max_length = 32)]
    pub realm: String,
    /// The realm type.
    #[serde(rename = "type")]
    #[api(pattern = "^(?:ad|ldap|openid|pam|pve)$")]
    pub kind: String,
    /// Realm option `acr-values`.
    #[serde(rename = "acr-values", skip_serializing_if = "Option::is_none")]
    pub acr_values: Option<String>,
    /// Realm option `audiences`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub audiences: Option<String>,
    /// Realm option `autocreate`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub autocreate: Option<bool>,
    /// Realm option `base_dn`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub base_dn: Option<String>,
    /// Realm option `bind_dn`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bind_dn: Option<String>,
    /// Realm option `capath`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub capath: Option<String>,
    /// Realm option `case-sensitive`.
    #[serde(rename = "case-sensitive", skip_serializing_if = "Option::is_none")]
    pub case_sensitive: Option<bool>,
    /// Realm option `cert`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cert: Option<String>,
    /// Realm option `certkey`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub certkey: Option<String>,
    /// Realm option `check-connection`.
    #[serde(rename = "check-connection", skip_serializing_if = "Option::is_none")]
    pub check_connection: Option<bool>,
    /// Realm option `client-id`.
    #[serde(rename = "client-id", skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    /// Realm option `client-key`.
    #[serde(rename = "client-key", skip_serializing_if = "Option::is_none")]
    pub client_key: Option<String>,
    /// Realm option `comment`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// Realm option `default`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default: Option<bool>,
    /// Realm option `domain`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub domain: Option<String>,
    /// Realm option `filter`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub filter: Option<String>,
    /// Realm option `group_classes`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group_classes: Option<String>,
    /// Realm option `group_dn`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group_dn: Option<String>,
    /// Realm option `group_filter`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group_filter: Option<String>,
    /// Realm option `group_name_attr`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group_name_attr: Option<String>,
    /// Realm option `groups-autocreate`.
    #[serde(rename = "groups-autocreate", skip_serializing_if = "Option::is_none")]
    pub groups_autocreate: Option<bool>,
    /// Realm option `groups-claim`.
    #[serde(rename = "groups-claim", skip_serializing_if = "Option::is_none")]
    pub groups_claim: Option<String>,
    /// Realm option `groups-overwrite`.
    #[serde(rename = "groups-overwrite", skip_serializing_if = "Option::is_none")]
    pub groups_overwrite: Option<bool>,
    /// Realm option `issuer-url`.
    #[serde(rename = "issuer-url", skip_serializing_if = "Option::is_none")]
    pub issuer_url: Option<String>,
    /// Realm option `mode`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mode: Option<String>,
    /// Realm option `password`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
    /// Realm option `port`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub port: Option<u16>,
    /// Realm option `prompt`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prompt: Option<String>,
    /// Realm option `query-userinfo`.
    #[serde(rename = "query-userinfo", skip_serializing_if = "Option::is_none")]
    pub query_userinfo: Option<bool>,
    /// Realm option `scopes`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scopes: Option<String>,
    /// Realm option `secure`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secure: Option<bool>,
    /// Realm option `server1`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub server1: Option<String>,
    /// Realm option `server2`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub server2: Option<String>,
    /// Realm option `sslversion`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sslversion: Option<String>,
    /// Realm option `sync-defaults-options`.
    #[serde(
        rename = "sync-defaults-options",
        skip_serializing_if = "Option::is_none"
    )]
    pub sync_defaults_options: Option<String>,
    /// Realm option `sync_attributes`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sync_attributes: Option<String>,
    /// Realm option `tfa`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tfa: Option<String>,
    /// Realm option `user_attr`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_attr: Option<String>,
    /// Realm option `user_classes`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_classes: Option<String>,
    /// Realm option `username-claim`.
    #[serde(rename = "username-claim", skip_serializing_if = "Option::is_none")]
    pub username_claim: Option<String>,
    /// Realm option `verify`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verify: Option<bool>,
}

/// A realm change.
#[derive(Debug, Deserialize, Serialize, ApiType)]
pub struct UpdateParams {
    /// The realm id.
    #[api(format = "pve-realm", max_length = 32)]
    pub realm: String,
    /// Options to remove.
    #[api(format = "pve-configid-list")]
    pub delete: Option<String>,
    /// Refuse the change when the file's digest differs.
    #[api(max_length = 64)]
    pub digest: Option<String>,
    /// Realm option `acr-values`.
    #[serde(rename = "acr-values", skip_serializing_if = "Option::is_none")]
    pub acr_values: Option<String>,
    /// Realm option `audiences`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub audiences: Option<String>,
    /// Realm option `autocreate`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub autocreate: Option<bool>,
    /// Realm option `base_dn`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub base_dn: Option<String>,
    /// Realm option `bind_dn`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bind_dn: Option<String>,
    /// Realm option `capath`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub capath: Option<String>,
    /// Realm option `case-sensitive`.
    #[serde(rename = "case-sensitive", skip_serializing_if = "Option::is_none")]
    pub case_sensitive: Option<bool>,
    /// Realm option `cert`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cert: Option<String>,
    /// Realm option `certkey`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub certkey: Option<String>,
    /// Realm option `check-connection`.
    #[serde(rename = "check-connection", skip_serializing_if = "Option::is_none")]
    pub check_connection: Option<bool>,
    /// Realm option `client-id`.
    #[serde(rename = "client-id", skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    /// Realm option `client-key`.
    #[serde(rename = "client-key", skip_serializing_if = "Option::is_none")]
    pub client_key: Option<String>,
    /// Realm option `comment`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// Realm option `default`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default: Option<bool>,
    /// Realm option `domain`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub domain: Option<String>,
    /// Realm option `filter`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub filter: Option<String>,
    /// Realm option `group_classes`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group_classes: Option<String>,
    /// Realm option `group_dn`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group_dn: Option<String>,
    /// Realm option `group_filter`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group_filter: Option<String>,
    /// Realm option `group_name_attr`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group_name_attr: Option<String>,
    /// Realm option `groups-autocreate`.
    #[serde(rename = "groups-autocreate", skip_serializing_if = "Option::is_none")]
    pub groups_autocreate: Option<bool>,
    /// Realm option `groups-claim`.
    #[serde(rename = "groups-claim", skip_serializing_if = "Option::is_none")]
    pub groups_claim: Option<String>,
    /// Realm option `groups-overwrite`.
    #[serde(rename = "groups-overwrite", skip_serializing_if = "Option::is_none")]
    pub groups_overwrite: Option<bool>,
    /// Realm option `issuer-url`.
    #[serde(rename = "issuer-url", skip_serializing_if = "Option::is_none")]
    pub issuer_url: Option<String>,
    /// Realm option `mode`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mode: Option<String>,
    /// Realm option `password`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
    /// Realm option `port`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub port: Option<u16>,
    /// Realm option `prompt`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prompt: Option<String>,
    /// Realm option `query-userinfo`.
    #[serde(rename = "query-userinfo", skip_serializing_if = "Option::is_none")]
    pub query_userinfo: Option<bool>,
    /// Realm option `scopes`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scopes: Option<String>,
    /// Realm option `secure`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secure: Option<bool>,
    /// Realm option `server1`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub server1: Option<String>,
    /// Realm option `server2`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub server2: Option<String>,
    /// Realm option `sslversion`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sslversion: Option<String>,
    /// Realm option `sync-defaults-options`.
    #[serde(
        rename = "sync-defaults-options",
        skip_serializing_if = "Option::is_none"
    )]
    pub sync_defaults_options: Option<String>,
    /// Realm option `sync_attributes`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sync_attributes: Option<String>,
    /// Realm option `tfa`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tfa: Option<String>,
    /// Realm option `user_attr`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_attr: Option<String>,
    /// Realm option `user_classes`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_classes: Option<String>,
    /// Realm option `username-claim`.
    #[serde(rename = "username-claim", skip_serializing_if = "Option::is_none")]
    pub username_claim: Option<String>,
    /// Realm option `verify`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verify: Option<bool>,
}

/// A realm id.
#[derive(Debug, Deserialize, ApiType)]
pub struct RealmParam {
    /// The realm id.
    #[api(format = "pve-realm", max_length = 32)]
    pub realm: String,
}

/// One realm of the list.
#[derive(Debug, Serialize, ApiType)]
pub struct RealmEntry {
    /// The realm id.
    pub realm: String,
    /// The realm type.
    #[serde(rename = "type")]
    pub kind: String,
    /// Comment.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// The default realm of the login form.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default: Option<bool>,
    /// The realm's enforced second factor type.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tfa: Option<String>,
}

fn tfa_type(value: &str) -> Option<String> {
    value.split(',').find_map(|kv| match kv.split_once('=') {
        Some(("type", t)) => Some(t.to_string()),
        None => Some(kv.to_string()),
        _ => None,
    })
}

fn list_realms(
    ctx: &Context,
    _env: &RpcEnv,
    _p: crate::types::NoParams,
) -> Result<Vec<RealmEntry>, ApiError> {
    let (cfg, _) = dom::read_realms(&ctx.store).or_api()?;
    Ok(cfg
        .sections
        .iter()
        .map(|s| RealmEntry {
            realm: s.id.clone(),
            kind: s.section_type.clone(),
            comment: s
                .get_str("comment")
                .filter(|c| !c.is_empty())
                .map(str::to_string),
            default: s.flag("default").then_some(true),
            tfa: s.get_str("tfa").and_then(tfa_type),
        })
        .collect())
}

fn read_realm(ctx: &Context, _env: &RpcEnv, p: RealmParam) -> Result<FreeObject, ApiError> {
    let (cfg, digest) = dom::read_realms(&ctx.store).or_api()?;
    let s = cfg
        .get(&p.realm)
        .ok_or_else(|| ApiError::internal(format!("domain '{}' does not exist", p.realm)))?;
    let mut out = Map::new();
    out.insert("type".into(), json!(s.section_type));
    for (k, v) in &s.props {
        let value = match v {
            virton_config::section::SectionValue::Bool(b) => json!(b),
            virton_config::section::SectionValue::Int(i) => json!(i),
            other => json!(other.to_string()),
        };
        out.insert(k.clone(), value);
    }
    out.insert("digest".into(), json!(digest));
    Ok(FreeObject(out))
}

fn create_realm(ctx: &Context, _env: &RpcEnv, p: CreateParams) -> Result<Null, ApiError> {
    let props = to_map(&p)?;
    dom::create_realm(&ctx.store, &p.realm, &p.kind, &props).or_api()?;
    Ok(Null)
}

fn update_realm(ctx: &Context, _env: &RpcEnv, p: UpdateParams) -> Result<Null, ApiError> {
    let props = to_map(&p)?;
    dom::update_realm(
        &ctx.store,
        &p.realm,
        &props,
        p.delete.as_deref(),
        p.digest.as_deref(),
    )
    .or_api()?;
    Ok(Null)
}

fn delete_realm(ctx: &Context, _env: &RpcEnv, p: RealmParam) -> Result<Null, ApiError> {
    dom::delete_realm(&ctx.store, &p.realm).or_api()?;
    Ok(Null)
}

const ALLOCATE: Permission = Permission::Perm {
    path: "/access/realm",
    privs: &["Realm.Allocate"],
    any: false,
};

/// Routes of `/access/domains`.
pub fn router() -> Router<Context> {
    let item = Router::new()
        .get(ApiMethod::new(
            "Get auth server configuration.",
            Permission::Perm {
                path: "/access/realm",
                privs: &["Realm.Allocate", "Sys.Audit"],
                any: true,
            },
            read_realm,
        ))
        .put(
            ApiMethod::new(
                "Update authentication server settings.",
                ALLOCATE,
                update_realm,
            )
            .protected(),
        )
        .delete(
            ApiMethod::new("Delete an authentication server.", ALLOCATE, delete_realm).protected(),
        );
    Router::new()
        .get(ApiMethod::new(
            "Authentication domain index.",
            Permission::World,
            list_realms,
        ))
        .post(ApiMethod::new("Add an authentication server.", ALLOCATE, create_realm).protected())
        .param("realm", item)
}
