//! The text shape of RSA-signed tickets, `<PREFIX>:[<data>:]<8 hex time>::<base64 sig>`:
//! parsing, the signed payload, and the escaping of the data part.
//!
//! Pure: no keys, no clock. Must not depend on: key storage or the filesystem.

use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig, STANDARD};
use base64::engine::DecodePaddingMode;
use base64::Engine;

/// Decoder that, like upstream's, does not insist on `=` padding.
const LENIENT: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// A ticket split into its parts (signature not yet checked).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawTicket<'a> {
    /// Everything before `::`: the part the signature covers (plus any secret data).
    pub plain: &'a str,
    /// The data part, still escaped (`None` for tickets without data, like VNC ones).
    pub data: Option<&'a str>,
    /// Creation time (Unix seconds) from the 8 hex digits.
    pub timestamp: i64,
    /// The base64 signature text.
    pub signature: &'a str,
}

impl RawTicket<'_> {
    /// The data part unescaped (`%XX` sequences decoded).
    pub fn data_unescaped(&self) -> Option<String> {
        self.data.map(unescape)
    }

    /// The decoded signature bytes.
    pub fn signature_bytes(&self) -> Option<Vec<u8>> {
        LENIENT.decode(self.signature).ok()
    }

    /// The bytes the signature covers: the plain part, plus `:<secret>` when given.
    pub fn signed_payload(&self, secret_data: Option<&str>) -> String {
        signed_payload(self.plain, secret_data)
    }
}

/// Splits `ticket` if it has the shape of a `prefix` ticket.
pub fn parse_ticket<'a>(prefix: &str, ticket: &'a str) -> Option<RawTicket<'a>> {
    let (plain, signature) = ticket.rsplit_once("::")?;
    let valid_sig =
        !signature.is_empty() && !signature.contains(|c: char| c == ':' || c.is_whitespace());
    if !valid_sig || plain.contains(char::is_whitespace) {
        return None;
    }
    let rest = plain.strip_prefix(prefix)?.strip_prefix(':')?;
    if rest.is_empty() {
        return None;
    }
    let (data, time) = match rest.rsplit_once(':') {
        Some((data, time)) if !data.is_empty() => (Some(data), time),
        Some(_) => return None,
        None => (None, rest),
    };
    Some(RawTicket {
        plain,
        data,
        timestamp: parse_hex_time(time)?,
        signature,
    })
}

/// The plain part of a new ticket: `<prefix>:[<escaped data>:]<8 hex time>`.
pub fn assemble_plain(prefix: &str, data: Option<&str>, now: i64) -> String {
    let mut plain = format!("{prefix}:");
    if let Some(data) = data {
        plain.push_str(&escape(data));
        plain.push(':');
    }
    plain.push_str(&hex_time(now));
    plain
}

/// Joins the plain part and a signature into the ticket text.
pub fn join_ticket(plain: &str, signature: &[u8]) -> String {
    format!("{plain}::{}", STANDARD.encode(signature))
}

/// The signed bytes for `plain` with optional secret (additional authenticated) data.
pub fn signed_payload(plain: &str, secret_data: Option<&str>) -> String {
    match secret_data {
        Some(secret) => format!("{plain}:{secret}"),
        None => plain.to_string(),
    }
}

/// `time` as 8 upper-case hex digits (the low 32 bits, as upstream's `%08X` would give
/// for any date before 2106).
pub fn hex_time(now: i64) -> String {
    format!("{:08X}", now.clamp(0, i64::from(u32::MAX)))
}

/// Parses exactly 8 upper-case hex digits.
pub fn parse_hex_time(text: &str) -> Option<i64> {
    let ok = text.len() == 8
        && text
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'A'..=b'F').contains(&b));
    if !ok {
        return None;
    }
    i64::from_str_radix(text, 16).ok()
}

/// Escapes `:` (the only character upstream escapes in ticket data) as `%3A`.
pub fn escape(data: &str) -> String {
    data.replace(':', "%3A")
}

/// Decodes every `%XX` sequence, as upstream's unescape does; invalid ones stay.
pub fn unescape(data: &str) -> String {
    let bytes = data.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .filter(|h| h.bytes().all(|b| b.is_ascii_hexdigit()))
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes.get(i), hex) {
            (Some(b'%'), Some(decoded)) => {
                out.push(decoded);
                i += 3;
            }
            (Some(&b), _) => {
                out.push(b);
                i += 1;
            }
            (None, _) => break,
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}
