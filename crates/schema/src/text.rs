//! Upstream's scalar text rules: what counts as a boolean, an integer or a number, how a
//! number is written back, list splitting and Perl truthiness.
//!
//! Pure string functions; must not depend on the schema model.

use serde_json::{Number, Value};

/// `1|on|yes|true` -> true, `0|off|no|false` -> false (case-insensitive), else `None`.
pub fn parse_boolean(text: &str) -> Option<bool> {
    const TRUE: [&str; 4] = ["1", "on", "yes", "true"];
    const FALSE: [&str; 4] = ["0", "off", "no", "false"];
    if TRUE.iter().any(|t| t.eq_ignore_ascii_case(text)) {
        Some(true)
    } else if FALSE.iter().any(|t| t.eq_ignore_ascii_case(text)) {
        Some(false)
    } else {
        None
    }
}

fn all_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

fn strip_sign(s: &str) -> &str {
    s.strip_prefix(['+', '-']).unwrap_or(s)
}

/// Upstream's integer syntax: `^[+-]?\d+$`.
pub fn is_integer(text: &str) -> bool {
    all_digits(strip_sign(text))
}

/// Upstream's number syntax: `^[+-]?(\d+\.\d+|\d+\.|\.\d+|\d+)([eE][+-]?\d+)?$`.
pub fn is_number(text: &str) -> bool {
    let body = strip_sign(text);
    let (mantissa, exponent) = match body.find(['e', 'E']) {
        Some(pos) => (&body[..pos], Some(&body[pos + 1..])),
        None => (body, None),
    };
    let mantissa_ok = match mantissa.split_once('.') {
        Some((int, frac)) => {
            (all_digits(int) || int.is_empty())
                && (all_digits(frac) || frac.is_empty())
                && !(int.is_empty() && frac.is_empty())
        }
        None => all_digits(mantissa),
    };
    mantissa_ok && exponent.is_none_or(|e| all_digits(strip_sign(e)))
}

/// The JSON number for an integer text that passed [`is_integer`]: i64, else u64,
/// else a float (upstream keeps such values as text and compares them as floats).
pub fn integer_value(text: &str) -> Option<Number> {
    let plain = text.strip_prefix('+').unwrap_or(text);
    if let Ok(n) = plain.parse::<i64>() {
        return Some(Number::from(n));
    }
    if let Ok(n) = plain.parse::<u64>() {
        return Some(Number::from(n));
    }
    plain.parse::<f64>().ok().and_then(Number::from_f64)
}

/// The JSON number for a text that passed [`is_number`]; whole values within the exact
/// float range become integers so a value reads back the same after being written.
pub fn number_value(text: &str) -> Option<Number> {
    let f = text.parse::<f64>().ok()?;
    if f.fract() == 0.0 && f.abs() < 9.007_199_254_740_992e15 {
        return Some(Number::from(f as i64));
    }
    Number::from_f64(f)
}

/// A float as Perl would print a value it parsed: whole numbers without a fraction,
/// everything else in the shortest text that reads back the same.
pub fn float_text(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        format!("{f}")
    }
}

/// A JSON number's text (`5`, `1.5`).
pub fn number_text(n: &Number) -> String {
    if n.is_f64() {
        n.as_f64().map(float_text).unwrap_or_default()
    } else {
        n.to_string()
    }
}

/// The text of a scalar as upstream would stringify it (`true` -> `1`); `None` for
/// null, arrays and objects.
pub fn scalar_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(number_text(n)),
        Value::Bool(b) => Some(if *b { "1" } else { "0" }.to_string()),
        _ => None,
    }
}

/// Perl truthiness of a text: everything but `""` and `"0"`.
pub fn perl_truthy(text: &str) -> bool {
    !(text.is_empty() || text == "0")
}

/// Upstream's `split_list`: NUL-separated if the text has a NUL, else split on commas,
/// semicolons and whitespace, dropping empty entries.
pub fn split_list(text: &str) -> Vec<&str> {
    if text.contains('\0') {
        let mut parts: Vec<&str> = text.split('\0').collect();
        // Perl's split drops trailing empty fields.
        while parts.last().is_some_and(|p| p.is_empty()) {
            parts.pop();
        }
        return parts;
    }
    text.split(|c: char| c == ',' || c == ';' || c.is_whitespace())
        .filter(|p| !p.is_empty())
        .collect()
}

/// Upstream's `parse_size`: `^\d+(\.\d+)?([KMGT](iB)?)?$` to bytes (truncated).
pub fn parse_size(text: &str) -> Option<u64> {
    let (number, factor) = size_unit(text)?;
    let (int, frac) = match number.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (number, None),
    };
    if !all_digits(int) || frac.is_some_and(|f| !all_digits(f)) {
        return None;
    }
    let value: f64 = number.parse().ok()?;
    let bytes = value * factor as f64;
    (bytes.is_finite() && bytes < 1.8e19).then_some(bytes as u64)
}

fn size_unit(text: &str) -> Option<(&str, u64)> {
    const UNITS: [(&str, u64); 8] = [
        ("KiB", 1 << 10),
        ("MiB", 1 << 20),
        ("GiB", 1 << 30),
        ("TiB", 1 << 40),
        ("K", 1 << 10),
        ("M", 1 << 20),
        ("G", 1 << 30),
        ("T", 1 << 40),
    ];
    for (suffix, factor) in UNITS {
        if let Some(number) = text.strip_suffix(suffix) {
            return Some((number, factor));
        }
    }
    Some((text, 1))
}

/// Upstream's `format_size`: bytes in the largest unit that divides them (`32G`;
/// zero comes out as `0T`, as upstream's arithmetic has it).
pub fn format_size(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["K", "M", "G", "T"];
    let mut value = bytes;
    let mut unit = "";
    for next in UNITS {
        if value % 1024 != 0 {
            break;
        }
        value /= 1024;
        unit = next;
    }
    format!("{value}{unit}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn number_syntax_matches_upstream() {
        for ok in ["1", "-1", "+1.5", "1.", ".5", "1e5", "1.5E-3"] {
            assert!(is_number(ok), "{ok}");
        }
        for bad in ["", ".", "e5", "1e", "1.5.5", "abc", "1 "] {
            assert!(!is_number(bad), "{bad}");
        }
    }

    #[test]
    fn size_round_trips_through_format() {
        assert_eq!(parse_size("32G"), Some(32 << 30));
        assert_eq!(parse_size("1.5K"), Some(1536));
        assert_eq!(parse_size("4MiB"), Some(4 << 20));
        assert_eq!(parse_size("G"), None);
        assert_eq!(format_size(32 << 30), "32G");
        assert_eq!(format_size(1536), "1536");
        assert_eq!(format_size(0), "0T");
        assert_eq!(format_size(1 << 50), "1024T");
    }

    #[test]
    fn split_list_drops_separators() {
        assert_eq!(split_list(" a, b;c  d,"), vec!["a", "b", "c", "d"]);
        assert_eq!(split_list("a\0b\0"), vec!["a", "b"]);
    }

    #[test]
    fn float_text_prints_whole_numbers_plainly() {
        assert_eq!(float_text(10.0), "10");
        assert_eq!(float_text(1.5), "1.5");
    }
}
