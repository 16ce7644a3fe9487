//! `corosync-roundtrip`: `corosync.conf` parse and write.
//!
//! Parses `inputs["corosync.conf"]`, writes it and compares with `expected.output`
//! (without blank lines when `expected.compare` says `ignore blank lines`, else exactly);
//! the written text must also parse back to the same model, as upstream's self check
//! requires.

use serde_json::Value;
use virton_config::corosync::CorosyncConf;
use virton_config::Format;

/// Drops lines that hold only whitespace.
fn without_blank_lines(text: &str) -> String {
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| format!("{l}\n"))
        .collect()
}

/// Checks one case.
pub fn check(case: &Value) -> Result<(), String> {
    let input = case["inputs"]["corosync.conf"]
        .as_str()
        .ok_or("case has no inputs[\"corosync.conf\"]")?;
    let expected = case["expected"]["output"]
        .as_str()
        .ok_or("case has no expected.output")?;
    let conf = CorosyncConf::parse("corosync.conf", input).map_err(|e| e.to_string())?;
    let written = conf.write();
    let reparsed = CorosyncConf::parse("corosync.conf", &written)
        .map_err(|e| format!("written text does not parse: {e}"))?;
    if reparsed != conf {
        return Err("written text parses to a different model".to_string());
    }
    let ignore_blank = case["expected"]["compare"]
        .as_str()
        .is_some_and(|c| c.contains("ignore blank lines"));
    let (got, want) = if ignore_blank {
        (without_blank_lines(&written), without_blank_lines(expected))
    } else {
        (written, expected.to_string())
    };
    if got != want {
        return Err(format!(
            "output differs:\n--- got\n{got}--- expected\n{want}"
        ));
    }
    Ok(())
}
