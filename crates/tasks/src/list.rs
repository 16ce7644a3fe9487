//! Listing tasks as `GET /nodes/{node}/tasks` does: unsaved entries of
//! `active` (source `active`/`all`), then `index` and `index.1` newest first
//! (source `archive`/`all`), filtered by user, type, VMID, start time window and
//! status class, paged with `start`/`limit` while counting every match as the
//! total. Owns the filter semantics; who may see which task is decided by the
//! caller through [`TaskFilter::visible_to`].

use crate::archive::{parse_index_line, read_active, TaskEntry};
use crate::layout::TaskDir;
use crate::status::{classify, split_user, StatusClass};
use crate::TaskError;
use serde::Serialize;
use std::collections::HashSet;
use std::fs;
use std::io;
use std::path::Path;
use virton_api_types::Upid;

/// Which lists to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TaskSource {
    /// Finished tasks from the index (upstream's default).
    #[default]
    Archive,
    /// Running (not yet archived) tasks.
    Active,
    /// Both, running first.
    All,
}

/// Parameters of a task list query; `Default` gives upstream's defaults.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskFilter {
    /// Matches to skip.
    pub start: u64,
    /// Entries to return at most.
    pub limit: u64,
    /// Case-insensitive substring of the user.
    pub userfilter: Option<String>,
    /// Exact task type.
    pub typefilter: Option<String>,
    /// Exact task ID equal to this VMID.
    pub vmid: Option<u32>,
    /// Tasks started at or after this epoch.
    pub since: Option<i64>,
    /// Tasks started at or before this epoch.
    pub until: Option<i64>,
    /// Only these status classes (ignored when `errors` is set).
    pub statusfilter: Option<Vec<StatusClass>>,
    /// Leave out successful tasks.
    pub errors: bool,
    /// Which lists to read.
    pub source: TaskSource,
    /// `None` lists every task (the caller has `Sys.Audit` on the node);
    /// `Some(authid)` only that user's tasks, or a token's own.
    pub visible_to: Option<String>,
}

impl Default for TaskFilter {
    fn default() -> Self {
        TaskFilter {
            start: 0,
            limit: 50,
            userfilter: None,
            typefilter: None,
            vmid: None,
            since: None,
            until: None,
            statusfilter: None,
            errors: false,
            source: TaskSource::Archive,
            visible_to: None,
        }
    }
}

/// Parse a `statusfilter` list (`ok,error warning`), case-insensitive.
pub fn parse_status_filter(text: &str) -> Result<Vec<StatusClass>, String> {
    text.split(|c: char| c == ',' || c == ';' || c == '\0' || c.is_whitespace())
        .filter(|s| !s.is_empty())
        .map(str::parse)
        .collect()
}

/// One task of the list reply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, virton_schema::ApiType)]
pub struct TaskListEntry {
    /// The task ID.
    pub upid: String,
    /// Node the task ran on.
    pub node: String,
    /// Worker thread ID.
    pub pid: u32,
    /// Worker start in clock ticks since boot.
    pub pstart: u64,
    /// Task start, seconds since the epoch.
    pub starttime: u32,
    /// Task type.
    #[serde(rename = "type")]
    pub ty: String,
    /// Task object ID.
    pub id: String,
    /// User who started it (without the token part).
    pub user: String,
    /// API token name, when a token started it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tokenid: Option<String>,
    /// When it finished.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub endtime: Option<u32>,
    /// Exit status, or `RUNNING` for running tasks of the active list.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
}

impl From<&TaskEntry> for TaskListEntry {
    fn from(e: &TaskEntry) -> Self {
        let (user, tokenid) = split_user(e.upid.authid());
        TaskListEntry {
            upid: e.upid.to_string(),
            node: e.upid.node().to_string(),
            pid: e.upid.pid(),
            pstart: e.upid.pstart(),
            starttime: e.upid.starttime(),
            ty: e.upid.worker_type().to_string(),
            id: e.upid.worker_id().to_string(),
            user,
            tokenid,
            endtime: e.endtime,
            status: e.status.clone(),
        }
    }
}

