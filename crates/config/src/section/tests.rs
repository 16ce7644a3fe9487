use super::*;
use proptest::prelude::*;
use serde_json::json;

/// A small grammar: `dir` sections need `path`, `net` sections need `server`.
fn def() -> SectionDef {
    let props: IndexMap<String, serde_json::Value> = [
        ("path", json!({"type": "string"})),
        ("server", json!({"type": "string"})),
        ("comment", json!({"type": "string"})),
        ("disable", json!({"type": "boolean"})),
        ("shared", json!({"type": "boolean"})),
        (
            "port",
            json!({"type": "integer", "minimum": 1, "maximum": 65535}),
        ),
        ("ratio", json!({"type": "number", "minimum": 0})),
        ("mode", json!({"type": "string", "enum": ["a", "b"]})),
        (
            "alias",
            json!({"type": "array", "items": {"type": "string"}}),
        ),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    let mut d = SectionDef::new(props)
        .with_type(
            "dir",
            &[
                ("path", OptionSpec::FIXED),
                ("comment", OptionSpec::OPTIONAL),
                ("disable", OptionSpec::OPTIONAL),
                ("shared", OptionSpec::OPTIONAL),
                ("ratio", OptionSpec::OPTIONAL),
                ("alias", OptionSpec::OPTIONAL),
            ],
        )
        .with_type(
            "net",
            &[
                ("server", OptionSpec::REQUIRED),
                ("port", OptionSpec::OPTIONAL),
                ("mode", OptionSpec::OPTIONAL),
                ("disable", OptionSpec::OPTIONAL),
            ],
        );
    d.lowercase_type = true;
    d.id_check = Some(|id| formats::parse_id(id, "storage"));
    d
}

fn parse_ok(text: &str) -> SectionConfig {
    parse_strict(&def(), "test.cfg", text).expect("parses")
}

fn diags(text: &str) -> Vec<String> {
    parse_lenient(&def(), "test.cfg", text)
        .1
        .iter()
        .map(ToString::to_string)
        .collect()
}

#[test]
fn parse_reads_sections_in_file_order() {
    let cfg = parse_ok("net: b1\n\tserver 10.0.0.1\n\tport 22\n\ndir: a1\n\tpath /srv\n");
    let ids: Vec<&str> = cfg.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["b1", "a1"]);
    let net = cfg.get("b1").unwrap();
    assert_eq!(net.get("port"), Some(&SectionValue::Int(22)));
    assert_eq!(net.get_str("server"), Some("10.0.0.1"));
}

#[test]
fn parse_skips_comments_and_header_variants() {
    let cfg = parse_ok("# top\nDIR:a1\n  # inner\n    path    /a b  \n");
    let s = cfg.get("a1").unwrap();
    assert_eq!(s.section_type, "dir");
    assert_eq!(s.get_str("path"), Some("/a b"));
}

#[test]
fn parse_boolean_without_value_is_true() {
    let cfg = parse_ok("dir: a1\n\tpath /x\n\tdisable\n\tshared 0\n");
    let s = cfg.get("a1").unwrap();
    assert_eq!(s.get("disable"), Some(&SectionValue::Bool(true)));
    assert_eq!(s.get("shared"), Some(&SectionValue::Bool(false)));
}

#[test]
fn parse_bad_values_name_file_line_section_and_key() {
    let d = diags("dir: a1\n\tpath /x\n\tshared yes\n\tratio -1\n");
    assert_eq!(
        d,
        [
            "file test.cfg line 3 (section 'a1') - unable to parse value of 'shared': type check ('boolean') failed - got 'yes'",
            "file test.cfg line 4 (section 'a1') - unable to parse value of 'ratio': value must have a minimum value of 0",
        ]
    );
}

#[test]
fn parse_unexpected_unknown_and_duplicate_keys_are_reported() {
    let d = diags("net: n1\n\tserver s\n\tpath /x\n\tbogus 1\n\tserver t\n\tmode c\n");
    assert_eq!(
        d,
        [
            "file test.cfg line 3 (section 'n1') - unable to parse value of 'path': unexpected property 'path'",
            "file test.cfg line 4 (section 'n1') - unable to parse value of 'bogus': unknown property type",
            "file test.cfg line 5 (section 'n1') - unable to parse value of 'server': duplicate attribute",
            "file test.cfg line 6 (section 'n1') - unable to parse value of 'mode': value 'c' does not have a value in the enumeration 'a, b'",
        ]
    );
}

#[test]
fn parse_missing_required_option_skips_section() {
    let (cfg, d) = parse_lenient(
        &def(),
        "test.cfg",
        "net: n1\n\tport 5\n\ndir: a1\n\tpath /x\n",
    );
    assert!(cfg.get("n1").is_none());
    assert!(cfg.get("a1").is_some());
    assert_eq!(
        d[0].to_string(),
        "file test.cfg line 2 (skip section 'n1'): missing value for required option 'server'"
    );
}

