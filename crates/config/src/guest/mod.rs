//! Guest configs: `qemu-server/<vmid>.conf` ([`qemu::VmConfig`]) and `lxc/<vmid>.conf`
//! ([`lxc::CtConfig`]), exactly as Proxmox VE reads and writes them.
//!
//! Both files share one line grammar: a main section, then `[name]` snapshot sections and
//! a pending section; `key: value` lines; a description kept in leading `#` comment lines
//! (percent-encoded, see [`text`]). This module holds what both share: the section model,
//! strict/lenient error handling, and the pending `delete:` list. Values are checked per
//! key ([`keys`], [`value`]) the way upstream's reader does, so a file reads and writes
//! back as upstream would.
//!
//! Must not depend on anything above L1, nor on storage or QEMU logic.

pub mod formats;
pub mod keys;
pub mod lxc;
pub mod qemu;
pub mod text;
pub mod value;

use crate::ParseError;
use std::collections::BTreeMap;

/// How to treat malformed input: upstream reads strictly only when asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ParseMode {
    /// The first problem is an error.
    Strict,
    /// Problems are skipped and reported as warnings (upstream's default when reading).
    #[default]
    Lenient,
}

/// A parsed config with the warnings a lenient read collected.
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed<T> {
    /// The config.
    pub config: T,
    /// One message per skipped problem, in upstream's wording.
    pub warnings: Vec<String>,
}

/// One section of a VM config: its description and its `key: value` settings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Section {
    /// Text of the `#` comment lines (or `description:` lines), `None` when absent.
    pub description: Option<String>,
    /// Settings by key; written in this (byte-wise sorted) order.
    pub values: BTreeMap<String, String>,
}

impl Section {
    /// True when the section has neither settings nor a description.
    pub fn is_empty(&self) -> bool {
        self.description.is_none() && self.values.is_empty()
    }

    /// The value of `key`.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.values.get(key).map(String::as_str)
    }
}

/// One entry of a pending section's `delete:` list.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct PendingDelete {
    /// The key to delete when the pending changes are applied.
    pub key: String,
    /// Written as `!key`: delete even if the value cannot be removed cleanly.
    pub force: bool,
}

/// Parses a `delete:` value: keys separated by `,`, `;` or whitespace, `!` marks force.
/// A key listed twice keeps its last marker, as upstream's hash does.
pub fn parse_pending_delete(data: &str) -> Vec<PendingDelete> {
    let mut map: BTreeMap<String, bool> = BTreeMap::new();
    for entry in data.split(|c: char| c == ',' || c == ';' || c.is_whitespace()) {
        if entry.is_empty() {
            continue;
        }
        let (force, key) = match entry.strip_prefix('!') {
            Some(key) => (true, key),
            None => (false, entry),
        };
        map.insert(key.to_string(), force);
    }
    map.into_iter()
        .map(|(key, force)| PendingDelete { key, force })
        .collect()
}

/// Prints a `delete:` value: sorted by key, comma separated, `!` before forced keys.
pub fn print_pending_delete(entries: &[PendingDelete]) -> String {
    let mut map: BTreeMap<&str, bool> = BTreeMap::new();
    for e in entries {
        map.insert(&e.key, e.force);
    }
    let parts: Vec<String> = map
        .into_iter()
        .map(|(k, force)| {
            if force {
                format!("!{k}")
            } else {
                k.to_string()
            }
        })
        .collect();
    parts.join(",")
}

/// The delete list of a pending section's values (VMs and containers alike).
pub fn pending_deletions_in(values: &BTreeMap<String, String>) -> Vec<PendingDelete> {
    values
        .get("delete")
        .map(|v| parse_pending_delete(v))
        .unwrap_or_default()
}

/// Replaces the delete list in a pending section's values; an empty list removes the
/// `delete` line.
pub fn set_pending_deletions_in(values: &mut BTreeMap<String, String>, entries: &[PendingDelete]) {
    if entries.is_empty() {
        values.remove("delete");
    } else {
        values.insert("delete".to_string(), print_pending_delete(entries));
    }
}

