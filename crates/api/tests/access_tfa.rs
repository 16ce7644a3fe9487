//! `/access/tfa` management: add, list, update, delete, password confirmation, and
//! `/access/users/{userid}/tfa` and `unlock-tfa`.

mod access_common;

use access_common::{assert_err, setup, PW};
use virton_router::HttpMethod::{Delete, Get, Post, Put};

#[test]
fn recovery_entry_lifecycle_and_user_marker() {
    let env = setup();
    let alice = Some("alice@pve");
    assert_err(
        env.call(alice, Post, "access/tfa/alice@pve", &[("type", "recovery")]),
        400,
        "Parameter verification failed",
    );
    let r = env
        .call(
            alice,
            Post,
            "access/tfa/alice@pve",
            &[("type", "recovery"), ("password", PW)],
        )
        .unwrap();
    assert_eq!(r["id"], "recovery");
    assert_eq!(r["recovery"].as_array().unwrap().len(), 10);
    assert!(
        env.file("user.cfg")
            .contains("user:alice@pve:1:0:Alice:A:::x:"),
        "{}",
        env.file("user.cfg")
    );
    let list = env.call(alice, Get, "access/tfa/alice@pve", &[]).unwrap();
    assert_eq!(list[0]["type"], "recovery");
    let all = env.root(Get, "access/tfa", &[]).unwrap();
    assert_eq!(all[0]["userid"], "alice@pve");
    let types = env
        .root(Get, "access/users/alice@pve/tfa", &[("multiple", "1")])
        .unwrap();
    assert_eq!(types["user"][0], "recovery");
    assert_err(
        env.root(Get, "access/tfa/alice@pve/nope", &[]),
        404,
        "No such tfa entry 'nope'",
    );
    assert_err(
        env.call(
            Some("bob@pve"),
            Delete,
            "access/tfa/alice@pve/recovery",
            &[("password", PW)],
        ),
        403,
        "Permission check failed",
    );
    env.call(
        alice,
        Delete,
        "access/tfa/alice@pve/recovery",
        &[("password", PW)],
    )
    .unwrap();
    assert_eq!(
        env.root(Get, "access/tfa/alice@pve", &[]).unwrap(),
        serde_json::json!([])
    );
    assert!(env
        .file("user.cfg")
        .contains("user:alice@pve:1:0:Alice:A::::"));
}

#[test]
fn totp_entry_needs_a_matching_code_and_can_be_disabled() {
    let env = setup();
    let uri = "otpauth://totp/x?secret=JBSWY3DPEHPK3PXP";
    assert_err(
        env.root(
            Post,
            "access/tfa/alice@pve",
            &[("type", "totp"), ("totp", uri), ("value", "000000")],
        ),
        500,
        "failed to verify TOTP challenge",
    );
    let t = virton_access::tfa::totp::Totp::from_uri(uri).unwrap();
    let code = t.code_at_counter(u64::try_from(access_common::now()).unwrap() / t.period);
    let r = env
        .root(
            Post,
            "access/tfa/alice@pve",
            &[
                ("type", "totp"),
                ("totp", uri),
                ("value", &code),
                ("description", "phone"),
            ],
        )
        .unwrap();
    let id = r["id"].as_str().unwrap().to_string();
    let path = format!("access/tfa/alice@pve/{id}");
    env.root(Put, &path, &[("enable", "0")]).unwrap();
    let e = env.root(Get, &path, &[]).unwrap();
    assert_eq!(e["enable"], 0);
    assert_eq!(e["description"], "phone");
    assert_eq!(
        env.root(Put, "access/users/alice@pve/unlock-tfa", &[])
            .unwrap(),
        0
    );
}
