//! The named-format registry: `check_format("pve-storage-id", "local")`.
//!
//! Owns the lookup of a format name, upstream's `-list` and `-opt` suffixes, the
//! built-in validators (in [`builtin`]) and registration of further formats by higher
//! layers (storage content types, QEMU boot devices, ...) through [`register_format`]
//! and [`register_object_format`]. Error texts are upstream's, without trailing newline.

mod builtin;
pub mod net;

use crate::model::ObjectSchema;
use crate::text::{perl_truthy, split_list};
use std::collections::HashMap;
use std::sync::{Arc, OnceLock, RwLock};

/// A validator for one value of a named format: `Err` carries upstream's message.
pub type FormatFn = fn(&str) -> Result<(), String>;

/// What a registered format name stands for.
#[derive(Debug, Clone)]
enum FormatDef {
    Check(FormatFn),
    Object(Arc<ObjectSchema>),
}

fn registry() -> &'static RwLock<HashMap<String, FormatDef>> {
    static REGISTRY: OnceLock<RwLock<HashMap<String, FormatDef>>> = OnceLock::new();
    REGISTRY.get_or_init(|| RwLock::new(HashMap::new()))
}

/// Registers a validator under `name` (for formats owned by higher layers); fails if
/// the name is built in or taken, as upstream's `register_format` does.
pub fn register_format(name: &str, check: FormatFn) -> Result<(), String> {
    register(name, FormatDef::Check(check))
}

/// Registers a property-string format under `name`.
pub fn register_object_format(name: &str, schema: ObjectSchema) -> Result<(), String> {
    register(name, FormatDef::Object(Arc::new(schema)))
}

fn register(name: &str, def: FormatDef) -> Result<(), String> {
    let mut map = registry().write().unwrap_or_else(|e| e.into_inner());
    if builtin::is_builtin(name) || map.contains_key(name) {
        return Err(format!("JSON schema format '{name}' already registered"));
    }
    map.insert(name.to_string(), def);
    Ok(())
}

/// True if `name` (without `-list`/`-opt`) is built in or registered.
pub fn is_known_format(name: &str) -> bool {
    builtin::is_builtin(name) || registered(name).is_some()
}

fn registered(name: &str) -> Option<FormatDef> {
    let map = registry().read().unwrap_or_else(|e| e.into_inner());
    map.get(name).cloned()
}

/// What a format name (without suffix) stands for, looked up once per check.
enum Resolved {
    Builtin(builtin::Builtin),
    Registered(FormatDef),
}

/// Built-in formats first, then registered ones (registration refuses built-in names).
fn resolve(base: &str) -> Option<Resolved> {
    if let Some(b) = builtin::lookup(base) {
        return Some(Resolved::Builtin(b));
    }
    registered(base).map(Resolved::Registered)
}

impl Resolved {
    /// Checks one value.
    fn check(&self, value: &str, path: &str) -> Result<(), String> {
        match self {
            Resolved::Builtin(b) => b.check(value),
            Resolved::Registered(FormatDef::Check(f)) => f(value),
            Resolved::Registered(FormatDef::Object(schema)) => {
                crate::propstring::parse_at(value, schema, path)
                    .map(|_| ())
                    .map_err(|e| e.to_string())
            }
        }
    }
}

/// Splits upstream's `name[-list|-opt]`.
fn split_suffix(format: &str) -> (&str, Option<&str>) {
    for suffix in ["list", "opt"] {
        if let Some(base) = format
            .strip_suffix(suffix)
            .and_then(|b| b.strip_suffix('-'))
        {
            return (base, Some(suffix));
        }
    }
    (format, None)
}

/// Checks `value` against the named format (`pve-vmid`, `pve-vmid-list`, `email-opt`,
/// a registered property-string format, ...). `Err` is upstream's message, e.g.
/// `value does not look like a valid VM ID` or `undefined format 'x'`.
///
/// `-list` checks every entry of an upstream list (commas, semicolons, whitespace; an
/// empty list is fine); `-opt` accepts an empty (or `0`) value.
pub fn check_format(name: &str, value: &str) -> Result<(), String> {
    check_format_at(name, value, "")
}

/// [`check_format`] for a value found at `path`: property-string errors name their
/// keys as `path.key`, as upstream's do.
pub(crate) fn check_format_at(name: &str, value: &str, path: &str) -> Result<(), String> {
    if name == "regex" {
        return Ok(());
    }
    check_resolved(name, value, path).unwrap_or_else(|| Err(format!("undefined format '{name}'")))
}

/// [`check_format`] for callers that accept unknown formats: `None` when `name`
/// (without `-list`/`-opt`) is neither built in nor registered.
pub fn check_known_format(name: &str, value: &str) -> Option<Result<(), String>> {
    if name == "regex" {
        return Some(Ok(()));
    }
    check_resolved(name, value, "")
}

fn check_resolved(name: &str, value: &str, path: &str) -> Option<Result<(), String>> {
    let (base, suffix) = split_suffix(name);
    let def = resolve(base)?;
    if let (Some(kind), Resolved::Registered(FormatDef::Object(_))) = (suffix, &def) {
        return Some(Err(format!(
            "'-{kind}' format must have code ref, not hash"
        )));
    }
    let one = |v: &str| def.check(v, path);
    Some(match suffix {
        Some("list") => split_list(value).into_iter().try_for_each(one),
        Some(_) if !perl_truthy(value) => Ok(()),
        _ => one(value),
    })
}

#[cfg(test)]
mod tests;
