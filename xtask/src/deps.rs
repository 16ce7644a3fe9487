//! `cargo xtask deps-check`: the layer rule of ARCHITECTURE.md, checked on `cargo metadata`.
//!
//! A product crate may depend (normal or build dependency) only on crates of a lower layer,
//! or on crates listed before it in its own layer. Dev-only crates may depend on anything,
//! and product crates may use them only as dev-dependencies. A workspace crate missing from
//! the table is an error, so new crates must be placed deliberately.

use anyhow::{bail, Context, Result};
use serde_json::Value;
use std::process::Command;

/// Layers, lowest first; within a layer, the order says who may use whom.
const LAYERS: &[(&str, &[&str])] = &[
    ("L0", &["schema-derive", "schema", "api-types"]),
    ("L1", &["sys", "config", "cfs", "tasks"]),
    (
        "L2",
        &[
            "access", "storage", "guest", "qemu", "lxc", "host", "stats", "firewall", "backup",
            "ha",
        ],
    ),
    (
        "L3",
        &["router", "api", "server", "client", "cli", "daemon"],
    ),
];

/// Crates used only by tests and tooling.
const DEV_ONLY: &[&str] = &[
    "test-support",
    "conformance",
    "bench",
    "xtask",
    "apidoc-gen",
];

/// Position of a crate: (layer index, index within layer), or None for dev-only crates.
fn rank(short: &str) -> Result<Option<(usize, usize)>> {
    if DEV_ONLY.contains(&short) {
        return Ok(None);
    }
    for (li, (_, crates)) in LAYERS.iter().enumerate() {
        if let Some(ci) = crates.iter().position(|c| *c == short) {
            return Ok(Some((li, ci)));
        }
    }
    bail!("crate '{short}' is not in the layer table of xtask/src/deps.rs (and ARCHITECTURE.md)")
}

fn short_name(package: &str) -> &str {
    package.strip_prefix("virton-").unwrap_or(package)
}

/// Checks one edge `from -> to` of kind `kind` ("normal", "build" or "dev").
fn check_edge(from: &str, to: &str, kind: &str) -> Result<Option<String>> {
    let (Some(f), t) = (rank(from)?, rank(to)?) else {
        return Ok(None);
    };
    let Some(t) = t else {
        return Ok((kind != "dev")
            .then(|| format!("{from} -> {to}: dev-only crates may only be dev-dependencies")));
    };
    if kind == "dev" || t.0 < f.0 || (t.0 == f.0 && t.1 < f.1) {
        return Ok(None);
    }
    let (fl, tl) = (LAYERS[f.0].0, LAYERS[t.0].0);
    Ok(Some(format!(
        "{from} ({fl}) -> {to} ({tl}): a crate may only depend on lower layers or earlier crates of its own layer"
    )))
}

/// Runs the check over the workspace.
pub fn run() -> Result<()> {
    let out = Command::new("cargo")
        .args(["metadata", "--format-version", "1", "--no-deps"])
        .current_dir(crate::util::root())
        .output()
        .context("cannot run cargo metadata")?;
    if !out.status.success() {
        bail!(
            "cargo metadata failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let meta: Value = serde_json::from_slice(&out.stdout)?;
    let members: Vec<&str> = meta["packages"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|p| p["name"].as_str())
        .collect();
    let mut problems = Vec::new();
    for pkg in meta["packages"].as_array().into_iter().flatten() {
        let from = short_name(pkg["name"].as_str().unwrap_or_default());
        for dep in pkg["dependencies"].as_array().into_iter().flatten() {
            let name = dep["name"].as_str().unwrap_or_default();
            if !members.contains(&name) {
                continue;
            }
            let kind = dep["kind"].as_str().unwrap_or("normal");
            if let Some(p) = check_edge(from, short_name(name), kind)? {
                problems.push(p);
            }
        }
    }
    if !problems.is_empty() {
        bail!("layer rule violated:\n  {}", problems.join("\n  "));
    }
    eprintln!(
        "deps-check: {} workspace crates respect the layer rule",
        members.len()
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lower_layer_dependency_is_allowed() {
        assert_eq!(check_edge("config", "schema", "normal").unwrap(), None);
        assert_eq!(check_edge("config", "sys", "normal").unwrap(), None);
    }

    #[test]
    fn upward_dependency_is_rejected() {
        assert!(check_edge("schema", "config", "normal").unwrap().is_some());
        assert!(check_edge("sys", "config", "normal").unwrap().is_some());
    }

    #[test]
    fn dev_only_crate_as_normal_dependency_is_rejected() {
        assert!(check_edge("config", "conformance", "normal")
            .unwrap()
            .is_some());
        assert_eq!(check_edge("config", "conformance", "dev").unwrap(), None);
    }

    #[test]
    fn unknown_crate_is_an_error() {
        assert!(check_edge("config", "mystery", "normal").is_err());
    }
}
