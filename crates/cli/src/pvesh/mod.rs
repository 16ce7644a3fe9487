//! `pvesh`: a shell for the API tree, as upstream's: `get|set|create|delete <path>
//! [--param value ...]` call GET/PUT/POST/DELETE, `ls <path>` lists children with
//! their `Dr-cd` capabilities, `usage <path>` prints a method's parameters. Every
//! option is a parameter of the method's schema (from the linked route tree) and is
//! verified before the request is sent.

use crate::failure::CliError;
use crate::getopt::{ArgValue, Args};
use crate::invoke::{self, Call};
use crate::output::{self, Column, OutputOptions, TableOptions};
use crate::session::Session;
use crate::stdopts;
use crate::tree::{self, ApiRouter, Method};
use crate::usage::{self, UsageSpec};
use serde_json::{json, Map, Value};
use virton_router::HttpMethod;
use virton_schema::{BooleanSchema, ObjectSchema, Property, Schema, StringSchema};

/// The API commands and their verbs.
pub const COMMANDS: [(&str, HttpMethod); 4] = [
    ("get", HttpMethod::Get),
    ("set", HttpMethod::Put),
    ("create", HttpMethod::Post),
    ("delete", HttpMethod::Delete),
];

/// All commands, for help and completion.
pub const ALL_COMMANDS: [&str; 7] = ["create", "delete", "get", "help", "ls", "set", "usage"];

fn verb_of(cmd: &str) -> Option<HttpMethod> {
    COMMANDS.iter().find(|(c, _)| *c == cmd).map(|(_, v)| *v)
}

/// Runs `pvesh` with `argv` (without the program name).
pub fn run(tree: &ApiRouter, s: &mut Session<'_>, argv: &[String]) -> Result<(), CliError> {
    // Upstream's compatibility switches before the command.
    let mut rest = argv;
    while let Some((first, more)) = rest.split_first() {
        if first == "--noproxy" || first == "--nooutput" {
            rest = more;
        } else {
            break;
        }
    }
    let consumed = argv.len() - rest.len();
    let nooutput = argv.iter().take(consumed).any(|a| a == "--nooutput");
    let Some((cmd, args)) = rest.split_first() else {
        return Err(usage_error("no command specified"));
    };
    match cmd.as_str() {
        "ls" => ls(tree, s, args),
        "usage" => usage_cmd(tree, s, args),
        "help" => {
            s.print(&help());
            Ok(())
        }
        c => match verb_of(c) {
            Some(verb) => call(tree, s, c, verb, args, nooutput),
            None => Err(usage_error(&format!("unknown command 'pvesh {c}'"))),
        },
    }
}

fn usage_error(msg: &str) -> CliError {
    CliError::plain(format!("ERROR: {msg}\n{}", help()))
}

/// The command overview.
pub fn help() -> String {
    let mut out = String::from("USAGE: pvesh <COMMAND> [ARGS] [OPTIONS]\n\n");
    for c in ["create", "delete", "get", "ls", "set"] {
        out.push_str(&format!(
            "       pvesh {c} <api_path> [OPTIONS] [FORMAT_OPTIONS]\n"
        ));
    }
    out.push_str("       pvesh usage <api_path> [OPTIONS]\n\n");
    out.push_str("       pvesh help [<extra-args>] [OPTIONS]\n");
    out
}

fn path_property() -> Property {
    Property::new(Schema::String(StringSchema {
        description: Some("API path.".into()),
        ..Default::default()
    }))
}

fn flag(description: &str) -> Property {
    Property::new(Schema::Boolean(BooleanSchema {
        description: Some(description.into()),
        default: None,
    }))
    .optional()
}

/// The schema `pvesh <cmd> <path>` parses: the method's parameters without the path
/// placeholders, plus `api_path`, `noproxy` and the output options.
pub fn command_schema(method: Option<&Method>, path_params: &Map<String, Value>) -> ObjectSchema {
    let mut o = ObjectSchema::default();
    if let Some(m) = method {
        for (k, p) in &m.parameters().properties {
            if !path_params.contains_key(k) {
                o.properties.insert(k.clone(), p.clone());
            }
        }
    }
    o.properties.insert("api_path".into(), path_property());
    o.properties.insert(
        "noproxy".into(),
        flag("Do not forward the call to another node."),
    );
    stdopts::with_output_options(&o)
}

