//! `virton-bench`: benchmarks of VirtOn's hot paths, run by `cargo xtask bench <name>`.
//!
//! Every benchmark prints one JSON line per case with the case's median and 99th
//! percentile, a baseline measured in the same run and their ratio, so numbers stay
//! comparable on a shared, noisy machine. `list` prints the benchmarks with a summary.
//!
//! Must not be depended on by any crate (dev only).

mod api;
mod config;
mod measure;

use anyhow::{bail, Result};

/// A benchmark: its name, a one-line summary and its entry point.
struct Bench {
    name: &'static str,
    about: &'static str,
    run: fn(&[String]) -> Result<()>,
}

const BENCHES: &[Bench] = &[
    Bench {
        name: "config",
        about:
            "parse and write of guest configs, user.cfg and storage.cfg vs. a line-splitting baseline",
        run: config::run,
    },
    Bench {
        name: "api",
        about: "virtond over TLS: /version latency and req/s, 1000 connections, /cluster/resources, task start, RSS vs. an axum hello world",
        run: api::run,
    },
];

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((name, rest)) = args.split_first() else {
        bail!("usage: virton-bench <name>|list");
    };
    if name == "list" {
        for b in BENCHES {
            println!("{}\t{}", b.name, b.about);
        }
        return Ok(());
    }
    match BENCHES.iter().find(|b| b.name == name) {
        Some(b) => (b.run)(rest),
        None => bail!("unknown benchmark '{name}' (try 'list')"),
    }
}
