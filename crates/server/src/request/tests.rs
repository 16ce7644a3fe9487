use super::*;
use serde_json::json;

#[test]
fn split_api_path_takes_format_and_rest() {
    let p = split_api_path("/api2/json/nodes/n1/qemu").unwrap();
    assert_eq!(p.format, "json");
    assert_eq!(p.raw_rel, "/nodes/n1/qemu");
    let p = split_api_path("/api2//extjs").unwrap();
    assert_eq!((p.format.as_str(), p.rel.as_str()), ("extjs", "/"));
}

#[test]
fn split_api_path_without_format_is_none() {
    for bad in [
        "/api2",
        "/api2/",
        "/api2/JSON/x",
        "/api2/j/x",
        "/api2/1json/x",
        "/api2x/json",
        "/api2/openapi.json",
    ] {
        assert!(split_api_path(bad).is_none(), "{bad}");
    }
}

#[test]
fn split_api_path_decodes_rel_for_messages() {
    let p = split_api_path("/api2/json/storage/local%3Aiso%2Fa.iso").unwrap();
    assert_eq!(p.rel, "/storage/local:iso/a.iso");
    assert_eq!(p.raw_rel, "/storage/local%3Aiso%2Fa.iso");
}

#[test]
fn percent_decode_keeps_broken_escapes() {
    assert_eq!(percent_decode("a%2"), "a%2");
    assert_eq!(percent_decode("%zz%41"), "%zzA");
    assert_eq!(percent_decode("%"), "%");
}

#[test]
fn urlencoded_repeated_keys_become_arrays() {
    let m = decode_urlencoded(b"command=ls&command=-l&x=1;y=a+b%21&flag&=v");
    assert_eq!(
        Value::Object(m),
        json!({"command": ["ls", "-l"], "x": "1", "y": "a b!"})
    );
}

#[test]
fn json_body_must_be_an_object_and_drops_nulls() {
    assert_eq!(
        Value::Object(decode_json(br#"{"a":1,"b":null}"#).unwrap()),
        json!({"a": 1})
    );
    assert_eq!(decode_json(b"[1]").unwrap_err().status, 400);
    assert_eq!(decode_json(b"{").unwrap_err().status, 501);
    assert!(decode_json(b"  ").unwrap().is_empty());
}

#[test]
fn transfer_encoding_is_refused_with_upstream_wording() {
    let mut h = HeaderMap::new();
    assert!(check_transfer_encoding(&h).is_ok());
    h.insert(TRANSFER_ENCODING, "chunked".parse().unwrap());
    let r = check_transfer_encoding(&h).unwrap_err();
    assert_eq!(
        (r.status, r.reason.as_deref()),
        (501, Some("chunked transfer encoding not supported"))
    );
    h.insert(TRANSFER_ENCODING, "gzip".parse().unwrap());
    assert_eq!(
        check_transfer_encoding(&h).unwrap_err().reason.as_deref(),
        Some("Unknown transfer encoding 'gzip'")
    );
}

#[test]
fn media_type_ignores_parameters_and_case() {
    let mut h = HeaderMap::new();
    h.insert(
        CONTENT_TYPE,
        "Application/JSON; charset=utf-8".parse().unwrap(),
    );
    assert_eq!(media_type(&h).as_deref(), Some("application/json"));
}

proptest::proptest! {
    #[test]
    fn urlencoded_round_trips_single_values(pairs in proptest::collection::btree_map("[a-z_][a-z0-9_-]{0,8}", ".{0,12}", 0..6)) {
        let mut ser = form_urlencoded::Serializer::new(String::new());
        for (k, v) in &pairs {
            ser.append_pair(k, v);
        }
        let decoded = decode_urlencoded(ser.finish().as_bytes());
        let expected: Map<String, Value> = pairs.into_iter().map(|(k, v)| (k, Value::String(v))).collect();
        proptest::prop_assert_eq!(decoded, expected);
    }

    #[test]
    fn request_parsers_never_panic(input in ".{0,64}") {
        let _ = split_api_path(&input);
        let _ = percent_decode(&input);
        let _ = decode_urlencoded(input.as_bytes());
        let _ = decode_json(input.as_bytes());
        let _ = crate::auth::extract_auth_value(&input, "PVEAuthCookie");
        let _ = crate::auth::split_token(&input);
    }
}
