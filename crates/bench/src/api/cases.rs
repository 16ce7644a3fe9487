//! The HTTP cases: `virtond` and the `hello_axum` reference started side by side on
//! loopback, the same load generator against both, one JSON line per case.

use super::client::{Connector, Get, Target};
use super::fixtures::{self, NODE};
use super::load::{self, Outcome};
use super::procs::Server;
use super::report::{ratio, round3, Line};
use super::Options;
use anyhow::{Context, Result};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use tokio::runtime::Runtime;

const VERSION: &str = "/api2/json/version";
const RESOURCES: &str = "/api2/json/cluster/resources";
const WARMUP: Duration = Duration::from_millis(500);
/// The idle memory target, in kB.
const RSS_TARGET_KB: u64 = 40 * 1024;

/// The two server binaries.
pub struct Binaries {
    /// Release-built `virtond`.
    pub virtond: PathBuf,
    /// The reference server.
    pub hello: PathBuf,
}

/// A server under load: how to reach it and what to ask.
struct Side {
    conn: Connector,
    get: Get,
    /// How the requests authenticate.
    auth: String,
}

impl Side {
    fn new(target: Target, path: &str, ticket: Option<&str>) -> Result<Self> {
        Ok(Self {
            conn: Connector::new(target)?,
            get: Get::new(path, ticket)?,
            auth: "none".into(),
        })
    }

    fn auth(mut self, how: String) -> Self {
        self.auth = how;
        self
    }

    /// One request on a new connection: the body, or why it failed.
    async fn probe(&self) -> Result<bytes::Bytes> {
        self.conn.connect().await?.get(&self.get).await
    }
}

/// A ticket for the daemon: `POST /access/ticket` as the bench user, else a `root@pam`
/// ticket signed with the root's key; with how it was obtained.
fn authenticate(rt: &Runtime, daemon: &Server, root: &Path) -> Result<(String, String)> {
    fixtures::add_bench_user(root)?;
    let conn = Connector::new(Target::Tls(daemon.addr))?;
    let login = rt.block_on(async {
        let body = conn
            .connect()
            .await?
            .post_form("/api2/json/access/ticket", &fixtures::login_form())
            .await?;
        fixtures::ticket_of(&body).context("no ticket in the answer")
    });
    match login {
        Ok(t) => Ok((
            t,
            format!("POST /access/ticket as {}", fixtures::BENCH_USER),
        )),
        Err(e) => {
            let how = format!("root@pam ticket signed with the root's key (login failed: {e:#})");
            Ok((fixtures::root_ticket(root)?, how))
        }
    }
}

fn start_daemon(bin: &Path, root: &Path) -> Result<Server> {
    let root = root.to_str().context("temp root is not UTF-8")?;
    Server::start(
        bin,
        &["--root", root, "--node", NODE, "--listen", "127.0.0.1:0"],
    )
}

/// The reference server, serving the daemon's own node certificate so the TLS work
/// per handshake is the same.
fn start_hello(bin: &Path, root: &Path, socket: &Path) -> Result<Server> {
    let node_dir = root.join(format!("etc/pve/nodes/{NODE}"));
    let cert = node_dir.join("pve-ssl.pem");
    let key = node_dir.join("pve-ssl.key");
    let s = |p: &Path| p.to_str().map(str::to_string).context("path is not UTF-8");
    let (cert, key, socket) = (s(&cert)?, s(&key)?, s(socket)?);
    Server::start(bin, &["--cert", &cert, "--key", &key, "--unix", &socket])
}

fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// `clients` keep-alive clients against the daemon, then the same against the
/// baseline; prints the line with `target` judged by `met`.
fn keepalive_case(
    rt: &Runtime,
    case: &str,
    sides: (&Side, &Side),
    clients: usize,
    secs: Duration,
    target: (&str, fn(&Outcome) -> bool),
) {
    let (daemon, base) = sides;
    let run = rt.block_on(load::keepalive(
        &daemon.conn,
        &daemon.get,
        clients,
        WARMUP,
        secs,
    ));
    let baseline = rt.block_on(load::keepalive(
        &base.conn, &base.get, clients, WARMUP, secs,
    ));
    let met = run.errors == 0 && (target.1)(&run);
    Line::new(case)
        .set("auth", daemon.auth.as_str())
        .set("clients", clients)
        .set("secs", secs.as_secs_f64())
        .set("cores", cores())
        .set("baseline", "hello_axum")
        .compared(&run, &baseline)
        .target(target.0, met)
        .print();
}

fn version_met(o: &Outcome) -> bool {
    o.quantile(0.5) <= 1000.0 && o.quantile(0.99) <= 5000.0 && o.rps() >= 5000.0
}

fn latency_met(o: &Outcome) -> bool {
    o.quantile(0.5) <= 1000.0 && o.quantile(0.99) <= 5000.0
}

/// `VmRSS` of both servers now, as the `case` line (`idle_rss` carries the target).
fn rss_line(case: &str, daemon: &Server, hello: &Server) -> Result<()> {
    let (d_rss, d_hwm) = daemon.memory_kb()?;
    let (h_rss, h_hwm) = hello.memory_kb()?;
    let mut line = Line::new(case)
        .set("rss_kb", d_rss)
        .set("peak_rss_kb", d_hwm)
        .set("baseline", "hello_axum")
        .set("baseline_rss_kb", h_rss)
        .set("baseline_peak_rss_kb", h_hwm)
        .set("ratio_rss", ratio(d_rss as f64, h_rss as f64));
    if case == "idle_rss" {
        line = line.target("idle RSS <= 40 MB", d_rss <= RSS_TARGET_KB);
    }
    line.print();
    Ok(())
}

/// `conns` connections at once against both servers.
fn burst_case(rt: &Runtime, daemon: &Side, base: &Side, conns: usize) {
    let limit = Duration::from_secs(60);
    let run = rt.block_on(load::burst(&daemon.conn, &daemon.get, conns, 3, limit));
    let baseline = rt.block_on(load::burst(&base.conn, &base.get, conns, 3, limit));
    let served = run.ok as usize == conns && run.errors == 0;
    Line::new(&format!("connections_{conns}"))
        .set("connections", conns)
        .set("requests_per_connection", 4)
        .set("wall_ms", round3(run.elapsed.as_secs_f64() * 1e3))
        .set(
            "baseline_wall_ms",
            round3(baseline.elapsed.as_secs_f64() * 1e3),
        )
        .set("latency", "connect + TLS + first answer")
        .set("auth", daemon.auth.as_str())
        .set("baseline", "hello_axum")
        .compared(&run, &baseline)
        .target("all connections served without errors", served)
        .print();
}

/// Every `/version` case and the memory lines, on a daemon with an empty root.
pub fn version_cases(rt: &Runtime, bins: &Binaries, opts: &Options) -> Result<()> {
    let root = tempfile::tempdir()?;
    let daemon = start_daemon(&bins.virtond, root.path())?;
    let hello_socket = root.path().join("hello.sock");
    let hello = start_hello(&bins.hello, root.path(), &hello_socket)?;
    std::thread::sleep(Duration::from_secs(1));
    if opts.wants("idle_rss") {
        rss_line("idle_rss", &daemon, &hello)?;
    }
    let (ticket, auth) = authenticate(rt, &daemon, root.path())?;
    let d = Side::new(Target::Tls(daemon.addr), VERSION, Some(&ticket))?.auth(auth);
    let h = Side::new(Target::Tls(hello.addr), VERSION, None)?;
    rt.block_on(d.probe())
        .context("virtond does not answer GET /version")?;
    rt.block_on(h.probe())
        .context("hello_axum does not answer")?;
    let secs = opts.secs;
    if opts.wants("version_tls_c1") {
        let t = (
            "p50 <= 1 ms, p99 <= 5 ms",
            latency_met as fn(&Outcome) -> bool,
        );
        keepalive_case(rt, "version_tls_c1", (&d, &h), 1, secs, t);
    }
    if opts.wants("version_tls") {
        let t = (
            "p50 <= 1 ms, p99 <= 5 ms, >= 5000 req/s",
            version_met as fn(&Outcome) -> bool,
        );
        keepalive_case(rt, "version_tls", (&d, &h), opts.clients, secs, t);
    }
    if opts.wants("version_unix") {
        let du = Side::new(
            Target::Unix(root.path().join("run/virton/api.sock")),
            VERSION,
            None,
        )?;
        let hu = Side::new(Target::Unix(hello_socket), VERSION, None)?;
        let t = (
            "none (socket path; the TLS number is the target)",
            (|_: &Outcome| true) as fn(&Outcome) -> bool,
        );
        keepalive_case(rt, "version_unix", (&du, &hu), opts.clients, secs, t);
    }
    if opts.wants("connections") {
        burst_case(rt, &d, &h, opts.conns);
    }
    if opts.wants("rss_after_load") {
        rss_line("rss_after_load", &daemon, &hello)?;
    }
    Ok(())
}

