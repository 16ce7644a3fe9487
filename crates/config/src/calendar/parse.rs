//! The calendar event grammar: `[weekdays] [date] [time] [UTC]` or a named shortcut.
//!
//! The parser backtracks like upstream's combinator parser: an optional part that does not
//! parse leaves the input untouched, and whatever is left at the end is reported as unused
//! input. Only three failures reach the caller (bad weekday, nothing recognised, input
//! left over), each with the position upstream reports.

use super::value::{CalendarValue, WeekDays};
use super::{CalendarError, CalendarEvent, SyntaxKind};

/// Remaining input and the parsed value; `None` means "does not match here".
type Parsed<'a, T> = Option<(&'a str, T)>;

/// Parses a complete calendar event specification.
pub(super) fn parse_event(spec: &str) -> Result<CalendarEvent, CalendarError> {
    let spec = spec.trim_matches(is_perl_space);
    if spec.is_empty() {
        return Err(CalendarError::Empty);
    }
    let mut event = CalendarEvent::default();
    let mut i = spec;
    if let Some(rest) = i.strip_suffix("UTC") {
        event.utc = true;
        i = rest.trim_end_matches(' ');
    }
    if i.starts_with(|c: char| c.is_ascii_alphabetic()) {
        if let Some(shortcut) = shortcut(i, event.utc) {
            return Ok(shortcut);
        }
        let (rest, days) = weekday_list(i)?;
        event.days = days;
        i = skip_space(rest);
    }
    let has_days = !event.days.is_empty();
    let mut has_date = false;
    if let Some((rest, (year, month, day))) = date_spec(i) {
        (event.year, event.month, event.day) = (year, month, day);
        has_date = true;
        i = skip_space(rest);
    }
    let has_time = match time_spec(i) {
        Some((rest, (hour, minute, second))) => {
            (event.hour, event.minute, event.second) = (hour, minute, second);
            i = rest;
            true
        }
        None => {
            let zero = vec![CalendarValue::Single(0)];
            (event.hour, event.minute, event.second) = (zero.clone(), zero.clone(), zero);
            false
        }
    };
    if !(has_days || has_date || has_time) {
        return Err(syntax(i, SyntaxKind::DateOrTime));
    }
    if !i.is_empty() {
        return Err(syntax(i, SyntaxKind::Unused));
    }
    Ok(event)
}

fn syntax(at: &str, kind: SyntaxKind) -> CalendarError {
    CalendarError::Syntax {
        at: at.to_string(),
        kind,
    }
}

/// Whitespace as Perl's `\s` sees it (upstream trims the spec with it first).
fn is_perl_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0b' | '\x0c')
}

fn skip_space(i: &str) -> &str {
    i.trim_start_matches([' ', '\t'])
}

/// The named shortcuts (`daily`, `weekly`, ...); case-sensitive, whole input only.
fn shortcut(name: &str, utc: bool) -> Option<CalendarEvent> {
    let zero = || vec![CalendarValue::Single(0)];
    let first = || vec![CalendarValue::Single(1)];
    let months = |list: &[u32]| list.iter().map(|m| CalendarValue::Single(*m)).collect();
    let mut event = CalendarEvent {
        utc,
        second: zero(),
        ..Default::default()
    };
    if name == "minutely" {
        return Some(event);
    }
    event.minute = zero();
    if name == "hourly" {
        return Some(event);
    }
    event.hour = zero();
    match name {
        "daily" => {}
        "weekly" => event.days = WeekDays::MONDAY,
        "monthly" => event.day = first(),
        "yearly" | "annually" => (event.day, event.month) = (first(), first()),
        "quarterly" => (event.day, event.month) = (first(), months(&[1, 4, 7, 10])),
        "semiannually" | "semi-annually" => (event.day, event.month) = (first(), months(&[1, 7])),
        _ => return None,
    }
    Some(event)
}

/// `mon`, `mon..fri`, `sat,sun`, ...: a comma-separated list of days and day ranges.
fn weekday_list(i: &str) -> Result<(&str, WeekDays), CalendarError> {
    let (mut i, mut days) = match weekday_range(i) {
        Ok(first) => first,
        Err(word) => return Err(syntax(word, SyntaxKind::Weekday)),
    };
    while let Some(after) = i.strip_prefix(',') {
        match weekday_range(after) {
            Ok((rest, more)) => {
                days = days.union(more);
                i = rest;
            }
            Err(_) => break,
        }
    }
    Ok((i, days))
}

