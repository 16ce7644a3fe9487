use super::*;
use rustls::client::danger::ServerCertVerifier;
use rustls::client::WebPkiServerVerifier;
use rustls::pki_types::{ServerName, UnixTime};
use rustls::RootCertStore;
use std::sync::Arc;

fn verify_for(paths: &CertPaths, name: &str) -> Result<(), rustls::Error> {
    let mut roots = RootCertStore::empty();
    roots.add(read_first_cert(&paths.ca_cert).unwrap()).unwrap();
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let verifier = WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider)
        .build()
        .unwrap();
    let leaf = read_first_cert(&paths.node_cert).unwrap();
    let server = ServerName::try_from(name.to_string()).unwrap();
    verifier
        .verify_server_cert(&leaf, &[], &server, &[], UnixTime::now())
        .map(|_| ())
}

#[test]
fn ensure_certificates_fresh_root_creates_ca_and_node_cert() {
    let tmp = tempfile::tempdir().unwrap();
    let root = HostRoot::new(tmp.path());
    let ip: IpAddr = "192.0.2.7".parse().unwrap();
    let paths = ensure_certificates_for(&root, "node1", &[ip]).unwrap();
    for p in [
        &paths.ca_cert,
        &paths.ca_key,
        &paths.ca_serial,
        &paths.node_cert,
        &paths.node_key,
    ] {
        assert!(p.is_file(), "{p:?}");
    }
    assert!(paths.ca_key.ends_with("etc/pve/priv/pve-root-ca.key"));
    assert!(paths.node_cert.ends_with("etc/pve/nodes/node1/pve-ssl.pem"));
    assert_eq!(std::fs::read_to_string(&paths.ca_serial).unwrap(), "01\n");
    for name in ["node1", "localhost", "127.0.0.1", "192.0.2.7", "::1"] {
        verify_for(&paths, name).unwrap_or_else(|e| panic!("{name}: {e}"));
    }
    assert!(verify_for(&paths, "other").is_err());
}

#[test]
fn ensure_certificates_second_start_reuses_files() {
    let tmp = tempfile::tempdir().unwrap();
    let root = HostRoot::new(tmp.path());
    let paths = ensure_certificates_for(&root, "n1", &[]).unwrap();
    let before = std::fs::read(&paths.node_cert).unwrap();
    let ca_before = std::fs::read(&paths.ca_cert).unwrap();
    ensure_certificates_for(&root, "n1", &[]).unwrap();
    assert_eq!(std::fs::read(&paths.node_cert).unwrap(), before);
    assert_eq!(std::fs::read(&paths.ca_cert).unwrap(), ca_before);
    assert_eq!(std::fs::read_to_string(&paths.ca_serial).unwrap(), "01\n");
}

#[test]
fn ensure_certificates_missing_node_cert_is_signed_by_existing_rsa_ca() {
    let tmp = tempfile::tempdir().unwrap();
    let root = HostRoot::new(tmp.path());
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rsa-ca");
    let paths = CertPaths::new(&root, "n2");
    std::fs::create_dir_all(paths.ca_key.parent().unwrap()).unwrap();
    std::fs::copy(fixtures.join("pve-root-ca.pem"), &paths.ca_cert).unwrap();
    std::fs::copy(fixtures.join("pve-root-ca.key"), &paths.ca_key).unwrap();
    std::fs::write(&paths.ca_serial, "0A\n").unwrap();
    let ca_before = std::fs::read(&paths.ca_cert).unwrap();

    ensure_certificates_for(&root, "n2", &[]).unwrap();
    assert_eq!(std::fs::read(&paths.ca_cert).unwrap(), ca_before);
    assert_eq!(std::fs::read_to_string(&paths.ca_serial).unwrap(), "0B\n");
    verify_for(&paths, "n2").unwrap();
}

#[test]
fn ensure_certificates_search_domain_adds_fqdn() {
    let tmp = tempfile::tempdir().unwrap();
    let root = HostRoot::new(tmp.path());
    std::fs::create_dir_all(root.etc()).unwrap();
    std::fs::write(
        root.etc().join("resolv.conf"),
        "search example.test other.test\nnameserver 192.0.2.1\n",
    )
    .unwrap();
    let paths = ensure_certificates_for(&root, "pve", &[]).unwrap();
    verify_for(&paths, "pve.example.test").unwrap();
    verify_for(&paths, "pve").unwrap();
}

#[test]
fn serving_prefers_custom_pair_when_both_exist() {
    let tmp = tempfile::tempdir().unwrap();
    let root = HostRoot::new(tmp.path());
    let paths = ensure_certificates_for(&root, "n3", &[]).unwrap();
    assert_eq!(paths.serving().0, paths.node_cert.as_path());
    std::fs::copy(&paths.node_cert, &paths.custom_cert).unwrap();
    assert_eq!(paths.serving().0, paths.node_cert.as_path());
    std::fs::copy(&paths.node_key, &paths.custom_key).unwrap();
    assert_eq!(
        paths.serving(),
        (paths.custom_cert.as_path(), paths.custom_key.as_path())
    );
}

#[test]
fn fingerprint_is_uppercase_colon_separated_sha256() {
    let fp = fingerprint_sha256(b"abc");
    assert_eq!(fp.len(), 32 * 3 - 1);
    assert!(fp.starts_with("BA:78:16:BF:8F:01:CF:EA"));
    assert!(fp.ends_with(":F2:00:15:AD"));
}

#[test]
fn serial_file_with_garbage_is_an_error_not_a_panic() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("srl");
    std::fs::write(&path, "zz\n").unwrap();
    assert!(matches!(next_serial(&path), Err(CertError::Parse { .. })));
}

#[test]
fn pkcs1_wrapping_uses_long_form_lengths() {
    assert_eq!(der_len(5), vec![5]);
    assert_eq!(der_len(0x80), vec![0x81, 0x80]);
    assert_eq!(der_len(0x1234), vec![0x82, 0x12, 0x34]);
}
