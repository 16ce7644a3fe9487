//! The lexical rules of `user.cfg`: identifier checks, list splitting and comment escaping.
//!
//! These mirror Proxmox VE's rules byte for byte (ASCII classes, Perl whitespace, Perl
//! truthiness of `"0"`), because what they accept decides which lines survive a rewrite.
//!
//! Must not depend on: the `user.cfg` model (these are plain string functions).

/// Perl's `\s`: ASCII space, tab, newline, vertical tab, form feed, carriage return.
pub(crate) fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\x0b' | '\x0c' | '\r')
}

/// Trims Perl whitespace on both ends.
pub(crate) fn trim(s: &str) -> &str {
    s.trim_matches(is_space)
}

/// Perl truthiness of an optional field: absent, empty and `"0"` are false.
pub(crate) fn truthy(v: Option<&str>) -> bool {
    matches!(v, Some(s) if !s.is_empty() && s != "0")
}

/// The field if it is Perl-true.
pub(crate) fn truthy_field(v: Option<&str>) -> Option<&str> {
    v.filter(|s| truthy(Some(s)))
}

/// Splits a line on `:` as Perl's `split` does: fields trimmed, trailing empty ones dropped.
pub(crate) fn split_fields(line: &str) -> Vec<&str> {
    // user lines have ten fields; one allocation covers every line kind
    let mut fields: Vec<&str> = Vec::with_capacity(12);
    fields.extend(line.split(':').map(trim));
    while fields.last().is_some_and(|f| f.is_empty()) {
        fields.pop();
    }
    fields
}

/// Splits a member list (`a,b;c d`, or NUL separated) into its items.
pub(crate) fn split_list(list: Option<&str>) -> Vec<&str> {
    let list = list.unwrap_or("");
    if list.contains('\0') {
        let mut items: Vec<&str> = list.split('\0').collect();
        while items.last().is_some_and(|f| f.is_empty()) {
            items.pop();
        }
        return items;
    }
    list.split(|c: char| c == ',' || c == ';' || is_space(c))
        .filter(|s| !s.is_empty())
        .collect()
}

fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_')
}

/// A realm (and token) name: a letter, then at least one of `[A-Za-z0-9._-]`.
pub(crate) fn is_realm(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic()) && s.len() >= 2 && chars.all(is_name_char)
}

/// A user id `name@realm`: 3 to 64 bytes, name without whitespace, `:` or `/`.
pub fn is_userid(s: &str) -> bool {
    if s.len() < 3 || s.len() > 64 {
        return false;
    }
    let Some((name, realm)) = s.rsplit_once('@') else {
        return false;
    };
    !name.is_empty()
        && !name.contains(|c: char| is_space(c) || c == ':' || c == '/')
        && is_realm(realm)
}

/// Splits an API token id `user@realm!name` into user id and token name.
pub fn split_tokenid(s: &str) -> Option<(&str, &str)> {
    let (user, token) = s.rsplit_once('!')?;
    let (name, realm) = user.rsplit_once('@')?;
    let name_ok = !name.is_empty() && !name.contains(|c: char| is_space(c) || c == ':' || c == '/');
    (name_ok && is_realm(realm) && is_realm(token)).then_some((user, token))
}

/// A group or role name: `[A-Za-z0-9._-]+` (upstream also rejects the name `0`).
pub fn is_group_or_role_name(s: &str) -> bool {
    !s.is_empty() && s != "0" && s.chars().all(is_name_char)
}

/// A pool name: up to three `/`-separated levels of `[A-Za-z0-9._-]+` (not `0`).
pub fn is_pool_name(s: &str) -> bool {
    s != "0"
        && s.split('/').count() <= 3
        && s.split('/')
            .all(|p| !p.is_empty() && p.chars().all(is_name_char))
}

