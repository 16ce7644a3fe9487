//! The servers under test as child processes: finding (or release-building) their
//! binaries, starting them on loopback, reading the address they report and their
//! memory use, and stopping them.

use anyhow::{bail, Context, Result};
use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// How long a server may take to report its address (first start generates keys).
const START_TIMEOUT: Duration = Duration::from_secs(120);

/// The binary `bin` of package `package`: the path in `env_var` when set, else built
/// with `cargo build --release` (a no-op when up to date) in this workspace.
pub fn binary(env_var: &str, package: &str, bin: &str) -> Result<PathBuf> {
    if let Some(path) = std::env::var_os(env_var) {
        return Ok(PathBuf::from(path));
    }
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    eprintln!(
        "virton-bench: cargo build --release -p {package} --bin {bin} (set {env_var} to skip)"
    );
    let out = Command::new(cargo)
        .args(["build", "--release", "--quiet", "--message-format=json"])
        .args(["-p", package, "--bin", bin])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stderr(Stdio::inherit())
        .output()
        .context("cannot run cargo")?;
    if !out.status.success() {
        bail!("cargo build of {bin} failed: {}", out.status);
    }
    executable_from_messages(&String::from_utf8_lossy(&out.stdout), bin)
        .with_context(|| format!("cargo did not report the {bin} executable"))
}

/// The `executable` of the `compiler-artifact` message for binary target `bin`.
fn executable_from_messages(messages: &str, bin: &str) -> Option<PathBuf> {
    messages
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|m| m["reason"] == "compiler-artifact" && m["target"]["name"] == bin)
        .find_map(|m| m["executable"].as_str().map(PathBuf::from))
}

/// A running server; killed when dropped.
pub struct Server {
    child: Child,
    /// The HTTPS address it reported.
    pub addr: SocketAddr,
}

impl Server {
    /// Starts `program args` and waits for its `serving https://ADDR` line on stderr.
    pub fn start(program: &Path, args: &[&str]) -> Result<Self> {
        let mut child = Command::new(program)
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .with_context(|| format!("cannot start {}", program.display()))?;
        let stderr = child.stderr.take().context("no stderr pipe")?;
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut sent = false;
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if !sent {
                    if let Some(addr) = reported_address(&line) {
                        sent = tx.send(Ok(addr)).is_ok();
                        continue;
                    }
                    let _ = tx.send(Err(line));
                }
            }
        });
        let mut seen = Vec::new();
        loop {
            match rx.recv_timeout(START_TIMEOUT) {
                Ok(Ok(addr)) => return Ok(Self { child, addr }),
                Ok(Err(line)) => seen.push(line),
                Err(_) => {
                    let _ = child.kill();
                    let _ = child.wait();
                    bail!(
                        "{} did not report its address: {}",
                        program.display(),
                        seen.join(" | ")
                    );
                }
            }
        }
    }

    /// The process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// `VmRSS` and `VmHWM` (peak) in kB, from `/proc/<pid>/status`.
    pub fn memory_kb(&self) -> Result<(u64, u64)> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid()))?;
        let field = |name: &str| {
            status
                .lines()
                .find_map(|l| l.strip_prefix(name))
                .and_then(|v| v.split_whitespace().next())
                .and_then(|v| v.parse::<u64>().ok())
                .with_context(|| format!("no {name} in /proc status"))
        };
        Ok((field("VmRSS:")?, field("VmHWM:")?))
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `ADDR` of a `... serving https://ADDR ...` line.
fn reported_address(line: &str) -> Option<SocketAddr> {
    line.split("serving https://")
        .nth(1)?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn address_is_read_from_both_servers_lines() {
        let d =
            "virtond: node 'n' serving https://127.0.0.1:4431 (certificate fingerprint x) and /s";
        assert_eq!(reported_address(d), "127.0.0.1:4431".parse().ok());
        let h = "hello_axum: serving https://127.0.0.1:9";
        assert_eq!(reported_address(h), "127.0.0.1:9".parse().ok());
        assert_eq!(reported_address("virtond: created etc/pve"), None);
    }

    #[test]
    fn executable_is_found_in_cargo_messages() {
        let msgs = r#"{"reason":"compiler-artifact","target":{"name":"other"},"executable":"/t/other"}
{"reason":"compiler-artifact","target":{"name":"virtond"},"executable":"/t/release/virtond"}
{"reason":"build-finished","success":true}"#;
        assert_eq!(
            executable_from_messages(msgs, "virtond"),
            Some(PathBuf::from("/t/release/virtond"))
        );
    }
}
