//! `cargo xtask ci`: the one command that checks everything before a commit.

use crate::{deps, docgen, util};
use anyhow::Result;

/// Runs every check in order and stops at the first failure.
pub fn run(args: &[String]) -> Result<()> {
    let clippy = !args.iter().any(|a| a == "--no-clippy");
    util::cargo(&["fmt", "--all", "--check"])?;
    if clippy {
        util::cargo(&[
            "clippy",
            "--workspace",
            "--all-targets",
            "--locked",
            "--",
            "-D",
            "warnings",
        ])?;
    }
    deps::run()?;
    docgen::run(&["--check".to_string()])?;
    if util::has_cargo_subcommand("nextest") {
        util::cargo(&[
            "nextest",
            "run",
            "--workspace",
            "--locked",
            "--no-fail-fast",
        ])?;
        util::cargo(&["test", "--workspace", "--locked", "--doc"])?;
    } else {
        util::cargo(&["test", "--workspace", "--locked", "--no-fail-fast"])?;
    }
    eprintln!("xtask ci: all checks passed");
    Ok(())
}
