//! Verification of a JSON value (API parameters, a decoded config) against a schema,
//! reporting every failing parameter with upstream's wording, as upstream's
//! `validate` does ("Parameter verification failed.").
//!
//! A thin entry point over [`crate::check`]; it never changes the value.

use crate::check::check_value;
use crate::error::ParameterErrors;
use crate::model::Schema;
use serde_json::Value;

/// Checks `value` against `schema`. On failure every offending parameter is listed by
/// path (`vmid`, `net0`, `list[2]`; `_root` for the value as a whole) with upstream's
/// message, e.g. `value must have a minimum value of 100` or `type check ('integer')
/// failed - got 'abc'`. Messages are upstream's exact text: `invalid format - ...`
/// ones end with a newline, as upstream's do.
pub fn verify(value: &Value, schema: &Schema) -> Result<(), ParameterErrors> {
    let mut errors = ParameterErrors::default();
    check_value(Some(value), schema, false, "", &mut errors);
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests;
