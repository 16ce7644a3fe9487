//! APT repository files: one-line `.list` files and deb822 `.sources` files.
//!
//! The model follows proxmox-apt's: a file holds an ordered list of repositories, each with
//! package types, URIs, suites, components, other options, the comment lines written above
//! it, and whether it is enabled (`# deb ...` in `.list` files, `Enabled: no` in `.sources`).
//! Errors use proxmox-apt's wording (`malformed entry on line N - missing suite`,
//! `check for repository N - missing component(s)`).
//!
//! Two deliberate improvements over proxmox-apt, both invisible for files it writes itself:
//! comment lines after the last repository are kept ([`AptRepositoryFile::trailing_comment`])
//! instead of being dropped, and a deb822 value that spanned several lines (an inline
//! `Signed-By` key) is written back on several lines instead of being joined into one.
//!
//! Must not depend on: the file system (reading and writing files is the `host` crate's job).

mod list;
mod sources;

#[cfg(test)]
mod tests;

use crate::{Format, ParseError};
use std::fmt;

/// The two file formats APT reads from `sources.list.d`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AptFileType {
    /// One-line format (`.list`).
    List,
    /// deb822 stanza format (`.sources`).
    Sources,
}

impl AptFileType {
    /// The name used on the wire and as file extension (`list`, `sources`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::List => "list",
            Self::Sources => "sources",
        }
    }
}

/// What a repository provides: binary or source packages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AptPackageType {
    /// Binary packages (`deb`).
    Deb,
    /// Source packages (`deb-src`).
    DebSrc,
}

impl AptPackageType {
    /// Parses `deb` or `deb-src`, with serde's wording on failure.
    pub fn parse(s: &str) -> Result<Self, String> {
        match s {
            "deb" => Ok(Self::Deb),
            "deb-src" => Ok(Self::DebSrc),
            _ => Err(format!(
                "unknown variant `{s}`, expected `deb` or `deb-src`"
            )),
        }
    }
}

impl fmt::Display for AptPackageType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Deb => "deb",
            Self::DebSrc => "deb-src",
        })
    }
}

/// An option of a repository (`arch=amd64` in `.list`, `Architectures: amd64` in `.sources`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AptRepositoryOption {
    /// Option key as written.
    pub key: String,
    /// Option values (split at `,` in `.list` files, at whitespace in `.sources` files).
    pub values: Vec<String>,
    /// For a deb822 value written over several lines: those lines, trimmed, the first
    /// one being what followed the key (possibly empty). Empty for one-line values.
    pub folded: Vec<String>,
}

impl AptRepositoryOption {
    /// A one-line option.
    pub fn new(key: impl Into<String>, values: Vec<String>) -> Self {
        Self {
            key: key.into(),
            values,
            folded: Vec::new(),
        }
    }
}

/// One repository entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AptRepository {
    /// Package types.
    pub types: Vec<AptPackageType>,
    /// Repository URIs.
    pub uris: Vec<String>,
    /// Suites (distributions); one ending in `/` is an absolute path without components.
    pub suites: Vec<String>,
    /// Components.
    pub components: Vec<String>,
    /// Further options, in file order.
    pub options: Vec<AptRepositoryOption>,
    /// Comment lines above the entry, each without its `#`, each ending in `\n`.
    pub comment: String,
    /// Format of the file the entry lives in.
    pub file_type: AptFileType,
    /// Whether APT uses the entry.
    pub enabled: bool,
}

impl AptRepository {
    /// An empty, enabled repository of the given format.
    pub fn new(file_type: AptFileType) -> Self {
        Self {
            types: Vec::new(),
            uris: Vec::new(),
            suites: Vec::new(),
            components: Vec::new(),
            options: Vec::new(),
            comment: String::new(),
            file_type,
            enabled: true,
        }
    }

    /// Enables or disables the entry; for `.sources` also sets its `Enabled` option.
    pub fn set_enabled(&mut self, enabled: bool) {
        self.enabled = enabled;
        if self.file_type != AptFileType::Sources {
            return;
        }
        let value = vec![enabled.to_string()];
        match self.options.iter_mut().find(|o| o.key == "Enabled") {
            Some(option) => {
                option.values = value;
                option.folded.clear();
            }
            None => self
                .options
                .push(AptRepositoryOption::new("Enabled", value)),
        }
    }

