//! The OpenAPI 3.1 document of a route tree.
//!
//! One path item per path template; one operation per method with an `operationId`
//! ([`super::operation_name`]), the description as summary, path and query parameters
//! (GET, DELETE) or a request body in both accepted encodings (POST, PUT), the success
//! response wrapped in the `{"data": …}` envelope, the shared error response, and the
//! method metadata as extensions: `x-permission` (upstream's notation), `x-protected`,
//! `x-proxy-to-node`, `x-allow-token`. Security schemes: the ticket cookie (with the CSRF
//! header for writes) and the API token header.

pub mod schema;

use super::{entries, operation_names, path_params, Entry};
use crate::{HttpMethod, Permission, Router};
use schema::{convert, Mode};
use serde_json::{json, Map, Value};
use virton_schema::{ObjectSchema, Property};

/// The API's base URL; `{host}` is a server variable.
pub const SERVER_URL: &str = "https://{host}:8006/api2/json";

/// The whole document.
pub fn document<S>(router: &Router<S>) -> Value {
    let list = entries(router);
    let names = operation_names(&list);
    let mut paths = Map::new();
    let mut tags = std::collections::BTreeSet::new();
    for (e, name) in list.iter().zip(&names) {
        tags.insert(tag(&e.path));
        let item = paths
            .entry(e.path.clone())
            .or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(item) = item {
            let verb = e.verb.as_str().to_ascii_lowercase();
            item.insert(verb, operation(e, name));
        }
    }
    let tags: Vec<Value> = tags.into_iter().map(|t| json!({"name": t})).collect();
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "VirtOn API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "The REST API of VirtOn, compatible with Proxmox VE's \
                `/api2/json`. Every success response is an object whose `data` member \
                holds the result; booleans travel as 0/1.",
        },
        "servers": [{
            "url": SERVER_URL,
            "variables": {"host": {"default": "localhost"}},
        }],
        "tags": tags,
        "paths": paths,
        "components": components(),
    })
}

/// The first path segment groups operations (`nodes`, `access`, ...).
fn tag(path: &str) -> String {
    match path.split('/').find(|s| !s.is_empty()) {
        Some(first) => first.to_string(),
        None => "index".to_string(),
    }
}

fn components() -> Value {
    json!({
        "securitySchemes": {
            "ticket": {
                "type": "apiKey", "in": "cookie", "name": "PVEAuthCookie",
                "description": "Ticket from `POST /access/ticket`. Also accepted as the \
                    header `Authorization: PVEAuthCookie=<ticket>`.",
            },
            "csrf": {
                "type": "apiKey", "in": "header", "name": "CSRFPreventionToken",
                "description": "CSRF token from `POST /access/ticket`; required with a \
                    ticket on every method but GET.",
            },
            "token": {
                "type": "apiKey", "in": "header", "name": "Authorization",
                "description": "API token: `PVEAPIToken=USER@REALM!TOKENID=SECRET`.",
            },
        },
        "schemas": {
            "Error": {
                "type": "object",
                "description": "An error: the status line's reason phrase is the first \
                    line of `message`; `errors` names failed parameters.",
                "properties": {
                    "data": {"type": "null"},
                    "message": {"type": "string"},
                    "errors": {"type": "object", "additionalProperties": {"type": "string"}},
                },
                "required": ["data"],
            },
        },
        "responses": {
            "Error": {
                "description": "Failure (4xx, 5xx).",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
            },
        },
    })
}

/// The security requirements of a method: none for `user=world`, else a ticket (plus
/// the CSRF header for writes) or, when allowed, an API token.
fn security(verb: HttpMethod, permission: &Permission, allow_token: bool) -> Value {
    if matches!(permission, Permission::World) {
        return json!([{}]);
    }
    let mut alts = vec![if verb == HttpMethod::Get {
        json!({"ticket": []})
    } else {
        json!({"ticket": [], "csrf": []})
    }];
    if allow_token {
        alts.push(json!({"token": []}));
    }
    Value::Array(alts)
}

fn operation<S>(e: &Entry<'_, S>, name: &str) -> Value {
    let m = e.method;
    let in_path = path_params(&e.path);
    let schema = m.parameters();
    let mut params: Vec<Value> = in_path.iter().map(|p| path_param(schema, p)).collect();
    let rest: Vec<(&String, &Property)> = schema
        .properties
        .iter()
        .filter(|(k, _)| !in_path.contains(&k.as_str()))
        .collect();
    let mut op = Map::new();
    if matches!(e.verb, HttpMethod::Get | HttpMethod::Delete) {
        params.extend(rest.iter().map(|(k, p)| query_param(k, p)));
    } else if !rest.is_empty() {
        op.insert("requestBody".into(), request_body(schema, &rest));
    }
    op.insert("operationId".into(), name.into());
    op.insert("summary".into(), m.description.into());
    op.insert("tags".into(), json!([tag(&e.path)]));
    if !params.is_empty() {
        op.insert("parameters".into(), Value::Array(params));
    }
    let data = convert(m.returns(), Mode::Response);
    op.insert(
        "responses".into(),
        json!({
            "200": {
                "description": "Success.",
                "content": {"application/json": {"schema": {
                    "type": "object",
                    "properties": {"data": data},
                    "required": ["data"],
                }}},
            },
            "default": {"$ref": "#/components/responses/Error"},
        }),
    );
    op.insert(
        "security".into(),
        security(e.verb, &m.permission, m.allow_token),
    );
    op.insert("x-permission".into(), m.permission.to_string().into());
    op.insert("x-protected".into(), m.protected.into());
    op.insert("x-proxy-to-node".into(), m.proxy_to_node.into());
    op.insert("x-allow-token".into(), m.allow_token.into());
    Value::Object(op)
}

fn path_param(schema: &ObjectSchema, name: &str) -> Value {
    let s = match schema.properties.get(name) {
        Some(p) => convert(&p.schema, Mode::Text),
        None => json!({"type": "string"}),
    };
    parameter(name, "path", true, s)
}

fn query_param(name: &str, p: &Property) -> Value {
    let s = schema::property(p, Mode::Text);
    parameter(name, "query", !p.optional && p.alias.is_none(), s)
}

fn parameter(name: &str, location: &str, required: bool, schema: Value) -> Value {
    let mut out = Map::new();
    out.insert("name".into(), name.into());
    out.insert("in".into(), location.into());
    out.insert("required".into(), required.into());
    if let Some(d) = schema.get("description").and_then(Value::as_str) {
        out.insert("description".into(), d.into());
    }
    out.insert("schema".into(), schema);
    Value::Object(out)
}

/// The body of a POST or PUT: the non-path parameters, form-encoded or JSON.
fn request_body(schema: &ObjectSchema, rest: &[(&String, &Property)]) -> Value {
    let body = ObjectSchema {
        description: None,
        properties: rest
            .iter()
            .map(|(k, p)| ((*k).clone(), (*p).clone()))
            .collect(),
        additional_properties: schema.additional_properties,
    };
    let body = virton_schema::Schema::Object(body);
    let required = rest.iter().any(|(_, p)| !p.optional && p.alias.is_none());
    json!({
        "required": required,
        "content": {
            "application/x-www-form-urlencoded": {"schema": convert(&body, Mode::Text)},
            "application/json": {"schema": convert(&body, Mode::Json)},
        },
    })
}
