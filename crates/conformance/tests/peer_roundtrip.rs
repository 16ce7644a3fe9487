//! Every config text in the peer data (`../shared/peer/*.jsonl`) goes through our parser
//! and writer: an unchanged document writes back the same bytes, and the canonical form is
//! stable (writing, parsing and writing again gives the same text). Skipped, with the
//! reason printed, when the peer directory is absent.

use serde_json::Value;
use std::path::Path;
use virton_config::corosync::CorosyncConf;
use virton_config::guest::lxc::CtConfig;
use virton_config::guest::qemu::VmConfig;
use virton_config::interfaces::NetworkConfig;
use virton_config::user_cfg::UserConfig;
use virton_config::{Document, Format};

/// Which grammar a peer text belongs to.
#[derive(Clone, Copy, Debug)]
enum Kind {
    Vm,
    Ct,
    UserCfg,
    Corosync,
    Interfaces,
}

fn check<T: Format + Clone + PartialEq + std::fmt::Debug>(
    name: &str,
    text: &str,
) -> Result<(), String> {
    let doc = Document::<T>::parse(name, text).map_err(|e| format!("parse: {e}"))?;
    if doc.write() != text {
        return Err("unchanged document did not write back the same bytes".into());
    }
    let canonical = doc.write_canonical();
    let again = T::parse(name, &canonical)
        .map_err(|e| format!("canonical output does not reparse: {e}"))?;
    if again.write() != canonical {
        return Err(format!(
            "canonical form is not stable:\n--- first\n{canonical}\n--- second\n{}",
            again.write()
        ));
    }
    Ok(())
}

fn run(kind: Kind, name: &str, text: &str) -> Result<(), String> {
    match kind {
        Kind::Vm => check::<VmConfig>(name, text),
        Kind::Ct => check::<CtConfig>(name, text),
        Kind::UserCfg => check::<UserConfig>(name, text),
        Kind::Corosync => check::<CorosyncConf>(name, text),
        Kind::Interfaces => check::<NetworkConfig>(name, text),
    }
}

/// The config texts of one peer case, with their grammar.
fn texts(suite: &str, case: &Value) -> Vec<(Kind, String, String)> {
    let mut out = Vec::new();
    let inputs = case["inputs"].as_object().cloned().unwrap_or_default();
    for (key, v) in &inputs {
        let Some(text) = v.as_str() else { continue };
        let kind = match (suite, key.as_str()) {
            ("qemu-parse-config" | "qemu-snapshot" | "qemu-cfg2cmd", k) if k.ends_with(".conf") => {
                Kind::Vm
            }
            ("lxc-snapshot", k) if k.ends_with(".conf") => Kind::Ct,
            ("lxc-setup", "config") => Kind::Ct,
            ("access-perm", "user.cfg") | ("access-userconfig", "raw") => Kind::UserCfg,
            ("corosync-roundtrip", "corosync.conf") => Kind::Corosync,
            ("net-interfaces", k)
                if !k.contains('.') && !k.contains("interfaces") && k != "ip_link_details" =>
            {
                Kind::Interfaces
            }
            ("lxc-setup", "etc/network/interfaces") => Kind::Interfaces,
            _ => continue,
        };
        out.push((
            kind,
            format!("{suite}/{}/{key}", case["name"].as_str().unwrap_or("?")),
            text.to_string(),
        ));
    }
    for step in case["steps"].as_array().into_iter().flatten() {
        if step["op"] == "read" {
            if let Some(text) = step["text"].as_str() {
                out.push((
                    Kind::Interfaces,
                    format!("{suite}/{}/read", case["name"].as_str().unwrap_or("?")),
                    text.into(),
                ));
            }
        }
    }
    out
}

#[test]
fn every_peer_config_text_round_trips() {
    let dir = std::env::var_os("VIRTON_PEER_DIR")
        .map(Into::into)
        .unwrap_or_else(virton_conformance::default_peer_dir);
    if !Path::new(&dir).is_dir() {
        eprintln!("peer round trip skipped: {} is absent", dir.display());
        return;
    }
    let (mut checked, mut failures) = (0, Vec::new());
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .collect();
    files.sort();
    for path in files
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "jsonl"))
    {
        let suite = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default()
            .to_string();
        for line in std::fs::read_to_string(path).unwrap().lines() {
            let case: Value = serde_json::from_str(line).unwrap();
            for (kind, name, text) in texts(&suite, &case) {
                checked += 1;
                if let Err(why) = run(kind, &name, &text) {
                    failures.push(format!("{name} ({kind:?}): {why}"));
                }
            }
        }
    }
    eprintln!("peer round trip: {checked} texts checked");
    assert!(
        checked > 200,
        "expected the peer data to hold many config texts, found {checked}"
    );
    assert!(
        failures.is_empty(),
        "{} of {checked} failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
