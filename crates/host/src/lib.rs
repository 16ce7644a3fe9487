//! `virton-host`: what one node knows about itself and the guests it sees.
//!
//! L2 domain crate (sync). It owns the node status read from procfs and statvfs
//! ([`node`]), the guest list scanned from `etc/pve/nodes/*/{qemu-server,lxc}/*.conf`
//! with a cache keyed by file stamps ([`vmlist`]), the cluster-wide resource index
//! built from those plus `storage.cfg` and `user.cfg` ([`resources`]), the cluster
//! membership as this node sees it ([`cluster`]) and the in-memory cluster log ring
//! ([`clog`]).
//!
//! Must not depend on the router, the API crate or anything HTTP; every host path comes
//! from a [`virton_sys::HostRoot`].

pub mod clog;
pub mod cluster;
pub mod fs;
pub mod node;
pub mod resources;
pub mod vmlist;

pub use clog::{ClusterLog, ClusterLogEntry};
pub use node::{NodeStatus, NodeStatusReader, NodeSummary};
pub use resources::{cluster_resources, ResourceEntry, ResourceQuery, ResourceType};
pub use vmlist::{GuestInfo, GuestType, VmList, VmListCache};
