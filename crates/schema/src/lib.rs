//! `virton-schema`: Proxmox VE's schema dialect and THE property-string parser/writer.
//!
//! Layer L0: no I/O, no filesystem, no processes, no other VirtOn crate.
//!
//! - [`model`]: [`Schema`] and friends; [`json`] reads upstream's JSON dialect into it.
//! - [`propstring`]: [`parse_property_string`] / [`print_property_string`].
//! - [`verify()`]: per-parameter verification with upstream's wording.
//! - [`formats`]: the named-format registry ([`check_format`]).
//!
//! Error texts are upstream's, so API clients and users see what Proxmox VE says.

mod check;
pub mod error;
pub mod formats;
pub mod json;
pub mod model;
pub mod propstring;
pub mod text;
mod verify;

pub use error::{ParameterErrors, PropertyStringError, SchemaError};
pub use formats::{check_format, is_known_format, register_format, register_object_format};
pub use model::{
    ArraySchema, BooleanSchema, IntegerSchema, NumberSchema, ObjectSchema, Property, Schema,
    StringFormat, StringSchema,
};
pub use propstring::{parse_property_string, print_property_string};
pub use verify::verify;
