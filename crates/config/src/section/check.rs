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
///
/// This reads `schema` on every call; a [`super::SectionDef`] prepares its schemas once
/// and checks through [`CompiledProp`] instead.
pub fn check_value(
    schema: &Value,
    raw: Option<&str>,
    formats: Option<FormatCheck>,
) -> Result<SectionValue, String> {
    CompiledProp::new(schema, formats).check(raw, formats)
}

/// One property schema read once: its kind, the file-local format it names (checked by
/// the definition's [`FormatCheck`]), the schema crate's model of the rest, and the
/// enumeration upstream checks on numbers.
#[derive(Debug, Clone)]
pub(crate) struct CompiledProp {
    kind: Kind,
    /// For arrays: the item schema (`None`: the definition has no `items`).
    items: Option<Box<CompiledProp>>,
    /// A named format this file's grammar owns.
    local_format: Option<String>,
    /// The schema crate's model (without the local format), or why it is invalid.
    schema: Result<virton_schema::Schema, String>,
    /// `enum` values as text (checked here for integers and numbers).
    enum_names: Option<Vec<String>>,
}

impl CompiledProp {
    /// Reads `schema` (a property definition in upstream's JSON dialect).
    pub(crate) fn new(schema: &Value, formats: Option<FormatCheck>) -> Self {
        let kind = Kind::of(schema);
        let items = match kind {
            Kind::Array => schema
                .get("items")
                .map(|items| Box::new(Self::new(items, formats))),
            _ => None,
        };
        let local_format = schema
            .get("format")
            .and_then(Value::as_str)
            .filter(|name| is_local_format(name, formats))
            .map(str::to_string);
        let compiled = if local_format.is_some() {
            let mut rest = schema.clone();
            if let Some(obj) = rest.as_object_mut() {
                obj.remove("format");
            }
            virton_schema::Schema::from_pve_json(&rest)
        } else {
            virton_schema::Schema::from_pve_json(schema)
        };
        let enum_names = schema.get("enum").and_then(Value::as_array).map(|values| {
            values
                .iter()
                .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_string))
                .collect()
        });
        Self {
            kind,
            items,
            local_format,
            schema: compiled.map_err(|e| format!("invalid schema: {e}")),
            enum_names,
        }
    }

    /// The value type the schema declares.
    pub(crate) fn kind(&self) -> Kind {
        self.kind
    }

    /// [`check_value`] against the prepared schema.
    pub(crate) fn check(
        &self,
        raw: Option<&str>,
        formats: Option<FormatCheck>,
    ) -> Result<SectionValue, String> {
        let kind = self.kind;
        let raw = match (raw, kind) {
            (None, Kind::Boolean) => "1",
            (None, _) => return Err("got undefined value".into()),
            (Some(r), _) => r,
        };
        if raw.contains(['\n', '\r']) {
            return Err("property contains a line feed".into());
        }
        if kind == Kind::Array {
            let items = self.items.as_ref().ok_or("no item schema for array")?;
            items.check(Some(raw), formats)?;
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
        self.check_constraints(raw, formats)?;
        if matches!(kind, Kind::Integer | Kind::Number) {
            // upstream checks `enum` on every scalar; the schema crate only on strings
            self.check_enum(raw)?;
        }
        Ok(value)
    }

    /// Format, pattern, length, range and enumeration, in upstream's order. Named
    /// formats the file's grammar owns are checked here; everything else goes to the
    /// schema crate.
    fn check_constraints(&self, raw: &str, formats: Option<FormatCheck>) -> Result<(), String> {
        if let Some(name) = &self.local_format {
            check_local_format(name, raw, formats).map_err(|e| format!("invalid format - {e}"))?;
        }
        let schema = self.schema.as_ref().map_err(String::clone)?;
        verify_text(schema, raw)
    }

    fn check_enum(&self, raw: &str) -> Result<(), String> {
        let Some(names) = &self.enum_names else {
            return Ok(());
        };
        if names.iter().any(|n| n == raw) {
            return Ok(());
        }
        Err(format!(
            "value '{raw}' does not have a value in the enumeration '{}'",
            names.join(", ")
        ))
    }
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

/// Checks `raw` with the schema crate, as upstream's `check_prop` on a string value.
fn verify_text(schema: &virton_schema::Schema, raw: &str) -> Result<(), String> {
    virton_schema::verify(&Value::String(raw.to_string()), schema).map_err(|errors| {
        let msg = errors
            .0
            .get("_root")
            .or_else(|| errors.0.values().next())
            .cloned()
            .unwrap_or_else(|| "unknown error".into());
        msg.trim_end().to_string()
    })
}

/// The base name of a `-list` format.
fn list_base(name: &str) -> Option<&str> {
    name.strip_suffix("-list")
        .or_else(|| name.strip_suffix("-alist"))
}

fn is_local_format(name: &str, formats: Option<FormatCheck>) -> bool {
    let Some(f) = formats else {
        return false;
    };
    f(name, "").is_some() || list_base(name).is_some_and(|b| f(b, "").is_some())
}

fn check_local_format(name: &str, raw: &str, formats: Option<FormatCheck>) -> Result<(), String> {
    let Some(f) = formats else {
        return Ok(());
    };
    if let Some(res) = f(name, raw) {
        return res;
    }
    let base = list_base(name).unwrap_or(name);
    split_list(raw)
        .iter()
        .try_for_each(|item| f(base, item).unwrap_or(Ok(())))
}
