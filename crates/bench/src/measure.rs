//! Timing: repeated samples of a closure, medians and percentiles, and the JSON line
//! that compares a case with its same-run baseline.

use std::hint::black_box;
use std::time::Instant;

/// Timings of one closure in microseconds, sorted.
pub struct Samples(Vec<f64>);

impl Samples {
    /// Runs `f` once to warm up, then `count` timed times.
    pub fn take<R>(count: usize, mut f: impl FnMut() -> R) -> Self {
        black_box(f());
        let mut times: Vec<f64> = (0..count)
            .map(|_| {
                let start = Instant::now();
                black_box(f());
                start.elapsed().as_secs_f64() * 1e6
            })
            .collect();
        times.sort_by(f64::total_cmp);
        Self(times)
    }

    /// The value at quantile `q` (0..=1), 0 when there are no samples.
    pub fn quantile(&self, q: f64) -> f64 {
        let Some(last) = self.0.len().checked_sub(1) else {
            return 0.0;
        };
        // rounding a small non-negative product; the index is clamped to the last sample
        let idx = ((last as f64) * q).round() as usize;
        self.0.get(idx.min(last)).copied().unwrap_or(0.0)
    }
}

fn round3(v: f64) -> f64 {
    (v * 1000.0).round() / 1000.0
}

/// Prints one result line: a case, how many items one sample handles, its samples and
/// the baseline's samples.
pub fn report(bench: &str, case: &str, items: usize, run: &Samples, baseline: &Samples) {
    let p50 = run.quantile(0.5);
    let base = baseline.quantile(0.5);
    let ratio = if base > 0.0 { p50 / base } else { 0.0 };
    let line = serde_json::json!({
        "bench": bench,
        "case": case,
        "items": items,
        "p50_us": round3(p50),
        "p99_us": round3(run.quantile(0.99)),
        "baseline_p50_us": round3(base),
        "ratio_p50": round3(ratio),
        "per_item_us": round3(p50 / items.max(1) as f64),
    });
    println!("{line}");
}
