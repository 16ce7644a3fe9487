//! The cluster log: a bounded ring of short messages (who did what, on which node), as
//! `GET /cluster/log` shows it. Newest entries come first; a reader without the right
//! to see everything only gets the entries of its own user.
//!
//! Held in memory per host root; replicating it between nodes belongs to the cluster
//! file system, not here.

use serde::Serialize;
use std::collections::{HashMap, VecDeque};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};
use virton_schema::ApiType;
use virton_sys::HostRoot;

/// Entries kept before the oldest are dropped.
pub const DEFAULT_CAPACITY: usize = 4096;

/// Entries returned when the caller names no maximum (upstream's default).
pub const DEFAULT_MAX: usize = 50;

/// One cluster log entry as the API returns it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ApiType)]
pub struct ClusterLogEntry {
    /// Sequence number of the entry.
    pub uid: u64,
    /// When it was logged (seconds since the epoch).
    pub time: i64,
    /// Syslog priority (0 emergency .. 7 debug).
    pub pri: u8,
    /// Program tag (`pvedaemon`, `virtond`, ...).
    pub tag: String,
    /// Process ID of the logger.
    pub pid: u32,
    /// Node the message comes from.
    pub node: String,
    /// User the message is about.
    pub user: String,
    /// The message.
    pub msg: String,
    /// `<uid>:<node>`.
    pub id: String,
}

/// What a caller logs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEntry<'a> {
    /// When (seconds since the epoch).
    pub time: i64,
    /// Syslog priority.
    pub pri: u8,
    /// Program tag.
    pub tag: &'a str,
    /// Node name.
    pub node: &'a str,
    /// User the message is about.
    pub user: &'a str,
    /// The message.
    pub msg: &'a str,
}

#[derive(Debug, Default)]
struct Ring {
    entries: VecDeque<ClusterLogEntry>,
    next_uid: u64,
}

/// A bounded, thread-safe cluster log.
#[derive(Debug)]
pub struct ClusterLog {
    capacity: usize,
    ring: Mutex<Ring>,
}

impl ClusterLog {
    /// An empty log keeping at most `capacity` entries.
    pub fn new(capacity: usize) -> Self {
        Self {
            capacity: capacity.max(1),
            ring: Mutex::new(Ring::default()),
        }
    }

    /// The process-wide log of `root` (one per root, created on first use).
    pub fn shared(root: &HostRoot) -> Arc<ClusterLog> {
        static LOGS: OnceLock<Mutex<HashMap<PathBuf, Arc<ClusterLog>>>> = OnceLock::new();
        let logs = LOGS.get_or_init(|| Mutex::new(HashMap::new()));
        let mut logs = logs.lock().unwrap_or_else(|e| e.into_inner());
        Arc::clone(
            logs.entry(root.dir().to_path_buf())
                .or_insert_with(|| Arc::new(ClusterLog::new(DEFAULT_CAPACITY))),
        )
    }

    /// Appends an entry and returns it.
    pub fn add(&self, e: &NewEntry<'_>) -> ClusterLogEntry {
        let mut ring = self.ring.lock().unwrap_or_else(|e| e.into_inner());
        ring.next_uid += 1;
        let entry = ClusterLogEntry {
            uid: ring.next_uid,
            time: e.time,
            pri: e.pri.min(7),
            tag: e.tag.to_string(),
            pid: std::process::id(),
            node: e.node.to_string(),
            user: e.user.to_string(),
            msg: e.msg.to_string(),
            id: format!("{}:{}", ring.next_uid, e.node),
        };
        if ring.entries.len() >= self.capacity {
            ring.entries.pop_front();
        }
        ring.entries.push_back(entry.clone());
        entry
    }

    /// Up to `max` entries (0: [`DEFAULT_MAX`]), newest first; with `user`, only that
    /// user's entries.
    pub fn dump(&self, user: Option<&str>, max: usize) -> Vec<ClusterLogEntry> {
        let max = if max == 0 { DEFAULT_MAX } else { max };
        let ring = self.ring.lock().unwrap_or_else(|e| e.into_inner());
        ring.entries
            .iter()
            .rev()
            .filter(|e| user.is_none_or(|u| e.user == u))
            .take(max)
            .cloned()
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry<'a>(user: &'a str, msg: &'a str) -> NewEntry<'a> {
        NewEntry {
            time: 1000,
            pri: 6,
            tag: "virtond",
            node: "n1",
            user,
            msg,
        }
    }

    #[test]
    fn dump_is_newest_first_limited_and_filtered() {
        let log = ClusterLog::new(10);
        log.add(&entry("root@pam", "one"));
        log.add(&entry("a@pve", "two"));
        log.add(&entry("root@pam", "three"));
        let all = log.dump(None, 0);
        let msgs: Vec<&str> = all.iter().map(|e| e.msg.as_str()).collect();
        assert_eq!(msgs, ["three", "two", "one"]);
        assert_eq!(all[0].id, "3:n1");
        assert_eq!(log.dump(None, 1).len(), 1);
        let mine = log.dump(Some("a@pve"), 0);
        assert_eq!(mine.len(), 1);
        assert_eq!(mine[0].msg, "two");
    }

    #[test]
    fn ring_drops_oldest_beyond_capacity() {
        let log = ClusterLog::new(2);
        for m in ["a", "b", "c"] {
            log.add(&entry("root@pam", m));
        }
        let msgs: Vec<String> = log.dump(None, 10).into_iter().map(|e| e.msg).collect();
        assert_eq!(msgs, ["c", "b"]);
    }
}
