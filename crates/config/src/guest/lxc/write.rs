//! Canonical writer of container config files, as upstream's `write_pct_config`:
//! description comments, sorted keys, runtime environment lines, raw `lxc.*` keys in
//! order; then `[pve:pending]` and the snapshots (sorted). `unusedN` entries naming a
//! volume still mounted are dropped.

use super::{CtConfig, CtSection};
use crate::guest::{description_lines, perl_true};
use std::collections::BTreeSet;

/// Writes the canonical text of `conf`.
pub(super) fn write(conf: &CtConfig) -> String {
    let mut main = conf.main.clone();
    main.values.remove("snapstate");
    let used = used_volumes(&main);
    main.values
        .retain(|k, v| !(k.starts_with("unused") && used.contains(v.as_str())));
    let mut raw = section_text(&main);
    if !conf.pending.is_empty() {
        raw.push_str("\n[pve:pending]\n");
        raw.push_str(&section_text(&conf.pending));
    }
    for (name, section) in &conf.snapshots {
        raw.push_str(&format!("\n[{name}]\n"));
        raw.push_str(&section_text(section));
    }
    raw
}

/// Storage volumes mounted by `rootfs` and `mpN` (not bind mounts or devices).
fn used_volumes(section: &CtSection) -> BTreeSet<String> {
    section
        .values
        .iter()
        .filter(|(k, _)| k.as_str() == "rootfs" || is_mp_key(k))
        .filter_map(|(_, v)| mount_volume(v))
        .filter(|v| {
            !v.starts_with('/')
                && v.split_once(':')
                    .is_some_and(|(s, n)| !s.is_empty() && !n.is_empty())
        })
        .map(str::to_string)
        .collect()
}

fn is_mp_key(key: &str) -> bool {
    key.strip_prefix("mp")
        .is_some_and(|i| !i.is_empty() && i.bytes().all(|b| b.is_ascii_digit()))
}

/// The volume of a mount point string: the leading value without `key=`, or `volume=`.
fn mount_volume(value: &str) -> Option<&str> {
    value
        .split(',')
        .find_map(|part| match part.split_once('=') {
            None => Some(part),
            Some(("volume", v)) => Some(v),
            Some(_) => None,
        })
}

fn section_text(section: &CtSection) -> String {
    let mut raw = String::new();
    if let Some(descr) = section.description.as_deref().filter(|d| perl_true(d)) {
        raw.push_str(&description_lines(descr));
    }
    for (key, value) in &section.values {
        if matches!(
            key.as_str(),
            "digest" | "description" | "pending" | "snapshots" | "snapname" | "env" | "lxc"
        ) {
            continue;
        }
        raw.push_str(&format!("{key}: {value}\n"));
    }
    if let Some(env) = section.env.as_deref().filter(|e| perl_true(e)) {
        for var in split_env(env) {
            raw.push_str(&format!("lxc.environment.runtime: {var}\n"));
        }
    }
    for (key, value) in &section.lxc {
        if key != "lxc.environment.runtime" {
            raw.push_str(&format!("{key}: {value}\n"));
        }
    }
    raw
}

/// Perl's `split(/\0+/, $env)`: runs of NUL separate, trailing empty fields vanish.
fn split_env(env: &str) -> Vec<&str> {
    let mut parts: Vec<&str> = Vec::new();
    let mut rest = env;
    while let Some(pos) = rest.find('\0') {
        parts.push(rest.get(..pos).unwrap_or(""));
        rest = rest.get(pos..).unwrap_or("").trim_start_matches('\0');
    }
    parts.push(rest);
    while parts.last().is_some_and(|p| p.is_empty()) {
        parts.pop();
    }
    parts
}
