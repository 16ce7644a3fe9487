//! `MacAddr`: a unicast MAC address (`mac-addr` format) and the generator
//! for new guest NICs.

use crate::macros::string_id;
use crate::IdError;

/// `[a-f0-9][02468ace](:[a-f0-9]{2}){5}`, case-insensitive: six hex octets,
/// the I/G (multicast) bit of the first one clear.
fn check_mac(s: &str) -> Result<(), IdError> {
    if parse_octets(s).is_some_and(|o| o[0] & 1 == 0) {
        Ok(())
    } else {
        Err(IdError::new(
            "mac",
            "value does not look like a valid unicast MAC address",
        ))
    }
}

fn parse_octets(s: &str) -> Option<[u8; 6]> {
    let mut out = [0u8; 6];
    let mut parts = s.split(':');
    for slot in out.iter_mut() {
        let part = parts.next()?;
        if part.len() != 2 || !part.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        *slot = u8::from_str_radix(part, 16).ok()?;
    }
    parts.next().is_none().then_some(out)
}

string_id!(
    /// A unicast MAC address. The text is kept as written (upper or lower
    /// case), so a config file that is rewritten keeps its spelling.
    MacAddr,
    check_mac
);

impl MacAddr {
    /// The six octets.
    pub fn octets(&self) -> [u8; 6] {
        // Construction validated the text; the fallback is unreachable.
        parse_octets(&self.0).unwrap_or_default()
    }

    /// A MAC from octets, written upper-case as Proxmox VE generates them.
    pub fn from_octets(octets: [u8; 6]) -> Result<Self, IdError> {
        let [a, b, c, d, e, f] = octets;
        format!("{a:02X}:{b:02X}:{c:02X}:{d:02X}:{e:02X}:{f:02X}").parse()
    }

    /// Generate a locally administered unicast address from six random bytes
    /// supplied by `fill` (the caller owns the randomness, keeping this pure).
    /// With a `prefix` such as `BC:24:11`, the address starts with it
    /// (upper-cased) instead of the random text.
    pub fn generate(
        prefix: Option<&str>,
        fill: impl FnOnce(&mut [u8; 6]),
    ) -> Result<Self, IdError> {
        let mut bytes = [0u8; 6];
        fill(&mut bytes);
        // Clear the multicast bit, set the locally administered bit.
        bytes[0] = (bytes[0] & 0xfe) | 0x02;
        let [a, b, c, d, e, f] = bytes;
        let random = format!("{a:02X}:{b:02X}:{c:02X}:{d:02X}:{e:02X}:{f:02X}");
        let text = match prefix {
            None => random,
            Some(prefix) => {
                let rest = random
                    .get(prefix.len()..)
                    .ok_or_else(|| bad_prefix(prefix))?;
                format!("{}{rest}", prefix.to_ascii_uppercase())
            }
        };
        text.parse()
            .map_err(|_| bad_prefix(prefix.unwrap_or_default()))
    }
}

fn bad_prefix(prefix: &str) -> IdError {
    IdError::new("mac", format!("invalid MAC address prefix '{prefix}'"))
}
