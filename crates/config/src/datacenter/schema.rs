//! The `datacenter.cfg` schema: every key upstream accepts, with the property-string
//! formats of the structured ones, in upstream's JSON-schema dialect.

use serde_json::{json, Map, Value};
use std::sync::OnceLock;
use virton_schema::ObjectSchema;

/// The MAC prefix (Proxmox's IEEE OUI) upstream uses when none is configured.
pub const DEFAULT_MAC_PREFIX: &str = "BC:24:11";

/// Keyboard layouts upstream offers for the VNC server.
pub const KEYBOARD_LAYOUTS: &[&str] = &[
    "de", "de-ch", "da", "en-gb", "en-us", "es", "fi", "fr", "fr-be", "fr-ca", "fr-ch", "hu", "is",
    "it", "ja", "lt", "mk", "nl", "no", "pl", "pt", "pt-br", "sv", "sl", "tr",
];

/// Languages of the web interface.
pub const LANGUAGES: &[&str] = &[
    "ar", "ca", "da", "de", "en", "es", "eu", "fa", "fr", "hr", "he", "it", "ja", "ka", "kr", "nb",
    "nl", "nn", "pl", "pt_BR", "ru", "sl", "sv", "tr", "ukr", "zh_CN", "zh_TW",
];

/// Keys whose property-string value upstream's reader turns into a map.
pub const PARSED_PROPERTY_STRINGS: &[&str] = &[
    "crs",
    "migration",
    "replication",
    "next-id",
    "ha",
    "notify",
    "u2f",
    "webauthn",
    "tag-style",
    "user-tag-access",
];

const TAG_RE: &str = r"(?i:[a-z0-9_][a-z0-9_\-\+\.]*)";

fn tag_list_pattern() -> String {
    format!("(?:{TAG_RE};)*{TAG_RE}")
}

fn color_map_pattern() -> String {
    let color = "[0-9a-fA-F]{6}";
    let item = format!("(?:{TAG_RE}:{color}(?::{color})?)");
    format!("{item}(?:;{item})*")
}

fn network_format() -> Value {
    json!({
        "type": {"type": "string", "default_key": 1, "enum": ["secure", "insecure"], "default": "secure"},
        "network": {"type": "string", "format": "CIDR", "optional": 1},
    })
}

fn cluster_formats() -> Vec<(&'static str, Value)> {
    let pct = json!({"type": "number", "minimum": 0, "maximum": 100, "optional": 1});
    vec![
        (
            "crs",
            json!({
                "ha": {"type": "string", "enum": ["basic", "static", "dynamic"], "optional": 1},
                "ha-rebalance-on-start": {"type": "boolean", "optional": 1},
                "ha-auto-rebalance": {"type": "boolean", "optional": 1},
                "ha-auto-rebalance-threshold": pct,
                "ha-auto-rebalance-method": {"type": "string", "enum": ["bruteforce", "topsis"], "optional": 1},
                "ha-auto-rebalance-hold-duration": {"type": "number", "minimum": 0, "optional": 1},
                "ha-auto-rebalance-margin": pct,
            }),
        ),
        ("migration", network_format()),
        ("replication", network_format()),
        // upstream spells the range keys `min`/`max`, which its checker ignores
        (
            "next-id",
            json!({
                "lower": {"type": "integer", "optional": 1},
                "upper": {"type": "integer", "optional": 1},
            }),
        ),
        (
            "ha",
            json!({
                "shutdown_policy": {"type": "string", "enum": ["freeze", "failover", "conditional", "migrate"]},
            }),
        ),
    ]
}

