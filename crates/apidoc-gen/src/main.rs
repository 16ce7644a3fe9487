//! `virton-apidoc-gen DIR`: writes `openapi.json` and `apidoc.json` for the API's route
//! tree into `DIR`. Run by `cargo xtask docgen` (which must not link product crates
//! itself); the files are committed under `docs/reference/` and checked fresh in CI.

use anyhow::{bail, Context, Result};
use std::path::Path;

/// The generated files: name and content.
fn documents() -> [(&'static str, String); 2] {
    let router = virton_api::router();
    [
        ("openapi.json", virton_router::dump::openapi_json(&router)),
        ("apidoc.json", virton_router::dump::apidoc_json(&router)),
    ]
}

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [dir] = args.as_slice() else {
        bail!("usage: virton-apidoc-gen <output directory>");
    };
    let dir = Path::new(dir);
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    for (name, text) in documents() {
        let path = dir.join(name);
        std::fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))?;
        eprintln!("wrote {}", path.display());
    }
    Ok(())
}
