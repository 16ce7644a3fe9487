//! The rustls server configuration (ring provider) from the node's certificate
//! and key files. Knows nothing about HTTP.

use crate::certs::CertPaths;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use std::path::Path;
use std::sync::Arc;

/// Why the TLS configuration could not be built.
#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    /// A PEM file could not be read or held nothing usable.
    #[error("unable to load '{}' - {message}", path.display())]
    Load {
        /// The file.
        path: std::path::PathBuf,
        /// What went wrong.
        message: String,
    },
    /// rustls refused the certificate/key pair.
    #[error("invalid TLS certificate or key - {0}")]
    Rustls(#[from] rustls::Error),
}

/// A TLS server configuration serving `cert` (with any chain in the same file)
/// and `key`, HTTP/1.1 only.
pub fn server_config(cert: &Path, key: &Path) -> Result<Arc<rustls::ServerConfig>, TlsError> {
    let load_err = |path: &Path, message: String| TlsError::Load {
        path: path.to_path_buf(),
        message,
    };
    let chain: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(cert)
        .map_err(|e| load_err(cert, e.to_string()))?
        .collect::<Result<_, _>>()
        .map_err(|e| load_err(cert, e.to_string()))?;
    if chain.is_empty() {
        return Err(load_err(cert, "no certificate found".into()));
    }
    let key_der = PrivateKeyDer::from_pem_file(key).map_err(|e| load_err(key, e.to_string()))?;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .with_no_client_auth()
        .with_single_cert(chain, key_der)?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Arc::new(config))
}

/// The configuration for the certificate files the node serves (custom pair first).
pub fn node_server_config(paths: &CertPaths) -> Result<Arc<rustls::ServerConfig>, TlsError> {
    let (cert, key) = paths.serving();
    server_config(cert, key)
}
