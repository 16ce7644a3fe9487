//! Tests of the `user.cfg` grammar: lenient parsing, canonical writing, round trips.

use super::*;
use proptest::prelude::*;

fn parse(text: &str) -> (UserConfig, ParseReport) {
    UserConfig::parse_with_report(text)
}

#[test]
fn empty_file_gets_enabled_root_user() {
    let (cfg, report) = parse("");
    assert!(report.root_user_added);
    assert!(cfg.users[ROOT_USER].enable);
    assert_eq!(cfg.write(), "user:root@pam:1:0::::::\n\n\n\n\n");
    assert_eq!(UserConfig::default().write(), "\n\n\n\n");
}

#[test]
fn user_line_fields_are_read_and_comment_decoded() {
    let text = "user:joe@pve:1:1700000000:Jo%3Ae:Doe:joe@example.com:hi%20there:x:\n";
    let (cfg, report) = parse(text);
    assert!(report.warnings.is_empty());
    let joe = &cfg.users["joe@pve"];
    assert!(joe.enable);
    assert_eq!(joe.expire, 1_700_000_000);
    assert_eq!(joe.firstname.as_deref(), Some("Jo:e"));
    assert_eq!(joe.email.as_deref(), Some("joe@example.com"));
    assert_eq!(joe.comment.as_deref(), Some("hi there"));
    assert_eq!(joe.keys.as_deref(), Some("x"));
}

#[test]
fn user_with_bad_expire_is_dropped_with_warning() {
    let (cfg, report) = parse("user:joe@pve:1:soon::::::\n");
    assert!(!cfg.users.contains_key("joe@pve"));
    assert_eq!(report.warnings[0].line, 1);
    assert_eq!(
        report.warnings[0].message,
        "user config - ignore user 'joe@pve' - (illegal characters in expire 'soon')"
    );
}

#[test]
fn short_user_line_takes_defaults() {
    let (cfg, _) = parse("user:root@pam\nrole:r\n");
    assert!(!cfg.users[ROOT_USER].enable);
    assert_eq!(cfg.write(), "user:root@pam:0:0::::::\n\n\n\nrole:r::\n\n");
}

#[test]
fn group_member_before_user_line_is_kept_but_not_linked() {
    let (cfg, report) = parse("group:g:joe@pve::\nuser:joe@pve:1:0::::::\n");
    assert!(cfg.groups["g"].members.contains("joe@pve"));
    assert!(cfg.users["joe@pve"].groups.is_empty());
    assert_eq!(report.warnings.len(), 1);
}

#[test]
fn token_for_unknown_user_is_dropped() {
    let (cfg, report) = parse("token:joe@pve!t1:0:1::\n");
    assert!(cfg.users.values().all(|u| u.tokens.is_empty()));
    assert!(report.warnings[0].message.ends_with("user does not exist"));
}

#[test]
fn role_privileges_are_sorted_deduplicated_and_validated() {
    let (cfg, report) = parse("role:r:VM.Audit;Sys.Audit VM.Audit,Bogus:\n");
    assert_eq!(cfg.roles["r"].len(), 2);
    assert_eq!(report.warnings.len(), 1);
    assert!(cfg.write().contains("role:r:Sys.Audit,VM.Audit:\n"));
}

#[test]
fn builtin_role_line_is_ignored_and_never_written() {
    let (cfg, _) = parse("role:PVEVMUser:Sys.Modify:\n");
    assert!(cfg.roles.is_empty());
    assert!(!cfg
        .role_privileges("PVEVMUser")
        .unwrap()
        .contains("Sys.Modify"));
}

#[test]
fn nested_pool_creates_parents() {
    let (cfg, _) = parse("pool:a/b/c:deep:100::\n");
    assert_eq!(cfg.pools.keys().collect::<Vec<_>>(), ["a", "a/b", "a/b/c"]);
    assert_eq!(cfg.pool_children("a"), ["a/b"]);
    assert_eq!(cfg.pool_of_vm(100), Some("a/b/c"));
    assert_eq!(pool_parent("a/b/c"), Some("a/b"));
}

#[test]
fn pool_vmids_are_written_in_string_order() {
    let (cfg, _) = parse("pool:p::200,1000,30::\n");
    assert!(cfg.write().contains("pool:p::1000,200,30::\n"));
}

