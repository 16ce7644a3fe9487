#![no_main]
use libfuzzer_sys::fuzz_target;
use virton_config::calendar::{CalendarEvent, TimeZone};

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(event) = CalendarEvent::parse(text) {
            // the normalised form must parse back to the same event
            let again = CalendarEvent::parse(&event.to_string()).expect("normalised form reparses");
            assert_eq!(again, event);
            if let Some(next) = event.compute_next_event(1_700_000_000, &TimeZone::UTC) {
                assert!(next > 1_700_000_000);
            }
        }
    }
});
