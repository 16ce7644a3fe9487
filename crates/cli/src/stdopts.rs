//! Upstream's standard output options (`--output-format`, `--noheader`, `--noborder`,
//! `--quiet`, `--human-readable`): their schema, their option specs and their
//! extraction from parsed arguments into [`OutputOptions`].

use crate::failure::CliError;
use crate::getopt::{ArgValue, Args};
use crate::output::{OutputFormat, OutputOptions};
use serde_json::Map;
use std::sync::OnceLock;
use virton_schema::{BooleanSchema, ObjectSchema, Property, Schema, StringSchema};

/// Names of the standard output options.
pub const NAMES: [&str; 5] = [
    "output-format",
    "noheader",
    "noborder",
    "quiet",
    "human-readable",
];

fn flag(description: &str, default: Option<bool>) -> Property {
    Property::new(Schema::Boolean(BooleanSchema {
        description: Some(description.into()),
        default,
    }))
    .optional()
}

/// Their schema (descriptions are our own words).
pub fn schema() -> &'static ObjectSchema {
    static SCHEMA: OnceLock<ObjectSchema> = OnceLock::new();
    SCHEMA.get_or_init(|| {
        let mut o = ObjectSchema::default();
        let format = Schema::String(StringSchema {
            description: Some("Output format.".into()),
            default: Some("text".into()),
            enum_values: Some(OutputFormat::NAMES.iter().map(|s| s.to_string()).collect()),
            ..Default::default()
        });
        let p = &mut o.properties;
        p.insert("output-format".into(), Property::new(format).optional());
        p.insert(
            "noheader".into(),
            flag("Leave out the column titles (text format).", Some(false)),
        );
        p.insert(
            "noborder".into(),
            flag("Leave out the table borders (text format).", Some(false)),
        );
        p.insert("quiet".into(), flag("Print no result.", None));
        p.insert(
            "human-readable".into(),
            flag("Render values for people (booleans as 1/0).", Some(true)),
        );
        o
    })
}

/// The standard options merged into `schema` (for parsing and usage).
pub fn with_output_options(base: &ObjectSchema) -> ObjectSchema {
    let mut merged = base.clone();
    for (k, p) in &schema().properties {
        merged
            .properties
            .entry(k.clone())
            .or_insert_with(|| p.clone());
    }
    merged
}

/// Explicitly given switches (`None` = not given), for commands with other defaults.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Given {
    /// The options with upstream's defaults applied.
    pub options: OutputOptions,
    /// `--noheader` was given.
    pub noheader: Option<bool>,
    /// `--noborder` was given.
    pub noborder: Option<bool>,
}

/// Removes the standard options from `args`, verifies and returns them.
pub fn extract(args: &mut Args) -> Result<Given, CliError> {
    let mut own = Args::new();
    for name in NAMES {
        if let Some(v) = args.shift_remove(name) {
            own.insert(name.to_string(), v);
        }
    }
    crate::getopt::verify(schema(), &own, &Map::new())?;
    let flag = |name: &str| match own.get(name) {
        Some(ArgValue::One(v)) => Some(v == "1"),
        _ => None,
    };
    let format = match own.get("output-format") {
        Some(ArgValue::One(v)) => OutputFormat::parse(v).unwrap_or_default(),
        _ => OutputFormat::Text,
    };
    let options = OutputOptions {
        format,
        noheader: flag("noheader").unwrap_or(false),
        noborder: flag("noborder").unwrap_or(false),
        quiet: flag("quiet").unwrap_or(false),
        human_readable: flag("human-readable").unwrap_or(true),
        sort_key: None,
    };
    Ok(Given {
        options,
        noheader: flag("noheader"),
        noborder: flag("noborder"),
    })
}
