//! End to end through the CLI: a real `virtond` on a temp root, and the `virton`
//! multi-call binary (as `pvesh`) talking to it over the local socket as root@pam.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

struct Daemon(Child);

impl Drop for Daemon {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start(root: &Path) -> Daemon {
    let mut child = Command::new(env!("CARGO_BIN_EXE_virtond"))
        .args([
            "--root",
            root.to_str().unwrap(),
            "--node",
            "cli1",
            "--listen",
            "127.0.0.1:0",
        ])
        .stderr(Stdio::piped())
        .spawn()
        .expect("virtond starts");
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        match lines.next() {
            Some(Ok(l)) if l.contains("serving https://") => break,
            Some(Ok(_)) => {}
            _ => panic!("virtond exited before serving"),
        }
    }
    std::thread::spawn(move || for _ in lines {});
    Daemon(child)
}

/// The `virton` binary next to `virtond` (built by the workspace build), built on demand.
fn virton() -> PathBuf {
    let dir = Path::new(env!("CARGO_BIN_EXE_virtond"))
        .parent()
        .unwrap()
        .to_path_buf();
    let exe = dir.join("virton");
    if !exe.exists() {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let ok = Command::new(cargo)
            .args(["build", "-q", "-p", "virton-cli"])
            .status()
            .unwrap();
        assert!(ok.success(), "building virton failed");
    }
    exe
}

fn pvesh(root: &Path, args: &[&str]) -> Output {
    Command::new(virton())
        .arg("pvesh")
        .args(args)
        .env("VIRTON_ROOT", root)
        .output()
        .expect("virton runs")
}

#[test]
fn pvesh_reads_the_api_of_a_running_daemon() {
    let dir = tempfile::tempdir().unwrap();
    let _daemon = start(dir.path());

    let out = pvesh(dir.path(), &["get", "/version", "--output-format", "json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["release"], "9.1");

    let out = pvesh(dir.path(), &["get", "/version", "--bogus", "1"]);
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("400"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let out = pvesh(dir.path(), &["ls", "/"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("version"));
}
