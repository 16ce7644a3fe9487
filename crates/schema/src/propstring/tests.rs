use super::*;
use proptest::prelude::*;
use serde_json::json;

/// A drive-like format: default key `file`, enum, integer range, boolean, disk size,
/// an alias, and a key alias pair as in the NIC format.
fn drive() -> ObjectSchema {
    ObjectSchema::from_pve_json(&json!({
        "file": {"type": "string", "default_key": 1, "format": "pve-volume-id-or-qm-path"},
        "cache": {"type": "string", "optional": 1, "enum": ["none", "writeback"]},
        "iops": {"type": "integer", "optional": 1, "minimum": 10},
        "rate": {"type": "number", "optional": 1, "minimum": 0},
        "discard": {"type": "boolean", "optional": 1},
        "size": {"type": "string", "optional": 1, "format": "disk-size"},
        "rate_mb": {"alias": "rate"},
    }))
    .expect("valid format")
}

fn nic() -> ObjectSchema {
    ObjectSchema::from_pve_json(&json!({
        "model": {"type": "string", "default_key": 1, "enum": ["e1000", "virtio"]},
        "macaddr": {"type": "string", "optional": 1, "format": "mac-addr"},
        "bridge": {"type": "string", "optional": 1},
        "virtio": {"alias": "macaddr", "keyAlias": "model"},
        "e1000": {"alias": "macaddr", "keyAlias": "model"},
    }))
    .expect("valid format")
}

fn err(input: &str, format: &ObjectSchema) -> String {
    parse_property_string(input, format)
        .expect_err("input must be rejected")
        .to_string()
}

#[test]
fn parse_drive_types_values_and_keeps_schema_order() {
    let map = parse_property_string("discard=on,local:vm-100-disk-0,iops=20,rate=1.5", &drive())
        .expect("parses");
    assert_eq!(
        Value::Object(map),
        json!({"file": "local:vm-100-disk-0", "iops": 20, "rate": 1.5, "discard": true})
    );
}

#[test]
fn parse_alias_stores_value_under_target() {
    let map = parse_property_string("st:1,rate_mb=10", &drive()).expect("parses");
    assert_eq!(map.get("rate"), Some(&json!(10)));
    assert!(!map.contains_key("rate_mb"));
}

#[test]
fn parse_key_alias_sets_both_properties() {
    let map =
        parse_property_string("virtio=BC:24:11:00:00:01,bridge=vmbr0", &nic()).expect("parses");
    assert_eq!(
        Value::Object(map),
        json!({"model": "virtio", "macaddr": "BC:24:11:00:00:01", "bridge": "vmbr0"})
    );
}

#[test]
fn parse_syntax_errors_use_upstream_wording() {
    let f = drive();
    assert_eq!(
        err("st:1,file=b:2", &f),
        "duplicate key in comma-separated list property: file"
    );
    assert_eq!(
        err("st:1,b:2", &f),
        "duplicate key in comma-separated list property: file"
    );
    assert_eq!(
        err("st:1,iops=", &f),
        "missing key in comma-separated list property"
    );
    assert_eq!(
        err("st:1,foo=1", &f),
        "invalid key in comma-separated list property: foo"
    );
    assert_eq!(
        err("st:1,rate=1,rate_mb=2", &f),
        "key 'rate' is already defined (via alias)"
    );
    assert_eq!(
        err("virtio=BC:24:11:00:00:01,e1000=BC:24:11:00:00:02", &nic()),
        "key alias 'model' is already defined"
    );
}

#[test]
fn parse_value_errors_are_format_errors_per_key() {
    let e = parse_property_string("st:1,iops=5,cache=bogus", &drive()).expect_err("rejected");
    assert_eq!(
        e.errors.get("iops").map(String::as_str),
        Some("value must have a minimum value of 10")
    );
    assert_eq!(
        e.errors.get("cache").map(String::as_str),
        Some("value 'bogus' does not have a value in the enumeration 'none, writeback'")
    );
    assert!(e.to_string().starts_with("format error\n"));
    assert_eq!(
        err("iops=20", &drive()),
        "format error\nfile: property is missing and it is not optional"
    );
    assert_eq!(
        err("st:1,iops=abc", &drive()),
        "format error\niops: type check ('integer') failed - got 'abc'"
    );
}

#[test]
fn parse_bad_named_format_reports_invalid_format() {
    let e = parse_property_string("virtio=01:00:00:00:00:00", &nic()).expect_err("multicast");
    assert_eq!(
        e.errors.get("macaddr").map(String::as_str),
        Some("invalid format - value does not look like a valid unicast MAC address\n")
    );
}

#[test]
fn parse_default_key_overwrites_a_false_value_like_upstream() {
    let f = ObjectSchema::from_pve_json(&json!({"enabled": {"type": "boolean", "default_key": 1}}))
        .expect("valid");
    let map = parse_property_string("enabled=0,1", &f).expect("parses");
    assert_eq!(map.get("enabled"), Some(&json!(true)));
    assert!(parse_property_string("enabled=1,0", &f).is_err());
}

#[test]
fn print_writes_default_then_required_then_sorted_optional() {
    let map = parse_property_string("size=32G,cache=none,st:1,discard=1,iops=10", &drive())
        .expect("parses");
    let text = print_property_string(&map, &drive()).expect("prints");
    assert_eq!(text, "st:1,cache=none,discard=1,iops=10,size=32G");
}

