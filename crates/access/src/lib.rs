//! `virton-access`: who may do what, and how they prove who they are.
//!
//! L2 domain crate (sync, no async runtime). It owns permission evaluation over
//! `user.cfg` ([`perm`]), with Proxmox VE's exact semantics. The HTTP server calls into
//! it; tickets, CSRF tokens and the signing keys are in [`ticket`]; passwords and API
//! tokens in [`auth`] (with [`password`] hashing and [`pam`]); second factors and the
//! login lockout in [`tfa`]. It must not
//! depend on the router, the server or any HTTP type.

pub mod admin;
pub mod auth;
pub mod pam;
pub mod password;
pub mod perm;
pub mod tfa;
pub mod ticket;

pub use perm::{normalize_path, PermissionError, Permissions, PrivMap};

/// Compares two byte strings in time independent of where they differ.
pub fn ct_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
