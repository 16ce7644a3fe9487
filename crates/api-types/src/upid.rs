//! `Upid`: the unique process ID naming a worker task,
//! `UPID:<node>:<pid>:<pstart>:<starttime>:<type>:<id>:<authid>:` with the
//! numbers in upper-case hex (`%08X`).

use crate::macros::serde_via_string;
use crate::{IdError, NodeName};
use std::fmt;
use std::str::FromStr;

/// Largest process start time that still parses back (9 hex digits).
const PSTART_MAX: u64 = 0xF_FFFF_FFFF;

/// The fields of a UPID, for building one.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct UpidParts {
    /// Node the task runs on.
    pub node: NodeName,
    /// Worker process (or thread) ID.
    pub pid: u32,
    /// Process start time in clock ticks since boot (`/proc/<pid>/stat` field 22).
    pub pstart: u64,
    /// Task start, seconds since the epoch.
    pub starttime: u32,
    /// Task type, e.g. `qmstart`, `vzdump`.
    pub worker_type: String,
    /// Task object ID, e.g. a VMID; may be empty.
    pub worker_id: String,
    /// Who started the task (`root@pam`, `user@pve!token`).
    pub authid: String,
}

/// A validated worker task ID.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Upid(UpidParts);

fn parse_error(s: &str) -> IdError {
    IdError::new("upid", format!("unable to parse worker upid '{s}'"))
}

/// Text field rule: no `:` and no whitespace (upstream's `[^:\s]`), and — stricter than
/// upstream — no `/` or NUL, because a UPID names a task log file; `allow_empty` for the
/// task ID.
fn is_field(s: &str, allow_empty: bool) -> bool {
    (allow_empty || !s.is_empty())
        && !s
            .chars()
            .any(|c| c == ':' || c == '/' || c == '\0' || c.is_whitespace())
}

fn hex(s: &str, digits: std::ops::RangeInclusive<usize>) -> Option<u64> {
    if !digits.contains(&s.len()) || !s.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    u64::from_str_radix(s, 16).ok()
}

impl Upid {
    /// Build a UPID, checking that it prints to a parsable string.
    pub fn new(parts: UpidParts) -> Result<Self, IdError> {
        let valid = parts.pstart <= PSTART_MAX
            && is_field(&parts.worker_type, false)
            && is_field(&parts.worker_id, true)
            && is_field(&parts.authid, false);
        if !valid {
            let shown = Upid(parts).to_string();
            return Err(parse_error(&shown));
        }
        Ok(Upid(parts))
    }

    /// All fields.
    pub fn parts(&self) -> &UpidParts {
        &self.0
    }

    /// Node the task runs on.
    pub fn node(&self) -> &NodeName {
        &self.0.node
    }

    /// Worker process ID.
    pub fn pid(&self) -> u32 {
        self.0.pid
    }

    /// Worker process start time (clock ticks since boot).
    pub fn pstart(&self) -> u64 {
        self.0.pstart
    }

    /// Task start time, seconds since the epoch.
    pub fn starttime(&self) -> u32 {
        self.0.starttime
    }

    /// Task type.
    pub fn worker_type(&self) -> &str {
        &self.0.worker_type
    }

    /// Task object ID (may be empty).
    pub fn worker_id(&self) -> &str {
        &self.0.worker_id
    }

    /// Who started the task.
    pub fn authid(&self) -> &str {
        &self.0.authid
    }
}

impl FromStr for Upid {
    type Err = IdError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || parse_error(s);
        let body = s
            .strip_prefix("UPID:")
            .and_then(|b| b.strip_suffix(':'))
            .ok_or_else(err)?;
        // No field may contain ':', so splitting is exact.
        let fields: Vec<&str> = body.split(':').collect();
        let [node, pid, pstart, starttime, worker_type, worker_id, authid] = fields.as_slice()
        else {
            return Err(err());
        };
        let parts = UpidParts {
            node: node.parse().map_err(|_| err())?,
            pid: hex(pid, 8..=8)
                .and_then(|v| u32::try_from(v).ok())
                .ok_or_else(err)?,
            pstart: hex(pstart, 8..=9).ok_or_else(err)?,
            starttime: hex(starttime, 8..=8)
                .and_then(|v| u32::try_from(v).ok())
                .ok_or_else(err)?,
            worker_type: worker_type.to_string(),
            worker_id: worker_id.to_string(),
            authid: authid.to_string(),
        };
        Upid::new(parts).map_err(|_| err())
    }
}

impl fmt::Display for Upid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let p = &self.0;
        write!(
            f,
            "UPID:{}:{:08X}:{:08X}:{:08X}:{}:{}:{}:",
            p.node, p.pid, p.pstart, p.starttime, p.worker_type, p.worker_id, p.authid
        )
    }
}

serde_via_string!(Upid);
