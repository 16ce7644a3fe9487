//! Address syntax shared by the network formats: upstream's IPv4/IPv6 regular
//! expressions, CIDR prefixes, netmasks, DNS names and host[:port] pairs.
//!
//! Pure matching; must not depend on the format registry.

use regex::Regex;
use std::sync::OnceLock;

const IPV4_OCTET: &str = "(?:25[0-5]|(?:2[0-4]|1[0-9]|[1-9])?[0-9])";
const IPV6_H16: &str = "(?:[0-9a-fA-F]{1,4})";

/// Upstream's IPv4 address expression (no anchors).
pub fn ipv4_re() -> String {
    format!("(?:(?:{IPV4_OCTET}\\.){{3}}{IPV4_OCTET})")
}

/// Upstream's IPv6 address expression (no anchors): the nine RFC 4291 shapes.
pub fn ipv6_re() -> String {
    let h = IPV6_H16;
    let ls32 = format!("(?:(?:{}|{h}:{h}))", ipv4_re());
    let alternatives = [
        format!("(?:(?:(?:{h}:){{6}}){ls32})"),
        format!("(?:(?:::(?:{h}:){{5}}){ls32})"),
        format!("(?:(?:(?:{h})?::(?:{h}:){{4}}){ls32})"),
        format!("(?:(?:(?:(?:{h}:){{0,1}}{h})?::(?:{h}:){{3}}){ls32})"),
        format!("(?:(?:(?:(?:{h}:){{0,2}}{h})?::(?:{h}:){{2}}){ls32})"),
        format!("(?:(?:(?:(?:{h}:){{0,3}}{h})?::(?:{h}:){{1}}){ls32})"),
        format!("(?:(?:(?:(?:{h}:){{0,4}}{h})?::){ls32})"),
        format!("(?:(?:(?:(?:{h}:){{0,5}}{h})?::){h})"),
        format!("(?:(?:(?:(?:{h}:){{0,6}}{h})?::))"),
    ];
    format!("(?:{})", alternatives.join("|"))
}

fn cached(cell: &'static OnceLock<Regex>, build: fn() -> String) -> &'static Regex {
    // The expressions are constants of this module, covered by its tests.
    cell.get_or_init(|| Regex::new(&build()).expect("constant address regex"))
}

/// True for a dotted-quad IPv4 address as upstream accepts it (no leading zeros).
pub fn is_ipv4(text: &str) -> bool {
    static RE: OnceLock<Regex> = OnceLock::new();
    cached(&RE, || format!("^{}$", ipv4_re())).is_match(text)
}

/// True for an IPv6 address as upstream accepts it (no zone, optional embedded IPv4).
pub fn is_ipv6(text: &str) -> bool {
    static RE: OnceLock<Regex> = OnceLock::new();
    cached(&RE, || format!("^{}$", ipv6_re())).is_match(text)
}

/// Splits `addr/prefix` where prefix is all digits.
fn split_prefix(text: &str) -> Option<(&str, u32)> {
    let (addr, prefix) = text.split_once('/')?;
    if prefix.is_empty() || !prefix.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    // Too many digits for u32 is simply out of range.
    Some((addr, prefix.parse().unwrap_or(u32::MAX)))
}

/// IPv4 network with a prefix length of 8..=32.
pub fn is_cidr_v4(text: &str) -> bool {
    split_prefix(text).is_some_and(|(a, p)| is_ipv4(a) && p > 7 && p <= 32)
}

/// IPv6 network with a prefix length of 8..=128.
pub fn is_cidr_v6(text: &str) -> bool {
    split_prefix(text).is_some_and(|(a, p)| is_ipv6(a) && p > 7 && p <= 128)
}

/// The prefix length of a dotted IPv4 netmask (`255.255.255.0` -> 24).
pub fn netmask_bits(mask: &str) -> Option<u32> {
    if !is_ipv4(mask) {
        return None;
    }
    let value = u32::from(mask.parse::<std::net::Ipv4Addr>().ok()?);
    let bits = value.leading_ones();
    (value.checked_shl(bits).unwrap_or(0) == 0).then_some(bits)
}

/// A DNS name: dot-separated labels of letters, digits and inner dashes.
pub fn is_dns_name(text: &str) -> bool {
    !text.is_empty() && text.split('.').all(is_dns_label)
}

fn is_dns_label(label: &str) -> bool {
    let bytes = label.as_bytes();
    match (bytes.first(), bytes.last()) {
        (Some(first), Some(last)) => {
            first.is_ascii_alphanumeric()
                && last.is_ascii_alphanumeric()
                && bytes
                    .iter()
                    .all(|b| b.is_ascii_alphanumeric() || *b == b'-')
        }
        _ => false,
    }
}

/// Upstream's `parse_host_and_port` acceptance: `host[:port]`, `[host][:port]`,
/// `ipv6[.port]`.
pub fn is_host_and_port(text: &str) -> bool {
    static RE: OnceLock<Regex> = OnceLock::new();
    cached(&RE, || {
        let (v4, v6) = (ipv4_re(), ipv6_re());
        let host = "[[:alnum:]\\-.]+";
        format!(
            "^(?:(?:{v4}|{host})(?::\\d+)?|\\[(?:{v6}|{v4}|{host})\\](?::\\d+)?|{v6}(?:\\.\\d+)?)$"
        )
    })
    .is_match(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ipv4_rejects_leading_zeros_and_large_octets() {
        assert!(is_ipv4("192.168.0.1"));
        assert!(!is_ipv4("192.168.0.01"));
        assert!(!is_ipv4("256.1.1.1"));
        assert!(!is_ipv4("1.2.3"));
    }

    #[test]
    fn ipv6_accepts_compressed_and_embedded_v4() {
        for ok in [
            "::",
            "::1",
            "fe80::1",
            "2001:db8::8a2e:370:7334",
            "::ffff:1.2.3.4",
        ] {
            assert!(is_ipv6(ok), "{ok}");
        }
        for bad in [":::", "1::2::3", "fe80::1%eth0", "12345::"] {
            assert!(!is_ipv6(bad), "{bad}");
        }
    }

    #[test]
    fn cidr_prefix_ranges_match_upstream() {
        assert!(is_cidr_v4("10.0.0.0/8"));
        assert!(!is_cidr_v4("10.0.0.0/7"));
        assert!(!is_cidr_v4("10.0.0.0/33"));
        assert!(is_cidr_v6("fd00::/64"));
        assert!(!is_cidr_v6("fd00::/129"));
    }

    #[test]
    fn netmask_must_be_contiguous() {
        assert_eq!(netmask_bits("255.255.255.0"), Some(24));
        assert_eq!(netmask_bits("0.0.0.0"), Some(0));
        assert_eq!(netmask_bits("255.255.255.255"), Some(32));
        assert_eq!(netmask_bits("255.0.255.0"), None);
    }

    #[test]
    fn host_and_port_forms() {
        for ok in [
            "host",
            "host:3260",
            "1.2.3.4:1",
            "[::1]:3260",
            "fe80::1.3260",
        ] {
            assert!(is_host_and_port(ok), "{ok}");
        }
        assert!(!is_host_and_port("a b"));
    }
}
