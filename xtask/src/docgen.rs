//! `cargo xtask docgen [--check]`: the generated API reference in `docs/reference/`.
//!
//! The documents come from the route tree, so this runs the dev-only binary
//! `virton-apidoc-gen` (xtask itself must not link product crates). Without `--check`
//! it rewrites the files; with `--check` it generates into a scratch directory and fails
//! when a committed file differs or is missing, naming the command that fixes it.

use crate::util;
use anyhow::{bail, Context, Result};
use std::path::{Path, PathBuf};

/// Where the generated files live, relative to the workspace root.
const REFERENCE_DIR: &str = "docs/reference";
/// The files the generator writes.
const FILES: &[&str] = &["openapi.json", "apidoc.json"];

fn generate(into: &Path) -> Result<()> {
    let dir = into.to_string_lossy();
    util::cargo(&["run", "--quiet", "-p", "virton-apidoc-gen", "--", &dir])
}

/// Runs the command.
pub fn run(args: &[String]) -> Result<()> {
    match args {
        [] => {
            generate(&util::root().join(REFERENCE_DIR))?;
            eprintln!("docgen: {REFERENCE_DIR} regenerated; commit it");
            Ok(())
        }
        [flag] if flag == "--check" => check(),
        _ => bail!("usage: cargo xtask docgen [--check]"),
    }
}

fn scratch_dir() -> PathBuf {
    std::env::temp_dir().join(format!("virton-docgen-{}", std::process::id()))
}

fn check() -> Result<()> {
    let scratch = scratch_dir();
    let result = generate(&scratch).and_then(|()| compare(&scratch));
    // Best effort: a leftover scratch directory in /tmp harms nobody.
    let _ = std::fs::remove_dir_all(&scratch);
    result
}

fn compare(scratch: &Path) -> Result<()> {
    let committed = util::root().join(REFERENCE_DIR);
    let mut stale = Vec::new();
    for name in FILES {
        let fresh = std::fs::read(scratch.join(name))
            .with_context(|| format!("generator did not write {name}"))?;
        match std::fs::read(committed.join(name)) {
            Ok(old) if old == fresh => {}
            _ => stale.push(format!("{REFERENCE_DIR}/{name}")),
        }
    }
    if !stale.is_empty() {
        bail!(
            "stale generated API reference: {}\nregenerate with `cargo xtask docgen` and commit the result",
            stale.join(", ")
        );
    }
    eprintln!("docgen: {REFERENCE_DIR} is up to date");
    Ok(())
}
