//! Usage text generated from parameter schemas, as upstream's `getopt_usage`: the
//! one-line synopsis (`pveum user add <userid> [OPTIONS]`) and the long form with one
//! described entry per argument and option, wrapped like Text::Wrap at 75 columns.

use virton_schema::{ObjectSchema, Property, Schema, StringFormat};

/// What a usage text is generated for.
pub struct UsageSpec<'a> {
    /// `pvesh get`, `pveum user add`, ...
    pub prefix: &'a str,
    /// The method's description.
    pub description: &'a str,
    /// The parameters.
    pub schema: &'a ObjectSchema,
    /// Positional argument names, in order.
    pub args: &'a [&'a str],
    /// Parameters not shown (path values, fixed values, output options).
    pub skip: &'a [&'a str],
    /// Whether the command takes the standard output options.
    pub format_options: bool,
}

const WIDTH: usize = 75;
const INDENT: &str = "             ";

fn num(f: f64) -> String {
    virton_schema::text::float_text(f)
}

fn range<T: ToString>(kind: &str, min: Option<T>, max: Option<T>) -> Option<String> {
    match (min, max) {
        (Some(a), Some(b)) => Some(format!("<{kind}> ({} - {})", a.to_string(), b.to_string())),
        (Some(a), None) => Some(format!("<{kind}> ({} - N)", a.to_string())),
        (None, Some(b)) => Some(format!("<{kind}> (-N - {})", b.to_string())),
        (None, None) => None,
    }
}

/// Upstream's `schema_get_type_text`.
pub fn type_text(schema: &Schema) -> String {
    match schema {
        Schema::String(s) => {
            if let Some(t) = &s.typetext {
                return t.clone();
            }
            if let Some(d) = &s.format_description {
                return format!("<{d}>");
            }
            if let Some(e) = &s.enum_values {
                let mut e = e.clone();
                e.sort();
                return format!("<{}>", e.join(" | "));
            }
            if let Some(p) = &s.pattern {
                return p.clone();
            }
            match &s.format {
                Some(StringFormat::PropertyString(obj)) => property_string_text(obj),
                _ => "<string>".into(),
            }
        }
        Schema::Integer(i) => {
            range("integer", i.minimum, i.maximum).unwrap_or_else(|| "<integer>".into())
        }
        Schema::Number(n) => range("number", n.minimum.map(num), n.maximum.map(num))
            .unwrap_or_else(|| "<number>".into()),
        other => format!("<{}>", other.type_name()),
    }
}

/// Upstream's `generate_typetext` for a property-string format.
fn property_string_text(obj: &ObjectSchema) -> String {
    let mut parts = Vec::new();
    for (key, p) in &obj.properties {
        if p.alias.is_some() {
            continue;
        }
        let value = match &p.schema {
            Schema::String(s) if s.format_description.is_some() => {
                format!("<{}>", s.format_description.as_deref().unwrap_or_default())
            }
            Schema::String(s) if s.typetext.is_some() => s.typetext.clone().unwrap_or_default(),
            Schema::String(s) if s.enum_values.is_some() => {
                let e = s.enum_values.clone().unwrap_or_default();
                if e.len() <= 3 {
                    format!("<{}>", e.join("|"))
                } else {
                    "<enum>".into()
                }
            }
            Schema::Boolean(_) => "<1|0>".into(),
            Schema::Integer(_) => "<integer>".into(),
            Schema::Number(_) => "<number>".into(),
            _ => "<string>".into(),
        };
        let key_text = if p.default_key {
            format!("[{key}=]{value}")
        } else {
            format!("{key}={value}")
        };
        let sep = if parts.is_empty() { "" } else { "," };
        let text = format!("{sep}{key_text}");
        parts.push(if p.optional {
            format!("[{text}]")
        } else {
            text
        });
    }
    parts.join(" ")
}

fn arg_text(name: &str, prop: &Property) -> String {
    if crate::getopt::is_list_format(&prop.schema) {
        format!("{{<{name}>}}")
    } else if prop.optional {
        format!("[<{name}>]")
    } else {
        format!("<{name}>")
    }
}

fn options<'a>(spec: &'a UsageSpec<'a>) -> Vec<(&'a String, &'a Property)> {
    let mut opts: Vec<(&String, &Property)> = spec
        .schema
        .properties
        .iter()
        .filter(|(k, _)| !spec.args.contains(&k.as_str()) && !spec.skip.contains(&k.as_str()))
        .collect();
    opts.sort_by(|a, b| a.0.cmp(b.0));
    opts
}

/// The one-line synopsis (no `USAGE:` prefix, newline-terminated).
pub fn short(spec: &UsageSpec<'_>) -> String {
    let mut args: Vec<String> = spec
        .args
        .iter()
        .filter_map(|a| spec.schema.property(a).map(|p| arg_text(a, p)))
        .collect();
    let opts = options(spec);
    for (name, p) in &opts {
        if !p.optional && p.alias.is_none() {
            args.push(format!("--{name} <{}>", p.schema.type_name()));
        }
    }
    let mut out = format!("{} {}", spec.prefix, args.join(" "));
    if !opts.is_empty() {
        out.push_str(" [OPTIONS]");
    }
    if spec.format_options {
        out.push_str(" [FORMAT_OPTIONS]");
    }
    out.push('\n');
    out
}

