//! Suite `qemu-parse-config`: a VM config file is read (strictly or leniently, per
//! `meta.strict`) and written back; the canonical text must equal `expected.output`, or
//! the strict read must fail with `expected.error` (upstream's message).

use serde_json::Value;
use virton_config::guest::qemu::VmConfig;
use virton_config::guest::ParseMode;
use virton_config::Format;

/// Checks one case.
pub fn check(case: &Value) -> Result<(), String> {
    let meta = &case["meta"];
    let path = meta["config_path"]
        .as_str()
        .unwrap_or("qemu-server/100.conf");
    let mode = if meta["strict"].as_bool().unwrap_or(false) {
        ParseMode::Strict
    } else {
        ParseMode::Lenient
    };
    let inputs = case["inputs"].as_object().ok_or("case has no inputs")?;
    let (_, text) = inputs.iter().next().ok_or("case has no input file")?;
    let text = text.as_str().ok_or("input is not text")?;
    let expected = &case["expected"];
    let result = VmConfig::parse_with(path, text, mode);
    match (
        result,
        expected["output"].as_str(),
        expected["error"].as_str(),
    ) {
        (Ok(parsed), Some(want), _) => {
            let got = parsed.config.write();
            if got == want {
                Ok(())
            } else {
                Err(format!("output differs:\n--- got\n{got}--- want\n{want}"))
            }
        }
        (Err(e), _, Some(want)) if format!("{}\n", e.message) == want => Ok(()),
        (Err(e), _, Some(want)) => {
            Err(format!("error differs: got {:?}, want {want:?}", e.message))
        }
        (Err(e), Some(_), _) => Err(format!("unexpected error: {e}")),
        (Ok(parsed), None, want) => Err(format!(
            "expected error {want:?}, got output:\n{}",
            parsed.config.write()
        )),
        (Err(e), None, None) => Err(format!("case has no expectation; got error {e}")),
    }
}
