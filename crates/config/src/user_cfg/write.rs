//! Writing `user.cfg` in its canonical form.
//!
//! Sections come in a fixed order (users with their tokens, groups, pools, roles, ACL),
//! each followed by one empty line except the ACL. Within a section entries are sorted by
//! name and lists are sorted and de-duplicated. ACL entries on a path are grouped by
//! propagate flag and role list, so one line names every member sharing the same roles.
//!
//! Must not depend on: the parser.

use super::syntax::encode_text;
use super::{privileges, AclNode, RoleAssignments, UserConfig, ROOT_USER};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

/// Writes the whole file.
pub(super) fn write(cfg: &UserConfig) -> String {
    let mut out = String::new();
    write_users(cfg, &mut out);
    out.push('\n');
    for (name, group) in &cfg.groups {
        let members = join(group.members.iter().map(String::as_str));
        let comment = text(group.comment.as_deref());
        let _ = writeln!(out, "group:{name}:{members}:{comment}:");
    }
    out.push('\n');
    for (name, pool) in &cfg.pools {
        // Guest ids sort as strings, as upstream's hash keys do.
        let vms: BTreeSet<String> = pool.vms.iter().map(u64::to_string).collect();
        let vms = join(vms.iter().map(String::as_str));
        let storage = join(pool.storage.iter().map(String::as_str));
        let comment = text(pool.comment.as_deref());
        let _ = writeln!(out, "pool:{name}:{comment}:{vms}:{storage}:");
    }
    out.push('\n');
    for (name, privs) in &cfg.roles {
        if privileges::is_builtin_role(name) {
            continue;
        }
        let privs = join(privs.iter().map(String::as_str));
        let _ = writeln!(out, "role:{name}:{privs}:");
    }
    out.push('\n');
    let mut paths: Vec<(&String, &AclNode)> = cfg.acl.iter().collect();
    // Tree order: parents before children, siblings by name.
    paths.sort_by_cached_key(|(path, _)| segments(path));
    for (path, node) in paths {
        write_acl_node(path, node, &mut out);
    }
    out
}

fn write_users(cfg: &UserConfig, out: &mut String) {
    for (id, user) in &cfg.users {
        let _ = writeln!(
            out,
            "user:{id}:{}:{}:{}:{}:{}:{}:{}:",
            u8::from(user.enable),
            user.expire,
            text(user.firstname.as_deref()),
            text(user.lastname.as_deref()),
            raw(user.email.as_deref()).unwrap_or_default(),
            text(user.comment.as_deref()),
            raw(user.keys.as_deref()).unwrap_or_default(),
        );
        for (name, token) in &user.tokens {
            let _ = writeln!(
                out,
                "token:{id}!{name}:{}:{}:{}:",
                token.expire,
                u8::from(token.privsep),
                text(token.comment.as_deref()),
            );
        }
    }
}

/// A free-text field, escaped; empty when absent or Perl-false.
///
/// Unlike upstream, spaces at either end are escaped too: the reader trims fields, so a
/// bare edge space would be lost on the next read.
fn text(v: Option<&str>) -> String {
    let Some(encoded) = raw(v).map(encode_text) else {
        return String::new();
    };
    if !encoded.starts_with(' ') && !encoded.ends_with(' ') {
        return encoded;
    }
    let inner = encoded.trim_matches(' ');
    let lead = encoded.len() - encoded.trim_start_matches(' ').len();
    if inner.is_empty() {
        return "%20".repeat(lead);
    }
    let trail = encoded.len() - encoded.trim_end_matches(' ').len();
    format!("{}{inner}{}", "%20".repeat(lead), "%20".repeat(trail))
}

/// A verbatim field; `None` when absent or Perl-false (`""`, `"0"`).
fn raw(v: Option<&str>) -> Option<&str> {
    v.filter(|s| !s.is_empty() && *s != "0")
}

fn join<'a>(items: impl Iterator<Item = &'a str>) -> String {
    items.collect::<Vec<_>>().join(",")
}

fn segments(path: &str) -> Vec<&str> {
    path.split('/').filter(|p| !p.is_empty()).collect()
}

/// propagate flag -> role list -> members sharing exactly that role list.
type Grouped = BTreeMap<bool, BTreeMap<String, BTreeSet<String>>>;

fn write_acl_node(path: &str, node: &AclNode, out: &mut String) {
    let mut grouped = Grouped::new();
    collect(&node.groups, "@", None, &mut grouped);
    // root@pam always has Administrator; its entries are not stored.
    collect(&node.users, "", Some(ROOT_USER), &mut grouped);
    collect(&node.tokens, "", None, &mut grouped);
    for (propagate, by_roles) in grouped {
        for (roles, members) in by_roles {
            let members = join(members.iter().map(String::as_str));
            let _ = writeln!(out, "acl:{}:{path}:{members}:{roles}:", u8::from(propagate));
        }
    }
}

fn collect(
    entries: &BTreeMap<String, RoleAssignments>,
    prefix: &str,
    exclude: Option<&str>,
    grouped: &mut Grouped,
) {
    for (member, roles) in entries {
        if exclude == Some(member.as_str()) {
            continue;
        }
        for propagate in [false, true] {
            let list = roles
                .iter()
                .filter(|(_, p)| **p == propagate)
                .map(|(r, _)| r.as_str());
            let list = join(list);
            if !list.is_empty() {
                grouped
                    .entry(propagate)
                    .or_default()
                    .entry(list)
                    .or_default()
                    .insert(format!("{prefix}{member}"));
            }
        }
    }
}
