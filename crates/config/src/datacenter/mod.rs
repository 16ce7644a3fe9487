//! `datacenter.cfg`: cluster-wide settings as `key: value` lines.
//!
//! Many values are property strings (`migration: secure,network=10.0.0.0/24`); the
//! reader checks every value against upstream's schema ([`schema`]) through the schema
//! crate and turns the structured ones into maps, as upstream's reader does. The
//! datacenter notes (`description`) are stored as `#` comment lines at the top of the
//! file, percent-encoded. The writer is upstream's: comments, a blank line, then the
//! keys sorted.
//!
//! Must not depend on: the cluster or HA code that consumes these settings.

pub mod schema;

#[cfg(test)]
mod tests;

use crate::domains::{decode_text, encode_text};
use crate::{Format, ParseError};
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use virton_schema::text::parse_boolean;

pub use schema::DEFAULT_MAC_PREFIX;

/// The parsed `datacenter.cfg`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DatacenterConfig {
    /// The datacenter notes: the decoded `#` lines, each followed by a newline (empty
    /// lines at the end are dropped).
    pub description: String,
    /// Settings by key: booleans, integers and strings as JSON scalars, the structured
    /// property strings as JSON objects, `registered-tags` as an array.
    pub settings: BTreeMap<String, Value>,
}

/// Why `datacenter.cfg` cannot be written as it is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct DatacenterWriteError {
    /// Upstream's wording.
    pub message: String,
}

impl DatacenterConfig {
    /// The settings of a fresh install: only the keyboard layout chosen at install time.
    pub fn fresh_install(keyboard: Option<&str>) -> Result<Self, String> {
        let mut cfg = Self::default();
        if let Some(layout) = keyboard {
            cfg.set_text("keyboard", layout)?;
        }
        Ok(cfg)
    }

    /// Reads the file as upstream does: bad values and unknown keys are dropped and
    /// reported, never fatal.
    pub fn parse_lenient(file: &str, text: &str) -> (Self, Vec<ParseError>) {
        let mut diags = Vec::new();
        let mut description = String::new();
        let mut raw: BTreeMap<String, (usize, String)> = BTreeMap::new();
        for (i, line) in text.split('\n').enumerate() {
            if let Some(comment) = line.strip_prefix('#') {
                description.push_str(&decode_text(comment));
                description.push('\n');
            }
            let trimmed = line.trim_matches(|c: char| c.is_ascii_whitespace());
            if trimmed.is_empty() || trimmed.starts_with('#') {
                continue;
            }
            match split_key_value(trimmed) {
                Some((k, v)) => {
                    raw.insert(k.to_string(), (i + 1, v.to_string()));
                }
                None => diags.push(
                    ParseError::new(file, format!("ignore config line: {trimmed}")).at_line(i + 1),
                ),
            }
        }
        // Trailing empty note lines are never written back (as upstream's `split`), so
        // they are not kept either.
        let notes = description.trim_end_matches('\n');
        let description = if notes.is_empty() {
            String::new()
        } else {
            format!("{notes}\n")
        };
        let mut cfg = Self {
            description,
            settings: BTreeMap::new(),
        };
        for (key, (line, value)) in raw {
            match decode_setting(&key, &value) {
                Ok(Some(v)) => {
                    cfg.settings.insert(key, v);
                }
                Ok(None) => {}
                Err(msg) => diags.push(
                    ParseError::new(file, format!("parse error in '{file}' - '{key}': {msg}"))
                        .at_line(line)
                        .with_key(key),
                ),
            }
        }
        cfg.apply_compat();
        (cfg, diags)
    }

    /// Upstream's compatibility mappings on read: `migration_unsecure` fills in the
    /// migration type, the old `applet` console means `html5`.
    fn apply_compat(&mut self) {
        if let Some(unsecure) = self
            .settings
            .get("migration_unsecure")
            .and_then(Value::as_bool)
        {
            let migration = self
                .settings
                .entry("migration".into())
                .or_insert_with(|| Value::Object(Map::new()));
            if let Value::Object(m) = migration {
                let ty = if unsecure { "insecure" } else { "secure" };
                m.entry("type").or_insert_with(|| Value::String(ty.into()));
            }
        }
        if self.get_str("console") == Some("applet") {
            self.settings
                .insert("console".into(), Value::String("html5".into()));
        }
    }

