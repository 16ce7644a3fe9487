//! `virton`: the multi-call binary behind `qm`, `pct`, `pvesm`, `pveum`, `pvecm`, `pvesh`,
//! `pvenode`, `pveam`, `vzdump`, `qmrestore` and `ha-manager`.
//!
//! Called as one of those names (a link to this binary) or as `virton <tool> ...`, it runs
//! that tool. `virton install-links DIR` creates the links. Tools are clients of the local
//! daemon's API socket (`<root>/run/virton/api.sock`); they know every method's
//! parameter schema from the linked route tree (`virton_api::router()`), as upstream's
//! tools know theirs from the API modules.

mod complete;
mod dispatch;
mod failure;
mod getopt;
mod invoke;
mod man;
mod output;
mod password;
mod pvesh;
mod pveum;
mod session;
mod stdopts;
#[cfg(test)]
mod testing;
mod tree;
mod usage;

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    match dispatch::run(&args) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("{e:#}");
            ExitCode::from(255)
        }
    }
}
