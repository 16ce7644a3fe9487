//! Printing API results as upstream's `PVE::CLIFormatter::print_api_result`:
//! `text` (bordered tables for lists of objects, a key/value table for objects, one
//! line per scalar), `json` (compact, sorted keys), `json-pretty` (Perl JSON's pretty
//! layout: three-space indent, `"key" : value`) and `yaml` (YAML::XS's layout).
//!
//! Pure: renders into a `String`; the caller prints it. Must not call the API.

mod json;
mod table;
mod yaml;

pub use json::pretty as json_pretty;
pub use table::{render as render_table, Column, TableOptions};

use crate::failure::CliError;
use serde_json::{Map, Value};
use virton_schema::{ObjectSchema, Property, Schema};

/// `--output-format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OutputFormat {
    /// Tables and plain lines.
    #[default]
    Text,
    /// Compact JSON with sorted keys.
    Json,
    /// Indented JSON with sorted keys.
    JsonPretty,
    /// YAML.
    Yaml,
}

impl OutputFormat {
    /// Every format name, as the `output-format` enum lists them.
    pub const NAMES: [&'static str; 4] = ["text", "json", "json-pretty", "yaml"];

    /// Parses a format name.
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "text" => Some(Self::Text),
            "json" => Some(Self::Json),
            "json-pretty" => Some(Self::JsonPretty),
            "yaml" => Some(Self::Yaml),
            _ => None,
        }
    }
}

/// Upstream's standard output options.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputOptions {
    /// `--output-format`.
    pub format: OutputFormat,
    /// `--noheader`.
    pub noheader: bool,
    /// `--noborder`.
    pub noborder: bool,
    /// `--quiet`: print nothing.
    pub quiet: bool,
    /// `--human-readable` (default on): booleans print as 1/0.
    pub human_readable: bool,
    /// Column to sort tables by; `None` sorts by the first column, `Some("")` not at all.
    pub sort_key: Option<String>,
}

impl Default for OutputOptions {
    fn default() -> Self {
        OutputOptions {
            format: OutputFormat::Text,
            noheader: false,
            noborder: false,
            quiet: false,
            human_readable: true,
            sort_key: None,
        }
    }
}

/// What the terminal allows: a width to cut lines at and UTF-8 box drawing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Terminal {
    /// Cut lines at this many characters (stdout is a terminal).
    pub columns: Option<usize>,
    /// The locale's charset is UTF-8.
    pub utf8: bool,
}

/// Renders `data` per its return `schema`; `props` limits and orders object columns.
pub fn render(
    data: &Value,
    schema: &Schema,
    props: Option<&[&str]>,
    opts: &OutputOptions,
    term: &Terminal,
) -> Result<String, CliError> {
    if opts.quiet || matches!(schema, Schema::Null) {
        return Ok(String::new());
    }
    match opts.format {
        OutputFormat::Json => Ok(format!("{}\n", json::compact(data))),
        OutputFormat::JsonPretty => Ok(json::pretty(data)),
        OutputFormat::Yaml => Ok(yaml::dump(data)),
        OutputFormat::Text => render_text(data, &effective(data, schema), props, opts, term),
    }
}

/// The schema to format with: the declared one when it fits the data, else a guess.
fn effective(data: &Value, schema: &Schema) -> Schema {
    let fits = matches!(
        (schema, data),
        (Schema::Object(_), Value::Object(_)) | (Schema::Array(_), Value::Array(_))
    ) || !matches!(data, Value::Object(_) | Value::Array(_));
    if fits {
        return schema.clone();
    }
    match data {
        Value::Object(_) => Schema::Object(ObjectSchema::default()),
        Value::Array(items) => {
            let item = match items.first() {
                Some(Value::Object(_)) => Schema::Object(ObjectSchema::default()),
                _ => Schema::String(Default::default()),
            };
            Schema::Array(virton_schema::ArraySchema {
                description: None,
                items: Box::new(item),
            })
        }
        _ => Schema::String(Default::default()),
    }
}

fn render_text(
    data: &Value,
    schema: &Schema,
    props: Option<&[&str]>,
    opts: &OutputOptions,
    term: &Terminal,
) -> Result<String, CliError> {
    match (schema, data) {
        (_, Value::Null) => Ok(String::new()),
        (Schema::Object(obj), Value::Object(map)) => Ok(object_table(map, obj, props, opts, term)),
        (Schema::Array(_), Value::Array(items)) if items.is_empty() => Ok(String::new()),
        (Schema::Array(arr), Value::Array(items)) => match &*arr.items {
            Schema::Object(obj) => list_table(items, obj, props, opts, term),
            item => Ok(scalar_list(items, item, opts, term)),
        },
        (_, v) => Ok(format!("{}\n", scalar_text(v))),
    }
}

