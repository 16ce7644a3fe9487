//! Load shapes: N keep-alive clients repeating one request for a fixed time, and a burst
//! of connections all open at once. Both count errors instead of stopping at the first.

use super::client::{Connector, Get};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::Barrier;

/// What one load run measured.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Latencies in microseconds, sorted.
    pub latencies_us: Vec<f64>,
    /// Successful requests (or connections, for a burst).
    pub ok: u64,
    /// Failed requests or connections.
    pub errors: u64,
    /// The first error seen, for the report.
    pub first_error: Option<String>,
    /// Wall time of the measured phase.
    pub elapsed: Duration,
    /// Requests answered (all clients).
    pub requests: u64,
}

impl Outcome {
    /// The latency at quantile `q` (0..=1) in microseconds; 0 without samples.
    pub fn quantile(&self, q: f64) -> f64 {
        let Some(last) = self.latencies_us.len().checked_sub(1) else {
            return 0.0;
        };
        // a small non-negative product, clamped to the last index
        let idx = ((last as f64) * q).round() as usize;
        self.latencies_us.get(idx.min(last)).copied().unwrap_or(0.0)
    }

    /// Answered requests per second of wall time.
    pub fn rps(&self) -> f64 {
        let secs = self.elapsed.as_secs_f64();
        if secs > 0.0 {
            self.requests as f64 / secs
        } else {
            0.0
        }
    }

    fn merge(&mut self, other: Outcome) {
        self.latencies_us.extend(other.latencies_us);
        self.ok += other.ok;
        self.errors += other.errors;
        self.requests += other.requests;
        if self.first_error.is_none() {
            self.first_error = other.first_error;
        }
    }

    fn fail(&mut self, e: anyhow::Error) {
        self.errors += 1;
        if self.first_error.is_none() {
            self.first_error = Some(format!("{e:#}"));
        }
    }

    fn finish(mut self, start: Instant) -> Self {
        self.elapsed = start.elapsed();
        self.latencies_us.sort_by(f64::total_cmp);
        self
    }
}

/// One client: a keep-alive connection (reopened after an error) sending `get` until
/// `deadline`; latencies are kept only after `measure_from`.
async fn client(
    conn: Connector,
    get: Arc<Get>,
    measure_from: Instant,
    deadline: Instant,
) -> Outcome {
    let mut out = Outcome::default();
    let mut open = None;
    while Instant::now() < deadline {
        let c = match open.take() {
            Some(c) => c,
            None => match conn.connect().await {
                Ok(c) => c,
                Err(e) => {
                    out.fail(e);
                    tokio::time::sleep(Duration::from_millis(10)).await;
                    continue;
                }
            },
        };
        let mut c = c;
        let start = Instant::now();
        let result = c.get(&get).await;
        let measured = start >= measure_from;
        match result {
            Ok(_) if measured => {
                out.latencies_us.push(start.elapsed().as_secs_f64() * 1e6);
                out.ok += 1;
                out.requests += 1;
                open = Some(c);
            }
            Ok(_) => open = Some(c),
            Err(e) if measured => out.fail(e),
            Err(_) => {}
        }
    }
    out
}

/// `clients` keep-alive clients send `get` for `warmup` (not measured) then `secs`.
pub async fn keepalive(
    conn: &Connector,
    get: &Get,
    clients: usize,
    warmup: Duration,
    secs: Duration,
) -> Outcome {
    let get = Arc::new(get.clone());
    let measure_from = Instant::now() + warmup;
    let deadline = measure_from + secs;
    let handles: Vec<_> = (0..clients)
        .map(|_| tokio::spawn(client(conn.clone(), get.clone(), measure_from, deadline)))
        .collect();
    let mut total = Outcome::default();
    for h in handles {
        match h.await {
            Ok(o) => total.merge(o),
            Err(e) => total.fail(e.into()),
        }
    }
    // the measured phase runs from `measure_from` until the last client stopped
    total.finish(measure_from)
}

/// One burst connection: connect and answer one request, wait until every connection
/// got that far (so all are open at once), then `more` requests. The latency is the
/// time to the first answer.
async fn burst_conn(
    conn: Connector,
    get: Arc<Get>,
    barrier: Arc<Barrier>,
    more: usize,
    wait: Duration,
) -> Outcome {
    let mut out = Outcome::default();
    let start = Instant::now();
    let first = async {
        let mut c = conn.connect().await?;
        c.get(&get).await?;
        anyhow::Ok(c)
    }
    .await;
    let latency = start.elapsed().as_secs_f64() * 1e6;
    // a connection stuck in its handshake must not hold the others forever
    let _ = tokio::time::timeout(wait, barrier.wait()).await;
    let mut c = match first {
        Ok(c) => c,
        Err(e) => {
            out.fail(e);
            return out;
        }
    };
    out.latencies_us.push(latency);
    out.requests += 1;
    for _ in 0..more {
        match c.get(&get).await {
            Ok(_) => out.requests += 1,
            Err(e) => {
                out.fail(e);
                return out;
            }
        }
    }
    out.ok += 1;
    out
}

/// `conns` connections opened at once, each doing `1 + more` requests; bounded by
/// `limit` (connections still busy then count as errors).
pub async fn burst(
    conn: &Connector,
    get: &Get,
    conns: usize,
    more: usize,
    limit: Duration,
) -> Outcome {
    let get = Arc::new(get.clone());
    let barrier = Arc::new(Barrier::new(conns));
    let start = Instant::now();
    let handles: Vec<_> = (0..conns)
        .map(|_| {
            tokio::spawn(burst_conn(
                conn.clone(),
                get.clone(),
                barrier.clone(),
                more,
                limit / 2,
            ))
        })
        .collect();
    let mut total = Outcome::default();
    for h in handles {
        let left = limit.saturating_sub(start.elapsed());
        match tokio::time::timeout(left, h).await {
            Ok(Ok(o)) => total.merge(o),
            Ok(Err(e)) => total.fail(e.into()),
            Err(_) => total.fail(anyhow::anyhow!("connection still busy after {limit:?}")),
        }
    }
    total.finish(start)
}
