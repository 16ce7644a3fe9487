//! Task outcomes: the final log line a worker writes (`TASK OK`,
//! `TASK WARNINGS: N`, `TASK ERROR: msg`), reading it back as the exit status,
//! the status classes the task list filters on, and the `TaskStatus` reply of
//! `GET /nodes/{node}/tasks/{upid}/status`. Owns nothing else.

use serde::Serialize;
use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::Path;
use std::str::FromStr;
use virton_api_types::{Authid, Upid};

/// Exit status of a task whose log does not end in a result line.
pub const UNEXPECTED_STATUS: &str = "unexpected status";

/// How a worker ended, before it becomes the final log line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Outcome {
    Ok,
    Warnings(u64),
    Error(String),
}

impl Outcome {
    /// The final log line, without newline. Error text is one line: upstream
    /// trims a trailing newline and turns inner ones into spaces.
    pub(crate) fn final_line(&self) -> String {
        match self {
            Outcome::Ok => "TASK OK".to_string(),
            Outcome::Warnings(n) => format!("TASK WARNINGS: {n}"),
            Outcome::Error(msg) => {
                let msg = msg.strip_suffix('\n').unwrap_or(msg);
                format!("TASK ERROR: {}", msg.replace('\n', " "))
            }
        }
    }
}

/// The exit status stored in a task log's last line: `OK`, `WARNINGS: N`,
/// the error text, or [`UNEXPECTED_STATUS`].
pub fn read_exit_status(log: &Path) -> String {
    match last_line(log) {
        Ok(Some(line)) => parse_final_line(&line),
        Ok(None) => UNEXPECTED_STATUS.to_string(),
        Err(err) => format!("unable to get last line from task log - {err}"),
    }
}

fn parse_final_line(line: &str) -> String {
    if line == "TASK OK" {
        return "OK".to_string();
    }
    if let Some(msg) = line.strip_prefix("TASK ERROR: ") {
        if !msg.is_empty() {
            return msg.to_string();
        }
    }
    if let Some(w) = line.strip_prefix("TASK ") {
        let digits = w.strip_prefix("WARNINGS: ").unwrap_or("");
        if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
            return w.to_string();
        }
    }
    UNEXPECTED_STATUS.to_string()
}

/// The last line of a file (one trailing newline ignored); `None` when the
/// file does not exist.
fn last_line(path: &Path) -> io::Result<Option<String>> {
    const CHUNK: u64 = 4096;
    let mut file = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e),
    };
    let end = file.seek(SeekFrom::End(0))?;
    let mut buf: Vec<u8> = Vec::new();
    let mut pos = end;
    while pos > 0 {
        let read = pos.min(CHUNK);
        pos -= read;
        file.seek(SeekFrom::Start(pos))?;
        let mut chunk = vec![0u8; usize::try_from(read).unwrap_or(0)];
        file.read_exact(&mut chunk)?;
        chunk.extend_from_slice(&buf);
        buf = chunk;
        let body = buf.strip_suffix(b"\n").unwrap_or(&buf);
        if let Some(nl) = body.iter().rposition(|&b| b == b'\n') {
            return Ok(Some(String::from_utf8_lossy(&body[nl + 1..]).into_owned()));
        }
    }
    let body = buf.strip_suffix(b"\n").unwrap_or(&buf);
    Ok(Some(String::from_utf8_lossy(body).into_owned()))
}

/// Whether an exit status counts as failed (anything but `OK` and warnings).
pub fn status_is_error(status: &str) -> bool {
    classify(Some(status)) != StatusClass::Ok && classify(Some(status)) != StatusClass::Warning
}

/// The classes `statusfilter` selects on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum StatusClass {
    /// `OK`.
    Ok,
    /// `WARNINGS: N`.
    Warning,
    /// Any error text.
    Error,
    /// No status yet (running) or [`UNEXPECTED_STATUS`].
    Unknown,
}

impl FromStr for StatusClass {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "ok" => Ok(StatusClass::Ok),
            "warning" => Ok(StatusClass::Warning),
            "error" => Ok(StatusClass::Error),
            "unknown" => Ok(StatusClass::Unknown),
            _ => Err(format!("value '{s}' does not have a value in the enumeration 'ok, warning, error, unknown'")),
        }
    }
}

/// The class of an exit status; `None` (still running) is unknown.
pub fn classify(status: Option<&str>) -> StatusClass {
    match status {
        None | Some("") => StatusClass::Unknown,
        Some("OK") => StatusClass::Ok,
        Some(s) if s == UNEXPECTED_STATUS => StatusClass::Unknown,
        Some(s) => match s.strip_prefix("WARNINGS: ") {
            Some(n) if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) => {
                StatusClass::Warning
            }
            _ => StatusClass::Error,
        },
    }
}

