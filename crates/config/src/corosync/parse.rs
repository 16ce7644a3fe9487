//! Reading `corosync.conf`: words separated by whitespace, `#` comments to end of line.
//!
//! `name {` opens a block, `}` closes one, `key: value` sets a value (one word). Like
//! upstream, a later `key: value` replaces an earlier one and blocks left open at the end
//! of the file are closed silently; errors keep upstream's wording (including its
//! misspelled "uncexpected") and add the line number.

use super::write::normalize_keyed_lists;
use super::{CorosyncSection, CorosyncValue, LIST_SECTIONS};
use crate::ParseError;

/// One word and its 1-based line.
struct Token<'a> {
    text: &'a str,
    line: usize,
}

/// Whitespace as Perl's `\s` sees it.
fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0b' | '\x0c')
}

fn tokenize(text: &str) -> Vec<Token<'_>> {
    let mut tokens = Vec::new();
    for (n, line) in text.split('\n').enumerate() {
        let code = line.split('#').next().unwrap_or_default();
        tokens.extend(
            code.split(is_space)
                .filter(|w| !w.is_empty())
                .map(|text| Token { text, line: n + 1 }),
        );
    }
    tokens
}

/// An open block: its name and the block it sits in.
struct Frame {
    name: String,
    parent: CorosyncSection,
}

/// Parses the file into its top-level block.
pub(super) fn parse_conf(file: &str, text: &str) -> Result<CorosyncSection, ParseError> {
    // Upstream treats a false-y file content ("" or "0") as an empty configuration.
    if text.is_empty() || text == "0" {
        return Ok(CorosyncSection::new());
    }
    let tokens = tokenize(text);
    let err = |tok: &Token<'_>, msg: String| ParseError::new(file, msg).at_line(tok.line);
    let mut stack: Vec<Frame> = Vec::new();
    let mut current = CorosyncSection::new();
    let mut idx = 0;
    while let Some(tok) = tokens.get(idx) {
        let next = tokens.get(idx + 1);
        if tok.text == "}" {
            let frame = stack
                .pop()
                .ok_or_else(|| err(tok, "parse error - uncexpected '}'".to_string()))?;
            close_block(&mut current, frame);
            idx += 1;
            continue;
        }
        // A block name cannot be a brace: `} {` closes a block and then finds a stray `{`.
        if tok.text == "{" {
            return Err(err(tok, "parse error - unexpected '{'".to_string()));
        }
        if next.is_some_and(|t| t.text == "{") {
            check_new_block(&current, tok.text).map_err(|m| err(tok, m))?;
            stack.push(Frame {
                name: tok.text.to_string(),
                parent: std::mem::take(&mut current),
            });
            idx += 2;
            continue;
        }
        let key = tok.text.strip_suffix(':').ok_or_else(|| {
            err(tok, format!("missing ':' after key '{}'", tok.text)).with_key(tok.text)
        })?;
        let value = next
            .ok_or_else(|| err(tok, format!("parse error - no value for '{key}'")).with_key(key))?;
        current.set_scalar(key, value.text);
        idx += 2;
    }
    while let Some(frame) = stack.pop() {
        close_block(&mut current, frame);
    }
    check_keyed_lists(file, &current)?;
    normalize_keyed_lists(&mut current);
    Ok(current)
}

/// May a block `name` open inside `current`?
fn check_new_block(current: &CorosyncSection, name: &str) -> Result<(), String> {
    match current.get(name) {
        None => Ok(()),
        Some(CorosyncValue::List(_)) if LIST_SECTIONS.contains(&name) => Ok(()),
        Some(CorosyncValue::Scalar(_)) if LIST_SECTIONS.contains(&name) => Err(format!(
            "'{name}' is already set as a value, cannot open a '{name}' block"
        )),
        Some(_) => Err(format!(
            "section '{name}' already exists and not marked as array!"
        )),
    }
}

/// Ends the innermost block: `current` becomes its parent, with the block added.
fn close_block(current: &mut CorosyncSection, frame: Frame) {
    let block = std::mem::replace(current, frame.parent);
    if !LIST_SECTIONS.contains(&frame.name.as_str()) {
        current.insert(frame.name, CorosyncValue::Section(block));
        return;
    }
    let mut list = match current.remove(&frame.name) {
        Some(CorosyncValue::List(list)) => list,
        _ => Vec::new(),
    };
    list.push(block);
    current.insert(frame.name, CorosyncValue::List(list));
}

/// `nodelist` and `totem` must be blocks, and their `node` / `interface` entries blocks too
/// (upstream dies on anything else when it indexes them).
fn check_keyed_lists(file: &str, main: &CorosyncSection) -> Result<(), ParseError> {
    for (parent, list) in [("nodelist", "node"), ("totem", "interface")] {
        match main.get(parent) {
            None => {}
            Some(CorosyncValue::Section(section)) => {
                if let Some(CorosyncValue::Scalar(_)) = section.get(list) {
                    return Err(ParseError::new(
                        file,
                        format!("'{list}' in '{parent}' must be a block, not a value"),
                    )
                    .with_key(list));
                }
            }
            Some(_) => {
                return Err(ParseError::new(
                    file,
                    format!("'{parent}' must be a block, not a value"),
                )
                .with_key(parent));
            }
        }
    }
    Ok(())
}