fn call(
    tree: &ApiRouter,
    s: &mut Session<'_>,
    cmd: &str,
    verb: HttpMethod,
    args: &[String],
    nooutput: bool,
) -> Result<(), CliError> {
    let found = match args.first() {
        Some(path) => match tree::find(tree, verb, path) {
            Some(f) => Some((path.clone(), f)),
            None => {
                s.eprint(&format!("No '{cmd}' handler defined for '{path}'\n"));
                return Err(CliError::plain("").exit_code(1));
            }
        },
        None => None,
    };
    let empty = Map::new();
    let (method, path_params) = match &found {
        Some((_, (m, p))) => (Some(*m), p),
        None => (None, &empty),
    };
    let schema = command_schema(method, path_params);
    let prefix = format!("pvesh {cmd}");
    let usage = || short_usage(&prefix, &schema);
    let mut parsed =
        invoke::parse(&schema, args, &["api_path"], &[]).map_err(|e| e.with_usage(usage))?;
    let (Some((path, _)), Some(method)) = (&found, method) else {
        return Err(CliError::plain("missing API path"));
    };
    parsed.shift_remove("api_path");
    parsed.shift_remove("noproxy");
    let mut out = invoke::output_options(&mut parsed).map_err(|e| e.with_usage(usage))?;
    out.options.quiet |= nooutput;
    let c = Call {
        method,
        verb,
        path: path.clone(),
        path_params: path_params.clone(),
    };
    c.run(s, &parsed, &out).map_err(|e| e.with_usage(usage))?;
    Ok(())
}

fn short_usage(prefix: &str, schema: &ObjectSchema) -> String {
    let skip: Vec<&str> = stdopts::NAMES.to_vec();
    usage::short(&UsageSpec {
        prefix,
        description: "",
        schema,
        args: &["api_path"],
        skip: &skip,
        format_options: true,
    })
}

fn ls(tree: &ApiRouter, s: &mut Session<'_>, args: &[String]) -> Result<(), CliError> {
    let found = args
        .first()
        .and_then(|p| tree::find(tree, HttpMethod::Get, p));
    let (method, path_params) = match &found {
        Some((m, p)) => (Some(*m), p.clone()),
        None => (None, Map::new()),
    };
    let schema = command_schema(method, &path_params);
    let usage = || short_usage("pvesh ls", &schema);
    let mut parsed =
        invoke::parse(&schema, args, &["api_path"], &[]).map_err(|e| e.with_usage(usage))?;
    let path = match parsed.shift_remove("api_path") {
        Some(ArgValue::One(p)) => p,
        _ => return Err(CliError::bad("not enough arguments").with_usage(usage)),
    };
    parsed.shift_remove("noproxy");
    let given = invoke::output_options(&mut parsed)?;
    let Some(method) = method else {
        return Err(CliError::plain(format!("no such resource '{path}'")));
    };
    if !tree::has_children(tree, &path) {
        return Err(CliError::plain(format!(
            "resource '{path}' does not define child links"
        )));
    }
    let c = Call {
        method,
        verb: HttpMethod::Get,
        path: path.clone(),
        path_params,
    };
    crate::getopt::verify(method.parameters(), &parsed, &c.path_params)?;
    let params = crate::getopt::to_params(&parsed);
    let data = s.api.call(HttpMethod::Get, &path, &params)?;
    let base = path.trim_end_matches('/');
    let rows: Vec<Map<String, Value>> = tree::children(tree, &path, &data)
        .into_iter()
        .map(|name| {
            let caps = tree::capabilities(tree, &format!("{base}/{name}"));
            let v = json!({"name": name, "capabilities": caps});
            v.as_object().cloned().unwrap_or_default()
        })
        .collect();
    s.print(&render_ls(&rows, &given, &s.term.clone()));
    Ok(())
}

