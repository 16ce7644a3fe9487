//! The task lists on disk, in Proxmox VE's formats: `active` (running tasks
//! plus the most recent finished ones, `UPID saved [endtime status]`), and the
//! append-only `index` of finished tasks (`UPID endtime status`), rotated to
//! `index.1` past 50000 bytes. [`update`] is upstream's `active_workers`: it
//! moves tasks whose worker is gone to the index. Owns the formats and the
//! update; whether a task runs is the caller's question.

use crate::layout::{check_file_safe, TaskDir};
use crate::status::read_exit_status;
use crate::TaskError;
use std::collections::HashSet;
use std::fs::{self, OpenOptions};
use std::io::{self, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::time::Duration;
use virton_api_types::Upid;
use virton_sys::{lock_file, replace_file, ReplaceOptions};

/// Index size (bytes) past which it is rotated; upstream's "about 1000 entries".
pub const INDEX_MAX_SIZE: u64 = 50_000;
/// How many tasks (running first, then newest finished) `active` keeps.
pub const MAX_ACTIVE_ENTRIES: usize = 25;
/// How long an update waits for the list lock.
const LOCK_TIMEOUT: Duration = Duration::from_secs(10);

/// One line of `active` or `index`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskEntry {
    /// The task.
    pub upid: Upid,
    /// Already appended to the index (only meaningful in `active`).
    pub saved: bool,
    /// When the task was seen finished, seconds since the epoch.
    pub endtime: Option<u32>,
    /// Exit status once finished.
    pub status: Option<String>,
}

impl TaskEntry {
    pub(crate) fn fresh(upid: Upid) -> Self {
        TaskEntry {
            upid,
            saved: false,
            endtime: None,
            status: None,
        }
    }
}

/// Split `" XXXXXXXX[ status]"` (or nothing) into end time and status.
fn parse_tail(
    rest: &str,
    status_may_lead_with_space: bool,
) -> Option<(Option<u32>, Option<String>)> {
    if rest.is_empty() {
        return Some((None, None));
    }
    let rest = strip_ws(rest)?;
    let (hex, status) = match rest.get(..8) {
        Some(hex) => (hex, &rest[8..]),
        None => return None,
    };
    // Upstream's pattern admits any alphanumerics here and then reads them as
    // hex; only real hex is taken, so a line reads back as it was written.
    if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let endtime = Some(u32::from_str_radix(hex, 16).ok()?);
    if status.is_empty() {
        return Some((endtime, None));
    }
    let status = strip_ws(status)?;
    let text = if status_may_lead_with_space {
        status.trim_start()
    } else {
        status
    };
    if text.is_empty() || text.starts_with(char::is_whitespace) {
        return None;
    }
    Some((endtime, Some(status.to_string())))
}

fn strip_ws(s: &str) -> Option<&str> {
    let mut chars = s.chars();
    chars.next().filter(|c| c.is_whitespace())?;
    Some(chars.as_str())
}

fn split_upid(line: &str) -> Option<(Upid, &str)> {
    let end = line.find(char::is_whitespace).unwrap_or(line.len());
    let upid: Upid = line[..end].parse().ok()?;
    check_file_safe(&upid).ok()?;
    Some((upid, &line[end..]))
}

/// Parse an `active` line: `UPID 0|1[ ENDTIME[ STATUS]]`.
pub fn parse_active_line(line: &str) -> Option<TaskEntry> {
    let (upid, rest) = split_upid(line)?;
    let rest = strip_ws(rest)?;
    let saved = match rest.get(..1)? {
        "0" => false,
        "1" => true,
        _ => return None,
    };
    let (endtime, status) = parse_tail(&rest[1..], true)?;
    Some(TaskEntry {
        upid,
        saved,
        endtime,
        status,
    })
}

/// Parse an `index` line: `UPID[ ENDTIME[ STATUS]]`.
pub fn parse_index_line(line: &str) -> Option<TaskEntry> {
    let (upid, rest) = split_upid(line)?;
    let (endtime, status) = parse_tail(rest, false)?;
    Some(TaskEntry {
        upid,
        saved: true,
        endtime,
        status,
    })
}

