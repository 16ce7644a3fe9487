//! `lxc/<vmid>.conf`: the raw container config model, its reader ([`parse`]) and its
//! canonical writer ([`write`]).
//!
//! A file is a main section, an optional `[pve:pending]` section and `[<snapshot>]`
//! sections. Besides `key: value` settings a section carries raw `lxc.*` keys (kept in
//! file order and passed through to LXC) and the runtime environment
//! (`lxc.environment.runtime` lines, NUL-joined as upstream stores them).
//!
//! Must not depend on storage or LXC runtime logic.

pub mod formats;
mod parse;
pub mod raw_keys;
pub mod typed;
mod write;

use super::keys::ct_key_type;
use super::value::{check_value, Flavor};
use super::{ParseMode, Parsed, PendingDelete};
use crate::{Format, ParseError};
use std::collections::BTreeMap;

/// One section of a container config.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CtSection {
    /// Text of the `#` comment lines; `None` when absent (upstream drops an empty one).
    pub description: Option<String>,
    /// Settings by key, written in this (byte-wise sorted) order.
    pub values: BTreeMap<String, String>,
    /// Runtime environment variables (`NAME=value`) joined by NUL, as upstream's `env`.
    pub env: Option<String>,
    /// Raw `lxc.*` keys in file order.
    pub lxc: Vec<(String, String)>,
}

impl CtSection {
    /// True when nothing at all is set.
    pub fn is_empty(&self) -> bool {
        self.description.is_none()
            && self.values.is_empty()
            && self.env.is_none()
            && self.lxc.is_empty()
    }

    /// The value of `key`.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.values.get(key).map(String::as_str)
    }
}

/// A container config file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CtConfig {
    /// The current configuration.
    pub main: CtSection,
    /// Changes waiting to be applied (`[pve:pending]`); its `delete` value is the delete list.
    pub pending: CtSection,
    /// Snapshots by name.
    pub snapshots: BTreeMap<String, CtSection>,
}

impl CtConfig {
    /// Reads a container config; `file` should be `.../lxc/<vmid>.conf` (the id is used
    /// in messages).
    pub fn parse_with(file: &str, text: &str, mode: ParseMode) -> Result<Parsed<Self>, ParseError> {
        parse::parse(file, text, mode)
    }

    /// The value of `key` in the current configuration.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.main.get(key)
    }

    /// Sets `key` after checking it as upstream's reader does (upstream's message on
    /// failure); `description` and `env` set those fields.
    pub fn set(&mut self, key: &str, value: &str) -> Result<(), String> {
        set_in(&mut self.main, key, value)
    }

    /// Removes `key` from the current configuration.
    pub fn remove(&mut self, key: &str) -> Option<String> {
        self.main.values.remove(key)
    }

    /// Sets `key` in the pending section (checked like [`Self::set`]).
    pub fn set_pending(&mut self, key: &str, value: &str) -> Result<(), String> {
        set_in(&mut self.pending, key, value)
    }

    /// The pending section's delete list.
    pub fn pending_deletions(&self) -> Vec<PendingDelete> {
        super::pending_deletions_in(&self.pending.values)
    }

    /// Replaces the pending delete list (an empty list removes the `delete` line).
    pub fn set_pending_deletions(&mut self, entries: &[PendingDelete]) {
        super::set_pending_deletions_in(&mut self.pending.values, entries)
    }

    /// The runtime environment variables of the current configuration.
    pub fn env_vars(&self) -> Vec<&str> {
        self.main
            .env
            .as_deref()
            .map(|e| e.split('\0').filter(|v| !v.is_empty()).collect())
            .unwrap_or_default()
    }
}

fn set_in(section: &mut CtSection, key: &str, value: &str) -> Result<(), String> {
    if key == "description" {
        section.description = Some(value.to_string());
        return Ok(());
    }
    let value = check_value(key, ct_key_type(key), value, Flavor::Ct)?;
    if key == "env" {
        section.env = Some(value);
    } else {
        section.values.insert(key.to_string(), value);
    }
    Ok(())
}

impl Format for CtConfig {
    /// Reads leniently, as upstream does when loading a config; warnings are dropped
    /// (use [`CtConfig::parse_with`] to see them).
    fn parse(file: &str, text: &str) -> Result<Self, ParseError> {
        Self::parse_with(file, text, ParseMode::Lenient).map(|p| p.config)
    }

    fn write(&self) -> String {
        write::write(self)
    }
}

#[cfg(test)]
mod tests;
