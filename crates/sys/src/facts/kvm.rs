//! The KVM usability probe.
//!
//! That `/dev/kvm` opens proves little: on some hosts (nested setups, broken
//! hypervisors) guests are created but barely run. So the probe runs a real
//! guest: one page holding a short counted loop and `hlt`, one vCPU in real mode
//! pointed at it, and `KVM_RUN` must come back with `KVM_EXIT_HLT` before the
//! deadline (milliseconds on working KVM; see `guest.rs`). The guest runs in a
//! forked child that is killed when it does not report in time, so a hung
//! `KVM_RUN` can never hang the calling process.

use super::KvmState;
use std::fs::OpenOptions;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;
use std::time::{Duration, Instant};

/// How long the test guest may take to reach its `hlt` (it needs a few ms).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(1);

/// The reason reported when the test guest never returns from `KVM_RUN`.
pub const HANG_REASON: &str = "KVM_RUN did not complete (guests hang)";

const KVM_API_VERSION: i32 = 12;

/// Probe `dev_kvm` (normally `/dev/kvm`), giving the guest `timeout` to halt.
pub fn probe(dev_kvm: &Path, timeout: Duration) -> KvmState {
    if !dev_kvm.exists() {
        return KvmState::Absent;
    }
    let unusable = |reason: String| KvmState::Unusable { reason };
    let kvm = match OpenOptions::new()
        .read(true)
        .write(true)
        .custom_flags(libc::O_CLOEXEC)
        .open(dev_kvm)
    {
        Ok(file) => file,
        Err(err) => return unusable(format!("unable to open '{}' - {err}", dev_kvm.display())),
    };
    // SAFETY: KVM_GET_API_VERSION takes no argument and only returns a number.
    let version = unsafe { libc::ioctl(kvm.as_raw_fd(), ioctl::GET_API_VERSION as _, 0) };
    if version != KVM_API_VERSION {
        return unusable(format!("unsupported KVM API version {version}"));
    }
    run_guest_in_child(kvm.as_raw_fd(), timeout)
}

#[cfg(target_arch = "x86_64")]
fn run_guest_in_child(kvm_fd: RawFd, timeout: Duration) -> KvmState {
    let (read_end, write_end) = match pipe() {
        Ok(fds) => fds,
        Err(err) => {
            return KvmState::Unusable {
                reason: format!("unable to create pipe - {err}"),
            }
        }
    };
    // SAFETY: fork has no memory-safety preconditions. The child only issues
    // async-signal-safe syscalls (ioctl, mmap, write, _exit) and never returns
    // into Rust code that could allocate or take locks held by other threads.
    let pid = unsafe { libc::fork() };
    if pid < 0 {
        let err = std::io::Error::last_os_error();
        return KvmState::Unusable {
            reason: format!("unable to fork probe process - {err}"),
        };
    }
    if pid == 0 {
        let result = guest::run(kvm_fd);
        // SAFETY: writing a two-byte stack buffer to a pipe fd we own, then
        // leaving the child without running any Rust destructors or atexit hooks.
        unsafe {
            libc::write(write_end.as_raw_fd(), result.as_ptr().cast(), result.len());
            libc::_exit(0);
        }
    }
    drop(write_end);
    let reply = wait_reply(&read_end, timeout);
    reap(pid, reply.is_none());
    match reply {
        None => KvmState::Unusable {
            reason: HANG_REASON.to_string(),
        },
        Some(bytes) => guest::interpret(bytes),
    }
}

#[cfg(not(target_arch = "x86_64"))]
fn run_guest_in_child(_kvm_fd: RawFd, _timeout: Duration) -> KvmState {
    KvmState::Unusable {
        reason: "KVM probe is only implemented for x86_64".to_string(),
    }
}

fn pipe() -> std::io::Result<(OwnedFd, OwnedFd)> {
    let mut fds = [0 as RawFd; 2];
    // SAFETY: `fds` is a valid two-element array for pipe2 to fill.
    if unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) } != 0 {
        return Err(std::io::Error::last_os_error());
    }
    // SAFETY: pipe2 succeeded, so both fds are open and owned by nobody else.
    Ok(unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) })
}

/// Wait for the child's two result bytes; `None` on timeout.
fn wait_reply(read_end: &OwnedFd, timeout: Duration) -> Option<Option<[u8; 2]>> {
    let deadline = Instant::now() + timeout;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let millis = i32::try_from(left.as_millis()).unwrap_or(i32::MAX);
        let mut pfd = libc::pollfd {
            fd: read_end.as_raw_fd(),
            events: libc::POLLIN,
            revents: 0,
        };
        // SAFETY: one valid pollfd, count 1.
        let rc = unsafe { libc::poll(&mut pfd, 1, millis) };
        if rc > 0 {
            break;
        }
        let interrupted =
            rc < 0 && std::io::Error::last_os_error().raw_os_error() == Some(libc::EINTR);
        if !interrupted || left.is_zero() {
            return None;
        }
    }
    let mut buf = [0u8; 2];
    // SAFETY: reading at most 2 bytes into a 2-byte buffer from an open fd.
    let n = unsafe { libc::read(read_end.as_raw_fd(), buf.as_mut_ptr().cast(), buf.len()) };
    // A short read means the child died before reporting.
    Some((n == 2).then_some(buf))
}

/// Reap the child, killing it first if it is still running the guest.
fn reap(pid: libc::pid_t, kill: bool) {
    if kill {
        // SAFETY: `pid` is our unreaped child, so it cannot have been reused.
        unsafe { libc::kill(pid, libc::SIGKILL) };
    }
    // A child stuck in an uninterruptible state is left behind rather than
    // blocking the caller: poll for at most a second.
    let deadline = Instant::now() + Duration::from_secs(1);
    let mut status = 0;
    loop {
        // SAFETY: waitpid on our own child with a valid status pointer.
        let rc = unsafe { libc::waitpid(pid, &mut status, libc::WNOHANG) };
        if rc != 0 || Instant::now() >= deadline {
            return;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

mod ioctl {
    //! KVM ioctl request numbers (linux/kvm.h), computed like the `_IO*` macros.
    const KVMIO: u64 = 0xAE;
    const fn io(nr: u64) -> u64 {
        (KVMIO << 8) | nr
    }
    const fn iow(nr: u64, size: usize) -> u64 {
        (1 << 30) | ((size as u64) << 16) | io(nr)
    }
    const fn ior(nr: u64, size: usize) -> u64 {
        (2 << 30) | ((size as u64) << 16) | io(nr)
    }
    pub const GET_API_VERSION: u64 = io(0x00);
    pub const CREATE_VM: u64 = io(0x01);
    pub const GET_VCPU_MMAP_SIZE: u64 = io(0x04);
    pub const CREATE_VCPU: u64 = io(0x41);
    pub const SET_USER_MEMORY_REGION: u64 = iow(0x46, 32);
    pub const RUN: u64 = io(0x80);
    pub const SET_REGS: u64 = iow(0x82, 144);
    pub const GET_SREGS: u64 = ior(0x83, 312);
    pub const SET_SREGS: u64 = iow(0x84, 312);
}

#[cfg(target_arch = "x86_64")]
mod guest;
