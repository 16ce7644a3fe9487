//! Typed schemas: the [`ApiType`] trait, its implementations for primitive types, the
//! [`PropertyString`] wrapper, serde-based [`from_property_string`] /
//! [`to_property_string`], and the helpers `#[derive(ApiType)]` expands to.
//!
//! The property-string syntax itself lives only in [`crate::propstring`]; this module
//! goes text -> JSON map -> serde, and back.

use crate::error::PropertyStringError;
use crate::model::{
    ArraySchema, BooleanSchema, IntegerSchema, NumberSchema, ObjectSchema, Property, Schema,
    StringFormat, StringSchema,
};
use crate::propstring::{parse_property_string, print_property_string};
use crate::text::parse_boolean;
use serde::de::{DeserializeOwned, Error as _};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;
use std::any::TypeId;
use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

/// A type with a schema. Implemented by `#[derive(ApiType)]` or by hand; the schema is
/// built once per type and cached.
pub trait ApiType {
    /// The type's schema.
    fn api_schema() -> &'static Schema;
}

/// The schema of `T` built by `build` on first use and kept for the program's life
/// (for generic implementations, which cannot own a `static` per instance).
///
/// `build` runs without the cache lock held: building `Vec<Vec<T>>` asks the cache for
/// `Vec<T>` from inside `build`, which deadlocked when the lock was held. Two threads may
/// build the same schema at once; the first one stored wins and the other is dropped.
pub fn cached_schema<T: 'static>(build: impl FnOnce() -> Schema) -> &'static Schema {
    static CACHE: OnceLock<Mutex<HashMap<TypeId, &'static Schema>>> = OnceLock::new();
    let cache = CACHE.get_or_init(|| Mutex::new(HashMap::new()));
    let lock = || cache.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(found) = lock().get(&TypeId::of::<T>()) {
        return found;
    }
    let built = build();
    *lock()
        .entry(TypeId::of::<T>())
        .or_insert_with(|| Box::leak(Box::new(built)))
}

macro_rules! simple_api_type {
    ($schema:expr => $($ty:ty),*) => {$(
        impl ApiType for $ty {
            fn api_schema() -> &'static Schema {
                static SCHEMA: OnceLock<Schema> = OnceLock::new();
                SCHEMA.get_or_init(|| $schema)
            }
        }
    )*};
}

simple_api_type!(Schema::Boolean(BooleanSchema::default()) => bool);
simple_api_type!(Schema::Integer(IntegerSchema::default()) =>
    i8, i16, i32, i64, isize, u8, u16, u32, u64, usize);
simple_api_type!(Schema::Number(NumberSchema::default()) => f32, f64);
simple_api_type!(Schema::String(StringSchema::default()) => String);

impl<T: ApiType + 'static> ApiType for Vec<T> {
    fn api_schema() -> &'static Schema {
        cached_schema::<Self>(|| {
            Schema::Array(ArraySchema {
                description: None,
                items: Box::new(T::api_schema().clone()),
            })
        })
    }
}

impl<T: ApiType> ApiType for Option<T> {
    fn api_schema() -> &'static Schema {
        T::api_schema()
    }
}

impl<T: ApiType> ApiType for Box<T> {
    fn api_schema() -> &'static Schema {
        T::api_schema()
    }
}

/// A field holding a property string: (de)serializes as the `key=value,...` text of
/// `T`, and its schema is a string whose format is `T`'s object schema.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct PropertyString<T>(pub T);

impl<T> std::ops::Deref for PropertyString<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T> std::ops::DerefMut for PropertyString<T> {
    fn deref_mut(&mut self) -> &mut T {
        &mut self.0
    }
}

impl<T: ApiType + 'static> ApiType for PropertyString<T> {
    fn api_schema() -> &'static Schema {
        cached_schema::<Self>(|| {
            let format = match T::api_schema() {
                Schema::Object(object) => {
                    Some(StringFormat::PropertyString(Box::new(object.clone())))
                }
                _ => None,
            };
            Schema::String(StringSchema {
                description: T::api_schema().description().map(str::to_string),
                format,
                ..Default::default()
            })
        })
    }
}

impl<T: Serialize + ApiType> Serialize for PropertyString<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let text = to_property_string(&self.0).map_err(serde::ser::Error::custom)?;
        serializer.serialize_str(&text)
    }
}

impl<'de, T: DeserializeOwned + ApiType> Deserialize<'de> for PropertyString<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        from_property_string(&text)
            .map(PropertyString)
            .map_err(D::Error::custom)
    }
}

fn object_schema_of<T: ApiType>() -> Result<&'static ObjectSchema, PropertyStringError> {
    match T::api_schema() {
        Schema::Object(object) => Ok(object),
        _ => Err(PropertyStringError::syntax(
            "type has no object schema for a property string",
        )),
    }
}

/// Parses a property string into `T`: [`parse_property_string`] with `T`'s object
/// schema (all of upstream's checks and wording), then serde.
pub fn from_property_string<T: DeserializeOwned + ApiType>(
    s: &str,
) -> Result<T, PropertyStringError> {
    let map = parse_property_string(s, object_schema_of::<T>()?)?;
    serde_json::from_value(Value::Object(map))
        .map_err(|e| PropertyStringError::syntax(e.to_string()))
}

/// Writes `v` as its canonical property string ([`print_property_string`]); `None`
/// fields are left out.
pub fn to_property_string<T: Serialize + ApiType>(v: &T) -> Result<String, PropertyStringError> {
    let format = object_schema_of::<T>()?;
    let value = serde_json::to_value(v).map_err(|e| PropertyStringError::syntax(e.to_string()))?;
    let Value::Object(mut map) = value else {
        return Err(PropertyStringError::syntax(
            "value does not serialize to an object",
        ));
    };
    map.retain(|_, v| !v.is_null());
    print_property_string(&map, format)
}

