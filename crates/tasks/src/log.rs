//! Task log files: paging through one as `GET .../tasks/{upid}/log` does
//! (`{n, t}` lines, `n` counted from 1, `limit` 0 meaning "to the end", a
//! `no content` line for an empty log). Owns reading only; workers write
//! through `WorkerCtx`.

use serde::Serialize;
use std::fs::File;
use std::io::{self, BufRead, BufReader};
use std::path::Path;

/// Lines returned when the caller gives no limit (upstream's default).
pub const DEFAULT_LOG_LIMIT: u64 = 50;

/// One line of a task log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, virton_schema::ApiType)]
pub struct LogLine {
    /// Line number, from 1.
    pub n: u64,
    /// Line text without the newline.
    pub t: String,
}

/// Up to `limit` lines (all when 0) of a log, skipping the first `start`;
/// returns the total line count too. An unreadable file gives one line saying
/// why, as upstream does.
pub fn read_log_file(path: &Path, start: u64, limit: u64) -> (u64, Vec<LogLine>) {
    match File::open(path) {
        Ok(file) => page(BufReader::new(file), start, limit),
        Err(err) => (
            1,
            vec![LogLine {
                n: 1,
                t: format!("unable to open file - {}", os_message(&err)),
            }],
        ),
    }
}

/// The error text without Rust's ` (os error N)` suffix, like Perl's `$!`.
fn os_message(err: &io::Error) -> String {
    let text = err.to_string();
    match text.find(" (os error ") {
        Some(at) => text[..at].to_string(),
        None => text,
    }
}

fn page(mut reader: impl BufRead, start: u64, limit: u64) -> (u64, Vec<LogLine>) {
    let to_end = limit == 0;
    let mut left = limit;
    let mut count = 0u64;
    let mut lines = Vec::new();
    let mut buf = Vec::new();
    loop {
        buf.clear();
        match reader.read_until(b'\n', &mut buf) {
            Ok(0) | Err(_) => break,
            Ok(_) => {}
        }
        count += 1;
        if count <= start || (!to_end && left == 0) {
            continue;
        }
        left = left.saturating_sub(1);
        let text = buf.strip_suffix(b"\n").unwrap_or(&buf);
        lines.push(LogLine {
            n: count,
            t: String::from_utf8_lossy(text).into_owned(),
        });
    }
    if count == 0 {
        // Upstream's web UI store cannot page an empty list.
        count = 1;
        lines.push(LogLine {
            n: 1,
            t: "no content".to_string(),
        });
    }
    (count, lines)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn numbered(n: u64) -> String {
        (1..=n).map(|i| format!("line {i}\n")).collect()
    }

    #[test]
    fn page_skips_start_and_stops_at_limit_but_counts_all() {
        let (total, lines) = page(numbered(120).as_bytes(), 10, 5);
        assert_eq!(total, 120);
        let ns: Vec<u64> = lines.iter().map(|l| l.n).collect();
        assert_eq!(ns, vec![11, 12, 13, 14, 15]);
        assert_eq!(lines[0].t, "line 11");
    }

    #[test]
    fn page_limit_zero_reads_to_end() {
        let (total, lines) = page(numbered(80).as_bytes(), 70, 0);
        assert_eq!(total, 80);
        assert_eq!(lines.len(), 10);
        assert_eq!(lines[9].n, 80);
    }

    #[test]
    fn page_past_end_is_empty_with_total() {
        let (total, lines) = page(numbered(3).as_bytes(), 10, 50);
        assert_eq!(total, 3);
        assert!(lines.is_empty());
    }

    #[test]
    fn page_last_line_without_newline_counts() {
        let (total, lines) = page("a\nb".as_bytes(), 0, 50);
        assert_eq!(total, 2);
        assert_eq!(lines[1].t, "b");
    }

    #[test]
    fn empty_log_gives_no_content_line() {
        let (total, lines) = page("".as_bytes(), 0, 50);
        assert_eq!(total, 1);
        assert_eq!(
            lines,
            vec![LogLine {
                n: 1,
                t: "no content".into()
            }]
        );
    }

    #[test]
    fn missing_log_gives_unable_to_open_line() {
        let tmp = tempfile::tempdir().unwrap();
        let (total, lines) = read_log_file(&tmp.path().join("nope"), 0, 50);
        assert_eq!(total, 1);
        assert_eq!(
            lines[0].t,
            "unable to open file - No such file or directory"
        );
    }

    #[test]
    fn invalid_utf8_is_replaced_not_refused() {
        let (_, lines) = page(&b"ok\n\xff\xfe\n"[..], 0, 50);
        assert_eq!(lines[1].t, "\u{fffd}\u{fffd}");
    }
}
