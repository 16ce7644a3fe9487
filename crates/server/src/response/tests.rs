use super::*;
use http_body_util::BodyExt;
use serde_json::json;

fn ok(v: Value) -> Outcome {
    Outcome {
        result: Ok(v),
        total: None,
        changes: None,
        verbatim: false,
    }
}

fn body_json(r: &Reply) -> Value {
    serde_json::from_slice(&r.body).unwrap()
}

#[test]
fn json_success_envelope_encodes_booleans_as_numbers() {
    let mut o = ok(json!({"running": true, "vmid": 100}));
    o.total = Some(3);
    let r = format_outcome(Format::Json, o);
    assert_eq!(r.status, 200);
    assert_eq!(r.content_type, Some("application/json;charset=UTF-8"));
    assert_eq!(
        body_json(&r),
        json!({"data": {"running": 1, "vmid": 100}, "total": 3})
    );
}

#[test]
fn json_total_zero_is_left_out_as_upstream() {
    let mut o = ok(json!([]));
    o.total = Some(0);
    assert_eq!(
        body_json(&format_outcome(Format::Json, o)),
        json!({"data": []})
    );
}

#[test]
fn json_error_has_reason_errors_and_message_with_newline() {
    let e = ApiError::param("vmid", "invalid format");
    let r = format_outcome(Format::Json, Outcome::error(e));
    assert_eq!(r.status, 400);
    assert_eq!(r.reason.as_deref(), Some("Parameter verification failed."));
    assert_eq!(
        body_json(&r),
        json!({"data": null, "errors": {"vmid": "invalid format"}, "message": "Parameter verification failed.\n"})
    );
}

#[test]
fn verbatim_error_message_has_no_newline() {
    let e = ApiError::not_implemented("Method 'GET /x' not implemented");
    let r = format_outcome(Format::Json, Outcome::verbatim_error(e));
    assert_eq!(body_json(&r)["message"], "Method 'GET /x' not implemented");
}

#[test]
fn extjs_error_is_http_200_with_success_and_status() {
    let r = format_outcome(
        Format::Extjs,
        Outcome::error(ApiError::forbidden(
            "Permission check failed (/, Sys.Audit)",
        )),
    );
    assert_eq!(r.status, 200);
    assert_eq!(
        body_json(&r),
        json!({"data": null, "success": 0, "message": "Permission check failed (/, Sys.Audit)\n", "status": 403})
    );
    let r = format_outcome(Format::Extjs, ok(json!(true)));
    assert_eq!(body_json(&r), json!({"data": 1, "success": 1}));
}

#[test]
fn htmljs_is_escaped_html() {
    let r = format_outcome(Format::Htmljs, ok(json!("<a>")));
    assert_eq!(r.content_type, Some("text/html;charset=UTF-8"));
    assert_eq!(
        &r.body[..],
        b"{&quot;data&quot;:&quot;&lt;a&gt;&quot;,&quot;success&quot;:1}"
    );
}

#[test]
fn spiceconfig_lists_keys() {
    let r = format_outcome(
        Format::SpiceConfig,
        ok(json!({"host": "h", "port": 3128, "x": null})),
    );
    assert_eq!(&r.body[..], b"[virt-viewer]\nhost=h\nport=3128\n");
}

#[tokio::test]
async fn finish_sets_reason_close_and_gzip() {
    let r = format_outcome(
        Format::Json,
        Outcome::error(ApiError::internal("boom\nmore")),
    );
    let resp = finish(r, true);
    assert_eq!(resp.status(), 500);
    assert_eq!(resp.headers()["connection"], "close");
    assert_eq!(
        resp.extensions()
            .get::<hyper::ext::ReasonPhrase>()
            .unwrap()
            .as_bytes(),
        b"boom"
    );

    let big = ok(json!("x".repeat(4000)));
    let resp = finish(format_outcome(Format::Json, big), true);
    assert_eq!(resp.headers()["content-encoding"], "gzip");
    assert_eq!(resp.headers()["connection"], "Keep-Alive");
    let body = resp.into_body().collect().await.unwrap().to_bytes();
    let mut text = String::new();
    std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&body[..]), &mut text).unwrap();
    assert!(text.starts_with("{\"data\":\"xxx"));

    let small = finish(format_outcome(Format::Json, ok(json!(1))), true);
    assert!(small.headers().get("content-encoding").is_none());
}

#[test]
fn first_line_drops_control_characters() {
    assert_eq!(first_line("a\tb\r\nc"), "ab");
    assert_eq!(first_line(""), "");
}
