//! Tests of the shared guest-config line grammar.

use super::*;

#[test]
fn pending_delete_parses_separators_and_force_markers() {
    let list = parse_pending_delete(" net0;!scsi1, memory  memory");
    assert_eq!(
        list,
        vec![
            PendingDelete {
                key: "memory".into(),
                force: false
            },
            PendingDelete {
                key: "net0".into(),
                force: false
            },
            PendingDelete {
                key: "scsi1".into(),
                force: true
            },
        ]
    );
    assert_eq!(print_pending_delete(&list), "memory,net0,!scsi1");
}

#[test]
fn guest_label_takes_numeric_stem_or_whole_name() {
    assert_eq!(guest_label("qemu-server/8006.conf"), "8006");
    assert_eq!(guest_label("/etc/pve/lxc/100.conf"), "100");
    assert_eq!(guest_label("fuzz"), "fuzz");
}

#[test]
fn key_value_line_matches_upstream_regex() {
    assert_eq!(match_key_value("cores: 2", true), Some(("cores", "2")));
    assert_eq!(match_key_value("net0:  x  ", true), Some(("net0", "x")));
    assert_eq!(
        match_key_value("allow-ksm: 1", true),
        Some(("allow-ksm", "1"))
    );
    assert_eq!(match_key_value("allow-ksm: 1", false), None);
    assert_eq!(match_key_value("key: ", true), Some(("key", " ")));
    assert_eq!(match_key_value("key:", true), None);
    assert_eq!(match_key_value("Key: v", true), None);
    assert_eq!(match_key_value("a1b: v", true), None);
}

#[test]
fn snapstate_matches_anywhere_but_needs_line_end() {
    assert_eq!(match_snapstate("snapstate: prepare"), Some("prepare"));
    assert_eq!(match_snapstate("xsnapstate:delete  "), Some("delete"));
    assert_eq!(match_snapstate("snapstate: prepared"), None);
    assert_eq!(match_snapstate("snapstate: foo"), None);
}

#[test]
fn trimmed_value_needs_non_space_content() {
    assert_eq!(match_trimmed_value("args: -a -b ", "args"), Some("-a -b"));
    assert_eq!(match_trimmed_value("args:   ", "args"), None);
    assert_eq!(match_trimmed_value("argsx: 1", "args"), None);
}

#[test]
fn description_lines_drop_trailing_empty_lines_only() {
    assert_eq!(description_lines("\na\n\nb\n\n"), "#\n#a\n#\n#b\n");
    assert_eq!(description_lines(""), "");
}
