//! Method permissions: the expression each method declares and its evaluation.
//!
//! The vocabulary is upstream's (`user=world`, `user=all`, `perm(path,[privs],any)`,
//! `userid-param(self)`, `userid-group([privs])`, `and(...)`, `or(...)`, root only), and
//! `Display` renders the same notation as `../shared/reference/pve-api-endpoints.tsv`.
//! Evaluation asks a [`PermissionCheck`] (implemented over access control) for the
//! privileges a caller holds on a path; failures carry upstream's 403 wording.

use crate::{ApiError, RpcEnv};
use serde_json::{Map, Value};
use std::collections::BTreeSet;
use std::fmt;

/// What the router needs from access control.
pub trait PermissionCheck {
    /// The privileges `authid` holds on `path` (root@pam: all of them).
    fn privileges(&self, authid: &str, path: &str) -> BTreeSet<String>;
    /// True when `authid` holds `privs` on a group that user `target` belongs to (or on
    /// `/access/groups`), upstream's `userid-group` rule.
    fn user_group_privs(&self, authid: &str, target: &str, privs: &[&str]) -> bool;
}

/// The permission expression of a method.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Permission {
    /// No authentication needed (`user=world`).
    World,
    /// Any authenticated user (`user=all`); the handler may check more.
    All,
    /// Only `root@pam`.
    RootOnly,
    /// Privileges on a path; `path` may contain `{param}` placeholders.
    Perm {
        /// ACL path template, e.g. `/vms/{vmid}`.
        path: &'static str,
        /// Required privileges.
        privs: &'static [&'static str],
        /// Any one of `privs` suffices (else all are needed).
        any: bool,
    },
    /// The caller acts on itself: parameter `userid` equals the caller.
    UseridParam,
    /// The caller holds these privileges on a group of the target user.
    UseridGroup(&'static [&'static str]),
    /// Any of the expressions.
    Or(&'static [Permission]),
    /// All of the expressions.
    And(&'static [Permission]),
}

/// 403 with upstream's wording: `Permission check failed (what)`.
fn denied(what: Option<String>) -> ApiError {
    match what {
        Some(w) => ApiError::forbidden(format!("Permission check failed ({w})")),
        None => ApiError::forbidden("Permission check failed"),
    }
}

/// Substitutes `{name}` placeholders in `template` with parameter values.
pub fn expand_path(template: &str, params: &Map<String, Value>) -> Result<String, ApiError> {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let Some(len) = rest[start..].find('}') else {
            return Err(ApiError::internal(format!(
                "bad permission path '{template}'"
            )));
        };
        let name = &rest[start + 1..start + len];
        let value = match params.get(name) {
            Some(Value::String(s)) => s.clone(),
            Some(Value::Number(n)) => n.to_string(),
            _ => {
                return Err(ApiError::param(
                    name,
                    "property is missing and it is not optional",
                ))
            }
        };
        out.push_str(&value);
        rest = &rest[start + len + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

impl Permission {
    /// Evaluates the expression for the caller in `env` with the request's parameters.
    pub fn evaluate(
        &self,
        env: &RpcEnv,
        params: &Map<String, Value>,
        checker: &dyn PermissionCheck,
    ) -> Result<(), ApiError> {
        if matches!(self, Permission::World) {
            return Ok(());
        }
        let Some(authid) = env.authid.as_deref() else {
            return Err(ApiError::unauthorized());
        };
        self.check(authid, params, checker)
    }

    fn check(
        &self,
        authid: &str,
        params: &Map<String, Value>,
        checker: &dyn PermissionCheck,
    ) -> Result<(), ApiError> {
        match self {
            Permission::World | Permission::All => Ok(()),
            Permission::RootOnly if authid == "root@pam" => Ok(()),
            Permission::RootOnly => Err(denied(None)),
            Permission::Perm { path, privs, any } => {
                let path = expand_path(path, params)?;
                check_privs(&checker.privileges(authid, &path), &path, privs, *any)
            }
            Permission::UseridParam => match params.get("userid").and_then(Value::as_str) {
                Some(u) if u == authid => Ok(()),
                _ => Err(denied(None)),
            },
            Permission::UseridGroup(privs) => {
                let target = params.get("userid").and_then(Value::as_str).unwrap_or("");
                if checker.user_group_privs(authid, target, privs) {
                    Ok(())
                } else {
                    Err(denied(None))
                }
            }
            Permission::Or(list) => {
                let mut last = denied(None);
                for p in *list {
                    match p.check(authid, params, checker) {
                        Ok(()) => return Ok(()),
                        Err(e) => last = e,
                    }
                }
                Err(last)
            }
            Permission::And(list) => list
                .iter()
                .try_for_each(|p| p.check(authid, params, checker)),
        }
    }
}

/// Upstream's `check` (all privileges, naming the first missing) and `check_any`.
fn check_privs(
    held: &BTreeSet<String>,
    path: &str,
    privs: &[&str],
    any: bool,
) -> Result<(), ApiError> {
    if any {
        if privs.iter().any(|p| held.contains(*p)) {
            return Ok(());
        }
        return Err(denied(Some(format!("{path}, {}", privs.join("|")))));
    }
    match privs.iter().find(|p| !held.contains(**p)) {
        None => Ok(()),
        Some(missing) => Err(denied(Some(format!("{path}, {missing}")))),
    }
}

impl fmt::Display for Permission {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let join = |f: &mut fmt::Formatter<'_>, list: &[Permission]| -> fmt::Result {
            for (i, p) in list.iter().enumerate() {
                if i > 0 {
                    f.write_str(",")?;
                }
                write!(f, "{p}")?;
            }
            Ok(())
        };
        match self {
            Permission::World => f.write_str("user=world"),
            Permission::All => f.write_str("user=all"),
            Permission::RootOnly => f.write_str("root@pam-only"),
            Permission::Perm { path, privs, any } => {
                let sep = if *any { "|" } else { "&" };
                write!(f, "perm({path},[{}]", privs.join(sep))?;
                f.write_str(if *any { ",any)" } else { ")" })
            }
            Permission::UseridParam => f.write_str("userid-param(self)"),
            Permission::UseridGroup(privs) => write!(f, "userid-group([{}])", privs.join("&")),
            Permission::Or(list) => {
                f.write_str("or(")?;
                join(f, list)?;
                f.write_str(")")
            }
            Permission::And(list) => {
                f.write_str("and(")?;
                join(f, list)?;
                f.write_str(")")
            }
        }
    }
}

#[cfg(test)]
mod tests;
