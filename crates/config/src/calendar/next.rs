//! Finding the next point in time a calendar event matches, in a given time zone.
//!
//! Works on civil (wall clock) fields the way upstream edits a `struct tm`: a field that
//! does not match is moved to its next candidate, smaller fields reset, and the result is
//! normalised through the time zone (a wall time inside a DST gap moves forward). Pure: the
//! zone is passed in, nothing is read from the environment.
//!
//! One deliberate difference to upstream: a candidate past the end of its field (minute 70
//! from `50/20`, day 31 in April) is not carried into the next hour or month, where it
//! would skip earlier matches there (`0,50/20` at 10:51 gives 11:00, upstream 11:50).
//! Instead the next larger unit is started, as when no candidate is left.

use super::value::CalendarValue;
use super::CalendarEvent;
use jiff::civil::{Date, DateTime};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};

/// Upstream gives up after this many adjustment rounds (e.g. `02-30` never matches).
const MAX_ROUNDS: usize = 1001;

/// A wall-clock position in a zone that may be moved forward field by field.
struct Cursor<'a> {
    tz: &'a TimeZone,
    /// The earliest instant the result may have (one second after `last`).
    floor: Timestamp,
    dt: DateTime,
}

impl<'a> Cursor<'a> {
    fn new(epoch: i64, tz: &'a TimeZone) -> Option<Self> {
        let floor = Timestamp::from_second(epoch).ok()?;
        Some(Self {
            tz,
            floor,
            dt: tz.to_datetime(floor),
        })
    }

    /// The instant for wall time `dt`; in a DST fold the earlier one unless that lies
    /// before the floor (so the result never goes back in time).
    fn resolve(&self, dt: DateTime) -> Option<Timestamp> {
        let ambiguous = self.tz.to_ambiguous_timestamp(dt);
        let ts = ambiguous.compatible().ok()?;
        if ts < self.floor {
            return ambiguous.later().ok();
        }
        Some(ts)
    }

    /// Sets the wall time from possibly out-of-range fields (month 0-based, day 1-based,
    /// hour 24 or minute 60 carry over), then normalises it through the zone.
    fn set(&mut self, year: i64, month0: i64, fields: [i64; 4]) -> Option<()> {
        let [day, hour, minute, second] = fields;
        let months = year.checked_mul(12)?.checked_add(month0)?;
        let y = i16::try_from(months.div_euclid(12)).ok()?;
        let m = i8::try_from(months.rem_euclid(12) + 1).ok()?;
        let first = Date::new(y, m, 1)
            .ok()?
            .to_datetime(jiff::civil::Time::midnight());
        let offset = (day - 1)
            .checked_mul(86_400)?
            .checked_add(hour * 3600 + minute * 60 + second)?;
        let dt = first.checked_add(SignedDuration::from_secs(offset)).ok()?;
        let ts = self.resolve(dt)?;
        self.dt = self.tz.to_datetime(ts);
        Some(())
    }

    fn year(&self) -> i64 {
        i64::from(self.dt.year())
    }
    fn month0(&self) -> i64 {
        i64::from(self.dt.month()) - 1
    }
    fn day(&self) -> i64 {
        i64::from(self.dt.day())
    }
    fn hour(&self) -> i64 {
        i64::from(self.dt.hour())
    }
    fn minute(&self) -> i64 {
        i64::from(self.dt.minute())
    }

    fn add_years(&mut self, n: i64) -> Option<()> {
        self.set(self.year().checked_add(n)?, 0, [1, 0, 0, 0])
    }
    fn add_months(&mut self, n: i64) -> Option<()> {
        self.set(self.year(), self.month0() + n, [1, 0, 0, 0])
    }
    fn add_days(&mut self, n: i64) -> Option<()> {
        self.set(self.year(), self.month0(), [self.day() + n, 0, 0, 0])
    }
    fn set_time(&mut self, hour: i64, minute: i64, second: i64) -> Option<()> {
        self.set(
            self.year(),
            self.month0(),
            [self.day(), hour, minute, second],
        )
    }
    fn set_minute(&mut self, minute: i64, second: i64) -> Option<()> {
        self.set_time(self.hour(), minute, second)
    }

    fn epoch(&self) -> Option<i64> {
        Some(self.resolve(self.dt)?.as_second())
    }
}

