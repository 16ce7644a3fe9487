//! `/pools`: resource pools. Both the older `/pools/{poolid}` forms and the newer
//! `?poolid=` query forms (used by the bpg Terraform provider) are served; the domain
//! work is in `virton_access::admin::pools`.

use crate::access::{caller, user_cfg, Null};
use crate::error::OrApi;
use crate::Context;
use serde::{Deserialize, Serialize};
use virton_access::admin::pools::{self as dom, PoolUpdate};
use virton_access::perm::Permissions;
use virton_config::storage::StorageConfig;
use virton_config::user_cfg::ROOT_USER;
use virton_router::{ApiError, ApiMethod, Permission, Router, RpcEnv};
use virton_schema::ApiType;

/// List filter or single-pool query.
#[derive(Debug, Deserialize, ApiType)]
pub struct ListParams {
    /// Only this pool, with its members.
    #[api(format = "pve-poolid")]
    pub poolid: Option<String>,
    /// Only members of this type (`qemu`, `lxc` or `storage`).
    #[serde(rename = "type")]
    #[api(pattern = "^(?:qemu|lxc|storage)$")]
    pub kind: Option<String>,
}

/// One pool member.
#[derive(Debug, Serialize, ApiType)]
pub struct PoolMember {
    /// `qemu/<vmid>`, `lxc/<vmid>` or `storage/<node>/<storage>`.
    pub id: String,
    /// The node the member is on.
    pub node: String,
    /// `qemu`, `lxc` or `storage`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The guest id (guests only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vmid: Option<u64>,
    /// The storage id (storages only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub storage: Option<String>,
    /// The storage type (storages only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub plugintype: Option<String>,
    /// Whether the storage is shared (storages only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shared: Option<bool>,
    /// Allowed content types (storages only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub content: Option<String>,
    /// Status (no statistics are collected yet: `unknown`).
    pub status: String,
}

crate::nested_list!(
    /// Members inside a list entry.
    MemberList,
    PoolMember
);

/// One pool.
#[derive(Debug, Serialize, ApiType)]
pub struct PoolEntry {
    /// The pool.
    pub poolid: String,
    /// Comment.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// Members (only for a single-pool query).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub members: Option<MemberList>,
}

/// One pool's configuration (older form).
#[derive(Debug, Serialize, ApiType)]
pub struct PoolInfo {
    /// Comment.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// Members.
    pub members: Vec<PoolMember>,
}

/// A pool id and optional comment.
#[derive(Debug, Deserialize, ApiType)]
pub struct CreateParams {
    /// The pool.
    #[api(format = "pve-poolid")]
    pub poolid: String,
    /// Comment.
    pub comment: Option<String>,
}

/// A pool change.
#[derive(Debug, Deserialize, ApiType)]
pub struct UpdateParams {
    /// The pool.
    #[api(format = "pve-poolid")]
    pub poolid: String,
    /// Comment.
    pub comment: Option<String>,
    /// Guests to add or remove.
    #[api(format = "pve-vmid-list")]
    pub vms: Option<String>,
    /// Storages to add or remove.
    #[api(format = "pve-storage-id-list")]
    pub storage: Option<String>,
    /// Move guests that already belong to another pool.
    #[serde(rename = "allow-move")]
    #[api(default = "0")]
    pub allow_move: Option<bool>,
    /// Remove the listed members instead of adding them.
    #[api(default = "0")]
    pub delete: Option<bool>,
}

/// A pool id.
#[derive(Debug, Deserialize, ApiType)]
pub struct PoolIdParam {
    /// The pool.
    #[api(format = "pve-poolid")]
    pub poolid: String,
}

fn storage_cfg(ctx: &Context) -> Result<StorageConfig, ApiError> {
    virton_access::admin::read(&ctx.store, "storage.cfg").or_api()
}

fn members(
    ctx: &Context,
    pool: &virton_config::user_cfg::Pool,
    kind: Option<&str>,
) -> Result<Vec<PoolMember>, ApiError> {
    let guests = dom::guest_index(&ctx.store);
    let mut out = Vec::new();
    for id in &pool.vms {
        let Some(g) = guests.get(id) else { continue };
        if kind.is_some_and(|k| k != g.kind) {
            continue;
        }
        out.push(PoolMember {
            id: format!("{}/{id}", g.kind),
            node: g.node.clone(),
            kind: g.kind.to_string(),
            vmid: Some(*id),
            storage: None,
            plugintype: None,
            shared: None,
            content: None,
            status: "unknown".into(),
        });
    }
    if kind.is_some_and(|k| k != "storage") {
        return Ok(out);
    }
    let scfg = storage_cfg(ctx)?;
    for sid in &pool.storage {
        let Some(entry) = scfg.get(sid) else { continue };
        let node = if entry.available_on(&ctx.node) {
            ctx.node.clone()
        } else {
            entry
                .nodes()
                .first()
                .cloned()
                .unwrap_or_else(|| ctx.node.clone())
        };
        out.push(PoolMember {
            id: format!("storage/{node}/{sid}"),
            node,
            kind: "storage".into(),
            vmid: None,
            storage: Some(sid.clone()),
            plugintype: Some(entry.storage_type().to_string()),
            shared: Some(entry.shared()),
            content: Some(entry.content().into_iter().collect::<Vec<_>>().join(",")),
            status: "unknown".into(),
        });
    }
    Ok(out)
}

