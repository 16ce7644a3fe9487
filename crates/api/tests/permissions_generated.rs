//! Permission tests generated from the route tree: every method of `virton_api::router()`
//! is checked, so a new endpoint is covered the moment it is routed.
//!
//! For each method, with a `user.cfg` written for the case and evaluated by
//! `virton_access::perm::Permissions`:
//! - (a) a user without any ACL entry is denied (403, or 401 without a caller), unless
//!   the method is `user=all` (any authenticated user; see [`HANDLER_CHECKED`]) or
//!   `user=world` (must be listed in [`WORLD_ALLOWED`]);
//! - (b) a user holding exactly the declared privileges on exactly the declared path
//!   (a custom role, a non-propagating ACL entry on the path with its placeholders filled
//!   in) passes; for `any` each privilege alone passes, for `or` each alternative alone;
//! - root-only methods deny an `Administrator` on `/` who is not `root@pam`.

use serde_json::{Map, Value};
use std::collections::BTreeSet;
use virton_access::perm::Permissions;
use virton_api::Context;
use virton_config::user_cfg::UserConfig;
use virton_router::{ApiMethod, HttpMethod, Permission, PermissionCheck, Router, RpcEnv};

/// This node's name in the tests.
const NODE: &str = "docgen-node";
/// The user under test (granted exactly what a method declares).
const TESTER: &str = "tester@pve";
/// A user with no ACL entry at all.
const NOBODY: &str = "nobody@pve";
/// Another user: the target of `userid` when the caller acts on someone else.
const OTHER: &str = "other@pve";
/// The group `OTHER` belongs to.
const GROUP: &str = "docgen-group";

/// `user=world` methods: reachable without authentication, as upstream allows.
const WORLD_ALLOWED: &[(&str, &str)] = &[
    ("GET", "/access/domains"),
    ("GET", "/access/ticket"),
    ("POST", "/access/ticket"),
    ("POST", "/access/vncticket"),
    ("POST", "/access/openid/login"),
    ("POST", "/access/openid/auth-url"),
];

/// `user=all` methods whose handler narrows what a caller sees or may do (upstream's
/// "+code-checked"). The declared check lets every authenticated user in; these rows
/// document what the handler itself must check, and the test keeps them `user=all`.
const HANDLER_CHECKED: &[(&str, &str, &str)] = &[
    (
        "GET",
        "/access/acl",
        "lists only entries the caller may audit",
    ),
    (
        "GET",
        "/access/users",
        "lists only users the caller may audit",
    ),
    (
        "GET",
        "/access/groups",
        "lists only groups the caller may audit",
    ),
    ("GET", "/access/roles", "any user may list roles"),
    (
        "GET",
        "/cluster/resources",
        "lists only resources the caller may audit",
    ),
    ("GET", "/nodes", "any user may list nodes"),
    ("GET", "/pools", "lists only pools the caller may audit"),
    (
        "GET",
        "/storage",
        "lists only storages the caller may audit",
    ),
    (
        "GET",
        "/nodes/{node}/tasks",
        "lists the caller's tasks unless Sys.Audit",
    ),
    ("GET", "/version", "any user may read the version"),
];

/// A `PermissionCheck` over a parsed `user.cfg`.
struct Checker<'a>(Permissions<'a>);

impl PermissionCheck for Checker<'_> {
    fn privileges(&self, authid: &str, path: &str) -> BTreeSet<String> {
        self.0.privileges(authid, path)
    }

    /// Upstream's rule: any of the privileges on `/access/groups`, or on a group of the
    /// target.
    fn user_group_privs(&self, authid: &str, target: &str, privs: &[&str]) -> bool {
        let holds = |path: &str| {
            let held = self.0.privileges(authid, path);
            privs.iter().any(|p| held.contains(*p))
        };
        if holds("/access/groups") {
            return true;
        }
        self.0
            .config()
            .groups
            .iter()
            .filter(|(_, g)| g.members.contains(target))
            .any(|(name, _)| holds(&format!("/access/groups/{name}")))
    }
}

