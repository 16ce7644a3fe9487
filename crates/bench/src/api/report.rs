//! The JSON lines of the `api` benchmark: one per case, flat keys, the same-run
//! baseline's numbers under `baseline_*`, ratios, and the target beside them
//! (reported, never asserted).

use super::load::Outcome;
use serde_json::{json, Map, Value};

/// Rounds to three decimals for readable output.
pub fn round3(v: f64) -> f64 {
    (v * 1000.0).round() / 1000.0
}

/// `a / b`, 0 when `b` is 0.
pub fn ratio(a: f64, b: f64) -> f64 {
    if b > 0.0 {
        round3(a / b)
    } else {
        0.0
    }
}

/// A line being assembled for one case.
pub struct Line(Map<String, Value>);

impl Line {
    /// A line for `case`.
    pub fn new(case: &str) -> Self {
        let mut m = Map::new();
        m.insert("bench".into(), json!("api"));
        m.insert("case".into(), json!(case));
        Self(m)
    }

    /// Adds `key: value`.
    pub fn set(mut self, key: &str, value: impl Into<Value>) -> Self {
        self.0.insert(key.to_string(), value.into());
        self
    }

    /// Adds a load outcome's numbers, each key prefixed with `prefix`.
    pub fn outcome(mut self, prefix: &str, o: &Outcome) -> Self {
        let mut put = |k: &str, v: Value| {
            self.0.insert(format!("{prefix}{k}"), v);
        };
        put("p50_us", json!(round3(o.quantile(0.5))));
        put("p99_us", json!(round3(o.quantile(0.99))));
        put("rps", json!(round3(o.rps())));
        put("requests", json!(o.requests));
        put("errors", json!(o.errors));
        if let Some(e) = &o.first_error {
            put("first_error", json!(e));
        }
        self
    }

    /// Adds a run and its baseline with the latency and throughput ratios.
    pub fn compared(self, run: &Outcome, baseline: &Outcome) -> Self {
        let p50 = ratio(run.quantile(0.5), baseline.quantile(0.5));
        let p99 = ratio(run.quantile(0.99), baseline.quantile(0.99));
        let rps = ratio(run.rps(), baseline.rps());
        self.outcome("", run)
            .outcome("baseline_", baseline)
            .set("ratio_p50", p50)
            .set("ratio_p99", p99)
            .set("ratio_rps", rps)
    }

    /// Adds the target's wording and whether this run met it.
    pub fn target(self, text: &str, met: bool) -> Self {
        self.set("target", text).set("target_met", met)
    }

    /// Prints the line on stdout.
    pub fn print(self) {
        println!("{}", Value::Object(self.0));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn compared_line_has_baseline_and_ratios() {
        let run = Outcome {
            latencies_us: vec![100.0, 200.0],
            requests: 2,
            elapsed: Duration::from_secs(1),
            ..Default::default()
        };
        let base = Outcome {
            latencies_us: vec![50.0, 100.0],
            requests: 4,
            elapsed: Duration::from_secs(1),
            ..Default::default()
        };
        let Line(m) = Line::new("c").compared(&run, &base).target("t", true);
        assert_eq!(m["case"], "c");
        assert_eq!(m["baseline_rps"], 4.0);
        assert_eq!(m["ratio_rps"], 0.5);
        assert_eq!(m["ratio_p99"], 2.0);
        assert_eq!(m["target_met"], true);
    }

    #[test]
    fn zero_baseline_gives_zero_ratio() {
        assert_eq!(ratio(5.0, 0.0), 0.0);
    }
}
