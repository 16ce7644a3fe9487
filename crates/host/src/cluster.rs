//! Cluster membership as this node sees it: the node list from `corosync.conf` (only
//! this node when there is none), node addresses from `etc/hosts`, node certificate
//! fingerprints, and the entries of `GET /cluster/status`.
//!
//! Without a running membership service only this node is known to be online.

use serde::Serialize;
use sha2::{Digest as _, Sha256};
use virton_config::corosync::CorosyncConf;
use virton_config::store::ConfigStore;
use virton_schema::ApiType;
use virton_sys::HostRoot;

/// One member of the cluster.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    /// Node name.
    pub name: String,
    /// Corosync node id (0 without a cluster).
    pub nodeid: u32,
    /// This is the responding node.
    pub local: bool,
    /// The node is known to be online.
    pub online: bool,
}

/// The cluster as `corosync.conf` describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Membership {
    /// `(name, config version)` when a cluster is configured.
    pub cluster: Option<(String, u64)>,
    /// Members sorted by name; only this node without a cluster.
    pub members: Vec<Member>,
}

/// Reads the membership for `local` (an unreadable `corosync.conf` counts as none).
pub fn membership(store: &ConfigStore, local: &str) -> Membership {
    let conf = store
        .read::<CorosyncConf>("corosync.conf")
        .ok()
        .map(|(doc, _)| doc.into_inner());
    let nodes = conf.as_ref().map(CorosyncConf::nodes).unwrap_or_default();
    if nodes.is_empty() {
        return Membership {
            cluster: None,
            members: vec![Member {
                name: local.to_string(),
                nodeid: 0,
                local: true,
                online: true,
            }],
        };
    }
    let cluster = conf.as_ref().map(|c| {
        (
            c.cluster_name().unwrap_or_default().to_string(),
            c.config_version().unwrap_or(0),
        )
    });
    let members = nodes
        .into_iter()
        .map(|n| Member {
            local: n.name == local,
            online: n.name == local,
            nodeid: n.nodeid.unwrap_or(0),
            name: n.name,
        })
        .collect();
    Membership { cluster, members }
}

/// The first address `etc/hosts` below the root gives for `node` (the short name or a
/// name starting with `node.`).
pub fn node_ip(root: &HostRoot, node: &str) -> Option<String> {
    let text = std::fs::read_to_string(root.etc().join("hosts")).ok()?;
    text.lines()
        .map(|l| l.split('#').next().unwrap_or(""))
        .filter_map(|l| {
            let mut parts = l.split_whitespace();
            let addr = parts.next()?;
            parts
                .any(|name| {
                    name == node || name.strip_prefix(node).is_some_and(|r| r.starts_with('.'))
                })
                .then(|| addr.to_string())
        })
        .find(|addr| !addr.starts_with("127.") && addr != "::1")
}

/// SHA-256 fingerprint (`AA:BB:...`) of the node's `pve-ssl.pem` certificate.
pub fn node_fingerprint(root: &HostRoot, node: &str) -> Option<String> {
    let path = root.etc_pve().join("nodes").join(node).join("pve-ssl.pem");
    let pem = std::fs::read_to_string(path).ok()?;
    let der = pem_certificate(&pem)?;
    let hash = Sha256::digest(&der);
    let hex: Vec<String> = hash.iter().map(|b| format!("{b:02X}")).collect();
    Some(hex.join(":"))
}

/// The DER bytes of the first `CERTIFICATE` block of a PEM text.
fn pem_certificate(pem: &str) -> Option<Vec<u8>> {
    use base64::Engine as _;
    let start = pem.find("-----BEGIN CERTIFICATE-----")?;
    let body = &pem[start + "-----BEGIN CERTIFICATE-----".len()..];
    let end = body.find("-----END CERTIFICATE-----")?;
    let b64: String = body[..end].chars().filter(|c| !c.is_whitespace()).collect();
    base64::engine::general_purpose::STANDARD.decode(b64).ok()
}

/// One entry of `GET /cluster/status`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ApiType)]
pub struct ClusterStatusEntry {
    /// `cluster` or `node`.
    #[serde(rename = "type")]
    pub ty: String,
    /// `cluster` or `node/<name>`.
    pub id: String,
    /// Cluster or node name.
    pub name: String,
    /// Number of nodes (cluster entry).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nodes: Option<u64>,
    /// Version of `corosync.conf` (cluster entry).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<u64>,
    /// A majority of nodes is online (cluster entry).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quorate: Option<bool>,
    /// Corosync node id (node entry).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nodeid: Option<u32>,
    /// Address of the node (node entry).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ip: Option<String>,
    /// This is the responding node (node entry).
    #[serde(rename = "local", skip_serializing_if = "Option::is_none")]
    pub is_local: Option<bool>,
    /// The node is online (node entry).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub online: Option<bool>,
    /// Subscription level (node entry).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level: Option<String>,
}

/// The entries of `GET /cluster/status`: the cluster (only when one is configured),
/// then every node.
pub fn cluster_status(
    root: &HostRoot,
    store: &ConfigStore,
    local: &str,
) -> Vec<ClusterStatusEntry> {
    let m = membership(store, local);
    let mut out = Vec::new();
    if let Some((name, version)) = &m.cluster {
        out.push(ClusterStatusEntry {
            ty: "cluster".into(),
            id: "cluster".into(),
            name: name.clone(),
            nodes: Some(m.members.len() as u64),
            version: Some(*version),
            // Only this node's view is known; it serves requests, so it has quorum.
            quorate: Some(true),
            nodeid: None,
            ip: None,
            is_local: None,
            online: None,
            level: None,
        });
    }
    for member in &m.members {
        out.push(ClusterStatusEntry {
            ty: "node".into(),
            id: format!("node/{}", member.name),
            name: member.name.clone(),
            nodes: None,
            version: None,
            quorate: None,
            nodeid: Some(member.nodeid),
            ip: node_ip(root, &member.name),
            is_local: Some(member.local),
            online: Some(member.online),
            level: Some(String::new()),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn single_node_has_only_a_node_entry() {
        let dir = tempfile::tempdir().unwrap();
        let root = HostRoot::new(dir.path());
        std::fs::create_dir_all(root.etc()).unwrap();
        std::fs::write(
            root.etc().join("hosts"),
            "127.0.0.1 localhost\n10.0.0.5 n1.example.org n1\n",
        )
        .unwrap();
        let st = cluster_status(&root, &ConfigStore::new(root.clone()), "n1");
        assert_eq!(st.len(), 1);
        assert_eq!(st[0].id, "node/n1");
        assert_eq!(st[0].ip.as_deref(), Some("10.0.0.5"));
        assert_eq!(
            (st[0].is_local, st[0].online, st[0].nodeid),
            (Some(true), Some(true), Some(0))
        );
    }

    #[test]
    fn fingerprint_is_sha256_of_der() {
        let dir = tempfile::tempdir().unwrap();
        let root = HostRoot::new(dir.path());
        let d = root.etc_pve().join("nodes/n1");
        std::fs::create_dir_all(&d).unwrap();
        // "hello" as the DER body: only the hashing is under test.
        std::fs::write(
            d.join("pve-ssl.pem"),
            "-----BEGIN CERTIFICATE-----\naGVsbG8=\n-----END CERTIFICATE-----\n",
        )
        .unwrap();
        let fp = node_fingerprint(&root, "n1").unwrap();
        assert!(fp.starts_with("2C:F2:4D:BA:5F:B0:A3:0E"), "{fp}");
        assert_eq!(fp.len(), 32 * 3 - 1);
        assert!(node_fingerprint(&root, "n2").is_none());
    }
}