/// What `#[derive(ApiType)]` knows about one field (not for hand-written code).
/// Constraints that do not apply to the field's type are ignored.
#[doc(hidden)]
#[derive(Debug, Clone, Default)]
pub struct FieldSpec {
    /// The property name (serde's wire name).
    pub name: &'static str,
    /// The field's doc comment; replaces the type's description.
    pub description: Option<&'static str>,
    /// `Option<T>`, `#[serde(default)]` or `#[api(optional)]`.
    pub optional: bool,
    /// `#[api(default_key)]`.
    pub default_key: bool,
    /// Other keys accepted for this property.
    pub aliases: &'static [&'static str],
    /// Every enum value of this named property may be used as a key for this field.
    pub keyalias: Option<&'static str>,
    /// Inclusive lower bound (integers and numbers).
    pub minimum: Option<f64>,
    /// Inclusive upper bound (integers and numbers).
    pub maximum: Option<f64>,
    /// Minimum string length.
    pub min_length: Option<usize>,
    /// Maximum string length.
    pub max_length: Option<usize>,
    /// Regular expression for strings.
    pub pattern: Option<&'static str>,
    /// Named format (strings, integers).
    pub format: Option<&'static str>,
    /// Usage text for strings.
    pub typetext: Option<&'static str>,
    /// Default value as text.
    pub default: Option<&'static str>,
    /// Short usage description for strings.
    pub format_description: Option<&'static str>,
}

/// Builds the object schema of a derived struct (not for hand-written code).
#[doc(hidden)]
pub fn object_schema(description: Option<&str>, fields: Vec<(Schema, FieldSpec)>) -> Schema {
    let mut object = ObjectSchema {
        description: description.map(str::to_string),
        properties: Default::default(),
        additional_properties: false,
    };
    for (schema, spec) in &fields {
        object
            .properties
            .insert(spec.name.to_string(), field_property(schema.clone(), spec));
        for alias in spec.aliases {
            object
                .properties
                .insert(alias.to_string(), alias_property(spec.name, None));
        }
    }
    for (_, spec) in &fields {
        if let Some(target) = spec.keyalias {
            add_key_aliases(&mut object, spec.name, target);
        }
    }
    Schema::Object(object)
}

fn alias_property(target: &str, keyalias: Option<&str>) -> Property {
    Property {
        schema: Schema::String(StringSchema::default()),
        optional: true,
        default_key: false,
        alias: Some(target.to_string()),
        keyalias: keyalias.map(str::to_string),
    }
}

/// Every enum value of `keyed` becomes a key whose value goes to `field`.
fn add_key_aliases(object: &mut ObjectSchema, field: &str, keyed: &str) {
    let values = match object.properties.get(keyed).map(|p| &p.schema) {
        Some(Schema::String(s)) => s.enum_values.clone().unwrap_or_default(),
        _ => Vec::new(),
    };
    for value in values {
        if !object.properties.contains_key(&value) {
            object
                .properties
                .insert(value, alias_property(field, Some(keyed)));
        }
    }
}

/// A derived field's property: the type's schema with the field's constraints.
fn field_property(mut schema: Schema, spec: &FieldSpec) -> Property {
    match &mut schema {
        Schema::Boolean(s) => {
            set_description(&mut s.description, spec);
            s.default = spec.default.and_then(parse_boolean).or(s.default);
        }
        Schema::Integer(s) => {
            set_description(&mut s.description, spec);
            s.minimum = spec.minimum.map(|m| m as i64).or(s.minimum);
            s.maximum = spec.maximum.map(|m| m as i64).or(s.maximum);
            s.format = spec.format.map(str::to_string).or(s.format.take());
            s.default = spec.default.and_then(|d| d.parse().ok()).or(s.default);
        }
        Schema::Number(s) => {
            set_description(&mut s.description, spec);
            s.minimum = spec.minimum.or(s.minimum);
            s.maximum = spec.maximum.or(s.maximum);
            s.default = spec.default.and_then(|d| d.parse().ok()).or(s.default);
        }
        Schema::String(s) => apply_string(s, spec),
        Schema::Array(s) => set_description(&mut s.description, spec),
        Schema::Object(s) => set_description(&mut s.description, spec),
        Schema::Null => {}
    }
    Property {
        schema,
        optional: spec.optional,
        default_key: spec.default_key,
        alias: None,
        keyalias: None,
    }
}

fn set_description(description: &mut Option<String>, spec: &FieldSpec) {
    if let Some(text) = spec.description {
        *description = Some(text.to_string());
    }
}

fn apply_string(s: &mut StringSchema, spec: &FieldSpec) {
    let text = |v: Option<&'static str>| v.map(str::to_string);
    set_description(&mut s.description, spec);
    s.min_length = spec.min_length.or(s.min_length);
    s.max_length = spec.max_length.or(s.max_length);
    s.pattern = text(spec.pattern).or(s.pattern.take());
    s.typetext = text(spec.typetext).or(s.typetext.take());
    s.default = text(spec.default).or(s.default.take());
    s.format_description = text(spec.format_description).or(s.format_description.take());
    if let Some(name) = spec.format {
        s.format = Some(StringFormat::Named(name.to_string()));
    }
}

/// Builds the schema of a derived unit enum (not for hand-written code).
#[doc(hidden)]
pub fn string_enum(description: Option<&str>, values: &[&str]) -> Schema {
    Schema::String(StringSchema {
        description: description.map(str::to_string),
        enum_values: Some(values.iter().map(|v| v.to_string()).collect()),
        ..Default::default()
    })
}

#[cfg(test)]
mod tests;
