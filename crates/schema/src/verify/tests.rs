use super::*;
use serde_json::json;

fn params() -> Schema {
    Schema::from_pve_json(&json!({
        "type": "object",
        "additionalProperties": 0,
        "properties": {
            "vmid": {"type": "integer", "format": "pve-vmid", "minimum": 100, "maximum": 999999999},
            "cores": {"type": "integer", "optional": 1, "minimum": 1},
            "name": {"type": "string", "optional": 1, "format": "dns-name", "maxLength": 8},
            "tag": {"type": "string", "optional": 1, "pattern": "[a-z]+"},
            "ostype": {"type": "string", "optional": 1, "enum": ["l26", "win11"]},
            "onboot": {"type": "boolean", "optional": 1},
            "hostname": {"alias": "name"},
            "net0": {"type": "string", "optional": 1, "format": {
                "model": {"type": "string", "default_key": 1, "enum": ["virtio"]},
                "bridge": {"type": "string", "optional": 1}
            }},
            "list": {"type": "array", "optional": 1, "items": {"type": "integer"}}
        }
    }))
    .expect("valid schema")
}

fn errors(value: Value) -> Vec<(String, String)> {
    match verify(&value, &params()) {
        Ok(()) => Vec::new(),
        Err(e) => e.0.into_iter().collect(),
    }
}

fn one(key: &str, msg: &str) -> Vec<(String, String)> {
    vec![(key.to_string(), msg.to_string())]
}

#[test]
fn verify_accepts_valid_parameters() {
    let value = json!({"vmid": "100", "cores": 2, "onboot": true, "net0": "virtio,bridge=vmbr0",
                       "list": [1, "2"], "hostname": "web"});
    assert_eq!(errors(value), vec![]);
}

#[test]
fn verify_reports_upstream_wording_per_parameter() {
    assert_eq!(
        errors(json!({"vmid": 100, "cores": 0})),
        one("cores", "value must have a minimum value of 1")
    );
    assert_eq!(
        errors(json!({"vmid": 100, "cores": "abc"})),
        one("cores", "type check ('integer') failed - got 'abc'")
    );
    assert_eq!(
        errors(json!({"vmid": 100, "tag": "A1"})),
        one("tag", "value does not match the regex pattern")
    );
    assert_eq!(
        errors(json!({"vmid": 100, "ostype": "x"})),
        one(
            "ostype",
            "value 'x' does not have a value in the enumeration 'l26, win11'"
        )
    );
    assert_eq!(
        errors(json!({"vmid": 100, "name": "abcdefghij"})),
        one("name", "value may only be 8 characters long")
    );
    assert_eq!(
        errors(json!({"vmid": 100, "onboot": "true"})),
        one("onboot", "type check ('boolean') failed - got 'true'")
    );
    assert_eq!(
        errors(json!({})),
        one("vmid", "property is missing and it is not optional")
    );
    assert_eq!(
        errors(json!({"vmid": 100, "foo": 1})),
        one(
            "foo",
            "property is not defined in schema and the schema does not allow additional properties"
        )
    );
}

#[test]
fn verify_checks_format_before_range() {
    assert_eq!(
        errors(json!({"vmid": 99})),
        one(
            "vmid",
            "invalid format - value does not look like a valid VM ID\n"
        )
    );
}

#[test]
fn verify_nested_property_string_names_inner_key() {
    assert_eq!(
        errors(json!({"vmid": 100, "net0": "e1000"})),
        one(
            "net0",
            "invalid format - format error\nnet0.model: value 'e1000' does not have a value in the enumeration 'virtio'\n"
        )
    );
}

#[test]
fn verify_alias_and_target_together_is_an_error() {
    assert_eq!(
        errors(json!({"vmid": 100, "name": "a", "hostname": "b"})),
        one(
            "hostname",
            "cannot set both 'hostname' and its alias target 'name'"
        )
    );
}

#[test]
fn verify_array_items_and_non_scalar_values() {
    assert_eq!(
        errors(json!({"vmid": 100, "list": [1, "x"]})),
        one("list[1]", "type check ('integer') failed - got 'x'")
    );
    assert_eq!(
        errors(json!({"vmid": 100, "list": 1})),
        one("list", "type check ('array') failed")
    );
    assert_eq!(
        errors(json!({"vmid": [1]})),
        one("vmid", "type check ('integer') failed - got ARRAY")
    );
}

#[test]
fn verify_root_errors_are_under_root_key() {
    let err = verify(&json!("x"), &params()).expect_err("not an object");
    assert_eq!(
        err.0.get("_root").map(String::as_str),
        Some("type check ('object') failed")
    );
    assert!(err
        .to_string()
        .starts_with("Parameter verification failed.\n"));
}
