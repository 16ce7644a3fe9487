//! Checking one raw property value against its schema, as upstream's section-config
//! reader does: type check on the string form, then format, pattern, length, range and
//! enumeration, with upstream's error wording.

use super::{FormatCheck, SectionValue};
use serde_json::Value;

/// The value type a schema declares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `boolean`
    Boolean,
    /// `integer`
    Integer,
    /// `number`
    Number,
    /// `string` (or no type at all)
    String,
    /// `array` (items checked one by one)
    Array,
}

impl Kind {
    /// The kind a schema declares.
    pub fn of(schema: &Value) -> Self {
        match schema.get("type").and_then(Value::as_str) {
            Some("boolean") => Self::Boolean,
            Some("integer") => Self::Integer,
            Some("number") => Self::Number,
            Some("array") => Self::Array,
            _ => Self::String,
        }
    }
}

/// True for upstream's integer syntax (`^[+-]?\d+$`).
pub fn is_integer(v: &str) -> bool {
    let digits = v.strip_prefix(['+', '-']).unwrap_or(v);
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
}

/// True for upstream's number syntax (`1`, `1.5`, `1.`, `.5`, with an optional exponent).
pub fn is_number(v: &str) -> bool {
    let v = v.strip_prefix(['+', '-']).unwrap_or(v);
    let (mantissa, exp) = match v.find(['e', 'E']) {
        Some(i) => (&v[..i], Some(&v[i + 1..])),
        None => (v, None),
    };
    if let Some(exp) = exp {
        let e = exp.strip_prefix(['+', '-']).unwrap_or(exp);
        if e.is_empty() || !e.bytes().all(|b| b.is_ascii_digit()) {
            return false;
        }
    }
    let (int, frac) = match mantissa.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (mantissa, None),
    };
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    match frac {
        None => !int.is_empty() && all_digits(int),
        Some(f) => (!int.is_empty() || !f.is_empty()) && all_digits(int) && all_digits(f),
    }
}

/// Formats a number as Perl stringifies it (`%.15g`).
pub fn perl_number(n: f64) -> String {
    if !n.is_finite() {
        return if n.is_nan() {
            "NaN".into()
        } else if n > 0.0 {
            "Inf".into()
        } else {
            "-Inf".into()
        };
    }
    if n == 0.0 {
        return "0".into();
    }
    let sci = format!("{n:.14e}");
    let (mant, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    if !(-4..15).contains(&exp) {
        let mant = trim_zeros(mant);
        let sign = if exp < 0 { '-' } else { '+' };
        return format!("{mant}e{sign}{:02}", exp.abs());
    }
    let decimals = usize::try_from(14 - exp).unwrap_or(0);
    trim_zeros(&format!("{n:.decimals$}")).to_string()
}

fn trim_zeros(s: &str) -> &str {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.')
    } else {
        s
    }
}

/// Splits a list as upstream's `split_list` does (on `,`, `;` and whitespace; or on NUL
/// when the text contains one).
pub fn split_list(text: &str) -> Vec<String> {
    if text.contains('\0') {
        return text.split('\0').map(str::to_string).collect();
    }
    text.split(|c: char| c == ',' || c == ';' || c.is_whitespace())
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// Checks the raw text of one property (`None`: the key had no value) and returns its
/// typed value. For arrays, `raw` is one item; the result is that item as a string.
pub fn check_value(
    schema: &Value,
    raw: Option<&str>,
    formats: Option<FormatCheck>,
) -> Result<SectionValue, String> {
    let kind = Kind::of(schema);
    let raw = match (raw, kind) {
        (None, Kind::Boolean) => "1",
        (None, _) => return Err("got undefined value".into()),
        (Some(r), _) => r,
    };
    if raw.contains(['\n', '\r']) {
        return Err("property contains a line feed".into());
    }
    if kind == Kind::Array {
        let items = schema.get("items").ok_or("no item schema for array")?;
        check_value(items, Some(raw), formats)?;
        return Ok(SectionValue::Str(raw.to_string()));
    }
    let type_error = || format!("type check ('{}') failed - got '{raw}'", kind_name(kind));
    let value = match kind {
        Kind::Boolean => match raw {
            "1" => SectionValue::Bool(true),
            "0" => SectionValue::Bool(false),
            _ => return Err(type_error()),
        },
        Kind::Integer if is_integer(raw) => {
            SectionValue::Int(raw.parse().map_err(|_| type_error())?)
        }
        Kind::Number if is_number(raw) => {
            SectionValue::Number(raw.parse().map_err(|_| type_error())?)
        }
        Kind::Integer | Kind::Number => return Err(type_error()),
        Kind::String | Kind::Array => SectionValue::Str(raw.to_string()),
    };
    check_constraints(schema, raw, formats)?;
    Ok(value)
}

fn kind_name(kind: Kind) -> &'static str {
    match kind {
        Kind::Boolean => "boolean",
        Kind::Integer => "integer",
        Kind::Number => "number",
        Kind::String => "string",
        Kind::Array => "array",
    }
}

