//! Reading a section-config file: header and property lines, comments, blank-line
//! termination, per-type checks and upstream's lenient error handling.

use super::{Diagnostic, DiagnosticKind, Section, SectionConfig, SectionDef, SectionValue};
use crate::ParseError;

/// Perl's `\s` on ASCII text.
fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0b' | '\x0c')
}

/// Perl's truth of a line: `""` and `"0"` end a section.
fn is_true_line(line: &str) -> bool {
    !line.is_empty() && line != "0"
}

/// Lines without comments, numbered from 1.
struct Lines<'a> {
    inner: std::iter::Enumerate<std::str::Split<'a, char>>,
    lineno: usize,
}

impl<'a> Lines<'a> {
    fn new(text: &'a str) -> Self {
        // Perl's split drops trailing empty fields, so a final newline adds no line.
        Self {
            inner: text.trim_end_matches('\n').split('\n').enumerate(),
            lineno: 0,
        }
    }

    /// The next line that is not a comment.
    fn next_line(&mut self) -> Option<&'a str> {
        for (i, line) in self.inner.by_ref() {
            self.lineno = i + 1;
            if !line.trim_start_matches(is_space).starts_with('#') {
                return Some(line);
            }
        }
        None
    }
}

/// Splits a header line into type and id, or `None` when it is not a header.
fn parse_header(def: &SectionDef, line: &str) -> Option<(String, String)> {
    if line.starts_with(is_space) {
        return None;
    }
    let trimmed = line.trim_end_matches(is_space);
    let tokens: Vec<&str> = trimmed.split(is_space).filter(|t| !t.is_empty()).collect();
    let (ty, id) = match tokens.as_slice() {
        [t1, t2] => {
            let ty = t1.strip_suffix(':').filter(|t| !t.is_empty())?;
            (ty.to_string(), (*t2).to_string())
        }
        [tok] => split_single_token(def, tok)?,
        _ => return None,
    };
    let ty = if def.lowercase_type {
        ty.to_lowercase()
    } else {
        ty
    };
    Some((ty, id))
}

/// `type:id` written without blank: the type is the longest prefix before a `:` that
/// leaves a non-empty id (or, when ids are optional, everything before a final `:`).
fn split_single_token(def: &SectionDef, tok: &str) -> Option<(String, String)> {
    if def.id_defaults_to_type {
        if let Some(ty) = tok.strip_suffix(':').filter(|t| !t.is_empty()) {
            return Some((ty.to_string(), ty.to_string()));
        }
    }
    let (pos, _) = tok
        .rmatch_indices(':')
        .find(|(p, _)| *p >= 1 && p + 1 < tok.len())?;
    Some((tok[..pos].to_string(), tok[pos + 1..].to_string()))
}

/// Splits a property line into key and optional value.
fn parse_property_line(line: &str) -> Option<(&str, Option<&str>)> {
    let rest = line.strip_prefix(is_space)?.trim_start_matches(is_space);
    let rest = rest.trim_end_matches(is_space);
    if rest.is_empty() {
        return None;
    }
    match rest.find(is_space) {
        None => Some((rest, None)),
        Some(i) => {
            let value = rest[i..].trim_start_matches(is_space);
            Some((&rest[..i], Some(value)))
        }
    }
}

/// State of the section being read.
struct Current {
    section: Section,
    skip: bool,
    /// Line of the last property line read (or of the header).
    last_line: usize,
}

struct Reader<'d> {
    def: &'d SectionDef,
    file: String,
    diags: Vec<Diagnostic>,
}

impl Reader<'_> {
    fn diag(&mut self, line: usize, section: Option<&str>, kind: DiagnosticKind, msg: String) {
        self.diags.push(Diagnostic {
            file: self.file.clone(),
            line,
            section: section.map(str::to_string),
            key: None,
            kind,
            message: msg,
        });
    }

    fn bad_value(&mut self, line: usize, section: &str, key: &str, msg: String) {
        self.diags.push(Diagnostic {
            file: self.file.clone(),
            line,
            section: Some(section.to_string()),
            key: Some(key.to_string()),
            kind: DiagnosticKind::BadValue,
            message: msg,
        });
    }

    fn start_section(&mut self, line: usize, ty: String, id: String) -> Current {
        let mut section = Section::new(ty, id);
        section.known = self.def.types.contains_key(&section.section_type);
        let mut skip = false;
        if let Some(check) = self.def.id_check {
            if let Err(msg) = check(&section.id) {
                self.diag(line, Some(&section.id), DiagnosticKind::SkippedSection, msg);
                skip = true;
            }
        }
        Current {
            section,
            skip,
            last_line: line,
        }
    }

    fn property(&mut self, cur: &mut Current, line: usize, key: &str, value: Option<&str>) {
        let sect = &mut cur.section;
        if !sect.known {
            add_raw(sect, key, value.unwrap_or_default());
            return;
        }
        if let Err(msg) = check_known(self.def, sect, key, value) {
            let id = sect.id.clone();
            self.bad_value(line, &id, key, msg);
        }
    }

    /// Required options and the file's own section checks.
    fn finish(&mut self, mut cur: Current) -> Option<Section> {
        if cur.skip {
            return None;
        }
        if !cur.section.known {
            cur.section.props.shift_remove("type");
            return Some(cur.section);
        }
        let line = cur.last_line;
        if let Err(msg) = self.check_required(&cur.section) {
            let id = cur.section.id.clone();
            self.diag(line, Some(&id), DiagnosticKind::SkippedSection, msg);
            return None;
        }
        let Some(hook) = self.def.section_hook else {
            return Some(cur.section);
        };
        let mut warnings = Vec::new();
        let res = hook(&mut cur.section, &mut warnings);
        for w in warnings {
            self.diag(line, None, DiagnosticKind::Warning, w);
        }
        match res {
            Ok(()) => Some(cur.section),
            Err(msg) => {
                let id = cur.section.id.clone();
                self.diag(line, Some(&id), DiagnosticKind::SkippedSection, msg);
                None
            }
        }
    }

    fn check_required(&self, section: &Section) -> Result<(), String> {
        for key in self.def.required_keys(&section.section_type) {
            if !section.props.contains_key(key.as_str()) {
                return Err(format!("missing value for required option '{key}'"));
            }
        }
        Ok(())
    }
}