#[test]
fn acl_paths_are_normalized_and_written_in_tree_order() {
    let text = "user:u@pve:1:0::::::\n\
                acl:1:/a-c:u@pve:PVEAuditor:\n\
                acl:1:a//b/:u@pve:PVEAuditor:\n\
                acl:0:/a:u@pve:PVEAuditor:\n";
    let (cfg, _) = parse(text);
    let out = cfg.write();
    let acl: Vec<&str> = out.lines().filter(|l| l.starts_with("acl:")).collect();
    assert_eq!(
        acl,
        [
            "acl:0:/a:u@pve:PVEAuditor:",
            "acl:1:/a/b:u@pve:PVEAuditor:",
            "acl:1:/a-c:u@pve:PVEAuditor:"
        ]
    );
}

#[test]
fn acl_for_root_user_is_not_written() {
    let (cfg, _) = parse("acl:1:/:root@pam:Administrator:\n");
    assert!(cfg.acl["/"].users.contains_key(ROOT_USER));
    assert!(!cfg.write().contains("acl:"));
}

#[test]
fn acl_with_unknown_role_or_bad_path_is_dropped() {
    let (cfg, report) = parse("acl:1:/:u@pve:Nope:\nacl:1:/a b:u@pve:NoAccess:\n");
    assert!(cfg.acl.is_empty());
    assert_eq!(report.warnings.len(), 2);
}

#[test]
fn acl_members_sharing_roles_share_a_line() {
    let text = "acl:1:/:@g,b@pve:PVEAuditor:\nacl:1:/:a@pve:PVEAuditor:\nacl:1:/:a@pve:NoAccess:\n";
    let out = parse(text).0.write();
    assert!(out.contains("acl:1:/:@g,b@pve:PVEAuditor:\n"));
    assert!(out.contains("acl:1:/:a@pve:NoAccess,PVEAuditor:\n"));
}

#[test]
fn comment_edge_spaces_survive_a_rewrite() {
    let (cfg, _) = parse("group:g::%20two  words%20:\n");
    assert_eq!(cfg.groups["g"].comment.as_deref(), Some(" two  words "));
    let out = cfg.write();
    assert!(out.contains("group:g::%20two  words%20:\n"));
    assert_eq!(parse(&out).0.groups, cfg.groups);
}

#[test]
fn unknown_line_kind_is_ignored() {
    let (_, report) = parse("frobnicate:x\n");
    assert_eq!(
        report.warnings[0].message,
        "user config - ignore config line: frobnicate:x"
    );
}

#[test]
fn document_keeps_unchanged_bytes() {
    let text = "user:root@pam:1:0::::::\n# odd but kept\n";
    let doc = crate::Document::<UserConfig>::parse("user.cfg", text).unwrap();
    assert_eq!(doc.write(), text);
}

// ---- round trips over generated models ----

fn name() -> impl Strategy<Value = String> {
    "[a-z][a-z0-9_.-]{1,8}"
}

fn free_text() -> impl Strategy<Value = Option<String>> {
    proptest::option::of("[A-Za-z:%ü][ A-Za-z0-9:%ü,;/]{0,10}[A-Za-z0-9:%ü]")
}

fn token() -> impl Strategy<Value = Token> {
    (0u64..5_000_000_000, any::<bool>(), free_text()).prop_map(|(expire, privsep, comment)| Token {
        expire,
        privsep,
        comment,
    })
}

fn user() -> impl Strategy<Value = User> {
    let names = (free_text(), free_text(), free_text());
    let email = proptest::option::of("[a-z]{1,5}@[a-z]{1,5}\\.org");
    let tokens = proptest::collection::btree_map(name(), token(), 0..3);
    (any::<bool>(), 0u64..5_000_000_000, names, email, tokens).prop_map(
        |(enable, expire, (firstname, lastname, comment), email, tokens)| User {
            enable,
            expire,
            firstname,
            lastname,
            email,
            comment,
            keys: None,
            groups: BTreeSet::new(),
            tokens,
        },
    )
}