    /// Checks that the entry has what APT needs, in proxmox-apt's wording.
    pub fn basic_check(&self) -> Result<(), String> {
        if self.types.is_empty() {
            return Err("missing package type(s)".into());
        }
        if self.uris.is_empty() {
            return Err("missing URI(s)".into());
        }
        if self.suites.is_empty() {
            return Err("missing suite(s)".into());
        }
        if let Some(uri) = self.uris.iter().find(|u| !u.contains(':') || u.len() < 3) {
            return Err(format!("invalid URI: '{uri}'"));
        }
        for suite in &self.suites {
            match (suite.ends_with('/'), self.components.is_empty()) {
                (false, true) => return Err("missing component(s)".into()),
                (true, false) => {
                    return Err(format!(
                        "absolute suite '{suite}' does not allow component(s)"
                    ))
                }
                _ => {}
            }
        }
        if self.file_type == AptFileType::List {
            if self.types.len() > 1 {
                return Err("more than one package type".into());
            }
            if self.uris.len() > 1 {
                return Err("more than one URI".into());
            }
            if self.suites.len() > 1 {
                return Err("more than one suite".into());
            }
        }
        Ok(())
    }
}

/// A parsed repository file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AptRepositoryFile {
    /// The file's format.
    pub file_type: AptFileType,
    /// Repositories in file order.
    pub repositories: Vec<AptRepository>,
    /// Comment lines after the last repository (without `#`, each ending in `\n`).
    pub trailing_comment: String,
}

impl AptRepositoryFile {
    /// An empty file of the given format.
    pub fn new(file_type: AptFileType) -> Self {
        Self {
            file_type,
            repositories: Vec::new(),
            trailing_comment: String::new(),
        }
    }

    /// Parses `text` in the given format; `file` names the file in errors.
    pub fn parse_as(file: &str, text: &str, file_type: AptFileType) -> Result<Self, ParseError> {
        let (repositories, trailing_comment) = match file_type {
            AptFileType::List => list::parse(file, text)?,
            AptFileType::Sources => sources::parse(file, text)?,
        };
        for (n, repo) in repositories.iter().enumerate() {
            repo.basic_check().map_err(|e| {
                ParseError::new(file, format!("check for repository {} - {e}", n + 1))
            })?;
        }
        Ok(Self {
            file_type,
            repositories,
            trailing_comment,
        })
    }

    /// Checks every repository, naming the first bad one as proxmox-apt does.
    pub fn check(&self) -> Result<(), String> {
        for (n, repo) in self.repositories.iter().enumerate() {
            repo.basic_check()
                .map_err(|e| format!("check for repository {} - {e}", n + 1))?;
        }
        Ok(())
    }
}

/// How APT treats a file in `sources.list.d`, by name: `Ok(None)` when APT skips it
/// (hidden, backup or package-manager leftovers), an error for names APT rejects.
pub fn classify_file_name(name: &str) -> Result<Option<AptFileType>, String> {
    if name.starts_with('.') || name.ends_with('~') {
        return Ok(None);
    }
    let Some((_, extension)) = name.rsplit_once('.') else {
        return Err("invalid extension".into());
    };
    if extension.starts_with("dpkg-")
        || extension.starts_with("ucf-")
        || matches!(
            extension,
            "disabled" | "bak" | "save" | "orig" | "distUpgrade"
        )
    {
        return Ok(None);
    }
    let file_type = match extension {
        "list" => AptFileType::List,
        "sources" => AptFileType::Sources,
        _ => return Err("invalid extension".into()),
    };
    let valid = name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
    if !valid {
        return Err("invalid characters in file name".into());
    }
    Ok(Some(file_type))
}

impl Format for AptRepositoryFile {
    /// Picks the format from the file name: `*.sources` is deb822, anything else one-line.
    fn parse(file: &str, text: &str) -> Result<Self, ParseError> {
        let file_type = if file.ends_with(".sources") {
            AptFileType::Sources
        } else {
            AptFileType::List
        };
        Self::parse_as(file, text, file_type)
    }

    fn write(&self) -> String {
        let mut out = String::new();
        for repo in &self.repositories {
            if !out.is_empty() {
                out.push('\n');
            }
            match repo.file_type {
                AptFileType::List => list::write_repository(repo, &mut out),
                AptFileType::Sources => sources::write_repository(repo, &mut out),
            }
        }
        if !self.trailing_comment.is_empty() {
            if !out.is_empty() {
                out.push('\n');
            }
            write_comment(&self.trailing_comment, &mut out);
        }
        out
    }
}

/// Writes comment text as `#`-prefixed lines.
fn write_comment(comment: &str, out: &mut String) {
    for line in comment.lines() {
        out.push('#');
        out.push_str(line);
        out.push('\n');
    }
}
