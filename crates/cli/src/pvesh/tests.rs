//! `pvesh` against the real route tree and a recording fake API.

use super::*;
use crate::testing::{with_session, FakeApi};
use virton_client::ClientError;

fn argv(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

fn pvesh(api: &FakeApi, args: &[&str]) -> (Result<(), CliError>, String, String) {
    with_session(api, |s| run(tree::api(), s, &argv(args)))
}

#[test]
fn get_prints_object_as_table_and_json() {
    let api = FakeApi::new(json!({"release": "9.1", "version": "9.1.1", "repoid": "x"}));
    let (r, out, _) = pvesh(&api, &["get", "/version", "--output-format", "json"]);
    r.unwrap();
    assert_eq!(
        out,
        "{\"release\":\"9.1\",\"repoid\":\"x\",\"version\":\"9.1.1\"}\n"
    );
    assert_eq!(
        api.calls.borrow()[0],
        (HttpMethod::Get, "/version".into(), vec![])
    );
    let (r, out, _) = pvesh(&api, &["get", "/version", "--noborder"]);
    r.unwrap();
    assert_eq!(
        out,
        "key     value\nrelease 9.1\nrepoid  x\nversion 9.1.1\n"
    );
}

#[test]
fn unknown_path_says_no_handler_and_exits_1() {
    let api = FakeApi::new(Value::Null);
    let (r, _, err) = pvesh(&api, &["get", "/nope"]);
    assert_eq!(r.unwrap_err().exit, 1);
    assert_eq!(err, "No 'get' handler defined for '/nope'\n");
    let (r, _, err) = pvesh(&api, &["delete", "/version"]);
    assert_eq!(r.unwrap_err().exit, 1);
    assert_eq!(err, "No 'delete' handler defined for '/version'\n");
}

#[test]
fn bad_option_is_400_with_usage_and_nothing_is_sent() {
    let api = FakeApi::new(Value::Null);
    let (r, _, _) = pvesh(&api, &["get", "/version", "--bogus", "1"]);
    let e = r.unwrap_err();
    assert_eq!(
        e.render(),
        "Unknown option: bogus\n400 unable to parse option\npvesh get <api_path> [OPTIONS] [FORMAT_OPTIONS]\n"
    );
    let (r, _, _) = pvesh(&api, &["get", "/version", "--output-format", "xml"]);
    let e = r.unwrap_err().render();
    assert!(e.starts_with("400 Parameter verification failed.\noutput-format: value 'xml' does not have a value in the enumeration"), "{e}");
    assert!(api.calls.borrow().is_empty());
}

#[test]
fn server_errors_print_status_and_reason() {
    let mut api = FakeApi::new(Value::Null);
    api.error = Some(ClientError {
        status: 403,
        reason: "Permission check failed (/, Sys.Audit)".into(),
        errors: Default::default(),
        message: "Permission check failed (/, Sys.Audit)\n".into(),
    });
    let (r, _, _) = pvesh(&api, &["get", "/version"]);
    assert_eq!(
        r.unwrap_err().render(),
        "403 Permission check failed (/, Sys.Audit)\n"
    );
}

#[test]
fn ls_lists_children_with_capabilities() {
    let api = FakeApi::new(json!([{"subdir": "version"}, {"subdir": "access"}]));
    let (r, out, _) = pvesh(&api, &["ls", "/"]);
    r.unwrap();
    assert!(out.contains("-r---        version\n"), "{out}");
    assert!(out.contains("        access\n"), "{out}");
    let (r, _, _) = pvesh(&api, &["ls", "/version"]);
    assert_eq!(
        r.unwrap_err().render(),
        "resource '/version' does not define child links\n"
    );
}

#[test]
fn usage_prints_the_synopsis() {
    let api = FakeApi::new(Value::Null);
    let (r, out, _) = pvesh(&api, &["usage", "/version"]);
    r.unwrap();
    assert_eq!(out, "USAGE: pvesh get /version \n");
    let (r, _, _) = pvesh(&api, &["usage", "/nope"]);
    assert_eq!(r.unwrap_err().render(), "no such resource '/nope'\n");
}

#[test]
fn compat_switches_before_the_command() {
    let api = FakeApi::new(json!("UPID:n1:00000001:00000002:00000003:x:y:root@pam:"));
    let (r, out, _) = pvesh(&api, &["--nooutput", "get", "/version"]);
    r.unwrap();
    assert_eq!(out, "");
}
