use super::*;
use crate::Document;
use proptest::prelude::*;

const THREE_NODES: &str = include_str!("../../tests/fixtures/corosync/three-nodes.conf");
const THREE_NODES_CANONICAL: &str =
    include_str!("../../tests/fixtures/corosync/three-nodes.canonical");

fn parse(text: &str) -> Result<CorosyncConf, ParseError> {
    CorosyncConf::parse("corosync.conf", text)
}

#[test]
fn write_sorts_keys_nodes_and_interfaces() {
    let conf = parse(THREE_NODES).unwrap();
    assert_eq!(conf.write(), THREE_NODES_CANONICAL);
}

#[test]
fn canonical_text_writes_back_unchanged() {
    let conf = parse(THREE_NODES_CANONICAL).unwrap();
    assert_eq!(conf.write(), THREE_NODES_CANONICAL);
}

#[test]
fn typed_accessors_read_totem_and_nodes() {
    let conf = parse(THREE_NODES).unwrap();
    assert_eq!(conf.cluster_name(), Some("lab"));
    assert_eq!(conf.config_version(), Some(7));
    assert_eq!(conf.interface_linknumbers(), vec![0, 1]);
    let nodes = conf.nodes();
    let names: Vec<_> = nodes.iter().map(|n| n.name.as_str()).collect();
    assert_eq!(names, ["pve1", "pve2", "pve3"]);
    assert_eq!(nodes[1].nodeid, Some(2));
    assert_eq!(nodes[1].quorum_votes, Some(2));
    assert_eq!(nodes[1].links.get(&1).map(String::as_str), Some("10.1.0.2"));
}

#[test]
fn bump_config_version_increments_and_changes_document() {
    let mut doc = Document::<CorosyncConf>::parse("corosync.conf", THREE_NODES).unwrap();
    assert_eq!(doc.write(), THREE_NODES);
    assert_eq!(doc.bump_config_version(), Ok(8));
    assert!(doc.write().contains("  config_version: 8\n"));
}

#[test]
fn bump_config_version_without_version_fails() {
    let mut conf = parse("totem {\n  cluster_name: x\n}\n").unwrap();
    let err = conf.bump_config_version().unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid corosync config: unable to read config version"
    );
}

#[test]
fn nodes_without_name_are_keyed_by_ring0_addr() {
    let text = "nodelist {\n node {\n  ring0_addr: b\n }\n node {\n  ring0_addr: a\n }\n}\n";
    let conf = parse(text).unwrap();
    let names: Vec<_> = conf.nodes().into_iter().map(|n| n.name).collect();
    assert_eq!(names, ["a", "b"]);
}

#[test]
fn duplicate_node_name_keeps_last_block() {
    let text =
        "nodelist {\n node {\n  name: a\n  nodeid: 1\n }\n node {\n  name: a\n  nodeid: 2\n }\n}\n";
    let nodes = parse(text).unwrap().nodes();
    assert_eq!(nodes.len(), 1);
    assert_eq!(nodes[0].nodeid, Some(2));
}

#[test]
fn missing_totem_and_nodelist_are_written_empty() {
    let conf = parse("quorum {\n provider: corosync_votequorum\n}\n").unwrap();
    assert_eq!(
        conf.write(),
        "nodelist {\n}\n\nquorum {\n  provider: corosync_votequorum\n}\n\ntotem {\n}\n\n"
    );
}

#[test]
fn upsert_node_replaces_by_name_and_keeps_order() {
    let mut conf = parse(THREE_NODES).unwrap();
    let mut node = CorosyncSection::new();
    node.set_scalar("name", "pve0");
    node.set_scalar("nodeid", "4");
    conf.upsert_node(node.clone());
    node.set_scalar("nodeid", "5");
    conf.upsert_node(node);
    let nodes = conf.nodes();
    assert_eq!(nodes.len(), 4);
    assert_eq!(nodes[0].name, "pve0");
    assert_eq!(nodes[0].nodeid, Some(5));
}

#[test]
fn unexpected_close_brace_is_rejected_with_line() {
    let err = parse("totem {\n}\n}\n").unwrap_err();
    assert_eq!(err.line, Some(3));
    assert_eq!(err.message, "parse error - uncexpected '}'");
}

#[test]
fn key_without_colon_is_rejected() {
    let err = parse("totem {\n  version 2\n}\n").unwrap_err();
    assert_eq!(err.line, Some(2));
    assert_eq!(err.message, "missing ':' after key 'version'");
}

#[test]
fn key_without_value_is_rejected() {
    let err = parse("logging {\n}\ndebug:").unwrap_err();
    assert_eq!(err.line, Some(3));
    assert_eq!(err.message, "parse error - no value for 'debug'");
    assert_eq!(err.key.as_deref(), Some("debug"));
}