#[test]
fn parse_invalid_section_id_skips_section() {
    let d = diags("dir: a\n\tpath /x\n");
    assert_eq!(
        d,
        ["file test.cfg line 1 (skip section 'a'): storage ID 'a' cannot be shorter than 2 characters"]
    );
}

#[test]
fn parse_stray_lines_are_ignored_with_warning() {
    let d = diags("garbage here\ndir: a1\n\tpath /x\n \n");
    assert_eq!(
        d[0],
        "file test.cfg line 1 - ignore config line: garbage here"
    );
    assert_eq!(
        d[1],
        "file test.cfg line 4 (section 'a1') - ignore config line:  "
    );
}

#[test]
fn parse_blank_line_ends_section() {
    let d = diags("dir: a1\n\tpath /x\n\n\tshared 1\n");
    assert_eq!(d, ["file test.cfg line 4 - ignore config line: \tshared 1"]);
}

#[test]
fn parse_duplicate_id_keeps_last_at_later_position() {
    let cfg = parse_ok("dir: a1\n\tpath /x\n\ndir: b1\n\tpath /y\n\ndir: a1\n\tpath /z\n");
    let ids: Vec<&str> = cfg.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["b1", "a1"]);
    assert_eq!(cfg.get("a1").unwrap().get_str("path"), Some("/z"));
}

#[test]
fn parse_array_property_collects_repeated_lines() {
    let cfg = parse_ok("dir: a1\n\tpath /x\n\talias one\n\talias two\n");
    assert_eq!(
        cfg.get("a1").unwrap().get("alias"),
        Some(&SectionValue::List(vec!["one".into(), "two".into()]))
    );
}

#[test]
fn unknown_type_is_kept_and_written_back() {
    let text = "future: f1\n\tzeta 1\n\tcomment hi\n\talpha x\n\talpha y\n";
    let cfg = parse_ok(text);
    let s = cfg.get("f1").unwrap();
    assert!(!s.known);
    assert_eq!(
        write(&def(), &cfg),
        "future: f1\n\tcomment hi\n\talpha x\n\talpha y\n\tzeta 1\n\n"
    );
}

#[test]
fn write_orders_comment_disable_required_then_sorted_optional() {
    let cfg =
        parse_ok("dir: a1\n\tshared 1\n\tratio 1.50\n\tdisable 1\n\tpath /x\n\tcomment c d\n");
    assert_eq!(
        write(&def(), &cfg),
        "dir: a1\n\tcomment c d\n\tdisable\n\tpath /x\n\tratio 1.5\n\tshared 1\n\n"
    );
}

#[test]
fn write_omits_false_disable_and_empty_values() {
    let mut s = Section::new("net", "n1");
    s.set("server", SectionValue::Str("h".into()));
    s.set("disable", SectionValue::Bool(false));
    s.set("mode", SectionValue::Str(String::new()));
    let mut cfg = SectionConfig::new();
    cfg.insert(s);
    assert_eq!(write(&def(), &cfg), "net: n1\n\tserver h\n\n");
}

#[test]
fn validate_reports_missing_required_option() {
    let mut cfg = SectionConfig::new();
    cfg.insert(Section::new("net", "n1"));
    let err = validate(&def(), &cfg).unwrap_err();
    assert_eq!(
        err.to_string(),
        "section 'n1' - missing value for required option 'server'"
    );
}

#[test]
fn strict_parse_error_carries_line_and_key() {
    let err = parse_strict(&def(), "test.cfg", "net: n1\n\tserver s\n\tport 0\n").unwrap_err();
    assert_eq!(err.line, Some(3));
    assert_eq!(err.key.as_deref(), Some("port"));
    assert!(err.message.contains("value must have a minimum value of 1"));
}

#[test]
fn perl_number_formats_like_perl() {
    assert_eq!(perl_number(1.5), "1.5");
    assert_eq!(perl_number(2.0), "2");
    assert_eq!(perl_number(0.1 + 0.2), "0.3");
    assert_eq!(perl_number(1e21), "1e+21");
    assert_eq!(perl_number(0.00001), "1e-05");
    assert_eq!(perl_number(-12.25), "-12.25");
}

#[test]
fn is_number_accepts_upstream_forms() {
    for ok in ["1", "+1", "-1.5", "1.", ".5", "1e5", "2.5E-3"] {
        assert!(is_number(ok), "{ok}");
    }
    for bad in ["", ".", "e5", "1e", "1.2.3", "0x10", "inf"] {
        assert!(!is_number(bad), "{bad}");
    }
}

