//! THE property-string parser and writer (`file=local:vm-100-disk-0,size=32G`) of the
//! project, with upstream's semantics: default key, aliases, key aliases, boolean
//! spellings, duplicate detection, checks against the format, and the canonical order
//! of the writer (default key, then required keys, then the rest, sorted).
//!
//! Values come out typed: booleans as JSON booleans, integers and numbers as JSON
//! numbers, everything else as strings. Never panics on input.

use crate::check::{check_object, fold_aliases};
use crate::error::{ParameterErrors, PropertyStringError};
use crate::model::{ObjectSchema, Schema, StringFormat};
use crate::text::{
    format_size, integer_value, number_value, parse_boolean, perl_truthy, scalar_text,
};
use indexmap::IndexMap;
use serde_json::{Map, Value};

/// Parses `key=value,key2=value2` against `format` into a JSON map (in schema order).
///
/// A part without `=` belongs to the default key; `alias` keys store their value under
/// the target; a `keyAlias` key also stores the key itself (`virtio=MAC` gives
/// `model=virtio,macaddr=MAC`). Errors use upstream's wording, e.g. `value without key,
/// but schema does not define a default key`.
pub fn parse_property_string(
    input: &str,
    format: &ObjectSchema,
) -> Result<Map<String, Value>, PropertyStringError> {
    parse_at(input, format, "")
}

/// [`parse_property_string`] for a value found at `path` (error keys become `path.key`).
pub(crate) fn parse_at(
    input: &str,
    format: &ObjectSchema,
    path: &str,
) -> Result<Map<String, Value>, PropertyStringError> {
    let mut raw = split_parts(input, format)?;
    let mut errors = ParameterErrors::default();
    check_object(path, format, &raw, false, &mut errors);
    if let Some(err) = PropertyStringError::format(errors.0) {
        return Err(err);
    }
    let mut out = Map::new();
    for (key, prop) in &format.properties {
        if let Some(Value::String(text)) = raw.remove(key.as_str()) {
            out.insert(key.clone(), typed_value(text, &prop.schema));
        }
    }
    Ok(out)
}

/// The raw key -> text map (every value a JSON string), before any check of the values.
fn split_parts(
    input: &str,
    format: &ObjectSchema,
) -> Result<Map<String, Value>, PropertyStringError> {
    let mut raw = Map::new();
    let mut default_seen: Option<&str> = None;
    for part in input.split(',') {
        if part.chars().all(char::is_whitespace) {
            continue;
        }
        if let Some((key, value)) = key_value(part) {
            add_keyed(&mut raw, format, key, value)?;
        } else if !part.contains('=') {
            if let Some(key) = default_seen {
                return Err(duplicate(key));
            }
            let key = format.default_key().ok_or_else(|| {
                PropertyStringError::syntax(
                    "value without key, but schema does not define a default key",
                )
            })?;
            default_seen = Some(key);
            add_default(&mut raw, format, key, part)?;
        } else {
            return Err(PropertyStringError::syntax(
                "missing key in comma-separated list property",
            ));
        }
    }
    Ok(raw)
}

/// Upstream's `^([^=]+)=(.+)$`: a non-empty key before the first `=` and a non-empty
/// one-line value (a single trailing newline is not part of the value).
fn key_value(part: &str) -> Option<(&str, &str)> {
    let (key, value) = part.split_once('=')?;
    let value = value.strip_suffix('\n').unwrap_or(value);
    if key.is_empty() || value.is_empty() || value.contains('\n') {
        return None;
    }
    Some((key, value))
}

fn duplicate(key: &str) -> PropertyStringError {
    PropertyStringError::syntax(format!(
        "duplicate key in comma-separated list property: {key}"
    ))
}

fn add_keyed(
    raw: &mut Map<String, Value>,
    format: &ObjectSchema,
    key: &str,
    value: &str,
) -> Result<(), PropertyStringError> {
    if raw.contains_key(key) {
        return Err(duplicate(key));
    }
    let mut key = key;
    let mut prop = format.property(key);
    if let Some(alias) = prop.and_then(|p| p.alias.as_deref()) {
        if let Some(keyalias) = prop.and_then(|p| p.keyalias.as_deref()) {
            if raw.contains_key(keyalias) {
                return Err(PropertyStringError::syntax(format!(
                    "key alias '{keyalias}' is already defined"
                )));
            }
            raw.insert(keyalias.to_string(), Value::String(key.to_string()));
        }
        key = alias;
        prop = format.property(alias);
        if raw.contains_key(key) {
            return Err(PropertyStringError::syntax(format!(
                "key '{key}' is already defined (via alias)"
            )));
        }
    }
    let prop = prop.ok_or_else(|| {
        PropertyStringError::syntax(format!(
            "invalid key in comma-separated list property: {key}"
        ))
    })?;
    raw.insert(
        key.to_string(),
        Value::String(boolean_text(&prop.schema, value)),
    );
    Ok(())
}

