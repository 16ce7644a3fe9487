//! Reader of VM config files, following upstream's `parse_vm_config` line by line:
//! section headers, description comments, special lines (`snapstate`, `args`, `delete`)
//! and checked `key: value` settings; problems are errors or warnings by [`ParseMode`].

use super::devices::{DriveBus, DriveKey};
use super::formats::normalize::normalize_drive;
use super::{VmConfig, SPECIAL_SECTIONS};
use crate::guest::keys::{vm_key_type, ValueType};
use crate::guest::value::{check_value, Flavor};
use crate::guest::{
    guest_label, match_key_value, match_snapstate, match_trimmed_value, text, trim_perl_ws,
    ParseMode, Parsed, Problems, Section,
};
use crate::ParseError;

/// Where the settings of the current section go.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Target {
    Main,
    Pending,
    Special(String),
    Snapshot(String),
}

/// Which keys a section accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Schema {
    /// Every VM key.
    Vm,
    /// Stored without checks (`[special:cloudinit]`).
    Unchecked,
    /// `[special:fleecing]`.
    Fleecing,
    /// A special section spelled in another case: upstream finds no schema for it.
    Missing,
}

struct Reader<'a> {
    vmid: String,
    problems: Problems<'a>,
    config: VmConfig,
    seen_pending: bool,
    /// Where settings and the description go (stays put inside skipped sections).
    target: Target,
    /// `None` inside an unknown section: its lines are skipped.
    schema: Option<Schema>,
    descr: Option<String>,
}