/// Format an `active` line (without newline).
pub fn format_active_line(e: &TaskEntry) -> String {
    let saved = u8::from(e.saved);
    match (e.endtime, &e.status) {
        (Some(end), Some(status)) => format!("{} {saved} {end:08X} {status}", e.upid),
        (Some(end), None) => format!("{} {saved} {end:08X}", e.upid),
        (None, _) => format!("{} {saved}", e.upid),
    }
}

/// Format an `index` line (without newline).
pub fn format_index_line(e: &TaskEntry) -> String {
    match (e.endtime, &e.status) {
        (Some(end), Some(status)) => format!("{} {end:08X} {status}", e.upid),
        (Some(end), None) => format!("{} {end:08X}", e.upid),
        (None, _) => e.upid.to_string(),
    }
}

/// Read `active`; a missing file is an empty list, unreadable lines are skipped.
pub fn read_active(dir: &TaskDir) -> Result<Vec<TaskEntry>, TaskError> {
    let path = dir.active();
    match fs::read_to_string(&path) {
        Ok(text) => Ok(text.lines().filter_map(parse_active_line).collect()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(Vec::new()),
        Err(e) => Err(TaskError::io(path)(e)),
    }
}

fn write_active(dir: &TaskDir, list: &[TaskEntry]) -> Result<(), TaskError> {
    let mut text = String::new();
    for e in list {
        text.push_str(&format_active_line(e));
        text.push('\n');
    }
    // No fsync: the list is rebuilt from the logs after a crash, and task
    // start must stay cheap.
    let opts = ReplaceOptions {
        mode: 0o644,
        owner: None,
        fsync: false,
    };
    replace_file(&dir.active(), text.as_bytes(), opts)?;
    Ok(())
}

/// Append the unsaved finished tasks to the index (rotating it when too big);
/// returns whether there were any.
fn archive(dir: &TaskDir, finished: &mut [TaskEntry]) -> bool {
    let mut text = String::new();
    for e in finished.iter().filter(|e| !e.saved) {
        text.push_str(&format_index_line(e));
        text.push('\n');
    }
    if text.is_empty() {
        return false;
    }
    let path = dir.index();
    let appended = OpenOptions::new()
        .append(true)
        .create(true)
        .mode(0o644)
        .open(&path)
        .and_then(|mut f| {
            f.write_all(text.as_bytes())?;
            f.metadata().map(|m| m.len())
        });
    // On failure the tasks stay unsaved and the next update tries again.
    if let Ok(size) = appended {
        finished.iter_mut().for_each(|e| e.saved = true);
        if size > INDEX_MAX_SIZE {
            let _ = fs::rename(&path, dir.index_old());
        }
    }
    true
}

/// Bring `active` and `index` up to date and return the new active list.
///
/// Tasks of `ours` not listed yet are added. Every listed task for which
/// `running` is false gets an end time (`now`) and the exit status from its
/// log, and is appended to the index once.
pub fn update(
    dir: &TaskDir,
    ours: &[Upid],
    running: &dyn Fn(&Upid) -> bool,
    now: u32,
) -> Result<Vec<TaskEntry>, TaskError> {
    let _lock = lock_file(&dir.active_lock(), LOCK_TIMEOUT)?;
    let mut seen = HashSet::new();
    let mut listed = Vec::new();
    for e in read_active(dir)? {
        if seen.insert(e.upid.to_string()) {
            listed.push(e);
        }
    }
    let mut save = false;
    for upid in ours {
        if seen.insert(upid.to_string()) {
            listed.push(TaskEntry::fresh(upid.clone()));
            save = true;
        }
    }
    let (mut live, mut done): (Vec<_>, Vec<_>) = listed.into_iter().partition(|e| running(&e.upid));
    done.sort_by_key(|e| std::cmp::Reverse(e.upid.starttime()));
    for e in done.iter_mut().filter(|e| e.endtime.is_none()) {
        e.endtime = Some(now);
        e.status = Some(read_exit_status(&dir.log_path(&e.upid)?));
        save = true;
    }
    save |= archive(dir, &mut done);
    let keep = MAX_ACTIVE_ENTRIES.saturating_sub(live.len());
    live.extend(done.into_iter().take(keep));
    if save {
        write_active(dir, &live)?;
    }
    Ok(live)
}

#[cfg(test)]
mod tests;
