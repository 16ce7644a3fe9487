//! The server against WIRE.md: a real server on 127.0.0.1 with an ephemeral port,
//! a test router and a fake authenticator, driven by a raw HTTP/1.1 client.

mod support;

use serde_json::json;
use std::time::{Duration, Instant};
use support::*;

#[tokio::test]
async fn plain_http_on_the_tls_port_is_redirected_to_https() {
    let s = start().await;
    let r = s
        .plain_raw(&build("GET", "/api2/json/version?x=1", &[], ""))
        .await;
    assert_eq!(r.status, 301);
    let expected = format!("https://localhost:{}/api2/json/version?x=1", s.addr.port());
    assert_eq!(r.header("location"), Some(expected.as_str()));
    assert!(r.closed);
}

#[tokio::test]
async fn unknown_path_is_501_method_not_implemented() {
    let s = start().await;
    let r = s
        .call("GET", "/api2/json/nodes/node1/bogus", &[&cookie()], "")
        .await;
    assert_eq!(r.status, 501);
    assert_eq!(r.reason, "Method 'GET /nodes/node1/bogus' not implemented");
    assert_eq!(
        r.json(),
        json!({"data": null, "message": "Method 'GET /nodes/node1/bogus' not implemented"})
    );
    let r = s
        .call("POST", "/api2/json/version", &[&cookie(), &csrf()], "")
        .await;
    assert_eq!(r.reason, "Method 'POST /version' not implemented");
}

#[tokio::test]
async fn path_without_format_is_501_no_such_uri() {
    let s = start().await;
    for path in ["/api2/", "/api2/JSON/version"] {
        let r = s.call("GET", path, &[&cookie()], "").await;
        assert_eq!(
            (r.status, r.reason.as_str()),
            (501, "no such uri"),
            "{path}"
        );
        assert!(r.body.is_empty());
    }
    // As upstream: the first segment after /api2 is taken as the format.
    let r = s.call("GET", "/api2/version", &[&cookie()], "").await;
    assert_eq!(r.reason, "no formatter for uri /, version");
    let r = s.call("GET", "/api2/xml/version", &[&cookie()], "").await;
    assert_eq!(
        (r.status, r.reason.as_str()),
        (501, "no formatter for uri /version, xml")
    );
}

#[tokio::test]
async fn error_has_first_line_as_reason_body_and_connection_close() {
    let s = start().await;
    let r = s.call("GET", "/api2/json/fail", &[&cookie()], "").await;
    assert_eq!(r.status, 500);
    assert_eq!(r.reason, "unable to frobnicate");
    assert_eq!(
        r.json(),
        json!({"data": null, "message": "unable to frobnicate\nsecond line\n"})
    );
    assert_eq!(r.header("connection"), Some("close"));
    assert!(r.closed, "connection must close after an error");
    assert_eq!(
        r.header("content-type"),
        Some("application/json;charset=UTF-8")
    );
}

#[tokio::test]
async fn success_keeps_the_connection_and_encodes_booleans_as_numbers() {
    let s = start().await;
    let r = s.call("GET", "/api2/json/version", &[&cookie()], "").await;
    assert_eq!(r.status, 200);
    assert_eq!(&r.body[..], b"{\"data\":1}");
    assert!(!r.closed);
    let r = s
        .call("GET", "/api2/json/echo?b=1&a=x", &[&cookie()], "")
        .await;
    assert_eq!(
        r.json(),
        json!({"data": {"caller": "alice@pve", "a": "x", "b": 1}, "total": 7})
    );
}

#[tokio::test]
async fn boolean_true_string_fails_the_type_check() {
    let s = start().await;
    let r = s
        .call("GET", "/api2/json/echo?b=true", &[&cookie()], "")
        .await;
    assert_eq!(r.status, 400);
    assert_eq!(r.reason, "Parameter verification failed.");
    assert!(r.json()["errors"]["b"].is_string());
}

#[tokio::test]
async fn form_json_and_untyped_bodies_are_accepted() {
    let s = start().await;
    let auth = [cookie(), csrf()];
    let (c, t) = (auth[0].as_str(), auth[1].as_str());
    let form = s
        .call(
            "POST",
            "/api2/json/echo",
            &[c, t, "Content-Type: application/x-www-form-urlencoded"],
            "a=f%20x&n=5",
        )
        .await;
    assert_eq!(
        (
            form.json()["data"]["a"].clone(),
            form.json()["data"]["n"].clone()
        ),
        (json!("f x"), json!(5))
    );
    let js = s
        .call(
            "PUT",
            "/api2/json/echo",
            &[c, t, "Content-Type: application/json"],
            r#"{"a":"j","b":true,"n":3}"#,
        )
        .await;
    assert_eq!(
        js.json()["data"],
        json!({"caller": "alice@pve", "a": "j", "b": 1, "n": 3})
    );
    let bare = s
        .call("POST", "/api2/json/echo", &[c, t], "a=nobody&b=0")
        .await;
    assert_eq!(bare.json()["data"]["a"], "nobody");
    assert_eq!(bare.json()["data"]["b"], 0);
}

