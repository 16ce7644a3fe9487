//! The route tree: fixed subdirectories plus at most one `{param}` child per level.

use crate::{ApiMethod, HttpMethod};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// A node of the route tree.
pub struct Router<S> {
    methods: BTreeMap<HttpMethod, ApiMethod<S>>,
    subdirs: Vec<(&'static str, Router<S>)>,
    param: Option<(&'static str, Box<Router<S>>)>,
}

impl<S> Default for Router<S> {
    fn default() -> Self {
        Self::new()
    }
}

impl<S> Router<S> {
    /// An empty node.
    pub fn new() -> Self {
        Self {
            methods: BTreeMap::new(),
            subdirs: Vec::new(),
            param: None,
        }
    }

    /// Adds a method; a second method for the same verb replaces the first.
    pub fn method(mut self, verb: HttpMethod, m: ApiMethod<S>) -> Self {
        self.methods.insert(verb, m);
        self
    }

    /// Adds the GET method.
    pub fn get(self, m: ApiMethod<S>) -> Self {
        self.method(HttpMethod::Get, m)
    }

    /// Adds the POST method.
    pub fn post(self, m: ApiMethod<S>) -> Self {
        self.method(HttpMethod::Post, m)
    }

    /// Adds the PUT method.
    pub fn put(self, m: ApiMethod<S>) -> Self {
        self.method(HttpMethod::Put, m)
    }

    /// Adds the DELETE method.
    pub fn delete(self, m: ApiMethod<S>) -> Self {
        self.method(HttpMethod::Delete, m)
    }

    /// Adds a fixed subdirectory.
    pub fn subdir(mut self, name: &'static str, r: Router<S>) -> Self {
        self.subdirs.retain(|(n, _)| *n != name);
        self.subdirs.push((name, r));
        self
    }

    /// Adds the `{name}` child that matches any other path segment.
    pub fn param(mut self, name: &'static str, r: Router<S>) -> Self {
        self.param = Some((name, Box::new(r)));
        self
    }

    /// The method for `verb` at this node.
    pub fn get_method(&self, verb: HttpMethod) -> Option<&ApiMethod<S>> {
        self.methods.get(&verb)
    }

    /// The fixed subdirectory names, in declaration order.
    pub fn subdir_names(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.subdirs.iter().map(|(n, _)| *n)
    }

    /// Resolves a path below `/api2/<format>` (leading/trailing slashes ignored) to its
    /// node and the values of its `{param}` segments; `None` for an unknown path.
    pub fn lookup(&self, path: &str) -> Option<(&Router<S>, Map<String, Value>)> {
        let mut node = self;
        let mut params = Map::new();
        for seg in path.split('/').filter(|s| !s.is_empty()) {
            if let Some((_, sub)) = node.subdirs.iter().find(|(n, _)| *n == seg) {
                node = sub;
            } else if let Some((name, sub)) = &node.param {
                params.insert((*name).to_string(), Value::String(seg.to_string()));
                node = sub;
            } else {
                return None;
            }
        }
        Some((node, params))
    }

    /// Calls `f` for every method with its path template (`/nodes/{node}/tasks`), depth
    /// first in declaration order.
    pub fn walk(&self, f: &mut dyn FnMut(&str, HttpMethod, &ApiMethod<S>)) {
        self.walk_at("", f);
    }

    fn walk_at(&self, prefix: &str, f: &mut dyn FnMut(&str, HttpMethod, &ApiMethod<S>)) {
        let here = if prefix.is_empty() { "/" } else { prefix };
        for (verb, m) in &self.methods {
            f(here, *verb, m);
        }
        for (name, sub) in &self.subdirs {
            sub.walk_at(&format!("{prefix}/{name}"), f);
        }
        if let Some((name, sub)) = &self.param {
            sub.walk_at(&format!("{prefix}/{{{name}}}"), f);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Permission, RpcEnv};
    use serde_json::json;

    fn version() -> ApiMethod<()> {
        ApiMethod::new(
            "API version.",
            Permission::All,
            |_: &(), _env: &RpcEnv, _p: Empty| Ok("1".to_string()),
        )
    }

    #[derive(serde::Deserialize, virton_schema::ApiType)]
    /// No parameters.
    struct Empty {}

    fn tree() -> Router<()> {
        Router::new()
            .subdir("version", Router::new().get(version()))
            .subdir(
                "nodes",
                Router::new().param(
                    "node",
                    Router::new().subdir("status", Router::new().get(version())),
                ),
            )
    }

    #[test]
    fn lookup_collects_path_parameters() {
        let t = tree();
        let (node, params) = t.lookup("/nodes/pve1/status/").unwrap();
        assert!(node.get_method(HttpMethod::Get).is_some());
        assert_eq!(Value::Object(params), json!({"node": "pve1"}));
    }

    #[test]
    fn unknown_path_is_none() {
        assert!(tree().lookup("nodes/pve1/bogus").is_none());
        assert!(tree().lookup("x").is_none());
    }

    #[test]
    fn walk_lists_templates() {
        let mut seen = Vec::new();
        tree().walk(&mut |p, v, _| seen.push(format!("{v} {p}")));
        assert_eq!(seen, vec!["GET /version", "GET /nodes/{node}/status"]);
    }

    #[test]
    fn call_verifies_and_runs_the_handler() {
        let t = tree();
        let (node, _) = t.lookup("version").unwrap();
        let m = node.get_method(HttpMethod::Get).unwrap();
        let env = RpcEnv::new(Some("root@pam".into()), "n1");
        assert_eq!(m.call(&(), &env, Map::new()).unwrap(), json!("1"));
        let mut bogus = Map::new();
        bogus.insert("x".into(), json!(1));
        assert_eq!(m.call(&(), &env, bogus).unwrap_err().status, 400);
    }
}
