//! `virton-sys`: the host side effects of VirtOn behind small, testable pieces.
//!
//! L1 platform crate. It owns [`HostRoot`] (where every host path comes from),
//! atomic file replacement, flock(2) file locks, running external commands
//! through [`CommandRunner`] (with a recording fake), and the host-facts probe.
//! It must not depend on any VirtOn crate above L0 and holds no domain logic.

pub mod atomic;
pub mod command;
pub mod facts;
pub mod lock;
pub mod root;

pub use atomic::{replace_file, ReplaceError, ReplaceOptions};
pub use command::{
    ArgvPattern, CommandError, CommandOutput, CommandRunner, CommandSpec, FakeResponse, FakeRunner,
    SystemRunner,
};
pub use facts::{FactsError, HostFacts, KvmState};
pub use lock::{lock_file, lock_file_mode, LockError, LockGuard, LockMode};
pub use root::{HostRoot, PathError};
