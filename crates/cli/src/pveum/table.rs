//! The `pveum` command table: each command names one API method (verb + path
//! template), its positional arguments, fixed parameter values and how its result is
//! printed. Options are that method's parameters, so they always match the API.

use virton_router::HttpMethod::{self, Delete, Get, Post, Put};

/// How a command prints its result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Output {
    /// Nothing (upstream's commands without a formatter).
    None,
    /// The standard formatter with the output options.
    Api,
    /// The permission tree as an `ACL path | Permissions` table.
    Perm,
    /// The ticket only.
    Ticket,
    /// Two-factor entries, as upstream's `user tfa list`.
    Tfa,
}

/// How a `password` parameter is obtained.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Password {
    /// Not prompted.
    No,
    /// From the option, else prompted twice (`Enter new password:`/`Retype new password:`).
    Confirmed,
    /// Always prompted once (`Enter password:`), never from the command line.
    Prompt,
}

/// One `pveum` command.
#[derive(Debug, Clone, Copy)]
pub struct Command {
    /// The command words (`user token add`).
    pub words: &'static str,
    /// The HTTP verb.
    pub verb: HttpMethod,
    /// The path template; a `{name?}` last segment is left out when the argument is.
    pub path: &'static str,
    /// Positional argument names.
    pub args: &'static [&'static str],
    /// Parameters with fixed values.
    pub fixed: &'static [(&'static str, &'static str)],
    /// Result printing.
    pub output: Output,
    /// Password handling.
    pub password: Password,
}

const fn cmd(
    words: &'static str,
    verb: HttpMethod,
    path: &'static str,
    args: &'static [&'static str],
    output: Output,
) -> Command {
    Command {
        words,
        verb,
        path,
        args,
        fixed: &[],
        output,
        password: Password::No,
    }
}

use Output::{Api, None as Quiet, Perm};

/// Every command.
pub const COMMANDS: &[Command] = &[
    cmd("user add", Post, "/access/users", &["userid"], Quiet),
    cmd(
        "user modify",
        Put,
        "/access/users/{userid}",
        &["userid"],
        Quiet,
    ),
    cmd(
        "user delete",
        Delete,
        "/access/users/{userid}",
        &["userid"],
        Quiet,
    ),
    cmd("user list", Get, "/access/users", &[], Api),
    cmd(
        "user permissions",
        Get,
        "/access/permissions",
        &["userid"],
        Perm,
    ),
    cmd(
        "user tfa delete",
        Delete,
        "/access/tfa/{userid}/{id}",
        &["userid"],
        Quiet,
    ),
    cmd(
        "user tfa list",
        Get,
        "/access/tfa/{userid?}",
        &["userid"],
        Output::Tfa,
    ),
    cmd(
        "user tfa unlock",
        Put,
        "/access/users/{userid}/unlock-tfa",
        &["userid"],
        Quiet,
    ),
    cmd(
        "user token add",
        Post,
        "/access/users/{userid}/token/{tokenid}",
        &["userid", "tokenid"],
        Api,
    ),
    cmd(
        "user token modify",
        Put,
        "/access/users/{userid}/token/{tokenid}",
        &["userid", "tokenid"],
        Api,
    ),
    cmd(
        "user token delete",
        Delete,
        "/access/users/{userid}/token/{tokenid}",
        &["userid", "tokenid"],
        Api,
    ),
    cmd(
        "user token list",
        Get,
        "/access/users/{userid}/token",
        &["userid"],
        Api,
    ),
    cmd(
        "user token permissions",
        Get,
        "/access/permissions",
        &["userid", "tokenid"],
        Perm,
    ),
    cmd("group add", Post, "/access/groups", &["groupid"], Quiet),
    cmd(
        "group modify",
        Put,
        "/access/groups/{groupid}",
        &["groupid"],
        Quiet,
    ),
    cmd(
        "group delete",
        Delete,
        "/access/groups/{groupid}",
        &["groupid"],
        Quiet,
    ),
    cmd("group list", Get, "/access/groups", &[], Api),
    cmd("role add", Post, "/access/roles", &["roleid"], Quiet),
    cmd(
        "role modify",
        Put,
        "/access/roles/{roleid}",
        &["roleid"],
        Quiet,
    ),
    cmd(
        "role delete",
        Delete,
        "/access/roles/{roleid}",
        &["roleid"],
        Quiet,
    ),
    cmd("role list", Get, "/access/roles", &[], Api),
    Command {
        fixed: &[("delete", "0")],
        ..cmd("acl modify", Put, "/access/acl", &["path"], Quiet)
    },
    Command {
        fixed: &[("delete", "1")],
        ..cmd("acl delete", Put, "/access/acl", &["path"], Quiet)
    },
    cmd("acl list", Get, "/access/acl", &[], Api),
    cmd("realm add", Post, "/access/domains", &["realm"], Quiet),
    cmd(
        "realm modify",
        Put,
        "/access/domains/{realm}",
        &["realm"],
        Quiet,
    ),
    cmd(
        "realm delete",
        Delete,
        "/access/domains/{realm}",
        &["realm"],
        Quiet,
    ),
    cmd("realm list", Get, "/access/domains", &[], Api),
    cmd(
        "realm sync",
        Post,
        "/access/domains/{realm}/sync",
        &["realm"],
        Quiet,
    ),
    cmd("pool add", Post, "/pools", &["poolid"], Quiet),
    cmd("pool modify", Put, "/pools", &["poolid"], Quiet),
    cmd("pool delete", Delete, "/pools", &["poolid"], Quiet),
    cmd("pool list", Get, "/pools", &[], Api),
    Command {
        password: Password::Prompt,
        ..cmd(
            "ticket",
            Post,
            "/access/ticket",
            &["username"],
            Output::Ticket,
        )
    },
    Command {
        password: Password::Confirmed,
        ..cmd("passwd", Put, "/access/password", &["userid"], Quiet)
    },
];

/// Upstream's short aliases and renamed commands.
pub const ALIASES: &[(&str, &str)] = &[
    ("useradd", "user add"),
    ("usermod", "user modify"),
    ("userdel", "user delete"),
    ("groupadd", "group add"),
    ("groupmod", "group modify"),
    ("groupdel", "group delete"),
    ("roleadd", "role add"),
    ("rolemod", "role modify"),
    ("roledel", "role delete"),
    ("aclmod", "acl modify"),
    ("acldel", "acl delete"),
    ("user token remove", "user token delete"),
];

/// Arguments that are CLI-only (not parameters of the method): `tokenid` of
/// `user token permissions` is joined into `userid` as `user@realm!token`.
pub fn cli_only(c: &Command) -> &'static [&'static str] {
    if c.words == "user token permissions" {
        &["tokenid"]
    } else {
        &[]
    }
}

/// The path template without the optional-segment marker.
pub fn template(c: &Command) -> String {
    c.path.replace("?}", "}")
}
