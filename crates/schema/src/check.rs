//! Checking values against schemas with upstream's rules and wording: the type check,
//! then format, pattern, lengths, range and enumeration, objects with aliases and
//! unknown keys, arrays element by element.
//!
//! Shared by [`crate::verify`] (JSON values from the API) and [`crate::propstring`]
//! (texts from property strings). Collects errors per path; never stops at the first.

use crate::error::ParameterErrors;
use crate::formats::check_format_at;
use crate::model::{ObjectSchema, Schema, StringFormat, StringSchema};
use crate::text::{float_text, is_integer, is_number, scalar_text};
use indexmap::IndexMap;
use regex::Regex;
use serde_json::{Map, Value};
use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

/// `path.key`, or `key` at the root.
pub(crate) fn join_path(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// Checks one (possibly absent) value; `optional` comes from the enclosing property.
pub(crate) fn check_value(
    value: Option<&Value>,
    schema: &Schema,
    optional: bool,
    path: &str,
    errors: &mut ParameterErrors,
) {
    let value = match value {
        None | Some(Value::Null) => {
            if !optional && !matches!(schema, Schema::Null) {
                errors.add(path, "property is missing and it is not optional");
            }
            return;
        }
        Some(v) => v,
    };
    let text = match check_type(value, schema) {
        Ok(text) => text,
        Err(message) => {
            errors.add(path, message);
            return;
        }
    };
    match (schema, value) {
        (Schema::Array(array), Value::Array(items)) => {
            for (i, item) in items.iter().enumerate() {
                check_value(
                    Some(item),
                    &array.items,
                    false,
                    &format!("{path}[{i}]"),
                    errors,
                );
            }
        }
        (Schema::Object(object), Value::Object(map)) => {
            // An object without properties that allows anything is a free-form map.
            if !object.properties.is_empty() || !object.additional_properties {
                check_object(path, object, map, object.additional_properties, errors);
            }
        }
        _ => {
            if let Err(message) = check_text(text.as_deref().unwrap_or_default(), schema, path) {
                errors.add(path, message);
            }
        }
    }
}

/// The type check; on success the scalar's text (`None` for arrays and objects).
fn check_type<'v>(value: &'v Value, schema: &Schema) -> Result<Option<Cow<'v, str>>, String> {
    let ty = schema.type_name();
    let failed = |got: &str| Err(format!("type check ('{ty}') failed - got {got}"));
    match (schema, value) {
        (Schema::Null, _) => Err(format!("type check ('{ty}') failed - value is not null")),
        (Schema::Array(_), Value::Array(_)) | (Schema::Object(_), Value::Object(_)) => Ok(None),
        (Schema::Array(_) | Schema::Object(_), _) => Err(format!("type check ('{ty}') failed")),
        (Schema::Boolean(_), Value::Bool(b)) => Ok(Some(Cow::Borrowed(if *b { "1" } else { "0" }))),
        (_, Value::Bool(_)) => failed("JSON::PP::Boolean"),
        (_, Value::Array(_)) => failed("ARRAY"),
        (_, Value::Object(_)) => failed("HASH"),
        _ => {
            let text = match value {
                Value::String(s) => Cow::Borrowed(s.as_str()),
                other => Cow::Owned(scalar_text(other).unwrap_or_default()),
            };
            let ok = match schema {
                Schema::Boolean(_) => text == "1" || text == "0",
                Schema::Integer(_) => is_integer(&text),
                Schema::Number(_) => is_number(&text),
                _ => true,
            };
            if ok {
                Ok(Some(text))
            } else {
                failed(&format!("'{text}'"))
            }
        }
    }
}

/// The constraints on a scalar that passed its type check, in upstream's order.
fn check_text(text: &str, schema: &Schema, path: &str) -> Result<(), String> {
    match schema {
        Schema::Integer(s) => {
            if let Some(format) = &s.format {
                check_named(format, text, path)?;
            }
            check_range(
                text,
                s.minimum.map(|m| m as f64),
                s.maximum.map(|m| m as f64),
                |m| format!("{}", m as i64),
            )
        }
        Schema::Number(s) => check_range(text, s.minimum, s.maximum, float_text),
        Schema::String(s) => check_string(text, s, path),
        _ => Ok(()),
    }
}

fn check_named(format: &str, text: &str, path: &str) -> Result<(), String> {
    check_format_at(format, text, path).map_err(|e| format!("invalid format - {e}\n"))
}

fn check_range(
    text: &str,
    minimum: Option<f64>,
    maximum: Option<f64>,
    show: fn(f64) -> String,
) -> Result<(), String> {
    if !is_number(text) {
        return Ok(());
    }
    let Ok(value) = text.parse::<f64>() else {
        return Ok(());
    };
    if let Some(max) = maximum.filter(|max| value > *max) {
        return Err(format!("value must have a maximum value of {}", show(max)));
    }
    if let Some(min) = minimum.filter(|min| value < *min) {
        return Err(format!("value must have a minimum value of {}", show(min)));
    }
    Ok(())
}

