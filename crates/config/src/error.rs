//! The one parse error type every grammar in this crate returns.
//!
//! A [`ParseError`] names the file, the 1-based line and the key it failed on, so a user
//! can find the problem; its `Display` follows upstream's `file X line N ...` wording.

use std::fmt;

/// A grammar failed on its input.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ParseError {
    /// File name as the user knows it (e.g. `storage.cfg`, `qemu-server/100.conf`).
    pub file: String,
    /// 1-based line number, when the error belongs to one line.
    pub line: Option<usize>,
    /// The key (or section id) the error concerns, when there is one.
    pub key: Option<String>,
    /// What is wrong, in upstream's wording where upstream has one.
    pub message: String,
}

impl ParseError {
    /// An error about `file` as a whole.
    pub fn new(file: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            file: file.into(),
            line: None,
            key: None,
            message: message.into(),
        }
    }

    /// Sets the 1-based line.
    pub fn at_line(mut self, line: usize) -> Self {
        self.line = Some(line);
        self
    }

    /// Sets the key.
    pub fn with_key(mut self, key: impl Into<String>) -> Self {
        self.key = Some(key.into());
        self
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "file {}", self.file)?;
        if let Some(line) = self.line {
            write!(f, " line {line}")?;
        }
        if let Some(key) = &self.key {
            write!(f, " key '{key}'")?;
        }
        write!(f, " - {}", self.message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names_file_line_and_key() {
        let e = ParseError::new("storage.cfg", "value does not look like a valid boolean")
            .at_line(4)
            .with_key("shared");
        assert_eq!(
            e.to_string(),
            "file storage.cfg line 4 key 'shared' - value does not look like a valid boolean"
        );
    }
}
