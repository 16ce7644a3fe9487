use super::*;
use jiff::civil::DateTime;
use proptest::prelude::*;

const MIN: i64 = 60;
const HOUR: i64 = 3600;
const DAY: i64 = 86_400;
/// 2020-07-31 00:00:00 UTC, a Friday.
const JUL_31_2020: i64 = 1_596_153_600;

fn next_utc(spec: &str, last: i64) -> Option<i64> {
    let event = CalendarEvent::parse(spec).unwrap();
    event.compute_next_event(last, &TimeZone::UTC)
}

fn vienna() -> TimeZone {
    TimeZone::get("Europe/Vienna").unwrap()
}

fn local_epoch(tz: &TimeZone, text: &str) -> i64 {
    let dt: DateTime = text.parse().unwrap();
    tz.to_ambiguous_timestamp(dt)
        .compatible()
        .unwrap()
        .as_second()
}

#[test]
fn minute_only_spec_matches_every_hour() {
    assert_eq!(next_utc("0", 0), Some(HOUR));
    assert_eq!(next_utc("*", 0), Some(MIN));
    assert_eq!(next_utc("*/20", 20 * MIN), Some(40 * MIN));
}

#[test]
fn seconds_field_is_honoured() {
    assert_eq!(next_utc("*:*:*", 0), Some(1));
    assert_eq!(next_utc("*:3:5", 0), Some(3 * MIN + 5));
}

#[test]
fn weekday_specs_jump_to_the_right_day() {
    // Epoch 0 was a Thursday.
    assert_eq!(next_utc("mon", 0), Some(4 * DAY));
    assert_eq!(next_utc("fri", 0), Some(DAY));
    assert_eq!(next_utc("mon..fri 08:00", 0), Some(8 * HOUR));
    assert_eq!(
        next_utc("sat 22:30", 0),
        Some(2 * DAY + 22 * HOUR + 30 * MIN)
    );
    assert_eq!(next_utc("sat,sun", JUL_31_2020), Some(JUL_31_2020 + DAY));
}

#[test]
fn reversed_weekday_range_wraps_over_sunday() {
    let event = CalendarEvent::parse("fri..mon").unwrap();
    assert_eq!(event.weekdays().to_string(), "mon,fri..sun");
    // Thursday 00:00 -> Friday 00:00; Monday -> Friday (skips Tue..Thu).
    assert_eq!(next_utc("fri..mon", 0), Some(DAY));
    assert_eq!(next_utc("fri..mon", 4 * DAY), Some(8 * DAY));
}

#[test]
fn hour_ranges_and_repetitions_step_correctly() {
    assert_eq!(next_utc("8..17/2:0", 0), Some(8 * HOUR));
    assert_eq!(next_utc("8..17/2:0", 9 * HOUR), Some(10 * HOUR));
    assert_eq!(next_utc("8..17/2:0", 16 * HOUR), Some(DAY + 8 * HOUR));
    assert_eq!(next_utc("10,5:8,4", 0), Some(5 * HOUR + 4 * MIN));
}

#[test]
fn dates_and_shortcuts_find_the_next_day() {
    assert_eq!(next_utc("2020-07-31", 0), Some(JUL_31_2020));
    assert_eq!(next_utc("*-*-01", 0), Some(31 * DAY));
    assert_eq!(next_utc("*-12-25", 0), Some(358 * DAY));
    assert_eq!(next_utc("02-29", 0), Some((365 * 2 + 31 + 28) * DAY));
    assert_eq!(next_utc("monthly", 0), Some(31 * DAY));
    assert_eq!(next_utc("quarterly", 0), Some((31 + 28 + 31) * DAY));
    assert_eq!(next_utc("yearly", 0), Some(365 * DAY));
    assert_eq!(next_utc("annually", 0), Some(365 * DAY));
    assert_eq!(next_utc("weekly", 0), Some(4 * DAY));
    assert_eq!(next_utc("semiannually", 0), Some(181 * DAY));
}

#[test]
fn impossible_dates_never_match() {
    assert_eq!(next_utc("2021-02-29", 0), None);
    assert_eq!(next_utc("02-30", 0), None);
    assert_eq!(next_utc("1990-01-01", JUL_31_2020), None);
}

#[test]
fn local_zone_is_used_unless_spec_says_utc() {
    let tz = vienna();
    // Sunday 2018-10-28 is the CEST -> CET switch.
    let sunday = local_epoch(&tz, "2018-10-28T00:00:00");
    let monday = local_epoch(&tz, "2018-10-29T00:00:00");
    let event = CalendarEvent::parse("mon..fri").unwrap();
    assert_eq!(event.compute_next_event(sunday, &tz), Some(monday));
    let utc = CalendarEvent::parse("mon..fri UTC").unwrap();
    assert_eq!(utc.compute_next_event(sunday, &tz), Some(monday + HOUR));
}

