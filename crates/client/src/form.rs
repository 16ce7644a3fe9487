//! `application/x-www-form-urlencoded` encoding (query strings and POST/PUT bodies) and
//! escaping of path segments. Pure functions.

/// Bytes left as they are in form values (RFC 3986 unreserved characters).
fn unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~')
}

fn escape(text: &str, keep: impl Fn(u8) -> bool, out: &mut String) {
    for b in text.bytes() {
        if keep(b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
}

/// Encodes `key=value` pairs joined with `&`, percent-escaping everything but the
/// unreserved characters (a space becomes `%20`, which every server decodes).
pub fn encode(params: &[(String, String)]) -> String {
    let mut out = String::new();
    for (i, (k, v)) in params.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        escape(k, unreserved, &mut out);
        out.push('=');
        escape(v, unreserved, &mut out);
    }
    out
}

/// Escapes an API path for the request line: `/` separators and the characters upstream
/// IDs use (`@`, `!`, `:`, `=`) stay, everything else outside unreserved is escaped.
pub fn encode_path(path: &str) -> String {
    let mut out = String::new();
    escape(
        path,
        |b| unreserved(b) || matches!(b, b'/' | b'@' | b'!' | b':' | b'=' | b','),
        &mut out,
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
        v.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn encode_escapes_reserved_and_keeps_repeats() {
        let p = pairs(&[("comment", "a b&c=d"), ("vms", "100"), ("vms", "101")]);
        assert_eq!(encode(&p), "comment=a%20b%26c%3Dd&vms=100&vms=101");
    }

    #[test]
    fn encode_path_keeps_id_characters() {
        assert_eq!(
            encode_path("access/users/joe@pve/token/t 1"),
            "access/users/joe@pve/token/t%201"
        );
        assert_eq!(
            encode_path("nodes/n1/tasks/UPID:n1:1::"),
            "nodes/n1/tasks/UPID:n1:1::"
        );
    }
}
