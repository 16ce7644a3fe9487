//! Host tier: runs the real KVM probe against this machine's `/dev/kvm`.
//! Whatever the verdict, the probe must come back promptly and never hang.

use std::time::{Duration, Instant};
use virton_sys::facts::kvm;
use virton_sys::{HostRoot, KvmState};

#[test]
fn kvm_probe_returns_promptly_with_a_verdict() {
    let dev = HostRoot::system().dev("kvm").unwrap();
    let start = Instant::now();
    let state = kvm::probe(&dev, kvm::DEFAULT_TIMEOUT);
    let took = start.elapsed();
    println!("kvm probe: {state:?} in {took:?}");
    assert!(took < Duration::from_secs(5), "probe took {took:?}");
    if !dev.exists() {
        assert_eq!(state, KvmState::Absent);
    }
}
