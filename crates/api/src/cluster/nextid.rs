//! `/cluster/nextid`: the lowest free VMID of the `next-id` range, or a check that a
//! given VMID is free.

use crate::error::OrApi;
use crate::Context;
use serde::{Deserialize, Serialize, Serializer};
use std::sync::OnceLock;
use virton_config::datacenter::DatacenterConfig;
use virton_host::VmListCache;
use virton_router::{ApiError, ApiMethod, Permission, Router, RpcEnv};
use virton_schema::{ApiType, IntegerSchema, Schema};

/// Parameters of `GET /cluster/nextid`.
#[derive(Debug, Deserialize, ApiType)]
pub struct NextIdParams {
    /// Check that this VMID is free (and return it).
    #[api(format = "pve-vmid")]
    pub vmid: Option<u32>,
}

/// A free VMID. Upstream's reply carries it as a JSON string (clients such as
/// proxmox-api-go assert that), although the schema says integer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NextId(pub u32);

impl Serialize for NextId {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0.to_string())
    }
}

impl ApiType for NextId {
    fn api_schema() -> &'static Schema {
        static SCHEMA: OnceLock<Schema> = OnceLock::new();
        SCHEMA.get_or_init(|| {
            Schema::Integer(IntegerSchema {
                description: Some("The next free VMID.".into()),
                ..Default::default()
            })
        })
    }
}

fn read_next_id(ctx: &Context, _env: &RpcEnv, p: NextIdParams) -> Result<NextId, ApiError> {
    let vmlist = VmListCache::shared(&ctx.root).snapshot();
    if let Some(vmid) = p.vmid {
        if vmlist.contains(vmid) {
            return Err(ApiError::param("vmid", format!("VM {vmid} already exists")));
        }
        return Ok(NextId(vmid));
    }
    let (dc, _) = ctx
        .store
        .read::<DatacenterConfig>("datacenter.cfg")
        .or_api()?;
    let (lower, upper) = dc.next_id_range();
    (lower.max(0)..upper)
        .filter_map(|id| u32::try_from(id).ok())
        .find(|id| !vmlist.contains(*id))
        .map(NextId)
        .ok_or_else(|| {
            ApiError::internal(format!(
                "unable to get any free VMID in range [{lower}, {upper}]"
            ))
        })
}

/// Routes of `/cluster/nextid`.
pub fn router() -> Router<Context> {
    Router::new().get(ApiMethod::new(
        "Get next free VMID. Pass a VMID to assert that its free (at time of check).",
        Permission::All,
        read_next_id,
    ))
}