fn pool_details(
    ctx: &Context,
    env: &RpcEnv,
    poolid: &str,
    kind: Option<&str>,
) -> Result<PoolEntry, ApiError> {
    let authid = caller(env)?;
    let cfg = user_cfg(ctx)?;
    if authid != ROOT_USER {
        Permissions::new(&cfg)
            .check(authid, &format!("/pool/{poolid}"), &["Pool.Audit"], false)
            .or_api()?;
    }
    let pool = cfg
        .pools
        .get(poolid)
        .ok_or_else(|| ApiError::internal(format!("pool '{poolid}' does not exist")))?;
    Ok(PoolEntry {
        poolid: poolid.to_string(),
        comment: pool.comment.clone(),
        members: Some(MemberList(members(ctx, pool, kind)?)),
    })
}

fn list_pools(ctx: &Context, env: &RpcEnv, p: ListParams) -> Result<Vec<PoolEntry>, ApiError> {
    if let Some(poolid) = p.poolid.as_deref() {
        return Ok(vec![pool_details(ctx, env, poolid, p.kind.as_deref())?]);
    }
    if p.kind.is_some() {
        return Err(ApiError::param(
            "type",
            "parameter 'type' requires 'poolid'",
        ));
    }
    let authid = caller(env)?;
    let cfg = user_cfg(ctx)?;
    let perms = Permissions::new(&cfg);
    Ok(cfg
        .pools
        .iter()
        .filter(|(name, _)| {
            perms
                .check(authid, &format!("/pool/{name}"), &["Pool.Audit"], false)
                .is_ok()
        })
        .map(|(name, pool)| PoolEntry {
            poolid: name.clone(),
            comment: pool.comment.clone(),
            members: None,
        })
        .collect())
}

fn read_pool(ctx: &Context, env: &RpcEnv, p: ListParams) -> Result<PoolInfo, ApiError> {
    let poolid = p.poolid.unwrap_or_default();
    let e = pool_details(ctx, env, &poolid, p.kind.as_deref())?;
    Ok(PoolInfo {
        comment: e.comment,
        members: e.members.unwrap_or_default().0,
    })
}

fn create_pool(ctx: &Context, _env: &RpcEnv, p: CreateParams) -> Result<Null, ApiError> {
    dom::create_pool(&ctx.store, &p.poolid, p.comment.as_deref()).or_api()?;
    Ok(Null)
}

fn update_pool(ctx: &Context, env: &RpcEnv, p: UpdateParams) -> Result<Null, ApiError> {
    let authid = caller(env)?;
    let upd = PoolUpdate {
        poolid: &p.poolid,
        comment: p.comment.as_deref(),
        vms: p.vms.as_deref(),
        storage: p.storage.as_deref(),
        allow_move: p.allow_move.unwrap_or(false),
        delete: p.delete.unwrap_or(false),
    };
    dom::update_pool(&ctx.store, authid, &upd).or_api()?;
    Ok(Null)
}

fn delete_pool(ctx: &Context, _env: &RpcEnv, p: PoolIdParam) -> Result<Null, ApiError> {
    let guests = dom::guest_index(&ctx.store);
    let scfg = storage_cfg(ctx)?;
    dom::delete_pool(
        &ctx.store,
        &p.poolid,
        &|id| guests.contains_key(&id),
        &|s| scfg.get(s).is_some(),
    )
    .or_api()?;
    Ok(Null)
}

const ALLOCATE: Permission = Permission::Perm {
    path: "/pool/{poolid}",
    privs: &["Pool.Allocate"],
    any: false,
};

/// Routes of `/pools`.
pub fn router() -> Router<Context> {
    let item = Router::new()
        .get(ApiMethod::new(
            "Get pool configuration (older form; use GET /pools?poolid=).",
            Permission::Perm {
                path: "/pool/{poolid}",
                privs: &["Pool.Audit"],
                any: false,
            },
            read_pool,
        ))
        .put(ApiMethod::new("Update pool data (older form).", ALLOCATE, update_pool).protected())
        .delete(ApiMethod::new("Delete pool (older form).", ALLOCATE, delete_pool).protected());
    Router::new()
        .get(ApiMethod::new(
            "List pools or get pool configuration.",
            Permission::All,
            list_pools,
        ))
        .post(ApiMethod::new("Create new pool.", ALLOCATE, create_pool).protected())
        .put(ApiMethod::new("Update pool.", ALLOCATE, update_pool).protected())
        .delete(ApiMethod::new("Delete pool.", ALLOCATE, delete_pool).protected())
        .param("poolid", item)
}