/// A key of a section whose type is unknown: kept as text; repeated keys become a list.
fn add_raw(section: &mut Section, key: &str, value: &str) {
    match section.props.get_mut(key) {
        None => {
            section.set(key, SectionValue::Str(value.to_string()));
        }
        Some(SectionValue::List(items)) => items.push(value.to_string()),
        Some(existing) => {
            let first = existing.to_string();
            *existing = SectionValue::List(vec![first, value.to_string()]);
        }
    }
}

/// A key of a known section: schema lookup, array accumulation, duplicate check, value check.
fn check_known(
    def: &SectionDef,
    sect: &mut Section,
    key: &str,
    value: Option<&str>,
) -> Result<(), String> {
    if key == "type" {
        return match value {
            Some(v) if v == sect.section_type => Ok(()),
            _ => Err("unexpected property 'type'".into()),
        };
    }
    let kind = def.kind(key).ok_or("unknown property type")?;
    let is_array = kind == super::Kind::Array;
    if !is_array && sect.props.contains_key(key) {
        return Err("duplicate attribute".into());
    }
    let checked = def.check_property(&sect.section_type, key, value)?;
    if !is_array {
        sect.set(key, checked);
        return Ok(());
    }
    let item = checked.to_string();
    match sect.props.get_mut(key) {
        Some(SectionValue::List(items)) => items.push(item),
        _ => sect.set(key, SectionValue::List(vec![item])),
    }
    Ok(())
}

/// Reads `text` as upstream does: problems become diagnostics, never a failure.
pub fn parse_lenient(def: &SectionDef, file: &str, text: &str) -> (SectionConfig, Vec<Diagnostic>) {
    let mut reader = Reader {
        def,
        file: file.to_string(),
        diags: Vec::new(),
    };
    let mut cfg = SectionConfig::new();
    let mut lines = Lines::new(text);
    while let Some(line) = lines.next_line() {
        if !is_true_line(line) {
            continue;
        }
        let header_line = lines.lineno;
        let Some((ty, id)) = parse_header(def, line) else {
            let msg = format!("ignore config line: {line}");
            reader.diag(header_line, None, DiagnosticKind::IgnoredLine, msg);
            continue;
        };
        let mut cur = reader.start_section(header_line, ty, id);
        while let Some(pline) = lines.next_line().filter(|l| is_true_line(l)) {
            if cur.skip {
                continue;
            }
            let n = lines.lineno;
            cur.last_line = n;
            match parse_property_line(pline) {
                Some((k, v)) => reader.property(&mut cur, n, k, v),
                None => {
                    let id = cur.section.id.clone();
                    let msg = format!("ignore config line: {pline}");
                    reader.diag(n, Some(&id), DiagnosticKind::IgnoredLine, msg);
                }
            }
        }
        let id = cur.section.id.clone();
        let skipped_whole = cur.skip;
        match reader.finish(cur) {
            Some(section) => {
                // A repeated id replaces the earlier section and takes the later position.
                cfg.sections.shift_remove(&id);
                cfg.insert(section);
            }
            None if !skipped_whole => {
                cfg.sections.shift_remove(&id);
            }
            None => {}
        }
    }
    (cfg, reader.diags)
}

/// Reads `text`, failing on the first problem upstream would warn about.
pub fn parse_strict(def: &SectionDef, file: &str, text: &str) -> Result<SectionConfig, ParseError> {
    let (cfg, diags) = parse_lenient(def, file, text);
    match diags.into_iter().next() {
        Some(d) => Err(d.into()),
        None => Ok(cfg),
    }
}
