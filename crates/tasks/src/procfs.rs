//! The few procfs reads tasks need: a thread's ID and start time (the UPID's
//! pid and pstart) and whether a task's process or thread still runs. All
//! paths go through `HostRoot::proc`. Owns nothing else.

use std::fs;
use virton_sys::HostRoot;

/// The kernel thread ID of the calling thread.
pub(crate) fn gettid() -> u32 {
    // SAFETY: gettid(2) takes no arguments, cannot fail and touches no memory.
    let tid = unsafe { libc::gettid() };
    u32::try_from(tid).unwrap_or(0)
}

/// State letter and start time (clock ticks since boot) from a `stat` line.
fn parse_stat(line: &str) -> Option<(char, u64)> {
    // The command name (field 2) may hold spaces and ')': fields after the
    // last ')' are plain numbers and letters.
    let (_, rest) = line.rsplit_once(')')?;
    let mut fields = rest.split_whitespace();
    let state = fields.next()?.chars().next()?;
    // `rest` starts at field 3 (state); field 22 is the start time.
    let starttime = fields.nth(18)?.parse().ok()?;
    Some((state, starttime))
}

fn read_stat(root: &HostRoot, rel: &str) -> Option<(char, u64)> {
    let path = root.proc(rel).ok()?;
    let text = fs::read_to_string(path).ok()?;
    parse_stat(text.lines().next()?)
}

/// Start time of a thread of this process, from `/proc/self/task/<tid>/stat`.
pub(crate) fn thread_start(root: &HostRoot, tid: u32) -> Option<u64> {
    read_stat(root, &format!("self/task/{tid}/stat")).map(|(_, start)| start)
}

/// Whether `tid` is a live thread of this very process.
pub(crate) fn is_own_thread(root: &HostRoot, tid: u32) -> bool {
    root.proc(format!("self/task/{tid}"))
        .map(|p| p.exists())
        .unwrap_or(false)
}

/// Whether process or thread `pid` runs and started at `pstart` (zombies count
/// as gone), as upstream checks task workers.
pub(crate) fn is_running(root: &HostRoot, pid: u32, pstart: u64) -> bool {
    match read_stat(root, &format!("{pid}/stat")) {
        Some((state, start)) => state != 'Z' && start == pstart,
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_stat_reads_state_and_field_22() {
        let line = "4242 (a (b) c) S 1 4242 4242 0 -1 4194560 100 0 0 0 5 6 0 0 20 0 3 0 987654 123456 789 18446744073709551615";
        assert_eq!(parse_stat(line), Some(('S', 987654)));
    }

    #[test]
    fn parse_stat_truncated_is_none() {
        assert_eq!(parse_stat("1 (x) S 1 2 3"), None);
        assert_eq!(parse_stat("garbage"), None);
    }

    #[test]
    fn own_thread_start_is_readable_and_running() {
        let root = HostRoot::system();
        let tid = gettid();
        let start = thread_start(&root, tid).expect("own thread start");
        assert!(is_own_thread(&root, tid));
        assert!(is_running(&root, tid, start));
        assert!(!is_running(&root, tid, start + 1));
    }
}
