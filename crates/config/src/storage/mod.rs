//! `storage.cfg`: the cluster-wide list of storages, one section per storage.
//!
//! The file is a section config ([`crate::section`]) whose types are upstream's storage
//! plugins: dir, btrfs, nfs, cifs, glusterfs, cephfs, lvm, lvmthin, iscsi, iscsidirect,
//! rbd, zfspool, zfs (ZFS over iSCSI), pbs and esxi, each with its own option set
//! ([`schema`]). [`StorageConfig`] is the file model; [`StorageEntry`] gives typed
//! access to the fields every caller needs. Sections of unknown types (third-party
//! plugins) are kept and written back.
//!
//! Must not depend on: the storage plugins themselves (`virton-storage`).

pub mod schema;

#[cfg(test)]
mod tests;

use crate::section::{self, Diagnostic, Section, SectionConfig, SectionValue};
use crate::{Format, ParseError};
use std::collections::BTreeSet;

pub use schema::{content_types, image_formats, storage_def, SHARED_TYPES};

/// The path of the `local` storage every node has.
pub const LOCAL_PATH: &str = "/var/lib/vz";

/// The parsed `storage.cfg`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct StorageConfig {
    /// The storages in file order.
    pub sections: SectionConfig,
}

impl StorageConfig {
    /// The file a fresh install writes: only the `local` directory storage.
    pub fn fresh_install() -> Self {
        let mut local = Section::new("dir", "local");
        local.set("path", SectionValue::Str(LOCAL_PATH.into()));
        local.set("content", SectionValue::Str("iso,vztmpl,backup".into()));
        let mut sections = SectionConfig::new();
        sections.insert(local);
        Self { sections }
    }

    /// Reads the file as upstream does, reporting problems instead of failing.
    pub fn parse_lenient(file: &str, text: &str) -> (Self, Vec<Diagnostic>) {
        let (sections, diags) = section::parse_lenient(storage_def(), file, text);
        (Self { sections }, diags)
    }

    /// The storage with this id.
    pub fn get(&self, id: &str) -> Option<StorageEntry<'_>> {
        self.sections.get(id).map(StorageEntry)
    }

    /// All storages in file order.
    pub fn entries(&self) -> impl Iterator<Item = StorageEntry<'_>> {
        self.sections.iter().map(StorageEntry)
    }

    /// Checks a section against its type's options (values, required keys) as upstream
    /// does before storing a new storage.
    pub fn check_section(section: &Section) -> Result<(), String> {
        storage_def().check_section(section)
    }

    /// Checks that the whole file can be written.
    pub fn validate(&self) -> Result<(), section::WriteError> {
        section::validate(storage_def(), &self.sections)
    }

    /// Applies what upstream's reader adds to every parsed `storage.cfg`: a `local` dir
    /// storage at [`LOCAL_PATH`] (first in order) when there is none of that shape, no node
    /// restriction on `local`. Upstream writes this back with the next change.
    pub fn ensure_local(&mut self) {
        let ok = self.sections.get("local").is_some_and(|s| {
            s.section_type == "dir"
                && s.get_str("path")
                    .is_none_or(|p| p.is_empty() || p == LOCAL_PATH)
        });
        if !ok {
            let mut local = Section::new("dir", "local");
            local.set("path", SectionValue::Str(LOCAL_PATH.into()));
            local.set("prune-backups", SectionValue::Str("keep-all=1".into()));
            local.set(
                "content",
                SectionValue::Str("backup,images,iso,rootdir,snippets,vztmpl".into()),
            );
            self.sections.remove("local");
            self.sections
                .sections
                .shift_insert(0, "local".into(), local);
        }
        if let Some(local) = self.sections.get_mut("local") {
            if local.get_str("path").is_none_or(str::is_empty) {
                local.set("path", SectionValue::Str(LOCAL_PATH.into()));
            }
            local.props.shift_remove("nodes");
        }
    }
}

impl Format for StorageConfig {
    fn parse(file: &str, text: &str) -> Result<Self, ParseError> {
        let sections = section::parse_strict(storage_def(), file, text)?;
        Ok(Self { sections })
    }

    fn write(&self) -> String {
        section::write(storage_def(), &self.sections)
    }
}

/// Typed read access to one storage section.
#[derive(Debug, Clone, Copy)]
pub struct StorageEntry<'a>(pub &'a Section);

impl<'a> StorageEntry<'a> {
    /// The storage id.
    pub fn id(&self) -> &'a str {
        &self.0.id
    }

    /// The storage type (`dir`, `nfs`, ...).
    pub fn storage_type(&self) -> &'a str {
        &self.0.section_type
    }

    /// The `path` option (mount point or directory), when the type has one.
    pub fn path(&self) -> Option<&'a str> {
        self.0.get_str("path")
    }

    /// The allowed content types; the type's default set when the option is not set.
    pub fn content(&self) -> BTreeSet<String> {
        match self.0.get_str("content") {
            Some(c) => section::split_list(c)
                .into_iter()
                .filter(|c| c != "none")
                .collect(),
            None => content_types(self.storage_type())
                .map(|(_, default)| default.iter().map(|s| (*s).to_string()).collect())
                .unwrap_or_default(),
        }
    }

    /// The nodes the storage is restricted to (empty: all nodes).
    pub fn nodes(&self) -> Vec<String> {
        self.0
            .get_str("nodes")
            .map(section::split_list)
            .unwrap_or_default()
    }

    /// True when the storage is available on `node`.
    pub fn available_on(&self, node: &str) -> bool {
        let nodes = self.nodes();
        nodes.is_empty() || nodes.iter().any(|n| n == node)
    }

    /// True when the storage is shared: set explicitly, or a type that always is.
    pub fn shared(&self) -> bool {
        self.0.flag("shared") || SHARED_TYPES.contains(&self.storage_type())
    }

    /// True when the storage is disabled.
    pub fn disabled(&self) -> bool {
        self.0.flag("disable")
    }

    /// The default image format (`format` option, else the type's default).
    pub fn default_format(&self) -> &'a str {
        match self.0.get_str("format") {
            Some(f) => f,
            None => image_formats(self.storage_type()).map_or("raw", |(_, d)| d),
        }
    }

    /// Any option by key.
    pub fn get(&self, key: &str) -> Option<&'a SectionValue> {
        self.0.get(key)
    }
}