fn check_string(text: &str, s: &StringSchema, path: &str) -> Result<(), String> {
    match &s.format {
        Some(StringFormat::Named(name)) => check_named(name, text, path)?,
        Some(StringFormat::PropertyString(format)) => {
            crate::propstring::parse_at(text, format, path)
                .map_err(|e| format!("invalid format - {e}\n"))?;
        }
        None => {}
    }
    if let Some(pattern) = &s.pattern {
        if !pattern_matches(pattern, text) {
            return Err("value does not match the regex pattern".to_string());
        }
    }
    let length = text.chars().count();
    if let Some(max) = s.max_length.filter(|max| length > *max) {
        return Err(format!("value may only be {max} characters long"));
    }
    if let Some(min) = s.min_length.filter(|min| length < *min) {
        return Err(format!("value must be at least {min} characters long"));
    }
    match &s.enum_values {
        Some(values) if !values.iter().any(|v| v == text) => Err(format!(
            "value '{text}' does not have a value in the enumeration '{}'",
            values.join(", ")
        )),
        _ => Ok(()),
    }
}

/// Whether `text` matches a schema pattern, anchored as upstream does (`^pattern$`,
/// without grouping). A pattern our regex engine cannot compile matches nothing.
pub(crate) fn pattern_matches(pattern: &str, text: &str) -> bool {
    static CACHE: OnceLock<Mutex<HashMap<String, Option<Regex>>>> = OnceLock::new();
    let cache = CACHE.get_or_init(|| Mutex::new(HashMap::new()));
    let mut cache = cache.lock().unwrap_or_else(|e| e.into_inner());
    let re = cache
        .entry(pattern.to_string())
        .or_insert_with(|| Regex::new(&format!("^{pattern}$")).ok());
    re.as_ref().is_some_and(|re| re.is_match(text))
}

/// Checks an object's members: aliases are folded onto their targets, every declared
/// property is checked, and unknown keys are errors unless `additional` allows them.
pub(crate) fn check_object(
    path: &str,
    schema: &ObjectSchema,
    map: &Map<String, Value>,
    additional: bool,
    errors: &mut ParameterErrors,
) {
    // Folding builds a second map; most values use no alias key and skip it.
    if !uses_alias(schema, map) {
        let keys = map.keys().map(String::as_str);
        return check_members(path, schema, |k| map.get(k), keys, additional, errors);
    }
    let view = fold_aliases(path, schema, map, errors);
    let keys = view.keys().copied();
    check_members(
        path,
        schema,
        |k| view.get(k).copied(),
        keys,
        additional,
        errors,
    );
}

/// True when a key of `map` is an alias in `schema`.
fn uses_alias(schema: &ObjectSchema, map: &Map<String, Value>) -> bool {
    schema.properties.values().any(|p| p.alias.is_some())
        && map
            .keys()
            .any(|k| schema.properties.get(k).is_some_and(|p| p.alias.is_some()))
}

/// [`check_object`] on members with aliases already folded: `get` looks a member up,
/// `keys` lists them in order.
fn check_members<'a>(
    path: &str,
    schema: &ObjectSchema,
    get: impl Fn(&str) -> Option<&'a Value>,
    keys: impl Iterator<Item = &'a str>,
    additional: bool,
    errors: &mut ParameterErrors,
) {
    for (key, prop) in &schema.properties {
        if prop.alias.is_some() {
            continue;
        }
        let value = get(key.as_str());
        let absent = value.is_none_or(Value::is_null);
        if absent && (prop.optional || matches!(prop.schema, Schema::Null)) {
            // nothing to check, and no path to build
            continue;
        }
        check_value(
            value,
            &prop.schema,
            prop.optional,
            &join_path(path, key),
            errors,
        );
    }
    if additional {
        return;
    }
    for key in keys {
        if !schema.properties.contains_key(key) {
            errors.add(
                &join_path(path, key),
                "property is not defined in schema and the schema does not allow additional properties",
            );
        }
    }
}

/// The members with alias keys moved to their targets (upstream remaps in place).
pub(crate) fn fold_aliases<'a>(
    path: &str,
    schema: &'a ObjectSchema,
    map: &'a Map<String, Value>,
    errors: &mut ParameterErrors,
) -> IndexMap<&'a str, &'a Value> {
    let mut view: IndexMap<&str, &Value> = map.iter().map(|(k, v)| (k.as_str(), v)).collect();
    for (key, value) in map {
        let Some(target) = schema.properties.get(key).and_then(|p| p.alias.as_deref()) else {
            continue;
        };
        if map.get(target).is_some_and(|v| !v.is_null()) {
            errors.add(
                &join_path(path, key),
                format!("cannot set both '{key}' and its alias target '{target}'"),
            );
        } else {
            view.shift_remove(key.as_str());
            view.insert(target, value);
        }
    }
    view
}
