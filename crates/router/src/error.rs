//! [`ApiError`]: the one error shape every handler returns and the server renders.
//!
//! Upstream puts the first line of the message into the HTTP reason phrase and the whole
//! message plus per-parameter `errors` into the body; clients rely on both.

use indexmap::IndexMap;
use std::fmt;
use virton_schema::ParameterErrors;

/// An API error: HTTP status, message and per-parameter errors.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// HTTP status code.
    pub status: u16,
    /// The message; its first line becomes the reason phrase.
    pub message: String,
    /// Errors per parameter name (for 400 parameter verification failures).
    pub errors: IndexMap<String, String>,
}

impl ApiError {
    /// An error with `status` and `message`.
    pub fn new(status: u16, message: impl Into<String>) -> Self {
        Self {
            status,
            message: message.into(),
            errors: IndexMap::new(),
        }
    }

    /// 400 with a message.
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(400, message)
    }

    /// 400 `Parameter verification failed.` with the per-parameter errors.
    pub fn params(errors: ParameterErrors) -> Self {
        Self {
            status: 400,
            message: "Parameter verification failed.".into(),
            errors: errors.0,
        }
    }

    /// 400 for a single parameter.
    pub fn param(name: impl Into<String>, error: impl Into<String>) -> Self {
        let mut errors = IndexMap::new();
        errors.insert(name.into(), error.into());
        Self::params(ParameterErrors(errors))
    }

    /// 401 `Authentication failed!`.
    pub fn unauthorized() -> Self {
        Self::new(401, "Authentication failed!")
    }

    /// 403 with a message (upstream: `Permission check failed (...)`).
    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::new(403, message)
    }

    /// 404 with a message.
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(404, message)
    }

    /// 500 with a message (upstream's `die` text).
    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(500, message)
    }

    /// 501 with a message.
    pub fn not_implemented(message: impl Into<String>) -> Self {
        Self::new(501, message)
    }

    /// The HTTP reason phrase: the first line of the message, without control characters.
    pub fn reason(&self) -> String {
        let first = self.message.lines().next().unwrap_or("").trim_end();
        first.chars().filter(|c| !c.is_control()).collect()
    }

    /// The message as the `message` body field: always ending in a newline, as upstream.
    pub fn body_message(&self) -> String {
        let mut m = self.message.clone();
        if !m.ends_with('\n') {
            m.push('\n');
        }
        m
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.message.trim_end())?;
        for (k, v) in &self.errors {
            write!(f, "\n{k}: {}", v.trim_end())?;
        }
        Ok(())
    }
}

impl std::error::Error for ApiError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reason_is_first_line_of_message() {
        let e = ApiError::internal("unable to open file\nsecond line");
        assert_eq!(e.reason(), "unable to open file");
        assert_eq!(e.body_message(), "unable to open file\nsecond line\n");
    }

    #[test]
    fn param_error_is_400_with_upstream_text() {
        let e = ApiError::param("vmid", "value must have a minimum value of 100");
        assert_eq!(e.status, 400);
        assert_eq!(e.reason(), "Parameter verification failed.");
        assert_eq!(e.errors["vmid"], "value must have a minimum value of 100");
    }
}