/// The guest id used in messages: the numeric stem of `<dir>/<vmid>.conf`, else the
/// file name itself (upstream refuses such names; we only need them for wording).
pub(crate) fn guest_label(file: &str) -> String {
    let name = file.rsplit('/').next().unwrap_or(file);
    match name.strip_suffix(".conf") {
        Some(stem) if !stem.is_empty() && stem.bytes().all(|b| b.is_ascii_digit()) => {
            stem.to_string()
        }
        _ => file.to_string(),
    }
}

/// Collects problems: errors in strict mode, warnings in lenient mode.
pub(crate) struct Problems<'a> {
    file: &'a str,
    mode: ParseMode,
    pub(crate) warnings: Vec<String>,
}

impl<'a> Problems<'a> {
    pub(crate) fn new(file: &'a str, mode: ParseMode) -> Self {
        Self {
            file,
            mode,
            warnings: Vec::new(),
        }
    }

    /// Reports a problem at 1-based `line`: `Err` in strict mode, else a warning.
    pub(crate) fn report(
        &mut self,
        line: usize,
        key: Option<&str>,
        message: String,
    ) -> Result<(), ParseError> {
        if self.mode == ParseMode::Lenient {
            self.warnings.push(message);
            return Ok(());
        }
        let mut err = ParseError::new(self.file, message).at_line(line);
        if let Some(key) = key {
            err = err.with_key(key);
        }
        Err(err)
    }

    /// Records a warning that is not an error even in strict mode.
    pub(crate) fn warn(&mut self, message: String) {
        self.warnings.push(message);
    }
}

/// Matches `<prefix>:\s*(.*\S)\s*$` (used for `description:`, `args:`, `delete:`): the
/// value after the colon, trimmed, and non-empty.
pub(crate) fn match_trimmed_value<'l>(line: &'l str, prefix: &str) -> Option<&'l str> {
    let rest = line.strip_prefix(prefix)?.strip_prefix(':')?;
    let value = trim_perl_ws(rest);
    (!value.is_empty()).then_some(value)
}

/// Whitespace as Perl's `\s` (ASCII subset, which is what config files use).
pub(crate) fn is_perl_ws(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0b' | '\x0c')
}

pub(crate) fn trim_perl_ws(s: &str) -> &str {
    s.trim_matches(is_perl_ws)
}

/// Matches upstream's unanchored `snapstate:\s*(prepare|delete)\s*$`.
pub(crate) fn match_snapstate(line: &str) -> Option<&'static str> {
    line.match_indices("snapstate:").find_map(|(pos, m)| {
        let rest = line.get(pos + m.len()..)?.trim_matches(is_perl_ws);
        ["prepare", "delete"].into_iter().find(|word| rest == *word)
    })
}

/// Matches a `key: value` line where the key is `[a-z]` then `key_chars`, then digits;
/// the value is `(.+?)\s*$` after optional whitespace (it may be a lone space).
pub(crate) fn match_key_value(line: &str, dash_in_key: bool) -> Option<(&str, &str)> {
    let (key, rest) = line.split_once(':')?;
    let mut chars = key.chars();
    if !chars.next().is_some_and(|c| c.is_ascii_lowercase()) {
        return None;
    }
    let body = key.trim_end_matches(|c: char| c.is_ascii_digit());
    let body_ok = body
        .chars()
        .all(|c| c.is_ascii_lowercase() || c == '_' || (dash_in_key && c == '-'));
    if !body_ok {
        return None;
    }
    let value = rest.trim_start_matches(is_perl_ws);
    let value = if value.is_empty() {
        // `\s*` gives back one whitespace character to satisfy `.+?`.
        rest.get(rest.len().checked_sub(1)?..)?
    } else {
        value.trim_end_matches(is_perl_ws)
    };
    (!value.is_empty()).then_some((key, value))
}

/// Splits a description for writing: lines as Perl's `split(/\n/)` (trailing empty
/// lines dropped), each encoded as a `#` comment line.
pub(crate) fn description_lines(descr: &str) -> String {
    let mut lines: Vec<&str> = descr.split('\n').collect();
    while lines.last().is_some_and(|l| l.is_empty()) {
        lines.pop();
    }
    lines
        .iter()
        .map(|l| format!("#{}\n", text::encode_text(l)))
        .collect()
}

/// Perl truthiness of a string: empty and `0` are false.
pub(crate) fn perl_true(s: &str) -> bool {
    !s.is_empty() && s != "0"
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod proptests;
