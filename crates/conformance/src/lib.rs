//! Runs Proxmox VE's own regression cases (`../shared/peer/*.jsonl`) against our code.
//!
//! The cases are upstream's AGPL test data: they are read from the peer directory at run
//! time and never copied into this repository. Each suite is a function that takes one
//! case (a JSON object, one line of the suite's file) and says whether we match upstream.
//! `cargo xtask conformance` and the `peer_conformance` test both drive [`run_all`].
//!
//! Must not be depended on by product crates: this is a dev-only crate.

pub mod suites;

use serde_json::Value;
use std::path::{Path, PathBuf};

/// Checks one case: `Ok(())` when we match upstream, `Err(why)` otherwise.
pub type CaseFn = fn(&Value) -> Result<(), String>;

/// A suite: its name (the `.jsonl` file stem) and the function that checks one case.
pub struct Suite {
    /// File stem under the peer directory, e.g. `common-propstring`.
    pub name: &'static str,
    /// Checks one case.
    pub check: CaseFn,
}

/// A case where we deliberately differ from the peer data, and why. Listed in the
/// README's conformance section; an exception that starts passing is reported as a
/// failure so the list cannot go stale.
pub struct Exception {
    /// Suite name.
    pub suite: &'static str,
    /// Case name (`name` field).
    pub case: &'static str,
    /// Why we differ.
    pub reason: &'static str,
}

/// Every known exception.
pub const EXCEPTIONS: &[Exception] = &[Exception {
    suite: "common-calendar",
    case: "010 Fri..Mon",
    reason: "current Proxmox VE parses calendar events with proxmox-time (Rust), which accepts \
             a wrapping weekday range (its own test parses 'fri..mon'); the peer case records the \
             pre-2022 Perl parser's error, and upstream's Perl test cannot fail on it",
}];

/// The outcome of one suite.
#[derive(Debug, Default)]
pub struct SuiteReport {
    /// Suite name.
    pub name: String,
    /// Cases that matched upstream.
    pub passed: usize,
    /// `(case name, why)` for every case that did not.
    pub failures: Vec<(String, String)>,
    /// `(case name, reason)` for cases that differ as a listed [`Exception`].
    pub excepted: Vec<(String, String)>,
    /// Why the suite was skipped, if it was.
    pub skipped: Option<String>,
}

/// The default peer directory: `../shared/peer` next to the repository checkout.
pub fn default_peer_dir() -> PathBuf {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    repo.join("../shared/peer")
}

/// Runs one suite from `dir`.
pub fn run_suite(dir: &Path, suite: &Suite) -> SuiteReport {
    let mut report = SuiteReport {
        name: suite.name.to_string(),
        ..Default::default()
    };
    let path = dir.join(format!("{}.jsonl", suite.name));
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) => {
            report.skipped = Some(format!("{}: {e}", path.display()));
            return report;
        }
    };
    for (idx, line) in text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let case: Value = match serde_json::from_str(line) {
            Ok(v) => v,
            Err(e) => {
                report
                    .failures
                    .push((format!("line {}", idx + 1), format!("bad JSON: {e}")));
                continue;
            }
        };
        let name = case["name"].as_str().unwrap_or("?").to_string();
        let result = std::panic::catch_unwind(|| (suite.check)(&case))
            .unwrap_or_else(|_| Err("panicked".to_string()));
        let exception = EXCEPTIONS
            .iter()
            .find(|e| e.suite == suite.name && e.case == name);
        match (result, exception) {
            (Ok(()), None) => report.passed += 1,
            (Err(why), None) => report.failures.push((name, why)),
            (Err(_), Some(e)) => report.excepted.push((name, e.reason.to_string())),
            (Ok(()), Some(_)) => report.failures.push((
                name,
                "listed as an exception but passes: drop the exception".into(),
            )),
        }
    }
    report
}

/// Runs every known suite (or those named in `only`) from `dir`.
pub fn run_all(dir: &Path, only: &[String]) -> Vec<SuiteReport> {
    suites::ALL
        .iter()
        .filter(|s| only.is_empty() || only.iter().any(|o| o == s.name))
        .map(|s| run_suite(dir, s))
        .collect()
}
