//! `hello_axum`: the reference server of the `api` benchmark. A plain axum "hello world"
//! over tokio-rustls (ring, HTTP/1.1 keep-alive, two worker threads as `virtond`), so
//! the benchmark can put the daemon's numbers next to the cheapest server built from
//! the same parts.
//!
//! `hello_axum --cert PEM --key PEM [--listen ADDR:PORT] [--unix PATH]` answers
//! `GET /api2/json/version` with a small fixed JSON body and prints
//! `serving https://ADDR` on stderr once it accepts connections. Depends on no VirtOn
//! crate.

use anyhow::{bail, Context, Result};
use axum::routing::get;
use axum::Router;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::{TcpListener, UnixListener};
use tokio_rustls::TlsAcceptor;

/// The body `virtond` answers `/version` with, give or take the values.
const VERSION_BODY: &str = r#"{"data":{"release":"9.1","repoid":"00000000","version":"9.1.0"}}"#;

struct Args {
    cert: PathBuf,
    key: PathBuf,
    listen: SocketAddr,
    unix: Option<PathBuf>,
}

fn parse_args() -> Result<Args> {
    let mut cert = None;
    let mut key = None;
    let mut listen: SocketAddr = "127.0.0.1:0".parse().context("default address")?;
    let mut unix = None;
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().with_context(|| format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--cert" => cert = Some(PathBuf::from(value)),
            "--key" => key = Some(PathBuf::from(value)),
            "--listen" => listen = value.parse().context("invalid --listen")?,
            "--unix" => unix = Some(PathBuf::from(value)),
            other => bail!("unknown argument '{other}'"),
        }
    }
    Ok(Args {
        cert: cert.context("--cert is required")?,
        key: key.context("--key is required")?,
        listen,
        unix,
    })
}

fn tls_config(args: &Args) -> Result<Arc<rustls::ServerConfig>> {
    let chain: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(&args.cert)
        .context("cannot read the certificate")?
        .collect::<Result<_, _>>()
        .context("cannot parse the certificate")?;
    let key = PrivateKeyDer::from_pem_file(&args.key).context("cannot read the key")?;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .with_no_client_auth()
        .with_single_cert(chain, key)?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Arc::new(config))
}

fn app() -> Router {
    Router::new().route(
        "/api2/json/version",
        get(|| async {
            (
                [("content-type", "application/json;charset=UTF-8")],
                VERSION_BODY,
            )
        }),
    )
}

/// Serves one connection with keep-alive until the peer closes it.
async fn serve<I>(io: I, app: Router)
where
    I: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(Duration::from_secs(30));
    let service = TowerToHyperService::new(app);
    let _ = builder.serve_connection(TokioIo::new(io), service).await;
}

async fn run_tcp(listener: TcpListener, tls: Arc<rustls::ServerConfig>) {
    let acceptor = TlsAcceptor::from(tls);
    let app = app();
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        let _ = stream.set_nodelay(true);
        let acceptor = acceptor.clone();
        let app = app.clone();
        tokio::spawn(async move {
            if let Ok(tls) = acceptor.accept(stream).await {
                serve(tls, app).await;
            }
        });
    }
}

async fn run_unix(listener: UnixListener) {
    let app = app();
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        tokio::spawn(serve(stream, app.clone()));
    }
}

fn main() -> Result<()> {
    let args = parse_args()?;
    let tls = tls_config(&args)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let listener = TcpListener::bind(args.listen).await?;
        if let Some(path) = &args.unix {
            let _ = std::fs::remove_file(path);
            tokio::spawn(run_unix(UnixListener::bind(path)?));
        }
        eprintln!("hello_axum: serving https://{}", listener.local_addr()?);
        run_tcp(listener, tls).await;
        Ok(())
    })
}
