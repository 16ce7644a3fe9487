//! `pveum`: user, group, role, ACL, realm, pool, TFA and token management, as
//! upstream's command set. Each command (see [`table`]) is one API method; its options
//! are the method's parameters, its positional arguments name some of them. A command
//! whose method this build's route tree lacks answers the API's 501.

pub mod table;

use crate::failure::CliError;
use crate::getopt::{ArgValue, Args};
use crate::invoke::{self, Call};
use crate::output::{self, Column, TableOptions};
use crate::session::Session;
use crate::stdopts::{self, Given};
use crate::tree::{self, ApiRouter, Method};
use crate::usage::{self, UsageSpec};
use serde_json::{Map, Value};
use table::{Command, Output, Password};
use virton_schema::{ObjectSchema, Property, Schema, StringSchema};

/// Finds the command named by the leading words of `argv`; returns it and the rest.
pub fn resolve(argv: &[String]) -> Result<(&'static Command, &[String]), CliError> {
    for n in (1..=3).rev() {
        let Some(words) = argv.get(..n) else { continue };
        let joined = words.join(" ");
        let name = table::ALIASES
            .iter()
            .find(|(a, _)| *a == joined)
            .map_or(joined.as_str(), |(_, target)| *target);
        if let Some(c) = table::COMMANDS.iter().find(|c| c.words == name) {
            return Ok((c, &argv[n..]));
        }
    }
    let Some(first) = argv.first() else {
        return Err(usage_error("no command specified"));
    };
    let group = argv.iter().take(2).cloned().collect::<Vec<_>>().join(" ");
    for prefix in [group.as_str(), first.as_str()] {
        if table::COMMANDS
            .iter()
            .any(|c| c.words.starts_with(&format!("{prefix} ")))
        {
            return Err(usage_error(&format!("incomplete command 'pveum {prefix}'")));
        }
    }
    Err(usage_error(&format!(
        "unknown command 'pveum {}'",
        argv.join(" ")
    )))
}

fn usage_error(msg: &str) -> CliError {
    CliError::plain(format!("ERROR: {msg}\n{}", help(tree::api())))
}

/// The method of `c` in `tree`, if this build has it.
pub fn method_of<'t>(tree: &'t ApiRouter, c: &Command) -> Option<&'t Method> {
    let (node, _) = tree.lookup(&table::template(c))?;
    node.get_method(c.verb)
}

fn has_format_options(c: &Command) -> bool {
    matches!(c.output, Output::Api | Output::Perm)
}

/// The schema a command parses: the method's parameters without fixed ones, plus
/// CLI-only arguments and (for printing commands) the output options.
pub fn command_schema(c: &Command, method: Option<&Method>) -> ObjectSchema {
    let mut o = ObjectSchema::default();
    if let Some(m) = method {
        for (k, p) in &m.parameters().properties {
            if !c.fixed.iter().any(|(f, _)| f == k) {
                o.properties.insert(k.clone(), p.clone());
            }
        }
    }
    let plain = |d: &str| {
        Property::new(Schema::String(StringSchema {
            description: Some(d.into()),
            ..Default::default()
        }))
    };
    for a in table::cli_only(c).iter().chain(c.args) {
        o.properties
            .entry((*a).to_string())
            .or_insert_with(|| plain("Command argument."));
    }
    if c.path.contains("?}") {
        for a in c.args {
            if let Some(p) = o.properties.get_mut(*a) {
                p.optional = true;
            }
        }
    }
    if has_format_options(c) {
        o = stdopts::with_output_options(&o);
    }
    o
}

/// The short usage of a command.
pub fn short_usage(c: &Command, schema: &ObjectSchema) -> String {
    let prefix = format!("pveum {}", c.words);
    let mut skip: Vec<&str> = stdopts::NAMES.to_vec();
    if c.password != Password::No {
        skip.push("password");
    }
    usage::short(&UsageSpec {
        prefix: &prefix,
        description: "",
        schema,
        args: c.args,
        skip: &skip,
        format_options: has_format_options(c),
    })
}

