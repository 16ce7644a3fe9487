//! One schema of the model as an OpenAPI 3.1 (JSON Schema 2020-12) schema, true to the
//! wire in each position it is used.
//!
//! - Booleans: the server sends `0`/`1` ([`crate::to_wire`]); query strings and form
//!   bodies must carry `0`/`1`; JSON bodies may carry `true`/`false` or `0`/`1`.
//! - Patterns are anchored (`^(?:…)$`) because the server matches whole values while JSON
//!   Schema patterns search.
//! - Property strings are `type: string` with `format: pve-property-string`, their
//!   sub-keys under `x-pve-property-string` and a synopsis in the description.
//! - Optional members of responses may also be `null` (serde writes an absent `Option`
//!   as `null` unless the type skips it).

use serde_json::{json, Map, Value};
use virton_schema::{ObjectSchema, Property, Schema, StringFormat, StringSchema};

/// Where a schema is used: that decides how booleans travel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Query string or `application/x-www-form-urlencoded` body: text `0`/`1`.
    Text,
    /// `application/json` request body: JSON booleans or `0`/`1`.
    Json,
    /// Response `data`: booleans as the numbers `0`/`1`.
    Response,
}

fn put<T: Into<Value>>(out: &mut Map<String, Value>, key: &str, value: Option<T>) {
    if let Some(v) = value {
        out.insert(key.to_string(), v.into());
    }
}

/// `schema` as an OpenAPI schema for `mode`.
pub fn convert(schema: &Schema, mode: Mode) -> Value {
    let mut out = Map::new();
    put(&mut out, "description", schema.description());
    match schema {
        Schema::Boolean(s) => boolean(&mut out, mode, s.default),
        Schema::Integer(s) => {
            out.insert("type".into(), "integer".into());
            put(&mut out, "minimum", s.minimum);
            put(&mut out, "maximum", s.maximum);
            put(&mut out, "default", s.default);
            put(&mut out, "format", s.format.clone());
        }
        Schema::Number(s) => {
            out.insert("type".into(), "number".into());
            put(&mut out, "minimum", s.minimum);
            put(&mut out, "maximum", s.maximum);
            put(&mut out, "default", s.default);
        }
        Schema::String(s) => string(&mut out, s),
        Schema::Array(a) => {
            out.insert("type".into(), "array".into());
            out.insert("items".into(), convert(&a.items, mode));
        }
        Schema::Object(o) => object(&mut out, o, mode),
        Schema::Null => {
            out.insert("type".into(), "null".into());
        }
    }
    Value::Object(out)
}

fn boolean(out: &mut Map<String, Value>, mode: Mode, default: Option<bool>) {
    let flag = json!({"type": "integer", "enum": [0, 1]});
    match mode {
        Mode::Json => {
            out.insert("oneOf".into(), json!([{"type": "boolean"}, flag]));
        }
        Mode::Text | Mode::Response => {
            out.insert("type".into(), "integer".into());
            out.insert("enum".into(), json!([0, 1]));
        }
    }
    put(out, "default", default.map(u8::from));
}

fn string(out: &mut Map<String, Value>, s: &StringSchema) {
    out.insert("type".into(), "string".into());
    put(out, "default", s.default.clone());
    put(out, "minLength", s.min_length);
    put(out, "maxLength", s.max_length);
    put(
        out,
        "pattern",
        s.pattern.as_ref().map(|p| format!("^(?:{p})$")),
    );
    put(out, "enum", s.enum_values.clone());
    put(out, "x-typetext", s.typetext.clone());
    match &s.format {
        Some(StringFormat::Named(n)) => {
            out.insert("format".into(), n.clone().into());
        }
        Some(StringFormat::PropertyString(o)) => {
            out.insert("format".into(), "pve-property-string".into());
            let synopsis = format!("Property string: `{}`.", synopsis(o));
            let text = match out.get("description").and_then(Value::as_str) {
                Some(d) => format!("{d}\n\n{synopsis}"),
                None => synopsis,
            };
            out.insert("description".into(), text.into());
            let mut sub = Map::new();
            object(&mut sub, o, Mode::Text);
            out.insert("x-pve-property-string".into(), Value::Object(sub));
        }
        None => {}
    }
}

/// Upstream-style usage of a property string: `[model=]<enum> [,bridge=<string>]`.
pub fn synopsis(o: &ObjectSchema) -> String {
    let mut parts = Vec::new();
    for (key, p) in &o.properties {
        if p.alias.is_some() {
            continue;
        }
        let value = value_text(&p.schema);
        let item = if p.default_key {
            format!("[{key}=]{value}")
        } else {
            format!("{key}={value}")
        };
        let sep = if parts.is_empty() { "" } else { "," };
        parts.push(if p.optional {
            format!("[{sep}{item}]")
        } else {
            format!("{sep}{item}")
        });
    }
    parts.join(" ")
}

fn value_text(schema: &Schema) -> String {
    match schema {
        Schema::String(s) => {
            if let Some(values) = &s.enum_values {
                return format!("<{}>", values.join("|"));
            }
            if let Some(d) = &s.format_description {
                return format!("<{d}>");
            }
            "<string>".into()
        }
        other => format!("<{}>", other.type_name()),
    }
}

fn object(out: &mut Map<String, Value>, o: &ObjectSchema, mode: Mode) {
    out.insert("type".into(), "object".into());
    let mut props = Map::new();
    let mut required = Vec::new();
    for (key, p) in &o.properties {
        props.insert(key.clone(), property(p, mode));
        if !p.optional && p.alias.is_none() {
            required.push(Value::from(key.as_str()));
        }
    }
    if !props.is_empty() {
        out.insert("properties".into(), Value::Object(props));
    }
    if !required.is_empty() {
        out.insert("required".into(), Value::Array(required));
    }
    out.insert(
        "additionalProperties".into(),
        o.additional_properties.into(),
    );
}

/// A member of an object: its schema, or for an alias a string naming its target.
pub fn property(p: &Property, mode: Mode) -> Value {
    if let Some(alias) = &p.alias {
        let mut out = Map::new();
        out.insert("type".into(), "string".into());
        let what = match &p.keyalias {
            Some(k) => format!("Sets `{alias}` to this value and `{k}` to this key."),
            None => format!("Alias of `{alias}`."),
        };
        out.insert("description".into(), what.into());
        return Value::Object(out);
    }
    let v = convert(&p.schema, mode);
    if mode == Mode::Response && p.optional {
        nullable(v)
    } else {
        v
    }
}

/// `v` widened to also accept `null`.
pub fn nullable(v: Value) -> Value {
    let Value::Object(mut out) = v else {
        return v;
    };
    if let Some(Value::Array(values)) = out.get_mut("enum") {
        values.push(Value::Null);
    }
    match out.remove("type") {
        Some(Value::String(t)) if t != "null" => {
            out.insert("type".into(), json!([t, "null"]));
        }
        Some(other) => {
            out.insert("type".into(), other);
        }
        None => {
            if let Some(Value::Array(alts)) = out.get_mut("oneOf") {
                alts.push(json!({"type": "null"}));
            }
        }
    }
    Value::Object(out)
}
