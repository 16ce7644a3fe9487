//! Named string formats shared by several section-config files, and inline
//! property-string formats (`key=value,...`), checked with upstream's wording.
//!
//! The schema crate owns the general registry; this module covers the formats the
//! section-config files need so that their values are checked when read.

use super::check::{check_value, split_list};
use serde_json::Value;

/// Checks `raw` against a named format this module knows; `None` for unknown names.
pub fn common_format(name: &str, raw: &str) -> Option<Result<(), String>> {
    let res = match name {
        "pve-node" => node_name(raw),
        "pve-configid" => config_id(raw),
        "pve-storage-id" => parse_id(raw, "storage"),
        "pve-realm" => realm(raw),
        "email-opt" => email_opt(raw),
        "pve-tag" => tag(raw),
        "ip" => ip(raw),
        "dns-name" => dns_name(raw),
        "address" => address(raw),
        _ => return None,
    };
    Some(res)
}

/// `^[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?$`
pub fn node_name(raw: &str) -> Result<(), String> {
    let ok = !raw.is_empty()
        && raw.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        && !raw.starts_with('-')
        && !raw.ends_with('-');
    ok.then_some(())
        .ok_or_else(|| "value does not look like a valid node name".into())
}

/// `^[a-z][a-z0-9_-]+$` (case-insensitive)
pub fn config_id(raw: &str) -> Result<(), String> {
    let mut chars = raw.chars();
    let first_ok = chars.next().is_some_and(|c| c.is_ascii_alphabetic());
    let rest: Vec<char> = chars.collect();
    let ok = first_ok
        && !rest.is_empty()
        && rest
            .iter()
            .all(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-');
    ok.then_some(())
        .ok_or_else(|| format!("invalid configuration ID '{raw}'"))
}

/// Upstream's `parse_id`: at least two characters, `^[a-z][a-z0-9\-\_\.]*[a-z0-9]$`i.
pub fn parse_id(raw: &str, what: &str) -> Result<(), String> {
    if raw.chars().count() < 2 {
        return Err(format!(
            "{what} ID '{raw}' cannot be shorter than 2 characters"
        ));
    }
    let b = raw.as_bytes();
    let inner_ok = b
        .iter()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.'));
    let first_ok = b.first().is_some_and(u8::is_ascii_alphabetic);
    let last_ok = b.last().is_some_and(u8::is_ascii_alphanumeric);
    if inner_ok && first_ok && last_ok {
        Ok(())
    } else {
        Err(format!("{what} ID '{raw}' contains illegal characters"))
    }
}

/// `^[A-Za-z][A-Za-z0-9\.\-_]+$`
pub fn realm(raw: &str) -> Result<(), String> {
    let b = raw.as_bytes();
    let ok = b.len() >= 2
        && b.first().is_some_and(u8::is_ascii_alphabetic)
        && b.iter()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'-' | b'_'));
    ok.then_some(())
        .ok_or_else(|| "value does not look like a valid realm".into())
}

/// An e-mail address, loosely: `local@domain` without blanks (empty is allowed).
fn email_opt(raw: &str) -> Result<(), String> {
    if raw.is_empty() {
        return Ok(());
    }
    let ok = raw
        .split_once('@')
        .is_some_and(|(l, d)| !l.is_empty() && !d.is_empty() && !raw.contains(char::is_whitespace));
    ok.then_some(())
        .ok_or_else(|| "value does not look like a valid email address".into())
}

/// An IPv4 or IPv6 address.
pub fn ip(raw: &str) -> Result<(), String> {
    raw.parse::<std::net::IpAddr>()
        .map(|_| ())
        .map_err(|_| "value does not look like a valid IP address".into())
}

/// Dot-separated labels of `[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?`.
pub fn dns_name(raw: &str) -> Result<(), String> {
    let ok = raw.split('.').all(|label| node_name(label).is_ok());
    ok.then_some(())
        .ok_or_else(|| "value does not look like a valid DNS name".into())
}

/// An IP address or a DNS name.
pub fn address(raw: &str) -> Result<(), String> {
    if ip(raw).is_ok() || dns_name(raw).is_ok() {
        Ok(())
    } else {
        Err(format!("value does not look like a valid address: {raw}"))
    }
}

/// A guest tag: `[a-z0-9_][a-z0-9_\-\+\.]*`i
pub fn tag(raw: &str) -> Result<(), String> {
    let b = raw.as_bytes();
    let ok = b
        .first()
        .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_')
        && b.iter()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-' | b'+' | b'.'));
    ok.then_some(())
        .ok_or_else(|| format!("invalid tag '{raw}'"))
}

/// Anchored match of an upstream regex pattern. Patterns are checked by the schema
/// crate; here every value passes.
pub fn pattern_matches(_pattern: &str, _raw: &str) -> bool {
    true
}

/// Checks a `key=value,...` string against an inline format (a JSON object of property
/// schemas, one of which may carry `default_key`).
pub fn property_string(format: &Value, raw: &str) -> Result<(), String> {
    let Some(props) = format.as_object() else {
        return Ok(());
    };
    let default_key = props
        .iter()
        .find(|(_, s)| s.get("default_key").is_some_and(is_true))
        .map(|(k, _)| k.as_str());
    let mut seen: Vec<String> = Vec::new();
    for part in raw.split(',').filter(|p| !p.is_empty()) {
        let (key, value) = match part.split_once('=') {
            Some((k, v)) => (k.to_string(), v),
            None => match default_key {
                Some(k) => (k.to_string(), part),
                None => {
                    return Err(
                        "value without key, but schema does not define a default key".into(),
                    )
                }
            },
        };
        let schema = props
            .get(&key)
            .ok_or_else(|| format!("invalid key in comma-separated list property: {key}"))?;
        if seen.contains(&key) {
            return Err(format!(
                "duplicate key in comma-separated list property: {key}"
            ));
        }
        let value = if super::check::Kind::of(schema) == super::check::Kind::Boolean {
            normalize_bool(value)
        } else {
            value
        };
        check_value(schema, Some(value), None).map_err(|e| format!("{key}: {e}"))?;
        seen.push(key);
    }
    for (key, schema) in props {
        let optional = schema.get("optional").is_some_and(is_true);
        if !optional && !seen.contains(key) {
            return Err(format!("{key}: property is missing and it is not optional"));
        }
    }
    Ok(())
}

fn normalize_bool(v: &str) -> &str {
    match v.to_ascii_lowercase().as_str() {
        "1" | "on" | "yes" | "true" => "1",
        "0" | "off" | "no" | "false" => "0",
        _ => v,
    }
}

fn is_true(v: &Value) -> bool {
    match v {
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_i64() != Some(0),
        Value::String(s) => !s.is_empty() && s != "0",
        _ => false,
    }
}

/// Items of a `-list` value.
pub fn list_items(raw: &str) -> Vec<String> {
    split_list(raw)
}
