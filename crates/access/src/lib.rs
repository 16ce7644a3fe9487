//! `virton-access`: who may do what, and how they prove who they are.
//!
//! L2 domain crate (sync, no async runtime). It owns permission evaluation over
//! `user.cfg` ([`perm`]), with Proxmox VE's exact semantics. The HTTP server calls into
//! it; it must not depend on the router, the server or any HTTP type.

pub mod perm;

pub use perm::{normalize_path, PermissionError, Permissions, PrivMap};
