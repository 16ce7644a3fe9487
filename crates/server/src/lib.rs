//! `virton-server`: the HTTP(S) front of `virtond`.
//!
//! L3 surface crate. It owns the listeners (TLS on the API port with a plain-HTTP
//! redirect, and the local Unix socket), the node certificates, request parsing
//! and limits, the authentication pipeline and the PVE wire format of responses.
//! It calls handlers through `virton-router` and reaches access control only
//! through the [`Authenticator`] trait, never the access crate itself.

pub mod auth;
pub mod certs;
pub mod dispatch;
pub mod listener;
pub mod proxy;
pub mod request;
pub mod response;
pub mod staticfiles;
pub mod tls;
pub mod upload;

pub use auth::{AuthFailure, Authenticator};
pub use certs::{ensure_certificates, fingerprint_sha256, CertError, CertPaths};
pub use proxy::{NodeRouter, SingleNode};

use anyhow::Context;
use dispatch::Ctx;
use listener::{run_tcp, run_unix, LifecycleOwner};
use std::future::Future;
use std::net::SocketAddr;
use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;
use std::sync::Arc;
use tokio::net::{TcpListener, UnixListener};
use virton_router::Router;
use virton_sys::HostRoot;

/// The API port Proxmox VE uses.
pub const DEFAULT_PORT: u16 = 8006;

/// How to run the server.
#[derive(Clone)]
pub struct ServerConfig {
    /// TCP address of the HTTPS listener (default `0.0.0.0:8006`; port 0 = any).
    pub listen: SocketAddr,
    /// Host root: certificates under `etc/pve`, socket under `run/virton`.
    pub root: HostRoot,
    /// This node's name.
    pub node: String,
    /// The OpenAPI document served at `GET /api2/openapi.json`.
    pub openapi_json: Arc<str>,
    /// The local socket; `None` = `<root>/run/virton/api.sock`.
    pub unix_socket: Option<PathBuf>,
    /// Built web UI directory to serve at `/`, if any.
    pub ui_dir: Option<PathBuf>,
    /// Where requests for other nodes go (default: a one-node cluster).
    pub nodes: Arc<dyn NodeRouter>,
}

impl ServerConfig {
    /// Defaults for `node` on `root`: all addresses, port 8006, empty OpenAPI document.
    pub fn new(root: HostRoot, node: impl Into<String>) -> Self {
        ServerConfig {
            listen: SocketAddr::from(([0, 0, 0, 0], DEFAULT_PORT)),
            root,
            node: node.into(),
            openapi_json: Arc::from("{}"),
            unix_socket: None,
            ui_dir: None,
            nodes: Arc::new(SingleNode),
        }
    }

    /// The Unix socket path in effect.
    pub fn socket_path(&self) -> PathBuf {
        self.unix_socket
            .clone()
            .unwrap_or_else(|| self.root.run_virton().join("api.sock"))
    }
}

/// A bound server, not yet accepting: lets callers learn the port before running.
pub struct Server<S> {
    tcp: TcpListener,
    unix: UnixListener,
    socket_path: PathBuf,
    tls: tokio_rustls::TlsAcceptor,
    ctx: Arc<Ctx<S>>,
}

impl<S: Send + Sync + 'static> Server<S> {
    /// Create missing certificates, then bind the TCP and Unix listeners.
    pub async fn bind(
        config: ServerConfig,
        router: Arc<Router<S>>,
        state: Arc<S>,
        auth: Arc<dyn Authenticator>,
    ) -> anyhow::Result<Self> {
        let (root, node) = (config.root.clone(), config.node.clone());
        let paths = tokio::task::spawn_blocking(move || ensure_certificates(&root, &node))
            .await
            .context("certificate setup failed")??;
        let tls = tls::node_server_config(&paths)?;
        let tcp = TcpListener::bind(config.listen)
            .await
            .with_context(|| format!("unable to listen on {}", config.listen))?;
        let socket_path = config.socket_path();
        let unix = bind_unix(&socket_path)?;
        let ctx = Ctx {
            router,
            state,
            auth,
            nodes: config.nodes.clone(),
            node: config.node.clone(),
            port: tcp.local_addr()?.port(),
            openapi: config.openapi_json.clone(),
            upload_dir: config.root.dir().join("var/tmp"),
            ui_dir: config.ui_dir.clone(),
        };
        Ok(Server {
            tcp,
            unix,
            socket_path,
            tls: tokio_rustls::TlsAcceptor::from(tls),
            ctx: Arc::new(ctx),
        })
    }

    /// The bound TCP address.
    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.tcp.local_addr()
    }

    /// The Unix socket path.
    pub fn socket_path(&self) -> &std::path::Path {
        &self.socket_path
    }

    /// Serve until `shutdown` completes, then let open requests finish (bounded).
    pub async fn run(self, shutdown: impl Future<Output = ()>) -> anyhow::Result<()> {
        let owner = LifecycleOwner::new();
        let life = owner
            .handle()
            .context("server lifecycle already shut down")?;
        let tcp = tokio::spawn(run_tcp(self.tcp, self.tls, self.ctx.clone(), life.clone()));
        let unix = tokio::spawn(run_unix(self.unix, self.ctx, life));
        shutdown.await;
        owner.shutdown().await;
        let _ = tokio::join!(tcp, unix);
        let _ = std::fs::remove_file(&self.socket_path);
        Ok(())
    }
}

fn bind_unix(path: &std::path::Path) -> anyhow::Result<UnixListener> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("unable to create {}", dir.display()))?;
    }
    // A socket file left by a previous run would make bind fail.
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            return Err(e)
                .with_context(|| format!("unable to remove stale socket {}", path.display()))
        }
        _ => {}
    }
    let listener = UnixListener::bind(path)
        .with_context(|| format!("unable to listen on {}", path.display()))?;
    // Anyone may connect: the peer's uid decides (non-root callers get a 401), so a
    // local user sees a proper API answer instead of EACCES.
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o666))
        .with_context(|| format!("unable to set the mode of {}", path.display()))?;
    Ok(listener)
}

/// Run the server until SIGTERM, SIGINT or SIGQUIT.
pub async fn serve<S: Send + Sync + 'static>(
    config: ServerConfig,
    router: Arc<Router<S>>,
    state: Arc<S>,
    auth: Arc<dyn Authenticator>,
) -> anyhow::Result<()> {
    let server = Server::bind(config, router, state, auth).await?;
    server.run(shutdown_signal()).await
}

/// Completes on SIGTERM, SIGINT or SIGQUIT.
pub async fn shutdown_signal() {
    use tokio::signal::unix::{signal, SignalKind};
    let kinds = [
        SignalKind::terminate(),
        SignalKind::interrupt(),
        SignalKind::quit(),
    ];
    let mut streams: Vec<_> = kinds.into_iter().filter_map(|k| signal(k).ok()).collect();
    if streams.is_empty() {
        std::future::pending::<()>().await;
    }
    let waits = streams.iter_mut().map(|s| Box::pin(s.recv()));
    let _ = futures_select_all(waits).await;
}

async fn futures_select_all<F: Future + Unpin>(futs: impl Iterator<Item = F>) {
    let mut futs: Vec<F> = futs.collect();
    std::future::poll_fn(|cx| {
        for f in futs.iter_mut() {
            if std::pin::Pin::new(f).poll(cx).is_ready() {
                return std::task::Poll::Ready(());
            }
        }
        std::task::Poll::Pending
    })
    .await
}
