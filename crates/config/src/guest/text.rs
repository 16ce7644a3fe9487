//! Percent-encoding of description comment lines (`#...`) in guest configs.
//!
//! Upstream writes every description line as `#` plus the line with control characters,
//! bytes >= 0x7f (of the UTF-8 encoding), `%` and `:` percent-encoded (`%XX`, upper case),
//! and decodes any `%XX` when reading (invalid UTF-8 becomes U+FFFD).

/// True for bytes written as-is: 0x20..=0x7e except `%` and `:`.
fn is_safe(b: u8) -> bool {
    (0x20..=0x7e).contains(&b) && b != b'%' && b != b':'
}

/// Encodes one description line for a `#` comment.
pub fn encode_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for &b in text.as_bytes() {
        if is_safe(b) {
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

/// Decodes `%XX` sequences of a comment line; other bytes are kept.
pub fn decode_text(data: &str) -> String {
    let bytes = data.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let escaped = match (bytes.get(i), bytes.get(i + 1), bytes.get(i + 2)) {
            (Some(b'%'), Some(&h), Some(&l)) => hex_value(h).zip(hex_value(l)),
            _ => None,
        };
        if let Some((h, l)) = escaped {
            out.push(h * 16 + l);
            i += 3;
        } else {
            out.extend(bytes.get(i).copied());
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encode_escapes_colon_percent_controls_and_non_ascii() {
        assert_eq!(encode_text("a: 50%\tb"), "a%3A 50%25%09b");
        assert_eq!(encode_text("ü"), "%C3%BC");
        assert_eq!(encode_text("plain text #1"), "plain text #1");
    }

    #[test]
    fn decode_reverses_encode_and_keeps_stray_percent() {
        assert_eq!(decode_text("a%3A 50%25%09b"), "a: 50%\tb");
        assert_eq!(decode_text("%c3%bc"), "ü");
        assert_eq!(decode_text("100% %zz %4"), "100% %zz %4");
    }

    #[test]
    fn decode_invalid_utf8_gives_replacement_character() {
        assert_eq!(decode_text("%FF"), "\u{fffd}");
    }
}
