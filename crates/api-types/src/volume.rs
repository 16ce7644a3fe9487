//! `VolumeId`: a storage volume named `<storage>:<volname>`.

use crate::macros::serde_via_string;
use crate::names::is_storage_like;
use crate::{IdError, StorageId};
use std::fmt;
use std::str::FromStr;

/// A volume on a storage, e.g. `local-lvm:vm-100-disk-0` or
/// `local:iso/debian.iso`. The volume name is opaque here; storage plugins
/// give it meaning.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct VolumeId {
    storage: StorageId,
    volname: String,
}

fn parse_error(s: &str) -> IdError {
    IdError::new("volume", format!("unable to parse volume ID '{s}'"))
}

impl VolumeId {
    /// Join a storage and a (non-empty, single-line) volume name.
    pub fn new(storage: StorageId, volname: impl Into<String>) -> Result<Self, IdError> {
        let volname = volname.into();
        if volname.is_empty() || volname.contains('\n') {
            return Err(parse_error(&format!("{storage}:{volname}")));
        }
        Ok(VolumeId { storage, volname })
    }

    /// The storage part.
    pub fn storage(&self) -> &StorageId {
        &self.storage
    }

    /// The volume name part.
    pub fn volname(&self) -> &str {
        &self.volname
    }
}

impl FromStr for VolumeId {
    type Err = IdError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        // A storage ID cannot contain ':', so the first one separates the parts.
        let (storage, volname) = s.split_once(':').ok_or_else(|| parse_error(s))?;
        if !is_storage_like(storage) || volname.is_empty() || volname.contains('\n') {
            return Err(parse_error(s));
        }
        let storage = storage.parse().map_err(|_| parse_error(s))?;
        Ok(VolumeId {
            storage,
            volname: volname.to_string(),
        })
    }
}

impl fmt::Display for VolumeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.storage, self.volname)
    }
}

serde_via_string!(VolumeId);
