//! Suite `common-propstring`: upstream's property-string cases (default keys, aliases,
//! boolean spellings) against `virton_schema::parse_property_string`.
//!
//! A case gives `inputs.format` (a format hash in upstream's JSON dialect) and
//! `inputs.in`; it expects either `expected.out` (upstream writes booleans as 1/0, we
//! as JSON booleans: both sides are compared as upstream's scalar text) or
//! `expected.must_fail` (a Perl regex `(?^:...)` searched in our error text).

use serde_json::{Map, Value};
use virton_schema::text::scalar_text;
use virton_schema::{parse_property_string, ObjectSchema};

/// Checks one case.
pub fn check(case: &Value) -> Result<(), String> {
    let inputs = &case["inputs"];
    let format = ObjectSchema::from_pve_json(&inputs["format"]).map_err(|e| e.to_string())?;
    let input = inputs["in"]
        .as_str()
        .ok_or("case has no string inputs.in")?;
    let result = parse_property_string(input, &format);
    let expected = &case["expected"];
    if let Some(pattern) = expected.get("must_fail") {
        let needle = perl_regex_literal(pattern.as_str().unwrap_or_default());
        return match result {
            Ok(map) => Err(format!(
                "expected an error matching {needle:?}, got {map:?}"
            )),
            Err(e) if e.to_string().contains(&needle) => Ok(()),
            Err(e) => Err(format!(
                "error {:?} does not match {needle:?}",
                e.to_string()
            )),
        };
    }
    let want = expected
        .get("out")
        .and_then(Value::as_object)
        .ok_or("case has neither expected.out nor expected.must_fail")?;
    let got = result.map_err(|e| format!("unexpected error: {e}"))?;
    if as_texts(&got) == as_texts(want) {
        Ok(())
    } else {
        Err(format!("got {got:?}, want {want:?}"))
    }
}

/// Key -> upstream's scalar text (`true` -> `1`), sorted by key.
fn as_texts(map: &Map<String, Value>) -> Vec<(String, Option<String>)> {
    let mut out: Vec<_> = map
        .iter()
        .map(|(k, v)| (k.clone(), scalar_text(v)))
        .collect();
    out.sort();
    out
}

/// The literal text of a Perl regex made only of escaped literals: `(?^:a \(b\))` -> `a (b)`.
fn perl_regex_literal(pattern: &str) -> String {
    let inner = pattern
        .strip_prefix("(?^:")
        .and_then(|p| p.strip_suffix(')'))
        .unwrap_or(pattern);
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(next) = chars.next() {
                out.push(next);
            }
        } else {
            out.push(c);
        }
    }
    out
}
