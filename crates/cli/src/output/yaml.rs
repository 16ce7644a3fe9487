//! YAML as YAML::XS (libyaml) dumps decoded JSON: a `---` document, sorted keys,
//! block style, sequences in mappings not indented, strings that would read back as
//! something else (numbers, `true`, `~`, empty) single-quoted, strings with line
//! breaks or control characters double-quoted.

use serde_json::Value;

/// The YAML document for `v`.
pub fn dump(v: &Value) -> String {
    let mut out = String::from("---");
    match v {
        Value::Object(m) if !m.is_empty() => {
            out.push('\n');
            mapping(v, 0, &mut out);
        }
        Value::Array(a) if !a.is_empty() => {
            out.push('\n');
            sequence(a, 0, &mut out);
        }
        other => {
            out.push(' ');
            out.push_str(&inline(other));
            out.push('\n');
        }
    }
    out
}

fn is_collection(v: &Value) -> bool {
    matches!(v, Value::Object(m) if !m.is_empty()) || matches!(v, Value::Array(a) if !a.is_empty())
}

fn mapping(v: &Value, indent: usize, out: &mut String) {
    let Value::Object(map) = v else { return };
    let mut keys: Vec<&String> = map.keys().collect();
    keys.sort();
    let pad = " ".repeat(indent);
    for (i, key) in keys.into_iter().enumerate() {
        let value = &map[key.as_str()];
        // The first key of a mapping inside a sequence item follows the "- " directly.
        if i > 0 || !out.ends_with("- ") {
            out.push_str(&pad);
        }
        out.push_str(&string(key));
        out.push(':');
        match value {
            Value::Object(_) if is_collection(value) => {
                out.push('\n');
                mapping(value, indent + 2, out);
            }
            Value::Array(items) if is_collection(value) => {
                out.push('\n');
                sequence(items, indent, out);
            }
            other => {
                out.push(' ');
                out.push_str(&inline(other));
                out.push('\n');
            }
        }
    }
}

fn sequence(items: &[Value], indent: usize, out: &mut String) {
    let pad = " ".repeat(indent);
    for (i, item) in items.iter().enumerate() {
        if i > 0 || !out.ends_with("- ") {
            out.push_str(&pad);
        }
        out.push_str("- ");
        match item {
            Value::Object(_) if is_collection(item) => mapping(item, indent + 2, out),
            Value::Array(inner) if is_collection(item) => sequence(inner, indent + 2, out),
            other => {
                out.push_str(&inline(other));
                out.push('\n');
            }
        }
    }
}

fn inline(v: &Value) -> String {
    match v {
        Value::Null => "~".into(),
        Value::Bool(b) => if *b { "true" } else { "false" }.into(),
        Value::Number(n) => virton_schema::text::number_text(n),
        Value::String(s) => string(s),
        Value::Object(_) => "{}".into(),
        Value::Array(_) => "[]".into(),
    }
}

fn looks_like_number(s: &str) -> bool {
    let t = s.trim_start();
    let lower = t.to_ascii_lowercase();
    let unsigned = lower.trim_start_matches(['+', '-']);
    virton_schema::text::is_number(t) || matches!(unsigned, "inf" | "infinity" | "nan")
}

fn needs_double(s: &str) -> bool {
    s.chars().any(|c| c.is_control())
}

fn plain_ok(s: &str) -> bool {
    const INDICATORS: &[char] = &[
        '-', '?', ':', ',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', '\'', '"', '%', '@',
        '`',
    ];
    let Some(first) = s.chars().next() else {
        return false;
    };
    let bad_start = match first {
        '-' | '?' | ':' => s.chars().nth(1).is_none_or(|c| c == ' '),
        c => INDICATORS.contains(&c),
    };
    !(bad_start
        || s.starts_with(' ')
        || s.ends_with(' ')
        || s.contains(": ")
        || s.contains(" #")
        || s.ends_with(':')
        || s.starts_with("---")
        || s.starts_with("..."))
}

fn string(s: &str) -> String {
    if needs_double(s) {
        return serde_json::to_string(s).unwrap_or_default();
    }
    let reserved = matches!(s, "" | "~" | "true" | "false" | "null") || looks_like_number(s);
    if !reserved && plain_ok(s) {
        return s.to_string();
    }
    format!("'{}'", s.replace('\'', "''"))
}
