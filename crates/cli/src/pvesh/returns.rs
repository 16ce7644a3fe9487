//! A schema as upstream's JSON dialect, for `pvesh usage --returns`.

use serde_json::{json, Map, Value};
use virton_schema::{ObjectSchema, Schema, StringFormat};

fn object(o: &ObjectSchema) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("type".into(), json!("object"));
    if let Some(d) = &o.description {
        m.insert("description".into(), json!(d));
    }
    let mut props = Map::new();
    for (k, p) in &o.properties {
        let mut v = schema_json(&p.schema);
        if let (Value::Object(obj), true) = (&mut v, p.optional) {
            obj.insert("optional".into(), json!(1));
        }
        props.insert(k.clone(), v);
    }
    if !props.is_empty() {
        m.insert("properties".into(), Value::Object(props));
    }
    m
}

/// `schema` in upstream's JSON dialect (`type`, `description`, `optional`, ranges,
/// `enum`, `format`, `properties`, `items`).
pub fn schema_json(schema: &Schema) -> Value {
    let mut m = Map::new();
    m.insert("type".into(), json!(schema.type_name()));
    if let Some(d) = schema.description() {
        m.insert("description".into(), json!(d));
    }
    match schema {
        Schema::Integer(i) => {
            i.minimum.map(|v| m.insert("minimum".into(), json!(v)));
            i.maximum.map(|v| m.insert("maximum".into(), json!(v)));
            i.default.map(|v| m.insert("default".into(), json!(v)));
        }
        Schema::Number(n) => {
            n.minimum.map(|v| m.insert("minimum".into(), json!(v)));
            n.maximum.map(|v| m.insert("maximum".into(), json!(v)));
        }
        Schema::Boolean(b) => {
            b.default
                .map(|v| m.insert("default".into(), json!(u8::from(v))));
        }
        Schema::String(s) => {
            if let Some(e) = &s.enum_values {
                m.insert("enum".into(), json!(e));
            }
            if let Some(StringFormat::Named(f)) = &s.format {
                m.insert("format".into(), json!(f));
            }
            s.max_length.map(|v| m.insert("maxLength".into(), json!(v)));
            s.pattern
                .as_ref()
                .map(|v| m.insert("pattern".into(), json!(v)));
        }
        Schema::Array(a) => {
            m.insert("items".into(), schema_json(&a.items));
        }
        Schema::Object(o) => return Value::Object(object(o)),
        Schema::Null => {}
    }
    Value::Object(m)
}
