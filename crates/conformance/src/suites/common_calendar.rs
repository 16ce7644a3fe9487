//! `common-calendar`: calendar event specs and their next run times.
//!
//! A case parses `inputs.spec`; when `expected.ok` is false only the presence of an error
//! is compared (upstream's message wording differs between its implementations). Each
//! `expected.next` pair `[last, next]` is evaluated in the zone named by `meta.tz`.

use serde_json::Value;
use virton_config::calendar::{CalendarEvent, TimeZone};

/// Checks one case.
pub fn check(case: &Value) -> Result<(), String> {
    let spec = case["inputs"]["spec"]
        .as_str()
        .ok_or("case has no inputs.spec")?;
    let expected = &case["expected"];
    let want_ok = expected["ok"].as_bool().ok_or("case has no expected.ok")?;
    let event = match (CalendarEvent::parse(spec), want_ok) {
        (Ok(event), true) => event,
        (Err(_), false) => return Ok(()),
        (Ok(event), false) => {
            return Err(format!(
                "parsed as '{event}', expected error: {}",
                expected["error"]
            ))
        }
        (Err(e), true) => return Err(format!("unexpected error: {e}")),
    };
    let tz_name = case["meta"]["tz"].as_str().unwrap_or("UTC");
    let tz = TimeZone::get(tz_name).map_err(|e| format!("time zone {tz_name}: {e}"))?;
    let pairs = match expected["next"].as_array() {
        Some(pairs) => pairs,
        None => return Ok(()),
    };
    for pair in pairs {
        let (last, want) = match (pair[0].as_i64(), pair[1].as_i64()) {
            (Some(last), Some(want)) => (last, want),
            _ => return Err(format!("bad expected.next entry {pair}")),
        };
        let got = event.compute_next_event(last, &tz);
        if got != Some(want) {
            return Err(format!(
                "'{spec}' after {last}: got {got:?}, expected {want}"
            ));
        }
    }
    Ok(())
}
