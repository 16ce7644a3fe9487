//! Machine-readable dumps of a route tree: an OpenAPI 3.1 document and the api-viewer
//! data (`apidoc.json`, the tree shape of upstream's `apidata.js`).
//!
//! Both are derived only from what [`Router::walk`] reports (path templates, methods and
//! their metadata and schemas), so a new endpoint appears in them without any edit here.
//! Output is deterministic: object keys are sorted recursively and the tree keeps the
//! router's declaration order, so `xtask docgen --check` can compare bytes.
//!
//! Owns the schema-to-document conversions ([`openapi`] for OpenAPI, [`pve`] for
//! upstream's schema dialect). Must not depend on the `api` crate or on any state type:
//! everything is generic over the router's `S`.

pub mod openapi;
pub mod pve;

#[cfg(test)]
mod tests;

use crate::{ApiMethod, HttpMethod, Router};
use serde_json::{Map, Value};

/// One method of the tree as the walk reports it.
pub struct Entry<'a, S> {
    /// The path template, e.g. `/nodes/{node}/tasks`.
    pub path: String,
    /// The HTTP method.
    pub verb: HttpMethod,
    /// The method itself.
    pub method: &'a ApiMethod<S>,
}

/// Every method of `router` in walk order (depth first, declaration order).
pub fn entries<S>(router: &Router<S>) -> Vec<Entry<'_, S>> {
    let mut found: Vec<(String, HttpMethod)> = Vec::new();
    router.walk(&mut |path, verb, _| found.push((path.to_string(), verb)));
    // The walk lends each method only for the duration of the callback; looking the
    // template up again yields references that live as long as the router. A literal
    // `{name}` segment is never a fixed subdirectory, so it always takes the parameter
    // child, exactly as the walk did.
    found
        .into_iter()
        .filter_map(|(path, verb)| {
            let (node, _) = router.lookup(&path)?;
            let method = node.get_method(verb)?;
            Some(Entry { path, verb, method })
        })
        .collect()
}

/// The names of the `{placeholders}` of a path template, in order.
pub fn path_params(template: &str) -> Vec<&str> {
    template
        .split('/')
        .filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
        .collect()
}

/// The operation name of a method: the `pvesh` verb (`get`, `create`, `set`, `delete`)
/// and the path segments, placeholders by their names (`get_nodes_node_tasks`).
pub fn operation_name(verb: HttpMethod, template: &str) -> String {
    let verb = match verb {
        HttpMethod::Get => "get",
        HttpMethod::Post => "create",
        HttpMethod::Put => "set",
        HttpMethod::Delete => "delete",
    };
    let mut name = verb.to_string();
    let segments: Vec<&str> = template.split('/').filter(|s| !s.is_empty()).collect();
    if segments.is_empty() {
        name.push_str("_index");
    }
    for seg in segments {
        name.push('_');
        let seg = seg.trim_start_matches('{').trim_end_matches('}');
        name.extend(
            seg.chars()
                .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' }),
        );
    }
    name
}

/// Operation names for `entries`, made unique by a numeric suffix where two paths map to
/// the same name (first come keeps the plain name).
pub fn operation_names<S>(entries: &[Entry<'_, S>]) -> Vec<String> {
    let mut seen = std::collections::BTreeSet::new();
    entries
        .iter()
        .map(|e| {
            let base = operation_name(e.verb, &e.path);
            let mut name = base.clone();
            let mut n = 2;
            while !seen.insert(name.clone()) {
                name = format!("{base}_{n}");
                n += 1;
            }
            name
        })
        .collect()
}

/// A copy of `v` with every object's keys sorted (arrays keep their order).
pub fn sorted(v: &Value) -> Value {
    match v {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            let out: Map<String, Value> = keys
                .into_iter()
                .map(|k| (k.clone(), sorted(&map[k])))
                .collect();
            Value::Object(out)
        }
        Value::Array(items) => Value::Array(items.iter().map(sorted).collect()),
        other => other.clone(),
    }
}

/// Pretty JSON with sorted keys and a final newline: the committed file format.
pub fn to_pretty(v: &Value) -> String {
    let mut text = serde_json::to_string_pretty(&sorted(v)).unwrap_or_default();
    text.push('\n');
    text
}

/// The OpenAPI 3.1 document of `router` as committed and served (`GET /api2/openapi.json`).
pub fn openapi_json<S>(router: &Router<S>) -> String {
    to_pretty(&openapi::document(router))
}

/// The api-viewer tree of `router` as committed (`docs/reference/apidoc.json`).
pub fn apidoc_json<S>(router: &Router<S>) -> String {
    to_pretty(&pve::apidoc(router))
}