fn ui_formats() -> Vec<(&'static str, Value)> {
    let opt_s = json!({"type": "string", "optional": 1});
    let notify_enum = json!({"type": "string", "enum": ["always", "never"], "optional": 1});
    vec![
        (
            "notify",
            json!({
                "package-updates": {"type": "string", "enum": ["auto", "always", "never"], "optional": 1},
                "target-package-updates": opt_s, "fencing": notify_enum, "target-fencing": opt_s,
                "replication": notify_enum, "target-replication": opt_s,
            }),
        ),
        ("u2f", json!({"appid": opt_s, "origin": opt_s})),
        (
            "webauthn",
            json!({
                "rp": opt_s, "origin": opt_s, "id": opt_s,
                "allow-subdomains": {"type": "boolean", "optional": 1},
            }),
        ),
        (
            "tag-style",
            json!({
                "shape": {"type": "string", "enum": ["full", "circle", "dense", "none"], "optional": 1},
                "color-map": {"type": "string", "pattern": color_map_pattern(), "optional": 1},
                "ordering": {"type": "string", "enum": ["config", "alphabetical"], "optional": 1},
                "case-sensitive": {"type": "boolean", "optional": 1},
            }),
        ),
        (
            "user-tag-access",
            json!({
                "user-allow": {"type": "string", "enum": ["none", "list", "existing", "free"], "optional": 1},
                "user-allow-list": {"type": "string", "pattern": tag_list_pattern(), "optional": 1},
            }),
        ),
        ("bwlimit", crate::storage::schema::bwlimit_format()),
        (
            "location",
            json!({
                "name": {"type": "string", "maxLength": 128, "optional": 1},
                "latitude": {"type": "number", "minimum": -90, "maximum": 90},
                "longitude": {"type": "number", "minimum": -180, "maximum": 180},
            }),
        ),
    ]
}

/// Property schemas of every `datacenter.cfg` key (upstream dialect), in key order.
pub fn properties() -> &'static Map<String, Value> {
    static PROPS: OnceLock<Map<String, Value>> = OnceLock::new();
    PROPS.get_or_init(|| {
        let mut props = Map::new();
        for (key, format) in cluster_formats().into_iter().chain(ui_formats()) {
            props.insert(
                key.into(),
                json!({"type": "string", "format": format, "optional": 1}),
            );
        }
        let mut add = |key: &str, schema: Value| {
            props.insert(key.into(), schema);
        };
        add(
            "keyboard",
            json!({"type": "string", "enum": KEYBOARD_LAYOUTS}),
        );
        add("language", json!({"type": "string", "enum": LANGUAGES}));
        add(
            "http_proxy",
            json!({"type": "string", "pattern": "http://.*"}),
        );
        add("migration_unsecure", json!({"type": "boolean"}));
        add(
            "console",
            json!({"type": "string", "enum": ["applet", "vv", "html5", "xtermjs"]}),
        );
        add(
            "email_from",
            json!({"type": "string", "format": "email-opt"}),
        );
        add("max_workers", json!({"type": "integer", "minimum": 1}));
        add(
            "fencing",
            json!({"type": "string", "enum": ["watchdog", "hardware", "both"]}),
        );
        add(
            "mac_prefix",
            json!({"type": "string", "format": "mac-prefix"}),
        );
        add("description", json!({"type": "string", "maxLength": 65536}));
        add(
            "registered-tags",
            json!({"type": "string", "pattern": tag_list_pattern()}),
        );
        add(
            "consent-text",
            json!({"type": "string", "maxLength": 65536}),
        );
        for schema in props.values_mut() {
            if let Some(obj) = schema.as_object_mut() {
                obj.insert("optional".into(), json!(1));
            }
        }
        props.sort_keys();
        props
    })
}

/// The property-string format of a structured key, compiled for the schema crate.
pub fn format_of(key: &str) -> Option<ObjectSchema> {
    let format = properties().get(key)?.get("format")?;
    format
        .is_object()
        .then(|| ObjectSchema::from_pve_json(format).ok())
        .flatten()
}

/// Upstream's `mac-prefix` format: a unicast prefix of up to three and a half octets.
pub fn check_mac_prefix(v: &str) -> Result<(), String> {
    let err = || "value is not a valid unicast MAC address prefix".to_string();
    let parts: Vec<&str> = v.split(':').collect();
    let hex = |s: &str| s.bytes().all(|b| b.is_ascii_hexdigit());
    let first = parts.first().copied().unwrap_or_default();
    let unicast = first.len() == 2
        && hex(first)
        && first
            .chars()
            .nth(1)
            .is_some_and(|c| "02468aceACE".contains(c));
    if !unicast || parts.len() > 4 {
        return Err(err());
    }
    let rest = parts.get(1..).unwrap_or_default();
    for (i, p) in rest.iter().enumerate() {
        let last = i + 1 == rest.len();
        let ok = hex(p) && (p.len() == 2 || (last && p.len() <= 1));
        if !ok || (i == 2 && p.len() > 1) {
            return Err(err());
        }
    }
    Ok(())
}