/// Applies a filter and the paging, counting every match.
struct Selector<'a> {
    filter: &'a TaskFilter,
    classes: [bool; 4],
    count: u64,
    left: u64,
    out: Vec<TaskListEntry>,
}

fn class_index(c: StatusClass) -> usize {
    match c {
        StatusClass::Ok => 0,
        StatusClass::Warning => 1,
        StatusClass::Error => 2,
        StatusClass::Unknown => 3,
    }
}

impl<'a> Selector<'a> {
    fn new(filter: &'a TaskFilter) -> Self {
        let mut classes = [true; 4];
        match (&filter.statusfilter, filter.errors) {
            (Some(wanted), false) => {
                classes = [false; 4];
                wanted.iter().for_each(|c| classes[class_index(*c)] = true);
            }
            (_, true) => classes[class_index(StatusClass::Ok)] = false,
            (None, false) => {}
        }
        Selector {
            filter,
            classes,
            count: 0,
            left: filter.limit,
            out: Vec::new(),
        }
    }

    fn visible(&self, t: &TaskListEntry) -> bool {
        let Some(who) = &self.filter.visible_to else {
            return true;
        };
        match &t.tokenid {
            Some(token) => *who == format!("{}!{token}", t.user) || *who == t.user,
            None => *who == t.user,
        }
    }

    fn matches(&self, t: &TaskListEntry) -> bool {
        let f = self.filter;
        let user_ok = f
            .userfilter
            .as_ref()
            .is_none_or(|u| u.is_empty() || t.user.to_lowercase().contains(&u.to_lowercase()));
        let type_ok = f
            .typefilter
            .as_ref()
            .is_none_or(|ty| ty.is_empty() || *ty == t.ty);
        let vmid_ok = f.vmid.is_none_or(|v| v == 0 || t.id == v.to_string());
        let start = i64::from(t.starttime);
        let time_ok = f.since.is_none_or(|s| start >= s) && f.until.is_none_or(|u| start <= u);
        let class = classify(t.status.as_deref());
        user_ok
            && self.visible(t)
            && type_ok
            && vmid_ok
            && time_ok
            && self.classes[class_index(class)]
    }

    /// Count a matching task and keep it when inside the page.
    fn offer(&mut self, mut t: TaskListEntry, running_label: bool) {
        if !self.matches(&t) {
            return;
        }
        self.count += 1;
        if self.count <= self.filter.start || self.left == 0 {
            return;
        }
        if running_label && t.status.is_none() {
            t.status = Some("RUNNING".to_string());
        }
        self.left -= 1;
        self.out.push(t);
    }
}

/// Read an index file newest line first; a missing file is empty.
fn offer_index(sel: &mut Selector<'_>, path: &Path) -> Result<(), TaskError> {
    let text = match fs::read(path) {
        Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(TaskError::io(path)(e)),
    };
    for entry in text.lines().rev().filter_map(parse_index_line) {
        sel.offer(TaskListEntry::from(&entry), false);
    }
    Ok(())
}

/// List tasks; returns the number of matches (the reply's `total`) and the page.
///
/// `unlisted` are running tasks that may not be in `active` yet; they count as
/// active entries after the listed ones.
pub fn list(
    dir: &TaskDir,
    filter: &TaskFilter,
    unlisted: &[Upid],
) -> Result<(u64, Vec<TaskListEntry>), TaskError> {
    let mut sel = Selector::new(filter);
    if matches!(filter.source, TaskSource::Active | TaskSource::All) {
        let listed = read_active(dir)?;
        let known: HashSet<String> = listed.iter().map(|e| e.upid.to_string()).collect();
        let extra = unlisted
            .iter()
            .filter(|u| !known.contains(&u.to_string()))
            .map(|u| TaskEntry::fresh(u.clone()));
        // Saved entries are already in the index.
        for entry in listed.into_iter().filter(|e| !e.saved).chain(extra) {
            sel.offer(TaskListEntry::from(&entry), true);
        }
    }
    if filter.source != TaskSource::Active {
        offer_index(&mut sel, &dir.index())?;
        offer_index(&mut sel, &dir.index_old())?;
    }
    Ok((sel.count, sel.out))
}

#[cfg(test)]
mod tests;
