//! `cargo xtask fuzz`: runs the cargo-fuzz targets in `fuzz/fuzz_targets` (nightly).
//!
//! `--smoke` runs each target briefly (CI); otherwise each runs `--seconds` (default 60).
//! A crash fails the command and leaves the reproducer under `fuzz/artifacts/<target>/`.

use crate::util;
use anyhow::{bail, Context, Result};

/// Lists the targets: file stems under `fuzz/fuzz_targets`.
fn targets() -> Result<Vec<String>> {
    let dir = util::root().join("fuzz/fuzz_targets");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .with_context(|| format!("cannot read {}", dir.display()))?
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let name = e.file_name().into_string().ok()?;
            name.strip_suffix(".rs").map(str::to_string)
        })
        .collect();
    names.sort();
    Ok(names)
}

/// Runs the fuzz command.
pub fn run(args: &[String]) -> Result<()> {
    let mut seconds = 60u32;
    let mut chosen = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--smoke" => seconds = 10,
            "--seconds" => {
                seconds = it
                    .next()
                    .and_then(|s| s.parse().ok())
                    .context("--seconds needs a number")?
            }
            "--list" => {
                println!("{}", targets()?.join("\n"));
                return Ok(());
            }
            t => chosen.push(t.to_string()),
        }
    }
    if !util::has_cargo_subcommand("fuzz") {
        bail!("cargo-fuzz is missing: run scripts/install-deps.sh test");
    }
    let all = targets()?;
    let run_list = if chosen.is_empty() {
        all.clone()
    } else {
        chosen
    };
    let fuzz_dir = util::root().join("fuzz");
    let fuzz_dir = fuzz_dir.to_string_lossy();
    util::run(
        "cargo",
        &["+nightly", "fuzz", "build", "--fuzz-dir", &fuzz_dir],
    )?;
    for t in &run_list {
        if !all.contains(t) {
            bail!("unknown fuzz target '{t}' (have: {})", all.join(", "));
        }
        let time = format!("-max_total_time={seconds}");
        util::run(
            "cargo",
            &[
                "+nightly",
                "fuzz",
                "run",
                "--fuzz-dir",
                &fuzz_dir,
                t,
                "--",
                &time,
                "-rss_limit_mb=1024",
            ],
        )?;
    }
    eprintln!(
        "fuzz: {} targets ran {seconds}s each without a crash",
        run_list.len()
    );
    Ok(())
}
