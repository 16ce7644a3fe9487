//! Property tests: generated VM and container configs survive write then parse
//! unchanged, and arbitrary text never panics the readers.

use super::lxc::{CtConfig, CtSection};
use super::qemu::VmConfig;
use super::{ParseMode, Section};
use crate::Format;
use proptest::collection::{btree_map, vec};
use proptest::option;
use proptest::prelude::*;
use std::collections::BTreeMap;

fn vm_value(key: &'static str) -> BoxedStrategy<(String, String)> {
    let value: BoxedStrategy<String> = match key {
        "cores" => "[1-9][0-9]{0,4}".boxed(),
        "memory" => "[1-9][0-9]{2,4}".boxed(),
        "onboot" | "numa" => "[01]".boxed(),
        "name" => "[a-z]([a-z0-9-]{0,9}[a-z0-9])?".boxed(),
        "args" => "-[a-z]{1,5}( [a-z0-9:=,]{1,8}){0,3}".boxed(),
        "tags" => "[a-z]{1,5}(;[a-z]{1,5}){0,2}".boxed(),
        _ => "(virtio|e1000)=AA:BB:CC:DD:EE:0[0-9],bridge=vmbr[0-9]".boxed(),
    };
    value.prop_map(move |v| (key.to_string(), v)).boxed()
}

fn vm_values() -> impl Strategy<Value = BTreeMap<String, String>> {
    const KEYS: &[&str] = &[
        "cores", "memory", "onboot", "numa", "name", "args", "tags", "net0", "net3",
    ];
    vec(proptest::sample::select(KEYS).prop_flat_map(vm_value), 0..6)
        .prop_map(|kv| kv.into_iter().collect())
}

/// VM descriptions as the reader produces them: trailing whitespace trimmed.
fn vm_description() -> impl Strategy<Value = Option<String>> {
    option::of("[ -~ü\t]{0,12}(\n[ -~ü]{0,12}){0,3}[a-zA-Z%:ü]").prop_map(|d| {
        d.map(|s| s.trim_start_matches('0').to_string())
            .filter(|s| !s.is_empty())
    })
}

fn vm_section() -> impl Strategy<Value = Section> {
    (vm_description(), vm_values()).prop_map(|(description, values)| Section {
        description,
        values,
    })
}

fn snapshot_name() -> impl Strategy<Value = String> {
    "[a-zA-Z][a-z0-9_-]{1,10}".prop_filter("reserved", |n| !n.eq_ignore_ascii_case("pending"))
}

fn vm_config() -> impl Strategy<Value = VmConfig> {
    let fleecing = option::of("[a-z]{2,5}:vm-100-fleece-[0-9]");
    (
        vm_section(),
        vm_section(),
        option::of("(!?(net0|cores|tablet),){0,2}!?memory"),
        fleecing,
        btree_map(snapshot_name(), vm_section(), 0..3),
    )
        .prop_map(|(main, mut pending, delete, fleecing, snapshots)| {
            if let Some(d) = delete {
                pending.values.insert("delete".into(), d);
            }
            let mut special = BTreeMap::new();
            if let Some(f) = fleecing {
                let mut s = Section::default();
                s.values.insert("fleecing-images".into(), f);
                special.insert("fleecing".to_string(), s);
            }
            VmConfig {
                main,
                pending,
                special,
                snapshots,
            }
        })
}

fn ct_section() -> impl Strategy<Value = CtSection> {
    let description = option::of(
        vec("[ -~ü]{1,12}", 1..4)
            .prop_map(|lines| lines.iter().map(|l| format!("{l}\n")).collect::<String>()),
    );
    let values = vec(
        prop_oneof![
            "[1-9][0-9]{0,4}".prop_map(|v| ("memory".to_string(), v)),
            "[01]".prop_map(|v| ("onboot".to_string(), v)),
            "[a-z]([a-z0-9-]{0,7}[a-z0-9])?".prop_map(|v| ("hostname".to_string(), v)),
            "local:[0-9]{3}/vm-[0-9]{3}-disk-0\\.raw,size=[1-9]G"
                .prop_map(|v| ("rootfs".to_string(), v)),
        ],
        0..4,
    )
    .prop_map(|kv| kv.into_iter().collect());
    let env = option::of(
        vec("[A-Z]{1,4}=([a-z0-9]{1,3}( [a-z0-9]{1,3})?)?", 1..3).prop_map(|v| v.join("\0")),
    );
    let lxc = vec(
        (
            r"(lxc\.apparmor\.profile|lxc\.mount\.entry|lxc\.cgroup2\.cpu\.max)",
            "([a-z0-9/]{1,8}( [a-z0-9]{1,4}){0,2})?",
        ),
        0..3,
    );
    (description, values, env, lxc).prop_map(|(description, values, env, lxc)| CtSection {
        description,
        values,
        env,
        lxc,
    })
}

fn ct_config() -> impl Strategy<Value = CtConfig> {
    (
        ct_section(),
        ct_section(),
        btree_map(snapshot_name(), ct_section(), 0..3),
    )
        .prop_map(|(main, pending, snapshots)| CtConfig {
            main,
            pending,
            snapshots,
        })
}

proptest! {
    #[test]
    fn vm_config_survives_write_then_parse(conf in vm_config()) {
        let text = conf.write();
        let parsed = VmConfig::parse_with("qemu-server/100.conf", &text, ParseMode::Strict).unwrap();
        prop_assert!(parsed.warnings.is_empty());
        prop_assert_eq!(parsed.config, conf);
    }

    #[test]
    fn ct_config_survives_write_then_parse(conf in ct_config()) {
        let text = conf.write();
        let parsed = CtConfig::parse_with("lxc/100.conf", &text, ParseMode::Strict).unwrap();
        prop_assert_eq!(parsed.config, conf);
    }

    #[test]
    fn arbitrary_text_never_panics_and_lenient_output_reparses(
        lines in vec("(\\[[a-zA-Z:]{0,12}\\]|#.{0,10}|[a-z0-9._-]{1,10}[:=] ?.{0,12}|.{0,16})", 0..12)
    ) {
        let text = lines.join("\n");
        let _ = VmConfig::parse_with("qemu-server/1.conf", &text, ParseMode::Strict);
        let _ = CtConfig::parse_with("lxc/1.conf", &text, ParseMode::Strict);
        let vm = VmConfig::parse("qemu-server/1.conf", &text).unwrap();
        prop_assert!(VmConfig::parse_with("qemu-server/1.conf", &vm.write(), ParseMode::Strict).is_ok());
        let ct = CtConfig::parse("lxc/1.conf", &text).unwrap();
        prop_assert!(CtConfig::parse("lxc/1.conf", &ct.write()).is_ok());
    }
}
