//! Cluster CA and node certificate files, laid out as a fresh Proxmox VE install
//! has them, and the SHA-256 fingerprint helper.
//!
//! Files (all below `<root>/etc/pve`): `pve-root-ca.pem` (CA certificate),
//! `priv/pve-root-ca.key` (CA key), `priv/pve-root-ca.srl` (the CA's serial
//! counter, hex as openssl keeps it), `nodes/<node>/pve-ssl.pem` and
//! `nodes/<node>/pve-ssl.key` (node certificate signed by the CA). A custom
//! certificate uploaded by the admin lives in `nodes/<node>/pveproxy-ssl.{pem,key}`
//! and wins over the generated one (see [`CertPaths::serving`]).
//!
//! Existing files are reused; only missing ones are created. Keys we generate are
//! ECDSA P-256 (the `ring` backend cannot generate RSA keys); existing RSA keys
//! written by Proxmox VE (PKCS#1 or PKCS#8) are read and used for signing.
//! This module knows nothing about HTTP or TLS sessions.

use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, ExtendedKeyUsagePurpose, IsCa,
    Issuer, KeyPair, KeyUsagePurpose, SanType, SerialNumber,
};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use sha2::{Digest, Sha256};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::path::{Path, PathBuf};
use time::{Duration, OffsetDateTime};
use virton_sys::{replace_file, HostRoot, ReplaceOptions};

/// Days a new CA certificate is valid (as upstream's `openssl req -days 3650`).
const CA_DAYS: i64 = 3650;
/// Longest validity of a node certificate: browsers refuse longer ones.
const NODE_MAX_DAYS: i64 = 2 * 365;
/// The serial file content before the first certificate is signed.
const INITIAL_SERIAL: &str = "0000000000000000";

/// Why the certificates could not be read or created.
#[derive(Debug, thiserror::Error)]
pub enum CertError {
    /// A file could not be read or written.
    #[error("unable to access '{}' - {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The system error.
        #[source]
        source: std::io::Error,
    },
    /// A file could not be replaced atomically.
    #[error(transparent)]
    Replace(#[from] virton_sys::ReplaceError),
    /// A PEM file did not hold what it should.
    #[error("unable to parse '{}' - {message}", path.display())]
    Parse {
        /// The file.
        path: PathBuf,
        /// What was wrong.
        message: String,
    },
    /// Key generation or signing failed.
    #[error("generating certificate failed - {0}")]
    Generate(#[from] rcgen::Error),
    /// The CA is about to expire, so no node certificate can be issued.
    #[error("CA expires in less than 2 weeks, unable to generate certificate.")]
    CaExpiring,
}

/// Where the certificate files of one node live.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertPaths {
    /// `etc/pve/pve-root-ca.pem`.
    pub ca_cert: PathBuf,
    /// `etc/pve/priv/pve-root-ca.key`.
    pub ca_key: PathBuf,
    /// `etc/pve/priv/pve-root-ca.srl`.
    pub ca_serial: PathBuf,
    /// `etc/pve/nodes/<node>/pve-ssl.pem`.
    pub node_cert: PathBuf,
    /// `etc/pve/nodes/<node>/pve-ssl.key`.
    pub node_key: PathBuf,
    /// `etc/pve/nodes/<node>/pveproxy-ssl.pem` (custom certificate, optional).
    pub custom_cert: PathBuf,
    /// `etc/pve/nodes/<node>/pveproxy-ssl.key` (custom key, optional).
    pub custom_key: PathBuf,
}

impl CertPaths {
    /// The paths for `node` below `root`.
    pub fn new(root: &HostRoot, node: &str) -> Self {
        let pve = root.etc_pve();
        let node_dir = pve.join("nodes").join(node);
        CertPaths {
            ca_cert: pve.join("pve-root-ca.pem"),
            ca_key: pve.join("priv/pve-root-ca.key"),
            ca_serial: pve.join("priv/pve-root-ca.srl"),
            node_cert: node_dir.join("pve-ssl.pem"),
            node_key: node_dir.join("pve-ssl.key"),
            custom_cert: node_dir.join("pveproxy-ssl.pem"),
            custom_key: node_dir.join("pveproxy-ssl.key"),
        }
    }

    /// The certificate and key the HTTPS listener serves: the custom pair when both
    /// files exist, else the CA-signed node pair.
    pub fn serving(&self) -> (&Path, &Path) {
        if self.custom_cert.is_file() && self.custom_key.is_file() {
            (&self.custom_cert, &self.custom_key)
        } else {
            (&self.node_cert, &self.node_key)
        }
    }
}

