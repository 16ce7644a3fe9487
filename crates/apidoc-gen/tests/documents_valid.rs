//! The generated documents of the real route tree are well-formed: the OpenAPI document
//! has its required top-level members, one operation per routed method with a unique
//! `operationId`, declared path parameters, and every schema in it passes a structural
//! meta-check of the JSON Schema 2020-12 subset we emit; the api-viewer tree lists every
//! method once with upstream's member names.

use serde_json::{Map, Value};
use std::collections::BTreeSet;
use virton_router::dump::{apidoc_json, openapi_json, path_params};

const TYPES: &[&str] = &[
    "null", "boolean", "object", "array", "number", "string", "integer",
];
const KEYWORDS: &[&str] = &[
    "type",
    "description",
    "default",
    "enum",
    "format",
    "minimum",
    "maximum",
    "minLength",
    "maxLength",
    "pattern",
    "items",
    "properties",
    "required",
    "additionalProperties",
    "oneOf",
    "$ref",
    "x-typetext",
    "x-pve-property-string",
];

/// The methods of the real tree as `VERB /path`.
fn routed() -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    virton_api::router().walk(&mut |path, verb, _| {
        out.insert(format!("{verb} {path}"));
    });
    out
}

fn type_names(v: &Value) -> Vec<&str> {
    match v {
        Value::String(s) => vec![s.as_str()],
        Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
        _ => vec![],
    }
}

/// Structural meta-check of one schema; problems are pushed with their location.
fn check_schema(at: &str, v: &Value, doc: &Value, problems: &mut Vec<String>) {
    let Some(s) = v.as_object() else {
        problems.push(format!("{at}: schema is not an object"));
        return;
    };
    for key in s.keys() {
        if !KEYWORDS.contains(&key.as_str()) {
            problems.push(format!("{at}: unexpected keyword '{key}'"));
        }
    }
    if let Some(t) = s.get("type") {
        let names = type_names(t);
        if names.is_empty() || names.iter().any(|n| !TYPES.contains(n)) {
            problems.push(format!("{at}: bad type {t}"));
        }
    } else if !s.contains_key("oneOf") && !s.contains_key("$ref") {
        problems.push(format!("{at}: neither type, oneOf nor $ref"));
    }
    if let Some(r) = s.get("$ref").and_then(Value::as_str) {
        let pointer = r.trim_start_matches('#');
        if doc.pointer(pointer).is_none() {
            problems.push(format!("{at}: dangling $ref {r}"));
        }
    }
    check_keywords(at, s, problems);
    check_children(at, s, doc, problems);
}

fn check_keywords(at: &str, s: &Map<String, Value>, problems: &mut Vec<String>) {
    if let Some(e) = s.get("enum") {
        let ok = e.as_array().is_some_and(|a| {
            let unique: BTreeSet<String> = a.iter().map(Value::to_string).collect();
            !a.is_empty() && unique.len() == a.len()
        });
        if !ok {
            problems.push(format!(
                "{at}: enum must be a non-empty array of unique values"
            ));
        }
    }
    let num = |k: &str| s.get(k).and_then(Value::as_f64);
    if let (Some(min), Some(max)) = (num("minimum"), num("maximum")) {
        if min > max {
            problems.push(format!("{at}: minimum {min} > maximum {max}"));
        }
    }
    if let (Some(min), Some(max)) = (num("minLength"), num("maxLength")) {
        if min > max {
            problems.push(format!("{at}: minLength {min} > maxLength {max}"));
        }
    }
    if let Some(p) = s.get("pattern") {
        match p.as_str().map(regex::Regex::new) {
            Some(Ok(_)) => {}
            _ => problems.push(format!("{at}: pattern {p} does not compile")),
        }
    }
    if let Some(f) = s.get("format") {
        if !f.is_string() {
            problems.push(format!("{at}: format must be a string"));
        }
    }
    if let Some(a) = s.get("additionalProperties") {
        if !a.is_boolean() && !a.is_object() {
            problems.push(format!(
                "{at}: additionalProperties must be a boolean or schema"
            ));
        }
    }
}

fn check_children(at: &str, s: &Map<String, Value>, doc: &Value, problems: &mut Vec<String>) {
    if let Some(items) = s.get("items") {
        check_schema(&format!("{at}/items"), items, doc, problems);
    }
    if let Some(Value::Object(a)) = s.get("additionalProperties") {
        check_schema(
            &format!("{at}/additionalProperties"),
            &Value::Object(a.clone()),
            doc,
            problems,
        );
    }
    if let Some(ps) = s.get("x-pve-property-string") {
        check_schema(&format!("{at}/x-pve-property-string"), ps, doc, problems);
    }
    if let Some(alts) = s.get("oneOf") {
        for (i, alt) in alts.as_array().into_iter().flatten().enumerate() {
            check_schema(&format!("{at}/oneOf/{i}"), alt, doc, problems);
        }
    }
    let props = s.get("properties").and_then(Value::as_object);
    if s.contains_key("properties") && props.is_none() {
        problems.push(format!("{at}: properties must be an object"));
    }
    for (k, p) in props.into_iter().flatten() {
        check_schema(&format!("{at}/properties/{k}"), p, doc, problems);
    }
    for r in s
        .get("required")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let known = r
            .as_str()
            .is_some_and(|r| props.is_some_and(|p| p.contains_key(r)));
        if !known {
            problems.push(format!("{at}: required {r} is not a property"));
        }
    }
}

