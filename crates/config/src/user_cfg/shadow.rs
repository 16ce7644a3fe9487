//! `priv/shadow.cfg`: password hashes of users in the built-in `pve` realm.
//!
//! One `userid:hash:` line per user. Lines of another shape are skipped (with a warning
//! kept in [`ShadowConfig::parse_with_warnings`]); the writer sorts by user id.
//!
//! Must not depend on: `user.cfg` (a hash may exist for a user that does not).

use super::syntax::{is_space, trim};
use crate::{Format, ParseError};
use std::collections::BTreeMap;

/// The parsed `priv/shadow.cfg`: user id -> crypt(3) hash.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ShadowConfig {
    /// Password hashes by user id.
    pub users: BTreeMap<String, String>,
}

impl ShadowConfig {
    /// Parses leniently; returns the skipped lines' numbers with upstream's warning text.
    pub fn parse_with_warnings(text: &str) -> (Self, Vec<(usize, String)>) {
        let mut cfg = Self::default();
        let mut warnings = Vec::new();
        for (idx, raw) in text.split('\n').enumerate() {
            let line = trim(raw);
            if line.is_empty() {
                continue;
            }
            match split_entry(line) {
                Some((user, hash)) => {
                    cfg.users.insert(user.to_string(), hash.to_string());
                }
                None => warnings.push((
                    idx + 1,
                    format!("pve shadow password: ignore invalid line {}", idx + 1),
                )),
            }
        }
        (cfg, warnings)
    }
}

/// `user:hash:` where both parts are non-empty and nothing contains whitespace.
fn split_entry(line: &str) -> Option<(&str, &str)> {
    if line.contains(is_space) {
        return None;
    }
    let body = line.strip_suffix(':')?;
    // Some inner colon must have text on both sides (the `\S+:\S+:` shape).
    let shaped = body
        .char_indices()
        .any(|(i, c)| c == ':' && i > 0 && i + 1 < body.len());
    if !shaped {
        return None;
    }
    let mut fields = body.split(':');
    let user = fields.next().unwrap_or_default();
    let hash = fields.next().unwrap_or_default();
    Some((user, hash))
}

impl Format for ShadowConfig {
    /// Never fails: malformed lines are skipped, as upstream does.
    fn parse(_file: &str, text: &str) -> Result<Self, ParseError> {
        Ok(Self::parse_with_warnings(text).0)
    }

    fn write(&self) -> String {
        self.users
            .iter()
            .map(|(user, hash)| format!("{user}:{hash}:\n"))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shadow_lines_parse_and_write_sorted() {
        let text = "b@pve:$5$x$y:\n\na@pve:$5$s$h:\n";
        let cfg = ShadowConfig::parse("shadow.cfg", text).unwrap();
        assert_eq!(cfg.users["a@pve"], "$5$s$h");
        assert_eq!(cfg.write(), "a@pve:$5$s$h:\nb@pve:$5$x$y:\n");
    }

    #[test]
    fn shadow_malformed_lines_are_skipped_with_warning() {
        let (cfg, warnings) =
            ShadowConfig::parse_with_warnings("a@pve:hash\nb@pve x:h:\nc@pve::\n");
        assert!(cfg.users.is_empty());
        assert_eq!(warnings.len(), 3);
        assert_eq!(warnings[0].1, "pve shadow password: ignore invalid line 1");
    }

    #[test]
    fn shadow_extra_fields_keep_first_two() {
        let cfg = ShadowConfig::parse("s", "a@pve:h:x:\n").unwrap();
        assert_eq!(cfg.users["a@pve"], "h");
    }
}
