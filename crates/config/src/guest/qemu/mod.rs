//! `qemu-server/<vmid>.conf`: the raw VM config model, its reader ([`parse`]) and its
//! canonical writer ([`write`]).
//!
//! A file is a main section, an optional `[PENDING]` section (with a `delete:` list),
//! `[special:<name>]` sections (`cloudinit`, `fleecing`) and `[<snapshot>]` sections.
//! Values are kept as strings, normalized and checked per key like upstream does when
//! reading; typed views over them live in the typed layer.
//!
//! Must not depend on storage or QEMU command-line logic.

pub mod devices;
pub mod formats;
mod parse;
pub mod typed;
mod write;

use super::keys::{vm_key_type, ValueType};
use super::value::{check_value, Flavor};
use super::{ParseMode, Parsed, PendingDelete, Section};
use crate::{Format, ParseError};
use std::collections::BTreeMap;

/// Names of the `[special:<name>]` sections upstream knows.
pub const SPECIAL_SECTIONS: &[&str] = &["cloudinit", "fleecing"];

/// A VM config file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VmConfig {
    /// The current configuration.
    pub main: Section,
    /// Changes waiting to be applied (`[PENDING]`); its `delete` value is the delete list.
    pub pending: Section,
    /// `[special:<name>]` sections by name.
    pub special: BTreeMap<String, Section>,
    /// Snapshots by name.
    pub snapshots: BTreeMap<String, Section>,
}

impl VmConfig {
    /// Reads a VM config. `file` should be `.../qemu-server/<vmid>.conf`: the vmid is
    /// used in messages as upstream does.
    pub fn parse_with(file: &str, text: &str, mode: ParseMode) -> Result<Parsed<Self>, ParseError> {
        parse::parse(file, text, mode)
    }

    /// The value of `key` in the current configuration.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.main.get(key)
    }

    /// Sets `key` in the current configuration after checking the value as upstream's
    /// reader would; returns upstream's message on failure. `description` sets the
    /// description.
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

    /// True when any disk of the current configuration is a cloud-init drive.
    pub fn has_cloudinit(&self) -> bool {
        write::has_cloudinit(&self.main)
    }
}

fn set_in(section: &mut Section, key: &str, value: &str) -> Result<(), String> {
    if key == "description" {
        section.description = Some(value.to_string());
        return Ok(());
    }
    let ty: Option<ValueType> = vm_key_type(key);
    let value = check_value(key, ty, value, Flavor::Vm)?;
    let key = if key == "cdrom" { "ide2" } else { key };
    section.values.insert(key.to_string(), value);
    Ok(())
}

impl Format for VmConfig {
    /// Reads leniently, as upstream does when loading a config; warnings are dropped
    /// (use [`VmConfig::parse_with`] to see them).
    fn parse(file: &str, text: &str) -> Result<Self, ParseError> {
        Self::parse_with(file, text, ParseMode::Lenient).map(|p| p.config)
    }

    fn write(&self) -> String {
        write::write(self)
    }
}

#[cfg(test)]
mod tests;