#[test]
fn print_combines_key_alias_pair() {
    let map = json!({"model": "virtio", "macaddr": "BC:24:11:00:00:01", "bridge": "vmbr0"});
    let text = print_property_string(map.as_object().expect("object"), &nic()).expect("prints");
    assert_eq!(text, "virtio=BC:24:11:00:00:01,bridge=vmbr0");
}

#[test]
fn print_formats_disk_size_numbers_and_rejects_commas() {
    let map = json!({"file": "st:1", "size": 34359738368u64});
    assert_eq!(
        print_property_string(map.as_object().expect("object"), &drive()).expect("prints"),
        "st:1,size=32G"
    );
    let map = json!({"file": "st:1,b"});
    let e = print_property_string(map.as_object().expect("object"), &drive()).expect_err("comma");
    assert_eq!(e.to_string(), "illegal value with commas for file");
}

#[test]
fn print_checks_values_and_keys() {
    let map = json!({"file": "st:1", "iops": 1});
    let e = print_property_string(map.as_object().expect("object"), &drive()).expect_err("range");
    assert_eq!(e.key.as_deref(), Some("iops"));
    let map = json!({"file": "st:1", "bogus": 1});
    let e = print_property_string(map.as_object().expect("object"), &drive()).expect_err("key");
    assert_eq!(e.to_string(), "invalid key 'bogus'");
}

#[test]
fn print_default_value_with_equals_keeps_its_key() {
    let f = ObjectSchema::from_pve_json(&json!({"path": {"type": "string", "default_key": 1}}))
        .expect("valid");
    let map = json!({"path": "/a=b"});
    let text = print_property_string(map.as_object().expect("object"), &f).expect("prints");
    assert_eq!(text, "path=/a=b");
    assert_eq!(
        parse_property_string(&text, &f).expect("parses"),
        *map.as_object().expect("o")
    );
}

/// A generated property: its JSON definition and a strategy for its values.
fn property_strategy() -> impl Strategy<Value = (Value, BoxedStrategy<Value>)> {
    prop_oneof![
        Just((
            json!({"type": "boolean"}),
            any::<bool>().prop_map(Value::from).boxed()
        )),
        Just((
            json!({"type": "integer", "minimum": -5, "maximum": 1000}),
            (-5i64..=1000).prop_map(Value::from).boxed()
        )),
        Just((
            json!({"type": "number"}),
            (-1e6f64..1e6)
                .prop_map(|f| Value::from(number_value(&f.to_string())))
                .boxed()
        )),
        Just((
            json!({"type": "string", "enum": ["a", "b", "c"]}),
            prop::sample::select(vec!["a", "b", "c"])
                .prop_map(Value::from)
                .boxed()
        )),
        Just((
            json!({"type": "string"}),
            "[^,=\\s][^,\n]{0,12}".prop_map(Value::from).boxed()
        )),
    ]
}

/// A generated format (with a default key on the first property) and a value map.
fn format_and_values() -> impl Strategy<Value = (ObjectSchema, Map<String, Value>)> {
    prop::collection::vec((property_strategy(), any::<bool>()), 1..6).prop_flat_map(|props| {
        let mut defs = Map::new();
        let mut values = Vec::new();
        for (i, ((mut def, values_of), present)) in props.into_iter().enumerate() {
            if let Some(obj) = def.as_object_mut() {
                obj.insert("optional".into(), json!(1));
                if i == 0 {
                    obj.insert("default_key".into(), json!(1));
                }
            }
            let key = format!("k{i}");
            defs.insert(key.clone(), def);
            values.push((Just(key), values_of, Just(present)));
        }
        let format = ObjectSchema::from_pve_json(&Value::Object(defs)).expect("generated format");
        (Just(format), values).prop_map(|(format, values)| {
            let map = values
                .into_iter()
                .filter(|(_, _, present)| *present)
                .map(|(k, v, _)| (k, v))
                .collect();
            (format, map)
        })
    })
}

fn sorted(map: &Map<String, Value>) -> Vec<(String, Value)> {
    let mut v: Vec<_> = map.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
    v.sort_by(|a, b| a.0.cmp(&b.0));
    v
}

proptest! {
    #[test]
    fn parse_of_print_is_identity((format, map) in format_and_values()) {
        let text = print_property_string(&map, &format).expect("generated map prints");
        let back = parse_property_string(&text, &format).expect("printed text parses");
        prop_assert_eq!(sorted(&back), sorted(&map), "text {:?}", text);
    }

    #[test]
    fn parse_never_panics(input in "\\PC{0,40}") {
        let _ = parse_property_string(&input, &drive());
        let _ = parse_property_string(&input, &nic());
    }

    #[test]
    fn accepted_input_prints_and_reparses_identically(
        parts in prop::collection::vec(prop::sample::select(vec![
            "st:1", " st:2\n", "cache=none", "iops=10", "iops=+12", "rate=1.50", "rate=1e3",
            "rate_mb=2", "discard=on", "discard=No", "size=1.5G", "size=0", "", " ",
            "virtio=BC:24:11:00:00:01", "e1000", "model=virtio", "bridge=vmbr0", "macaddr=02:00:00:00:00:01",
        ]), 0..6)
    ) {
        let input = parts.join(",");
        for format in [drive(), nic()] {
            if let Ok(map) = parse_property_string(&input, &format) {
                let text = print_property_string(&map, &format).expect("parsed map prints");
                let back = parse_property_string(&text, &format).expect("printed text parses");
                prop_assert_eq!(back, map, "{:?} -> {:?}", input, text);
            }
        }
    }
}