/// The overview of all commands.
pub fn help(tree: &ApiRouter) -> String {
    let mut out = String::from("USAGE: pveum <COMMAND> [ARGS] [OPTIONS]\n\n");
    for c in table::COMMANDS {
        let schema = command_schema(c, method_of(tree, c));
        out.push_str(&format!("       {}", short_usage(c, &schema)));
    }
    out
}

/// Runs `pveum` with `argv` (without the program name).
pub fn run(tree: &ApiRouter, s: &mut Session<'_>, argv: &[String]) -> Result<(), CliError> {
    if argv.first().is_some_and(|a| a == "help") {
        s.print(&help(tree));
        return Ok(());
    }
    let (c, rest) = resolve(argv)?;
    let method = method_of(tree, c);
    if method.is_none() {
        return Err(not_implemented(c, rest));
    }
    let schema = command_schema(c, method);
    let usage = || short_usage(c, &schema);
    let mut args = invoke::parse(&schema, rest, c.args, &[]).map_err(|e| e.with_usage(usage))?;
    let given = if has_format_options(c) {
        stdopts::extract(&mut args).map_err(|e| e.with_usage(usage))?
    } else {
        Given::default()
    };
    prepare(c, &mut args)?;
    let (path, path_params) = concrete_path(c, &args);
    let verb = c.verb;
    let Some((method, _)) = tree::find(tree, verb, &path) else {
        return Err(CliError::new(
            501,
            format!("Method '{verb} {path}' not implemented"),
        ));
    };
    let call = Call {
        method,
        verb,
        path,
        path_params,
    };
    match c.output {
        Output::Api => call.run(s, &args, &given).map(|_| ()),
        Output::None => {
            let quiet = Given {
                options: output::OutputOptions {
                    quiet: true,
                    ..Default::default()
                },
                ..Default::default()
            };
            call.run(s, &args, &quiet).map(|_| ())
        }
        other => {
            let hidden = Given {
                options: output::OutputOptions {
                    quiet: true,
                    ..Default::default()
                },
                ..Default::default()
            };
            let data = call.run(s, &args, &hidden)?;
            let text = render_special(other, &data, &given, s)?;
            s.print(&text);
            Ok(())
        }
    }
    .map_err(|e| e.with_usage(usage))
}

/// The API's 501 for a command whose method this build lacks; the path is filled from
/// the positional arguments (options are skipped with their values, unchecked).
fn not_implemented(c: &Command, rest: &[String]) -> CliError {
    let mut positional = Vec::new();
    let mut iter = rest.iter().peekable();
    while let Some(a) = iter.next() {
        if a.starts_with('-') && a.len() > 1 {
            if !a.contains('=') && iter.peek().is_some_and(|n| !n.starts_with('-')) {
                iter.next();
            }
        } else {
            positional.push(a.clone());
        }
    }
    let args: Args = c
        .args
        .iter()
        .zip(positional)
        .map(|(k, v)| ((*k).to_string(), ArgValue::One(v)))
        .collect();
    let (path, _) = concrete_path(c, &args);
    CliError::new(501, format!("Method '{} {path}' not implemented", c.verb))
}

/// Fills passwords, joins token ids and applies fixed values.
fn prepare(c: &Command, args: &mut Args) -> Result<(), CliError> {
    match c.password {
        Password::Prompt => {
            let p = crate::password::read("Enter password: ")?;
            args.insert("password".into(), ArgValue::One(p));
        }
        Password::Confirmed if !args.contains_key("password") => {
            args.insert(
                "password".into(),
                ArgValue::One(crate::password::confirmed()?),
            );
        }
        _ => {}
    }
    if !table::cli_only(c).is_empty() {
        let token = args.shift_remove("tokenid");
        if let (Some(ArgValue::One(user)), Some(ArgValue::One(token))) = (args.get("userid"), token)
        {
            let joined = format!("{user}!{token}");
            args.insert("userid".into(), ArgValue::One(joined));
        }
    }
    for (k, v) in c.fixed {
        args.insert((*k).to_string(), ArgValue::One((*v).to_string()));
    }
    Ok(())
}

