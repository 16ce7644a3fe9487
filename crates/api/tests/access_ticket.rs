//! `/access/ticket`: password login, failures, renewal, TFA two-step and one-step,
//! recovery keys, lockout, and the `path`/`privs` check.

mod access_common;

use access_common::{assert_err, now, setup, Env, PW};
use serde_json::Value;
use virton_access::tfa::totp::Totp;
use virton_router::HttpMethod::{Get, Post};

const TOTP_URI: &str = "otpauth://totp/alice?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

fn login(env: &Env, list: &[(&str, &str)]) -> Result<Value, virton_router::ApiError> {
    env.call(None, Post, "access/ticket", list)
}

fn code_now() -> String {
    let t = Totp::from_uri(TOTP_URI).unwrap();
    t.code_at_counter(u64::try_from(now()).unwrap() / t.period)
}

fn enroll_totp(env: &Env) {
    let code = code_now();
    env.root(
        Post,
        "access/tfa/alice@pve",
        &[("type", "totp"), ("totp", TOTP_URI), ("value", &code)],
    )
    .unwrap();
}

#[test]
fn password_login_returns_ticket_csrf_and_caps() {
    let env = setup();
    let r = login(&env, &[("username", "alice@pve"), ("password", PW)]).unwrap();
    assert_eq!(r["username"], "alice@pve");
    assert!(r["ticket"].as_str().unwrap().starts_with("PVE:alice@pve:"));
    assert!(r["CSRFPreventionToken"].as_str().unwrap().contains(':'));
    assert!(r["cap"]["vms"].is_object());
    assert!(r.get("NeedTFA").is_none());
    assert!(r.get("clustername").is_none());
}

#[test]
fn realm_parameter_is_appended_to_a_bare_name() {
    let env = setup();
    let r = login(
        &env,
        &[("username", "alice"), ("realm", "pve"), ("password", PW)],
    )
    .unwrap();
    assert_eq!(r["username"], "alice@pve");
}

#[test]
fn wrong_password_unknown_user_and_disabled_user_fail_alike() {
    let env = setup();
    for (user, pw) in [("alice@pve", "nope-nope"), ("ghost@pve", PW)] {
        assert_err(
            login(&env, &[("username", user), ("password", pw)]),
            401,
            "authentication failure",
        );
    }
    env.root(
        virton_router::HttpMethod::Put,
        "access/users/bob@pve",
        &[("enable", "0")],
    )
    .unwrap();
    assert_err(
        login(&env, &[("username", "bob@pve"), ("password", PW)]),
        401,
        "authentication failure",
    );
}

#[test]
fn valid_ticket_renews_and_foreign_ticket_does_not() {
    let env = setup();
    let first = login(&env, &[("username", "alice@pve"), ("password", PW)]).unwrap();
    let ticket = first["ticket"].as_str().unwrap();
    let renewed = login(&env, &[("username", "alice@pve"), ("password", ticket)]).unwrap();
    assert!(renewed["ticket"]
        .as_str()
        .unwrap()
        .starts_with("PVE:alice@pve:"));
    assert_err(
        login(&env, &[("username", "bob@pve"), ("password", ticket)]),
        401,
        "authentication failure",
    );
}

#[test]
fn totp_two_step_login_needs_the_second_factor() {
    let env = setup();
    enroll_totp(&env);
    assert!(env.file("priv/tfa.cfg").contains("\"totp\""));
    let r = login(&env, &[("username", "alice@pve"), ("password", PW)]).unwrap();
    assert_eq!(r["NeedTFA"], 1);
    assert!(r.get("cap").is_none());
    let pending = r["ticket"].as_str().unwrap().to_string();
    assert!(pending.starts_with("PVE:!tfa!"), "{pending}");
    let bad = [
        ("username", "alice@pve"),
        ("tfa-challenge", pending.as_str()),
        ("password", "totp:000000"),
    ];
    assert_err(login(&env, &bad), 401, "authentication failure");
    let answer = format!("totp:{}", code_now());
    let ok = [
        ("username", "alice@pve"),
        ("tfa-challenge", pending.as_str()),
        ("password", answer.as_str()),
    ];
    let r = login(&env, &ok).unwrap();
    assert!(r["ticket"].as_str().unwrap().starts_with("PVE:alice@pve:"));
    assert!(r.get("NeedTFA").is_none());
    assert!(r["cap"].is_object());
}

