//! Runs every peer suite as part of `cargo test`; skipped (with the reason printed) when
//! the peer directory is absent, as on a clone without `../shared`.

#[test]
fn every_peer_suite_passes() {
    let dir = std::env::var_os("VIRTON_PEER_DIR")
        .map(Into::into)
        .unwrap_or_else(virton_conformance::default_peer_dir);
    if !dir.is_dir() {
        eprintln!("peer conformance skipped: {} is absent", dir.display());
        return;
    }
    let mut failed = Vec::new();
    for r in virton_conformance::run_all(&dir, &[]) {
        if let Some(why) = r.skipped {
            eprintln!("{}: skipped ({why})", r.name);
            continue;
        }
        for (case, why) in r.failures {
            failed.push(format!("{}: {case}: {why}", r.name));
        }
    }
    assert!(
        failed.is_empty(),
        "{} peer cases failed:\n{}",
        failed.len(),
        failed.join("\n")
    );
}
