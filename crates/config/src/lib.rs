//! Configuration file grammars: every `/etc/pve` file and host file VirtOn reads or writes.
//!
//! One module per file format. Each format is a typed model with a parser and a writer:
//! an unchanged file reads back byte-identical, a changed one is written canonically, and
//! malformed input gives a [`ParseError`] naming file, line and key (never a panic).
//! Parsing and writing are pure (`&str` in, `String` out); [`store`] adds the shared
//! read-with-digest / lock / atomic-write shape on top of a [`virton_sys::HostRoot`].
//!
//! Must not depend on: anything above L1 (`access`, `storage`, `qemu`, ... , `api`).

pub mod apt;
pub mod calendar;
pub mod corosync;
pub mod datacenter;
pub mod digest;
pub mod domains;
pub mod error;
pub mod format;
pub mod guest;
pub mod interfaces;
pub mod section;
pub mod status;
pub mod storage;
pub mod store;
pub mod user_cfg;

pub use digest::Digest;
pub use error::ParseError;
pub use format::{Document, Format};