/// `pvesh ls` output: capabilities and name, sorted by name, no border and no header
/// unless asked for.
pub fn render_ls(
    rows: &[Map<String, Value>],
    given: &stdopts::Given,
    term: &output::Terminal,
) -> String {
    let o: &OutputOptions = &given.options;
    if o.quiet {
        return String::new();
    }
    if o.format != output::OutputFormat::Text {
        let data = Value::Array(rows.iter().cloned().map(Value::Object).collect());
        return output::render(&data, &Schema::String(Default::default()), None, o, term)
            .unwrap_or_default();
    }
    let opts = TableOptions {
        noheader: given.noheader.unwrap_or(true),
        noborder: given.noborder.unwrap_or(true),
        human_readable: o.human_readable,
        sort_key: Some("name".into()),
    };
    let cols = [Column::plain("capabilities"), Column::plain("name")];
    if rows.is_empty() {
        return String::new();
    }
    output::render_table(rows, &cols, &opts, term)
}

fn usage_cmd(tree: &ApiRouter, s: &mut Session<'_>, args: &[String]) -> Result<(), CliError> {
    let mut o = ObjectSchema::default();
    o.properties.insert("api_path".into(), path_property());
    o.properties
        .insert("verbose".into(), flag("Describe every parameter."));
    o.properties
        .insert("returns".into(), flag("Also print the return schema."));
    let cmd = Schema::String(StringSchema {
        description: Some("Only this command.".into()),
        enum_values: Some(COMMANDS.iter().map(|(c, _)| c.to_string()).collect()),
        ..Default::default()
    });
    o.properties
        .insert("command".into(), Property::new(cmd).optional());
    let usage = || {
        usage::short(&UsageSpec {
            prefix: "pvesh usage",
            description: "",
            schema: &o,
            args: &["api_path"],
            skip: &[],
            format_options: false,
        })
    };
    let parsed: Args =
        invoke::parse(&o, args, &["api_path"], &[]).map_err(|e| e.with_usage(usage))?;
    crate::getopt::verify(&o, &parsed, &Map::new()).map_err(|e| e.with_usage(usage))?;
    let text = |k: &str| match parsed.get(k) {
        Some(ArgValue::One(v)) => Some(v.clone()),
        _ => None,
    };
    let path = text("api_path").unwrap_or_default();
    let only = text("command");
    let verbose = text("verbose").as_deref() == Some("1");
    let returns = text("returns").as_deref() == Some("1");
    let mut found = false;
    for (cmd, verb) in COMMANDS {
        if only.as_deref().is_some_and(|c| c != cmd) {
            continue;
        }
        let Some((m, path_params)) = tree::find(tree, verb, &path) else {
            continue;
        };
        found = true;
        s.print(&method_usage(cmd, &path, m, &path_params, verbose));
        if returns {
            let schema = returns::schema_json(m.returns());
            s.print(&format!("RETURNS: {}", crate::output::json_pretty(&schema)));
        }
    }
    match (found, only) {
        (true, _) => Ok(()),
        (false, Some(c)) => Err(CliError::plain(format!("no '{c}' handler for '{path}'"))),
        (false, None) => Err(CliError::plain(format!("no such resource '{path}'"))),
    }
}

/// The usage of one method at a concrete path (`pvesh usage`).
pub fn method_usage(
    cmd: &str,
    path: &str,
    m: &Method,
    path_params: &Map<String, Value>,
    verbose: bool,
) -> String {
    let skip: Vec<&str> = path_params.keys().map(String::as_str).collect();
    let prefix = format!("pvesh {cmd} {path}");
    let spec = UsageSpec {
        prefix: &prefix,
        description: m.description,
        schema: m.parameters(),
        args: &[],
        skip: &skip,
        format_options: false,
    };
    if verbose {
        usage::long(&spec, true)
    } else {
        format!("USAGE: {}", usage::short(&spec))
    }
}

mod returns;

#[cfg(test)]
mod tests;