/// What one way of satisfying a permission needs.
#[derive(Debug, Clone, PartialEq)]
enum Need {
    /// These privileges on this path template.
    Privs(&'static str, Vec<&'static str>),
    /// The caller is the `userid` parameter.
    SelfUser,
    /// These privileges on a group of the `userid` parameter.
    GroupOf(Vec<&'static str>),
    /// The caller is root@pam.
    Root,
}

/// Every minimal way to satisfy `p` (each alternative of an `or`, each privilege of an
/// `any` or of a `userid-group`, which upstream checks with "any"); an `and` combines
/// the first way of each member.
fn ways(p: &Permission) -> Vec<Vec<Need>> {
    match p {
        Permission::World | Permission::All => vec![vec![]],
        Permission::RootOnly => vec![vec![Need::Root]],
        Permission::Perm { path, privs, any } if *any => privs
            .iter()
            .map(|one| vec![Need::Privs(path, vec![*one])])
            .collect(),
        Permission::Perm { path, privs, .. } => vec![vec![Need::Privs(path, privs.to_vec())]],
        Permission::UseridParam => vec![vec![Need::SelfUser]],
        Permission::UseridGroup(privs) => privs
            .iter()
            .map(|one| vec![Need::GroupOf(vec![*one])])
            .collect(),
        Permission::Or(list) => list.iter().flat_map(ways).collect(),
        Permission::And(list) => vec![list
            .iter()
            .flat_map(|m| ways(m).into_iter().next().unwrap_or_default())
            .collect()],
    }
}

/// Placeholder value for a parameter (as it arrives on the wire: a string).
fn placeholder(name: &str, userid: &str) -> String {
    match name {
        "node" => NODE.to_string(),
        "vmid" => "100".to_string(),
        "userid" => userid.to_string(),
        "storage" => "local".to_string(),
        "poolid" => "docgen-pool".to_string(),
        "groupid" => GROUP.to_string(),
        other => format!("docgen-{other}"),
    }
}

/// Parameters of a call: every declared parameter filled with its placeholder.
fn params(m: &ApiMethod<Context>, userid: &str) -> Map<String, Value> {
    m.parameters()
        .properties
        .keys()
        .map(|k| (k.clone(), Value::String(placeholder(k, userid))))
        .collect()
}

/// Fills `{name}` placeholders of an ACL path template.
fn expand(template: &str, params: &Map<String, Value>) -> String {
    let mut out = template.to_string();
    for (k, v) in params {
        if let Some(v) = v.as_str() {
            out = out.replace(&format!("{{{k}}}"), v);
        }
    }
    out
}

/// The `user.cfg` text granting `TESTER` what `needs` asks for.
fn user_cfg(needs: &[Need], params: &Map<String, Value>) -> String {
    let mut text = String::new();
    for u in ["root@pam", TESTER, NOBODY, OTHER] {
        text.push_str(&format!("user:{u}:1:0:::::::\n"));
    }
    text.push_str(&format!("group:{GROUP}:{OTHER}::\n"));
    let mut acl = String::new();
    for (i, need) in needs.iter().enumerate() {
        let (path, privs) = match need {
            Need::Privs(path, privs) => (expand(path, params), privs),
            Need::GroupOf(privs) => (format!("/access/groups/{GROUP}"), privs),
            Need::SelfUser | Need::Root => continue,
        };
        text.push_str(&format!("role:DocgenRole{i}:{}:\n", privs.join(",")));
        acl.push_str(&format!("acl:0:{path}:{TESTER}:DocgenRole{i}:\n"));
    }
    text + &acl
}

/// Parses a generated `user.cfg`; any dropped line (an unknown privilege, a path with
/// an unfilled placeholder) is a problem of the method under test.
fn parse_cfg(text: &str) -> Result<UserConfig, String> {
    let (cfg, report) = UserConfig::parse_with_report(text);
    if report.warnings.is_empty() {
        Ok(cfg)
    } else {
        Err(format!(
            "generated user.cfg rejected: {:?}\n{text}",
            report.warnings
        ))
    }
}

fn evaluate(
    p: &Permission,
    caller: Option<&str>,
    params: &Map<String, Value>,
    cfg: &UserConfig,
) -> Result<(), u16> {
    let env = RpcEnv::new(caller.map(str::to_string), NODE);
    p.evaluate(&env, params, &Checker(Permissions::new(cfg)))
        .map_err(|e| e.status)
}

/// Checks one method; returns the problems found.
fn check_method(verb: HttpMethod, path: &str, m: &ApiMethod<Context>) -> Vec<String> {
    let at = format!("{verb} {path} [{}]", m.permission);
    let mut problems = Vec::new();
    let p = &m.permission;
    // (a) no ACL at all, acting on someone else.
    let foreign = params(m, OTHER);
    let empty = match parse_cfg(&user_cfg(&[], &foreign)) {
        Ok(cfg) => cfg,
        Err(e) => return vec![format!("{at}: {e}")],
    };
    let open = matches!(p, Permission::World | Permission::All);
    match (evaluate(p, Some(NOBODY), &foreign, &empty), open) {
        (Ok(()), false) => problems.push(format!("{at}: a user without ACL passes")),
        (Err(s), false) if s != 403 && s != 401 => {
            problems.push(format!("{at}: a user without ACL gets {s}, not 403"))
        }
        (Err(s), true) => problems.push(format!("{at}: open method denies with {s}")),
        _ => {}
    }
    if matches!(p, Permission::World) && !WORLD_ALLOWED.contains(&(verb.as_str(), path)) {
        problems.push(format!("{at}: unauthenticated access not in WORLD_ALLOWED"));
    }
    if !open && evaluate(p, None, &foreign, &empty).is_ok() {
        problems.push(format!("{at}: an anonymous caller passes"));
    }
    // (b) exactly the declared privileges, one way at a time.
    for needs in ways(p) {
        let root = needs.contains(&Need::Root);
        let caller = if root { "root@pam" } else { TESTER };
        let userid = if needs.contains(&Need::SelfUser) {
            caller
        } else {
            OTHER
        };
        let call = params(m, userid);
        let cfg = match parse_cfg(&user_cfg(&needs, &call)) {
            Ok(cfg) => cfg,
            Err(e) => {
                problems.push(format!("{at}: {e}"));
                continue;
            }
        };
        if let Err(s) = evaluate(p, Some(caller), &call, &cfg) {
            problems.push(format!("{at}: {caller} holding {needs:?} is denied ({s})"));
        }
    }
    if matches!(p, Permission::RootOnly) {
        let admin = format!(
            "{}acl:1:/:{TESTER}:Administrator:\n",
            user_cfg(&[], &foreign)
        );
        let admin = parse_cfg(&admin).unwrap_or_default();
        if evaluate(p, Some(TESTER), &foreign, &admin).is_ok() {
            problems.push(format!("{at}: a non-root Administrator passes"));
        }
    }
    problems
}

/// Runs [`check_method`] over every method of `router`; returns (count, problems).
fn check_tree(router: &Router<Context>) -> (usize, Vec<String>) {
    let mut count = 0;
    let mut problems = Vec::new();
    router.walk(&mut |path, verb, m| {
        count += 1;
        problems.extend(check_method(verb, path, m));
    });
    (count, problems)
}

#[test]
fn every_routed_method_enforces_its_declared_permission() {
    let (count, problems) = check_tree(&virton_api::router());
    assert!(count > 0, "the route tree is empty");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn handler_checked_table_matches_the_tree() {
    let router = virton_api::router();
    let mut problems = Vec::new();
    router.walk(&mut |path, verb, m| {
        let listed = HANDLER_CHECKED
            .iter()
            .any(|(v, p, _)| *v == verb.as_str() && *p == path);
        if listed && m.permission != Permission::All {
            problems.push(format!(
                "{verb} {path}: listed as handler-checked but declares {}",
                m.permission
            ));
        }
    });
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The harness itself, on a synthetic tree covering every kind of permission.
mod harness {
    use super::*;
    use serde::Deserialize;
    use virton_router::ApiError;
    use virton_schema::ApiType;

    /// Parameters of the synthetic methods.
    #[derive(Deserialize, ApiType)]
    struct P {
        /// Node.
        node: String,
        /// Guest.
        vmid: u64,
        /// User.
        userid: Option<String>,
    }

    fn method(permission: Permission) -> ApiMethod<Context> {
        ApiMethod::new(
            "Synthetic.",
            permission,
            |_: &Context, _: &RpcEnv, p: P| -> Result<String, ApiError> {
                Ok(format!("{} {} {:?}", p.node, p.vmid, p.userid))
            },
        )
    }

    const VM: Permission = Permission::Perm {
        path: "/vms/{vmid}",
        privs: &["VM.Audit", "VM.Config.CDROM"],
        any: false,
    };
    const NODE_ANY: Permission = Permission::Perm {
        path: "/nodes/{node}",
        privs: &["Sys.Audit", "Sys.Modify"],
        any: true,
    };
    const SELF_OR_GROUP: Permission = Permission::Or(&[
        Permission::UseridParam,
        Permission::UseridGroup(&["User.Modify", "Sys.Audit"]),
    ]);
    const BOTH: Permission = Permission::And(&[VM, NODE_ANY]);

    fn leaf(p: Permission) -> Router<Context> {
        Router::new().get(method(p))
    }

    #[test]
    fn every_kind_of_permission_passes_the_harness() {
        let tree = Router::new()
            .subdir("a", leaf(VM))
            .subdir("b", leaf(NODE_ANY))
            .subdir("c", leaf(SELF_OR_GROUP))
            .subdir("d", leaf(BOTH))
            .subdir("e", leaf(Permission::RootOnly))
            .subdir("f", leaf(Permission::All));
        let (count, problems) = check_tree(&tree);
        assert_eq!(count, 6);
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }

    #[test]
    fn unlisted_world_method_is_reported() {
        let (_, problems) = check_tree(&Router::new().subdir("x", leaf(Permission::World)));
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].contains("WORLD_ALLOWED"));
    }

    #[test]
    fn placeholder_missing_from_parameters_is_reported() {
        const BAD: Permission = Permission::Perm {
            path: "/storage/{storage}",
            privs: &["Datastore.Audit"],
            any: false,
        };
        let (_, problems) = check_tree(&Router::new().subdir("x", leaf(BAD)));
        assert!(
            problems.iter().any(|p| p.contains("rejected")),
            "{problems:?}"
        );
    }

    #[test]
    fn unknown_privilege_is_reported() {
        const TYPO: Permission = Permission::Perm {
            path: "/",
            privs: &["Sys.Audti"],
            any: false,
        };
        let (_, problems) = check_tree(&Router::new().subdir("x", leaf(TYPO)));
        assert!(
            problems.iter().any(|p| p.contains("rejected")),
            "{problems:?}"
        );
    }
}
