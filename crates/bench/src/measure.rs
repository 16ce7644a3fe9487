//! Timing: repeated samples of a closure, medians and percentiles, and the JSON line
//! that compares a case with its same-run baseline.
//!
//! Every sample is timed twice: on the wall clock and on the calling thread's CPU clock.
//! The machine is shared, so wall times include time the thread waited for a core; the
//! CPU-clock figures (`p50_us`, `ratio_p50`) are the ones to compare, the wall-clock ones
//! (`wall_*`) show what a caller waited under the current load.

use std::hint::black_box;
use std::time::Instant;

/// The calling thread's CPU time in microseconds.
fn thread_cpu_us() -> f64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid, writable timespec for the duration of the call.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    if rc != 0 {
        return 0.0;
    }
    ts.tv_sec as f64 * 1e6 + ts.tv_nsec as f64 / 1e3
}

/// Timings of one closure in microseconds, each list sorted.
pub struct Samples {
    cpu: Vec<f64>,
    wall: Vec<f64>,
}

impl Samples {
    /// Runs `f` once to warm up, then `count` timed times.
    pub fn take<R>(count: usize, mut f: impl FnMut() -> R) -> Self {
        black_box(f());
        let mut cpu = Vec::with_capacity(count);
        let mut wall = Vec::with_capacity(count);
        for _ in 0..count {
            let (c0, w0) = (thread_cpu_us(), Instant::now());
            black_box(f());
            wall.push(w0.elapsed().as_secs_f64() * 1e6);
            cpu.push(thread_cpu_us() - c0);
        }
        cpu.sort_by(f64::total_cmp);
        wall.sort_by(f64::total_cmp);
        Self { cpu, wall }
    }
}

/// The value at quantile `q` (0..=1) of sorted `values`, 0 when there are none.
fn quantile(values: &[f64], q: f64) -> f64 {
    let Some(last) = values.len().checked_sub(1) else {
        return 0.0;
    };
    // rounding a small non-negative product; the index is clamped to the last sample
    let idx = ((last as f64) * q).round() as usize;
    values.get(idx.min(last)).copied().unwrap_or(0.0)
}

fn round3(v: f64) -> f64 {
    (v * 1000.0).round() / 1000.0
}

fn ratio(a: f64, b: f64) -> f64 {
    if b > 0.0 {
        round3(a / b)
    } else {
        0.0
    }
}

/// Prints one result line: a case, how many items one sample handles, its samples and
/// the baseline's samples.
pub fn report(bench: &str, case: &str, items: usize, run: &Samples, baseline: &Samples) {
    let p50 = quantile(&run.cpu, 0.5);
    let base = quantile(&baseline.cpu, 0.5);
    let wall = quantile(&run.wall, 0.5);
    let wall_base = quantile(&baseline.wall, 0.5);
    let line = serde_json::json!({
        "bench": bench,
        "case": case,
        "items": items,
        "p50_us": round3(p50),
        "p99_us": round3(quantile(&run.cpu, 0.99)),
        "baseline_p50_us": round3(base),
        "ratio_p50": ratio(p50, base),
        "per_item_us": round3(p50 / items.max(1) as f64),
        "wall_p50_us": round3(wall),
        "wall_ratio_p50": ratio(wall, wall_base),
    });
    println!("{line}");
}
