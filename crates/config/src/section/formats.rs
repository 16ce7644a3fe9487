//! Id and name checks shared by the section-config files (section ids in headers, node
//! names in lists), with upstream's wording. Value formats in schemas are checked by the
//! schema crate's registry; these are the checks upstream runs outside of it.

/// `^[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?$`
pub fn node_name(raw: &str) -> Result<(), String> {
    let ok = !raw.is_empty()
        && raw.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        && !raw.starts_with('-')
        && !raw.ends_with('-');
    ok.then_some(())
        .ok_or_else(|| "value does not look like a valid node name".into())
}

/// `^[a-z][a-z0-9_-]+$` (case-insensitive)
pub fn config_id(raw: &str) -> Result<(), String> {
    let mut chars = raw.chars();
    let first_ok = chars.next().is_some_and(|c| c.is_ascii_alphabetic());
    let rest: Vec<char> = chars.collect();
    let ok = first_ok
        && !rest.is_empty()
        && rest
            .iter()
            .all(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-');
    ok.then_some(())
        .ok_or_else(|| format!("invalid configuration ID '{raw}'"))
}

/// Upstream's `parse_id`: at least two characters, `^[a-z][a-z0-9\-\_\.]*[a-z0-9]$`i.
pub fn parse_id(raw: &str, what: &str) -> Result<(), String> {
    if raw.chars().count() < 2 {
        return Err(format!(
            "{what} ID '{raw}' cannot be shorter than 2 characters"
        ));
    }
    let b = raw.as_bytes();
    let inner_ok = b
        .iter()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.'));
    let first_ok = b.first().is_some_and(u8::is_ascii_alphabetic);
    let last_ok = b.last().is_some_and(u8::is_ascii_alphanumeric);
    if inner_ok && first_ok && last_ok {
        Ok(())
    } else {
        Err(format!("{what} ID '{raw}' contains illegal characters"))
    }
}

/// `^[A-Za-z][A-Za-z0-9\.\-_]+$`
pub fn realm(raw: &str) -> Result<(), String> {
    let b = raw.as_bytes();
    let ok = b.len() >= 2
        && b.first().is_some_and(u8::is_ascii_alphabetic)
        && b.iter()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'-' | b'_'));
    ok.then_some(())
        .ok_or_else(|| "value does not look like a valid realm".into())
}

/// An IPv4 or IPv6 address.
pub fn ip(raw: &str) -> Result<(), String> {
    raw.parse::<std::net::IpAddr>()
        .map(|_| ())
        .map_err(|_| "value does not look like a valid IP address".into())
}

/// Dot-separated labels of `[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?`.
pub fn dns_name(raw: &str) -> Result<(), String> {
    let ok = raw.split('.').all(|label| node_name(label).is_ok());
    ok.then_some(())
        .ok_or_else(|| "value does not look like a valid DNS name".into())
}

/// An IP address or a DNS name.
pub fn address(raw: &str) -> Result<(), String> {
    if ip(raw).is_ok() || dns_name(raw).is_ok() {
        Ok(())
    } else {
        Err(format!("value does not look like a valid address: {raw}"))
    }
}

/// A guest tag: `[a-z0-9_][a-z0-9_\-\+\.]*`i
pub fn tag(raw: &str) -> Result<(), String> {
    let b = raw.as_bytes();
    let ok = b
        .first()
        .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_')
        && b.iter()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-' | b'+' | b'.'));
    ok.then_some(())
        .ok_or_else(|| format!("invalid tag '{raw}'"))
}
