//! First start of an empty root: the files and directories a fresh one-node install has.
//!
//! Idempotent: existing files are never touched, so a root written by Proxmox VE (or by
//! an earlier start) is used as it is.

use anyhow::{Context, Result};
use std::os::unix::fs::{symlink, DirBuilderExt};
use std::path::Path;
use virton_config::datacenter::DatacenterConfig;
use virton_config::domains::DomainsConfig;
use virton_config::storage::StorageConfig;
use virton_config::store::ConfigStore;
use virton_config::user_cfg::{User, UserConfig};
use virton_config::{Document, Format};
use virton_sys::HostRoot;

/// What [`initialize`] created.
#[derive(Debug, Default)]
pub struct InitReport {
    /// Paths (relative to the root) that were created.
    pub created: Vec<String>,
}

/// Lays out `root` for node `node`; creates only what is missing.
pub fn initialize(root: &HostRoot, node: &str) -> Result<InitReport> {
    root.ensure_layout()
        .context("cannot create the root's directories")?;
    let mut report = InitReport::default();
    let pve = root.etc_pve();
    mkdir(&pve.join("priv"), 0o700, "etc/pve/priv", &mut report)?;
    for sub in ["qemu-server", "lxc", "priv"] {
        let mode = if sub == "priv" { 0o700 } else { 0o755 };
        let rel = format!("nodes/{node}/{sub}");
        mkdir(
            &pve.join(&rel),
            mode,
            &format!("etc/pve/{rel}"),
            &mut report,
        )?;
    }
    for (link, target) in [
        ("local", format!("nodes/{node}")),
        ("qemu-server", format!("nodes/{node}/qemu-server")),
        ("lxc", format!("nodes/{node}/lxc")),
    ] {
        let path = pve.join(link);
        if path.symlink_metadata().is_err() {
            symlink(&target, &path).with_context(|| format!("cannot link {}", path.display()))?;
            report.created.push(format!("etc/pve/{link} -> {target}"));
        }
    }
    let store = ConfigStore::new(root.clone());
    let keyboard = None;
    create(
        &store,
        "datacenter.cfg",
        || DatacenterConfig::fresh_install(keyboard).map_err(anyhow::Error::msg),
        &mut report,
    )?;
    create(
        &store,
        "storage.cfg",
        || Ok(StorageConfig::fresh_install()),
        &mut report,
    )?;
    create(
        &store,
        "domains.cfg",
        || Ok(DomainsConfig::fresh_install()),
        &mut report,
    )?;
    create(&store, "user.cfg", || Ok(root_user_config()), &mut report)?;
    Ok(report)
}

/// `user.cfg` of a fresh install: `root@pam`, enabled; root@pam is the superuser.
fn root_user_config() -> UserConfig {
    let mut cfg = UserConfig::default();
    let root = User {
        enable: true,
        ..Default::default()
    };
    cfg.users.insert("root@pam".into(), root);
    cfg
}

fn mkdir(path: &Path, mode: u32, shown: &str, report: &mut InitReport) -> Result<()> {
    if path.is_dir() {
        return Ok(());
    }
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(mode)
        .create(path)
        .with_context(|| format!("cannot create {}", path.display()))?;
    report.created.push(shown.to_string());
    Ok(())
}

fn create<T: Format + Clone + PartialEq>(
    store: &ConfigStore,
    rel: &str,
    make: impl FnOnce() -> Result<T>,
    report: &mut InitReport,
) -> Result<()> {
    if store.path(rel)?.exists() {
        return Ok(());
    }
    let doc = Document::new(make()?);
    store
        .write(rel, &doc)
        .with_context(|| format!("cannot write etc/pve/{rel}"))?;
    report.created.push(format!("etc/pve/{rel}"));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_root_gets_a_one_node_install_and_second_start_changes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let root = HostRoot::new(dir.path());
        let first = initialize(&root, "n1").unwrap();
        assert!(first.created.iter().any(|c| c == "etc/pve/storage.cfg"));
        let storage = std::fs::read_to_string(dir.path().join("etc/pve/storage.cfg")).unwrap();
        assert_eq!(
            storage,
            "dir: local\n\tpath /var/lib/vz\n\tcontent iso,vztmpl,backup\n\n"
        );
        let users = std::fs::read_to_string(dir.path().join("etc/pve/user.cfg")).unwrap();
        assert!(users.starts_with("user:root@pam:1:0:"), "{users}");
        let domains = std::fs::read_to_string(dir.path().join("etc/pve/domains.cfg")).unwrap();
        assert!(domains.starts_with("pam: pam\n"), "{domains}");
        let link = std::fs::read_link(dir.path().join("etc/pve/qemu-server")).unwrap();
        assert_eq!(link, Path::new("nodes/n1/qemu-server"));
        std::fs::write(dir.path().join("etc/pve/datacenter.cfg"), "keyboard: de\n").unwrap();
        let second = initialize(&root, "n1").unwrap();
        assert!(second.created.is_empty(), "{:?}", second.created);
        let dc = std::fs::read_to_string(dir.path().join("etc/pve/datacenter.cfg")).unwrap();
        assert_eq!(dc, "keyboard: de\n");
    }
}