    /// A string setting.
    pub fn get_str(&self, key: &str) -> Option<&str> {
        self.settings.get(key).and_then(Value::as_str)
    }

    /// A structured (property-string) setting.
    pub fn get_map(&self, key: &str) -> Option<&Map<String, Value>> {
        self.settings.get(key).and_then(Value::as_object)
    }

    /// Sets a setting from its text form, checked and converted as the reader does.
    pub fn set_text(&mut self, key: &str, value: &str) -> Result<(), String> {
        if let Some(v) = decode_setting(key, value)? {
            self.settings.insert(key.to_string(), v);
            self.apply_compat();
        }
        Ok(())
    }

    /// The keyboard layout for VNC, if set.
    pub fn keyboard(&self) -> Option<&str> {
        self.get_str("keyboard")
    }

    /// The web interface language, if set.
    pub fn language(&self) -> Option<&str> {
        self.get_str("language")
    }

    /// The default console viewer, if set.
    pub fn console(&self) -> Option<&str> {
        self.get_str("console")
    }

    /// The MAC prefix for new guest NICs ([`DEFAULT_MAC_PREFIX`] when unset).
    pub fn mac_prefix(&self) -> &str {
        self.get_str("mac_prefix").unwrap_or(DEFAULT_MAC_PREFIX)
    }

    /// The per-node worker limit for bulk actions, if set.
    pub fn max_workers(&self) -> Option<i64> {
        self.settings.get("max_workers").and_then(Value::as_i64)
    }

    /// Migration type (`secure` unless set) and network.
    pub fn migration(&self) -> (&str, Option<&str>) {
        let m = self.get_map("migration");
        let ty = m.and_then(|m| m.get("type")).and_then(Value::as_str);
        let net = m.and_then(|m| m.get("network")).and_then(Value::as_str);
        (ty.unwrap_or("secure"), net)
    }

    /// The free-VMID range for `nextid` as (inclusive lower, exclusive upper).
    pub fn next_id_range(&self) -> (i64, i64) {
        let m = self.get_map("next-id");
        let get = |k: &str| m.and_then(|m| m.get(k)).and_then(Value::as_i64);
        (
            get("lower").unwrap_or(100),
            get("upper").unwrap_or(1_000_000),
        )
    }

    /// The HA shutdown policy (`conditional` unless set).
    pub fn ha_shutdown_policy(&self) -> &str {
        self.get_map("ha")
            .and_then(|m| m.get("shutdown_policy"))
            .and_then(Value::as_str)
            .unwrap_or("conditional")
    }

    /// The tags only privileged users may set (sorted).
    pub fn registered_tags(&self) -> Vec<&str> {
        self.settings
            .get("registered-tags")
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default()
    }

    /// Checks what upstream's writer refuses: invalid values and a broken next-id range.
    pub fn validate(&self) -> Result<(), DatacenterWriteError> {
        let err = |message: String| DatacenterWriteError { message };
        let (lower, upper) = self.next_id_range();
        if lower > upper {
            return Err(err(format!(
                "lower ({lower}) <= upper ({upper}) boundary rule broken"
            )));
        }
        for (key, value) in &self.settings {
            let text = encode_setting(key, value).map_err(&err)?;
            decode_setting(key, &text)
                .map_err(|m| err(format!("validation error - '{key}': {m}")))?;
        }
        Ok(())
    }
}

/// `key: value` with the key up to the first colon.
fn split_key_value(line: &str) -> Option<(&str, &str)> {
    let (key, value) = line.split_once(':')?;
    if key.is_empty() || key.contains(|c: char| c.is_ascii_whitespace()) {
        return None;
    }
    Some((
        key,
        value.trim_start_matches(|c: char| c.is_ascii_whitespace()),
    ))
}

/// Checks one value and converts it to its model form (`None`: dropped, e.g. an empty
/// `crs` or the default MAC prefix).
fn decode_setting(key: &str, value: &str) -> Result<Option<Value>, String> {
    let schema = schema::properties().get(key).ok_or(
        "property is not defined in schema and the schema does not allow additional properties",
    )?;
    let kind = schema
        .get("type")
        .and_then(Value::as_str)
        .unwrap_or("string");
    let text = match (kind, parse_boolean(value)) {
        ("boolean", Some(b)) => if b { "1" } else { "0" }.to_string(),
        _ => value.to_string(),
    };
    check_text(key, schema, &text)?;
    let converted = match kind {
        "boolean" => Value::Bool(text == "1"),
        "integer" => text
            .parse::<i64>()
            .map_or(Value::String(text.clone()), Value::from),
        _ => return decode_string(key, text),
    };
    Ok(Some(converted))
}

