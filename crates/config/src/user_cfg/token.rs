//! `priv/token.cfg`: the secrets of API tokens.
//!
//! One `user@realm!token secret` line per token (exactly one space). Invalid lines are
//! skipped with a warning; the writer sorts by token id.
//!
//! Must not depend on: `user.cfg` (the secret may outlive or predate the token entry).

use super::syntax::{is_space, split_tokenid};
use crate::{Format, ParseError};
use std::collections::BTreeMap;

/// The parsed `priv/token.cfg`: full token id -> secret.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TokenSecrets {
    /// Secrets (UUIDs) by full token id.
    pub tokens: BTreeMap<String, String>,
}

/// Upstream's warning for a skipped line.
pub const INVALID_ENTRY: &str = "skipping invalid token.cfg entry";

impl TokenSecrets {
    /// Parses leniently; returns the line numbers that were skipped.
    pub fn parse_with_warnings(text: &str) -> (Self, Vec<usize>) {
        let mut cfg = Self::default();
        let mut skipped = Vec::new();
        for (idx, line) in text.split('\n').enumerate() {
            if line.chars().all(is_space) {
                continue;
            }
            match split_entry(line) {
                Some((id, secret)) => {
                    cfg.tokens.insert(id.to_string(), secret.to_string());
                }
                None => skipped.push(idx + 1),
            }
        }
        (cfg, skipped)
    }
}

fn split_entry(line: &str) -> Option<(&str, &str)> {
    let (id, secret) = line.split_once(' ')?;
    let valid = !id.is_empty()
        && !secret.is_empty()
        && !id.contains(is_space)
        && !secret.contains(is_space)
        && split_tokenid(id).is_some();
    valid.then_some((id, secret))
}

impl Format for TokenSecrets {
    /// Never fails: invalid lines are skipped, as upstream does.
    fn parse(_file: &str, text: &str) -> Result<Self, ParseError> {
        Ok(Self::parse_with_warnings(text).0)
    }

    fn write(&self) -> String {
        self.tokens
            .iter()
            .map(|(id, secret)| format!("{id} {secret}\n"))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_lines_parse_and_write_sorted() {
        let text = "b@pam!t2 0c6e-22\na@pve!t1 9a1f-11\n";
        let cfg = TokenSecrets::parse("token.cfg", text).unwrap();
        assert_eq!(cfg.tokens["a@pve!t1"], "9a1f-11");
        assert_eq!(cfg.write(), "a@pve!t1 9a1f-11\nb@pam!t2 0c6e-22\n");
    }

    #[test]
    fn token_invalid_lines_are_skipped() {
        let (cfg, skipped) =
            TokenSecrets::parse_with_warnings("a@pve secret\na@pve!t1  two\na@pve!t1 s x\n\n");
        assert!(cfg.tokens.is_empty());
        assert_eq!(skipped, [1, 2, 3]);
    }
}
