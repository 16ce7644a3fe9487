//! `virton-schema`: Proxmox VE's schema dialect and THE property-string parser/writer.
//!
//! Layer L0: no I/O, no filesystem, no processes, no other VirtOn crate.
//!
//! - [`model`]: [`Schema`] and friends; [`json`] reads upstream's JSON dialect into it.
//! - [`propstring`]: [`parse_property_string`] / [`print_property_string`].
//! - [`verify()`]: per-parameter verification with upstream's wording.
//! - [`formats`]: the named-format registry ([`check_format`]).
//! - [`typed`]: [`ApiType`] (trait and derive), [`PropertyString`],
//!   [`from_property_string`] / [`to_property_string`].
//!
//! Error texts are upstream's, so API clients and users see what Proxmox VE says.

// The derive's expansion names `::virton_schema`, also inside this crate's own tests.
extern crate self as virton_schema;

mod check;
pub mod error;
pub mod formats;
pub mod json;
pub mod model;
pub mod propstring;
pub mod text;
pub mod typed;
mod verify;

pub use error::{ParameterErrors, PropertyStringError, SchemaError};
pub use formats::{
    check_format, check_known_format, is_known_format, register_format, register_object_format,
};
pub use model::{
    ArraySchema, BooleanSchema, IntegerSchema, NumberSchema, ObjectSchema, Property, Schema,
    StringFormat, StringSchema,
};
pub use propstring::{parse_property_string, print_property_string};
pub use typed::{from_property_string, to_property_string, ApiType, PropertyString};
pub use verify::verify;
/// `#[derive(ApiType)]`: shares its name with the trait, as serde's derives do.
pub use virton_schema_derive::ApiType;