/// Reads all configs repeatedly for `secs` (at least 5 times): the resources baseline.
fn read_configs_baseline(dir: &Path, secs: Duration) -> Result<Outcome> {
    let mut out = Outcome::default();
    let start = Instant::now();
    while start.elapsed() < secs || out.requests < 5 {
        let t = Instant::now();
        fixtures::read_all_configs(dir)?;
        out.latencies_us.push(t.elapsed().as_secs_f64() * 1e6);
        out.requests += 1;
        out.ok += 1;
    }
    out.elapsed = start.elapsed();
    out.latencies_us.sort_by(f64::total_cmp);
    Ok(out)
}

/// Entries of type `qemu` in a `/cluster/resources` answer.
fn qemu_entries(body: &[u8]) -> usize {
    let v: serde_json::Value = serde_json::from_slice(body).unwrap_or_default();
    v["data"]
        .as_array()
        .map_or(0, |a| a.iter().filter(|e| e["type"] == "qemu").count())
}

/// `/cluster/resources` on a daemon whose node holds `opts.vms` VM configs.
pub fn resources_case(rt: &Runtime, bins: &Binaries, opts: &Options) -> Result<()> {
    let case = format!("cluster_resources_{}", opts.vms);
    let root = tempfile::tempdir()?;
    fixtures::write_vms(root.path(), opts.vms)?;
    let daemon = start_daemon(&bins.virtond, root.path())?;
    let (ticket, auth) = authenticate(rt, &daemon, root.path())?;
    let d = Side::new(Target::Tls(daemon.addr), RESOURCES, Some(&ticket))?.auth(auth);
    let body = match rt.block_on(d.probe()) {
        Ok(b) => b,
        Err(e) => {
            let text = format!("{e:#}");
            let missing = text.starts_with("HTTP 501") || text.starts_with("HTTP 404");
            let status = if missing { "endpoint missing" } else { "error" };
            Line::new(&case)
                .set("status", status)
                .set("detail", text)
                .print();
            return Ok(());
        }
    };
    let run = rt.block_on(load::keepalive(&d.conn, &d.get, 1, WARMUP, opts.secs));
    let baseline = read_configs_baseline(&fixtures::qemu_dir(root.path()), opts.secs)?;
    let (rss, _) = daemon.memory_kb()?;
    let met = run.errors == 0 && run.quantile(0.99) <= 50_000.0;
    Line::new(&case)
        .set("vms", opts.vms)
        .set("qemu_entries", qemu_entries(&body))
        .set("response_bytes", body.len())
        .set("auth", d.auth.as_str())
        .set("clients", 1)
        .set("secs", opts.secs.as_secs_f64())
        .set("rss_kb", rss)
        .set("baseline", "read all VM config files in-process")
        .compared(&run, &baseline)
        .target("p99 <= 50 ms", met)
        .print();
    Ok(())
}
