//! Error types of this crate: a bad schema definition, a bad property string and
//! per-parameter verification failures. Their `Display` is upstream's wording.

use indexmap::IndexMap;
use std::fmt;

/// A schema definition (upstream JSON dialect) that cannot be turned into a [`crate::Schema`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid schema at '{path}': {message}")]
pub struct SchemaError {
    /// Where in the definition (`properties.net0.format.model`, or empty for the root).
    pub path: String,
    /// What is wrong.
    pub message: String,
}

impl SchemaError {
    pub(crate) fn new(path: &str, message: impl Into<String>) -> Self {
        SchemaError {
            path: path.to_string(),
            message: message.into(),
        }
    }
}

/// A property string that does not parse or does not match its format.
///
/// Syntax errors (`duplicate key in comma-separated list property: file`) have no key
/// and no `errors`. Value errors are upstream's "format error": every offending key is
/// in `errors` (in schema order) and `key`/`message` repeat the first one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PropertyStringError {
    /// The key the (first) error is about, if any.
    pub key: Option<String>,
    /// Upstream's exact wording for the (first) error (`invalid format - ...` messages
    /// end with a newline, as upstream's do; `Display` trims it).
    pub message: String,
    /// Every per-key error of a "format error"; empty for syntax errors.
    pub errors: IndexMap<String, String>,
}

impl PropertyStringError {
    /// A syntax error not tied to one key's value.
    pub fn syntax(message: impl Into<String>) -> Self {
        PropertyStringError {
            key: None,
            message: message.into(),
            errors: IndexMap::new(),
        }
    }

    /// A "format error" with one message per key; `None` when `errors` is empty.
    pub fn format(errors: IndexMap<String, String>) -> Option<Self> {
        let (key, message) = errors.first()?;
        Some(PropertyStringError {
            key: Some(key.clone()),
            message: message.clone(),
            errors,
        })
    }
}

impl fmt::Display for PropertyStringError {
    /// Upstream's text: the syntax message, or `format error` followed by `key: message`
    /// lines (no trailing newline).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.errors.is_empty() {
            return f.write_str(&self.message);
        }
        f.write_str("format error")?;
        for (key, message) in &self.errors {
            write!(f, "\n{key}: {}", message.trim_end_matches('\n'))?;
        }
        Ok(())
    }
}

impl std::error::Error for PropertyStringError {}

/// Per-parameter verification errors: parameter path -> upstream's wording
/// (`value must have a minimum value of 1`). Nested paths use `.` and `[i]`; an error
/// about the value as a whole is under `_root`, as upstream does.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParameterErrors(pub IndexMap<String, String>);

impl ParameterErrors {
    /// Adds a message for `path`, joining with a literal `\n` when one is already
    /// there (upstream's `add_error` joins with the two characters backslash and n).
    pub fn add(&mut self, path: &str, message: impl Into<String>) {
        let path = if path.is_empty() { "_root" } else { path };
        let message = message.into();
        match self.0.get_mut(path) {
            Some(existing) => {
                existing.push_str("\\n");
                existing.push_str(&message);
            }
            None => {
                self.0.insert(path.to_string(), message);
            }
        }
    }

    /// True when no parameter failed.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Display for ParameterErrors {
    /// `Parameter verification failed.` followed by one `key: message` line per error.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Parameter verification failed.")?;
        for (key, message) in &self.0 {
            write!(f, "\n{key}: {}", message.trim_end_matches('\n'))?;
        }
        Ok(())
    }
}

impl std::error::Error for ParameterErrors {}