/// Make sure the cluster CA and this node's certificate exist, creating what is
/// missing; SANs are the node name, `localhost`, loopback and the host's addresses.
pub fn ensure_certificates(root: &HostRoot, node: &str) -> Result<CertPaths, CertError> {
    ensure_certificates_for(root, node, &host_addresses())
}

/// [`ensure_certificates`] with the addresses to name given explicitly.
pub fn ensure_certificates_for(
    root: &HostRoot,
    node: &str,
    addresses: &[IpAddr],
) -> Result<CertPaths, CertError> {
    let paths = CertPaths::new(root, node);
    let ca_created = ensure_ca(&paths)?;
    if ca_created || !paths.node_cert.is_file() || !paths.node_key.is_file() {
        let domain = search_domain(root);
        issue_node_cert(&paths, node, domain.as_deref(), addresses)?;
    }
    Ok(paths)
}

/// SHA-256 fingerprint of a DER certificate, as upstream prints it:
/// uppercase hex byte pairs joined by `:`.
pub fn fingerprint_sha256(der: &[u8]) -> String {
    let digest = Sha256::digest(der);
    let pairs: Vec<String> = digest.iter().map(|b| format!("{b:02X}")).collect();
    pairs.join(":")
}

/// Fingerprint of the first certificate in a PEM file.
pub fn pem_file_fingerprint(path: &Path) -> Result<String, CertError> {
    let der = read_first_cert(path)?;
    Ok(fingerprint_sha256(&der))
}

/// The first certificate of a PEM file, as DER.
pub fn read_first_cert(path: &Path) -> Result<CertificateDer<'static>, CertError> {
    let bytes = read(path)?;
    CertificateDer::from_pem_slice(&bytes).map_err(|e| CertError::Parse {
        path: path.to_path_buf(),
        message: e.to_string(),
    })
}

fn read(path: &Path) -> Result<Vec<u8>, CertError> {
    std::fs::read(path).map_err(|source| CertError::Io {
        path: path.to_path_buf(),
        source,
    })
}

fn write(path: &Path, text: &str, mode: u32) -> Result<(), CertError> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|source| CertError::Io {
            path: dir.to_path_buf(),
            source,
        })?;
    }
    let opts = ReplaceOptions {
        mode,
        ..ReplaceOptions::default()
    };
    replace_file(path, text.as_bytes(), opts)?;
    Ok(())
}

/// Create the CA when its key or certificate is missing; true when created.
fn ensure_ca(paths: &CertPaths) -> Result<bool, CertError> {
    if paths.ca_cert.is_file() && paths.ca_key.is_file() {
        return Ok(false);
    }
    let key = if paths.ca_key.is_file() {
        load_key(&paths.ca_key)?
    } else {
        let key = KeyPair::generate()?;
        write(&paths.ca_key, &key.serialize_pem(), 0o600)?;
        key
    };
    let mut params = CertificateParams::default();
    let mut dn = DistinguishedName::new();
    dn.push(DnType::CommonName, "Proxmox Virtual Environment");
    dn.push(DnType::OrganizationalUnitName, random_uuid());
    dn.push(DnType::OrganizationName, "PVE Cluster Manager CA");
    params.distinguished_name = dn;
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::CrlSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    // Backdated a day like upstream, so clients with a slightly slow clock accept it.
    params.not_before = OffsetDateTime::now_utc() - Duration::days(1);
    params.not_after = params.not_before + Duration::days(CA_DAYS);
    let cert = params.self_signed(&key)?;
    write(&paths.ca_cert, &cert.pem(), 0o644)?;
    Ok(true)
}

