//! Canonical writer of VM config files, as upstream's `write_vm_config`: description
//! comments first, keys sorted, then `[PENDING]`, `[special:*]` (sorted) and snapshots
//! (sorted). Also applies upstream's write-time cleanups: `cdrom` becomes `ide2`, `smp`
//! becomes `sockets`, and `unusedN` entries naming a volume in use are dropped.

use super::parse::drive_file;
use super::VmConfig;
use crate::guest::keys::is_vm_drive_key;
use crate::guest::{description_lines, perl_true, Section};
use std::collections::BTreeSet;

/// Writes the canonical text of `conf`.
pub(super) fn write(conf: &VmConfig) -> String {
    let main = cleaned_main(conf);
    let mut raw = section_text(&main, false);
    if !conf.pending.is_empty() {
        raw.push_str("\n[PENDING]\n");
        raw.push_str(&section_text(&conf.pending, true));
    }
    for (name, section) in &conf.special {
        if name == "cloudinit" && !has_cloudinit(&main) {
            continue;
        }
        raw.push_str(&format!("\n[special:{name}]\n"));
        raw.push_str(&section_text(section, false));
    }
    for (name, section) in &conf.snapshots {
        raw.push_str(&format!("\n[{name}]\n"));
        raw.push_str(&section_text(section, false));
    }
    raw
}

/// The main section after upstream's write-time cleanups.
fn cleaned_main(conf: &VmConfig) -> Section {
    let mut main = conf.main.clone();
    let values = &mut main.values;
    values.remove("snapstate");
    if let Some(cdrom) = values.remove("cdrom") {
        values.entry("ide2".to_string()).or_insert(cdrom);
    }
    if values.get("sockets").is_some_and(|s| perl_true(s)) {
        values.remove("smp");
    } else if let Some(smp) = values.remove("smp").filter(|s| perl_true(s)) {
        values.insert("sockets".to_string(), smp);
        values.remove("cores");
    }
    let used: BTreeSet<String> = [&main, &conf.pending]
        .iter()
        .flat_map(|s| s.values.iter())
        .filter(|(k, _)| is_vm_drive_key(k))
        .filter_map(|(_, v)| drive_file(v).filter(|f| perl_true(f)).map(str::to_string))
        .collect();
    main.values
        .retain(|k, v| !(k.starts_with("unused") && used.contains(v.as_str())));
    main
}

fn section_text(section: &Section, pending: bool) -> String {
    let mut raw = String::new();
    if let Some(descr) = &section.description {
        if perl_true(descr) {
            raw.push_str(&description_lines(descr));
        } else if pending {
            raw.push_str("#\n");
        }
    }
    for (key, value) in &section.values {
        if matches!(
            key.as_str(),
            "digest" | "description" | "pending" | "snapshots" | "special-sections"
        ) {
            continue;
        }
        raw.push_str(&format!("{key}: {value}\n"));
    }
    raw
}

/// True when a drive of `section` is a cloud-init volume (`...:vm-<id>-cloudinit[.fmt]`).
pub(super) fn has_cloudinit(section: &Section) -> bool {
    section
        .values
        .iter()
        .filter(|(k, _)| is_vm_drive_key(k))
        .filter_map(|(_, v)| drive_file(v))
        .any(is_cloudinit_file)
}

fn is_cloudinit_file(file: &str) -> bool {
    const FORMATS: &[&str] = &["raw", "qcow", "qcow2", "qed", "vmdk", "cloop"];
    let base = match file.rsplit_once('.') {
        Some((base, ext)) if FORMATS.contains(&ext) => base,
        _ => file,
    };
    [base, file].iter().any(|name| {
        let Some(stem) = name.strip_suffix("cloudinit") else {
            return false;
        };
        if stem.ends_with([':', '/']) {
            return true;
        }
        // `vm-<digits>-` right after a `:` or `/`
        let Some(head) = stem.strip_suffix('-') else {
            return false;
        };
        let before = head.trim_end_matches(|c: char| c.is_ascii_digit());
        before.len() < head.len() && (before.ends_with(":vm-") || before.ends_with("/vm-"))
    })
}