fn add_default(
    raw: &mut Map<String, Value>,
    format: &ObjectSchema,
    key: &str,
    part: &str,
) -> Result<(), PropertyStringError> {
    // Upstream only refuses when the key already holds a Perl-true value.
    if raw
        .get(key)
        .and_then(Value::as_str)
        .is_some_and(perl_truthy)
    {
        return Err(duplicate(key));
    }
    let text = match format.property(key) {
        Some(prop) => boolean_text(&prop.schema, part),
        None => part.to_string(),
    };
    raw.insert(key.to_string(), Value::String(text));
    Ok(())
}

/// Boolean spellings become `1`/`0`; anything else is kept for the type check to reject.
fn boolean_text(schema: &Schema, value: &str) -> String {
    match (schema, parse_boolean(value)) {
        (Schema::Boolean(_), Some(b)) => if b { "1" } else { "0" }.to_string(),
        _ => value.to_string(),
    }
}

/// The JSON value of a text that passed its checks.
fn typed_value(text: String, schema: &Schema) -> Value {
    let number = match schema {
        Schema::Boolean(_) => return Value::Bool(text == "1"),
        Schema::Integer(_) => integer_value(&text),
        Schema::Number(_) => number_value(&text),
        _ => None,
    };
    number.map_or(Value::String(text), Value::Number)
}

/// Writes `values` in upstream's canonical form: the default key's value first without
/// `key=`, then required keys, then optional keys, each group sorted by key; a key-alias
/// pair is written as `keyvalue=aliasvalue` (`virtio=BC:24:11:00:00:01`).
///
/// The values are checked against `format` first (upstream's "format error"); unknown
/// keys give `invalid key 'x'`, values with commas `illegal value with commas for x`.
/// Unlike upstream, a default-key value that contains `=` or is blank is written with
/// its key, so the output always parses back to the same map.
pub fn print_property_string(
    values: &Map<String, Value>,
    format: &ObjectSchema,
) -> Result<String, PropertyStringError> {
    let mut errors = ParameterErrors::default();
    check_object("", format, values, true, &mut errors);
    if let Some(err) = PropertyStringError::format(errors.0) {
        return Err(err);
    }
    let data = fold_aliases("", format, values, &mut ParameterErrors::default());
    let mut writer = Writer {
        format,
        data: &data,
        key_aliases: format.key_alias_targets(),
        done: Vec::new(),
        parts: Vec::new(),
    };
    if let Some(key) = format.default_key() {
        writer.add(key, true)?;
    }
    let mut keys: Vec<&str> = data.keys().copied().collect();
    keys.sort_unstable();
    for key in &keys {
        if format.property(key).is_some_and(|p| !p.optional) {
            writer.add(key, false)?;
        }
    }
    for key in &keys {
        writer.add(key, false)?;
    }
    Ok(writer.parts.join(","))
}

struct Writer<'a> {
    format: &'a ObjectSchema,
    data: &'a IndexMap<&'a str, &'a Value>,
    key_aliases: IndexMap<&'a str, &'a str>,
    done: Vec<&'a str>,
    parts: Vec<String>,
}

impl<'a> Writer<'a> {
    fn add(&mut self, key: &'a str, is_default: bool) -> Result<(), PropertyStringError> {
        if self.done.contains(&key) {
            return Ok(());
        }
        self.done.push(key);
        let Some(value) = self.data.get(key).copied().filter(|v| !v.is_null()) else {
            return Ok(());
        };
        if let Some(&target) = self.key_aliases.get(key) {
            if let Some(other) = self.data.get(target).copied().filter(|v| !v.is_null()) {
                let text = self.value_text(key, value)?;
                let other_text = self.value_text(target, other)?;
                self.parts.push(format!("{text}={other_text}"));
                self.done.push(target);
                return Ok(());
            }
        }
        if self.format.property(key).is_none() {
            return Err(PropertyStringError::syntax(format!("invalid key '{key}'")));
        }
        let text = self.value_text(key, value)?;
        let keyless = is_default && !text.contains('=') && !text.trim().is_empty();
        self.parts.push(if keyless {
            text
        } else {
            format!("{key}={text}")
        });
        Ok(())
    }

    fn value_text(&self, key: &str, value: &Value) -> Result<String, PropertyStringError> {
        let is_disk_size = self.format.property(key).is_some_and(|p| {
            matches!(&p.schema, Schema::String(s)
                if matches!(&s.format, Some(StringFormat::Named(n)) if n == "disk-size"))
        });
        let text = match value {
            Value::Number(n) if is_disk_size && n.as_u64().is_some() => {
                format_size(n.as_u64().unwrap_or_default())
            }
            other => scalar_text(other)
                .ok_or_else(|| PropertyStringError::syntax(format!("illegal value for {key}")))?,
        };
        if text.contains(',') {
            return Err(PropertyStringError::syntax(format!(
                "illegal value with commas for {key}"
            )));
        }
        Ok(text)
    }
}

#[cfg(test)]
mod tests;