/// Checks one operation and returns its operationId.
fn check_operation(at: &str, path: &str, op: &Value, doc: &Value, problems: &mut Vec<String>) {
    for key in ["operationId", "summary", "x-permission"] {
        if !op[key].is_string() {
            problems.push(format!("{at}: missing {key}"));
        }
    }
    for key in ["x-protected", "x-proxy-to-node", "x-allow-token"] {
        if !op[key].is_boolean() {
            problems.push(format!("{at}: missing {key}"));
        }
    }
    if !op["security"].is_array() {
        problems.push(format!("{at}: missing security"));
    }
    let params = op["parameters"].as_array().cloned().unwrap_or_default();
    for name in path_params(path) {
        let declared = params
            .iter()
            .any(|p| p["name"] == name && p["in"] == "path" && p["required"] == true);
        if !declared {
            problems.push(format!("{at}: path parameter '{name}' not declared"));
        }
    }
    for p in &params {
        let name = p["name"].as_str().unwrap_or("?");
        check_schema(
            &format!("{at}/parameters/{name}"),
            &p["schema"],
            doc,
            problems,
        );
    }
    if let Some(content) = op["requestBody"]["content"].as_object() {
        for (mime, c) in content {
            check_schema(
                &format!("{at}/requestBody/{mime}"),
                &c["schema"],
                doc,
                problems,
            );
        }
    }
    let ok = &op["responses"]["200"]["content"]["application/json"]["schema"];
    if ok["properties"]["data"].is_null() {
        problems.push(format!("{at}: 200 response lacks the data envelope"));
    }
    check_schema(&format!("{at}/responses/200"), ok, doc, problems);
}

#[test]
fn openapi_document_is_well_formed_and_covers_every_method() {
    let text = openapi_json(&virton_api::router());
    let doc: Value = serde_json::from_str(&text).expect("OpenAPI document is JSON");
    assert!(doc["openapi"]
        .as_str()
        .is_some_and(|v| v.starts_with("3.1.")));
    assert!(doc["info"]["title"].is_string() && doc["info"]["version"].is_string());
    assert!(doc["components"]["securitySchemes"]["ticket"].is_object());
    assert!(doc["components"]["securitySchemes"]["token"].is_object());
    let paths = doc["paths"].as_object().expect("paths object");
    let mut problems = Vec::new();
    let mut ids = BTreeSet::new();
    let mut seen = BTreeSet::new();
    for (path, item) in paths {
        for (verb, op) in item.as_object().into_iter().flatten() {
            let at = format!("{} {path}", verb.to_uppercase());
            if let Some(id) = op["operationId"].as_str() {
                if !ids.insert(id.to_string()) {
                    problems.push(format!("{at}: duplicate operationId {id}"));
                }
            }
            check_operation(&at, path, op, &doc, &mut problems);
            seen.insert(at);
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert_eq!(seen, routed(), "document and route tree differ");
}

fn collect_apidoc(node: &Value, out: &mut Vec<String>, problems: &mut Vec<String>) {
    let path = node["path"].as_str().unwrap_or("?");
    if !node["text"].is_string() || !node["leaf"].is_u64() {
        problems.push(format!("{path}: node lacks text or leaf"));
    }
    for (verb, info) in node["info"].as_object().into_iter().flatten() {
        for key in [
            "name",
            "method",
            "description",
            "parameters",
            "returns",
            "allowtoken",
        ] {
            if info.get(key).is_none() {
                problems.push(format!("{verb} {path}: info lacks {key}"));
            }
        }
        out.push(format!("{verb} {path}"));
    }
    for child in node["children"].as_array().into_iter().flatten() {
        collect_apidoc(child, out, problems);
    }
}

#[test]
fn apidoc_tree_is_well_formed_and_lists_every_method_once() {
    let text = apidoc_json(&virton_api::router());
    let doc: Value = serde_json::from_str(&text).expect("apidoc is JSON");
    let mut listed = Vec::new();
    let mut problems = Vec::new();
    for node in doc.as_array().expect("a list of top-level nodes") {
        collect_apidoc(node, &mut listed, &mut problems);
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    let unique: BTreeSet<String> = listed.iter().cloned().collect();
    assert_eq!(unique.len(), listed.len(), "a method is listed twice");
    assert_eq!(unique, routed());
}

#[test]
fn meta_check_rejects_malformed_schemas() {
    let doc = serde_json::json!({});
    let bad = serde_json::json!({
        "type": "strng",
        "minimum": 5, "maximum": 1,
        "enum": [],
        "pattern": "(",
        "properties": {"a": {"type": "integer"}},
        "required": ["b"],
        "items": {"$ref": "#/nowhere"},
    });
    let mut problems = Vec::new();
    check_schema("t", &bad, &doc, &mut problems);
    assert_eq!(problems.len(), 6, "{problems:#?}");
}
