//! In-memory lockout after repeated failed logins or second factors.
//!
//! Design (ours; upstream persists TOTP and TFA locks in `tfa.cfg`, which
//! [`super::TfaUser`] honours): failures are counted per user id and per client
//! address. [`MAX_FAILURES`] failures within [`WINDOW`] seconds lock that user or that
//! address for [`LOCK_TIME`] seconds from the last failure; a success clears the user's
//! count (not the address's, so one good account cannot reset a scanner). State lives in
//! the process only: a restart forgets it, which is acceptable for rate limiting.
//!
//! Must not depend on: anything but `std`.

use std::collections::HashMap;
use std::sync::Mutex;

/// Failures tolerated within the window.
pub const MAX_FAILURES: usize = 5;
/// Window in which failures are counted (seconds).
pub const WINDOW: i64 = 15 * 60;
/// How long a lock lasts after the failure that caused it (seconds).
pub const LOCK_TIME: i64 = 15 * 60;

#[derive(Debug, Default)]
struct Counters {
    by_user: HashMap<String, Vec<i64>>,
    by_addr: HashMap<String, Vec<i64>>,
}

/// Failure counters shared by all requests of a process.
#[derive(Debug, Default)]
pub struct Lockout {
    inner: Mutex<Counters>,
}

fn locked(times: Option<&Vec<i64>>, now: i64) -> bool {
    let Some(times) = times else { return false };
    let recent = times.iter().filter(|&&t| now - t < WINDOW).count();
    let last = times.iter().copied().max().unwrap_or(i64::MIN);
    recent >= MAX_FAILURES && now - last < LOCK_TIME
}

impl Lockout {
    /// A fresh set of counters.
    pub fn new() -> Self {
        Self::default()
    }

    /// True when `user` or `addr` is currently locked out.
    pub fn is_locked(&self, user: &str, addr: Option<&str>, now: i64) -> bool {
        let Ok(c) = self.inner.lock() else {
            return true;
        };
        locked(c.by_user.get(user), now) || addr.is_some_and(|a| locked(c.by_addr.get(a), now))
    }

    /// Records a failed attempt.
    pub fn record_failure(&self, user: &str, addr: Option<&str>, now: i64) {
        let Ok(mut c) = self.inner.lock() else {
            return;
        };
        let prune = |v: &mut Vec<i64>| v.retain(|&t| now - t < WINDOW.max(LOCK_TIME));
        let times = c.by_user.entry(user.to_string()).or_default();
        prune(times);
        times.push(now);
        if let Some(addr) = addr {
            let times = c.by_addr.entry(addr.to_string()).or_default();
            prune(times);
            times.push(now);
        }
    }

    /// Records a successful login of `user`.
    pub fn record_success(&self, user: &str) {
        if let Ok(mut c) = self.inner.lock() {
            c.by_user.remove(user);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_failures_lock_user_and_address_until_lock_time_passes() {
        let l = Lockout::new();
        for i in 0..4 {
            l.record_failure("joe@pve", Some("10.0.0.9"), 1000 + i);
        }
        assert!(!l.is_locked("joe@pve", Some("10.0.0.9"), 1004));
        l.record_failure("joe@pve", Some("10.0.0.9"), 1004);
        assert!(l.is_locked("joe@pve", None, 1005));
        assert!(l.is_locked("max@pve", Some("10.0.0.9"), 1005));
        assert!(!l.is_locked("max@pve", Some("10.0.0.8"), 1005));
        assert!(!l.is_locked("joe@pve", None, 1004 + LOCK_TIME));
    }

    #[test]
    fn success_clears_user_but_not_address() {
        let l = Lockout::new();
        for i in 0..5 {
            l.record_failure("joe@pve", Some("10.0.0.9"), 1000 + i);
        }
        l.record_success("joe@pve");
        assert!(!l.is_locked("joe@pve", None, 1010));
        assert!(l.is_locked("joe@pve", Some("10.0.0.9"), 1010));
    }

    #[test]
    fn failures_spread_beyond_the_window_do_not_lock() {
        let l = Lockout::new();
        for i in 0..10 {
            l.record_failure("joe@pve", None, i * WINDOW / 4);
        }
        assert!(!l.is_locked("joe@pve", None, 9 * WINDOW / 4 + 1));
    }
}
