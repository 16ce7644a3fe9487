use super::*;
use crate::Document;
use proptest::prelude::*;

const SAMPLE: &str = "#Cluster **Berlin**%3A rack 4\n#\n#contact: ops@example.com\n\
keyboard: de\n\
migration: insecure,network=10.10.0.0/24\n\
ha: shutdown_policy=migrate\n\
next-id: lower=1000,upper=2000\n\
tag-style: shape=dense,ordering=config\n\
user-tag-access: user-allow=list,user-allow-list=web;db\n\
registered-tags: prod;backup\n\
max_workers: 8\n\
email_from: pve@example.com\n\
bwlimit: migration=102400\n\
mac_prefix: BC:24:11:5\n\
console: xtermjs\n";

fn diags(text: &str) -> Vec<String> {
    DatacenterConfig::parse_lenient("datacenter.cfg", text)
        .1
        .iter()
        .map(|e| e.message.clone())
        .collect()
}

#[test]
fn sample_parses_into_typed_settings() {
    let cfg = DatacenterConfig::parse("datacenter.cfg", SAMPLE).unwrap();
    assert_eq!(
        cfg.description,
        "Cluster **Berlin**: rack 4\n\ncontact: ops@example.com\n"
    );
    assert_eq!(cfg.keyboard(), Some("de"));
    assert_eq!(cfg.migration(), ("insecure", Some("10.10.0.0/24")));
    assert_eq!(cfg.ha_shutdown_policy(), "migrate");
    assert_eq!(cfg.next_id_range(), (1000, 2000));
    assert_eq!(cfg.max_workers(), Some(8));
    assert_eq!(cfg.mac_prefix(), "BC:24:11:5");
    assert_eq!(cfg.registered_tags(), ["backup", "prod"]);
    let access = cfg.get_map("user-tag-access").unwrap();
    assert_eq!(access["user-allow-list"], serde_json::json!(["db", "web"]));
}

#[test]
fn writer_sorts_keys_and_encodes_notes() {
    let cfg = DatacenterConfig::parse("datacenter.cfg", SAMPLE).unwrap();
    assert_eq!(
        cfg.write(),
        "#Cluster **Berlin**%3A rack 4\n#\n#contact%3A ops@example.com\n\n\
         bwlimit: migration=102400\n\
         console: xtermjs\n\
         email_from: pve@example.com\n\
         ha: shutdown_policy=migrate\n\
         keyboard: de\n\
         mac_prefix: BC:24:11:5\n\
         max_workers: 8\n\
         migration: insecure,network=10.10.0.0/24\n\
         next-id: lower=1000,upper=2000\n\
         registered-tags: backup;prod\n\
         tag-style: ordering=config,shape=dense\n\
         user-tag-access: user-allow=list,user-allow-list=db;web\n"
    );
}

#[test]
fn unchanged_document_keeps_original_bytes() {
    let mut doc = Document::<DatacenterConfig>::parse("datacenter.cfg", SAMPLE).unwrap();
    assert_eq!(doc.write(), SAMPLE);
    doc.set_text("keyboard", "fr").unwrap();
    assert!(doc.write().contains("\nkeyboard: fr\n"));
}

#[test]
fn fresh_install_sets_only_the_keyboard() {
    let cfg = DatacenterConfig::fresh_install(Some("en-us")).unwrap();
    assert_eq!(cfg.write(), "\nkeyboard: en-us\n");
    assert!(DatacenterConfig::fresh_install(Some("xx")).is_err());
}

#[test]
fn empty_config_writes_single_blank_line() {
    assert_eq!(DatacenterConfig::default().write(), "\n");
    assert_eq!(
        DatacenterConfig::parse("datacenter.cfg", "").unwrap(),
        DatacenterConfig::default()
    );
}

#[test]
fn invalid_values_are_dropped_with_upstream_wording() {
    let text = "keyboard: xx\nmax_workers: 0\nbogus: 1\nmigration: fast\nmac_prefix: 01:00\n";
    let (cfg, _) = DatacenterConfig::parse_lenient("datacenter.cfg", text);
    assert!(cfg.settings.is_empty());
    let d = diags(text);
    assert_eq!(
        d,
        [
            "parse error in 'datacenter.cfg' - 'bogus': property is not defined in schema and the schema does not allow additional properties",
            "parse error in 'datacenter.cfg' - 'keyboard': value 'xx' does not have a value in the enumeration 'de, de-ch, da, en-gb, en-us, es, fi, fr, fr-be, fr-ca, fr-ch, hu, is, it, ja, lt, mk, nl, no, pl, pt, pt-br, sv, sl, tr'",
            "parse error in 'datacenter.cfg' - 'mac_prefix': invalid format - value is not a valid unicast MAC address prefix",
            "parse error in 'datacenter.cfg' - 'max_workers': value must have a minimum value of 1",
            "parse error in 'datacenter.cfg' - 'migration': invalid format - format error\ntype: value 'fast' does not have a value in the enumeration 'secure, insecure'",
        ]
    );
}

#[test]
fn deprecated_migration_unsecure_sets_migration_type() {
    let cfg = DatacenterConfig::parse("datacenter.cfg", "migration_unsecure: yes\n").unwrap();
    assert_eq!(cfg.migration().0, "insecure");
    assert_eq!(
        cfg.write(),
        "\nmigration: insecure\nmigration_unsecure: 1\n"
    );
}

