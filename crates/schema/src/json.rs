//! Reading upstream's JSON-schema dialect (the shape of `apidata.js` and of the format
//! hashes in upstream's Perl) into the [`crate::model`] types.
//!
//! Owns `Schema::from_pve_json`, `ObjectSchema::from_pve_json` and
//! `Property::from_pve_json`. Only reads JSON values; never checks data against schemas.

use crate::error::SchemaError;
use crate::model::{
    ArraySchema, BooleanSchema, IntegerSchema, NumberSchema, ObjectSchema, Property, Schema,
    StringFormat, StringSchema,
};
use serde_json::{Map, Value};

type Obj = Map<String, Value>;

impl Schema {
    /// Reads one schema (`{"type": "string", "format": "pve-node", ...}`).
    ///
    /// A missing type (or `any`) is read as an unconstrained string unless the
    /// definition has `properties` (object) or `items` (array).
    pub fn from_pve_json(v: &Value) -> Result<Schema, SchemaError> {
        schema_at(v, "")
    }
}

impl ObjectSchema {
    /// Reads a property-string format hash (`{"file": {...}, "size": {...}}`): every
    /// member is a property; unknown keys are not allowed, as in upstream's parser.
    pub fn from_pve_json(props: &Value) -> Result<ObjectSchema, SchemaError> {
        let obj = as_object(props, "")?;
        Ok(ObjectSchema {
            description: None,
            properties: properties_at(obj, "")?,
            additional_properties: false,
        })
    }
}

impl Property {
    /// Reads a property definition: its schema plus `optional`, `default_key`,
    /// `alias` and `keyAlias`.
    pub fn from_pve_json(v: &Value) -> Result<Property, SchemaError> {
        property_at(v, "")
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

fn as_object<'a>(v: &'a Value, path: &str) -> Result<&'a Obj, SchemaError> {
    v.as_object()
        .ok_or_else(|| SchemaError::new(path, "schema definition must be an object"))
}

fn properties_at(
    obj: &Obj,
    path: &str,
) -> Result<indexmap::IndexMap<String, Property>, SchemaError> {
    obj.iter()
        .map(|(k, v)| Ok((k.clone(), property_at(v, &join(path, k))?)))
        .collect()
}

fn property_at(v: &Value, path: &str) -> Result<Property, SchemaError> {
    let obj = as_object(v, path)?;
    Ok(Property {
        schema: schema_at(v, path)?,
        optional: flag(obj, "optional", path)?,
        default_key: flag(obj, "default_key", path)?,
        alias: text(obj, "alias", path)?,
        keyalias: text(obj, "keyAlias", path)?,
    })
}

fn schema_at(v: &Value, path: &str) -> Result<Schema, SchemaError> {
    let obj = as_object(v, path)?;
    let ty = match obj.get("type") {
        None | Some(Value::Null) => None,
        Some(Value::String(t)) => Some(t.as_str()),
        Some(_) => {
            return Err(SchemaError::new(
                path,
                "only a single type name is supported",
            ))
        }
    };
    let ty = match ty {
        Some("any") | None if obj.contains_key("properties") => "object",
        Some("any") | None if obj.contains_key("items") => "array",
        Some("any") | None => "string",
        Some(t) => t,
    };
    match ty {
        "boolean" => boolean_at(obj, path).map(Schema::Boolean),
        "integer" => integer_at(obj, path).map(Schema::Integer),
        "number" => number_at(obj, path).map(Schema::Number),
        "string" => string_at(obj, path).map(Schema::String),
        "array" => array_at(obj, path).map(Schema::Array),
        "object" => object_at(obj, path).map(Schema::Object),
        "null" => Ok(Schema::Null),
        other => Err(SchemaError::new(path, format!("unknown type '{other}'"))),
    }
}

fn boolean_at(obj: &Obj, path: &str) -> Result<BooleanSchema, SchemaError> {
    let default = match obj.get("default") {
        None | Some(Value::Null) => None,
        Some(v) => Some(truthy(v, &join(path, "default"))?),
    };
    Ok(BooleanSchema {
        description: text(obj, "description", path)?,
        default,
    })
}