#[test]
fn one_step_otp_is_accepted() {
    let env = setup();
    enroll_totp(&env);
    let code = code_now();
    let r = login(
        &env,
        &[("username", "alice@pve"), ("password", PW), ("otp", &code)],
    )
    .unwrap();
    assert!(r["ticket"].as_str().unwrap().starts_with("PVE:alice@pve:"));
}

#[test]
fn recovery_key_works_once() {
    let env = setup();
    let keys = env
        .root(Post, "access/tfa/alice@pve", &[("type", "recovery")])
        .unwrap();
    let key = keys["recovery"][0].as_str().unwrap().to_string();
    let answer = format!("recovery:{key}");
    for expect_ok in [true, false] {
        let r = login(&env, &[("username", "alice@pve"), ("password", PW)]).unwrap();
        let pending = r["ticket"].as_str().unwrap().to_string();
        let step = [
            ("username", "alice@pve"),
            ("tfa-challenge", pending.as_str()),
            ("password", answer.as_str()),
        ];
        assert_eq!(login(&env, &step).is_ok(), expect_ok);
    }
}

#[test]
fn repeated_failures_lock_the_user_out() {
    let env = setup();
    for _ in 0..5 {
        let _ = login(&env, &[("username", "alice@pve"), ("password", "wrong-pw")]);
    }
    assert_err(
        login(&env, &[("username", "alice@pve"), ("password", PW)]),
        401,
        "authentication failure",
    );
}

#[test]
fn path_and_privs_mode_checks_privileges() {
    let env = setup();
    let ok = login(&env, &[("username", "root@pam"), ("password", "x")]);
    assert!(ok.is_err(), "root@pam has no test password");
    env.root(
        virton_router::HttpMethod::Put,
        "access/acl",
        &[
            ("path", "/vms"),
            ("roles", "PVEVMUser"),
            ("users", "alice@pve"),
        ],
    )
    .unwrap();
    let r = login(
        &env,
        &[
            ("username", "alice@pve"),
            ("password", PW),
            ("path", "/vms/100"),
            ("privs", "VM.Console"),
        ],
    )
    .unwrap();
    assert_eq!(r["username"], "alice@pve");
    assert!(r.get("ticket").is_none());
    let denied = [
        ("username", "alice@pve"),
        ("password", PW),
        ("path", "/vms/100"),
        ("privs", "VM.Allocate"),
    ];
    assert_err(login(&env, &denied), 401, "authentication failure");
}

#[test]
fn get_ticket_is_null_and_anonymous() {
    let env = setup();
    assert_eq!(
        env.call(None, Get, "access/ticket", &[]).unwrap(),
        Value::Null
    );
}

#[test]
fn clustername_is_given_in_a_cluster_to_auditors_only() {
    let env = setup();
    let conf = "totem {\n  cluster_name: lab\n  config_version: 1\n  version: 2\n}\n";
    std::fs::write(env.dir.path().join("etc/pve/corosync.conf"), conf).unwrap();
    let r = login(&env, &[("username", "alice@pve"), ("password", PW)]).unwrap();
    assert!(r.get("clustername").is_none());
    env.root(
        virton_router::HttpMethod::Put,
        "access/acl",
        &[
            ("path", "/"),
            ("roles", "PVEAuditor"),
            ("users", "alice@pve"),
        ],
    )
    .unwrap();
    let r = login(&env, &[("username", "alice@pve"), ("password", PW)]).unwrap();
    assert_eq!(r["clustername"], "lab");
}