/// Format, pattern, length, range and enumeration, in upstream's order.
fn check_constraints(
    schema: &Value,
    raw: &str,
    formats: Option<FormatCheck>,
) -> Result<(), String> {
    if let Some(format) = schema.get("format") {
        check_format(format, raw, formats).map_err(|e| format!("invalid format - {e}"))?;
    }
    if let Some(pattern) = schema.get("pattern").and_then(Value::as_str) {
        if !crate::section::check::pattern_matches(pattern, raw) {
            return Err("value does not match the regex pattern".into());
        }
    }
    let len = raw.chars().count();
    if let Some(max) = schema.get("maxLength").and_then(as_i64) {
        if i64::try_from(len).unwrap_or(i64::MAX) > max {
            return Err(format!("value may only be {max} characters long"));
        }
    }
    if let Some(min) = schema.get("minLength").and_then(as_i64) {
        if i64::try_from(len).unwrap_or(i64::MAX) < min {
            return Err(format!("value must be at least {min} characters long"));
        }
    }
    check_range(schema, raw)?;
    check_enum(schema, raw)
}

fn as_i64(v: &Value) -> Option<i64> {
    v.as_i64()
        .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
}

fn as_f64(v: &Value) -> Option<f64> {
    v.as_f64()
        .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
}

fn check_range(schema: &Value, raw: &str) -> Result<(), String> {
    if !is_number(raw) {
        return Ok(());
    }
    let Ok(n) = raw.parse::<f64>() else {
        return Ok(());
    };
    if let Some(max) = schema.get("maximum").and_then(as_f64) {
        if n > max {
            return Err(format!(
                "value must have a maximum value of {}",
                perl_number(max)
            ));
        }
    }
    if let Some(min) = schema.get("minimum").and_then(as_f64) {
        if n < min {
            return Err(format!(
                "value must have a minimum value of {}",
                perl_number(min)
            ));
        }
    }
    Ok(())
}

fn check_enum(schema: &Value, raw: &str) -> Result<(), String> {
    let Some(values) = schema.get("enum").and_then(Value::as_array) else {
        return Ok(());
    };
    let names: Vec<String> = values
        .iter()
        .map(|v| match v {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        })
        .collect();
    if names.iter().any(|n| n == raw) {
        return Ok(());
    }
    Err(format!(
        "value '{raw}' does not have a value in the enumeration '{}'",
        names.join(", ")
    ))
}

/// Checks a `format`: a named format (the file's own first, `-list` variants item by
/// item) or an inline property-string format.
fn check_format(format: &Value, raw: &str, formats: Option<FormatCheck>) -> Result<(), String> {
    match format {
        Value::String(name) => check_named_format(name, raw, formats),
        Value::Object(_) => check_property_string(format, raw),
        _ => Ok(()),
    }
}

fn check_named_format(name: &str, raw: &str, formats: Option<FormatCheck>) -> Result<(), String> {
    let local = |n: &str, v: &str| formats.and_then(|f| f(n, v));
    if let Some(res) = local(name, raw) {
        return res;
    }
    let base = name
        .strip_suffix("-list")
        .or_else(|| name.strip_suffix("-alist"));
    if let Some(base) = base {
        for item in split_list(raw) {
            match local(base, &item) {
                Some(res) => res?,
                None => external_format(base, &item)?,
            }
        }
        return Ok(());
    }
    external_format(name, raw)
}

/// Named formats shared by all files (node names, config ids, ...).
fn external_format(name: &str, raw: &str) -> Result<(), String> {
    super::formats::common_format(name, raw).unwrap_or(Ok(()))
}

/// An inline property-string format: every `key=value` part must name a key of the format.
fn check_property_string(format: &Value, raw: &str) -> Result<(), String> {
    super::formats::property_string(format, raw)
}

/// Anchored match of an upstream regex pattern.
pub(crate) fn pattern_matches(pattern: &str, raw: &str) -> bool {
    super::formats::pattern_matches(pattern, raw)
}
