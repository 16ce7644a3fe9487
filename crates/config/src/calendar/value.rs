//! The building blocks of a calendar event: one field's value list and the weekday set.
//!
//! Owns matching (`contains`) and stepping (`find_next`) for a single field; knows nothing
//! about parsing or time zones.

use std::fmt;

/// One entry of a field list: `5`, `3..7`, `0/15` or `8..17/2`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CalendarValue {
    /// Exactly this value.
    Single(u32),
    /// Every value from the first to the second, both included.
    Range(u32, u32),
    /// The start, then every `step` values after it, up to the optional end (included).
    /// A step of 0 matches the start only.
    Repeated(u32, u32, Option<u32>),
}

impl CalendarValue {
    /// True when `value` is one of the values this entry stands for.
    pub fn contains(&self, value: u32) -> bool {
        match *self {
            Self::Single(v) => v == value,
            Self::Range(start, end) => (start..=end).contains(&value),
            Self::Repeated(start, step, end) => {
                if value < start || end.is_some_and(|e| value > e) {
                    return false;
                }
                if step == 0 {
                    return value == start;
                }
                (value - start) % step == 0
            }
        }
    }

    /// The smallest value of this entry greater than `value`, if any.
    ///
    /// A repetition without end has no upper bound here: the caller's carry logic deals
    /// with values past the field's maximum (e.g. minute 60 becomes the next hour).
    fn next_after(&self, value: u32) -> Option<u32> {
        match *self {
            Self::Single(v) => (v > value).then_some(v),
            Self::Range(start, end) => {
                if value < start {
                    Some(start)
                } else {
                    let n = value.checked_add(1)?;
                    (n <= end).then_some(n)
                }
            }
            Self::Repeated(start, step, end) => {
                if value < start {
                    return Some(start);
                }
                if step == 0 {
                    return None;
                }
                let n = start
                    .checked_add((value - start) / step * step)?
                    .checked_add(step)?;
                match end {
                    Some(e) if n > e => None,
                    _ => Some(n),
                }
            }
        }
    }

    /// True when any entry of `list` contains `value`.
    pub fn list_contains(list: &[CalendarValue], value: u32) -> bool {
        list.iter().any(|v| v.contains(value))
    }

    /// The smallest value greater than `value` that any entry of `list` stands for.
    pub fn list_next(list: &[CalendarValue], value: u32) -> Option<u32> {
        list.iter().filter_map(|v| v.next_after(value)).min()
    }

    /// Writes the entry with numbers zero-padded to `width` digits.
    pub(crate) fn write_padded(&self, f: &mut fmt::Formatter<'_>, width: usize) -> fmt::Result {
        match *self {
            Self::Single(v) => write!(f, "{v:0width$}"),
            Self::Range(a, b) => write!(f, "{a:0width$}..{b:0width$}"),
            Self::Repeated(a, step, None) => write!(f, "{a:0width$}/{step}"),
            Self::Repeated(a, step, Some(b)) => write!(f, "{a:0width$}..{b:0width$}/{step}"),
        }
    }
}

/// A set of weekdays; bit 0 is Monday, bit 6 is Sunday.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct WeekDays(u8);

/// Short weekday names in bit order (Monday first).
const NAMES: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

impl WeekDays {
    /// No day at all (an event without weekday part matches every day).
    pub const EMPTY: WeekDays = WeekDays(0);
    /// Monday.
    pub const MONDAY: WeekDays = WeekDays(1);
    /// Every day of the week.
    pub const ALL: WeekDays = WeekDays(0x7f);

    /// The set holding the single day `index` (0 = Monday .. 6 = Sunday).
    pub fn day(index: u32) -> WeekDays {
        WeekDays(1u8.checked_shl(index).unwrap_or(0) & 0x7f)
    }

    /// The set of days from the raw bits (bit 0 = Monday); bits above 6 are dropped.
    pub fn from_bits(bits: u8) -> WeekDays {
        WeekDays(bits & 0x7f)
    }

    /// The raw bits (bit 0 = Monday).
    pub fn bits(self) -> u8 {
        self.0
    }

    /// True when no day is set.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// True when every day is set.
    pub fn is_all(self) -> bool {
        self.0 == 0x7f
    }

    /// True when day `index` (0 = Monday) is in the set.
    pub fn contains_day(self, index: u32) -> bool {
        self.0 & Self::day(index).0 != 0
    }

    /// The union of both sets.
    pub fn union(self, other: WeekDays) -> WeekDays {
        WeekDays(self.0 | other.0)
    }

    /// The days from `start` to `end` (indexes, Monday = 0); wraps past Sunday when
    /// `start > end`, so `fri..mon` is Friday to Monday.
    pub fn range(start: u32, end: u32) -> WeekDays {
        let mut set = WeekDays::EMPTY;
        let mut day = start;
        loop {
            set = set.union(Self::day(day));
            if day == end || day > 6 {
                return set;
            }
            day = (day + 1) % 7;
        }
    }

    /// The weekday index for a name (`mon`, `Monday`, case-insensitive).
    pub fn parse_name(word: &str) -> Option<u32> {
        let lower = word.to_ascii_lowercase();
        let index = match lower.as_str() {
            "monday" | "mon" => 0,
            "tuesday" | "tue" => 1,
            "wednesday" | "wed" => 2,
            "thursday" | "thu" => 3,
            "friday" | "fri" => 4,
            "saturday" | "sat" => 5,
            "sunday" | "sun" => 6,
            _ => return None,
        };
        Some(index)
    }
}

impl fmt::Display for WeekDays {
    /// Comma-separated short names, runs of two or more days as `a..b` (`mon..fri,sun`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut first = true;
        let mut day = 0;
        while day < 7 {
            if !self.contains_day(day) {
                day += 1;
                continue;
            }
            let start = day;
            while day + 1 < 7 && self.contains_day(day + 1) {
                day += 1;
            }
            if !first {
                f.write_str(",")?;
            }
            first = false;
            let (a, b) = (NAMES[start as usize], NAMES[day as usize]);
            if start == day {
                f.write_str(a)?;
            } else {
                write!(f, "{a}..{b}")?;
            }
            day += 1;
        }
        Ok(())
    }
}
