//! The client against a tiny Unix-socket server answering canned HTTP.

use super::*;
use std::io::{BufRead, BufReader, Read, Write};
use std::os::unix::net::UnixListener;
use std::thread::JoinHandle;

struct Fake {
    _dir: tempfile::TempDir,
    path: std::path::PathBuf,
}

/// Serves one connection: records the raw request, answers `answer`.
fn serve_once(answer: impl Into<String>) -> (Fake, JoinHandle<String>) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("api.sock");
    let listener = UnixListener::bind(&path).unwrap();
    let answer = answer.into();
    let handle = std::thread::spawn(move || {
        let (stream, _) = listener.accept().unwrap();
        let mut reader = BufReader::new(stream);
        let mut head = String::new();
        let mut len = 0;
        loop {
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            if let Some(v) = line.strip_prefix("Content-Length: ") {
                len = v.trim().parse().unwrap();
            }
            head.push_str(&line);
            if line == "\r\n" {
                break;
            }
        }
        let mut body = vec![0; len];
        reader.read_exact(&mut body).unwrap();
        head.push_str(&String::from_utf8(body).unwrap());
        reader.get_mut().write_all(answer.as_bytes()).unwrap();
        head
    });
    (Fake { _dir: dir, path }, handle)
}

fn params(v: &[(&str, &str)]) -> Params {
    v.iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

#[test]
fn get_sends_query_and_returns_data() {
    let (fake, h) = serve_once(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 27\r\n\r\n{\"data\":{\"release\":\"9.1\"}}\n",
    );
    let c = Client::new(UnixTransport::new(&fake.path));
    let data = c.get("/version", &params(&[("a", "x y")])).unwrap();
    assert_eq!(data, serde_json::json!({"release": "9.1"}));
    let req = h.join().unwrap();
    assert!(
        req.starts_with("GET /api2/json/version?a=x%20y HTTP/1.1\r\n"),
        "{req}"
    );
    assert!(!req.contains("Content-Length"), "{req}");
}

#[test]
fn post_sends_form_body() {
    let (fake, h) = serve_once("HTTP/1.1 200 OK\r\nContent-Length: 13\r\n\r\n{\"data\":null}");
    let c = Client::new(UnixTransport::new(&fake.path));
    let data = c
        .post(
            "access/users",
            &params(&[("userid", "joe@pve"), ("comment", "a&b")]),
        )
        .unwrap();
    assert_eq!(data, Value::Null);
    let req = h.join().unwrap();
    assert!(
        req.starts_with("POST /api2/json/access/users HTTP/1.1\r\n"),
        "{req}"
    );
    assert!(req.contains("Content-Type: application/x-www-form-urlencoded\r\n"));
    assert!(
        req.ends_with("\r\n\r\nuserid=joe%40pve&comment=a%26b"),
        "{req}"
    );
}

#[test]
fn chunked_response_is_reassembled() {
    let (fake, h) = serve_once(
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{\"dat\r\n9;x=1\r\na\":[1,2]}\r\n0\r\n\r\n",
    );
    let c = Client::new(UnixTransport::new(&fake.path));
    assert_eq!(c.get("x", &Vec::new()).unwrap(), serde_json::json!([1, 2]));
    h.join().unwrap();
}

#[test]
fn body_until_close_is_read() {
    let (fake, h) = serve_once("HTTP/1.1 200 OK\r\n\r\n{\"data\":\"UPID:n1:1:2:3:t:i:u:\"}");
    let c = Client::new(UnixTransport::new(&fake.path));
    assert_eq!(c.delete("x", &Vec::new()).unwrap(), "UPID:n1:1:2:3:t:i:u:");
    h.join().unwrap();
}

#[test]
fn error_answer_carries_status_reason_errors_and_message() {
    let body = r#"{"data":null,"errors":{"vmid":"value must have a minimum value of 100"},"message":"Parameter verification failed.\n"}"#;
    let (fake, h) = serve_once(format!(
        "HTTP/1.1 400 Parameter verification failed.\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    ));
    let c = Client::new(UnixTransport::new(&fake.path));
    let e = c.put("x", &Vec::new()).unwrap_err();
    assert_eq!(e.status, 400);
    assert_eq!(e.reason, "Parameter verification failed.");
    assert_eq!(e.errors["vmid"], "value must have a minimum value of 100");
    assert_eq!(e.message, "Parameter verification failed.\n");
    h.join().unwrap();
}

#[test]
fn error_without_body_uses_reason() {
    let (fake, h) =
        serve_once("HTTP/1.1 501 Method 'GET /x' not implemented\r\nContent-Length: 0\r\n\r\n");
    let c = Client::new(UnixTransport::new(&fake.path));
    let e = c.get("x", &Vec::new()).unwrap_err();
    assert_eq!(
        (e.status, e.message.as_str()),
        (501, "Method 'GET /x' not implemented")
    );
    assert_eq!(e.to_string(), "501 Method 'GET /x' not implemented");
    h.join().unwrap();
}

#[test]
fn missing_socket_is_a_transport_error() {
    let c = Client::new(UnixTransport::new("/nonexistent/virton/api.sock"));
    let e = c.get("version", &Vec::new()).unwrap_err();
    assert_eq!(e.status, 0);
    assert!(
        e.message.contains("unable to connect to API"),
        "{}",
        e.message
    );
}

#[test]
fn garbage_answer_is_a_transport_error() {
    let (fake, h) = serve_once("SSH-2.0-OpenSSH\r\n");
    let c = Client::new(UnixTransport::new(&fake.path));
    assert_eq!(c.get("x", &Vec::new()).unwrap_err().status, 0);
    h.join().unwrap();
}
