//! The one error type of identifier parsing.

/// An identifier failed validation. `Display` is Proxmox VE's wording for the
/// same failure (for schema formats, without the `invalid format - ` prefix
/// the parameter verifier adds).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct IdError {
    /// Which identifier kind was being parsed (`"vmid"`, `"userid"`, ...).
    pub kind: &'static str,
    /// The upstream-worded message.
    pub message: String,
}

impl IdError {
    /// An error of `kind` with `message`.
    pub fn new(kind: &'static str, message: impl Into<String>) -> Self {
        IdError {
            kind,
            message: message.into(),
        }
    }
}
