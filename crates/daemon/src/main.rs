//! `virtond`: the VirtOn node daemon.
//!
//! `virtond --root DIR [--node NAME] [--listen ADDR:PORT]`. On an empty root it first
//! lays out a one-node install as a fresh Proxmox VE would (see [`init`]). It wires the
//! components together; they live in their own crates.

mod args;
mod init;

use anyhow::Result;
use std::process::ExitCode;
use virton_sys::HostRoot;

fn main() -> ExitCode {
    match run() {
        Ok(code) => code,
        Err(e) => {
            eprintln!("virtond: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<ExitCode> {
    let args = match args::Args::parse(std::env::args().skip(1))? {
        args::Parsed::Run(a) => a,
        args::Parsed::Help(text) => {
            println!("{text}");
            return Ok(ExitCode::SUCCESS);
        }
    };
    let root = HostRoot::new(&args.root);
    let report = init::initialize(&root, &args.node)?;
    for line in &report.created {
        eprintln!("virtond: created {line}");
    }
    eprintln!(
        "virtond: node '{}' ready on root {} (listen {} requested)",
        args.node,
        args.root.display(),
        args.listen
    );
    eprintln!(
        "virtond: this build has no API server yet (HTTPS on {}); the root is initialized and \
         virtond exits",
        args.listen
    );
    Ok(ExitCode::from(3))
}
