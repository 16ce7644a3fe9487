//! The canonical `corosync.conf` text, and the keyed node/interface order it relies on.
//!
//! Upstream keeps `nodelist.node` keyed by node name and `totem.interface` keyed by link
//! number, so a repeated key keeps only the last block and both are written sorted by that
//! key (as strings: link `10` sorts before `2`).

use super::{CorosyncSection, CorosyncValue};
use std::collections::BTreeMap;

/// The blocks that upstream keys, and the fields (first present wins) that give the key.
const KEYED_LISTS: [(&str, &str, [&str; 2]); 2] = [
    ("nodelist", "node", ["name", "ring0_addr"]),
    ("totem", "interface", ["linknumber", "ringnumber"]),
];

/// The key of a block: the first of `fields` present as `key: value`, else empty.
fn list_key(section: &CorosyncSection, fields: [&str; 2]) -> String {
    fields
        .iter()
        .find_map(|f| section.scalar(f))
        .unwrap_or_default()
        .to_string()
}

/// The name a node is known by: `name`, else `ring0_addr`.
pub(super) fn node_key(section: &CorosyncSection) -> String {
    list_key(section, ["name", "ring0_addr"])
}

/// Sorts `nodelist.node` and `totem.interface` by key, keeping the last block of each key,
/// and drops them when empty. Entries of another shape are left alone (the parser rejects
/// them; a hand-built model keeps what it has).
pub(super) fn normalize_keyed_lists(main: &mut CorosyncSection) {
    for (parent, list, fields) in KEYED_LISTS {
        let Some(section) = main.section_mut(parent) else {
            continue;
        };
        let blocks = match section.remove(list) {
            Some(CorosyncValue::List(blocks)) => blocks,
            Some(other) => {
                section.insert(list, other);
                continue;
            }
            None => continue,
        };
        let keyed: BTreeMap<String, CorosyncSection> = blocks
            .into_iter()
            .map(|b| (list_key(&b, fields), b))
            .collect();
        if !keyed.is_empty() {
            section.insert(list, CorosyncValue::List(keyed.into_values().collect()));
        }
    }
}

/// The file text for the top-level block `main`.
pub(super) fn write_conf(main: &CorosyncSection) -> String {
    let mut main = main.clone();
    // Upstream's writer always touches these two blocks, so they appear (maybe empty).
    for (parent, _, _) in KEYED_LISTS {
        if main.get(parent).is_none() {
            main.insert(parent, CorosyncValue::Section(CorosyncSection::new()));
        }
    }
    normalize_keyed_lists(&mut main);
    let mut out = String::new();
    write_section(&mut out, &main, "");
    out
}

fn write_block(out: &mut String, name: &str, block: &CorosyncSection, prefix: &str) {
    out.push_str(&format!("{prefix}{name} {{\n"));
    write_section(out, block, &format!("{prefix}  "));
    out.push_str(&format!("{prefix}}}\n"));
}

fn write_section(out: &mut String, section: &CorosyncSection, prefix: &str) {
    for (key, value) in section.entries() {
        match value {
            CorosyncValue::Scalar(v) => out.push_str(&format!("{prefix}{key}: {v}\n")),
            CorosyncValue::Section(block) => {
                write_block(out, key, block, prefix);
                // Only top-level blocks are followed by a blank line.
                if prefix.is_empty() {
                    out.push('\n');
                }
            }
            CorosyncValue::List(blocks) => {
                for block in blocks {
                    write_block(out, key, block, prefix);
                }
            }
        }
    }
}