#[tokio::test]
async fn query_wins_over_body_and_repeated_keys_become_arrays() {
    let s = start().await;
    let r = s
        .call(
            "POST",
            "/api2/json/echo?a=query&list=x&list=y",
            &[&cookie(), &csrf()],
            "a=body&n=1",
        )
        .await;
    assert_eq!(r.json()["data"]["a"], "query");
    assert_eq!(r.json()["data"]["n"], 1);
    assert_eq!(r.json()["data"]["list"], json!(["x", "y"]));
}

#[tokio::test]
async fn conflicting_uri_parameter_is_400() {
    let s = start().await;
    let r = s
        .call(
            "POST",
            "/api2/json/items/a1",
            &[&cookie(), &csrf()],
            "id=other",
        )
        .await;
    assert_eq!(r.status, 400);
    assert!(r.json()["errors"]["id"]
        .as_str()
        .unwrap()
        .contains("duplicate parameter"));
    let same = s
        .call(
            "POST",
            "/api2/json/items/a1",
            &[&cookie(), &csrf()],
            "id=a1",
        )
        .await;
    assert_eq!(same.json()["data"], "a1");
}

#[tokio::test]
async fn body_on_get_or_delete_is_501_unexpected_content() {
    let s = start().await;
    let r = s.call("GET", "/api2/json/echo", &[&cookie()], "a=1").await;
    assert_eq!(
        (r.status, r.reason.as_str()),
        (501, "Unexpected content for method 'GET'")
    );
    let r = s
        .call("DELETE", "/api2/json/echo", &[&cookie(), &csrf()], "a=1")
        .await;
    assert_eq!(r.reason, "Unexpected content for method 'DELETE'");
}

#[tokio::test]
async fn chunked_body_and_oversized_body_are_501() {
    let s = start().await;
    let req = format!(
        "POST /api2/json/echo HTTP/1.1\r\nHost: localhost\r\n{}\r\n{}\r\nTransfer-Encoding: chunked\r\n\r\n3\r\na=1\r\n0\r\n\r\n",
        cookie(),
        csrf()
    );
    let r = s.tls_raw(req.as_bytes()).await;
    assert_eq!(
        (r.status, r.reason.as_str()),
        (501, "chunked transfer encoding not supported")
    );
    let big = format!("a={}", "x".repeat(600 * 1024));
    let r = s
        .call("POST", "/api2/json/echo", &[&cookie(), &csrf()], &big)
        .await;
    assert_eq!((r.status, r.reason.as_str()), (501, "for data too large"));
}

#[tokio::test]
async fn multipart_outside_upload_endpoints_is_refused() {
    let s = start().await;
    let r = s
        .call(
            "POST",
            "/api2/json/echo",
            &[
                &cookie(),
                &csrf(),
                "Content-Type: multipart/form-data; boundary=x",
            ],
            "--x--",
        )
        .await;
    assert_eq!(r.status, 506);
}

#[tokio::test]
async fn auth_failure_is_401_empty_after_delay_without_blocking_others() {
    let s = std::sync::Arc::new(start().await);
    let started = Instant::now();
    let bad = {
        let s = s.clone();
        tokio::spawn(async move {
            s.call(
                "GET",
                "/api2/json/version",
                &["Cookie: PVEAuthCookie=forged"],
                "",
            )
            .await
        })
    };
    tokio::time::sleep(Duration::from_millis(200)).await;
    let good = s.call("GET", "/api2/json/version", &[&cookie()], "").await;
    assert_eq!(good.status, 200);
    assert!(
        started.elapsed() < Duration::from_millis(2500),
        "a delayed 401 blocked another request"
    );
    let bad = bad.await.unwrap();
    assert!(started.elapsed() >= Duration::from_millis(2900));
    assert_eq!(
        (bad.status, bad.reason.as_str()),
        (401, "Authentication failed!")
    );
    assert!(bad.body.is_empty());
    let none = s.call("GET", "/api2/json/version", &[], "").await;
    assert_eq!((none.status, none.reason.as_str()), (401, "No ticket"));
}

#[tokio::test]
async fn world_methods_need_no_credentials() {
    let s = start().await;
    let r = s.call("GET", "/api2/json/access/domains", &[], "").await;
    assert_eq!(r.json(), json!({"data": ["anonymous=true"]}));
}

