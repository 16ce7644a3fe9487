//! Small helpers for running cargo and other tools from xtask.

use anyhow::{bail, Context, Result};
use std::path::PathBuf;
use std::process::Command;

/// The workspace root (the parent of `xtask/`).
pub fn root() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    dir.parent().map(PathBuf::from).unwrap_or(dir)
}

/// Runs `cargo <args>` in the workspace root; fails when it fails.
pub fn cargo(args: &[&str]) -> Result<()> {
    run("cargo", args)
}

/// Runs `prog <args>` in the workspace root, inheriting stdio; fails when it fails.
pub fn run(prog: &str, args: &[&str]) -> Result<()> {
    eprintln!("+ {prog} {}", args.join(" "));
    let status = Command::new(prog)
        .args(args)
        .current_dir(root())
        .status()
        .with_context(|| format!("cannot run {prog}"))?;
    if !status.success() {
        bail!("{prog} {} failed: {status}", args.join(" "));
    }
    Ok(())
}

/// True when `cargo <sub> --version` works (an installed cargo subcommand).
pub fn has_cargo_subcommand(sub: &str) -> bool {
    Command::new("cargo")
        .args([sub, "--version"])
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false)
}
