//! Small string rules the interfaces grammar shares with upstream's reader and writer:
//! which characters count as blanks, which values count as "set", how a value reads as a
//! number, and how whitespace-separated lists split.
//!
//! Must not depend on: the rest of this module (it is the leaf everything else uses).

/// A blank as upstream's `\s` sees it on this file: space, tab, CR, LF, VT, FF.
pub(crate) fn is_ws(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0b' | '\x0c')
}

/// `s` without leading blanks.
pub(crate) fn trim_start_ws(s: &str) -> &str {
    s.trim_start_matches(is_ws)
}

/// `s` without trailing blanks.
pub(crate) fn trim_end_ws(s: &str) -> &str {
    s.trim_end_matches(is_ws)
}

/// The non-empty blank-separated words of `s`.
pub(crate) fn words(s: &str) -> impl Iterator<Item = &str> {
    s.split(is_ws).filter(|w| !w.is_empty())
}

/// Splits on runs of blanks the way upstream's `split(/\s+/, ...)` does: a leading blank
/// yields one empty first field, trailing empty fields are dropped.
pub(crate) fn split_ws_fields(s: &str) -> Vec<&str> {
    let mut out: Vec<&str> = Vec::new();
    if s.starts_with(is_ws) {
        out.push("");
    }
    out.extend(words(s));
    out
}

/// Splits a port list on commas, semicolons and blanks (upstream's `split_list`).
pub(crate) fn split_list(s: &str) -> Vec<String> {
    if s.contains('\0') {
        let mut v: Vec<String> = s.split('\0').map(str::to_string).collect();
        while v.last().is_some_and(|l| l.is_empty()) {
            v.pop();
        }
        return v;
    }
    s.split(|c: char| c == ',' || c == ';' || is_ws(c))
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// Whether a value counts as set: upstream treats the empty string and `0` as unset.
pub(crate) fn truthy(s: &str) -> bool {
    !s.is_empty() && s != "0"
}

/// Whether an optional value is present and [`truthy`].
pub(crate) fn opt_truthy(s: Option<&String>) -> bool {
    s.is_some_and(|v| truthy(v))
}

/// The numeric value of a string as upstream compares numbers: the leading decimal
/// number, or 0 when there is none.
pub(crate) fn num(s: &str) -> f64 {
    let t = trim_start_ws(s);
    let mut end = 0;
    let mut seen_digit = false;
    let mut seen_dot = false;
    for (i, c) in t.char_indices() {
        let ok = match c {
            '+' | '-' => i == 0,
            '0'..='9' => {
                seen_digit = true;
                true
            }
            '.' if !seen_dot => {
                seen_dot = true;
                true
            }
            _ => false,
        };
        if !ok {
            break;
        }
        end = i + c.len_utf8();
    }
    if !seen_digit {
        return 0.0;
    }
    t.get(..end)
        .and_then(|n| n.trim_end_matches('.').parse().ok())
        .unwrap_or(0.0)
}

/// True when `s` is one or more ASCII digits.
pub(crate) fn all_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// Splits `name` as `PREFIX<sep>DIGITS` (prefix non-empty and without blanks), taking
/// the last separator, as upstream's `^(\S+)<sep>(\d+)$` does.
pub(crate) fn split_numbered(name: &str, sep: char) -> Option<(&str, &str)> {
    let pos = name.rfind(sep)?;
    let (prefix, rest) = (name.get(..pos)?, name.get(pos + 1..)?);
    if prefix.is_empty() || prefix.contains(is_ws) || !all_digits(rest) {
        return None;
    }
    Some((prefix, rest))
}

/// The prefix length of a dotted IPv4 netmask, when it is a valid non-zero one.
pub(crate) fn netmask_bits(mask: &str) -> Option<u32> {
    let mut octets = [0u8; 4];
    let mut parts = mask.split('.');
    for o in &mut octets {
        let p = parts.next()?;
        if p.is_empty() || p.len() > 3 || !all_digits(p) || (p.len() > 1 && p.starts_with('0')) {
            return None;
        }
        *o = p.parse().ok()?;
    }
    if parts.next().is_some() {
        return None;
    }
    let v = u32::from_be_bytes(octets);
    let bits = v.leading_ones();
    // Upstream's table only knows contiguous masks, and a mask of 0 bits does not count.
    (bits > 0 && v.checked_shl(bits).unwrap_or(0) == 0).then_some(bits)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_ws_fields_keeps_leading_empty_field() {
        assert_eq!(split_ws_fields(" a  b "), vec!["", "a", "b"]);
        assert_eq!(split_ws_fields("a b"), vec!["a", "b"]);
    }

    #[test]
    fn num_reads_leading_number_or_zero() {
        assert_eq!(num("1400"), 1400.0);
        assert_eq!(num("1400abc"), 1400.0);
        assert_eq!(num("abc"), 0.0);
        assert_eq!(num("-3.5x"), -3.5);
    }

    #[test]
    fn netmask_bits_knows_contiguous_masks_only() {
        assert_eq!(netmask_bits("255.255.255.0"), Some(24));
        assert_eq!(netmask_bits("255.255.255.255"), Some(32));
        assert_eq!(netmask_bits("0.0.0.0"), None);
        assert_eq!(netmask_bits("255.0.255.0"), None);
        assert_eq!(netmask_bits("255.255.255.00"), None);
    }

    #[test]
    fn split_numbered_takes_last_separator() {
        assert_eq!(
            split_numbered("bond0.100.10", '.'),
            Some(("bond0.100", "10"))
        );
        assert_eq!(split_numbered("eth0:1", ':'), Some(("eth0", "1")));
        assert_eq!(split_numbered(".5", '.'), None);
        assert_eq!(split_numbered("eth0.x", '.'), None);
    }

    #[test]
    fn truthiness_follows_upstream() {
        assert!(!truthy(""));
        assert!(!truthy("0"));
        assert!(truthy("00"));
        assert!(truthy("off"));
    }
}
