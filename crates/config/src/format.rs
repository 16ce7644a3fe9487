//! The shape every file grammar in this crate shares, and the unchanged-file guarantee.
//!
//! A grammar implements [`Format`]: a pure `parse` from text and a canonical `write`
//! (what upstream would write). [`Document`] wraps a parsed value together with the text
//! it came from: writing a document whose value was not changed gives back the original
//! bytes exactly, so reading and re-writing a file never reformats it; after any change the
//! canonical form is written.

use crate::ParseError;
use std::ops::{Deref, DerefMut};

/// A configuration file grammar: a typed model with a parser and a canonical writer.
pub trait Format: Sized {
    /// Parses `text`; `file` names the file in error messages.
    fn parse(file: &str, text: &str) -> Result<Self, ParseError>;
    /// Writes the canonical text, as upstream writes this file.
    fn write(&self) -> String;
}

/// A parsed file that remembers its source text.
#[derive(Debug, Clone)]
pub struct Document<T> {
    value: T,
    source: Option<(String, T)>,
}

impl<T: Format + Clone + PartialEq> Document<T> {
    /// Parses `text` and remembers it.
    pub fn parse(file: &str, text: &str) -> Result<Self, ParseError> {
        let value = T::parse(file, text)?;
        Ok(Self {
            source: Some((text.to_string(), value.clone())),
            value,
        })
    }

    /// A document for a value that has no source text (a new file).
    pub fn new(value: T) -> Self {
        Self {
            value,
            source: None,
        }
    }

    /// The text to store: the original bytes when the value is unchanged, else canonical.
    pub fn write(&self) -> String {
        match &self.source {
            Some((raw, parsed)) if *parsed == self.value => raw.clone(),
            _ => self.value.write(),
        }
    }

    /// The canonical text of the current value, whether or not it changed.
    pub fn write_canonical(&self) -> String {
        self.value.write()
    }

    /// True when the value differs from what was parsed (or there was no source).
    pub fn is_changed(&self) -> bool {
        !matches!(&self.source, Some((_, parsed)) if *parsed == self.value)
    }

    /// Gives up the wrapper.
    pub fn into_inner(self) -> T {
        self.value
    }
}

impl<T> Deref for Document<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.value
    }
}

impl<T> DerefMut for Document<T> {
    fn deref_mut(&mut self) -> &mut T {
        &mut self.value
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A toy grammar: lines, canonical form sorted.
    #[derive(Debug, Clone, PartialEq)]
    struct Lines(Vec<String>);

    impl Format for Lines {
        fn parse(_file: &str, text: &str) -> Result<Self, ParseError> {
            let mut v: Vec<String> = text.lines().map(|l| l.trim().to_string()).collect();
            v.sort();
            Ok(Self(v))
        }
        fn write(&self) -> String {
            self.0.iter().map(|l| format!("{l}\n")).collect()
        }
    }

    #[test]
    fn unchanged_document_writes_original_bytes() {
        let doc = Document::<Lines>::parse("x", "b\n  a\n").unwrap();
        assert!(!doc.is_changed());
        assert_eq!(doc.write(), "b\n  a\n");
    }

    #[test]
    fn changed_document_writes_canonical_text() {
        let mut doc = Document::<Lines>::parse("x", "b\n  a\n").unwrap();
        doc.0.push("c".into());
        assert!(doc.is_changed());
        assert_eq!(doc.write(), "a\nb\nc\n");
    }
}
