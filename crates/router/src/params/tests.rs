use super::*;
use serde_json::json;

fn map(v: Value) -> Map<String, Value> {
    v.as_object().cloned().unwrap_or_default()
}

fn schema() -> ObjectSchema {
    let s = Schema::from_pve_json(&json!({
        "type": "object",
        "additionalProperties": 0,
        "properties": {
            "vmid": {"type": "integer", "minimum": 100},
            "onboot": {"type": "boolean", "optional": 1},
            "ratio": {"type": "number", "optional": 1},
            "delete": {"type": "string", "format": "pve-configid-list", "optional": 1},
            "command": {"type": "array", "items": {"type": "string"}, "optional": 1}
        }
    }))
    .unwrap();
    match s {
        Schema::Object(o) => o,
        _ => unreachable!("object schema"),
    }
}

#[test]
fn query_wins_over_body() {
    let m = merge_params(
        Map::new(),
        map(json!({"a": "body"})),
        map(json!({"a": "query"})),
    )
    .unwrap();
    assert_eq!(m["a"], "query");
}

#[test]
fn conflicting_uri_placeholder_is_a_duplicate_parameter() {
    let e = merge_params(
        map(json!({"vmid": "100"})),
        map(json!({"vmid": "101"})),
        Map::new(),
    )
    .unwrap_err();
    assert_eq!(e.status, 400);
    assert_eq!(
        e.errors["vmid"],
        "duplicate parameter (already defined in URI) with conflicting values!"
    );
    let ok = merge_params(
        map(json!({"vmid": "100"})),
        map(json!({"vmid": "100"})),
        Map::new(),
    );
    assert!(ok.is_ok());
}

#[test]
fn wire_strings_become_typed_values() {
    let v = prepare(
        map(json!({"vmid": "100", "onboot": "1", "ratio": "0.5", "command": "ls"})),
        &schema(),
    )
    .unwrap();
    assert_eq!(
        v,
        json!({"vmid": 100, "onboot": true, "ratio": 0.5, "command": ["ls"]})
    );
}

#[test]
fn string_true_for_a_boolean_fails_verification() {
    let e = prepare(map(json!({"vmid": "100", "onboot": "true"})), &schema()).unwrap_err();
    assert_eq!(e.reason(), "Parameter verification failed.");
    assert_eq!(
        e.errors["onboot"],
        "type check ('boolean') failed - got 'true'"
    );
}

#[test]
fn array_for_a_list_format_is_joined() {
    let v = prepare(
        map(json!({"vmid": 100, "delete": ["net0", "ide2"]})),
        &schema(),
    )
    .unwrap();
    assert_eq!(v["delete"], "net0,ide2");
}

#[test]
fn unknown_parameter_is_rejected() {
    let e = prepare(map(json!({"vmid": 100, "bogus": 1})), &schema()).unwrap_err();
    assert!(e.errors.contains_key("bogus"), "{e:?}");
}

#[test]
fn booleans_go_out_as_numbers_and_absent_members_are_left_out() {
    assert_eq!(
        to_wire(json!({"a": true, "b": [false, {"c": true}], "d": "x", "e": null})),
        json!({"a": 1, "b": [0, {"c": 1}], "d": "x"})
    );
    assert_eq!(to_wire(Value::Null), Value::Null);
}
