//! `virton-conformance [--peer DIR] [--verbose] [SUITE...]`: prints `SUITE: N passed, M failed`
//! per suite and a final `N passed, M failed`; exits 1 when any case failed.

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut dir = virton_conformance::default_peer_dir();
    let mut verbose = false;
    let mut only = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--peer" => match args.next() {
                Some(d) => dir = PathBuf::from(d),
                None => {
                    eprintln!("--peer needs a directory");
                    return ExitCode::from(2);
                }
            },
            "-v" | "--verbose" => verbose = true,
            _ => only.push(arg),
        }
    }
    let reports = virton_conformance::run_all(&dir, &only);
    let (mut passed, mut failed) = (0, 0);
    for r in &reports {
        if let Some(why) = &r.skipped {
            println!("{}: skipped ({why})", r.name);
            continue;
        }
        println!(
            "{}: {} passed, {} failed",
            r.name,
            r.passed,
            r.failures.len()
        );
        for (case, reason) in &r.excepted {
            println!("  EXCEPTION {case}: {reason}");
        }
        for (case, why) in r.failures.iter().take(if verbose { usize::MAX } else { 5 }) {
            println!("  FAIL {case}: {}", why.replace('\n', "\n       "));
        }
        passed += r.passed;
        failed += r.failures.len();
    }
    println!("{passed} passed, {failed} failed");
    if failed > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
