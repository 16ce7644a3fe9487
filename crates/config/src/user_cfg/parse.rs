//! Reading `user.cfg` line by line, dropping invalid entries with a warning.
//!
//! Order matters as it does upstream: a token or group membership only attaches to a user
//! defined on an earlier line, and an ACL may only name roles defined earlier.
//!
//! Must not depend on: the writer.

use super::syntax::{
    decode_text, is_group_or_role_name, is_pool_name, is_pool_storage, is_userid,
    normalize_acl_path, parse_digits, split_fields, split_list, split_tokenid, trim, truthy,
    truthy_field,
};
use super::{pool_parent, privileges, ParseReport, ParseWarning, User, UserConfig, ROOT_USER};
use std::collections::HashSet;

enum AclMember {
    User,
    Group,
    Token,
}

struct Parser {
    cfg: UserConfig,
    report: ParseReport,
    line: usize,
    /// Every guest some pool holds (what `pool_of_vm` would find, without a scan).
    pooled: HashSet<u64>,
}

/// Parses the whole file.
pub(super) fn parse(text: &str) -> (UserConfig, ParseReport) {
    let mut p = Parser {
        cfg: UserConfig::default(),
        report: ParseReport::default(),
        line: 0,
        pooled: HashSet::new(),
    };
    for (idx, raw) in text.split('\n').enumerate() {
        let line = trim(raw);
        if line.is_empty() {
            continue;
        }
        p.line = idx + 1;
        p.line_entry(line);
    }
    if !p.cfg.users.contains_key(ROOT_USER) {
        let root = User {
            enable: true,
            ..User::default()
        };
        p.cfg.users.insert(ROOT_USER.to_string(), root);
        p.report.root_user_added = true;
    }
    (p.cfg, p.report)
}

impl Parser {
    fn warn(&mut self, message: String) {
        self.report.warnings.push(ParseWarning {
            line: self.line,
            message,
        });
    }

    fn line_entry(&mut self, line: &str) {
        let fields = split_fields(line);
        let kind = fields.first().copied().unwrap_or("");
        let args = fields.get(1..).unwrap_or(&[]);
        let arg = |i: usize| args.get(i).copied();
        match kind {
            "user" => self.user(arg),
            "group" => self.group(arg(0).unwrap_or(""), arg(1), arg(2)),
            "role" => self.role(arg(0).unwrap_or(""), arg(1)),
            "acl" => self.acl(arg(0), arg(1).unwrap_or(""), arg(2), arg(3)),
            "pool" => self.pool(arg),
            "token" => self.token(arg),
            _ => self.warn(format!("user config - ignore config line: {line}")),
        }
    }