fn issue_node_cert(
    paths: &CertPaths,
    node: &str,
    domain: Option<&str>,
    addresses: &[IpAddr],
) -> Result<(), CertError> {
    let ca_key = load_key(&paths.ca_key)?;
    let ca_pem = String::from_utf8_lossy(&read(&paths.ca_cert)?).into_owned();
    let days = node_cert_days(&paths.ca_cert)?;
    let issuer = Issuer::from_ca_cert_pem(&ca_pem, &ca_key)?;

    let key = if paths.node_key.is_file() {
        load_key(&paths.node_key)?
    } else {
        let key = KeyPair::generate()?;
        write(&paths.node_key, &key.serialize_pem(), 0o600)?;
        key
    };
    let fqdn = match domain {
        Some(d) => format!("{node}.{d}"),
        None => node.to_string(),
    };
    let mut params = CertificateParams::default();
    let mut dn = DistinguishedName::new();
    dn.push(DnType::OrganizationalUnitName, "PVE Cluster Node");
    dn.push(DnType::OrganizationName, "Proxmox Virtual Environment");
    dn.push(DnType::CommonName, fqdn.clone());
    params.distinguished_name = dn;
    params.is_ca = IsCa::ExplicitNoCa;
    params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    params.subject_alt_names = subject_alt_names(node, &fqdn, addresses)?;
    params.use_authority_key_identifier_extension = true;
    params.serial_number = Some(next_serial(&paths.ca_serial)?);
    params.not_before = OffsetDateTime::now_utc() - Duration::days(1);
    params.not_after = params.not_before + Duration::days(days);
    let cert = params.signed_by(&key, &issuer)?;
    write(&paths.node_cert, &cert.pem(), 0o644)
}

fn subject_alt_names(
    node: &str,
    fqdn: &str,
    addresses: &[IpAddr],
) -> Result<Vec<SanType>, CertError> {
    let mut ips = vec![
        IpAddr::V4(Ipv4Addr::LOCALHOST),
        IpAddr::V6(Ipv6Addr::LOCALHOST),
    ];
    for ip in addresses {
        if !ips.contains(ip) {
            ips.push(*ip);
        }
    }
    let mut names = vec!["localhost".to_string(), node.to_string()];
    if fqdn != node {
        names.push(fqdn.to_string());
    }
    let mut sans: Vec<SanType> = ips.into_iter().map(SanType::IpAddress).collect();
    for name in names {
        sans.push(SanType::DnsName(name.try_into()?));
    }
    Ok(sans)
}

/// Validity of a new node certificate: two days less than the CA has left, at
/// most two years; refused when the CA has less than two weeks left.
fn node_cert_days(ca_cert: &Path) -> Result<i64, CertError> {
    let der = read_first_cert(ca_cert)?;
    let parse_err = |message: String| CertError::Parse {
        path: ca_cert.to_path_buf(),
        message,
    };
    let (_, cert) =
        x509_parser::parse_x509_certificate(&der).map_err(|e| parse_err(e.to_string()))?;
    let not_after = cert.validity().not_after.timestamp();
    let days_left = (not_after - OffsetDateTime::now_utc().unix_timestamp()) / 86_400;
    if days_left < 14 {
        return Err(CertError::CaExpiring);
    }
    Ok((days_left - 2).min(NODE_MAX_DAYS))
}

/// Read the serial file (hex), advance it and store it back the way
/// `openssl x509 -CAserial` does; returns the serial to use.
fn next_serial(path: &Path) -> Result<SerialNumber, CertError> {
    let text = if path.is_file() {
        String::from_utf8_lossy(&read(path)?).trim().to_string()
    } else {
        INITIAL_SERIAL.to_string()
    };
    let value = u128::from_str_radix(&text, 16).map_err(|e| CertError::Parse {
        path: path.to_path_buf(),
        message: format!("invalid serial '{text}': {e}"),
    })?;
    let next = value.wrapping_add(1).max(1);
    let bytes: Vec<u8> = next
        .to_be_bytes()
        .into_iter()
        .skip_while(|b| *b == 0)
        .collect();
    let hex: String = bytes.iter().map(|b| format!("{b:02X}")).collect();
    write(path, &format!("{hex}\n"), 0o600)?;
    Ok(SerialNumber::from_slice(&bytes))
}

/// Load a private key from PEM: PKCS#8, or PKCS#1 RSA as older openssl wrote it.
fn load_key(path: &Path) -> Result<KeyPair, CertError> {
    let bytes = read(path)?;
    let parse_err = |message: String| CertError::Parse {
        path: path.to_path_buf(),
        message,
    };
    let der = PrivateKeyDer::from_pem_slice(&bytes).map_err(|e| parse_err(e.to_string()))?;
    let pkcs8 = match &der {
        PrivateKeyDer::Pkcs8(k) => k.secret_pkcs8_der().to_vec(),
        PrivateKeyDer::Pkcs1(k) => rsa_pkcs1_to_pkcs8(k.secret_pkcs1_der()),
        _ => return Err(parse_err("unsupported private key format".into())),
    };
    KeyPair::try_from(pkcs8).map_err(|e| parse_err(e.to_string()))
}