fn integer_at(obj: &Obj, path: &str) -> Result<IntegerSchema, SchemaError> {
    let format = match obj.get("format") {
        None | Some(Value::Null) => None,
        Some(Value::String(name)) => Some(name.clone()),
        Some(_) => {
            return Err(SchemaError::new(
                &join(path, "format"),
                "an integer format must be a name",
            ))
        }
    };
    Ok(IntegerSchema {
        description: text(obj, "description", path)?,
        minimum: int(obj, "minimum", path)?,
        maximum: int(obj, "maximum", path)?,
        default: prose_default(int(obj, "default", path)),
        format,
    })
}

fn number_at(obj: &Obj, path: &str) -> Result<NumberSchema, SchemaError> {
    Ok(NumberSchema {
        description: text(obj, "description", path)?,
        minimum: float(obj, "minimum", path)?,
        maximum: float(obj, "maximum", path)?,
        default: prose_default(float(obj, "default", path)),
    })
}

fn string_at(obj: &Obj, path: &str) -> Result<StringSchema, SchemaError> {
    Ok(StringSchema {
        description: text(obj, "description", path)?,
        default: scalar_text(obj, "default", path)?,
        min_length: length(obj, "minLength", path)?,
        max_length: length(obj, "maxLength", path)?,
        pattern: text(obj, "pattern", path)?,
        enum_values: enum_at(obj, path)?,
        format: format_at(obj, path)?,
        typetext: text(obj, "typetext", path)?,
        format_description: text(obj, "format_description", path)?,
    })
}

fn array_at(obj: &Obj, path: &str) -> Result<ArraySchema, SchemaError> {
    let items = match obj.get("items") {
        None | Some(Value::Null) => Schema::String(StringSchema::default()),
        Some(v) => schema_at(v, &join(path, "items"))?,
    };
    Ok(ArraySchema {
        description: text(obj, "description", path)?,
        items: Box::new(items),
    })
}

fn object_at(obj: &Obj, path: &str) -> Result<ObjectSchema, SchemaError> {
    let properties = match obj.get("properties") {
        None | Some(Value::Null) => Default::default(),
        Some(v) => {
            let sub = join(path, "properties");
            properties_at(as_object(v, &sub)?, &sub)?
        }
    };
    // Upstream only rejects unknown keys when additionalProperties is defined and false.
    let additional_properties = match obj.get("additionalProperties") {
        None | Some(Value::Null) | Some(Value::Object(_)) => true,
        Some(v) => truthy(v, &join(path, "additionalProperties"))?,
    };
    Ok(ObjectSchema {
        description: text(obj, "description", path)?,
        properties,
        additional_properties,
    })
}

fn format_at(obj: &Obj, path: &str) -> Result<Option<StringFormat>, SchemaError> {
    let sub = join(path, "format");
    match obj.get("format") {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(name)) => Ok(Some(StringFormat::Named(name.clone()))),
        Some(Value::Object(fmt)) => {
            let properties = properties_at(fmt, &sub)?;
            Ok(Some(StringFormat::PropertyString(Box::new(ObjectSchema {
                description: None,
                properties,
                additional_properties: false,
            }))))
        }
        Some(_) => Err(SchemaError::new(&sub, "format must be a name or a hash")),
    }
}

fn enum_at(obj: &Obj, path: &str) -> Result<Option<Vec<String>>, SchemaError> {
    let sub = join(path, "enum");
    match obj.get("enum") {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| {
                value_text(v).ok_or_else(|| SchemaError::new(&sub, "enum values must be scalars"))
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Some),
        Some(_) => Err(SchemaError::new(&sub, "enum must be an array")),
    }
}

/// Upstream documents some numeric defaults in prose (`'same as user'`); such a default
/// cannot be a number and is dropped.
fn prose_default<T>(default: Result<Option<T>, SchemaError>) -> Option<T> {
    default.ok().flatten()
}

/// Upstream truthiness of a flag (`1`, `"1"`, `true`; `0`, `""`, `"0"`, `false` are false).
fn truthy(v: &Value, path: &str) -> Result<bool, SchemaError> {
    match v {
        Value::Null => Ok(false),
        Value::Bool(b) => Ok(*b),
        Value::Number(n) => Ok(n.as_f64().is_some_and(|f| f != 0.0)),
        Value::String(s) => Ok(!(s.is_empty() || s == "0")),
        _ => Err(SchemaError::new(path, "expected a boolean")),
    }
}