    fn user<'a>(&mut self, arg: impl Fn(usize) -> Option<&'a str>) {
        let id = arg(0).unwrap_or("");
        if !is_userid(id) {
            return self.warn(format!(
                "user config - ignore user '{id}' - invalid user name"
            ));
        }
        let Some(expire) = self.expire(arg(2)) else {
            let raw = arg(2).unwrap_or("");
            return self.warn(format!(
                "user config - ignore user '{id}' - (illegal characters in expire '{raw}')"
            ));
        };
        let user = User {
            enable: truthy(arg(1)),
            expire,
            firstname: truthy_field(arg(3)).map(decode_text),
            lastname: truthy_field(arg(4)).map(decode_text),
            email: arg(5).filter(|e| !e.is_empty()).map(str::to_string),
            comment: truthy_field(arg(6)).map(decode_text),
            keys: truthy_field(arg(7)).map(str::to_string),
            ..User::default()
        };
        // A repeated user line replaces the earlier one, tokens and groups included.
        self.cfg.users.insert(id.to_string(), user);
    }

    /// An expiry field: absent or false means 0, otherwise digits.
    fn expire(&self, raw: Option<&str>) -> Option<u64> {
        if !truthy(raw) {
            return Some(0);
        }
        raw.and_then(parse_digits)
    }

    fn group(&mut self, name: &str, members: Option<&str>, comment: Option<&str>) {
        if !is_group_or_role_name(name) {
            return self.warn(format!(
                "user config - ignore group '{name}' - invalid characters in group name"
            ));
        }
        let group = self.cfg.groups.entry(name.to_string()).or_default();
        if let Some(comment) = truthy_field(comment) {
            group.comment = Some(decode_text(comment));
        }
        for member in split_list(members) {
            if !is_userid(member) {
                self.warn(format!(
                    "user config - ignore invalid group member '{member}'"
                ));
                continue;
            }
            match self.cfg.users.get_mut(member) {
                Some(user) => {
                    user.groups.insert(name.to_string());
                }
                None => self.warn(format!(
                    "user config - ignore invalid group member '{member}'"
                )),
            }
            if let Some(group) = self.cfg.groups.get_mut(name) {
                group.members.insert(member.to_string());
            }
        }
    }

    fn role(&mut self, name: &str, privs: Option<&str>) {
        if !is_group_or_role_name(name) {
            return self.warn(format!(
                "user config - ignore role '{name}' - invalid characters in role name"
            ));
        }
        if privileges::is_builtin_role(name) {
            return self.warn(format!("user config - ignore built-in role '{name}'"));
        }
        self.cfg.roles.entry(name.to_string()).or_default();
        for privilege in split_list(privs) {
            if !privileges::is_valid_privilege(privilege) {
                self.warn(format!(
                    "user config - ignore invalid privilege '{privilege}'"
                ));
            } else if let Some(role) = self.cfg.roles.get_mut(name) {
                role.insert(privilege.to_string());
            }
        }
    }

    fn acl(
        &mut self,
        propagate: Option<&str>,
        path: &str,
        members: Option<&str>,
        roles: Option<&str>,
    ) {
        let Some(path) = normalize_acl_path(path) else {
            return self.warn(format!("user config - ignore invalid path in acl '{path}'"));
        };
        let propagate = truthy(propagate);
        let members = split_list(members);
        for role in split_list(roles) {
            if !is_group_or_role_name(role) {
                self.warn(format!(
                    "user config - ignore invalid role name '{role}' in acl"
                ));
                continue;
            }
            if !self.cfg.has_role(role) {
                self.warn(format!("user config - ignore invalid acl role '{role}'"));
                continue;
            }
            for member in &members {
                self.acl_member(&path, member, role, propagate);
            }
        }
    }

    fn acl_member(&mut self, path: &str, member: &str, role: &str, propagate: bool) {
        let group = member
            .strip_prefix('@')
            .filter(|g| is_group_or_role_name(g));
        let (kind, key) = if let Some(group) = group {
            if !self.cfg.groups.contains_key(group) {
                self.warn(format!("user config - ignore invalid acl group '{group}'"));
            }
            (AclMember::Group, group)
        } else if is_userid(member) {
            if !self.cfg.users.contains_key(member) {
                self.warn(format!(
                    "user config - ignore invalid acl member '{member}'"
                ));
            }
            (AclMember::User, member)
        } else if let Some((user, token)) = split_tokenid(member) {
            let exists = self
                .cfg
                .users
                .get(user)
                .is_some_and(|u| u.tokens.contains_key(token));
            if !exists {
                return self.warn(format!("user config - ignore invalid acl token '{member}'"));
            }
            (AclMember::Token, member)
        } else {
            return self.warn(format!(
                "user config - invalid user/group '{member}' in acl"
            ));
        };
        let node = self.cfg.acl.entry(path.to_string()).or_default();
        let entries = match kind {
            AclMember::User => &mut node.users,
            AclMember::Group => &mut node.groups,
            AclMember::Token => &mut node.tokens,
        };
        entries
            .entry(key.to_string())
            .or_default()
            .insert(role.to_string(), propagate);
    }

    fn pool<'a>(&mut self, arg: impl Fn(usize) -> Option<&'a str>) {
        let name = arg(0).unwrap_or("");
        if !is_pool_name(name) {
            return self.warn(format!(
                "user config - ignore pool '{name}' - invalid characters in pool name"
            ));
        }
        // Nested pools imply their parents.
        let mut current = Some(name);
        while let Some(pool) = current {
            self.cfg.pools.entry(pool.to_string()).or_default();
            current = pool_parent(pool);
        }
        if let Some(comment) = truthy_field(arg(1)) {
            if let Some(pool) = self.cfg.pools.get_mut(name) {
                pool.comment = Some(decode_text(comment));
            }
        }
        for vmid in split_list(arg(2)) {
            self.pool_vm(name, vmid);
        }
        for storage in split_list(arg(3)) {
            if !is_pool_storage(storage) {
                self.warn(format!(
                    "user config - ignore invalid storage '{storage}' in pool '{name}'"
                ));
            } else if let Some(pool) = self.cfg.pools.get_mut(name) {
                pool.storage.insert(storage.to_string());
            }
        }
    }

    fn pool_vm(&mut self, pool: &str, vmid: &str) {
        let Some(id) = parse_digits(vmid) else {
            return self.warn(format!(
                "user config - ignore invalid vmid '{vmid}' in pool '{pool}'"
            ));
        };
        if self.pooled.contains(&id) {
            return self.warn(format!(
                "user config - ignore duplicate vmid '{id}' in pool '{pool}'"
            ));
        }
        if let Some(p) = self.cfg.pools.get_mut(pool) {
            p.vms.insert(id);
            self.pooled.insert(id);
        }
    }

    fn token<'a>(&mut self, arg: impl Fn(usize) -> Option<&'a str>) {
        let tokenid = arg(0).unwrap_or("");
        let Some((userid, name)) = split_tokenid(tokenid) else {
            return self.warn(format!("user config - ignore invalid tokenid '{tokenid}'"));
        };
        let Some(expire) = self.expire(arg(1)) else {
            let raw = arg(1).unwrap_or("");
            return self.warn(format!(
                "user config - ignore token '{tokenid}' - (illegal characters in expire '{raw}')"
            ));
        };
        let Some(user) = self.cfg.users.get_mut(userid) else {
            return self.warn(format!(
                "user config - ignore token '{tokenid}' - user does not exist"
            ));
        };
        let token = user.tokens.entry(name.to_string()).or_default();
        token.expire = expire;
        token.privsep = truthy(arg(2));
        if let Some(comment) = truthy_field(arg(3)) {
            token.comment = Some(decode_text(comment));
        }
    }
}