/// Wrap a PKCS#1 RSAPrivateKey into a PKCS#8 PrivateKeyInfo (RFC 5208).
fn rsa_pkcs1_to_pkcs8(pkcs1: &[u8]) -> Vec<u8> {
    // version 0, AlgorithmIdentifier { rsaEncryption, NULL }
    const HEAD: [u8; 18] = [
        0x02, 0x01, 0x00, 0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01,
        0x01, 0x05, 0x00,
    ];
    let mut octets = vec![0x04];
    octets.extend(der_len(pkcs1.len()));
    octets.extend_from_slice(pkcs1);
    let mut body = HEAD.to_vec();
    body.extend(octets);
    let mut out = vec![0x30];
    out.extend(der_len(body.len()));
    out.extend(body);
    out
}

fn der_len(len: usize) -> Vec<u8> {
    if len < 0x80 {
        return vec![len as u8];
    }
    let bytes: Vec<u8> = len
        .to_be_bytes()
        .into_iter()
        .skip_while(|b| *b == 0)
        .collect();
    let mut out = vec![0x80 | bytes.len() as u8];
    out.extend(bytes);
    out
}

/// The first `search` domain of `<root>/etc/resolv.conf`, if any.
fn search_domain(root: &HostRoot) -> Option<String> {
    let text = std::fs::read_to_string(root.etc().join("resolv.conf")).ok()?;
    text.lines().find_map(|line| {
        let rest = line.trim().strip_prefix("search")?;
        if !rest.starts_with(char::is_whitespace) {
            return None;
        }
        rest.split_whitespace().next().map(str::to_string)
    })
}

/// A random RFC 4122 version 4 UUID, used to make the CA subject unique.
fn random_uuid() -> String {
    let mut b = [0u8; 16];
    if let Ok(mut f) = std::fs::File::open("/dev/urandom") {
        use std::io::Read;
        let _ = f.read_exact(&mut b);
    }
    if b == [0u8; 16] {
        // No urandom: fall back on the clock, still unique per install.
        let nanos = OffsetDateTime::now_utc().unix_timestamp_nanos();
        b = nanos.to_be_bytes();
    }
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h: Vec<String> = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        h[..4].concat(),
        h[4..6].concat(),
        h[6..8].concat(),
        h[8..10].concat(),
        h[10..].concat()
    )
}

/// The host's non-loopback interface addresses (IPv6 link-local ones left out).
pub fn host_addresses() -> Vec<IpAddr> {
    let mut out = Vec::new();
    let mut head: *mut libc::ifaddrs = std::ptr::null_mut();
    // SAFETY: getifaddrs writes a list head we own and free below.
    if unsafe { libc::getifaddrs(&mut head) } != 0 {
        return out;
    }
    let mut cur = head;
    while !cur.is_null() {
        // SAFETY: `cur` is a node of the list getifaddrs returned, not yet freed.
        let entry = unsafe { &*cur };
        // SAFETY: ifa_addr is null or points to a sockaddr of the family it names.
        if let Some(ip) = unsafe { sockaddr_ip(entry.ifa_addr) } {
            let link_local_v6 =
                matches!(ip, IpAddr::V6(v6) if (v6.segments()[0] & 0xffc0) == 0xfe80);
            if !ip.is_loopback() && !link_local_v6 && !out.contains(&ip) {
                out.push(ip);
            }
        }
        cur = entry.ifa_next;
    }
    // SAFETY: `head` came from a successful getifaddrs and is freed once.
    unsafe { libc::freeifaddrs(head) };
    out
}

/// # Safety
/// `addr` must be null or point to a valid sockaddr of the family in `sa_family`.
unsafe fn sockaddr_ip(addr: *const libc::sockaddr) -> Option<IpAddr> {
    if addr.is_null() {
        return None;
    }
    // SAFETY: per the contract, `addr` points to a valid sockaddr.
    match i32::from(unsafe { (*addr).sa_family }) {
        libc::AF_INET => {
            // SAFETY: the family says this is a sockaddr_in.
            let sin = unsafe { &*(addr as *const libc::sockaddr_in) };
            Some(IpAddr::V4(Ipv4Addr::from(u32::from_be(
                sin.sin_addr.s_addr,
            ))))
        }
        libc::AF_INET6 => {
            // SAFETY: the family says this is a sockaddr_in6.
            let sin6 = unsafe { &*(addr as *const libc::sockaddr_in6) };
            Some(IpAddr::V6(Ipv6Addr::from(sin6.sin6_addr.s6_addr)))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests;