/// Parses a VM config file.
pub(super) fn parse(
    file: &str,
    text: &str,
    mode: ParseMode,
) -> Result<Parsed<VmConfig>, ParseError> {
    let mut r = Reader {
        vmid: guest_label(file),
        problems: Problems::new(file, mode),
        config: VmConfig::default(),
        seen_pending: false,
        target: Target::Main,
        schema: Some(Schema::Vm),
        descr: None,
    };
    for (idx, line) in text.split('\n').enumerate() {
        if trim_perl_ws(line).is_empty() {
            continue;
        }
        if !r.header(idx + 1, line)? {
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

/// The text between `[` and `]` of a header line (`^\[([^\]]*)\]\s*$`).
fn header_name(line: &str) -> Option<&str> {
    let inner = line
        .strip_prefix('[')?
        .trim_end_matches(crate::guest::is_perl_ws);
    let inner = inner.strip_suffix(']')?;
    (!inner.contains(']')).then_some(inner)
}

/// Snapshot names as upstream's header regex accepts them: `[a-z][a-z0-9_-]+`, any case.
fn is_snapshot_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && name.len() >= 2
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

impl Reader<'_> {
    fn section(&mut self) -> &mut Section {
        let c = &mut self.config;
        match &self.target {
            Target::Main => &mut c.main,
            Target::Pending => &mut c.pending,
            Target::Special(n) => c.special.entry(n.clone()).or_default(),
            Target::Snapshot(n) => c.snapshots.entry(n.clone()).or_default(),
        }
    }

    fn finish_description(&mut self) {
        if let Some(descr) = self.descr.take() {
            let trimmed = descr.trim_end_matches(crate::guest::is_perl_ws).to_string();
            self.section().description = Some(trimmed);
        }
    }

    /// Handles a section header line; false when the line is not one.
    fn header(&mut self, no: usize, line: &str) -> Result<bool, ParseError> {
        let Some(name) = header_name(line) else {
            return Ok(false);
        };
        self.finish_description();
        let vmid = self.vmid.clone();
        let special = name
            .get(..8)
            .filter(|p| p.eq_ignore_ascii_case("special:"))
            .and_then(|_| name.get(8..))
            .filter(|n| SPECIAL_SECTIONS.iter().any(|s| s.eq_ignore_ascii_case(n)));
        let (target, schema, duplicate) = if name.eq_ignore_ascii_case("PENDING") {
            let dup = std::mem::replace(&mut self.seen_pending, true);
            self.config.pending = Section::default();
            (
                Target::Pending,
                Schema::Vm,
                dup.then(|| "duplicate section: pending".to_string()),
            )
        } else if let Some(n) = special {
            let dup = self
                .config
                .special
                .insert(n.to_string(), Section::default())
                .is_some();
            let schema = match n {
                "cloudinit" => Schema::Unchecked,
                "fleecing" => Schema::Fleecing,
                _ => Schema::Missing,
            };
            let msg = format!("duplicate special section: {n}");
            (Target::Special(n.to_string()), schema, dup.then_some(msg))
        } else if is_snapshot_name(name) {
            let dup = self
                .config
                .snapshots
                .insert(name.to_string(), Section::default())
                .is_some();
            let msg = format!("duplicate snapshot section: {name}");
            (
                Target::Snapshot(name.to_string()),
                Schema::Vm,
                dup.then_some(msg),
            )
        } else {
            self.schema = None;
            let msg = format!("vm {vmid} - skipping unknown section: '{name}'");
            self.problems.report(no, Some(name), msg)?;
            return Ok(true);
        };
        self.target = target;
        self.schema = Some(schema);
        if let Some(msg) = duplicate {
            self.problems
                .report(no, Some(name), format!("vm {vmid} - {msg}"))?;
        }
        Ok(true)
    }

    /// Handles a line inside a section.
    fn line(&mut self, no: usize, line: &str) -> Result<(), ParseError> {
        let Some(schema) = self.schema else {
            return Ok(());
        };
        if let Some(comment) = line.strip_prefix('#') {
            let descr = self.descr.get_or_insert_with(String::new);
            descr.push_str(&text::decode_text(comment));
            descr.push('\n');
        } else if let Some(v) = match_trimmed_value(line, "description") {
            self.descr
                .get_or_insert_with(String::new)
                .push_str(&text::decode_text(v));
        } else if let Some(state) = match_snapstate(line) {
            self.section()
                .values
                .insert("snapstate".into(), state.into());
        } else if let Some(v) = match_trimmed_value(line, "args") {
            self.section().values.insert("args".into(), v.into());
        } else if let Some(v) = match_trimmed_value(line, "delete") {
            if self.target == Target::Pending {
                self.section().values.insert("delete".into(), v.into());
            } else {
                let msg = format!(
                    "vm {} - property 'delete' is only allowed in [PENDING]",
                    self.vmid
                );
                self.problems.report(no, Some("delete"), msg)?;
            }
        } else if let Some((key, value)) = match_key_value(line, true) {
            self.setting(no, schema, key, value)?;
        } else {
            let msg = format!("vm {} - unable to parse config: {line}", self.vmid);
            self.problems.report(no, None, msg)?;
        }
        Ok(())
    }

    fn setting(
        &mut self,
        no: usize,
        schema: Schema,
        key: &str,
        value: &str,
    ) -> Result<(), ParseError> {
        if schema == Schema::Unchecked {
            self.section().values.insert(key.into(), value.into());
            return Ok(());
        }
        let checked = match schema {
            Schema::Missing => Err("check_type: no schema defined".to_string()),
            Schema::Fleecing => {
                let ty =
                    (key == "fleecing-images").then_some(ValueType::Format("pve-volume-id-list"));
                check_value(key, ty, value, Flavor::Vm)
            }
            _ => check_value(key, vm_key_type(key), value, Flavor::Vm),
        };
        let value = match checked {
            Ok(v) => v,
            Err(e) => {
                let msg = format!("vm {} - unable to parse value of '{key}' - {e}", self.vmid);
                return self.problems.report(no, Some(key), msg);
            }
        };
        let key = if key == "cdrom" { "ide2" } else { key };
        let value = match disk_bus(key) {
            Some(bus) => {
                let normalized = normalize_drive(&self.vmid, bus, &value);
                for warning in normalized.warnings {
                    self.problems.warn(warning);
                }
                match normalized.value {
                    Some(v) => v,
                    None => {
                        let msg = format!("vm {} - unable to parse value of '{key}'", self.vmid);
                        return self.problems.report(no, Some(key), msg);
                    }
                }
            }
            None => value,
        };
        self.section().values.insert(key.into(), value);
        Ok(())
    }
}

/// The bus of a key whose format is one of the bus drive formats (ide, sata, scsi,
/// virtio); upstream re-prints only these drives when reading.
fn disk_bus(key: &str) -> Option<DriveBus> {
    match key.parse::<DriveKey>() {
        Ok(DriveKey::Bus(bus, _)) => Some(bus),
        _ => None,
    }
}

/// The file of a drive property string: the leading value without `key=`, or `file=`
/// (`volume=` is its alias).
pub(crate) fn drive_file(value: &str) -> Option<&str> {
    value
        .split(',')
        .find_map(|part| match part.split_once('=') {
            None => Some(part),
            Some(("file" | "volume", v)) => Some(v),
            Some(_) => None,
        })
}