fn flag(obj: &Obj, key: &str, path: &str) -> Result<bool, SchemaError> {
    obj.get(key)
        .map_or(Ok(false), |v| truthy(v, &join(path, key)))
}

fn text(obj: &Obj, key: &str, path: &str) -> Result<Option<String>, SchemaError> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(SchemaError::new(&join(path, key), "expected a string")),
    }
}

/// The text form of a scalar (`32G`, `1`, `0.5`); used for string defaults and enums.
fn value_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(if *b { "1" } else { "0" }.to_string()),
        _ => None,
    }
}

fn scalar_text(obj: &Obj, key: &str, path: &str) -> Result<Option<String>, SchemaError> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => value_text(v)
            .map(Some)
            .ok_or_else(|| SchemaError::new(&join(path, key), "expected a scalar")),
    }
}

fn float(obj: &Obj, key: &str, path: &str) -> Result<Option<f64>, SchemaError> {
    let bad = || SchemaError::new(&join(path, key), "expected a number");
    match obj.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => n.as_f64().map(Some).ok_or_else(bad),
        Some(Value::String(s)) => s.trim().parse::<f64>().map(Some).map_err(|_| bad()),
        Some(_) => Err(bad()),
    }
}

fn int(obj: &Obj, key: &str, path: &str) -> Result<Option<i64>, SchemaError> {
    let bad = || SchemaError::new(&join(path, key), "expected an integer");
    if let Some(n) = obj.get(key).and_then(Value::as_i64) {
        return Ok(Some(n));
    }
    match float(obj, key, path)? {
        None => Ok(None),
        Some(f) if f.fract() == 0.0 && f.abs() < 9.2e18 => Ok(Some(f as i64)),
        Some(_) => Err(bad()),
    }
}

fn length(obj: &Obj, key: &str, path: &str) -> Result<Option<usize>, SchemaError> {
    match int(obj, key, path)? {
        None => Ok(None),
        Some(n) => usize::try_from(n)
            .map(Some)
            .map_err(|_| SchemaError::new(&join(path, key), "expected a length")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_property_string_format_with_attributes() {
        let schema = Schema::from_pve_json(&json!({
            "type": "string",
            "format": {
                "file": {"type": "string", "default_key": 1, "format": "pve-volume-id"},
                "size": {"type": "string", "optional": 1, "format": "disk-size", "typetext": "<size>"},
                "virtio": {"alias": "macaddr", "keyAlias": "model"}
            }
        }))
        .expect("valid");
        let Schema::String(s) = schema else {
            panic!("string expected")
        };
        let Some(StringFormat::PropertyString(f)) = s.format else {
            panic!("hash format")
        };
        assert_eq!(f.default_key(), Some("file"));
        assert!(!f.additional_properties);
        let virtio = f.property("virtio").expect("virtio");
        assert_eq!(virtio.alias.as_deref(), Some("macaddr"));
        assert_eq!(virtio.keyalias.as_deref(), Some("model"));
        assert!(f.property("size").expect("size").optional);
    }

    #[test]
    fn reads_numbers_given_as_strings_and_flags_as_numbers() {
        let schema = Schema::from_pve_json(&json!({
            "type": "number", "minimum": "0", "maximum": 1.5, "default": 1
        }))
        .expect("valid");
        assert_eq!(
            schema,
            Schema::Number(NumberSchema {
                minimum: Some(0.0),
                maximum: Some(1.5),
                default: Some(1.0),
                ..Default::default()
            })
        );
    }

    #[test]
    fn object_without_additional_properties_allows_unknown_keys() {
        let schema =
            Schema::from_pve_json(&json!({"type": "object", "properties": {}})).expect("valid");
        assert!(matches!(schema, Schema::Object(o) if o.additional_properties));
    }

    #[test]
    fn bad_definitions_are_errors_not_panics() {
        assert!(Schema::from_pve_json(&json!("string")).is_err());
        assert!(Schema::from_pve_json(&json!({"type": "weird"})).is_err());
        assert!(Schema::from_pve_json(&json!({"type": "integer", "minimum": 0.5})).is_err());
        assert!(Schema::from_pve_json(&json!({"type": ["string", "null"]})).is_err());
        assert!(ObjectSchema::from_pve_json(&json!({"a": 1})).is_err());
    }
}
