//! The API's route tree and everything derived from it.
//!
//! A [`Router`] maps `/api2/<format>/<path>` onto [`ApiMethod`]s. Each method carries its
//! metadata (description, [`Permission`], `protected`, proxy-to-node, token use) and its
//! parameter and return schemas, which come from the Rust types of its handler
//! (`ApiType`), never from a hand-written blob. The server, the CLI, the OpenAPI and
//! apidoc dumps and the permission tests all read this one tree.
//!
//! Sync code only: the async edge lives in `virton-server`. Must not depend on domain
//! crates: handlers reach them through the state type `S` that the `api` crate defines.

pub mod dump;
pub mod error;
pub mod method;
pub mod params;
pub mod permission;
pub mod tree;

pub use error::ApiError;
pub use method::{ApiMethod, HttpMethod, RpcEnv};
pub use params::{merge_params, to_wire};
pub use permission::{Permission, PermissionCheck};
pub use tree::Router;