fn config() -> impl Strategy<Value = UserConfig> {
    let users =
        proptest::collection::btree_map(name().prop_map(|n| format!("{n}@pve")), user(), 0..4);
    let groups = proptest::collection::btree_map(name(), free_text(), 0..3);
    let roles = proptest::collection::btree_map(
        name().prop_map(|n| format!("R{n}")),
        proptest::sample::subsequence(vec!["VM.Audit", "Sys.Modify", "Pool.Audit"], 0..3),
        0..3,
    );
    let pools = proptest::collection::btree_map(
        name(),
        (
            free_text(),
            proptest::collection::btree_set(100u64..20000, 0..3),
        ),
        0..3,
    );
    let acl = proptest::collection::vec(("[a-z]{1,3}", 0usize..8, 0usize..8, any::<bool>()), 0..6);
    (users, groups, roles, pools, acl).prop_map(build_config)
}

type AclSeed = Vec<(String, usize, usize, bool)>;
type PoolSeed = BTreeMap<String, (Option<String>, BTreeSet<u64>)>;
type Seed = (
    BTreeMap<String, User>,
    BTreeMap<String, Option<String>>,
    BTreeMap<String, Vec<&'static str>>,
    PoolSeed,
    AclSeed,
);

fn build_config((users, groups, roles, pools, acl): Seed) -> UserConfig {
    let mut cfg = UserConfig {
        users,
        ..UserConfig::default()
    };
    cfg.users.entry(ROOT_USER.into()).or_insert_with(|| User {
        enable: true,
        ..User::default()
    });
    let user_ids: Vec<String> = cfg.users.keys().cloned().collect();
    for (i, (name, comment)) in groups.into_iter().enumerate() {
        let members = user_ids.iter().skip(i).step_by(2).cloned().collect();
        cfg.groups.insert(name, Group { members, comment });
    }
    cfg.sync_user_groups();
    cfg.roles = roles
        .into_iter()
        .map(|(n, p)| (n, p.into_iter().map(str::to_string).collect()))
        .collect();
    let mut seen = BTreeSet::new();
    for (name, (comment, vms)) in pools {
        let vms = vms.into_iter().filter(|v| seen.insert(*v)).collect();
        cfg.pools.insert(
            name,
            Pool {
                comment,
                vms,
                storage: ["local".into()].into(),
            },
        );
    }
    add_acl(&mut cfg, acl);
    cfg
}

fn add_acl(cfg: &mut UserConfig, seed: AclSeed) {
    let mut members: Vec<(u8, String)> = cfg.groups.keys().map(|g| (1, g.clone())).collect();
    for (id, user) in &cfg.users {
        if id != ROOT_USER {
            members.push((0, id.clone()));
        }
        members.extend(user.tokens.keys().map(|t| (2, format!("{id}!{t}"))));
    }
    let mut roles: Vec<String> = cfg.roles.keys().cloned().collect();
    roles.extend(["PVEAuditor".to_string(), "NoAccess".to_string()]);
    for (path, m, r, propagate) in seed {
        let (Some((kind, member)), Some(role)) = (members.get(m), roles.get(r)) else {
            continue;
        };
        let node = cfg.acl.entry(format!("/{path}")).or_default();
        let map = match kind {
            0 => &mut node.users,
            1 => &mut node.groups,
            _ => &mut node.tokens,
        };
        map.entry(member.clone())
            .or_default()
            .insert(role.clone(), propagate);
    }
}

proptest! {
    #[test]
    fn write_then_parse_gives_the_same_model(cfg in config()) {
        let text = cfg.write();
        let (again, report) = UserConfig::parse_with_report(&text);
        prop_assert_eq!(&again, &cfg, "text:\n{}\nwarnings: {:?}", text, report.warnings);
        prop_assert_eq!(again.write(), text);
    }

    #[test]
    fn arbitrary_text_parses_and_canonical_output_is_stable(text in "(user|group|acl|pool|role|token|x)?[:a-z@!,0-9/ %]{0,30}(\n(user|group|acl|pool|role|token)?[:a-z@!,0-9/ %]{0,30}){0,4}") {
        let (cfg, _) = UserConfig::parse_with_report(&text);
        let once = cfg.write();
        let (again, _) = UserConfig::parse_with_report(&once);
        prop_assert_eq!(again.write(), once);
    }
}
