//! `Vmid`: the numeric ID of a guest (VM or container), 100..=999999999.

use crate::IdError;
use std::fmt;
use std::str::FromStr;

/// A guest ID. On the wire it is a JSON integer; strings of digits are
/// accepted too, as the API receives form-encoded parameters as text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Vmid(u32);

impl Vmid {
    /// Smallest valid guest ID.
    pub const MIN: u32 = 100;
    /// Largest valid guest ID.
    pub const MAX: u32 = 999_999_999;

    /// A guest ID from a number, checked against the range.
    pub fn new(id: u32) -> Result<Self, IdError> {
        if id < Self::MIN {
            Err(IdError::new(
                "vmid",
                format!("value must have a minimum value of {}", Self::MIN),
            ))
        } else if id > Self::MAX {
            Err(IdError::new(
                "vmid",
                format!("value must have a maximum value of {}", Self::MAX),
            ))
        } else {
            Ok(Vmid(id))
        }
    }

    /// The number.
    pub fn get(self) -> u32 {
        self.0
    }
}

impl FromStr for Vmid {
    type Err = IdError;

    /// `pve-vmid` format: no sign, no leading zero, 3 to 9 digits.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let digits_ok = (3..=9).contains(&s.len())
            && s.bytes().all(|b| b.is_ascii_digit())
            && !s.starts_with('0');
        match s.parse::<u32>() {
            Ok(n) if digits_ok => Ok(Vmid(n)),
            _ => Err(IdError::new(
                "vmid",
                "value does not look like a valid VM ID",
            )),
        }
    }
}

impl fmt::Display for Vmid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl TryFrom<u32> for Vmid {
    type Error = IdError;
    fn try_from(id: u32) -> Result<Self, Self::Error> {
        Vmid::new(id)
    }
}

impl From<Vmid> for u32 {
    fn from(id: Vmid) -> u32 {
        id.0
    }
}

impl serde::Serialize for Vmid {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_u32(self.0)
    }
}

impl<'de> serde::Deserialize<'de> for Vmid {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(VmidVisitor)
    }
}

struct VmidVisitor;

impl serde::de::Visitor<'_> for VmidVisitor {
    type Value = Vmid;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a VM ID (integer 100..=999999999)")
    }

    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Vmid, E> {
        let id = u32::try_from(v).unwrap_or(u32::MAX);
        Vmid::new(id).map_err(E::custom)
    }

    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Vmid, E> {
        let id = u32::try_from(v.max(0)).unwrap_or(u32::MAX);
        Vmid::new(id).map_err(E::custom)
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Vmid, E> {
        v.parse().map_err(E::custom)
    }
}
