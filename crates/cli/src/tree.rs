//! The linked API route tree (`virton_api::router()`) as the CLI sees it: method lookup
//! by verb and concrete path, the `Dr-cd` capability string of `pvesh ls`, and how a
//! directory's children are named in its index data.

use serde_json::{Map, Value};
use std::sync::OnceLock;
use virton_api::Context;
use virton_router::{ApiMethod, HttpMethod, Router};

/// The API tree type.
pub type ApiRouter = Router<Context>;
/// A method of the API tree.
pub type Method = ApiMethod<Context>;

/// The whole route tree, built once.
pub fn api() -> &'static ApiRouter {
    static TREE: OnceLock<ApiRouter> = OnceLock::new();
    TREE.get_or_init(virton_api::router)
}

/// The method for `verb` at concrete `path`, with the path's `{param}` values.
pub fn find<'t>(
    tree: &'t ApiRouter,
    verb: HttpMethod,
    path: &str,
) -> Option<(&'t Method, Map<String, Value>)> {
    let (node, params) = tree.lookup(path)?;
    node.get_method(verb).map(|m| (m, params))
}

/// A segment no fixed subdirectory is named, to probe for a `{param}` child.
const PROBE: &str = "\u{1}probe";

/// The name of the `{param}` child of the node at `path`, if it has one.
pub fn param_child(tree: &ApiRouter, path: &str) -> Option<String> {
    let (_, before) = tree.lookup(path)?;
    let (_, after) = tree.lookup(&format!("{}/{PROBE}", path.trim_end_matches('/')))?;
    after.keys().find(|k| !before.contains_key(*k)).cloned()
}

/// Whether the GET method at `path` lists children (upstream: has a child link).
pub fn has_children(tree: &ApiRouter, path: &str) -> bool {
    let Some((node, _)) = tree.lookup(path) else {
        return false;
    };
    node.get_method(HttpMethod::Get).is_some()
        && (node.subdir_names().next().is_some() || param_child(tree, path).is_some())
}

/// Upstream's `resource_cap`: `D` or `-` + `r`, then `w` (PUT), `c` (POST), `d` (DELETE);
/// `--` when there is no GET.
pub fn capabilities(tree: &ApiRouter, path: &str) -> String {
    let node = tree.lookup(path).map(|(n, _)| n);
    let has = |v: HttpMethod| node.is_some_and(|n| n.get_method(v).is_some());
    let mut caps = String::new();
    caps.push_str(match (has(HttpMethod::Get), has_children(tree, path)) {
        (false, _) => "--",
        (true, true) => "Dr",
        (true, false) => "-r",
    });
    caps.push(if has(HttpMethod::Put) { 'w' } else { '-' });
    caps.push(if has(HttpMethod::Post) { 'c' } else { '-' });
    caps.push(if has(HttpMethod::Delete) { 'd' } else { '-' });
    caps
}

/// The child names in the index `data` of `path`: the `{param}` member of each entry
/// when the node has a param child, else `subdir`; sorted as strings.
pub fn children(tree: &ApiRouter, path: &str, data: &Value) -> Vec<String> {
    let key = param_child(tree, path);
    let mut out: Vec<String> = data
        .as_array()
        .map(|items| {
            items
                .iter()
                .filter_map(|item| {
                    let by_param = key.as_ref().and_then(|k| item.get(k));
                    by_param.or_else(|| item.get("subdir"))
                })
                .filter_map(virton_schema::text::scalar_text)
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}
