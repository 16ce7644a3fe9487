//! `cargo xtask <command>`: the one entry point for project checks.
//!
//! - `ci` — everything CI checks: fmt, clippy `-D warnings`, tests, `deps-check`, docs.
//! - `deps-check` — the layer rule of ARCHITECTURE.md over `cargo metadata`.
//! - `docgen [--check]` — writes (or checks) the generated API reference in `docs/reference/`.
//! - `conformance [--peer DIR] [SUITE...]` — Proxmox VE's peer regression cases.
//! - `fuzz [--smoke] [--seconds N] [TARGET...]` — cargo-fuzz targets (nightly).
//! - `bench <NAME>|list` — benchmarks printing JSON lines with a same-run baseline.
//!
//! xtask shells out to cargo; it must not depend on product crates, so it stays quick to
//! build and never hides a product build failure.

mod bench;
mod ci;
mod deps;
mod docgen;
mod fuzz;
mod util;

use anyhow::{bail, Result};

const USAGE: &str = "usage: cargo xtask <ci|deps-check|docgen|conformance|fuzz|bench> [args]
  ci [--no-clippy]                run fmt, clippy -D warnings, tests, deps-check
  deps-check                      enforce the crate layer rule
  docgen [--check]                write (or check) docs/reference/*.json
  conformance [--peer DIR] [S..]  run peer conformance suites
  fuzz [--smoke] [--seconds N] [T..]  run fuzz targets (nightly + cargo-fuzz)
  bench <name>|list               run a benchmark, JSON lines on stdout";

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((cmd, rest)) = args.split_first() else {
        bail!("{USAGE}");
    };
    match cmd.as_str() {
        "ci" => ci::run(rest),
        "deps-check" => deps::run(),
        "docgen" => docgen::run(rest),
        "conformance" => {
            let mut argv = vec!["run", "--quiet", "-p", "virton-conformance", "--"];
            argv.extend(rest.iter().map(String::as_str));
            util::cargo(&argv)
        }
        "fuzz" => fuzz::run(rest),
        "bench" => bench::run(rest),
        "-h" | "--help" | "help" => {
            println!("{USAGE}");
            Ok(())
        }
        other => bail!("unknown command '{other}'\n{USAGE}"),
    }
}