/// Upstream's `extract_properties_to_print`: required names sorted, then optional ones.
pub fn properties_to_print(obj: &ObjectSchema) -> Vec<String> {
    let mut required: Vec<String> = Vec::new();
    let mut optional: Vec<String> = Vec::new();
    for (name, p) in &obj.properties {
        if p.optional {
            optional.push(name.clone());
        } else {
            required.push(name.clone());
        }
    }
    required.sort();
    optional.sort();
    required.extend(optional);
    required
}

fn object_table(
    map: &Map<String, Value>,
    obj: &ObjectSchema,
    props: Option<&[&str]>,
    opts: &OutputOptions,
    term: &Terminal,
) -> String {
    let mut keys: Vec<String> = match props {
        Some(p) => p.iter().map(|s| s.to_string()).collect(),
        None => properties_to_print(obj),
    };
    if keys.is_empty() {
        keys = map.keys().cloned().collect();
        keys.sort();
    }
    let rows: Vec<Map<String, Value>> = keys
        .iter()
        .filter_map(|k| {
            let v = map.get(k).filter(|v| !v.is_null())?;
            let text = data_to_text(v, obj.property(k).map(|p| &p.schema), opts);
            let mut row = Map::new();
            row.insert("key".into(), Value::String(k.clone()));
            row.insert("value".into(), Value::String(text));
            Some(row)
        })
        .collect();
    let columns = [Column::plain("key"), Column::plain("value")];
    table::render(&rows, &columns, &TableOptions::from_output(opts), term)
}

fn list_table(
    items: &[Value],
    obj: &ObjectSchema,
    props: Option<&[&str]>,
    opts: &OutputOptions,
    term: &Terminal,
) -> Result<String, CliError> {
    let rows: Vec<Map<String, Value>> = items
        .iter()
        .map(|v| v.as_object().cloned().unwrap_or_default())
        .collect();
    let mut names: Vec<String> = match props {
        Some(p) => p.iter().map(|s| s.to_string()).collect(),
        None => properties_to_print(obj),
    };
    if names.is_empty() {
        let mut all: Vec<String> = rows.iter().flat_map(|r| r.keys().cloned()).collect();
        all.sort();
        all.dedup();
        names = all;
    }
    if names.is_empty() {
        return Err(CliError::plain("unable to detect list properties"));
    }
    let columns: Vec<Column> = names
        .iter()
        .map(|n| Column::of(n, obj.properties.get(n)))
        .collect();
    let opts_t = TableOptions::from_output(opts);
    Ok(table::render(&rows, &columns, &opts_t, term))
}

fn scalar_list(items: &[Value], item: &Schema, opts: &OutputOptions, term: &Terminal) -> String {
    let rows: Vec<Map<String, Value>> = items
        .iter()
        .map(|v| {
            let mut row = Map::new();
            row.insert("value".into(), v.clone());
            row
        })
        .collect();
    let prop = Property::new(item.clone());
    let columns = [Column::of("value", Some(&prop))];
    let mut opts_t = TableOptions::from_output(opts);
    opts_t.noheader = true;
    table::render(&rows, &columns, &opts_t, term)
}

/// Upstream's `data_to_text`: booleans as 1/0 (human readable), structures as
/// compact JSON, scalars as their text.
pub fn data_to_text(v: &Value, schema: Option<&Schema>, opts: &OutputOptions) -> String {
    if opts.human_readable && matches!(schema, Some(Schema::Boolean(_))) {
        let truthy = match v {
            Value::Bool(b) => *b,
            Value::Number(n) => n.as_f64() != Some(0.0),
            Value::String(s) => virton_schema::text::perl_truthy(s),
            Value::Null => false,
            _ => true,
        };
        return if truthy { "1" } else { "0" }.into();
    }
    match v {
        Value::Null => String::new(),
        Value::Object(_) | Value::Array(_) => json::compact(v),
        other => scalar_text(other),
    }
}

/// The text of a scalar as Perl prints it.
pub fn scalar_text(v: &Value) -> String {
    match v {
        Value::Bool(b) => if *b { "1" } else { "0" }.into(),
        other => virton_schema::text::scalar_text(other).unwrap_or_else(|| json::compact(other)),
    }
}

#[cfg(test)]
mod tests;
