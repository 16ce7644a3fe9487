//! `virtond`: the VirtOn node daemon.
//!
//! `virtond --root DIR [--node NAME] [--listen ADDR:PORT]`. On an empty root it first
//! lays out a one-node install as a fresh Proxmox VE would (see [`init`]), then serves
//! the API over HTTPS and the local socket until SIGTERM/SIGINT. It only wires the
//! components together; they live in their own crates.

mod args;
mod auth;
mod init;

use anyhow::{Context as _, Result};
use std::process::ExitCode;
use std::sync::Arc;
use virton_server::ServerConfig;
use virton_sys::HostRoot;

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("virtond: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<()> {
    let args = match args::Args::parse(std::env::args().skip(1))? {
        args::Parsed::Run(a) => a,
        args::Parsed::Help(text) => {
            println!("{text}");
            return Ok(());
        }
    };
    let root = HostRoot::new(&args.root);
    let report = init::initialize(&root, &args.node)?;
    for line in &report.created {
        eprintln!("virtond: created {line}");
    }
    let certs = virton_server::ensure_certificates(&root, &args.node)
        .context("cannot set up TLS certificates")?;
    let ctx = Arc::new(
        virton_api::Context::open(root.clone(), &args.node, auth::now())
            .context("cannot open the API context")?,
    );
    let router = Arc::new(virton_api::router());
    let mut config = ServerConfig::new(root, &args.node);
    config.listen = args.listen;
    config.openapi_json = Arc::from(virton_router::dump::openapi_json(&router));
    let authenticator = Arc::new(auth::DaemonAuth::new(ctx.clone()));
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(async move {
        let server = virton_server::Server::bind(config, router, ctx, authenticator).await?;
        let fingerprint = virton_server::certs::pem_file_fingerprint(&certs.node_cert)
            .unwrap_or_else(|e| format!("unknown: {e}"));
        eprintln!(
            "virtond: node '{}' serving https://{} (certificate fingerprint {fingerprint}) and {}",
            args.node,
            server.local_addr()?,
            server.socket_path().display()
        );
        server.run(virton_server::shutdown_signal()).await
    })
}