/// Text::Wrap-like greedy wrapping of `text` with the two indents, no trailing newline:
/// spacing inside a line is kept, lines break at whitespace before column 76.
pub fn wrap(first: &str, rest: &str, text: &str) -> String {
    let mut tokens: Vec<(String, String)> = Vec::new();
    let (mut ws, mut word) = (String::new(), String::new());
    for ch in text.trim_end().chars() {
        if ch.is_whitespace() {
            if !word.is_empty() {
                tokens.push((std::mem::take(&mut ws), std::mem::take(&mut word)));
            }
            ws.push(if ch == '\n' { ' ' } else { ch });
        } else {
            word.push(ch);
        }
    }
    if !word.is_empty() {
        tokens.push((ws, word));
    }
    let mut lines: Vec<String> = Vec::new();
    let mut line = first.to_string();
    let mut has_word = false;
    for (ws, word) in tokens {
        let len = line.chars().count() + ws.chars().count() + word.chars().count();
        if has_word && len > WIDTH {
            lines.push(std::mem::replace(&mut line, format!("{rest}{word}")));
        } else {
            line.push_str(&ws);
            line.push_str(&word);
        }
        has_word = true;
    }
    lines.push(line);
    lines.join("\n")
}

fn describe(display: &str, p: &Property) -> String {
    let default = match &p.schema {
        Schema::Boolean(b) => b.default.map(|d| u8::from(d).to_string()),
        Schema::Integer(i) => i.default.map(|d| d.to_string()),
        Schema::Number(n) => n.default.map(num),
        Schema::String(s) => s.default.clone(),
        _ => None,
    };
    let default = default
        .map(|d| format!("   (default={d})"))
        .unwrap_or_default();
    let head = format!("  {display:<10} {}{default}", type_text(&p.schema));
    let mut out = wrap("", INDENT, &head);
    out.push('\n');
    if p.alias.is_some() {
        out.push('\n');
        return out;
    }
    let descr = p.schema.description().unwrap_or("no description available");
    out.push_str(&wrap(INDENT, INDENT, descr));
    out.push_str("\n\n");
    out
}

/// The long form: `USAGE:` synopsis, then (with `full`) the description, then every
/// argument and option described.
pub fn long(spec: &UsageSpec<'_>, full: bool) -> String {
    let mut out = format!("USAGE: {}", short(spec));
    if full && !spec.description.is_empty() {
        out.push_str(&format!("\n{}\n\n", wrap("  ", "  ", spec.description)));
    }
    for a in spec.args {
        if let Some(p) = spec.schema.property(a) {
            out.push_str(&describe(&format!("<{a}>"), p));
        }
    }
    for (name, p) in options(spec) {
        out.push_str(&describe(&format!("--{name}"), p));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use virton_schema::{BooleanSchema, IntegerSchema, StringSchema};

    fn schema() -> ObjectSchema {
        let mut o = ObjectSchema::default();
        let s = |d: &str| {
            Schema::String(StringSchema {
                description: Some(d.into()),
                ..Default::default()
            })
        };
        o.properties
            .insert("userid".into(), Property::new(s("User ID.")));
        o.properties
            .insert("comment".into(), Property::new(s("A comment.")).optional());
        let b = Schema::Boolean(BooleanSchema {
            description: Some("Enable the account.".into()),
            default: Some(true),
        });
        o.properties
            .insert("enable".into(), Property::new(b).optional());
        let i = Schema::Integer(IntegerSchema {
            description: Some("Expiry.".into()),
            minimum: Some(0),
            ..Default::default()
        });
        o.properties.insert("expire".into(), Property::new(i));
        o
    }

    #[test]
    fn short_usage_lists_arguments_and_required_options() {
        let s = schema();
        let spec = UsageSpec {
            prefix: "pveum user add",
            description: "Create user.",
            schema: &s,
            args: &["userid"],
            skip: &[],
            format_options: false,
        };
        assert_eq!(
            short(&spec),
            "pveum user add <userid> --expire <integer> [OPTIONS]\n"
        );
        let none = UsageSpec {
            args: &[],
            skip: &["userid", "comment", "enable", "expire"],
            format_options: true,
            ..spec
        };
        // Upstream joins prefix and (empty) arguments with a space.
        assert_eq!(short(&none), "pveum user add  [FORMAT_OPTIONS]\n");
    }

    #[test]
    fn long_usage_describes_each_parameter() {
        let s = schema();
        let spec = UsageSpec {
            prefix: "pveum user add",
            description: "Create user.",
            schema: &s,
            args: &["userid"],
            skip: &[],
            format_options: false,
        };
        let expected = "USAGE: pveum user add <userid> --expire <integer> [OPTIONS]

  Create user.

  <userid>   <string>
             User ID.

  --comment  <string>
             A comment.

  --enable   <boolean>   (default=1)
             Enable the account.

  --expire   <integer> (0 - N)
             Expiry.

";
        assert_eq!(long(&spec, true), expected);
    }

    #[test]
    fn wrap_breaks_at_75_columns() {
        let text = "word ".repeat(30);
        let w = wrap(INDENT, INDENT, &text);
        assert!(w.lines().all(|l| l.chars().count() <= 75));
        assert!(w.lines().count() > 1);
    }
}