#[test]
fn applet_console_reads_as_html5() {
    let cfg = DatacenterConfig::parse("datacenter.cfg", "console: applet\n").unwrap();
    assert_eq!(cfg.console(), Some("html5"));
}

#[test]
fn default_mac_prefix_is_not_stored() {
    let cfg = DatacenterConfig::parse("datacenter.cfg", "mac_prefix: bc:24:11\n").unwrap();
    assert!(cfg.settings.is_empty());
    assert_eq!(cfg.mac_prefix(), DEFAULT_MAC_PREFIX);
}

#[test]
fn empty_crs_is_ignored() {
    let cfg = DatacenterConfig::parse("datacenter.cfg", "crs:\n").unwrap();
    assert!(cfg.settings.is_empty());
}

#[test]
fn broken_next_id_range_fails_validation() {
    let cfg = DatacenterConfig::parse("datacenter.cfg", "next-id: lower=500,upper=200\n").unwrap();
    assert_eq!(
        cfg.validate().unwrap_err().to_string(),
        "lower (500) <= upper (200) boundary rule broken"
    );
}

#[test]
fn mac_prefix_format_follows_upstream() {
    for ok in [
        "02",
        "BC:24",
        "bc:24:11:",
        "BC:24:11:a",
        "0e:1:"[..3].trim_end_matches(':'),
    ] {
        assert!(schema::check_mac_prefix(ok).is_ok(), "{ok}");
    }
    for bad in ["01", "BC:2:11", "BC:24:11:00", "BC:24:11:0:1", "zz"] {
        assert!(schema::check_mac_prefix(bad).is_err(), "{bad}");
    }
}

/// A valid `key: value` line.
fn arb_line() -> impl Strategy<Value = String> {
    let simple = prop_oneof![
        proptest::sample::select(schema::KEYBOARD_LAYOUTS).prop_map(|k| format!("keyboard: {k}")),
        proptest::sample::select(schema::LANGUAGES).prop_map(|k| format!("language: {k}")),
        (1i64..64).prop_map(|n| format!("max_workers: {n}")),
        proptest::sample::select(&["vv", "html5", "xtermjs"][..])
            .prop_map(|c| format!("console: {c}")),
        proptest::sample::select(&["watchdog", "hardware", "both"][..])
            .prop_map(|c| format!("fencing: {c}")),
        "[a-z]{1,8}".prop_map(|h| format!("http_proxy: http://{h}:3128/")),
        "[a-z]{1,8}".prop_map(|u| format!("email_from: {u}@example.com")),
        "[0-9a-f][02468ace](:[0-9a-f]{2}){0,2}".prop_map(|m| format!("mac_prefix: {m}")),
        "[ -~]{1,40}".prop_map(|t| format!("consent-text: {}", t.trim())),
    ];
    let structured = prop_oneof![
        (any::<bool>(), 0u8..=24).prop_map(|(s, n)| format!(
            "migration: {},network=10.{n}.0.0/16",
            if s { "secure" } else { "insecure" }
        )),
        (100i64..5000, 5000i64..100_000).prop_map(|(l, u)| format!("next-id: lower={l},upper={u}")),
        proptest::sample::select(&["freeze", "failover", "conditional", "migrate"][..])
            .prop_map(|p| format!("ha: shutdown_policy={p}")),
        (
            proptest::sample::select(&["basic", "static", "dynamic"][..]),
            any::<bool>()
        )
            .prop_map(|(m, b)| format!("crs: ha={m},ha-rebalance-on-start={}", u8::from(b))),
        (0u32..1000, 0u32..1000).prop_map(|(a, b)| format!("bwlimit: default={a},restore={b}")),
        proptest::collection::vec("[a-z][a-z0-9]{0,5}", 1..4)
            .prop_map(|t| format!("registered-tags: {}", t.join(";"))),
        (
            proptest::sample::select(&["full", "circle", "dense", "none"][..]),
            any::<bool>()
        )
            .prop_map(|(s, c)| format!("tag-style: shape={s},case-sensitive={}", u8::from(c))),
        "[a-z]{1,8}"
            .prop_map(|d| format!("webauthn: rp={d},id={d}.example.com,allow-subdomains=1")),
        proptest::collection::vec("[a-z][a-z0-9]{0,5}", 1..4).prop_map(|t| format!(
            "user-tag-access: user-allow=existing,user-allow-list={}",
            t.join(";")
        )),
    ];
    prop_oneof![simple, structured]
}

proptest! {
    #[test]
    fn datacenter_cfg_round_trips(
        notes in proptest::collection::vec("[ -~äß]{0,20}", 0..3),
        lines in proptest::collection::vec(arb_line(), 0..10),
    ) {
        let mut text: String = notes.iter().map(|n| format!("#{}\n", encode_text(n))).collect();
        text.push('\n');
        for l in &lines {
            text.push_str(l);
            text.push('\n');
        }
        let cfg = DatacenterConfig::parse("datacenter.cfg", &text).expect("generated file is valid");
        let written = cfg.write();
        let back = DatacenterConfig::parse("datacenter.cfg", &written).expect("canonical output parses");
        prop_assert_eq!(&back, &cfg);
        prop_assert_eq!(back.write(), written);
    }

    #[test]
    fn datacenter_parser_never_panics(text in "[ -~\n#:=,;]{0,200}") {
        let (cfg, _) = DatacenterConfig::parse_lenient("datacenter.cfg", &text);
        let again = cfg.write();
        DatacenterConfig::parse("datacenter.cfg", &again).expect("canonical output parses");
    }
}
