//! `/cluster/options`: read and change `datacenter.cfg`. Callers without `Sys.Audit` on
//! `/` only see the settings every user needs (`console`, `tag-style`); every caller
//! gets the tags it may use (`allowed-tags`).

use crate::nodes::{has_priv, user_config};
use crate::types::{Empty, NoParams};
use crate::Context;
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use std::collections::BTreeSet;
use std::sync::OnceLock;
use virton_config::datacenter::{schema, DatacenterConfig};
use virton_config::store::StoreError;
use virton_config::user_cfg::UserConfig;
use virton_host::VmListCache;
use virton_router::{ApiError, ApiMethod, Permission, Router, RpcEnv};
use virton_schema::{ApiType, ObjectSchema, Schema};

/// The settings reply: the datacenter settings (structured ones as objects) and
/// `allowed-tags`.
#[derive(Debug, Serialize)]
#[serde(transparent)]
pub struct OptionsReply(pub Map<String, Value>);

impl ApiType for OptionsReply {
    fn api_schema() -> &'static Schema {
        static SCHEMA: OnceLock<Schema> = OnceLock::new();
        SCHEMA.get_or_init(|| {
            Schema::Object(ObjectSchema {
                description: Some("Datacenter settings.".into()),
                properties: Default::default(),
                additional_properties: true,
            })
        })
    }
}

/// The parameters of `PUT /cluster/options`: any `datacenter.cfg` setting plus `delete`.
#[derive(Debug, Deserialize)]
pub struct OptionsUpdate {
    /// Settings to remove.
    pub delete: Option<String>,
    /// Settings to set, by key.
    #[serde(flatten)]
    pub settings: Map<String, Value>,
}

impl ApiType for OptionsUpdate {
    fn api_schema() -> &'static Schema {
        static SCHEMA: OnceLock<Schema> = OnceLock::new();
        SCHEMA.get_or_init(update_schema)
    }
}

/// The datacenter keys' schemas (formats our verifier does not know are checked by the
/// config grammar instead) plus `delete`.
fn update_schema() -> Schema {
    let mut props = Map::new();
    for (key, prop) in schema::properties() {
        let mut prop = prop.clone();
        if key == "mac_prefix" {
            if let Some(o) = prop.as_object_mut() {
                o.remove("format");
            }
        }
        props.insert(key.clone(), prop);
    }
    props.insert(
        "delete".into(),
        json!({"type": "string", "format": "pve-configid-list", "optional": 1,
               "description": "Settings to delete."}),
    );
    let def = json!({"type": "object", "additionalProperties": 0, "properties": props});
    Schema::from_pve_json(&def).unwrap_or_else(|_| {
        Schema::Object(ObjectSchema {
            description: None,
            properties: Default::default(),
            additional_properties: true,
        })
    })
}

/// Reads `datacenter.cfg` leniently, as upstream does for reading.
fn read_datacenter(ctx: &Context) -> Result<DatacenterConfig, ApiError> {
    let path = ctx
        .store
        .path("datacenter.cfg")
        .map_err(|e| ApiError::internal(e.to_string()))?;
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => {
            return Err(ApiError::internal(format!(
                "unable to read '{}' - {e}",
                path.display()
            )))
        }
    };
    Ok(DatacenterConfig::parse_lenient("datacenter.cfg", &text).0)
}

/// Tags `authid` may set: the allow list of `user-tag-access`, the tags guests it can
/// audit already carry (modes `existing` and `free`), and with `Sys.Modify` on `/` the
/// registered tags too.
fn allowed_tags(
    ctx: &Context,
    dc: &DatacenterConfig,
    users: &UserConfig,
    authid: &str,
) -> Vec<String> {
    let access = dc.get_map("user-tag-access");
    let mode = access
        .and_then(|m| m.get("user-allow"))
        .and_then(Value::as_str)
        .unwrap_or("free");
    let mut tags: BTreeSet<String> = BTreeSet::new();
    if mode != "none" {
        if let Some(Value::Array(list)) = access.and_then(|m| m.get("user-allow-list")) {
            tags.extend(list.iter().filter_map(Value::as_str).map(str::to_string));
        }
    }
    if matches!(mode, "existing" | "free") {
        let vmlist = VmListCache::shared(&ctx.root).snapshot();
        for g in vmlist.iter() {
            let Some(t) = &g.tags else { continue };
            if has_priv(users, authid, &format!("/vms/{}", g.vmid), "VM.Audit") {
                tags.extend(split_tags(t));
            }
        }
    }
    if has_priv(users, authid, "/", "Sys.Modify") {
        tags.extend(dc.registered_tags().into_iter().map(str::to_string));
    }
    tags.into_iter().collect()
}

