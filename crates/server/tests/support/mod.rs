//! Test support: a tiny router, a fake authenticator, a running server on an
//! ephemeral port, and a raw HTTP/1.1 client over TLS, plain TCP or the Unix socket
//! (raw, so tests see reason phrases, connection handling and exact bytes).

use rustls::pki_types::ServerName;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::{TcpStream, UnixStream};
use virton_api_types::Authid;
use virton_router::{ApiError, ApiMethod, Permission, PermissionCheck, Router, RpcEnv};
use virton_schema::ApiType;
use virton_server::{AuthFailure, Authenticator, Server, ServerConfig};

pub const NODE: &str = "node1";
pub const TICKET: &str = "PVE:alice@pve:4EEC61E2::sig";
pub const TFA_TICKET: &str = "PVE:!tfa!alice@pve:4EEC61E2::sig";
pub const CSRF: &str = "4EEC61E2:csrfsig";
pub const TOKEN_SECRET: &str = "0b0e1c9e-aaaa-bbbb-cccc-1234567890ab";

/// No parameters.
#[derive(Deserialize, ApiType)]
pub struct Empty {}

/// Echo parameters.
#[derive(Deserialize, Serialize, ApiType)]
pub struct EchoParams {
    /// A string.
    pub a: Option<String>,
    /// A boolean.
    pub b: Option<bool>,
    /// An integer.
    pub n: Option<i64>,
    /// A list.
    pub list: Option<Vec<String>>,
}

/// Echo result.
#[derive(Serialize, ApiType)]
pub struct Echo {
    /// Who called.
    pub caller: String,
    /// What came in.
    pub a: Option<String>,
    /// A boolean.
    pub b: Option<bool>,
    /// An integer.
    pub n: Option<i64>,
    /// A list.
    pub list: Option<Vec<String>>,
}

/// Node parameter.
#[derive(Deserialize, ApiType)]
pub struct NodeParams {
    /// The node.
    pub node: String,
}

/// Item parameters.
#[derive(Deserialize, ApiType)]
pub struct ItemParams {
    /// The item.
    pub id: String,
}

/// VM parameter.
#[derive(Deserialize, ApiType)]
pub struct VmParams {
    /// The VM.
    pub vmid: i64,
}

/// Upload parameters.
#[derive(Deserialize, ApiType)]
pub struct UploadParams {
    /// Node.
    pub node: String,
    /// Storage.
    pub storage: String,
    /// Content type.
    pub content: String,
    /// Original file name.
    pub filename: String,
    /// Temporary file.
    pub tmpfilename: String,
}

/// Upload result.
#[derive(Serialize, ApiType)]
pub struct UploadResult {
    /// Original file name.
    pub filename: String,
    /// Temporary file.
    pub tmpfilename: String,
    /// Its content.
    pub data: String,
    /// Content type.
    pub content: String,
    /// `node/storage`.
    pub target: String,
}

fn caller(env: &RpcEnv) -> String {
    env.authid.clone().unwrap_or_default()
}