/// A storage id as pool members allow it: a letter, then `[a-z0-9._-]*`, ending alphanumeric.
pub(crate) fn is_pool_storage(s: &str) -> bool {
    let bytes = s.as_bytes();
    let (Some(first), Some(last)) = (bytes.first(), bytes.last()) else {
        return false;
    };
    bytes.len() >= 2
        && first.is_ascii_alphabetic()
        && last.is_ascii_alphanumeric()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// A run of ASCII digits, as an integer (`None` when not digits or too large).
pub(crate) fn parse_digits(s: &str) -> Option<u64> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// Normalizes an ACL path: collapses `//`, drops a trailing `/`, adds a leading one.
///
/// `None` for an empty path, `0`, or characters outside `[A-Za-z0-9._/-]`.
pub fn normalize_acl_path(path: &str) -> Option<String> {
    if !truthy(Some(path)) {
        return None;
    }
    let valid = |p: &str| p.chars().all(|c| is_name_char(c) || c == '/');
    // Already normal (the usual case): no copy through a part list.
    let normal =
        path.starts_with('/') && !path.contains("//") && (path.len() == 1 || !path.ends_with('/'));
    if normal {
        return valid(path).then(|| path.to_string());
    }
    let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
    let normalized = format!("/{}", parts.join("/"));
    valid(&normalized).then_some(normalized)
}

/// Escapes a free-text field (comment, first or last name) for storage.
///
/// UTF-8 bytes outside printable ASCII, and `:` and `%`, become `%XX`.
pub fn encode_text(text: &str) -> String {
    let safe = |b: u8| (0x20..=0x7e).contains(&b) && b != b':' && b != b'%';
    if text.bytes().all(safe) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if safe(b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn hex_value(b: u8) -> Option<u8> {
    char::from(b)
        .to_digit(16)
        .and_then(|d| u8::try_from(d).ok())
}

/// Reverses [`encode_text`]; a `%` not followed by two hex digits stays as it is.
pub fn decode_text(data: &str) -> String {
    if !data.contains('%') {
        return data.to_string();
    }
    let bytes = data.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let escaped = match bytes.get(i + 1..i + 3) {
            Some(&[h, l]) if b == b'%' => hex_value(h).zip(hex_value(l)),
            _ => None,
        };
        match escaped {
            Some((h, l)) => {
                out.push(h * 16 + l);
                i += 3;
            }
            None => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_fields_drops_trailing_empty_fields_and_trims() {
        assert_eq!(
            split_fields("user: a@pam :1:0::::::"),
            ["user", "a@pam", "1", "0"]
        );
        assert_eq!(split_fields("acl::/:"), ["acl", "", "/"]);
    }

    #[test]
    fn split_list_accepts_commas_semicolons_and_spaces() {
        assert_eq!(split_list(Some(" a, b;c  d")), ["a", "b", "c", "d"]);
        assert!(split_list(None).is_empty());
    }

    #[test]
    fn userid_needs_realm_and_length() {
        assert!(is_userid("root@pam"));
        assert!(is_userid("a@b@pve"));
        assert!(!is_userid("does_not_exist"));
        assert!(!is_userid("a@b"));
        assert!(!is_userid("x y@pve"));
        assert!(!is_userid(&format!("{}@pve", "a".repeat(61))));
    }

    #[test]
    fn tokenid_splits_at_last_bang() {
        assert_eq!(split_tokenid("test@pam!full"), Some(("test@pam", "full")));
        assert_eq!(split_tokenid("test@pam"), None);
        assert_eq!(split_tokenid("test@pam!x"), None);
    }

    #[test]
    fn names_reject_zero_and_bad_characters() {
        assert!(is_group_or_role_name("test_group-1.x"));
        assert!(!is_group_or_role_name("inval!d"));
        assert!(!is_group_or_role_name("0"));
        assert!(is_pool_name("a/b/c"));
        assert!(!is_pool_name("a/b/c/d"));
        assert!(!is_pool_name("a//b"));
    }

    #[test]
    fn acl_path_is_normalized() {
        assert_eq!(normalize_acl_path("/"), Some("/".into()));
        assert_eq!(normalize_acl_path("vms//100/"), Some("/vms/100".into()));
        assert_eq!(normalize_acl_path("0"), None);
        assert_eq!(normalize_acl_path("/a b"), None);
    }

    #[test]
    fn text_escaping_round_trips_colon_percent_and_unicode() {
        let text = "Müller: 100% ok";
        let enc = encode_text(text);
        assert_eq!(enc, "M%C3%BCller%3A 100%25 ok");
        assert_eq!(decode_text(&enc), text);
        assert_eq!(decode_text("50%zz%4"), "50%zz%4");
    }
}
