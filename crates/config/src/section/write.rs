//! Writing a section-config file canonically, as upstream's writer orders it.

use super::{Kind, Section, SectionConfig, SectionDef, SectionValue};
use std::fmt::Write as _;

/// Why a configuration cannot be written as it is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WriteError {
    /// A required option has no value (upstream's wording).
    #[error("section '{section}' - missing value for required option '{key}'")]
    MissingRequired {
        /// Section id.
        section: String,
        /// The missing key.
        key: String,
    },
    /// A key or value would break the line structure.
    #[error("property '{key}' contains a line feed")]
    LineFeed {
        /// The offending key.
        key: String,
    },
    /// A section id or type that cannot appear in a header.
    #[error("invalid section header '{header}'")]
    BadHeader {
        /// The header as it would be written.
        header: String,
    },
}

/// Checks that `cfg` can be written without losing or corrupting anything.
pub fn validate(def: &SectionDef, cfg: &SectionConfig) -> Result<(), WriteError> {
    for s in cfg.iter() {
        let bad = |t: &str| t.is_empty() || t.contains(|c: char| c.is_whitespace());
        if bad(&s.section_type) || bad(&s.id) {
            return Err(WriteError::BadHeader {
                header: format!("{}: {}", s.section_type, s.id),
            });
        }
        for (k, v) in &s.props {
            if k.contains(['\n', '\r']) || v.to_string().contains(['\n', '\r']) {
                return Err(WriteError::LineFeed { key: k.clone() });
            }
        }
        for k in def.required_keys(&s.section_type) {
            if !s.props.contains_key(k.as_str()) {
                return Err(WriteError::MissingRequired {
                    section: s.id.clone(),
                    key: k.clone(),
                });
            }
        }
    }
    Ok(())
}

/// Writes `cfg` canonically. Values with line feeds are left out (see [`validate`]).
pub fn write(def: &SectionDef, cfg: &SectionConfig) -> String {
    let mut out = String::new();
    for section in cfg.iter() {
        let _ = writeln!(out, "{}: {}", section.section_type, section.id);
        match def.options(&section.section_type) {
            Some(_) if section.known => write_known(def, section, &mut out),
            _ => write_unknown(section, &mut out),
        }
        out.push('\n');
    }
    out
}

fn write_known(def: &SectionDef, section: &Section, out: &mut String) {
    if let Some(comment) = section.get("comment").filter(|v| v.is_truthy()) {
        write_line(def, "comment", comment, out);
    }
    if section.flag("disable") {
        out.push_str("\tdisable\n");
    }
    for key in def.write_order(&section.section_type) {
        if let Some(v) = section.get(key) {
            write_line(def, key, v, out);
        }
    }
}

fn write_line(def: &SectionDef, key: &str, value: &SectionValue, out: &mut String) {
    let kind = def.kind(key).unwrap_or(Kind::String);
    let text = match (kind, value) {
        (Kind::Boolean, v) => u8::from(v.is_truthy()).to_string(),
        (_, SectionValue::List(items)) => {
            for item in items.iter().filter(|i| !i.contains(['\n', '\r'])) {
                let _ = writeln!(out, "\t{key} {item}");
            }
            return;
        }
        (_, v) => v.to_string(),
    };
    if !text.is_empty() && !text.contains(['\n', '\r']) {
        let _ = writeln!(out, "\t{key} {text}");
    }
}

fn write_unknown(section: &Section, out: &mut String) {
    let mut keys: Vec<&String> = section.props.keys().filter(|k| *k != "type").collect();
    keys.sort();
    if let Some(pos) = keys.iter().position(|k| *k == "comment") {
        let c = keys.remove(pos);
        keys.insert(0, c);
    }
    for key in keys {
        let Some(value) = section.get(key) else {
            continue;
        };
        let items = match value {
            SectionValue::List(items) => items.clone(),
            v => vec![v.to_string()],
        };
        for item in items.iter().filter(|i| !i.contains(['\n', '\r'])) {
            let _ = writeln!(out, "\t{key} {item}");
        }
    }
}
