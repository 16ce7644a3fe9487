//! `/cluster/jobs`: the jobs index and `schedule-analyze`, which lists the next times a
//! calendar event fires, evaluated in the node's time zone.

use crate::types::{DirEntry, NoParams};
use crate::Context;
use serde::{Deserialize, Serialize};
use virton_config::calendar::{CalendarEvent, TimeZone};
use virton_router::{ApiError, ApiMethod, Permission, Router, RpcEnv};
use virton_schema::ApiType;
use virton_sys::HostRoot;

/// Parameters of `GET /cluster/jobs/schedule-analyze`.
#[derive(Debug, Deserialize, ApiType)]
pub struct AnalyzeParams {
    /// The calendar event to evaluate (systemd-like syntax).
    #[api(max_length = 128)]
    pub schedule: String,
    /// Start the computation at this time (default: now).
    pub starttime: Option<i64>,
    /// Number of event times to compute.
    #[api(minimum = 1, maximum = 100, default = "10")]
    pub iterations: Option<u32>,
}

/// One computed event time.
#[derive(Debug, Serialize, ApiType)]
pub struct EventTime {
    /// Seconds since the epoch.
    pub timestamp: i64,
    /// The time in UTC, in C `asctime` form.
    pub utc: String,
}

/// The node's time zone: `etc/timezone` (a zone name) or `etc/localtime` (TZif data)
/// below the root, else UTC.
fn system_time_zone(root: &HostRoot) -> TimeZone {
    let by_name = std::fs::read_to_string(root.etc().join("timezone"))
        .ok()
        .and_then(|n| TimeZone::get(n.trim()).ok());
    by_name
        .or_else(|| {
            let data = std::fs::read(root.etc().join("localtime")).ok()?;
            TimeZone::tzif("localtime", &data).ok()
        })
        .unwrap_or(TimeZone::UTC)
}

/// `Thu Sep  4 12:00:00 2025` for an epoch time (what Perl's `scalar gmtime` prints).
pub fn asctime_utc(t: i64) -> String {
    const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let days = t.div_euclid(86_400);
    let secs = t.rem_euclid(86_400);
    // Civil date from days since 1970-01-01 (H. Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    let weekday = DAYS[days.rem_euclid(7) as usize];
    let month_name = MONTHS[(month - 1).clamp(0, 11) as usize];
    format!(
        "{weekday} {month_name} {day:>2} {:02}:{:02}:{:02} {year}",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

fn analyze_schedule(
    ctx: &Context,
    _env: &RpcEnv,
    p: AnalyzeParams,
) -> Result<Vec<EventTime>, ApiError> {
    let event = CalendarEvent::parse(&p.schedule)
        .map_err(|e| ApiError::param("schedule", format!("invalid format - {e}")))?;
    let tz = system_time_zone(&ctx.root);
    let mut last = match p.starttime {
        Some(t) => t,
        None => std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or(0),
    };
    let mut out = Vec::new();
    for _ in 0..p.iterations.unwrap_or(10) {
        let Some(next) = event.compute_next_event(last, &tz) else {
            break;
        };
        out.push(EventTime {
            timestamp: next,
            utc: asctime_utc(next),
        });
        last = next;
    }
    Ok(out)
}

fn jobs_index(_ctx: &Context, _env: &RpcEnv, _p: NoParams) -> Result<Vec<DirEntry>, ApiError> {
    Ok(["schedule-analyze", "realm-sync"]
        .iter()
        .map(|s| DirEntry {
            subdir: (*s).to_string(),
        })
        .collect())
}

/// Routes of `/cluster/jobs`.
pub fn router() -> Router<Context> {
    Router::new()
        .get(ApiMethod::new(
            "Index for jobs related endpoints.",
            Permission::All,
            jobs_index,
        ))
        .subdir(
            "schedule-analyze",
            Router::new().get(ApiMethod::new(
                "Returns a list of future schedule runtimes.",
                Permission::All,
                analyze_schedule,
            )),
        )
}

#[cfg(test)]
mod tests {
    use super::asctime_utc;

    #[test]
    fn asctime_matches_perl_gmtime() {
        assert_eq!(asctime_utc(0), "Thu Jan  1 00:00:00 1970");
        assert_eq!(asctime_utc(1_757_001_600), "Thu Sep  4 16:00:00 2025");
        assert_eq!(asctime_utc(951_782_400), "Tue Feb 29 00:00:00 2000");
    }
}
