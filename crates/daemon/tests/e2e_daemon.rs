//! End to end: the real `virtond` binary on a temp root initializes it, serves the API on
//! the Unix socket (as root@pam) and on HTTPS, and stops cleanly on SIGTERM.

use std::io::{BufRead, BufReader, Read, Write};
use std::os::unix::net::UnixStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

struct Daemon {
    child: Child,
    socket: std::path::PathBuf,
    https: String,
}

impl Drop for Daemon {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(root: &std::path::Path) -> Daemon {
    let mut child = Command::new(env!("CARGO_BIN_EXE_virtond"))
        .args([
            "--root",
            root.to_str().unwrap(),
            "--node",
            "e2e1",
            "--listen",
            "127.0.0.1:0",
        ])
        .stderr(Stdio::piped())
        .spawn()
        .expect("virtond starts");
    let stderr = child.stderr.take().unwrap();
    let mut lines = BufReader::new(stderr).lines();
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut https = String::new();
    while Instant::now() < deadline {
        let Some(Ok(line)) = lines.next() else { break };
        if let Some(rest) = line.split("serving https://").nth(1) {
            https = rest
                .split_whitespace()
                .next()
                .unwrap_or_default()
                .to_string();
            break;
        }
    }
    assert!(!https.is_empty(), "virtond did not report its address");
    std::thread::spawn(move || for _ in lines {});
    Daemon {
        child,
        socket: root.join("run/virton/api.sock"),
        https,
    }
}

/// One HTTP/1.1 request over the Unix socket; returns (status line, body).
fn unix_get(socket: &std::path::Path, path: &str) -> (String, String) {
    let mut s = UnixStream::connect(socket).expect("socket accepts");
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    let status = out.lines().next().unwrap_or_default().to_string();
    let body = out.split("\r\n\r\n").nth(1).unwrap_or_default().to_string();
    (status, body)
}

#[test]
fn virtond_initializes_serves_and_stops() {
    let dir = tempfile::tempdir().unwrap();
    let daemon = start(dir.path());
    assert!(dir.path().join("etc/pve/storage.cfg").exists());
    assert!(dir.path().join("etc/pve/pve-root-ca.pem").exists());
    assert!(dir.path().join("etc/pve/priv/authkey.key").exists());

    let (status, body) = unix_get(&daemon.socket, "/api2/json/version");
    assert_eq!(status, "HTTP/1.1 200 OK");
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["data"]["release"], "9.1");
    assert!(
        v["data"].get("console").is_none(),
        "absent fields are left out: {body}"
    );

    let (status, _) = unix_get(&daemon.socket, "/api2/json/no/such/path");
    assert_eq!(
        status,
        "HTTP/1.1 501 Method 'GET /no/such/path' not implemented"
    );

    // The HTTPS port answers a plain-HTTP request with a redirect.
    let mut tcp = std::net::TcpStream::connect(&daemon.https).unwrap();
    write!(
        tcp,
        "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut out = String::new();
    tcp.read_to_string(&mut out).unwrap();
    assert!(out.starts_with("HTTP/1.1 301"), "{out}");

    let pid = daemon.child.id() as i32;
    // SAFETY: plain kill(2) on our own child's pid.
    unsafe { libc::kill(pid, libc::SIGTERM) };
    let mut daemon = daemon;
    let status = daemon.child.wait().unwrap();
    assert!(
        status.success(),
        "virtond exits cleanly on SIGTERM: {status}"
    );
    assert!(!daemon.socket.exists(), "socket removed on shutdown");
}

#[test]
fn virtond_serves_its_openapi_document() {
    let dir = tempfile::tempdir().unwrap();
    let daemon = start(dir.path());
    let (status, body) = unix_get(&daemon.socket, "/api2/openapi.json");
    assert_eq!(status, "HTTP/1.1 200 OK");
    let doc: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(
        doc["openapi"].as_str().map(|v| v.starts_with("3.1")),
        Some(true),
        "{body}"
    );
    assert!(doc["paths"].get("/version").is_some());
}