fn arb_id() -> impl Strategy<Value = String> {
    "[a-z][a-z0-9]{1,6}"
}

fn arb_text() -> impl Strategy<Value = String> {
    "[!-~]([ -~]{0,10}[!-~])?"
}

fn arb_section() -> impl Strategy<Value = Section> {
    let dir = (
        arb_id(),
        arb_text(),
        proptest::option::of(arb_text()),
        any::<bool>(),
        proptest::option::of(any::<bool>()),
        proptest::option::of(0u32..100_000),
        proptest::collection::vec(arb_text(), 0..3),
    )
        .prop_map(|(id, path, comment, disable, shared, ratio, alias)| {
            let mut s = Section::new("dir", id);
            s.set("path", SectionValue::Str(path));
            if let Some(c) = comment.filter(|c| c != "0") {
                s.set("comment", SectionValue::Str(c));
            }
            if disable {
                s.set("disable", SectionValue::Bool(true));
            }
            if let Some(b) = shared {
                s.set("shared", SectionValue::Bool(b));
            }
            if let Some(r) = ratio {
                s.set("ratio", SectionValue::Number(f64::from(r) / 100.0));
            }
            if !alias.is_empty() {
                s.set("alias", SectionValue::List(alias));
            }
            s
        });
    let net =
        (arb_id(), arb_text(), proptest::option::of(1i64..65536)).prop_map(|(id, server, port)| {
            let mut s = Section::new("net", id);
            s.set("server", SectionValue::Str(server));
            if let Some(p) = port {
                s.set("port", SectionValue::Int(p));
            }
            s
        });
    prop_oneof![dir, net]
}

/// A section as type, id and sorted properties.
type Flat = (String, String, Vec<(String, SectionValue)>);

/// Compares ignoring property order (the writer reorders keys canonically).
fn normalized(cfg: &SectionConfig) -> Vec<Flat> {
    cfg.iter()
        .map(|s| {
            let mut props: Vec<(String, SectionValue)> = s
                .props
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            props.sort_by(|a, b| a.0.cmp(&b.0));
            (s.section_type.clone(), s.id.clone(), props)
        })
        .collect()
}

proptest! {
    #[test]
    fn written_config_parses_back_equal(sections in proptest::collection::vec(arb_section(), 0..5)) {
        let mut cfg = SectionConfig::new();
        for s in sections {
            cfg.insert(s);
        }
        let text = write(&def(), &cfg);
        let back = parse_strict(&def(), "test.cfg", &text).expect("canonical output parses");
        prop_assert_eq!(normalized(&back), normalized(&cfg));
        prop_assert_eq!(write(&def(), &back), text);
    }

    #[test]
    fn parser_never_panics(text in "[ -~\t\n#:]{0,200}") {
        let (cfg, _) = parse_lenient(&def(), "test.cfg", &text);
        let again = write(&def(), &cfg);
        parse_strict(&def(), "test.cfg", &again).expect("canonical output parses");
    }
}

#[test]
fn update_of_fixed_option_is_refused() {
    assert_eq!(
        def().check_update("dir", ["shared", "path"]),
        Err("can't change value of fixed parameter 'path'".into())
    );
    assert!(def().check_update("dir", ["shared"]).is_ok());
}

#[test]
fn delete_keys_follows_upstream_rules() {
    let mut s = parse_ok("dir: a1\n\tpath /x\n\tshared 1\n\tratio 2\n")
        .remove("a1")
        .unwrap();
    let d = def();
    assert_eq!(
        d.delete_keys(&mut s, &[], &["path"]),
        Err("unable to delete required option 'path'".into())
    );
    assert_eq!(
        d.delete_keys(&mut s, &[], &["port"]),
        Err("no such option 'port'".into())
    );
    assert_eq!(
        d.delete_keys(&mut s, &["ratio"], &["ratio"]),
        Err("cannot set and delete property 'ratio' at the same time!".into())
    );
    d.delete_keys(&mut s, &[], &["shared"]).unwrap();
    assert!(s.get("shared").is_none());
}

#[test]
fn every_file_schema_compiles_in_the_schema_crate() {
    for (key, schema) in crate::datacenter::schema::properties() {
        assert!(
            virton_schema::Schema::from_pve_json(schema).is_ok(),
            "{key}"
        );
    }
    let defs = [
        crate::storage::storage_def(),
        crate::status::status_def(),
        crate::domains::domains_def(),
    ];
    for def in defs {
        for (key, schema) in &def.properties {
            assert!(
                schema.is_object() && virton_schema::Schema::from_pve_json(schema).is_ok(),
                "{key}: {schema}"
            );
        }
    }
}
