#![no_main]
//! Fuzz the task list line parsers (`active` and `index`): no input may
//! panic, and every accepted line must format to a line that parses back to
//! the same entry.
use libfuzzer_sys::fuzz_target;
use virton_tasks::{format_active_line, format_index_line, parse_active_line, parse_index_line};

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        for line in text.lines() {
            if let Some(entry) = parse_active_line(line) {
                let again = parse_active_line(&format_active_line(&entry));
                assert_eq!(again.as_ref(), Some(&entry), "active line reparses");
            }
            if let Some(entry) = parse_index_line(line) {
                let again = parse_index_line(&format_index_line(&entry));
                assert_eq!(again.as_ref(), Some(&entry), "index line reparses");
            }
        }
    }
});
