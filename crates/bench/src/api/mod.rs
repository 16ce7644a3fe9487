//! `api`: the API server's latency, throughput, connection capacity, memory and task
//! start, against a release-built `virtond` started on temp roots, each case next to a
//! baseline measured in the same run (the `hello_axum` reference server, or the bare
//! operation underneath) and the target (reported, never asserted).
//!
//! `virton-bench api [--secs S] [--clients N] [--conns N] [--vms N] [--tasks N]
//! [--only case,...]`. `VIRTON_BENCH_VIRTOND` / `VIRTON_BENCH_HELLO` name prebuilt
//! binaries; otherwise both are built with `cargo build --release`. All traffic stays
//! on 127.0.0.1 and a Unix socket in the temp root. Depends on the daemon only as a
//! process, on `virton-tasks` and `virton-access` as libraries.

mod cases;
mod client;
mod fixtures;
mod load;
mod procs;
mod report;
mod tasks;

use anyhow::{bail, Context, Result};
use std::time::Duration;

/// Every case, in the order they run.
const CASES: &[&str] = &[
    "task_start",
    "idle_rss",
    "version_tls_c1",
    "version_tls",
    "version_unix",
    "connections",
    "rss_after_load",
    "cluster_resources",
];

/// Command-line options of the benchmark.
pub struct Options {
    /// Measured seconds of each load case.
    secs: Duration,
    /// Keep-alive clients of the throughput cases.
    clients: usize,
    /// Connections of the burst case.
    conns: usize,
    /// VM configs of the resources case.
    vms: u32,
    /// Task starts timed.
    tasks: usize,
    /// The cases to run; all when empty.
    only: Vec<String>,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            secs: Duration::from_secs(3),
            clients: 16,
            conns: 1000,
            vms: 10_000,
            tasks: 1000,
            only: Vec::new(),
        }
    }
}

impl Options {
    fn parse(args: &[String]) -> Result<Self> {
        let mut o = Options::default();
        let mut it = args.iter();
        while let Some(flag) = it.next() {
            let value = it.next().with_context(|| format!("{flag} needs a value"))?;
            let bad = || format!("invalid value '{value}' for {flag}");
            match flag.as_str() {
                "--secs" => {
                    let s: f64 = value.parse().with_context(bad)?;
                    o.secs = Duration::try_from_secs_f64(s).with_context(bad)?;
                }
                "--clients" => o.clients = value.parse().with_context(bad)?,
                "--conns" => o.conns = value.parse().with_context(bad)?,
                "--vms" => o.vms = value.parse().with_context(bad)?,
                "--tasks" => o.tasks = value.parse().with_context(bad)?,
                "--only" => o.only = value.split(',').map(str::to_string).collect(),
                other => bail!("unknown option '{other}' (cases: {})", CASES.join(",")),
            }
        }
        if let Some(c) = o.only.iter().find(|c| !CASES.contains(&c.as_str())) {
            bail!("unknown case '{c}' (cases: {})", CASES.join(","));
        }
        Ok(o)
    }

    /// Whether `case` is to run.
    fn wants(&self, case: &str) -> bool {
        self.only.is_empty() || self.only.iter().any(|c| c == case)
    }
}

/// Raises the open-file limit to its hard maximum: a thousand connections need two
/// thousand descriptors across client and servers (the children inherit the limit).
fn raise_open_files() {
    let mut lim = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit/setrlimit only read and write the struct we own.
    unsafe {
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) == 0 && lim.rlim_cur < lim.rlim_max {
            lim.rlim_cur = lim.rlim_max;
            libc::setrlimit(libc::RLIMIT_NOFILE, &lim);
        }
    }
}

/// Runs the selected cases, printing one JSON line each.
pub fn run(args: &[String]) -> Result<()> {
    let opts = Options::parse(args)?;
    raise_open_files();
    if opts.wants("task_start") {
        tasks::task_start(opts.tasks)?;
    }
    let http = CASES.iter().filter(|c| **c != "task_start");
    if !http.into_iter().any(|c| opts.wants(c)) {
        return Ok(());
    }
    let bins = cases::Binaries {
        virtond: procs::binary("VIRTON_BENCH_VIRTOND", "virton-daemon", "virtond")?,
        hello: procs::binary("VIRTON_BENCH_HELLO", "virton-bench", "hello_axum")?,
    };
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let version = CASES
        .iter()
        .filter(|c| !["task_start", "cluster_resources"].contains(c));
    if version.into_iter().any(|c| opts.wants(c)) {
        cases::version_cases(&rt, &bins, &opts)?;
    }
    if opts.wants("cluster_resources") {
        cases::resources_case(&rt, &bins, &opts)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(v: &[&str]) -> Result<Options> {
        Options::parse(&v.iter().map(|s| s.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn options_are_read_and_cases_filtered() {
        let o = parse(&[
            "--secs",
            "0.5",
            "--clients",
            "4",
            "--only",
            "idle_rss,task_start",
        ])
        .unwrap();
        assert_eq!(o.secs, Duration::from_millis(500));
        assert_eq!(o.clients, 4);
        assert!(o.wants("idle_rss") && o.wants("task_start"));
        assert!(!o.wants("version_tls"));
        assert!(parse(&[]).unwrap().wants("version_tls"));
    }

    #[test]
    fn unknown_options_and_cases_are_rejected() {
        assert!(parse(&["--only", "nosuch"]).is_err());
        assert!(parse(&["--bogus", "1"]).is_err());
        assert!(parse(&["--secs", "-1"]).is_err());
        assert!(parse(&["--clients"]).is_err());
    }
}