fn split_tags(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split([';', ',', ' '])
        .filter(|t| !t.is_empty())
        .map(str::to_string)
}

fn read_options(ctx: &Context, env: &RpcEnv, _p: NoParams) -> Result<OptionsReply, ApiError> {
    let authid = env.caller()?;
    let users = user_config(ctx)?;
    let dc = read_datacenter(ctx)?;
    let mut out = Map::new();
    if has_priv(&users, authid, "/", "Sys.Audit") {
        if !dc.description.is_empty() {
            out.insert("description".into(), Value::String(dc.description.clone()));
        }
        out.extend(dc.settings.iter().map(|(k, v)| (k.clone(), v.clone())));
    } else {
        for key in ["console", "tag-style"] {
            if let Some(v) = dc.settings.get(key) {
                out.insert(key.into(), v.clone());
            }
        }
    }
    let tags = allowed_tags(ctx, &dc, &users, authid);
    out.insert("allowed-tags".into(), json!(tags));
    Ok(OptionsReply(out))
}

/// Store errors or a refused value, inside the locked update.
enum UpdateError {
    Store(StoreError),
    Api(ApiError),
}

impl From<StoreError> for UpdateError {
    fn from(e: StoreError) -> Self {
        UpdateError::Store(e)
    }
}

/// A verified parameter back in its text form.
fn value_text(v: &Value) -> String {
    match v {
        Value::Bool(b) => u8::from(*b).to_string(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn apply_update(dc: &mut DatacenterConfig, p: &OptionsUpdate) -> Result<(), ApiError> {
    for (key, value) in &p.settings {
        let text = value_text(value);
        if key == "description" {
            dc.description = if text.is_empty() {
                text
            } else {
                format!("{}\n", text.trim_end_matches('\n'))
            };
            continue;
        }
        dc.set_text(key, &text)
            .map_err(|m| ApiError::param(key, m))?;
    }
    for key in virton_config::section::split_list(p.delete.as_deref().unwrap_or("")) {
        if key == "description" {
            dc.description.clear();
        }
        dc.settings.remove(&key);
    }
    dc.validate().map_err(|e| ApiError::internal(e.message))
}

fn update_options(ctx: &Context, _env: &RpcEnv, p: OptionsUpdate) -> Result<Empty, ApiError> {
    let result =
        ctx.store
            .update::<DatacenterConfig, _, UpdateError>("datacenter.cfg", None, |dc| {
                apply_update(dc, &p).map_err(UpdateError::Api)
            });
    match result {
        Ok(()) => Ok(Empty {}),
        Err(UpdateError::Api(e)) => Err(e),
        Err(UpdateError::Store(StoreError::BadPath(p))) => {
            Err(ApiError::bad_request(format!("invalid config path '{p}'")))
        }
        Err(UpdateError::Store(e)) => Err(ApiError::internal(e.to_string())),
    }
}

/// Routes of `/cluster/options`.
pub fn router() -> Router<Context> {
    Router::new()
        .get(ApiMethod::new(
            "Get datacenter options. Without 'Sys.Audit' on '/' not all options are returned.",
            Permission::All,
            read_options,
        ))
        .put(
            ApiMethod::new(
                "Set datacenter options.",
                Permission::Perm {
                    path: "/",
                    privs: &["Sys.Modify"],
                    any: false,
                },
                update_options,
            )
            .protected(),
        )
}
