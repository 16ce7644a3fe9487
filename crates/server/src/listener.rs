//! Accept loops: the API port (TLS, with plain HTTP on the same port answered by a
//! redirect to https, told apart by the first byte) and the local Unix socket
//! (peer uid from SO_PEERCRED, no TLS). Each connection runs in its own task, so a
//! slow or delayed request never blocks another. Graceful shutdown: stop
//! accepting, let connections finish their current request, wait for them.

use crate::dispatch::{handle, Ctx, Peer};
use crate::response::{finish, Body, Reply};
use http::{Request, Response};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::{TcpListener, TcpStream, UnixListener, UnixStream};
use tokio::sync::{mpsc, watch};
use tokio_rustls::TlsAcceptor;

/// First byte of a TLS handshake record.
const TLS_HANDSHAKE: u8 = 0x16;
/// Time a client has to send its first bytes and headers.
const HEADER_TIMEOUT: Duration = Duration::from_secs(30);
/// How long shutdown waits for open connections.
const DRAIN_TIMEOUT: Duration = Duration::from_secs(30);

/// Shared by the accept loops: shutdown signal and the open-connection tracker.
#[derive(Clone)]
pub struct Lifecycle {
    shutdown: watch::Receiver<bool>,
    open: mpsc::Sender<()>,
}

/// The owner's side of [`Lifecycle`].
pub struct LifecycleOwner {
    trigger: watch::Sender<bool>,
    done: mpsc::Receiver<()>,
    open: Option<mpsc::Sender<()>>,
}

impl LifecycleOwner {
    /// A fresh lifecycle.
    pub fn new() -> Self {
        let (trigger, _) = watch::channel(false);
        let (open, done) = mpsc::channel(1);
        LifecycleOwner {
            trigger,
            done,
            open: Some(open),
        }
    }

    /// A handle for an accept loop.
    pub fn handle(&self) -> Option<Lifecycle> {
        Some(Lifecycle {
            shutdown: self.trigger.subscribe(),
            open: self.open.clone()?,
        })
    }

    /// Signal shutdown and wait (bounded) until every connection task ended.
    pub async fn shutdown(mut self) {
        let _ = self.trigger.send(true);
        self.open = None;
        // recv() yields None once every task dropped its sender.
        let _ = tokio::time::timeout(DRAIN_TIMEOUT, self.done.recv()).await;
    }
}

impl Default for LifecycleOwner {
    fn default() -> Self {
        Self::new()
    }
}

/// Accept TCP connections until shutdown.
pub async fn run_tcp<S: Send + Sync + 'static>(
    listener: TcpListener,
    tls: TlsAcceptor,
    ctx: Arc<Ctx<S>>,
    mut life: Lifecycle,
) {
    loop {
        let accepted = tokio::select! {
            r = listener.accept() => r,
            _ = life.shutdown.changed() => return,
        };
        let Ok((stream, peer)) = accepted else {
            // Out of descriptors and the like: back off instead of spinning.
            tokio::time::sleep(Duration::from_millis(50)).await;
            continue;
        };
        let _ = stream.set_nodelay(true);
        let (ctx, tls, life) = (ctx.clone(), tls.clone(), life.clone());
        tokio::spawn(async move {
            let _open = life.open.clone();
            tcp_connection(stream, peer, tls, ctx, life.shutdown).await;
        });
    }
}

async fn tcp_connection<S: Send + Sync + 'static>(
    stream: TcpStream,
    peer: SocketAddr,
    tls: TlsAcceptor,
    ctx: Arc<Ctx<S>>,
    shutdown: watch::Receiver<bool>,
) {
    let mut first = [0u8; 1];
    let peeked = tokio::time::timeout(HEADER_TIMEOUT, stream.peek(&mut first)).await;
    if !matches!(peeked, Ok(Ok(1))) {
        return;
    }
    if first[0] != TLS_HANDSHAKE {
        let port = ctx.port;
        let service =
            service_fn(move |req| async move { Ok::<_, Infallible>(redirect(&req, port)) });
        serve_http1(stream, service, shutdown).await;
        return;
    }
    let Ok(Ok(tls_stream)) = tokio::time::timeout(HEADER_TIMEOUT, tls.accept(stream)).await else {
        return;
    };
    let service = service_fn(move |req| handle(ctx.clone(), Peer::Tcp(peer), req));
    serve_http1(tls_stream, service, shutdown).await;
}

/// Accept Unix socket connections until shutdown.
pub async fn run_unix<S: Send + Sync + 'static>(
    listener: UnixListener,
    ctx: Arc<Ctx<S>>,
    mut life: Lifecycle,
) {
    loop {
        let accepted = tokio::select! {
            r = listener.accept() => r,
            _ = life.shutdown.changed() => return,
        };
        let Ok((stream, _)) = accepted else {
            tokio::time::sleep(Duration::from_millis(50)).await;
            continue;
        };
        let (ctx, life) = (ctx.clone(), life.clone());
        tokio::spawn(async move {
            let _open = life.open.clone();
            unix_connection(stream, ctx, life.shutdown).await;
        });
    }
}

async fn unix_connection<S: Send + Sync + 'static>(
    stream: UnixStream,
    ctx: Arc<Ctx<S>>,
    shutdown: watch::Receiver<bool>,
) {
    // No credentials means nobody we can trust: u32::MAX is refused like any non-root uid.
    let uid = stream.peer_cred().map(|c| c.uid()).unwrap_or(u32::MAX);
    let service = service_fn(move |req| handle(ctx.clone(), Peer::Unix { uid }, req));
    serve_http1(stream, service, shutdown).await;
}

async fn serve_http1<IO, Svc>(io: IO, service: Svc, mut shutdown: watch::Receiver<bool>)
where
    IO: AsyncRead + AsyncWrite + Unpin + Send + 'static,
    Svc: hyper::service::Service<Request<Incoming>, Response = Response<Body>, Error = Infallible>
        + Send
        + 'static,
    Svc::Future: Send + 'static,
{
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(HEADER_TIMEOUT);
    let conn = builder.serve_connection(TokioIo::new(io), service);
    tokio::pin!(conn);
    tokio::select! {
        _ = conn.as_mut() => {}
        _ = shutdown.changed() => {
            conn.as_mut().graceful_shutdown();
            let _ = conn.await;
        }
    }
}

/// `301` to the same host and path over https, for plain HTTP on the TLS port.
fn redirect(req: &Request<Incoming>, port: u16) -> Response<Body> {
    let host = req
        .headers()
        .get(http::header::HOST)
        .and_then(|h| h.to_str().ok())
        .map(|h| strip_port(h).to_string())
        .unwrap_or_else(|| "localhost".to_string());
    let path = req
        .uri()
        .path_and_query()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| "/".into());
    let location = format!("https://{host}:{port}{path}");
    let mut reply = Reply::bare(301, "Moved Permanently");
    reply.headers.push(("location", location));
    let mut resp = finish(reply, false);
    // A plain-HTTP client gets its answer and the connection ends.
    resp.headers_mut().insert(
        http::header::CONNECTION,
        http::HeaderValue::from_static("close"),
    );
    resp
}

/// The host part of a `Host` header value (`[v6]:port`, `name:port`, `name`).
pub(crate) fn strip_port(host: &str) -> &str {
    if let Some(rest) = host.strip_prefix('[') {
        // [v6]:port
        return match rest.find(']') {
            Some(end) => &host[..end + 2],
            None => host,
        };
    }
    match host.rsplit_once(':') {
        Some((h, p)) if p.chars().all(|c| c.is_ascii_digit()) => h,
        _ => host,
    }
}