#[tokio::test]
async fn csrf_is_required_for_ticket_writes_but_not_for_tokens() {
    let s = start().await;
    let r = s.call("POST", "/api2/json/echo", &[&cookie()], "a=1").await;
    assert_eq!(
        (r.status, r.reason.as_str()),
        (401, "Permission denied - invalid csrf token")
    );
    let header = format!("Authorization: PVEAuthCookie={TICKET}");
    let r = s
        .call("POST", "/api2/json/echo", &[&header, &csrf()], "a=1")
        .await;
    assert_eq!(r.json()["data"]["caller"], "alice@pve");
    let token = format!("Authorization: PVEAPIToken=alice@pve!t1={TOKEN_SECRET}");
    let r = s.call("POST", "/api2/json/echo", &[&token], "a=1").await;
    assert_eq!(r.json()["data"]["caller"], "alice@pve!t1");
}

#[tokio::test]
async fn token_header_accepts_a_space_after_the_scheme() {
    let s = start().await;
    let token = format!("Authorization: PVEAPIToken alice@pve!t1={TOKEN_SECRET}");
    let r = s.call("GET", "/api2/json/echo", &[&token], "").await;
    assert_eq!(r.json()["data"]["caller"], "alice@pve!t1");
    let wrong = "Authorization: PVEAPIToken=alice@pve!t1=nope";
    assert_eq!(
        s.call("GET", "/api2/json/echo", &[wrong], "").await.status,
        401
    );
}

#[tokio::test]
async fn no_token_methods_answer_403_for_tokens() {
    let s = start().await;
    let token = format!("Authorization: PVEAPIToken=alice@pve!t1={TOKEN_SECRET}");
    let r = s.call("GET", "/api2/json/notoken", &[&token], "").await;
    assert_eq!(r.status, 403);
    assert_eq!(
        r.reason,
        "Permission check failed (URI '/notoken' not available with API token, need proper ticket."
    );
    assert_eq!(
        s.call("GET", "/api2/json/notoken", &[&cookie()], "")
            .await
            .status,
        200
    );
}

#[tokio::test]
async fn tfa_pending_ticket_reaches_only_post_access_tfa() {
    let s = start().await;
    let tfa = format!("Cookie: PVEAuthCookie={TFA_TICKET}");
    assert_eq!(
        s.call("GET", "/api2/json/version", &[&tfa], "")
            .await
            .reason,
        "No ticket"
    );
    let r = s
        .call("POST", "/api2/json/access/tfa", &[&tfa, &csrf()], "")
        .await;
    assert_eq!(r.json()["data"], "alice@pve");
}

#[tokio::test]
async fn permission_is_checked_with_the_method_expression() {
    let s = start().await;
    let r = s.call("GET", "/api2/json/vms/100", &[&cookie()], "").await;
    assert_eq!(
        (r.status, r.reason.as_str()),
        (403, "Permission check failed (/vms/100, VM.Audit)")
    );
}

#[tokio::test]
async fn other_node_answers_like_a_one_node_cluster() {
    let s = start().await;
    let r = s
        .call("GET", "/api2/json/nodes/node1/status", &[&cookie()], "")
        .await;
    assert_eq!(r.json()["data"], "node1");
    let r = s
        .call("GET", "/api2/json/nodes/pve9/status", &[&cookie()], "")
        .await;
    assert_eq!(r.status, 500);
    assert_eq!(r.reason, "hostname lookup 'pve9' failed - failed to get address info for: pve9: Name or service not known");
}

#[tokio::test]
async fn gzip_only_when_accepted_and_large() {
    let s = start().await;
    let r = s
        .call(
            "GET",
            "/api2/json/big",
            &[&cookie(), "Accept-Encoding: gzip, deflate"],
            "",
        )
        .await;
    assert_eq!(r.header("content-encoding"), Some("gzip"));
    let mut text = String::new();
    std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&r.body[..]), &mut text)
        .unwrap();
    assert!(text.starts_with("{\"data\":\"xxxx"));
    let plain = s.call("GET", "/api2/json/big", &[&cookie()], "").await;
    assert_eq!(plain.header("content-encoding"), None);
    let small = s
        .call(
            "GET",
            "/api2/json/version",
            &[&cookie(), "Accept-Encoding: gzip"],
            "",
        )
        .await;
    assert_eq!(small.header("content-encoding"), None);
}

#[tokio::test]
async fn extjs_errors_are_http_200_with_success_0() {
    let s = start().await;
    let r = s.call("GET", "/api2/extjs/fail", &[&cookie()], "").await;
    assert_eq!(r.status, 200);
    assert_eq!(
        r.json(),
        json!({"data": null, "success": 0, "status": 500, "message": "unable to frobnicate\nsecond line\n"})
    );
}

#[tokio::test]
async fn unix_socket_root_peer_is_root_at_pam_without_csrf() {
    let s = start().await;
    let r = s
        .unix_raw(&build("POST", "/api2/json/echo", &[], "a=local"))
        .await;
    assert_eq!(r.json()["data"]["caller"], "root@pam");
    let r = s
        .unix_raw(&build("GET", "/api2/json/vms/100", &[], ""))
        .await;
    assert_eq!(r.json()["data"], 100);
}

