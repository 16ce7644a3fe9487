//! Calendar events: the systemd-like schedule strings Proxmox VE uses for backup jobs,
//! replication and other periodic work (`mon..fri 08:00`, `*/15`, `daily`, `*-12-25`).
//!
//! Owns the grammar ([`CalendarEvent::parse`], with upstream's error wording), a
//! normalised [`Display`](std::fmt::Display) that parses back to the same event, and
//! [`CalendarEvent::compute_next_event`], which evaluates the event in a time zone given
//! by the caller (DST aware). Pure: no clock, no environment, no files.
//!
//! Must not depend on: anything above L1; the system time zone is the caller's business.

mod next;
mod parse;
mod value;

#[cfg(test)]
mod tests;

pub use value::{CalendarValue, WeekDays};

/// The time zone type [`CalendarEvent::compute_next_event`] takes (re-exported so callers
/// need no direct `jiff` dependency): `TimeZone::get("Europe/Vienna")`, `TimeZone::UTC`,
/// `TimeZone::system()`.
pub use jiff::tz::TimeZone;
use std::fmt;

/// A parsed calendar event.
///
/// An empty field list means "any value"; an event always has hour, minute and second
/// lists (a spec without time means `00:00:00`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct CalendarEvent {
    utc: bool,
    days: WeekDays,
    year: Vec<CalendarValue>,
    month: Vec<CalendarValue>,
    day: Vec<CalendarValue>,
    hour: Vec<CalendarValue>,
    minute: Vec<CalendarValue>,
    second: Vec<CalendarValue>,
}

/// Which part of a calendar event could not be parsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SyntaxKind {
    /// A word where a weekday was expected.
    Weekday,
    /// Neither weekday, date nor time was recognised.
    DateOrTime,
    /// Input left over after a valid event.
    Unused,
}

impl fmt::Display for SyntaxKind {
    /// Upstream prints its parser's error kind in debug form; we keep that text.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Weekday => "Context(\"weekday\")",
            Self::DateOrTime => "Context(\"date or time specification\")",
            Self::Unused => "Nom(Eof)",
        })
    }
}

/// A calendar event specification that does not parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    /// The specification is empty or blank.
    #[error("unable to parse calendar event - event is empty")]
    Empty,
    /// The specification does not parse at `at` (the rest of the input from there).
    #[error("unable to parse calendar event at '{at}' - {kind}")]
    Syntax {
        /// The input from the failing position on.
        at: String,
        /// What was expected there.
        kind: SyntaxKind,
    },
}

impl CalendarEvent {
    /// Parses a specification; leading and trailing whitespace is ignored.
    pub fn parse(spec: &str) -> Result<Self, CalendarError> {
        parse::parse_event(spec)
    }

    /// The next epoch strictly after `last` at which the event matches.
    ///
    /// Wall-clock fields are evaluated in `tz`, or in UTC when the event ends in `UTC`.
    /// `None` when nothing matches any more (a past year, `02-30`) or the search leaves
    /// the representable range.
    pub fn compute_next_event(&self, last: i64, tz: &TimeZone) -> Option<i64> {
        if self.utc {
            next::next_event(self, last, &TimeZone::UTC)
        } else {
            next::next_event(self, last, tz)
        }
    }

    /// True when the event is evaluated in UTC whatever zone the caller passes.
    pub fn is_utc(&self) -> bool {
        self.utc
    }

    /// The weekdays the event is limited to; empty means every day.
    pub fn weekdays(&self) -> WeekDays {
        self.days
    }

    /// Year, month and day-of-month lists (empty = any).
    pub fn date_lists(&self) -> [&[CalendarValue]; 3] {
        [&self.year, &self.month, &self.day]
    }

    /// Hour, minute and second lists (empty = any).
    pub fn time_lists(&self) -> [&[CalendarValue]; 3] {
        [&self.hour, &self.minute, &self.second]
    }
}

impl std::str::FromStr for CalendarEvent {
    type Err = CalendarError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

/// Writes a list, `*` when empty, numbers padded to `width`.
fn write_list(f: &mut fmt::Formatter<'_>, list: &[CalendarValue], width: usize) -> fmt::Result {
    if list.is_empty() {
        return f.write_str("*");
    }
    for (n, v) in list.iter().enumerate() {
        if n > 0 {
            f.write_str(",")?;
        }
        v.write_padded(f, width)?;
    }
    Ok(())
}

impl fmt::Display for CalendarEvent {
    /// The normalised form `[days ][Y-M-D ]H:M[:S][ UTC]`; seconds are left out when they
    /// are exactly `0`, the date when it is `*-*-*`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.days.is_empty() {
            write!(f, "{} ", self.days)?;
        }
        if !(self.year.is_empty() && self.month.is_empty() && self.day.is_empty()) {
            write_list(f, &self.year, 4)?;
            f.write_str("-")?;
            write_list(f, &self.month, 2)?;
            f.write_str("-")?;
            write_list(f, &self.day, 2)?;
            f.write_str(" ")?;
        }
        write_list(f, &self.hour, 2)?;
        f.write_str(":")?;
        write_list(f, &self.minute, 2)?;
        if self.second != [CalendarValue::Single(0)] {
            f.write_str(":")?;
            write_list(f, &self.second, 2)?;
        }
        if self.utc {
            f.write_str(" UTC")?;
        }
        Ok(())
    }
}
