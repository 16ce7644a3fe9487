//! `cargo xtask bench <name>`: runs a benchmark binary of crate `virton-bench` in release
//! mode. Each prints JSON lines: one per measurement, each with the baseline measured in
//! the same run and the ratio, so numbers stay meaningful on a shared, noisy machine.

use crate::util;
use anyhow::Result;

/// Runs the named benchmark (or `list`).
pub fn run(args: &[String]) -> Result<()> {
    let mut argv = vec!["run", "--quiet", "--release", "-p", "virton-bench", "--"];
    argv.extend(args.iter().map(String::as_str));
    util::cargo(&argv)
}
