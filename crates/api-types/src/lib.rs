//! `virton-api-types`: the identifier newtypes (and later the wire and config
//! types) shared by every layer of VirtOn.
//!
//! L0: pure data, no I/O, no clock, no randomness of its own. Each ID parses
//! with Proxmox VE's validation rules and error wording (`FromStr`), prints its
//! canonical string form (`Display`), and (de)serializes through that form.
//! Must not depend on any VirtOn crate except `virton-schema`.

mod error;
mod mac;
mod macros;
mod names;
mod schema;
mod upid;
mod user;
mod vmid;
mod volume;

pub use error::IdError;
pub use mac::MacAddr;
pub use names::{
    ConfigId, GroupId, NodeName, PoolId, RealmId, RoleId, SnapshotName, StorageId, TokenName,
};
pub use upid::{Upid, UpidParts};
pub use user::{Authid, Userid};
pub use vmid::Vmid;
pub use volume::VolumeId;

#[cfg(test)]
mod tests;