#[test]
fn repeated_plain_block_is_rejected() {
    let err = parse("quorum {\n}\nquorum {\n}\n").unwrap_err();
    assert_eq!(err.line, Some(3));
    assert_eq!(
        err.message,
        "section 'quorum' already exists and not marked as array!"
    );
}

#[test]
fn unclosed_block_is_accepted_like_upstream() {
    let conf = parse("totem {\n  config_version: 3\n").unwrap();
    assert_eq!(conf.config_version(), Some(3));
}

#[test]
fn comments_and_empty_input_are_handled() {
    assert_eq!(parse("").unwrap(), CorosyncConf::default());
    let conf = parse("# only a comment\n").unwrap();
    assert_eq!(conf, CorosyncConf::default());
}

#[test]
fn nodelist_as_value_is_rejected() {
    assert!(parse("nodelist: x\n").is_err());
    assert!(parse("nodelist {\n  node: x\n}\n").is_err());
}

fn token() -> impl Strategy<Value = String> {
    "[a-z_0-9.:-]{1,8}"
}

fn plain_key() -> impl Strategy<Value = String> {
    "[a-z_]{1,8}".prop_filter("list names hold lists", |k| {
        !LIST_SECTIONS.contains(&k.as_str()) && k != "nodelist" && k != "totem"
    })
}

fn section(depth: u32) -> BoxedStrategy<CorosyncSection> {
    let scalars = prop::collection::btree_map(plain_key(), token(), 0..4);
    if depth == 0 {
        return scalars.prop_map(from_scalars).boxed();
    }
    let children = prop::collection::btree_map(plain_key(), section(depth - 1), 0..2);
    let lists = prop::collection::vec(section(depth - 1), 0..3);
    (scalars, children, lists)
        .prop_map(|(scalars, children, lists)| {
            let mut s = from_scalars(scalars);
            for (k, child) in children {
                s.insert(k, CorosyncValue::Section(child));
            }
            if !lists.is_empty() {
                s.insert("interface", CorosyncValue::List(lists));
            }
            s
        })
        .boxed()
}

fn from_scalars(map: std::collections::BTreeMap<String, String>) -> CorosyncSection {
    let mut s = CorosyncSection::new();
    for (k, v) in map {
        s.set_scalar(k, v);
    }
    s
}

prop_compose! {
    fn conf_strategy()(
        mut main in section(2),
        mut totem in section(1),
        nodes in prop::collection::vec(section(0), 0..4),
        names in prop::collection::vec(token(), 4),
    ) -> CorosyncConf {
        let mut nodelist = CorosyncSection::new();
        let nodes: Vec<_> = nodes.into_iter().zip(names).map(|(mut n, name)| {
            n.set_scalar("name", name);
            n
        }).collect();
        if !nodes.is_empty() {
            nodelist.insert("node", CorosyncValue::List(nodes));
        }
        totem.set_scalar("config_version", "1");
        main.insert("nodelist", CorosyncValue::Section(nodelist));
        main.insert("totem", CorosyncValue::Section(totem));
        CorosyncConf::from_main(main)
    }
}

proptest! {
    #[test]
    fn write_then_parse_gives_same_model(conf in conf_strategy()) {
        let text = conf.write();
        prop_assert_eq!(parse(&text), Ok(conf), "{}", text);
    }

    #[test]
    fn arbitrary_text_never_panics_and_canonical_reparses(text in "[a-z{}:#\n 0-9]{0,60}") {
        if let Ok(conf) = parse(&text) {
            let again = parse(&conf.write()).unwrap();
            prop_assert_eq!(again.write(), conf.write());
        }
    }

    #[test]
    fn any_unicode_text_never_panics(text in "\\PC{0,40}") {
        if let Ok(conf) = parse(&text) {
            prop_assert!(parse(&conf.write()).is_ok());
        }
    }
}

#[test]
fn closing_brace_before_an_opening_brace_closes_the_block() {
    // Found by fuzzing: `} {` used to open a block named `}`, so the writer's output of a
    // block named `{` did not read back.
    let e = CorosyncConf::parse("c", "a {\n}\n{ {\n}\n").unwrap_err();
    assert_eq!(e.line, Some(3));
    assert!(e.message.contains("unexpected '{'"), "{e}");
    let ok = CorosyncConf::parse("c", "a {\n  b: 1\n}\nc {\n  d: 2\n}\n").unwrap();
    assert_eq!(
        ok.write(),
        CorosyncConf::parse("c", &ok.write()).unwrap().write()
    );
}
