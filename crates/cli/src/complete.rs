//! Shell completion: `virton completion bash|zsh` prints a script that calls the hidden
//! `virton __complete <tool> <words...>`, which answers one candidate per line:
//! command words, `--options` from the method's schema, enum values, API paths
//! (`pvesh`) and live IDs (users, groups, roles, realms, pools) fetched from the API.

use crate::pvesh;
use crate::pveum::{self, table};
use crate::session::Api;
use crate::tree::{self, ApiRouter};
use serde_json::Value;
use virton_router::HttpMethod;
use virton_schema::{ObjectSchema, Schema};

/// The completion script for `shell` (`bash` or `zsh`).
pub fn script(shell: &str) -> String {
    let tools = crate::dispatch::CLIENT_TOOLS.join(" ");
    if shell == "zsh" {
        return format!(
            "#compdef {tools}\n\n_virton_complete() {{\n    local -a cands\n    \
             cands=(\"${{(@f)$(virton __complete \"${{words[1]:t}}\" \"${{(@)words[2,CURRENT]}}\" 2>/dev/null)}}\")\n    \
             compadd -Q -S '' -- \"${{cands[@]}}\"\n}}\n\ncompdef _virton_complete {tools}\n"
        );
    }
    format!(
        "# bash completion for {tools} (virton)\n_virton_complete() {{\n    local IFS=$'\\n'\n    \
         COMPREPLY=( $(virton __complete \"${{COMP_WORDS[0]##*/}}\" \"${{COMP_WORDS[@]:1:COMP_CWORD}}\" 2>/dev/null) )\n}}\n\
         complete -o default -F _virton_complete {tools}\n"
    )
}

/// Candidates for the last of `words` (`words[0]` is the tool).
pub fn candidates(tree: &ApiRouter, api: &dyn Api, words: &[String]) -> Vec<String> {
    let Some((tool, args)) = words.split_first() else {
        return Vec::new();
    };
    let (cur, before) = match args.split_last() {
        Some((c, b)) => (c.as_str(), b),
        None => ("", &[][..]),
    };
    let all = match tool.as_str() {
        "pvesh" => pvesh_candidates(tree, api, before, cur),
        "pveum" => pveum_candidates(tree, api, before, cur),
        _ => Vec::new(),
    };
    let mut out: Vec<String> = all.into_iter().filter(|c| c.starts_with(cur)).collect();
    out.sort();
    out.dedup();
    out
}

fn options_of(schema: &ObjectSchema) -> Vec<String> {
    schema.properties.keys().map(|k| format!("--{k}")).collect()
}

/// Enum values of the option before the current word, if it has any.
fn option_values(schema: &ObjectSchema, prev: Option<&String>) -> Option<Vec<String>> {
    let name = prev?.trim_start_matches('-');
    let prop = schema.property(name)?;
    match &prop.schema {
        Schema::String(s) => Some(s.enum_values.clone().unwrap_or_default()),
        Schema::Boolean(_) => Some(vec!["0".into(), "1".into()]),
        _ => Some(Vec::new()),
    }
}

fn pvesh_candidates(tree: &ApiRouter, api: &dyn Api, before: &[String], cur: &str) -> Vec<String> {
    let Some((cmd, rest)) = before.split_first() else {
        return pvesh::ALL_COMMANDS.iter().map(|s| s.to_string()).collect();
    };
    if rest.is_empty() {
        return api_paths(tree, api, cur);
    }
    let verb = pvesh::COMMANDS
        .iter()
        .find(|(c, _)| c == cmd)
        .map_or(HttpMethod::Get, |(_, v)| *v);
    let found = tree::find(tree, verb, &rest[0]);
    let (m, pp) = match &found {
        Some((m, pp)) => (Some(*m), pp.clone()),
        None => (None, Default::default()),
    };
    let schema = pvesh::command_schema(m, &pp);
    if let Some(values) = option_values(&schema, rest.last().filter(|p| p.starts_with('-'))) {
        return values;
    }
    options_of(&schema)
}

/// `pvesh` path completion: the children of the typed directory, fixed ones from the
/// tree and `{param}` ones from the directory's index data.
fn api_paths(tree: &ApiRouter, api: &dyn Api, cur: &str) -> Vec<String> {
    let (dir, _) = cur.rsplit_once('/').unwrap_or(("", cur));
    let Some((node, _)) = tree.lookup(dir) else {
        return Vec::new();
    };
    let mut names: Vec<String> = node.subdir_names().map(str::to_string).collect();
    if tree::param_child(tree, dir).is_some() {
        if let Ok(data) = api.call(HttpMethod::Get, if dir.is_empty() { "/" } else { dir }, &[]) {
            names.extend(tree::children(tree, dir, &data));
        }
    }
    names.into_iter().map(|n| format!("{dir}/{n}")).collect()
}

fn group_words(typed: &[String]) -> Vec<String> {
    let prefix: String = typed.iter().map(|w| format!("{w} ")).collect();
    let mut out: Vec<String> = table::COMMANDS
        .iter()
        .map(|c| c.words)
        .chain(table::ALIASES.iter().map(|(a, _)| *a))
        .filter_map(|w| w.strip_prefix(prefix.as_str()))
        .filter_map(|rest| rest.split(' ').next().map(str::to_string))
        .collect();
    if typed.is_empty() {
        out.push("help".into());
    }
    out
}

fn pveum_candidates(tree: &ApiRouter, api: &dyn Api, before: &[String], cur: &str) -> Vec<String> {
    let Ok((c, rest)) = pveum::resolve(before) else {
        return group_words(before);
    };
    let schema = pveum::command_schema(c, pveum::method_of(tree, c));
    if let Some(values) = option_values(&schema, rest.last().filter(|p| p.starts_with('-'))) {
        return match rest.last().map(|p| p.trim_start_matches('-')) {
            Some(name) if values.is_empty() => dynamic_values(api, name),
            _ => values,
        };
    }
    if cur.starts_with('-') {
        return options_of(&schema);
    }
    let positional = rest.iter().filter(|a| !a.starts_with('-')).count();
    match c.args.get(positional) {
        Some(name) => dynamic_values(api, name),
        None => options_of(&schema),
    }
}

/// Live values for an ID parameter, from the API (nothing when it is unreachable).
pub fn dynamic_values(api: &dyn Api, name: &str) -> Vec<String> {
    let (path, key) = match name {
        "userid" | "users" => ("/access/users", "userid"),
        "groupid" | "groups" | "group" => ("/access/groups", "groupid"),
        "roleid" | "roles" => ("/access/roles", "roleid"),
        "realm" => ("/access/domains", "realm"),
        "poolid" => ("/pools", "poolid"),
        "path" => return acl_paths(api),
        _ => return Vec::new(),
    };
    let Ok(Value::Array(items)) = api.call(HttpMethod::Get, path, &[]) else {
        return Vec::new();
    };
    items
        .iter()
        .filter_map(|i| i.get(key).and_then(Value::as_str).map(str::to_string))
        .collect()
}

fn acl_paths(api: &dyn Api) -> Vec<String> {
    let mut out: Vec<String> = [
        "/", "/access", "/nodes", "/pool", "/sdn", "/storage", "/vms", "/mapping",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    out.extend(
        dynamic_values(api, "poolid")
            .into_iter()
            .map(|p| format!("/pool/{p}")),
    );
    out.extend(
        dynamic_values(api, "groupid")
            .into_iter()
            .map(|g| format!("/access/groups/{g}")),
    );
    out
}

#[cfg(test)]
mod tests;
