//! Reader of container config files, following upstream's `parse_pct_config`: section
//! headers, description comments, raw `lxc.*` keys, special lines (`snapstate`,
//! `delete`) and checked `key: value` settings.

use super::raw_keys::{classify, RawKeyValidity};
use super::{CtConfig, CtSection};
use crate::guest::keys::ct_key_type;
use crate::guest::value::{check_value, Flavor};
use crate::guest::{
    guest_label, is_perl_ws, match_key_value, match_snapstate, match_trimmed_value, perl_true,
    text, trim_perl_ws, ParseMode, Parsed, Problems,
};
use crate::ParseError;

struct Reader<'a> {
    vmid: String,
    problems: Problems<'a>,
    config: CtConfig,
    /// `None`: main section; `Some("pending")` also for a snapshot named `pending`,
    /// which upstream cannot tell apart from `[pve:pending]` when checking `delete`.
    section: Option<String>,
    in_pending: bool,
    descr: String,
}

/// Parses a container config file.
pub(super) fn parse(
    file: &str,
    text: &str,
    mode: ParseMode,
) -> Result<Parsed<CtConfig>, ParseError> {
    let mut r = Reader {
        vmid: guest_label(file),
        problems: Problems::new(file, mode),
        config: CtConfig::default(),
        section: None,
        in_pending: false,
        descr: String::new(),
    };
    for (idx, line) in text.split('\n').enumerate() {
        if trim_perl_ws(line).is_empty() {
            continue;
        }
        if !r.header(line) {
            r.line(idx + 1, line)?;
        }
    }
    r.finish_description();
    r.config.main.values.remove("snapstate");
    Ok(Parsed {
        config: r.config,
        warnings: r.problems.warnings,
    })
}

fn header_name(line: &str) -> Option<&str> {
    line.strip_prefix('[')?
        .trim_end_matches(is_perl_ws)
        .strip_suffix(']')
}

fn is_snapshot_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && name.len() >= 2
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// Matches `^(lxc\.[a-z0-9_\-\.]+)(:|\s*=)\s*(.*?)\s*$`.
fn match_lxc_line(line: &str) -> Option<(&str, &str)> {
    let rest = line.strip_prefix("lxc.")?;
    let key_len = 4 + rest
        .find(|c: char| !(c.is_ascii_lowercase() || c.is_ascii_digit() || "_-.".contains(c)))
        .unwrap_or(rest.len());
    if key_len == 4 {
        return None;
    }
    let (key, after) = line.split_at_checked(key_len)?;
    let value = match after.strip_prefix(':') {
        Some(v) => v,
        None => after.trim_start_matches(is_perl_ws).strip_prefix('=')?,
    };
    Some((key, trim_perl_ws(value)))
}

impl Reader<'_> {
    fn conf(&mut self) -> &mut CtSection {
        let c = &mut self.config;
        match (&self.section, self.in_pending) {
            (_, true) => &mut c.pending,
            (None, false) => &mut c.main,
            (Some(name), false) => c.snapshots.entry(name.clone()).or_default(),
        }
    }

    fn finish_description(&mut self) {
        let descr = std::mem::take(&mut self.descr);
        if perl_true(&descr) {
            self.conf().description = Some(descr);
        }
    }

    fn header(&mut self, line: &str) -> bool {
        let Some(name) = header_name(line) else {
            return false;
        };
        if name.eq_ignore_ascii_case("pve:pending") {
            self.finish_description();
            self.section = Some("pending".to_string());
            self.in_pending = true;
            self.config.pending = CtSection::default();
            true
        } else if is_snapshot_name(name) {
            self.finish_description();
            self.section = Some(name.to_string());
            self.in_pending = false;
            self.config
                .snapshots
                .insert(name.to_string(), CtSection::default());
            true
        } else {
            false
        }
    }

    fn line(&mut self, no: usize, line: &str) -> Result<(), ParseError> {
        let vmid = self.vmid.clone();
        if let Some(comment) = line.strip_prefix('#') {
            self.descr.push_str(&text::decode_text(comment));
            self.descr.push('\n');
        } else if let Some((key, value)) = match_lxc_line(line) {
            self.raw_key(no, line, key, value)?;
        } else if let Some(v) = match_trimmed_value(line, "description") {
            self.descr.push_str(&text::decode_text(v));
        } else if let Some(state) = match_snapstate(line) {
            self.conf().values.insert("snapstate".into(), state.into());
        } else if let Some(v) = match_trimmed_value(line, "delete") {
            if self.section.as_deref() == Some("pending") {
                self.conf().values.insert("delete".into(), v.into());
            } else {
                let msg = format!("vm {vmid} - property 'delete' is only allowed in [pve:pending]");
                self.problems.report(no, Some("delete"), msg)?;
            }
        } else if let Some((key, value)) = match_key_value(line, false) {
            self.setting(no, key, value)?;
        } else {
            let msg = format!("vm {vmid} - unable to parse config: {line}");
            self.problems.report(no, None, msg)?;
        }
        Ok(())
    }

    fn raw_key(&mut self, no: usize, line: &str, key: &str, value: &str) -> Result<(), ParseError> {
        let validity = classify(&self.vmid, key);
        if let RawKeyValidity::Valid(Some(warning)) = &validity {
            self.problems.warn(warning.clone());
        }
        if key == "lxc.environment.runtime" {
            let conf = self.conf();
            match &mut conf.env {
                Some(env) => {
                    env.push('\0');
                    env.push_str(value);
                }
                None => conf.env = Some(value.to_string()),
            }
            return Ok(());
        }
        let msg = match validity {
            RawKeyValidity::Valid(_) => {
                self.conf().lxc.push((key.to_string(), value.to_string()));
                return Ok(());
            }
            RawKeyValidity::Refused(reason) => format!("vm {} - {key}: {reason}", self.vmid),
            RawKeyValidity::Unknown => format!("vm {} - unable to parse config: {line}", self.vmid),
        };
        self.problems.report(no, Some(key), msg)
    }

    /// A checked setting; unlike VM configs, a value failing its check is still kept
    /// (as written) when reading leniently, as upstream does.
    fn setting(&mut self, no: usize, key: &str, value: &str) -> Result<(), ParseError> {
        let value = match check_value(key, ct_key_type(key), value, Flavor::Ct) {
            Ok(v) => v,
            Err(e) => {
                let msg = format!("vm {} - unable to parse value of '{key}' - {e}", self.vmid);
                self.problems.report(no, Some(key), msg)?;
                value.to_string()
            }
        };
        if key == "env" {
            self.conf().env = Some(value);
        } else {
            self.conf().values.insert(key.to_string(), value);
        }
        Ok(())
    }
}
