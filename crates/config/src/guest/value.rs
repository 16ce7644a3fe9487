//! Per-key value checks applied while reading a guest config (upstream's `check_type`):
//! unknown keys, line feeds, booleans/integers/numbers and named formats, with upstream's
//! error wording. Values come back normalized the way upstream stores them
//! (`yes` -> `1`, `007` -> `7`).
//!
//! Must not depend on the file grammar ([`super::qemu`], [`super::lxc`]).

use super::keys::ValueType;

/// Which guest flavour's quirks apply to a check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavor {
    /// VM configs: free text loses one pair of surrounding double quotes.
    Vm,
    /// Container configs: free text is kept as is.
    Ct,
}

/// Checks `value` for `key` of type `ty` (`None`: unknown key) and returns the value
/// upstream would store; the error is upstream's message without the trailing newline.
pub fn check_value(
    key: &str,
    ty: Option<ValueType>,
    value: &str,
    flavor: Flavor,
) -> Result<String, String> {
    let Some(ty) = ty else {
        return Err(format!("unknown setting '{key}'"));
    };
    if value.contains(['\n', '\r']) {
        return Err("property contains a line feed".to_string());
    }
    match ty {
        ValueType::Boolean => check_boolean(value),
        ValueType::Integer => check_integer(value),
        ValueType::Number => check_number(value),
        ValueType::Text => Ok(match flavor {
            Flavor::Vm => strip_quotes(value).to_string(),
            Flavor::Ct => value.to_string(),
        }),
        ValueType::Format(name) => check_format(name, value).map(|()| value.to_string()),
    }
}

/// Parses a boolean as upstream's config reader does: `1`/`0` or on/off, yes/no,
/// true/false in any case.
pub fn parse_boolean(value: &str) -> Option<bool> {
    let lower = value.to_ascii_lowercase();
    match lower.as_str() {
        "1" | "on" | "yes" | "true" => Some(true),
        "0" | "off" | "no" | "false" => Some(false),
        _ => None,
    }
    .filter(|_| value.len() == lower.len())
}

fn check_boolean(value: &str) -> Result<String, String> {
    match parse_boolean(value) {
        Some(true) => Ok("1".to_string()),
        Some(false) => Ok("0".to_string()),
        None => Err(format!("type check ('boolean') failed - got '{value}'")),
    }
}

fn is_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

fn check_integer(value: &str) -> Result<String, String> {
    if !is_digits(value) {
        return Err(format!("type check ('integer') failed - got '{value}'"));
    }
    let trimmed = value.trim_start_matches('0');
    Ok(if trimmed.is_empty() { "0" } else { trimmed }.to_string())
}

fn check_number(value: &str) -> Result<String, String> {
    let ok = match value.split_once('.') {
        Some((int, frac)) => is_digits(int) && is_digits(frac),
        None => is_digits(value),
    };
    if ok {
        Ok(value.to_string())
    } else {
        Err(format!("type check ('number') failed - got '{value}'"))
    }
}

fn strip_quotes(value: &str) -> &str {
    value
        .strip_prefix('"')
        .and_then(|v| v.strip_suffix('"'))
        .unwrap_or(value)
}

/// Checks a value against a named format through the schema crate's registry (the
/// guest property-string formats are registered first). Formats nobody registers are
/// accepted here.
pub fn check_format(name: &str, value: &str) -> Result<(), String> {
    if name == "pve-configid" {
        return check_configid(value);
    }
    super::formats::ensure_registered();
    virton_schema::check_known_format(name, value).unwrap_or(Ok(()))
}

fn check_configid(value: &str) -> Result<(), String> {
    let mut chars = value.chars();
    let first_ok = chars.next().is_some_and(|c| c.is_ascii_alphabetic());
    let rest_ok = chars.all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if first_ok && rest_ok && value.len() >= 2 {
        Ok(())
    } else {
        Err(format!("invalid configuration ID '{value}'"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn booleans_are_normalized_to_digits() {
        let b = Some(ValueType::Boolean);
        assert_eq!(check_value("numa", b, "YES", Flavor::Vm).unwrap(), "1");
        assert_eq!(check_value("numa", b, "off", Flavor::Vm).unwrap(), "0");
        assert_eq!(
            check_value("numa", b, "maybe", Flavor::Vm).unwrap_err(),
            "type check ('boolean') failed - got 'maybe'"
        );
    }

    #[test]
    fn integers_lose_leading_zeros_and_reject_signs() {
        let i = Some(ValueType::Integer);
        assert_eq!(check_value("cores", i, "007", Flavor::Vm).unwrap(), "7");
        assert_eq!(check_value("cores", i, "000", Flavor::Vm).unwrap(), "0");
        assert!(check_value("cores", i, "-1", Flavor::Vm).is_err());
    }

    #[test]
    fn numbers_need_digits_on_both_sides_of_the_dot() {
        let n = Some(ValueType::Number);
        assert_eq!(
            check_value("cpulimit", n, "1.50", Flavor::Vm).unwrap(),
            "1.50"
        );
        assert!(check_value("cpulimit", n, "1.", Flavor::Vm).is_err());
        assert!(check_value("cpulimit", n, ".5", Flavor::Vm).is_err());
    }

    #[test]
    fn vm_text_loses_surrounding_quotes_but_ct_text_keeps_them() {
        let t = Some(ValueType::Text);
        assert_eq!(check_value("args", t, "\"-x\"", Flavor::Vm).unwrap(), "-x");
        assert_eq!(
            check_value("arch", t, "\"x\"", Flavor::Ct).unwrap(),
            "\"x\""
        );
    }

    #[test]
    fn named_formats_are_checked_by_the_schema_registry() {
        let f = Some(ValueType::Format("dns-name"));
        assert!(check_value("name", f, "web-1", Flavor::Vm).is_ok());
        assert!(check_value("name", f, "not a name", Flavor::Vm).is_err());
        let f = Some(ValueType::Format("pve-configid"));
        assert_eq!(
            check_value("parent", f, "x", Flavor::Vm).unwrap_err(),
            "invalid configuration ID 'x'"
        );
    }

    #[test]
    fn unknown_key_and_line_feed_are_rejected() {
        assert_eq!(
            check_value("bogus", None, "1", Flavor::Vm).unwrap_err(),
            "unknown setting 'bogus'"
        );
        let t = Some(ValueType::Text);
        assert_eq!(
            check_value("name", t, "a\rb", Flavor::Vm).unwrap_err(),
            "property contains a line feed"
        );
    }
}
