//! One-line `.list` files: `deb [ key=value ... ] uri suite component...`.
//!
//! A line starting with `#` that still parses as an entry is a disabled entry; any other
//! `#` text is a comment, attached to the next entry. Words may be quoted with `"..."` or
//! bracketed with `[...]` to contain spaces (APT's quote-word rules); quotes are removed.
//!
//! Must not depend on: the deb822 grammar.

use super::{AptFileType, AptPackageType, AptRepository, AptRepositoryOption};
use crate::ParseError;

fn is_ws(c: char) -> bool {
    c.is_ascii_whitespace()
}

/// APT's quote-word splitting: whitespace separates words except inside `"..."` or
/// `[...]`; double quotes are dropped from the words.
struct QuoteWords<'a> {
    text: &'a str,
    pos: usize,
}

impl Iterator for QuoteWords<'_> {
    type Item = Result<String, String>;

    fn next(&mut self) -> Option<Self::Item> {
        let rest = self.text.get(self.pos..)?;
        let mut start = None;
        let mut wait_for = None;
        for (n, c) in rest.char_indices() {
            self.pos += c.len_utf8();
            if let Some(close) = wait_for {
                if c == close {
                    wait_for = None;
                }
                continue;
            }
            if is_ws(c) {
                match start {
                    Some(s) => return rest.get(s..n).map(|w| Ok(w.replace('"', ""))),
                    None => continue,
                }
            }
            start.get_or_insert(n);
            match c {
                '"' => wait_for = Some('"'),
                '[' => wait_for = Some(']'),
                _ => {}
            }
        }
        if let Some(close) = wait_for {
            return Some(Err(format!("missing terminating '{close}'")));
        }
        start
            .and_then(|s| rest.get(s..))
            .map(|w| Ok(w.replace('"', "")))
    }
}

struct Parser {
    comment: String,
}

/// Parses a `.list` file into its entries and the comment after the last one.
pub(super) fn parse(file: &str, text: &str) -> Result<(Vec<AptRepository>, String), ParseError> {
    let mut parser = Parser {
        comment: String::new(),
    };
    let mut repos = Vec::new();
    for (idx, line) in text.lines().enumerate() {
        match parser.line(line) {
            Ok(Some(repo)) => repos.push(repo),
            Ok(None) => {}
            Err(e) => {
                let message = format!("malformed entry on line {} - {e}", idx + 1);
                return Err(ParseError::new(file, message).at_line(idx + 1));
            }
        }
    }
    Ok((repos, parser.comment))
}

impl Parser {
    fn line(&mut self, line: &str) -> Result<Option<AptRepository>, String> {
        let line = line.trim_matches(is_ws);
        let Some(commented) = line.strip_prefix('#') else {
            return self.entry(line);
        };
        // `# deb ...` (any number of `#`) is a disabled entry if what follows is a
        // usable entry; otherwise the line is a comment. (proxmox-apt also takes entries
        // failing the basic check, and then rejects the whole file.)
        let before = self.comment.clone();
        let inner = commented.trim_start_matches(|c| c == '#' || is_ws(c));
        if let Ok(Some(mut repo)) = self.entry(inner) {
            if repo.basic_check().is_ok() {
                repo.set_enabled(false);
                return Ok(Some(repo));
            }
        }
        self.comment = before;
        self.comment.push_str(commented);
        self.comment.push('\n');
        Ok(None)
    }

    /// An entry line not starting with `#`; `Ok(None)` when it holds no entry.
    fn entry(&mut self, mut line: &str) -> Result<Option<AptRepository>, String> {
        let mut repo = AptRepository::new(AptFileType::List);
        if let Some((start, comment)) = line.split_once('#') {
            self.comment.push_str(comment);
            self.comment.push('\n');
            line = start;
        }
        let Some((package_type, rest)) = line.split_once(is_ws) else {
            return Ok(None);
        };
        repo.types.push(AptPackageType::parse(package_type)?);
        let rest = rest.trim_start_matches(is_ws);
        let (has_options, rest) = match rest.strip_prefix('[') {
            Some(after) => (true, after),
            None => (false, rest),
        };
        let mut words = QuoteWords { text: rest, pos: 0 };
        if has_options {
            parse_options(&mut repo.options, &mut words)?;
        }
        repo.uris.push(words.next().ok_or("missing URI")??);
        repo.suites.push(words.next().ok_or("missing suite")??);
        for word in words {
            repo.components.push(word?);
        }
        repo.comment = std::mem::take(&mut self.comment);
        Ok(Some(repo))
    }
}

/// Reads `key=value[,value]` words up to the closing `]`.
fn parse_options(
    options: &mut Vec<AptRepositoryOption>,
    words: &mut QuoteWords<'_>,
) -> Result<(), String> {
    loop {
        let mut word = words.next().ok_or("options not closed by ']'")??;
        let mut finished = false;
        if let Some(stripped) = word.strip_suffix(']') {
            if stripped.is_empty() {
                return Ok(());
            }
            word = stripped.to_string();
            finished = true;
        }
        if let Some((key, value)) = word.split_once('=') {
            if key.is_empty() {
                return Err(format!("option has no key: '{word}'"));
            }
            if value.is_empty() {
                return Err(format!("option has no value: '{word}'"));
            }
            let values = value.split(',').map(str::to_string).collect();
            options.push(AptRepositoryOption::new(key, values));
        } else if !word.is_empty() {
            return Err(format!("got invalid option - '{word}'"));
        }
        if finished {
            return Ok(());
        }
    }
}

/// Drops double quotes, then quotes the word if it has whitespace outside `[...]`, an
/// unclosed `[`, or is empty (a `""` word would otherwise vanish and shift the following fields).
fn quote(word: &str) -> String {
    let word = word.replace('"', "");
    if word.is_empty() {
        return "\"\"".to_string();
    }
    let mut in_brackets = false;
    let mut has_ws = false;
    for c in word.chars() {
        if in_brackets {
            in_brackets = c != ']';
            continue;
        }
        in_brackets = c == '[';
        has_ws |= is_ws(c);
    }
    // An unclosed `[` (possible inside a quoted word) would swallow the rest of the line.
    let needs_quotes = has_ws || in_brackets;
    if needs_quotes {
        format!("\"{word}\"")
    } else {
        word
    }
}

/// Writes one entry (with its comment lines) in one-line format.
pub(super) fn write_repository(repo: &AptRepository, out: &mut String) {
    super::write_comment(&repo.comment, out);
    if !repo.enabled {
        out.push_str("# ");
    }
    let package_type = repo
        .types
        .first()
        .map(ToString::to_string)
        .unwrap_or_default();
    out.push_str(&package_type);
    out.push(' ');
    if !repo.options.is_empty() {
        out.push_str("[ ");
        for option in &repo.options {
            out.push_str(&quote(&format!(
                "{}={}",
                option.key,
                option.values.join(",")
            )));
            out.push(' ');
        }
        out.push_str("] ");
    }
    for word in [repo.uris.first(), repo.suites.first()] {
        out.push_str(&quote(word.map(String::as_str).unwrap_or_default()));
        out.push(' ');
    }
    let components: Vec<String> = repo.components.iter().map(|c| quote(c)).collect();
    out.push_str(&components.join(" "));
    out.push('\n');
}
