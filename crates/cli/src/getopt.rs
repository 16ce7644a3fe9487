//! Command-line options from a method's parameter schema, as upstream's `get_options`:
//! `--key value`, `-key value`, `--key=value`, unique prefixes, booleans with an
//! optional value (`--quiet` = 1), repeatable array and `-list` options, positional
//! arguments mapped onto named parameters, then verification against the schema
//! (`400 Parameter verification failed.`). Pure: no I/O.

use crate::failure::CliError;
use indexmap::IndexMap;
use serde_json::{Map, Value};
use virton_schema::text::parse_boolean;
use virton_schema::{ObjectSchema, Schema, StringFormat};

/// How an option takes its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OptKind {
    /// A boolean: the value is optional (`--quiet`, `--quiet 0`).
    Flag,
    /// One mandatory value; given twice, the last wins.
    Value,
    /// Repeatable: arrays and `-list` strings.
    List,
}

/// One accepted option.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OptSpec {
    /// The option name (the parameter name).
    pub name: String,
    /// How it takes its value.
    pub kind: OptKind,
}

/// A parsed argument value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ArgValue {
    /// A single value (booleans normalized to `1`/`0`).
    One(String),
    /// A repeated option of an array parameter.
    Many(Vec<String>),
}

/// Parameters parsed from a command line, in the order given.
pub type Args = IndexMap<String, ArgValue>;

/// True for string schemas with a `*-list` format (joined with commas).
pub fn is_list_format(schema: &Schema) -> bool {
    matches!(schema, Schema::String(s)
        if matches!(&s.format, Some(StringFormat::Named(n)) if n.contains("-list")))
}

/// The option specs of `schema`, leaving out `skip` (path and fixed parameters).
pub fn specs(schema: &ObjectSchema, skip: &[&str]) -> Vec<OptSpec> {
    schema
        .properties
        .iter()
        .filter(|(name, _)| !skip.contains(&name.as_str()))
        .map(|(name, prop)| OptSpec {
            name: name.clone(),
            kind: match &prop.schema {
                Schema::Boolean(_) => OptKind::Flag,
                Schema::Array(_) => OptKind::List,
                s if is_list_format(s) => OptKind::List,
                _ => OptKind::Value,
            },
        })
        .collect()
}

/// Options and leftover positional arguments.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Parsed {
    /// Option values in order of first appearance.
    pub options: IndexMap<String, Vec<String>>,
    /// Non-option arguments in order.
    pub positional: Vec<String>,
}

fn unable(notes: String) -> CliError {
    let mut e = CliError::bad("unable to parse option");
    e.notes = notes;
    e
}

fn find<'a>(specs: &'a [OptSpec], name: &str) -> Result<&'a OptSpec, String> {
    if let Some(s) = specs.iter().find(|s| s.name == name) {
        return Ok(s);
    }
    let matches: Vec<&OptSpec> = specs.iter().filter(|s| s.name.starts_with(name)).collect();
    match matches.as_slice() {
        [one] => Ok(one),
        [] => Err(format!("Unknown option: {name}\n")),
        many => {
            let names: Vec<&str> = many.iter().map(|s| s.name.as_str()).collect();
            Err(format!(
                "Option {name} is ambiguous ({})\n",
                names.join(", ")
            ))
        }
    }
}