#[test]
fn wall_time_in_dst_gap_is_skipped_to_next_day() {
    let tz = vienna();
    // 2024-03-31 02:30 does not exist in Vienna.
    let before = local_epoch(&tz, "2024-03-31T00:00:00");
    let expect = local_epoch(&tz, "2024-04-01T02:30:00");
    let event = CalendarEvent::parse("2:30").unwrap();
    assert_eq!(event.compute_next_event(before, &tz), Some(expect));
}

#[test]
fn next_event_inside_dst_fold_moves_forward() {
    let tz = vienna();
    // 2024-10-27 02:00..03:00 happens twice; after the second 02:10 comes 02:20 CET.
    let first_0210 = local_epoch(&tz, "2024-10-27T02:10:00");
    let second_0210 = first_0210 + HOUR;
    let event = CalendarEvent::parse("*:0/10").unwrap();
    let next = event.compute_next_event(second_0210, &tz).unwrap();
    assert!(next > second_0210);
    assert_eq!(next, second_0210 + 10 * MIN);
}

#[test]
fn parse_errors_use_upstream_wording() {
    let err = |s: &str| CalendarEvent::parse(s).unwrap_err().to_string();
    assert_eq!(err(""), "unable to parse calendar event - event is empty");
    assert_eq!(err("  "), "unable to parse calendar event - event is empty");
    assert_eq!(
        err("foo 10:00"),
        "unable to parse calendar event at 'foo' - Context(\"weekday\")"
    );
    assert_eq!(
        err("61"),
        "unable to parse calendar event at '61' - Context(\"date or time specification\")"
    );
    assert_eq!(
        err("mon 0 0"),
        "unable to parse calendar event at ' 0' - Nom(Eof)"
    );
}

#[test]
fn out_of_range_values_are_rejected() {
    for spec in [
        "*/61",
        "0..80",
        "24:00:00",
        "5..3",
        "2200-01-01",
        "*-13-01",
        "*-*-32",
    ] {
        assert!(CalendarEvent::parse(spec).is_err(), "{spec}");
    }
}

#[test]
fn utc_suffix_sets_utc() {
    let event = CalendarEvent::parse("daily UTC").unwrap();
    assert!(event.is_utc());
    assert_eq!(event.to_string(), "00:00 UTC");
}

#[test]
fn display_gives_normalised_form() {
    let show = |s: &str| CalendarEvent::parse(s).unwrap().to_string();
    assert_eq!(show("mon..fri 8:00"), "mon..fri 08:00");
    assert_eq!(show("*/15"), "*:00/15");
    assert_eq!(show("sat,sun"), "sat..sun 00:00");
    assert_eq!(show("*-12-25"), "*-12-25 00:00");
    assert_eq!(show("2024-01-01"), "2024-01-01 00:00");
    assert_eq!(show("minutely"), "*:*");
    assert_eq!(show("*:*:*"), "*:*:*");
    assert_eq!(show("8..17/2:0/5:30"), "08..17/2:00/5:30");
}

fn value_strategy(lo: u32, max: u32) -> impl Strategy<Value = CalendarValue> {
    let hi = max - 1;
    prop_oneof![
        (lo..max).prop_map(CalendarValue::Single),
        (lo..max, lo..max).prop_map(|(a, b)| CalendarValue::Range(a.min(b), a.max(b))),
        (lo..max, 0..max).prop_map(|(a, s)| CalendarValue::Repeated(a, s, None)),
        (lo..max, lo..max, 0..max).prop_map(|(a, b, s)| CalendarValue::Repeated(
            a.min(b),
            s,
            Some(a.max(b))
        )),
        Just(CalendarValue::Single(hi)),
    ]
}

fn list_strategy(lo: u32, max: u32) -> impl Strategy<Value = Vec<CalendarValue>> {
    prop::collection::vec(value_strategy(lo, max), 0..3)
}

prop_compose! {
    fn event_strategy()(
        utc in any::<bool>(),
        days in 0u8..128,
        year in prop::collection::vec(value_strategy(1970, 2200), 0..2),
        month in list_strategy(1, 13),
        day in list_strategy(1, 32),
        hour in list_strategy(0, 24),
        minute in list_strategy(0, 60),
        second in list_strategy(0, 60),
    ) -> CalendarEvent {
        CalendarEvent {
            utc,
            days: WeekDays::from_bits(days),
            year, month, day, hour, minute, second,
        }
    }
}