/// Whether a task is still running.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, virton_schema::ApiType)]
#[serde(rename_all = "lowercase")]
pub enum RunState {
    /// The worker still runs.
    Running,
    /// The worker ended (or vanished).
    Stopped,
}

/// The reply of `GET /nodes/{node}/tasks/{upid}/status`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, virton_schema::ApiType)]
pub struct TaskStatus {
    /// Running or stopped.
    pub status: RunState,
    /// Exit status once stopped.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exitstatus: Option<String>,
    /// The task ID.
    pub upid: String,
    /// Node the task runs on.
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
    /// User who started the task (without the token part).
    pub user: String,
    /// API token name, when a token started the task.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tokenid: Option<String>,
}

/// Split a UPID's user field into user and token name, as upstream does for
/// task replies; a field that is no token ID stays whole.
pub fn split_user(field: &str) -> (String, Option<String>) {
    match field.parse::<Authid>() {
        Ok(auth) => match auth.token_name() {
            Some(token) => (auth.user().to_string(), Some(token.to_string())),
            None => (field.to_string(), None),
        },
        Err(_) => (field.to_string(), None),
    }
}

impl TaskStatus {
    /// The status of `upid` given whether it runs and, if not, its exit status.
    pub(crate) fn new(upid: &Upid, exitstatus: Option<String>) -> Self {
        let (user, tokenid) = split_user(upid.authid());
        TaskStatus {
            status: if exitstatus.is_some() {
                RunState::Stopped
            } else {
                RunState::Running
            },
            exitstatus,
            upid: upid.to_string(),
            node: upid.node().to_string(),
            pid: upid.pid(),
            pstart: upid.pstart(),
            starttime: upid.starttime(),
            ty: upid.worker_type().to_string(),
            id: upid.worker_id().to_string(),
            user,
            tokenid,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn final_lines_read_back_as_exit_status() {
        let tmp = tempfile::tempdir().unwrap();
        let log = tmp.path().join("log");
        for (outcome, expected) in [
            (Outcome::Ok, "OK"),
            (Outcome::Warnings(3), "WARNINGS: 3"),
            (
                Outcome::Error("boom\nsecond line\n".into()),
                "boom second line",
            ),
        ] {
            std::fs::write(&log, format!("line\n{}\n", outcome.final_line())).unwrap();
            assert_eq!(read_exit_status(&log), expected);
        }
    }

    #[test]
    fn log_without_result_line_is_unexpected_status() {
        let tmp = tempfile::tempdir().unwrap();
        let log = tmp.path().join("log");
        assert_eq!(read_exit_status(&log), UNEXPECTED_STATUS);
        std::fs::write(&log, "").unwrap();
        assert_eq!(read_exit_status(&log), UNEXPECTED_STATUS);
        std::fs::write(&log, "working\n").unwrap();
        assert_eq!(read_exit_status(&log), UNEXPECTED_STATUS);
        std::fs::write(&log, "TASK WARNINGS: x\n").unwrap();
        assert_eq!(read_exit_status(&log), UNEXPECTED_STATUS);
    }

    #[test]
    fn last_line_spanning_chunks_is_read_whole() {
        let tmp = tempfile::tempdir().unwrap();
        let log = tmp.path().join("log");
        let long = "x".repeat(10_000);
        std::fs::write(&log, format!("first\nTASK ERROR: {long}\n")).unwrap();
        assert_eq!(read_exit_status(&log), long);
    }

    #[test]
    fn classify_matches_upstream_classes() {
        assert_eq!(classify(None), StatusClass::Unknown);
        assert_eq!(classify(Some("OK")), StatusClass::Ok);
        assert_eq!(classify(Some("WARNINGS: 2")), StatusClass::Warning);
        assert_eq!(classify(Some(UNEXPECTED_STATUS)), StatusClass::Unknown);
        assert_eq!(classify(Some("command failed")), StatusClass::Error);
        assert!(status_is_error("command failed"));
        assert!(!status_is_error("WARNINGS: 1"));
    }

    #[test]
    fn split_user_separates_token() {
        assert_eq!(
            split_user("alice@pve!ci"),
            ("alice@pve".to_string(), Some("ci".to_string()))
        );
        assert_eq!(split_user("root@pam"), ("root@pam".to_string(), None));
    }
}