/// Splits `args` into options (per `specs`) and positional arguments, as Getopt::Long
/// with the `--`/`-` prefixes and permutation.
pub fn getopt(specs: &[OptSpec], args: &[String]) -> Result<Parsed, CliError> {
    let mut out = Parsed::default();
    let mut notes = String::new();
    let mut iter = args.iter().peekable();
    while let Some(arg) = iter.next() {
        if arg == "--" {
            out.positional.extend(iter.by_ref().cloned());
            break;
        }
        let Some(body) = arg
            .strip_prefix("--")
            .or_else(|| arg.strip_prefix('-'))
            .filter(|b| !b.is_empty() && arg != "-")
        else {
            out.positional.push(arg.clone());
            continue;
        };
        let (name, inline) = match body.split_once('=') {
            Some((n, v)) => (n, Some(v.to_string())),
            None => (body, None),
        };
        let spec = match find(specs, name) {
            Ok(s) => s,
            Err(note) => {
                notes.push_str(&note);
                continue;
            }
        };
        let value = match (inline, spec.kind) {
            (Some(v), _) => v,
            (None, OptKind::Flag) => match iter.peek() {
                Some(next) if !next.starts_with('-') => iter.next().cloned().unwrap_or_default(),
                _ => String::new(),
            },
            (None, _) => match iter.next() {
                Some(v) => v.clone(),
                None => {
                    notes.push_str(&format!("Option {} requires an argument\n", spec.name));
                    continue;
                }
            },
        };
        let slot = out.options.entry(spec.name.clone()).or_default();
        if spec.kind != OptKind::List {
            slot.clear();
        }
        slot.push(value);
    }
    if notes.is_empty() {
        Ok(out)
    } else {
        Err(unable(notes))
    }
}

/// Maps positional arguments onto `arg_names` (upstream's `arg_param`): too many is
/// `too many arguments`, a missing required one `not enough arguments`.
pub fn assign_positional(
    parsed: &mut Parsed,
    arg_names: &[&str],
    schema: &ObjectSchema,
) -> Result<(), CliError> {
    if parsed.positional.len() > arg_names.len() {
        return Err(CliError::bad("too many arguments"));
    }
    let given = std::mem::take(&mut parsed.positional);
    for (i, name) in arg_names.iter().enumerate() {
        match given.get(i) {
            Some(v) => {
                parsed.options.insert((*name).to_string(), vec![v.clone()]);
            }
            None => {
                let optional = schema.property(name).is_none_or(|p| p.optional);
                if !optional && !parsed.options.contains_key(*name) {
                    return Err(CliError::bad("not enough arguments"));
                }
            }
        }
    }
    Ok(())
}

/// Types the parsed options per `schema`: booleans to `1`/`0` (an empty value is 1),
/// `-list` strings joined with commas, arrays kept as lists.
pub fn typed(schema: &ObjectSchema, parsed: Parsed) -> Result<Args, CliError> {
    let mut out = Args::new();
    for (name, mut values) in parsed.options {
        let prop = schema.property(&name).map(|p| &p.schema);
        let value = match prop {
            Some(Schema::Boolean(_)) => {
                let v = values.pop().unwrap_or_default();
                let b = if v.is_empty() {
                    Some(true)
                } else {
                    parse_boolean(&v)
                };
                let b = b.ok_or_else(|| CliError::bad("unable to parse boolean option"))?;
                ArgValue::One(if b { "1" } else { "0" }.into())
            }
            Some(Schema::Array(_)) => ArgValue::Many(values),
            Some(s) if is_list_format(s) => ArgValue::One(values.join(",")),
            _ => ArgValue::One(values.pop().unwrap_or_default()),
        };
        out.insert(name, value);
    }
    Ok(out)
}

/// The arguments as a wire-style JSON map (strings, arrays of strings).
pub fn to_map(args: &Args) -> Map<String, Value> {
    args.iter()
        .map(|(k, v)| {
            let v = match v {
                ArgValue::One(s) => Value::String(s.clone()),
                ArgValue::Many(list) => list.iter().cloned().map(Value::String).collect(),
            };
            (k.clone(), v)
        })
        .collect()
}

/// The arguments as form parameters (arrays as repeated keys).
pub fn to_params(args: &Args) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (k, v) in args {
        match v {
            ArgValue::One(s) => out.push((k.clone(), s.clone())),
            ArgValue::Many(list) => out.extend(list.iter().map(|s| (k.clone(), s.clone()))),
        }
    }
    out
}

/// Verifies `args` plus the path parameters against `schema`, as the server will.
pub fn verify(
    schema: &ObjectSchema,
    args: &Args,
    path_params: &Map<String, Value>,
) -> Result<(), CliError> {
    let mut map = to_map(args);
    for (k, v) in path_params {
        map.insert(k.clone(), v.clone());
    }
    virton_router::params::prepare(map, schema)
        .map(|_| ())
        .map_err(CliError::from)
}

#[cfg(test)]
mod tests;
