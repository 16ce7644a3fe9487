//! Suite `access-userconfig`: `user.cfg` parse, write and rewrite against upstream.
//!
//! Upstream compares its parsed Perl structure; [`view`] renders our model in that
//! structure (with `$builtin` standing for the built-in roles), and [`from_view`] reads
//! that structure back into our model for the write checks.
//!
//! Must not depend on: anything but `virton-config` and `serde_json`.

use serde_json::{json, Map, Value};
use std::collections::{BTreeMap, BTreeSet};
use virton_config::user_cfg::{
    pool_parent, privileges, AclNode, Group, Pool, RoleAssignments, Token, User, UserConfig,
    ROOT_USER,
};
use virton_config::Format;

/// Checks one case.
pub fn check(case: &Value) -> Result<(), String> {
    let checks = case["checks"].as_array().ok_or("case has no checks")?;
    let raw = case["inputs"]["raw"].as_str().unwrap_or("");
    for check in checks {
        match check.as_str() {
            Some("parse") => check_parse(raw, &case["expected"]["config"])?,
            Some("write") => check_text(&from_view(&case["config"])?.write(), &case["expected"])?,
            Some("rewrite") => check_text(
                &UserConfig::parse("user.cfg", raw)
                    .map_err(|e| e.to_string())?
                    .write(),
                &case["expected"],
            )?,
            other => return Err(format!("unknown check {other:?}")),
        }
    }
    Ok(())
}

fn check_parse(raw: &str, expected: &Value) -> Result<(), String> {
    let (cfg, report) = UserConfig::parse_with_report(raw);
    let got = view(&cfg, report.root_user_added);
    if &got == expected {
        Ok(())
    } else {
        Err(format!("parse mismatch:\n got {got}\nwant {expected}"))
    }
}

fn check_text(got: &str, expected: &Value) -> Result<(), String> {
    let want = expected["raw"].as_str().ok_or("case has no expected.raw")?;
    if got == want {
        Ok(())
    } else {
        Err(format!("write mismatch:\n got {got:?}\nwant {want:?}"))
    }
}

fn set<'a>(items: impl IntoIterator<Item = &'a String>) -> Value {
    Value::Object(items.into_iter().map(|k| (k.clone(), json!(1))).collect())
}

fn int(b: bool) -> Value {
    json!(u8::from(b))
}

/// Our model in upstream's parsed-structure shape.
fn view(cfg: &UserConfig, root_added: bool) -> Value {
    let mut top = Map::new();
    let users: Map<String, Value> = cfg
        .users
        .iter()
        .map(|(id, u)| {
            let v = if root_added && id == ROOT_USER {
                json!({ "enable": int(u.enable) })
            } else {
                user_view(u)
            };
            (id.clone(), v)
        })
        .collect();
    top.insert("users".into(), Value::Object(users));
    if !cfg.groups.is_empty() {
        top.insert("groups".into(), groups_view(cfg));
    }
    if !cfg.pools.is_empty() {
        top.insert("pools".into(), pools_view(cfg));
    }
    let vms: Map<String, Value> = cfg
        .pools
        .iter()
        .flat_map(|(name, p)| p.vms.iter().map(move |id| (id.to_string(), json!(name))))
        .collect();
    if !vms.is_empty() {
        top.insert("vms".into(), Value::Object(vms));
    }
    let mut roles = Map::new();
    roles.insert("$builtin".into(), json!({}));
    for (name, privs) in &cfg.roles {
        roles.insert(name.clone(), set(privs));
    }
    top.insert("roles".into(), Value::Object(roles));
    top.insert("acl_root".into(), acl_view(&cfg.acl));
    Value::Object(top)
}

fn user_view(u: &User) -> Value {
    let mut m = Map::new();
    m.insert("enable".into(), int(u.enable));
    m.insert("expire".into(), json!(u.expire));
    m.insert("email".into(), json!(u.email));
    for (key, val) in [
        ("firstname", &u.firstname),
        ("lastname", &u.lastname),
        ("comment", &u.comment),
        ("keys", &u.keys),
    ] {
        if let Some(v) = val {
            m.insert(key.into(), json!(v));
        }
    }
    if !u.groups.is_empty() {
        m.insert("groups".into(), set(&u.groups));
    }
    if !u.tokens.is_empty() {
        let tokens = u.tokens.iter().map(|(name, t)| {
            let mut tm = Map::new();
            tm.insert("expire".into(), json!(t.expire));
            tm.insert("privsep".into(), int(t.privsep));
            if let Some(c) = &t.comment {
                tm.insert("comment".into(), json!(c));
            }
            (name.clone(), Value::Object(tm))
        });
        m.insert("tokens".into(), Value::Object(tokens.collect()));
    }
    Value::Object(m)
}

fn groups_view(cfg: &UserConfig) -> Value {
    let groups = cfg.groups.iter().map(|(name, g)| {
        let mut m = Map::new();
        m.insert("users".into(), set(&g.members));
        if let Some(c) = &g.comment {
            m.insert("comment".into(), json!(c));
        }
        (name.clone(), Value::Object(m))
    });
    Value::Object(groups.collect())
}