/// One day or range; on failure returns the word that is not a weekday.
fn weekday_range(i: &str) -> Result<(&str, WeekDays), &str> {
    let (i, start) = weekday(i)?;
    if let Some(after) = i.strip_prefix("..") {
        if let Ok((rest, end)) = weekday(after) {
            return Ok((rest, WeekDays::range(start, end)));
        }
    }
    Ok((i, WeekDays::day(start)))
}

fn weekday(i: &str) -> Result<(&str, u32), &str> {
    let len = i
        .find(|c: char| !c.is_ascii_alphabetic())
        .unwrap_or(i.len());
    let (word, rest) = i.split_at(len);
    match WeekDays::parse_name(word) {
        Some(day) if !word.is_empty() => Ok((rest, day)),
        _ => Err(word),
    }
}

/// A decimal number below `max`.
fn number(i: &str, max: u32) -> Parsed<'_, u32> {
    let len = i.find(|c: char| !c.is_ascii_digit()).unwrap_or(i.len());
    let (digits, rest) = i.split_at(len);
    let value: u32 = digits.parse().ok()?;
    (value < max).then_some((rest, value))
}

/// `5`, `3..7`, `0/15` or `8..17/2`.
fn value(i: &str, max: u32) -> Parsed<'_, CalendarValue> {
    let (i, start) = number(i, max)?;
    if let Some((rest, end)) = i.strip_prefix("..").and_then(|r| number(r, max)) {
        if start > end {
            return None;
        }
        if let Some(after) = rest.strip_prefix('/') {
            let (rest, step) = number(after, max)?;
            return Some((rest, CalendarValue::Repeated(start, step, Some(end))));
        }
        return Some((rest, CalendarValue::Range(start, end)));
    }
    if let Some(after) = i.strip_prefix('/') {
        let (rest, step) = number(after, max)?;
        return Some((rest, CalendarValue::Repeated(start, step, None)));
    }
    Some((i, CalendarValue::Single(start)))
}

/// A comma-separated list of values, `*` (every value, an empty list) or `*/step`.
fn value_list(i: &str, start: u32, max: u32) -> Parsed<'_, Vec<CalendarValue>> {
    if let Some(rest) = i.strip_prefix('*') {
        if let Some(after) = rest.strip_prefix('/') {
            let (after_step, step) = number(after, max)?;
            if step > 0 {
                return Some((after_step, vec![CalendarValue::Repeated(start, step, None)]));
            }
        }
        return Some((rest, Vec::new()));
    }
    let (mut i, first) = value(i, max)?;
    let mut list = vec![first];
    while let Some((rest, more)) = i.strip_prefix(',').and_then(|r| value(r, max)) {
        list.push(more);
        i = rest;
    }
    Some((i, list))
}

/// Year, month and day lists of a date.
type DateLists = (Vec<CalendarValue>, Vec<CalendarValue>, Vec<CalendarValue>);

/// `Y-M-D` or `M-D`.
fn date_spec(i: &str) -> Parsed<'_, DateLists> {
    let full = || {
        // 2200 is systemd's upper year limit; upstream keeps it for compatibility.
        let (i, year) = value_list(i, 0, 2200)?;
        let (i, month) = value_list(i.strip_prefix('-')?, 1, 13)?;
        let (i, day) = value_list(i.strip_prefix('-')?, 1, 32)?;
        Some((i, (year, month, day)))
    };
    let short = || {
        let (i, month) = value_list(i, 1, 13)?;
        let (i, day) = value_list(i.strip_prefix('-')?, 1, 32)?;
        Some((i, (Vec::new(), month, day)))
    };
    full().or_else(short)
}

/// `[H:]M[:S]`; without hours every hour matches, without seconds second 0 does.
fn time_spec(i: &str) -> Parsed<'_, DateLists> {
    let (i, hour) = match value_list(i, 0, 24).and_then(|(r, h)| Some((r.strip_prefix(':')?, h))) {
        Some(found) => found,
        None => (i, Vec::new()),
    };
    let (i, minute) = value_list(i, 0, 60)?;
    let (i, second) = match i.strip_prefix(':').and_then(|r| value_list(r, 0, 60)) {
        Some(found) => found,
        None => (i, vec![CalendarValue::Single(0)]),
    };
    Some((i, (hour, minute, second)))
}
