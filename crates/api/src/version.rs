//! `/version`: the API version clients check first (Ansible, Packer, Terraform do).

use crate::types::NoParams;
use crate::Context;
use serde::Serialize;
use virton_router::{ApiMethod, Permission, Router};
use virton_schema::ApiType;

/// The Proxmox VE release whose API this build implements; clients gate features on it.
pub const PVE_COMPAT_RELEASE: &str = "9.1";
/// The full Proxmox VE version string reported for compatibility.
pub const PVE_COMPAT_VERSION: &str = "9.1.1";

/// `GET /version`.
#[derive(Debug, Serialize, ApiType)]
pub struct VersionInfo {
    /// Release (major.minor) of the API implemented.
    pub release: String,
    /// Full version of the API implemented.
    pub version: String,
    /// Build identifier of this VirtOn build.
    pub repoid: String,
    /// Default console viewer from datacenter.cfg, when set.
    pub console: Option<String>,
}

fn read_version(
    ctx: &Context,
    _env: &virton_router::RpcEnv,
    _p: NoParams,
) -> Result<VersionInfo, virton_router::ApiError> {
    Ok(VersionInfo {
        release: PVE_COMPAT_RELEASE.into(),
        version: PVE_COMPAT_VERSION.into(),
        repoid: format!("virton-{}", env!("CARGO_PKG_VERSION")),
        console: ctx.datacenter_console(),
    })
}

/// Routes of `/version`.
pub fn router() -> Router<Context> {
    Router::new().get(ApiMethod::new(
        "API version details.",
        Permission::All,
        read_version,
    ))
}