fn pools_view(cfg: &UserConfig) -> Value {
    let pools = cfg.pools.iter().map(|(name, p)| {
        let vms: Vec<String> = p.vms.iter().map(u64::to_string).collect();
        let children: Vec<String> = cfg
            .pool_children(name)
            .into_iter()
            .map(String::from)
            .collect();
        let mut m = Map::new();
        m.insert("vms".into(), set(&vms));
        m.insert("storage".into(), set(&p.storage));
        m.insert("pools".into(), set(&children));
        if let Some(parent) = pool_parent(name) {
            m.insert("parent".into(), json!(parent));
        }
        if let Some(c) = &p.comment {
            m.insert("comment".into(), json!(c));
        }
        (name.clone(), Value::Object(m))
    });
    Value::Object(pools.collect())
}

fn acl_view(acl: &BTreeMap<String, AclNode>) -> Value {
    let mut root = Value::Object(Map::new());
    for (path, node) in acl {
        let mut cur = &mut root;
        for seg in path.split('/').filter(|s| !s.is_empty()) {
            cur = &mut cur["children"][seg];
            if cur.is_null() {
                *cur = json!({});
            }
        }
        for (key, entries) in [
            ("users", &node.users),
            ("groups", &node.groups),
            ("tokens", &node.tokens),
        ] {
            if entries.is_empty() {
                continue;
            }
            let e = entries.iter().map(|(member, roles)| {
                let r = roles.iter().map(|(role, p)| (role.clone(), int(*p)));
                (member.clone(), Value::Object(r.collect()))
            });
            cur[key] = Value::Object(e.collect());
        }
    }
    root
}

/// Perl truthiness of a JSON value.
fn truthy(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64() != Some(0.0),
        Value::String(s) => !s.is_empty() && s != "0",
        _ => true,
    }
}

fn keys(v: &Value) -> BTreeSet<String> {
    v.as_object()
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default()
}

fn text(v: &Value) -> Option<String> {
    v.as_str().map(str::to_string)
}

/// Upstream's parsed structure read back into our model.
fn from_view(v: &Value) -> Result<UserConfig, String> {
    let mut cfg = UserConfig::default();
    for (id, u) in v["users"].as_object().into_iter().flatten() {
        let tokens = u["tokens"]
            .as_object()
            .into_iter()
            .flatten()
            .map(|(name, t)| {
                let token = Token {
                    expire: t["expire"].as_u64().unwrap_or(0),
                    privsep: truthy(&t["privsep"]),
                    comment: text(&t["comment"]),
                };
                (name.clone(), token)
            });
        let user = User {
            enable: truthy(&u["enable"]),
            expire: u["expire"].as_u64().unwrap_or(0),
            firstname: text(&u["firstname"]),
            lastname: text(&u["lastname"]),
            email: text(&u["email"]),
            comment: text(&u["comment"]),
            keys: text(&u["keys"]),
            groups: keys(&u["groups"]),
            tokens: tokens.collect(),
        };
        cfg.users.insert(id.clone(), user);
    }
    for (name, g) in v["groups"].as_object().into_iter().flatten() {
        let group = Group {
            members: keys(&g["users"]),
            comment: text(&g["comment"]),
        };
        cfg.groups.insert(name.clone(), group);
    }
    for (name, p) in v["pools"].as_object().into_iter().flatten() {
        let vms = keys(&p["vms"])
            .iter()
            .map(|k| k.parse::<u64>().map_err(|e| e.to_string()))
            .collect::<Result<_, _>>()?;
        let pool = Pool {
            comment: text(&p["comment"]),
            vms,
            storage: keys(&p["storage"]),
        };
        cfg.pools.insert(name.clone(), pool);
    }
    for (name, privs) in v["roles"].as_object().into_iter().flatten() {
        if name != "$builtin" && !privileges::is_builtin_role(name) {
            cfg.roles.insert(name.clone(), keys(privs));
        }
    }
    acl_from_view(&v["acl_root"], "", &mut cfg.acl);
    Ok(cfg)
}

fn acl_from_view(node: &Value, path: &str, acl: &mut BTreeMap<String, AclNode>) {
    let assignments = |v: &Value| -> BTreeMap<String, RoleAssignments> {
        let members = v.as_object().into_iter().flatten();
        members
            .map(|(m, roles)| {
                let r = roles.as_object().into_iter().flatten();
                (
                    m.clone(),
                    r.map(|(role, p)| (role.clone(), truthy(p))).collect(),
                )
            })
            .collect()
    };
    let entry = AclNode {
        users: assignments(&node["users"]),
        groups: assignments(&node["groups"]),
        tokens: assignments(&node["tokens"]),
    };
    if !entry.is_empty() {
        let p = if path.is_empty() { "/" } else { path };
        acl.insert(p.to_string(), entry);
    }
    for (seg, child) in node["children"].as_object().into_iter().flatten() {
        acl_from_view(child, &format!("{path}/{seg}"), acl);
    }
}
