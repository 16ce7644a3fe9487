//! Fuzzes the property-string parser with a drive-like and a NIC-like format: any
//! accepted input must print canonically and parse back to the same map.
#![no_main]
use libfuzzer_sys::fuzz_target;
use serde_json::json;
use virton_schema::{parse_property_string, print_property_string, ObjectSchema};

fn formats() -> Vec<ObjectSchema> {
    let defs = [
        json!({
            "file": {"type": "string", "default_key": 1},
            "cache": {"type": "string", "optional": 1, "enum": ["none", "writeback"]},
            "iops": {"type": "integer", "optional": 1, "minimum": 10},
            "rate": {"type": "number", "optional": 1},
            "discard": {"type": "boolean", "optional": 1},
            "size": {"type": "string", "optional": 1, "format": "disk-size"},
            "rate_mb": {"alias": "rate"}
        }),
        json!({
            "model": {"type": "string", "default_key": 1, "enum": ["e1000", "virtio"]},
            "macaddr": {"type": "string", "optional": 1, "format": "mac-addr"},
            "bridge": {"type": "string", "optional": 1},
            "virtio": {"alias": "macaddr", "keyAlias": "model"},
            "e1000": {"alias": "macaddr", "keyAlias": "model"}
        }),
    ];
    defs.iter()
        .filter_map(|d| ObjectSchema::from_pve_json(d).ok())
        .collect()
}

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        for format in formats() {
            if let Ok(map) = parse_property_string(text, &format) {
                let again = print_property_string(&map, &format).expect("parsed map prints");
                let back =
                    parse_property_string(&again, &format).expect("canonical output reparses");
                assert_eq!(back, map, "round trip of {text:?} via {again:?}");
            }
        }
    }
});
