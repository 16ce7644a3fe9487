//! The API's handlers, one module per URL path: `src/<path>.rs` (or `<path>/mod.rs`) serves
//! `/api2/json/<path>`, and each module ends with its `router()`.
//!
//! Handlers are thin: take the typed parameters, call one domain function (access,
//! config, tasks, ...), map its error with [`error`]. Permissions are declared on the
//! methods and checked by the server before the handler runs.
//!
//! Must not depend on `server`, `client`, `cli` or `daemon`.

pub mod access;
pub mod cluster;
pub mod context;
pub mod error;
pub mod nodes;
pub mod pools;
pub mod types;
pub mod version;

pub use context::Context;

use types::{DirEntry, NoParams};
use virton_router::{ApiMethod, Permission, Router};

/// The whole API tree below `/api2/<format>/`.
pub fn router() -> Router<Context> {
    Router::new()
        .get(dir_index(&[
            "access", "cluster", "nodes", "pools", "storage", "version",
        ]))
        .subdir("access", access::router())
        .subdir("cluster", cluster::router())
        .subdir("nodes", nodes::router())
        .subdir("pools", pools::router())
        .subdir("version", version::router())
}

/// A `GET` directory index answering `[{"subdir": name}, ...]`, as upstream's index methods.
pub fn dir_index(entries: &'static [&'static str]) -> ApiMethod<Context> {
    ApiMethod::new(
        "Directory index.",
        Permission::All,
        move |_ctx: &Context, _env, _p: NoParams| {
            Ok(entries
                .iter()
                .map(|e| DirEntry {
                    subdir: (*e).to_string(),
                })
                .collect::<Vec<_>>())
        },
    )
}
