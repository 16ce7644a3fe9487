//! Shared machinery of the typed property-string formats of guest config keys: the
//! [`GuestFormat`] trait (a typed format plus the extra checks upstream attaches to it),
//! registration of every VM and container format with the schema crate's named-format
//! registry (so the raw reader checks values through them), the error type of typed
//! accessors, and the startup-order format both guest kinds share.
//!
//! Must not depend on the file grammars; the per-guest formats live in
//! [`super::qemu::formats`] and [`super::lxc::formats`].

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::sync::OnceLock;
use virton_schema::{ApiType, ObjectSchema, Schema};

/// A property-string format of a guest config key, with upstream's extra checks.
pub trait GuestFormat: ApiType + DeserializeOwned + Serialize + Sized {
    /// Checks upstream runs after the schema accepted a value (validators, `requires`);
    /// `Err` is upstream's message.
    fn validate(&self) -> Result<(), String> {
        Ok(())
    }

    /// The object schema values of this format are parsed with.
    fn object_schema() -> &'static ObjectSchema {
        object_of(Self::api_schema())
    }

    /// Parses `text`: schema checks with upstream's wording, then [`Self::validate`].
    fn parse(text: &str) -> Result<Self, String> {
        ensure_registered();
        let map = virton_schema::parse_property_string(text, Self::object_schema())
            .map_err(|e| e.to_string())?;
        let value: Self = serde_json::from_value(Value::Object(map)).map_err(|e| e.to_string())?;
        value.validate()?;
        Ok(value)
    }

    /// The canonical text upstream writes for this value.
    fn print(&self) -> Result<String, String> {
        ensure_registered();
        self.validate()?;
        let value = serde_json::to_value(self).map_err(|e| e.to_string())?;
        let Value::Object(mut map) = value else {
            return Err("value does not serialize to an object".to_string());
        };
        map.retain(|_, v| !v.is_null());
        virton_schema::print_property_string(&map, Self::object_schema()).map_err(|e| e.to_string())
    }
}

/// The object inside a derived struct's schema (every [`GuestFormat`] is a struct).
pub(crate) fn object_of(schema: &'static Schema) -> &'static ObjectSchema {
    static EMPTY: OnceLock<ObjectSchema> = OnceLock::new();
    match schema {
        Schema::Object(object) => object,
        _ => EMPTY.get_or_init(ObjectSchema::default),
    }
}

/// A registry check function for format `T` (a plain `fn`, as the registry needs).
pub(crate) fn check_typed<T: GuestFormat>(value: &str) -> Result<(), String> {
    T::parse(value).map(|_| ())
}

/// Upstream's `requires` error: `key` is set without `required`.
pub(crate) fn missing_required(key: &str, required: &str) -> String {
    format!("format error\n{required}: missing property required by '{key}'")
}

/// A typed value of a guest config key that could not be read or written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unable to parse value of '{key}' - {message}")]
pub struct GuestValueError {
    /// The config key.
    pub key: String,
    /// Upstream's message.
    pub message: String,
}

impl GuestValueError {
    pub(crate) fn new(key: &str, message: impl Into<String>) -> Self {
        GuestValueError {
            key: key.to_string(),
            message: message.into(),
        }
    }
}

/// Parses the value of `key` (if set) as format `T`.
pub(crate) fn typed_get<T: GuestFormat>(
    key: &str,
    value: Option<&str>,
) -> Result<Option<T>, GuestValueError> {
    value
        .map(|v| T::parse(v).map_err(|e| GuestValueError::new(key, e)))
        .transpose()
}

/// The canonical text of `value` for `key`.
pub(crate) fn typed_print<T: GuestFormat>(key: &str, value: &T) -> Result<String, GuestValueError> {
    value.print().map_err(|e| GuestValueError::new(key, e))
}

/// Start and stop ordering of a guest (`startup: order=1,up=30`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, virton_schema::ApiType)]
pub struct StartupOrder {
    /// Position in the boot order; lower starts earlier, stops later.
    #[api(default_key, minimum = 0)]
    pub order: Option<u64>,
    /// Seconds to wait after starting this guest before the next one.
    #[api(minimum = 0)]
    pub up: Option<u64>,
    /// Seconds to wait after stopping this guest before the next one.
    #[api(minimum = 0)]
    pub down: Option<u64>,
}

impl GuestFormat for StartupOrder {}

/// Registers every guest format with the schema registry once per process. Called by
/// the raw layer before it checks a named format.
pub fn ensure_registered() {
    static DONE: OnceLock<()> = OnceLock::new();
    DONE.get_or_init(|| {
        super::qemu::formats::register();
        super::lxc::formats::register();
    });
}

/// Registers `check` under `name`; a name someone else registered first is kept.
pub(crate) fn register(name: &str, check: virton_schema::formats::FormatFn) {
    // An `Err` means the name is taken (built in or registered earlier): keep that one.
    let _ = virton_schema::register_format(name, check);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn startup_order_round_trips_with_default_key() {
        let s = StartupOrder::parse("order=3,down=5,up=10").expect("parses");
        assert_eq!(s.order, Some(3));
        assert_eq!(s.print().expect("prints"), "3,down=5,up=10");
        assert_eq!(
            StartupOrder::parse("up=x").unwrap_err(),
            "format error\nup: type check ('integer') failed - got 'x'"
        );
    }

    #[test]
    fn requires_names_the_missing_key() {
        assert_eq!(
            missing_required("gw", "ip"),
            "format error\nip: missing property required by 'gw'"
        );
    }
}
