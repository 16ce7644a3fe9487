use super::*;
use crate::{check_format, verify};
use serde::{Deserialize, Serialize};

/// How the host caches a disk.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, crate::ApiType)]
#[serde(rename_all = "lowercase")]
enum CacheMode {
    None,
    Writethrough,
    Writeback,
    Unsafe,
    Directsync,
}

/// A test disk.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, crate::ApiType)]
#[serde(rename_all = "kebab-case")]
struct Drive {
    /// The backing volume.
    #[api(default_key, format = "pve-volume-id-or-qm-path")]
    file: String,
    cache: Option<CacheMode>,
    #[api(minimum = 1, maximum = 4094)]
    tag: Option<u16>,
    #[api(alias = "rate_mb")]
    rate: Option<f64>,
    #[api(pattern = r"\d+[KMGT]?", typetext = "<size>", default = "32G")]
    size: Option<String>,
    discard: Option<bool>,
    iops_rd_max: Option<u32>,
    #[serde(skip)]
    ignored: u8,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, crate::ApiType)]
#[serde(rename_all = "lowercase")]
enum NicModel {
    E1000,
    Virtio,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, crate::ApiType)]
struct Nic {
    #[api(default_key)]
    model: NicModel,
    #[api(keyalias = "model", format = "mac-addr")]
    macaddr: Option<String>,
    bridge: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, crate::ApiType)]
struct Vm {
    net0: Option<PropertyString<Nic>>,
    #[api(minimum = 1, maximum = 128)]
    cores: u32,
}

fn drive(text: &str) -> Result<Drive, PropertyStringError> {
    from_property_string(text)
}

#[test]
fn derived_drive_schema_has_docs_names_and_constraints() {
    let Schema::Object(object) = Drive::api_schema() else {
        panic!("object schema expected")
    };
    assert_eq!(object.description.as_deref(), Some("A test disk."));
    assert_eq!(object.default_key(), Some("file"));
    let keys: Vec<&str> = object.properties.keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "file",
            "cache",
            "tag",
            "rate",
            "rate_mb",
            "size",
            "discard",
            "iops-rd-max"
        ]
    );
    let file = object.property("file").expect("file");
    assert!(!file.optional);
    assert_eq!(file.schema.description(), Some("The backing volume."));
    let Schema::Integer(tag) = &object.property("tag").expect("tag").schema else {
        panic!("integer expected")
    };
    assert_eq!((tag.minimum, tag.maximum), (Some(1), Some(4094)));
    let Schema::String(cache) = &object.property("cache").expect("cache").schema else {
        panic!("string expected")
    };
    assert_eq!(
        cache.description.as_deref(),
        Some("How the host caches a disk.")
    );
    assert_eq!(cache.enum_values.as_ref().map(Vec::len), Some(5));
}

#[test]
fn drive_round_trips_through_property_string() {
    let d = drive("local:vm-100-disk-0,cache=writeback,discard=on,rate_mb=10.5,size=32G,tag=5")
        .expect("parses");
    assert_eq!(
        d,
        Drive {
            file: "local:vm-100-disk-0".into(),
            cache: Some(CacheMode::Writeback),
            tag: Some(5),
            rate: Some(10.5),
            size: Some("32G".into()),
            discard: Some(true),
            iops_rd_max: None,
            ignored: 0,
        }
    );
    let text = to_property_string(&d).expect("prints");
    assert_eq!(
        text,
        "local:vm-100-disk-0,cache=writeback,discard=1,rate=10.5,size=32G,tag=5"
    );
    assert_eq!(drive(&text).expect("reparses"), d);
}

#[test]
fn drive_errors_use_upstream_wording() {
    let e = drive("local:1,bogus=1").expect_err("unknown key");
    assert_eq!(
        e.to_string(),
        "invalid key in comma-separated list property: bogus"
    );
    let e = drive("local:1,tag=5000").expect_err("range");
    assert_eq!(
        e.errors.get("tag").map(String::as_str),
        Some("value must have a maximum value of 4094")
    );
    let e = drive("local:1,cache=fast").expect_err("enum");
    assert_eq!(
        e.errors.get("cache").map(String::as_str),
        Some("value 'fast' does not have a value in the enumeration 'none, writethrough, writeback, unsafe, directsync'")
    );
    let e = drive("local:1,discard=maybe").expect_err("bool");
    assert_eq!(
        e.errors.get("discard").map(String::as_str),
        Some("type check ('boolean') failed - got 'maybe'")
    );
    let e = drive("local:1,size=big").expect_err("pattern");
    assert_eq!(
        e.errors.get("size").map(String::as_str),
        Some("value does not match the regex pattern")
    );
    let e = drive("cache=none").expect_err("missing file");
    assert_eq!(e.key.as_deref(), Some("file"));
}

#[test]
fn key_alias_field_accepts_model_as_key() {
    let nic: Nic = from_property_string("virtio=BC:24:11:00:00:01,bridge=vmbr0").expect("parses");
    assert_eq!(nic.model, NicModel::Virtio);
    assert_eq!(nic.macaddr.as_deref(), Some("BC:24:11:00:00:01"));
    assert_eq!(
        to_property_string(&nic).expect("prints"),
        "virtio=BC:24:11:00:00:01,bridge=vmbr0"
    );
}

#[test]
fn property_string_field_nests_in_json_and_verify() {
    let vm: Vm = serde_json::from_value(serde_json::json!({"net0": "e1000", "cores": 2}))
        .expect("deserializes");
    assert_eq!(vm.net0.as_ref().map(|n| n.model), Some(NicModel::E1000));
    assert_eq!(
        serde_json::to_value(&vm).expect("serializes"),
        serde_json::json!({"net0": "e1000", "cores": 2})
    );
    let err = verify(
        &serde_json::json!({"net0": "rtl", "cores": 0}),
        Vm::api_schema(),
    )
    .expect_err("invalid");
    assert_eq!(
        err.0.get("cores").map(String::as_str),
        Some("value must have a minimum value of 1")
    );
    assert!(err
        .0
        .get("net0")
        .is_some_and(|m| m.starts_with("invalid format - format error\nnet0.model")));
}

#[test]
fn primitive_and_generic_schemas() {
    assert_eq!(bool::api_schema().type_name(), "boolean");
    assert_eq!(u16::api_schema().type_name(), "integer");
    assert_eq!(Vec::<String>::api_schema().type_name(), "array");
    assert!(std::ptr::eq(
        Vec::<String>::api_schema(),
        Vec::<String>::api_schema()
    ));
    assert!(!std::ptr::eq(
        Vec::<String>::api_schema(),
        Vec::<u8>::api_schema()
    ));
    assert_eq!(check_format("pve-volume-id", "local:1"), Ok(()));
}

#[test]
fn nested_generic_schemas_do_not_deadlock() {
    // Vec<Vec<u8>> builds Vec<u8>'s schema from inside its own cached build.
    let s = <Vec<Vec<u8>> as ApiType>::api_schema();
    assert_eq!(s.type_name(), "array");
    assert!(std::ptr::eq(s, <Vec<Vec<u8>> as ApiType>::api_schema()));
}