#[tokio::test]
async fn upload_streams_the_file_to_a_temp_path_given_to_the_handler() {
    let s = start().await;
    let body = "--XyZ\r\nContent-Disposition: form-data; name=\"content\"\r\n\r\niso\r\n\
                --XyZ\r\nContent-Disposition: form-data; name=\"filename\"; filename=\"a.iso\"\r\n\
                Content-Type: application/octet-stream\r\n\r\nHELLO ISO\r\n--XyZ--\r\n";
    let r = s
        .call(
            "POST",
            "/api2/json/nodes/node1/storage/local/upload",
            &[&cookie(), "Content-Type: multipart/form-data; boundary=XyZ"],
            body,
        )
        .await;
    let data = &r.json()["data"];
    assert_eq!(data["filename"], "a.iso");
    assert_eq!(data["data"], "HELLO ISO");
    assert_eq!(data["content"], "iso");
    assert_eq!(data["target"], "node1/local");
    let tmp = data["tmpfilename"].as_str().unwrap();
    assert!(tmp.starts_with(s.root.path().join("var/tmp/pveupload-").to_str().unwrap()));
    assert!(
        !std::path::Path::new(tmp).exists(),
        "temp file must be removed after the request"
    );
}

#[tokio::test]
async fn client_cannot_name_the_upload_temp_file() {
    let s = start().await;
    let r = s
        .call(
            "POST",
            "/api2/json/nodes/node1/storage/local/upload?tmpfilename=/etc/passwd",
            &[&cookie(), "Content-Type: multipart/form-data; boundary=B"],
            "--B\r\nContent-Disposition: form-data; name=\"content\"\r\n\r\niso\r\n--B\r\nContent-Disposition: form-data; name=\"filename\"; filename=\"x\"\r\n\r\nX\r\n--B--\r\n",
        )
        .await;
    assert_ne!(r.json()["data"]["tmpfilename"], "/etc/passwd");
}

#[tokio::test]
async fn openapi_document_and_index_page_are_served() {
    let s = start().await;
    let r = s.call("GET", "/api2/openapi.json", &[], "").await;
    assert_eq!(r.json(), json!({"openapi": "3.0.3"}));
    let r = s.call("GET", "/", &[], "").await;
    let page = String::from_utf8_lossy(&r.body);
    assert!(page.contains("web interface is not built yet"));
    assert!(page.contains(&format!("https://localhost:{}/api2/json/", s.addr.port())));
    let r = s.call("GET", "/nope.js", &[], "").await;
    assert_eq!(
        (r.status, r.reason.as_str()),
        (501, "no such file '/nope.js'")
    );
}

#[tokio::test]
async fn unknown_http_method_is_501() {
    let s = start().await;
    let r = s
        .call("PATCH", "/api2/json/version", &[&cookie()], "")
        .await;
    assert_eq!(
        (r.status, r.reason.as_str()),
        (501, "method 'PATCH' not available")
    );
}

#[tokio::test]
async fn unix_socket_non_root_peer_is_refused_with_401() {
    use std::os::unix::fs::PermissionsExt;
    use std::os::unix::process::CommandExt;
    if std::process::Command::new("python3")
        .arg("-c")
        .arg("")
        .output()
        .is_err()
    {
        eprintln!("skipped: python3 is needed to connect as another uid");
        return;
    }
    let s = start().await;
    // Let uid 65534 reach the socket below the private temp root.
    std::fs::set_permissions(s.root.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let script = "import socket,sys\n\
        c=socket.socket(socket.AF_UNIX)\n\
        c.connect(sys.argv[1])\n\
        c.sendall(b'GET /api2/json/version HTTP/1.1\\r\\nHost: x\\r\\nConnection: close\\r\\n\\r\\n')\n\
        print(c.recv(4096).split(b'\\r\\n')[0].decode())\n";
    let socket = s.socket.clone();
    let out = tokio::task::spawn_blocking(move || {
        std::process::Command::new("python3")
            .arg("-c")
            .arg(script)
            .arg(&socket)
            .uid(65534)
            .gid(65534)
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    let line = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        line.trim(),
        "HTTP/1.1 401 Authentication failed!",
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[tokio::test]
async fn shutdown_stops_listening_and_removes_the_socket() {
    let s = start().await;
    let (addr, socket) = (s.addr, s.socket.clone());
    assert!(socket.exists());
    drop(s);
    let deadline = Instant::now() + Duration::from_secs(5);
    while socket.exists() && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(!socket.exists());
    assert!(tokio::net::TcpStream::connect(addr).await.is_err());
}