/// The concrete path of a command from its arguments, and the placeholder values.
pub fn concrete_path(c: &Command, args: &Args) -> (String, Map<String, Value>) {
    let mut segments = Vec::new();
    let mut params = Map::new();
    for seg in c.path.split('/').filter(|s| !s.is_empty()) {
        let Some(inner) = seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')) else {
            segments.push(seg.to_string());
            continue;
        };
        let (name, optional) = match inner.strip_suffix('?') {
            Some(n) => (n, true),
            None => (inner, false),
        };
        match args.get(name) {
            Some(ArgValue::One(v)) => {
                params.insert(name.to_string(), Value::String(v.clone()));
                segments.push(v.clone());
            }
            _ if optional => {}
            _ => segments.push(String::new()),
        }
    }
    (format!("/{}", segments.join("/")), params)
}

fn render_special(
    kind: Output,
    data: &Value,
    given: &Given,
    s: &Session<'_>,
) -> Result<String, CliError> {
    match kind {
        Output::Ticket => Ok(format!(
            "{}\n",
            data.get("ticket")
                .and_then(Value::as_str)
                .unwrap_or_default()
        )),
        Output::Tfa => Ok(render_tfa(data)),
        Output::Perm if given.options.format == output::OutputFormat::Text => {
            Ok(render_perm(data, given, &s.term))
        }
        _ => output::render(
            data,
            &Schema::Object(ObjectSchema::default()),
            None,
            &given.options,
            &s.term,
        ),
    }
}

/// Upstream's permission table: one row per ACL path, privileges one per line,
/// `(*)` marking propagation.
pub fn render_perm(data: &Value, given: &Given, term: &output::Terminal) -> String {
    let mut rows = Vec::new();
    if let Some(map) = data.as_object() {
        let mut paths: Vec<&String> = map.keys().collect();
        paths.sort();
        for path in paths {
            let mut privs: Vec<(&String, &Value)> = map[path.as_str()]
                .as_object()
                .map(|m| m.iter().collect())
                .unwrap_or_default();
            privs.sort_by(|a, b| a.0.cmp(b.0));
            let lines: Vec<String> = privs
                .iter()
                .map(|(p, v)| {
                    if output::data_to_text(v, None, &Default::default()) == "1" {
                        format!("{p} (*)")
                    } else {
                        (*p).clone()
                    }
                })
                .collect();
            let mut row = Map::new();
            row.insert("path".into(), Value::String(path.clone()));
            row.insert("permissions".into(), Value::String(lines.join("\n")));
            rows.push(row);
        }
    }
    let mut out = String::new();
    if !rows.is_empty() {
        let cols = [
            Column::plain("path").titled("ACL path"),
            Column::plain("permissions").titled("Permissions"),
        ];
        out = output::render_table(
            &rows,
            &cols,
            &TableOptions::from_output(&given.options),
            term,
        );
    }
    out.push_str("Permissions marked with '(*)' have the 'propagate' flag set.\n");
    out
}

fn tfa_entries(entries: &[Value], indent: &str) -> String {
    let mut out = String::new();
    for (i, e) in entries.iter().enumerate() {
        let field = |k: &str| {
            e.get(k)
                .and_then(virton_schema::text::scalar_text)
                .unwrap_or_default()
        };
        if i > 0 {
            out.push('\n');
        }
        out.push_str(&format!(
            "{indent}{:<9} {}\n{indent}    {}\n",
            format!("{}:", field("type")),
            field("id"),
            field("description")
        ));
    }
    out
}

/// Upstream's `user tfa list` text: per user (when listing all) the entries as
/// `type: id` and an indented description.
pub fn render_tfa(data: &Value) -> String {
    let items: Vec<Value> = data.as_array().cloned().unwrap_or_default();
    if items.iter().all(|i| i.get("entries").is_none()) {
        return tfa_entries(&items, "");
    }
    let mut users: Vec<&Value> = items.iter().collect();
    users.sort_by_key(|u| {
        u.get("userid")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string()
    });
    let mut out = String::new();
    for (i, u) in users.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(&format!(
            "{}:\n",
            u.get("userid").and_then(Value::as_str).unwrap_or_default()
        ));
        let entries = u
            .get("entries")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        out.push_str(&tfa_entries(&entries, "    "));
    }
    out
}

#[cfg(test)]
mod tests;