/// The test API.
pub fn router() -> Router<()> {
    let version = ApiMethod::new(
        "Version.",
        Permission::All,
        |_: &(), _: &RpcEnv, _: Empty| Ok(true),
    );
    let domains = ApiMethod::new(
        "Realms.",
        Permission::World,
        |_: &(), env: &RpcEnv, _: Empty| Ok(vec![format!("anonymous={}", env.authid.is_none())]),
    );
    let echo = |_: &(), env: &RpcEnv, p: EchoParams| {
        env.total.set(Some(7));
        Ok(Echo {
            caller: caller(env),
            a: p.a,
            b: p.b,
            n: p.n,
            list: p.list,
        })
    };
    let fail = ApiMethod::new("Fails.", Permission::All, |_: &(), _: &RpcEnv, _: Empty| {
        Err::<bool, _>(ApiError::internal("unable to frobnicate\nsecond line"))
    });
    let big = ApiMethod::new("Big.", Permission::All, |_: &(), _: &RpcEnv, _: Empty| {
        Ok("x".repeat(5000))
    });
    let status = ApiMethod::new(
        "Node status.",
        Permission::All,
        |_: &(), _: &RpcEnv, p: NodeParams| Ok(p.node),
    )
    .proxy_to_node();
    let item = ApiMethod::new(
        "Item.",
        Permission::All,
        |_: &(), _: &RpcEnv, p: ItemParams| Ok(p.id),
    );
    let vm = ApiMethod::new(
        "VM.",
        Permission::Perm {
            path: "/vms/{vmid}",
            privs: &["VM.Audit"],
            any: false,
        },
        |_: &(), _: &RpcEnv, p: VmParams| Ok(p.vmid),
    );
    let no_token = ApiMethod::new(
        "No tokens.",
        Permission::All,
        |_: &(), _: &RpcEnv, _: Empty| Ok(1),
    )
    .no_token();
    let upload = ApiMethod::new(
        "Upload.",
        Permission::All,
        |_: &(), _: &RpcEnv, p: UploadParams| {
            let data = std::fs::read_to_string(&p.tmpfilename)
                .map_err(|e| ApiError::internal(format!("read failed: {e}")))?;
            Ok(UploadResult {
                target: format!("{}/{}", p.node, p.storage),
                filename: p.filename,
                tmpfilename: p.tmpfilename,
                data,
                content: p.content,
            })
        },
    )
    .proxy_to_node();
    let tfa = ApiMethod::new("TFA.", Permission::All, |_: &(), env: &RpcEnv, _: Empty| {
        Ok(caller(env))
    });
    Router::new()
        .subdir("version", Router::new().get(version))
        .subdir(
            "access",
            Router::new()
                .subdir("domains", Router::new().get(domains))
                .subdir("tfa", Router::new().post(tfa)),
        )
        .subdir(
            "echo",
            Router::new()
                .get(ApiMethod::new("Echo.", Permission::All, echo))
                .post(ApiMethod::new("Echo.", Permission::All, echo))
                .put(ApiMethod::new("Echo.", Permission::All, echo))
                .delete(ApiMethod::new("Echo.", Permission::All, echo)),
        )
        .subdir("fail", Router::new().get(fail))
        .subdir("big", Router::new().get(big))
        .subdir("notoken", Router::new().get(no_token))
        .subdir("items", Router::new().param("id", Router::new().post(item)))
        .subdir("vms", Router::new().param("vmid", Router::new().get(vm)))
        .subdir(
            "nodes",
            Router::new().param(
                "node",
                Router::new()
                    .subdir("status", Router::new().get(status))
                    .subdir(
                        "storage",
                        Router::new().param(
                            "storage",
                            Router::new().subdir("upload", Router::new().post(upload)),
                        ),
                    ),
            ),
        )
}

struct Privs;

impl PermissionCheck for Privs {
    fn privileges(&self, authid: &str, _path: &str) -> BTreeSet<String> {
        if authid == "root@pam" {
            ["VM.Audit".to_string()].into()
        } else {
            BTreeSet::new()
        }
    }
    fn user_group_privs(&self, _: &str, _: &str, _: &[&str]) -> bool {
        false
    }
}

/// Accepts [`TICKET`] (and the TFA one), [`CSRF`], and token `alice@pve!t1`.
pub struct FakeAuth;

impl Authenticator for FakeAuth {
    fn verify_ticket(&self, ticket: &str) -> Result<Authid, AuthFailure> {
        if ticket == TICKET || ticket == TFA_TICKET {
            Ok("alice@pve".parse().map_err(|_| AuthFailure::failed())?)
        } else {
            Err(AuthFailure::failed())
        }
    }
    fn verify_token(&self, authid: &Authid, secret: &str) -> Result<(), AuthFailure> {
        if authid.to_string() == "alice@pve!t1" && secret == TOKEN_SECRET {
            Ok(())
        } else {
            Err(AuthFailure::failed())
        }
    }
    fn verify_csrf(&self, authid: &Authid, token: &str) -> bool {
        authid.to_string() == "alice@pve" && token == CSRF
    }
    fn is_tfa_pending(&self, ticket: &str) -> bool {
        ticket.starts_with("PVE:!tfa!")
    }
    fn permission_checker(&self) -> Arc<dyn PermissionCheck + Send + Sync> {
        Arc::new(Privs)
    }
}