/// What one round decided.
enum Round {
    /// A field was moved; check everything again.
    Moved,
    /// Every field matches.
    Match,
    /// No later time can match.
    Never,
}

/// The next epoch after `last` at which `event` matches, evaluated in `tz`.
pub(super) fn next_event(event: &CalendarEvent, last: i64, tz: &TimeZone) -> Option<i64> {
    let mut cursor = Cursor::new(last.checked_add(1)?, tz)?;
    for _ in 0..MAX_ROUNDS {
        match round(event, &mut cursor)? {
            Round::Moved => continue,
            Round::Match => return cursor.epoch(),
            Round::Never => return None,
        }
    }
    None
}

/// Checks the fields from largest to smallest and moves the first one that does not match.
fn round(event: &CalendarEvent, t: &mut Cursor<'_>) -> Option<Round> {
    if let Some(round) = date_round(event, t)? {
        return Some(round);
    }
    let hour = field(t.hour());
    if !event.hour.is_empty() && !CalendarValue::list_contains(&event.hour, hour) {
        match next_below(&event.hour, hour, 24) {
            Some(n) => t.set_time(i64::from(n), 0, 0)?,
            None => t.add_days(1)?,
        }
        return Some(Round::Moved);
    }
    let minute = field(t.minute());
    if !event.minute.is_empty() && !CalendarValue::list_contains(&event.minute, minute) {
        match next_below(&event.minute, minute, 60) {
            Some(n) => t.set_minute(i64::from(n), 0)?,
            None => t.set_time(t.hour() + 1, 0, 0)?,
        }
        return Some(Round::Moved);
    }
    let second = u32::from(t.dt.second().unsigned_abs());
    if !event.second.is_empty() && !CalendarValue::list_contains(&event.second, second) {
        match next_below(&event.second, second, 60) {
            Some(n) => t.set_minute(t.minute(), i64::from(n))?,
            None => t.set_minute(t.minute() + 1, 0)?,
        }
        return Some(Round::Moved);
    }
    Some(Round::Match)
}

/// Year, month, day of month and weekday; `Some(None)` when they all match.
fn date_round(event: &CalendarEvent, t: &mut Cursor<'_>) -> Option<Option<Round>> {
    if !event.year.is_empty() {
        let year = u32::try_from(t.year()).ok()?;
        if !CalendarValue::list_contains(&event.year, year) {
            let Some(n) = CalendarValue::list_next(&event.year, year) else {
                return Some(Some(Round::Never));
            };
            t.add_years(i64::from(n - year))?;
            return Some(Some(Round::Moved));
        }
    }
    let month = field(t.month0() + 1);
    if !event.month.is_empty() && !CalendarValue::list_contains(&event.month, month) {
        match next_below(&event.month, month, 13) {
            Some(n) => t.add_months(i64::from(n - month))?,
            None => t.add_years(1)?,
        }
        return Some(Some(Round::Moved));
    }
    let day = field(t.day());
    let days_in_month = u32::from(t.dt.days_in_month().unsigned_abs()) + 1;
    if !event.day.is_empty() && !CalendarValue::list_contains(&event.day, day) {
        match next_below(&event.day, day, days_in_month) {
            Some(n) => t.add_days(i64::from(n - day))?,
            None => t.add_months(1)?,
        }
        return Some(Some(Round::Moved));
    }
    let days = event.days;
    if !(days.is_empty() || days.is_all()) {
        let today = u32::from(t.dt.weekday().to_monday_zero_offset().unsigned_abs());
        if !days.contains_day(today) {
            let step = (today + 1..7)
                .find(|d| days.contains_day(*d))
                .map_or(7 - today, |d| d - today);
            t.add_days(i64::from(step))?;
            return Some(Some(Round::Moved));
        }
    }
    Some(None)
}

/// A wall-clock field as the unsigned value the lists hold (fields are never negative).
fn field(v: i64) -> u32 {
    u32::try_from(v).unwrap_or(0)
}

/// The next candidate of `list` after `value` that is below `limit`.
fn next_below(list: &[CalendarValue], value: u32, limit: u32) -> Option<u32> {
    CalendarValue::list_next(list, value).filter(|n| *n < limit)
}
