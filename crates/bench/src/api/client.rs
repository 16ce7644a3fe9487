//! The load generator's HTTP/1.1 client: keep-alive connections over TLS (ring, the
//! server certificate's signature checked, its chain not, as a benchmark on loopback
//! needs) or over a Unix socket, and one timed `GET`.

use anyhow::{anyhow, bail, Context, Result};
use bytes::Bytes;
use http::{HeaderValue, Request};
use http_body_util::{BodyExt, Full};
use hyper::client::conn::http1::{self, SendRequest};
use hyper_util::rt::TokioIo;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{verify_tls12_signature, verify_tls13_signature, CryptoProvider};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, SignatureScheme};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::{TcpStream, UnixStream};
use tokio_rustls::TlsConnector;

/// Where requests go.
#[derive(Debug, Clone)]
pub enum Target {
    /// HTTPS on a TCP address.
    Tls(SocketAddr),
    /// Plain HTTP on a Unix socket.
    Unix(PathBuf),
}

/// One request to repeat: its path and the authentication cookie, if any.
#[derive(Debug, Clone)]
pub struct Get {
    path: String,
    cookie: Option<HeaderValue>,
}

impl Get {
    /// `GET path`, with `PVEAuthCookie=<ticket>` when a ticket is given.
    pub fn new(path: &str, ticket: Option<&str>) -> Result<Self> {
        let cookie = match ticket {
            Some(t) => Some(
                HeaderValue::from_str(&format!("PVEAuthCookie={}", percent_encode(t)))
                    .context("ticket is not a valid header value")?,
            ),
            None => None,
        };
        Ok(Self {
            path: path.to_string(),
            cookie,
        })
    }

    fn request(&self) -> Result<Request<Full<Bytes>>> {
        let mut req = Request::get(self.path.as_str())
            .header(http::header::HOST, "localhost")
            .body(Full::new(Bytes::new()))?;
        if let Some(c) = &self.cookie {
            req.headers_mut().insert(http::header::COOKIE, c.clone());
        }
        Ok(req)
    }
}

/// Percent-encodes everything but unreserved characters, as browsers store the cookie
/// and as form bodies need.
pub fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 2);
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Opens connections to one target.
#[derive(Clone)]
pub struct Connector {
    target: Target,
    tls: TlsConnector,
}

/// An open keep-alive connection.
pub struct Conn(SendRequest<Full<Bytes>>);

impl Connector {
    /// A connector for `target`.
    pub fn new(target: Target) -> Result<Self> {
        Ok(Self {
            target,
            tls: TlsConnector::from(client_config()?),
        })
    }

    /// Connects (TCP + TLS handshake, or the socket) and starts HTTP/1.1.
    pub async fn connect(&self) -> Result<Conn> {
        match &self.target {
            Target::Tls(addr) => {
                let tcp = TcpStream::connect(addr).await.context("connect")?;
                tcp.set_nodelay(true)?;
                let name = ServerName::try_from("localhost")?;
                let tls = self.tls.connect(name, tcp).await.context("TLS")?;
                handshake(tls).await
            }
            Target::Unix(path) => handshake(UnixStream::connect(path).await?).await,
        }
    }
}

async fn handshake<I>(io: I) -> Result<Conn>
where
    I: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let (send, conn) = http1::handshake(TokioIo::new(io)).await?;
    tokio::spawn(conn);
    Ok(Conn(send))
}

impl Conn {
    /// Sends `get`, reads the whole body; an error unless the status is 200.
    pub async fn get(&mut self, get: &Get) -> Result<Bytes> {
        self.send(get.request()?).await
    }

    /// `POST path` with a form body (no cookie: a login); the body of a 200 answer.
    pub async fn post_form(&mut self, path: &str, form: &str) -> Result<Bytes> {
        let req = Request::post(path)
            .header(http::header::HOST, "localhost")
            .header(
                http::header::CONTENT_TYPE,
                "application/x-www-form-urlencoded",
            )
            .body(Full::new(Bytes::from(form.to_string())))?;
        self.send(req).await
    }

    async fn send(&mut self, req: Request<Full<Bytes>>) -> Result<Bytes> {
        self.0.ready().await?;
        let resp = self.0.send_request(req).await?;
        let status = resp.status();
        let body = resp.into_body().collect().await?.to_bytes();
        if status != http::StatusCode::OK {
            bail!("HTTP {status}: {}", String::from_utf8_lossy(&body));
        }
        Ok(body)
    }
}

/// Accepts any certificate chain but checks the handshake signatures, so the client
/// does the same cryptographic work per handshake as a verifying one, minus chain
/// building.
#[derive(Debug)]
struct LoopbackVerifier(Arc<CryptoProvider>);

impl ServerCertVerifier for LoopbackVerifier {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls12_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls13_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

fn client_config() -> Result<Arc<rustls::ClientConfig>> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let verifier = Arc::new(LoopbackVerifier(provider.clone()));
    let mut config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| anyhow!("TLS client setup: {e}"))?
        .dangerous()
        .with_custom_certificate_verifier(verifier)
        .with_no_client_auth();
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Arc::new(config))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticket_cookie_is_percent_encoded() {
        assert_eq!(
            percent_encode("PVE:root@pam:1A::a+b/c="),
            "PVE%3Aroot%40pam%3A1A%3A%3Aa%2Bb%2Fc%3D"
        );
    }
}