/// A running server; stops when dropped.
pub struct TestServer {
    pub addr: SocketAddr,
    pub socket: PathBuf,
    pub root: tempfile::TempDir,
    pub tls: tokio_rustls::TlsConnector,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

pub async fn start() -> TestServer {
    let root = tempfile::tempdir().unwrap();
    let host_root = virton_sys::HostRoot::new(root.path());
    let mut config = ServerConfig::new(host_root.clone(), NODE);
    config.listen = "127.0.0.1:0".parse().unwrap();
    config.openapi_json = Arc::from(r#"{"openapi":"3.0.3"}"#);
    let server = Server::bind(config, Arc::new(router()), Arc::new(()), Arc::new(FakeAuth))
        .await
        .unwrap();
    let addr = server.local_addr().unwrap();
    let socket = server.socket_path().to_path_buf();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(server.run(async move {
        let _ = stopped.await;
    }));
    let paths = virton_server::CertPaths::new(&host_root, NODE);
    let mut roots = rustls::RootCertStore::empty();
    roots
        .add(virton_server::certs::read_first_cert(&paths.ca_cert).unwrap())
        .unwrap();
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let client = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots)
        .with_no_client_auth();
    TestServer {
        addr,
        socket,
        root,
        tls: tokio_rustls::TlsConnector::from(Arc::new(client)),
        stop: Some(stop),
    }
}

/// A parsed response.
#[derive(Debug)]
pub struct Raw {
    pub status: u16,
    pub reason: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// The server closed the connection after the response.
    pub closed: bool,
}

impl Raw {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!(
                "body is not JSON ({e}): {:?}",
                String::from_utf8_lossy(&self.body)
            )
        })
    }
}

impl TestServer {
    /// Send raw bytes over TLS and read one response.
    pub async fn tls_raw(&self, request: &[u8]) -> Raw {
        let tcp = TcpStream::connect(self.addr).await.unwrap();
        let name = ServerName::try_from("localhost").unwrap();
        let stream = self.tls.connect(name, tcp).await.unwrap();
        exchange(stream, request).await
    }

    /// Send raw bytes over plain TCP and read one response.
    pub async fn plain_raw(&self, request: &[u8]) -> Raw {
        exchange(TcpStream::connect(self.addr).await.unwrap(), request).await
    }

    /// Send raw bytes over the Unix socket and read one response.
    pub async fn unix_raw(&self, request: &[u8]) -> Raw {
        exchange(UnixStream::connect(&self.socket).await.unwrap(), request).await
    }

    /// A request over TLS with the given extra header lines and body.
    pub async fn call(&self, method: &str, path: &str, headers: &[&str], body: &str) -> Raw {
        self.tls_raw(&build(method, path, headers, body)).await
    }
}

/// Build a request; a `Content-Length` is added for a non-empty body.
pub fn build(method: &str, path: &str, headers: &[&str], body: &str) -> Vec<u8> {
    let mut req = format!("{method} {path} HTTP/1.1\r\nHost: localhost\r\n");
    for h in headers {
        req.push_str(h);
        req.push_str("\r\n");
    }
    if !body.is_empty() {
        req.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    req.push_str("\r\n");
    req.push_str(body);
    req.into_bytes()
}

async fn exchange<S: AsyncRead + AsyncWrite + Unpin>(mut stream: S, request: &[u8]) -> Raw {
    stream.write_all(request).await.unwrap();
    stream.flush().await.unwrap();
    let mut buf = Vec::new();
    let head_end = loop {
        if let Some(i) = find(&buf, b"\r\n\r\n") {
            break i;
        }
        let mut chunk = [0u8; 4096];
        let n = tokio::time::timeout(Duration::from_secs(20), stream.read(&mut chunk))
            .await
            .expect("response head timed out")
            .unwrap_or(0);
        assert!(
            n > 0,
            "connection closed before the response head: {:?}",
            String::from_utf8_lossy(&buf)
        );
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap_or("");
    let mut parts = status_line.splitn(3, ' ');
    let _version = parts.next();
    let status: u16 = parts.next().unwrap_or("0").parse().unwrap();
    let reason = parts.next().unwrap_or("").to_string();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    let len: usize = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
        .map(|(_, v)| v.parse().unwrap())
        .unwrap_or(0);
    let mut body = buf[head_end + 4..].to_vec();
    while body.len() < len {
        let mut chunk = [0u8; 8192];
        let n = stream.read(&mut chunk).await.unwrap();
        assert!(n > 0, "connection closed inside the body");
        body.extend_from_slice(&chunk[..n]);
    }
    let mut probe = [0u8; 1];
    let closed = matches!(
        tokio::time::timeout(Duration::from_millis(300), stream.read(&mut probe)).await,
        Ok(Ok(0)) | Ok(Err(_))
    );
    Raw {
        status,
        reason,
        headers,
        body,
        closed,
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

pub fn cookie() -> String {
    format!("Cookie: PVEAuthCookie={TICKET}")
}

pub fn csrf() -> String {
    format!("CSRFPreventionToken: {CSRF}")
}
