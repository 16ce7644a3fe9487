//! Small wire types shared by many handlers.

use serde::{Deserialize, Serialize};
use virton_schema::ApiType;

/// No parameters.
#[derive(Debug, Default, Deserialize, ApiType)]
pub struct NoParams {}

/// Only the `node` path parameter.
#[derive(Debug, Deserialize, ApiType)]
pub struct NodeParam {
    /// The cluster node name.
    #[api(format = "pve-node")]
    pub node: String,
}

/// One entry of a directory index.
#[derive(Debug, Serialize, ApiType)]
pub struct DirEntry {
    /// Name of the subdirectory.
    pub subdir: String,
}

/// A method that returns nothing (`null`).
#[derive(Debug, Default, Serialize, ApiType)]
pub struct Empty {}
