//! Upstream's schema dialect and the api-viewer tree (`apidoc.json`).
//!
//! The tree has upstream's shape: a list of nodes `{path, text, leaf, info, children}`,
//! where `info` maps each HTTP method to `{name, description, method, permissions,
//! protected, proxyto, allowtoken, parameters, returns}`. Schemas are written in the
//! dialect upstream publishes (`optional: 1`, `typetext`, property-string formats as a
//! nested hash of sub-keys, booleans and flags as 0/1). Root-only methods carry no
//! `permissions`, as upstream's do.

use super::{entries, operation_names, Entry};
use crate::{Permission, Router};
use serde_json::{json, Map, Value};
use virton_schema::{ObjectSchema, Property, Schema, StringFormat};

/// Sets `key` to `value` when it is `Some`.
fn put<T: Into<Value>>(out: &mut Map<String, Value>, key: &str, value: Option<T>) {
    if let Some(v) = value {
        out.insert(key.to_string(), v.into());
    }
}

/// `schema` in upstream's dialect; `params` adds the `typetext` upstream shows for
/// parameters.
pub fn schema(schema: &Schema, params: bool) -> Value {
    let mut out = Map::new();
    out.insert("type".into(), schema.type_name().into());
    put(&mut out, "description", schema.description());
    match schema {
        Schema::Boolean(s) => put(&mut out, "default", s.default.map(u8::from)),
        Schema::Integer(s) => {
            put(&mut out, "minimum", s.minimum);
            put(&mut out, "maximum", s.maximum);
            put(&mut out, "default", s.default);
            put(&mut out, "format", s.format.clone());
        }
        Schema::Number(s) => {
            put(&mut out, "minimum", s.minimum);
            put(&mut out, "maximum", s.maximum);
            put(&mut out, "default", s.default);
        }
        Schema::String(s) => {
            put(&mut out, "default", s.default.clone());
            put(&mut out, "minLength", s.min_length);
            put(&mut out, "maxLength", s.max_length);
            put(&mut out, "pattern", s.pattern.clone());
            put(&mut out, "enum", s.enum_values.clone());
            put(&mut out, "typetext", s.typetext.clone());
            put(&mut out, "format_description", s.format_description.clone());
            match &s.format {
                Some(StringFormat::Named(n)) => {
                    out.insert("format".into(), n.clone().into());
                }
                Some(StringFormat::PropertyString(o)) => {
                    out.insert("format".into(), properties(o, false).into());
                }
                None => {}
            }
        }
        Schema::Array(s) => {
            out.insert("items".into(), self::schema(&s.items, false));
        }
        Schema::Object(o) => {
            if !o.properties.is_empty() {
                out.insert("properties".into(), properties(o, false).into());
            }
            if o.additional_properties {
                out.insert("additionalProperties".into(), 1.into());
            }
        }
        Schema::Null => {}
    }
    if params && !out.contains_key("typetext") {
        put(&mut out, "typetext", typetext(schema));
    }
    Value::Object(out)
}

/// The `typetext` upstream generates for a scalar parameter without one.
fn typetext(schema: &Schema) -> Option<String> {
    let range = |min: Option<String>, max: Option<String>| match (min, max) {
        (None, None) => String::new(),
        (min, max) => format!(
            " ({} - {})",
            min.unwrap_or_else(|| "-N".into()),
            max.unwrap_or_else(|| "N".into())
        ),
    };
    match schema {
        Schema::Boolean(_) => Some("<boolean>".into()),
        Schema::Integer(s) => Some(format!(
            "<integer>{}",
            range(
                s.minimum.map(|v| v.to_string()),
                s.maximum.map(|v| v.to_string())
            )
        )),
        Schema::Number(s) => Some(format!(
            "<number>{}",
            range(
                s.minimum.map(|v| v.to_string()),
                s.maximum.map(|v| v.to_string())
            )
        )),
        Schema::String(s)
            if s.enum_values.is_some()
                || matches!(s.format, Some(StringFormat::PropertyString(_))) =>
        {
            None
        }
        Schema::String(_) => Some("<string>".into()),
        _ => None,
    }
}

/// One property: its schema plus `optional`, `default_key`; an alias is only its
/// `alias`/`keyAlias` pair, as upstream writes it.
pub fn property(p: &Property, params: bool) -> Value {
    if let Some(alias) = &p.alias {
        let mut out = Map::new();
        out.insert("alias".into(), alias.clone().into());
        put(&mut out, "keyAlias", p.keyalias.clone());
        return Value::Object(out);
    }
    let mut v = schema(&p.schema, params);
    if let Value::Object(out) = &mut v {
        if p.optional {
            out.insert("optional".into(), 1.into());
        }
        if p.default_key {
            out.insert("default_key".into(), 1.into());
        }
    }
    v
}

fn properties(o: &ObjectSchema, params: bool) -> Map<String, Value> {
    o.properties
        .iter()
        .map(|(k, p)| (k.clone(), property(p, params)))
        .collect()
}

