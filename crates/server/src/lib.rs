//! `virton-server`: the HTTP(S) front of `virtond`.
//!
//! L3 surface crate. It owns the listeners (TLS on the API port with a plain-HTTP
//! redirect, and the local Unix socket), the node certificates, request parsing
//! and limits, the authentication pipeline and the PVE wire format of responses.
//! It calls handlers through `virton-router` and reaches access control only
//! through the [`Authenticator`] trait, never the access crate itself.

pub mod certs;

pub use certs::{ensure_certificates, fingerprint_sha256, CertError, CertPaths};
