//! deb822 `.sources` files: stanzas of `Key: value` fields separated by blank lines.
//!
//! A line starting with a space or tab continues the previous field. Keys are matched
//! without regard to case for `Types`, `URIs`, `Suites`, `Components` and `Enabled`; any
//! other field becomes an option, kept in order with its key as written. A stanza holding
//! only comments lends them to the next stanza.
//!
//! Must not depend on: the one-line grammar.

use super::{AptFileType, AptPackageType, AptRepository, AptRepositoryOption};
use crate::ParseError;

fn is_ws(c: char) -> bool {
    c.is_ascii_whitespace()
}

/// One field after folding continuation lines, with where it started.
struct Logical<'a> {
    line_no: usize,
    first: &'a str,
    text: String,
    parts: Vec<&'a str>,
}

struct Parser<'f> {
    file: &'f str,
    comment: String,
    stanza_nr: usize,
    repos: Vec<AptRepository>,
}

/// Parses a `.sources` file into its entries and the comment after the last one.
pub(super) fn parse(file: &str, text: &str) -> Result<(Vec<AptRepository>, String), ParseError> {
    let mut parser = Parser {
        file,
        comment: String::new(),
        stanza_nr: 1,
        repos: Vec::new(),
    };
    let mut chunk: Vec<(usize, &str)> = Vec::new();
    for (idx, line) in text.lines().enumerate() {
        if line.trim_matches(is_ws).is_empty() {
            parser.stanza(&chunk)?;
            chunk.clear();
        } else {
            chunk.push((idx + 1, line));
        }
    }
    parser.stanza(&chunk)?;
    Ok((parser.repos, parser.comment))
}

/// Joins continuation lines (leading space or tab) to the line before them.
fn fold<'a>(chunk: &[(usize, &'a str)]) -> Vec<Logical<'a>> {
    let mut out: Vec<Logical<'a>> = Vec::new();
    for &(line_no, line) in chunk {
        let continued = line.strip_prefix([' ', '\t']);
        match (continued, out.last_mut()) {
            (Some(rest), Some(last)) => {
                last.text.push(' ');
                last.text.push_str(rest);
                last.parts.push(rest.trim_matches(is_ws));
            }
            _ => out.push(Logical {
                line_no,
                first: line,
                text: line.to_string(),
                parts: Vec::new(),
            }),
        }
    }
    out
}

/// APT's boolean words; anything else gives `default`.
fn string_to_bool(s: &str, default: bool) -> bool {
    match s.trim_matches(is_ws).to_lowercase().as_str() {
        "1" | "yes" | "true" | "with" | "on" | "enable" => true,
        "0" | "no" | "false" | "without" | "off" | "disable" => false,
        _ => default,
    }
}

/// A deb822 field name: printable ASCII except `:`, not starting with `-`.
fn valid_key(key: &str) -> bool {
    !key.starts_with('-') && key.chars().all(|c| matches!(c, '!'..='9' | ';'..='~'))
}

impl Parser<'_> {
    fn stanza(&mut self, chunk: &[(usize, &str)]) -> Result<(), ParseError> {
        let mut repo = AptRepository::new(AptFileType::Sources);
        let mut got_something = false;
        for logical in fold(chunk) {
            let line = logical.text.trim_matches(is_ws);
            if let Some(comment) = line.strip_prefix('#') {
                self.comment.push_str(comment);
                self.comment.push('\n');
                continue;
            }
            let applied = field(&mut repo, line, &logical).map_err(|e| {
                let message = format!("malformed entry in stanza {} - {e}", self.stanza_nr);
                ParseError::new(self.file, message).at_line(logical.line_no)
            })?;
            got_something |= applied;
        }
        if got_something {
            repo.comment = std::mem::take(&mut self.comment);
            self.repos.push(repo);
            self.stanza_nr += 1;
        }
        Ok(())
    }
}

/// Applies one `Key: value` field; `Ok(false)` when APT would ignore it.
fn field(repo: &mut AptRepository, line: &str, logical: &Logical<'_>) -> Result<bool, String> {
    let Some((key, value)) = line.split_once(':') else {
        return Err(format!("got invalid line - '{line:?}'"));
    };
    let key = key.trim_matches(is_ws);
    if key.is_empty() {
        return Err(format!("option has no key: '{line}'"));
    }
    if value.is_empty() || !valid_key(key) {
        return Ok(false);
    }
    let values: Vec<String> = value.split_ascii_whitespace().map(str::to_string).collect();
    match key.to_lowercase().as_str() {
        "types" => {
            let types: Result<Vec<_>, _> =
                values.iter().map(|t| AptPackageType::parse(t)).collect();
            repo.types = types?;
        }
        "uris" => repo.uris = values,
        "suites" => repo.suites = values,
        "components" => repo.components = values,
        "enabled" => repo.set_enabled(string_to_bool(value, true)),
        lower => {
            let mut option = AptRepositoryOption::new(key, values);
            // An inline key is only valid on several lines; other fields may be joined.
            if lower == "signed-by" && !logical.parts.is_empty() {
                let first = logical_first_part(logical);
                option.folded = std::iter::once(first)
                    .chain(logical.parts.iter().copied())
                    .map(str::to_string)
                    .collect();
            }
            repo.options.push(option);
        }
    }
    Ok(true)
}

/// What followed the key on the field's first physical line, trimmed.
fn logical_first_part<'a>(logical: &Logical<'a>) -> &'a str {
    logical
        .first
        .split_once(':')
        .map(|(_, v)| v.trim_matches(is_ws))
        .unwrap_or_default()
}

/// Writes one entry (with its comment lines) as a stanza.
pub(super) fn write_repository(repo: &AptRepository, out: &mut String) {
    super::write_comment(&repo.comment, out);
    out.push_str("Types:");
    for package_type in &repo.types {
        out.push(' ');
        out.push_str(&package_type.to_string());
    }
    out.push('\n');
    out.push_str(&format!("URIs: {}\n", repo.uris.join(" ")));
    out.push_str(&format!("Suites: {}\n", repo.suites.join(" ")));
    if !repo.components.is_empty() {
        out.push_str(&format!("Components: {}\n", repo.components.join(" ")));
    }
    for option in &repo.options {
        write_option(option, out);
    }
}

fn write_option(option: &AptRepositoryOption, out: &mut String) {
    let words: Vec<&str> = option
        .folded
        .iter()
        .flat_map(|p| p.split_ascii_whitespace())
        .collect();
    let rest_ok = option
        .folded
        .iter()
        .skip(1)
        .all(|p| !p.trim_matches(is_ws).is_empty());
    if option.folded.len() > 1 && rest_ok && words == option.values {
        out.push_str(&option.key);
        out.push(':');
        for (i, part) in option.folded.iter().enumerate() {
            if i > 0 {
                out.push('\n');
            }
            if !(i == 0 && part.is_empty()) {
                out.push(' ');
                out.push_str(part);
            }
        }
        out.push('\n');
    } else {
        out.push_str(&format!("{}: {}\n", option.key, option.values.join(" ")));
    }
}
