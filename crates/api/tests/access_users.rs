//! `/access/users`, tokens and passwords: round trips, upstream error wording and
//! permission denial.

mod access_common;

use access_common::{assert_err, now, setup, PW};
use virton_access::auth::TokenLogin;
use virton_config::user_cfg::token::TokenSecrets;
use virton_config::user_cfg::UserConfig;
use virton_config::Format;
use virton_router::HttpMethod::{Delete, Get, Post, Put};

#[test]
fn user_create_read_update_delete_round_trip() {
    let env = setup();
    env.root(
        Post,
        "access/users",
        &[
            ("userid", "carol@pve"),
            ("password", "Carol-pass-1"),
            ("email", "c@example.com"),
            ("groups", "staff"),
        ],
    )
    .unwrap();
    assert!(env.file("priv/shadow.cfg").contains("carol:$5$"));
    let u = env.root(Get, "access/users/carol@pve", &[]).unwrap();
    assert_eq!(u["enable"], 1);
    assert_eq!(u["email"], "c@example.com");
    assert_eq!(u["groups"][0], "staff");
    env.root(Post, "access/groups", &[("groupid", "ops")])
        .unwrap();
    env.root(
        Put,
        "access/users/carol@pve",
        &[("groups", "ops"), ("append", "1"), ("comment", "hi")],
    )
    .unwrap();
    let u = env.root(Get, "access/users/carol@pve", &[]).unwrap();
    assert_eq!(u["groups"], serde_json::json!(["ops", "staff"]));
    assert_eq!(u["comment"], "hi");
    let list = env.root(Get, "access/users", &[("full", "1")]).unwrap();
    let carol = list
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["userid"] == "carol@pve")
        .unwrap();
    assert_eq!(carol["groups"], "ops,staff");
    assert_eq!(carol["realm-type"], "pve");
    env.root(Delete, "access/users/carol@pve", &[]).unwrap();
    assert!(!env.file("user.cfg").contains("carol"));
    assert!(!env.file("priv/shadow.cfg").contains("carol"));
}

#[test]
fn duplicate_and_missing_users_use_upstream_wording() {
    let env = setup();
    assert_err(
        env.root(Post, "access/users", &[("userid", "alice@pve")]),
        500,
        "create user failed: user 'alice@pve' already exists",
    );
    assert_err(
        env.root(Get, "access/users/nobody@pve", &[]),
        500,
        "no such user ('nobody@pve')",
    );
    assert_err(
        env.root(Delete, "access/users/nobody@pve", &[]),
        500,
        "no such user ('nobody@pve')",
    );
    assert_err(
        env.root(
            Post,
            "access/users",
            &[("userid", "dan@pve"), ("groups", "nogroup")],
        ),
        500,
        "no such group 'nogroup'",
    );
    assert!(
        !env.file("user.cfg").contains("dan@pve"),
        "failed create writes nothing"
    );
}

#[test]
fn unprivileged_user_is_denied_and_sees_only_itself() {
    let env = setup();
    let bob = Some("bob@pve");
    assert_err(
        env.call(bob, Post, "access/users", &[("userid", "eve@pve")]),
        403,
        "Permission check failed",
    );
    assert_err(
        env.call(bob, Delete, "access/users/alice@pve", &[]),
        403,
        "Permission check failed",
    );
    assert_err(
        env.call(bob, Get, "access/users/alice@pve", &[]),
        403,
        "Permission check failed",
    );
    let list = env.call(bob, Get, "access/users", &[]).unwrap();
    let ids: Vec<_> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["userid"].clone())
        .collect();
    assert_eq!(ids, vec![serde_json::json!("bob@pve")]);
}

#[test]
fn group_admin_manages_members_of_its_group() {
    let env = setup();
    env.root(
        Put,
        "access/acl",
        &[
            ("path", "/access/groups/staff"),
            ("roles", "PVEUserAdmin"),
            ("users", "bob@pve"),
        ],
    )
    .unwrap();
    env.root(
        Put,
        "access/acl",
        &[
            ("path", "/access/realm/pve"),
            ("roles", "PVEUserAdmin"),
            ("users", "bob@pve"),
        ],
    )
    .unwrap();
    let bob = Some("bob@pve");
    env.call(
        bob,
        Put,
        "access/users/alice@pve",
        &[("groups", "staff"), ("comment", "ok")],
    )
    .unwrap();
    env.call(
        bob,
        Post,
        "access/users",
        &[("userid", "fay@pve"), ("groups", "staff")],
    )
    .unwrap();
    assert_err(
        env.call(bob, Post, "access/users", &[("userid", "gus@pve")]),
        403,
        "Permission check failed (/access/groups, User.Modify)",
    );
}

#[test]
fn token_create_verify_update_delete() {
    let env = setup();
    let r = env
        .call(
            Some("alice@pve"),
            Post,
            "access/users/alice@pve/token/ci",
            &[("comment", "build"), ("privsep", "0")],
        )
        .unwrap();
    assert_eq!(r["full-tokenid"], "alice@pve!ci");
    assert_eq!(r["info"]["privsep"], 0);
    let secret = r["value"].as_str().unwrap().to_string();
    let users = UserConfig::parse("user.cfg", &env.file("user.cfg")).unwrap();
    let secrets = TokenSecrets::parse("token.cfg", &env.file("priv/token.cfg")).unwrap();
    let login = TokenLogin {
        users: &users,
        secrets: &secrets,
    };
    assert!(login
        .verify(&format!("alice@pve!ci={secret}"), now())
        .is_ok());
    assert!(login.verify("alice@pve!ci=wrong", now()).is_err());
    assert_err(
        env.root(Post, "access/users/alice@pve/token/ci", &[]),
        400,
        "Parameter verification failed",
    );
    let list = env.root(Get, "access/users/alice@pve/token", &[]).unwrap();
    assert_eq!(list[0]["tokenid"], "ci");
    let upd = env
        .root(
            Put,
            "access/users/alice@pve/token/ci",
            &[("regenerate", "1")],
        )
        .unwrap();
    assert_ne!(upd["value"].as_str().unwrap(), secret);
    env.root(Delete, "access/users/alice@pve/token/ci", &[])
        .unwrap();
    assert!(!env.file("priv/token.cfg").contains("alice@pve!ci"));
    assert_err(
        env.root(Get, "access/users/alice@pve/token/ci", &[]),
        500,
        "no such token 'ci' for user 'alice@pve'",
    );
}

#[test]
fn own_password_change_needs_the_current_password() {
    let env = setup();
    let alice = Some("alice@pve");
    assert_err(
        env.call(
            alice,
            Put,
            "access/password",
            &[("userid", "alice@pve"), ("password", "New-pass-1")],
        ),
        400,
        "Parameter verification failed",
    );
    env.call(
        alice,
        Put,
        "access/password",
        &[
            ("userid", "alice@pve"),
            ("password", "New-pass-1"),
            ("confirmation-password", PW),
        ],
    )
    .unwrap();
    let r = env.call(
        None,
        Post,
        "access/ticket",
        &[("username", "alice@pve"), ("password", "New-pass-1")],
    );
    assert!(r.is_ok());
    assert_err(
        env.call(
            Some("bob@pve"),
            Put,
            "access/password",
            &[("userid", "alice@pve"), ("password", "x-x-x-x-x")],
        ),
        403,
        "Permission check failed",
    );
}