/// A method's parameter object: `{type, additionalProperties, properties}`.
pub fn parameters(o: &ObjectSchema) -> Value {
    let mut out = Map::new();
    out.insert("type".into(), "object".into());
    out.insert(
        "additionalProperties".into(),
        u8::from(o.additional_properties).into(),
    );
    if !o.properties.is_empty() {
        out.insert("properties".into(), properties(o, true).into());
    }
    Value::Object(out)
}

/// A permission expression as upstream's `check` list.
pub fn check(p: &Permission) -> Value {
    match p {
        Permission::World => json!(["user", "world"]),
        Permission::All => json!(["user", "all"]),
        Permission::RootOnly => json!(["user", "root@pam"]),
        Permission::Perm { path, privs, any } if *any => json!(["perm", path, privs, "any", 1]),
        Permission::Perm { path, privs, .. } => json!(["perm", path, privs]),
        Permission::UseridParam => json!(["userid-param", "self"]),
        Permission::UseridGroup(privs) => json!(["userid-group", privs]),
        Permission::Or(list) => combine("or", list),
        Permission::And(list) => combine("and", list),
    }
}

fn combine(op: &str, list: &[Permission]) -> Value {
    let mut out = vec![Value::from(op)];
    out.extend(list.iter().map(check));
    Value::Array(out)
}

/// The `permissions` member of a method (`None` for root-only methods).
pub fn permissions(p: &Permission) -> Option<Value> {
    match p {
        Permission::World => Some(json!({"user": "world"})),
        Permission::All => Some(json!({"user": "all"})),
        Permission::RootOnly => None,
        other => Some(json!({"check": check(other)})),
    }
}

/// The `info` entry of one method.
pub fn method_info<S>(e: &Entry<'_, S>, name: &str) -> Value {
    let m = e.method;
    let mut out = Map::new();
    out.insert("name".into(), name.into());
    out.insert("method".into(), e.verb.as_str().into());
    out.insert("description".into(), m.description.into());
    out.insert("allowtoken".into(), u8::from(m.allow_token).into());
    if m.protected {
        out.insert("protected".into(), 1.into());
    }
    if m.proxy_to_node {
        out.insert("proxyto".into(), "node".into());
    }
    put(&mut out, "permissions", permissions(&m.permission));
    out.insert("parameters".into(), parameters(m.parameters()));
    out.insert("returns".into(), schema(m.returns(), false));
    Value::Object(out)
}

/// A tree node under construction: its path, method infos and children in first-seen
/// order.
#[derive(Default)]
struct Node {
    path: String,
    info: Map<String, Value>,
    children: Vec<Node>,
}

impl Node {
    /// The descendant at `path` (relative segments), created on the way.
    fn at(&mut self, segments: &[&str]) -> &mut Node {
        let Some((first, rest)) = segments.split_first() else {
            return self;
        };
        let idx = match self.children.iter().position(|c| c.text() == *first) {
            Some(i) => i,
            None => {
                let path = format!("{}/{first}", self.path.trim_end_matches('/'));
                self.children.push(Node {
                    path,
                    ..Node::default()
                });
                self.children.len() - 1
            }
        };
        self.children[idx].at(rest)
    }

    fn text(&self) -> &str {
        self.path.rsplit('/').next().unwrap_or("")
    }

    fn into_value(self) -> Value {
        let mut out = Map::new();
        out.insert("text".into(), self.text().into());
        out.insert("path".into(), self.path.clone().into());
        out.insert("leaf".into(), u8::from(self.children.is_empty()).into());
        if !self.info.is_empty() {
            out.insert("info".into(), Value::Object(self.info));
        }
        if !self.children.is_empty() {
            let children = self.children.into_iter().map(Node::into_value).collect();
            out.insert("children".into(), Value::Array(children));
        }
        Value::Object(out)
    }
}

/// The api-viewer tree: the top-level nodes below `/` (upstream's `apidata.js` has no
/// node for `/` itself; the root's own methods, if any, appear on a node with path `/`
/// first).
pub fn apidoc<S>(router: &Router<S>) -> Value {
    let list = entries(router);
    let names = operation_names(&list);
    let mut root = Node {
        path: "/".into(),
        ..Node::default()
    };
    for (e, name) in list.iter().zip(&names) {
        let segments: Vec<&str> = e.path.split('/').filter(|s| !s.is_empty()).collect();
        let node = root.at(&segments);
        node.info
            .insert(e.verb.as_str().to_string(), method_info(e, name));
    }
    let mut top: Vec<Value> = Vec::new();
    if !root.info.is_empty() {
        let mut own = Map::new();
        own.insert("text".into(), "/".into());
        own.insert("path".into(), "/".into());
        own.insert("leaf".into(), 1.into());
        own.insert("info".into(), Value::Object(std::mem::take(&mut root.info)));
        top.push(Value::Object(own));
    }
    top.extend(root.children.into_iter().map(Node::into_value));
    Value::Array(top)
}