/// True when the wall-clock time of `epoch` in `tz` satisfies every field of `event`.
fn matches(event: &CalendarEvent, epoch: i64, tz: &TimeZone) -> bool {
    let tz = if event.utc { TimeZone::UTC } else { tz.clone() };
    let dt = tz.to_datetime(jiff::Timestamp::from_second(epoch).unwrap());
    let ok = |list: &[CalendarValue], v: i64| {
        list.is_empty() || CalendarValue::list_contains(list, u32::try_from(v).unwrap())
    };
    let weekday = u32::from(dt.weekday().to_monday_zero_offset().unsigned_abs());
    ok(&event.year, dt.year().into())
        && ok(&event.month, dt.month().into())
        && ok(&event.day, dt.day().into())
        && ok(&event.hour, dt.hour().into())
        && ok(&event.minute, dt.minute().into())
        && ok(&event.second, dt.second().into())
        && (event.days.is_empty() || event.days.contains_day(weekday))
}

proptest! {
    #[test]
    fn display_reparses_to_same_event(event in event_strategy()) {
        let text = event.to_string();
        prop_assert_eq!(CalendarEvent::parse(&text), Ok(event), "{}", text);
    }

    #[test]
    fn next_event_is_later_and_matches(
        event in event_strategy(),
        last in 0i64..4_000_000_000,
        vienna_zone in any::<bool>(),
    ) {
        let tz = if vienna_zone { vienna() } else { TimeZone::UTC };
        if let Some(next) = event.compute_next_event(last, &tz) {
            prop_assert!(next > last);
            prop_assert!(matches(&event, next, &tz), "{} at {}", event, next);
        }
    }

    #[test]
    fn time_only_next_event_is_the_first_match(
        hour in list_strategy(0, 24),
        minute in list_strategy(0, 60),
        last in 0i64..2_000_000_000,
    ) {
        let event = CalendarEvent { hour, minute, second: vec![CalendarValue::Single(0)], ..Default::default() };
        let next = event.compute_next_event(last, &TimeZone::UTC);
        // Every hour/minute list matches at least once per day.
        let start = (last / 60 + 1) * 60;
        let first = (0..2 * 24 * 60)
            .map(|n| start + n * 60)
            .find(|t| matches(&event, *t, &TimeZone::UTC));
        prop_assert_eq!(next, first);
    }

    #[test]
    fn arbitrary_text_never_panics(text in "[ -~]{0,30}") {
        if let Ok(event) = CalendarEvent::parse(&text) {
            let again = CalendarEvent::parse(&event.to_string());
            prop_assert_eq!(again, Ok(event.clone()));
            let _ = event.compute_next_event(0, &TimeZone::UTC);
        }
    }

    #[test]
    fn any_unicode_text_never_panics(text in "\\PC{0,20}") {
        if let Ok(event) = CalendarEvent::parse(&text) {
            prop_assert_eq!(CalendarEvent::parse(&event.to_string()), Ok(event));
        }
    }

    #[test]
    fn grammar_like_text_reparses_after_display(
        text in "(mon|fri|sat|sun)?(\\.\\.(tue|sun))? ?([0-9*]{1,2}(/[0-9])?-)?([0-9*]{1,2}-[0-9*]{1,2} )?[0-9*]{1,2}(\\.\\.[0-9]{1,2})?(/[0-9]{1,2})?(:[0-9*,]{1,4})?( UTC)?"
    ) {
        if let Ok(event) = CalendarEvent::parse(&text) {
            prop_assert_eq!(CalendarEvent::parse(&event.to_string()), Ok(event));
        }
    }
}

#[test]
fn repetition_past_field_end_does_not_skip_next_hour() {
    // Minutes 0 and 50: after 10:51 comes 11:00 (upstream's carry would give 11:50).
    assert_eq!(next_utc("0,50/20", 10 * HOUR + 51 * MIN), Some(11 * HOUR));
    // Days 1, 11, 21, 31: after 1970-02-22 comes 1970-03-01.
    assert_eq!(next_utc("*-*-1/10", (31 + 21) * DAY), Some((31 + 28) * DAY));
}

#[test]
fn hour_out_of_range_falls_back_to_minute_and_second() {
    // Upstream backtracks: `24` is no hour, so `24:00` is minute 24, second 0.
    let event = CalendarEvent::parse("24:00").unwrap();
    assert_eq!(event.to_string(), "*:24");
}
