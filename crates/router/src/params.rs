//! Request parameters on the wire, and response values going back.
//!
//! Parameters arrive as strings (query string, form body) or JSON values (JSON body).
//! [`merge_params`] applies upstream's merge rules; [`prepare`] shapes the merged map for
//! a method's schema (arrays, `-list` strings), verifies it with upstream's wording, and
//! converts scalars to the JSON types the handler's serde structs expect. [`to_wire`]
//! encodes responses as upstream does: booleans as the numbers 0 and 1.

use crate::ApiError;
use serde_json::{Map, Number, Value};
use virton_schema::{ObjectSchema, Schema, StringFormat};

/// Merges the parameters of one request: body first, then the query string over it
/// (query wins), then the URI placeholders. A body or query value that differs from a
/// placeholder's value is a 400 `duplicate parameter`.
pub fn merge_params(
    path_params: Map<String, Value>,
    body: Map<String, Value>,
    query: Map<String, Value>,
) -> Result<Map<String, Value>, ApiError> {
    let mut merged = body;
    for (k, v) in query {
        merged.insert(k, v);
    }
    for (k, v) in path_params {
        if let Some(existing) = merged.get(&k) {
            if scalar(existing) != scalar(&v) {
                return Err(ApiError::param(
                    &k,
                    "duplicate parameter (already defined in URI) with conflicting values!",
                ));
            }
        }
        merged.insert(k, v);
    }
    Ok(merged)
}

fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(if *b { "1" } else { "0" }.into()),
        _ => None,
    }
}

/// Shapes, verifies and types `params` for `schema`; the result deserializes into the
/// handler's parameter struct.
pub fn prepare(mut params: Map<String, Value>, schema: &ObjectSchema) -> Result<Value, ApiError> {
    for (key, value) in params.iter_mut() {
        if let Some(prop) = schema.properties.get(key) {
            shape(value, &prop.schema);
        }
    }
    let value = Value::Object(params);
    virton_schema::verify(&value, &Schema::Object(schema.clone())).map_err(ApiError::params)?;
    let Value::Object(mut params) = value else {
        return Err(ApiError::internal("parameters are not an object"));
    };
    for (key, value) in params.iter_mut() {
        if let Some(prop) = schema.properties.get(key) {
            retype(value, &prop.schema);
        }
    }
    Ok(Value::Object(params))
}

/// A scalar sent for an array becomes a one-element array; an array sent for a string
/// with a `-list` format is joined with commas.
fn shape(value: &mut Value, schema: &Schema) {
    match (schema, &*value) {
        (Schema::Array(_), Value::Array(_)) => {}
        (Schema::Array(_), _) => *value = Value::Array(vec![value.take()]),
        (Schema::String(s), Value::Array(items)) if is_list_format(&s.format) => {
            let parts: Vec<String> = items.iter().filter_map(scalar).collect();
            *value = Value::String(parts.join(","));
        }
        _ => {}
    }
}

fn is_list_format(format: &Option<StringFormat>) -> bool {
    matches!(format, Some(StringFormat::Named(n)) if n.ends_with("-list"))
}

/// Converts verified scalars to the JSON type of their schema.
fn retype(value: &mut Value, schema: &Schema) {
    match (schema, &*value) {
        (Schema::Boolean(_), Value::String(s)) => *value = Value::Bool(s == "1"),
        (Schema::Boolean(_), Value::Number(n)) => *value = Value::Bool(n.as_i64() == Some(1)),
        (Schema::Integer(_), Value::String(s)) => {
            if let Ok(i) = s.trim().parse::<i64>() {
                *value = Value::Number(i.into());
            }
        }
        (Schema::Number(_), Value::String(s)) => {
            if let Some(n) = s.trim().parse::<f64>().ok().and_then(Number::from_f64) {
                *value = Value::Number(n);
            }
        }
        (Schema::String(_), Value::Number(n)) => *value = Value::String(n.to_string()),
        (Schema::Array(a), Value::Array(_)) => {
            if let Value::Array(items) = value {
                items.iter_mut().for_each(|i| retype(i, &a.items));
            }
        }
        _ => {}
    }
}

/// Encodes a response value for the wire as upstream does: booleans become 0/1, and
/// members without a value (`None` fields) are left out instead of sent as `null`.
pub fn to_wire(mut value: Value) -> Value {
    wire_in_place(&mut value);
    value
}

/// [`to_wire`] without rebuilding the tree: large replies (10,000 guests in
/// `/cluster/resources`) keep their allocations.
fn wire_in_place(value: &mut Value) {
    match value {
        Value::Bool(b) => *value = Value::Number(u8::from(*b).into()),
        Value::Array(items) => items.iter_mut().for_each(wire_in_place),
        Value::Object(map) => {
            map.retain(|_, v| !v.is_null());
            map.values_mut().for_each(wire_in_place);
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests;