fn decode_string(key: &str, text: String) -> Result<Option<Value>, String> {
    if key == "crs" && text.is_empty() {
        return Ok(None);
    }
    if key == "mac_prefix" && text.eq_ignore_ascii_case(DEFAULT_MAC_PREFIX) {
        return Ok(None);
    }
    if key == "registered-tags" && !text.is_empty() {
        return Ok(Some(tag_list(&text)));
    }
    if text.is_empty() || !schema::PARSED_PROPERTY_STRINGS.contains(&key) {
        return Ok(Some(Value::String(text)));
    }
    let format = schema::format_of(key).ok_or("unknown property type")?;
    let mut map = virton_schema::parse_property_string(&text, &format)
        .map_err(|e| e.to_string().trim_end().to_string())?;
    if let Some(Value::String(list)) = map.get("user-allow-list").cloned() {
        map.insert("user-allow-list".into(), tag_list(&list));
    }
    Ok(Some(Value::Object(map)))
}

/// A `;`-separated tag list as a sorted array (upstream's writer sorts it; the order
/// carries no meaning).
fn tag_list(text: &str) -> Value {
    let mut tags: Vec<&str> = text.split(';').collect();
    tags.sort_unstable();
    Value::Array(tags.into_iter().map(|t| Value::String(t.into())).collect())
}

/// Checks the text of one value against the key's schema (`mac-prefix` is ours).
fn check_text(key: &str, schema: &Value, text: &str) -> Result<(), String> {
    if key == "mac_prefix" {
        return schema::check_mac_prefix(text).map_err(|e| format!("invalid format - {e}"));
    }
    let compiled = virton_schema::Schema::from_pve_json(schema).map_err(|e| e.to_string())?;
    virton_schema::verify(&Value::String(text.to_string()), &compiled).map_err(|errors| {
        let msg = errors.0.values().next().cloned().unwrap_or_default();
        msg.trim_end().to_string()
    })
}

/// The text form of one setting, as upstream's writer prints it.
fn encode_setting(key: &str, value: &Value) -> Result<String, String> {
    let joined = |items: &Vec<Value>| {
        let mut v: Vec<&str> = items.iter().filter_map(Value::as_str).collect();
        v.sort_unstable();
        v.join(";")
    };
    Ok(match value {
        Value::Bool(b) => u8::from(*b).to_string(),
        Value::Number(n) => virton_schema::text::number_text(n),
        Value::String(s) if key == "console" && s == "applet" => "html5".into(),
        Value::String(s) => s.clone(),
        Value::Array(items) => joined(items),
        Value::Object(map) => {
            let mut map = map.clone();
            if let Some(Value::Array(items)) = map.get("user-allow-list") {
                let list = joined(items);
                map.insert("user-allow-list".into(), Value::String(list));
            }
            let format = schema::format_of(key).ok_or("unknown property type")?;
            virton_schema::print_property_string(&map, &format).map_err(|e| e.to_string())?
        }
        Value::Null => String::new(),
    })
}

impl Format for DatacenterConfig {
    fn parse(file: &str, text: &str) -> Result<Self, ParseError> {
        let (cfg, diags) = Self::parse_lenient(file, text);
        match diags.into_iter().next() {
            Some(e) => Err(e),
            None => Ok(cfg),
        }
    }

    fn write(&self) -> String {
        let mut out = String::new();
        // Like upstream's `split`, trailing empty lines of the notes are not written.
        let notes = self.description.trim_end_matches('\n');
        if !notes.is_empty() {
            for line in notes.split('\n') {
                out.push('#');
                out.push_str(&encode_text(line));
                out.push('\n');
            }
        }
        out.push('\n');
        for (key, value) in &self.settings {
            if key == "description" {
                continue;
            }
            if key == "mac_prefix"
                && value
                    .as_str()
                    .is_some_and(|s| s.eq_ignore_ascii_case(DEFAULT_MAC_PREFIX))
            {
                continue;
            }
            let Ok(text) = encode_setting(key, value) else {
                continue;
            };
            if text.contains(['\n', '\r']) || (text.is_empty() && value.is_object()) {
                continue;
            }
            out.push_str(&format!("{key}: {text}\n"));
        }
        out
    }
}
