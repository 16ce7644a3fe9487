//! The tiny test guest (a counted loop, then `hlt`), run inside the forked probe child.
//!
//! Everything here runs after fork() in a possibly multi-threaded process, so
//! it must not allocate, lock, or call anything but raw syscalls. Results are
//! two bytes: a stage code and a detail byte, turned into text by the parent.

use super::super::KvmState;
use super::ioctl;
use std::os::fd::RawFd;

/// Guest-physical address of the code page.
const GUEST_ADDR: u64 = 0x1000;
const PAGE: usize = 0x1000;
/// Real-mode code: `mov ecx, 0x400000; a32 loop $; hlt`.
///
/// A bare `hlt` is not enough: on some nested hosts a guest does run, but at
/// about a microsecond per instruction, which is a hang for any real guest.
/// Four million loop iterations take milliseconds on working KVM and seconds
/// there, so the probe's deadline separates the two.
const CODE: [u8; 10] = [0x66, 0xb9, 0x00, 0x00, 0x40, 0x00, 0x67, 0xe2, 0xfd, 0xf4];
const KVM_EXIT_HLT: u32 = 5;
/// Offset of `exit_reason` in `struct kvm_run`.
const EXIT_REASON_OFFSET: usize = 8;

const STAGE_OK: u8 = 0;
const STAGE_UNEXPECTED_EXIT: u8 = 9;
const STAGES: [&str; 9] = [
    "ok",
    "KVM_CREATE_VM failed",
    "unable to map guest memory",
    "KVM_SET_USER_MEMORY_REGION failed",
    "KVM_CREATE_VCPU failed",
    "unable to map the vCPU run area",
    "unable to set vCPU segment registers",
    "unable to set vCPU registers",
    "KVM_RUN failed",
];

#[repr(C)]
#[derive(Clone, Copy, Default)]
struct Segment {
    base: u64,
    limit: u32,
    selector: u16,
    type_: u8,
    present: u8,
    dpl: u8,
    db: u8,
    s: u8,
    l: u8,
    g: u8,
    avl: u8,
    unusable: u8,
    padding: u8,
}

#[repr(C)]
#[derive(Clone, Copy, Default)]
struct Dtable {
    base: u64,
    limit: u16,
    padding: [u16; 3],
}

#[repr(C)]
#[derive(Clone, Copy, Default)]
struct Sregs {
    segments: [Segment; 8], // cs, ds, es, fs, gs, ss, tr, ldt
    gdt: Dtable,
    idt: Dtable,
    control: [u64; 7], // cr0, cr2, cr3, cr4, cr8, efer, apic_base
    interrupt_bitmap: [u64; 4],
}

#[repr(C)]
struct MemoryRegion {
    slot: u32,
    flags: u32,
    guest_phys_addr: u64,
    memory_size: u64,
    userspace_addr: u64,
}

// The sizes are part of the ioctl numbers; a layout mistake must not compile.
const _: () = assert!(std::mem::size_of::<Sregs>() == 312);
const _: () = assert!(std::mem::size_of::<MemoryRegion>() == 32);
const _: () = assert!(std::mem::size_of::<[u64; 18]>() == 144);

/// Turn the child's two bytes into a state.
pub(super) fn interpret(reply: Option<[u8; 2]>) -> KvmState {
    let Some([stage, detail]) = reply else {
        return KvmState::Unusable {
            reason: "KVM probe process died".to_string(),
        };
    };
    if stage == STAGE_OK {
        return KvmState::Usable;
    }
    let reason = match STAGES.get(usize::from(stage)) {
        Some(what) => format!("{what} (errno {detail})"),
        None if stage == STAGE_UNEXPECTED_EXIT => {
            format!("test guest stopped with KVM exit reason {detail}")
        }
        None => format!("KVM probe failed (stage {stage})"),
    };
    KvmState::Unusable { reason }
}

fn errno() -> u8 {
    // SAFETY: reading the calling thread's errno location, always valid.
    let e = unsafe { *libc::__errno_location() };
    u8::try_from(e).unwrap_or(u8::MAX)
}

/// Run the test guest; returns `[stage, detail]`. Child side only.
pub(super) fn run(kvm: RawFd) -> [u8; 2] {
    match run_inner(kvm) {
        Ok(reason) if reason == KVM_EXIT_HLT => [STAGE_OK, 0],
        Ok(reason) => [
            STAGE_UNEXPECTED_EXIT,
            u8::try_from(reason).unwrap_or(u8::MAX),
        ],
        Err(stage) => [stage, errno()],
    }
}

fn check(rc: libc::c_int, stage: u8) -> Result<libc::c_int, u8> {
    if rc < 0 {
        Err(stage)
    } else {
        Ok(rc)
    }
}

fn map(len: usize, flags: libc::c_int, fd: RawFd, stage: u8) -> Result<*mut u8, u8> {
    // SAFETY: a fresh mapping at a kernel-chosen address; nothing aliases it.
    let ptr = unsafe {
        libc::mmap(
            std::ptr::null_mut(),
            len,
            libc::PROT_READ | libc::PROT_WRITE,
            flags,
            fd,
            0,
        )
    };
    if ptr == libc::MAP_FAILED {
        Err(stage)
    } else {
        Ok(ptr.cast())
    }
}

/// Set up VM, memory and vCPU, run once, return the exit reason. The child
/// exits right after, so fds and mappings are released by the kernel.
fn run_inner(kvm: RawFd) -> Result<u32, u8> {
    // SAFETY: KVM_CREATE_VM takes the machine type as an integer (0 = default).
    let vm = check(unsafe { libc::ioctl(kvm, ioctl::CREATE_VM as _, 0) }, 1)?;
    map_code_page(vm)?;
    // SAFETY: KVM_CREATE_VCPU takes the vCPU id as an integer.
    let vcpu = check(unsafe { libc::ioctl(vm, ioctl::CREATE_VCPU as _, 0) }, 4)?;
    // SAFETY: KVM_GET_VCPU_MMAP_SIZE takes no argument.
    let run_size = check(
        unsafe { libc::ioctl(kvm, ioctl::GET_VCPU_MMAP_SIZE as _, 0) },
        5,
    )?;
    let run_len = usize::try_from(run_size).map_err(|_| 5u8)?;
    let run_area = map(run_len, libc::MAP_SHARED, vcpu, 5)?;
    point_vcpu_at_code(vcpu)?;
    // SAFETY: KVM_RUN takes no argument; its results land in the run area.
    check(unsafe { libc::ioctl(vcpu, ioctl::RUN as _, 0) }, 8)?;
    // SAFETY: the run area is at least a page long and `exit_reason` is a u32 at
    // offset 8 of `struct kvm_run`, 4-byte aligned within the page-aligned map.
    Ok(unsafe {
        run_area
            .add(EXIT_REASON_OFFSET)
            .cast::<u32>()
            .read_volatile()
    })
}

/// Give the VM one page of memory at `GUEST_ADDR` holding [`CODE`].
fn map_code_page(vm: RawFd) -> Result<(), u8> {
    let mem = map(PAGE, libc::MAP_PRIVATE | libc::MAP_ANONYMOUS, -1, 2)?;
    // SAFETY: `mem` is a fresh writable mapping of PAGE bytes, longer than CODE.
    unsafe { std::ptr::copy_nonoverlapping(CODE.as_ptr(), mem, CODE.len()) };
    let region = MemoryRegion {
        slot: 0,
        flags: 0,
        guest_phys_addr: GUEST_ADDR,
        memory_size: PAGE as u64,
        userspace_addr: mem as u64,
    };
    // SAFETY: KVM_SET_USER_MEMORY_REGION reads a `struct kvm_userspace_memory_region`,
    // which `MemoryRegion` mirrors; the mapping it names stays alive until exit.
    check(
        unsafe { libc::ioctl(vm, ioctl::SET_USER_MEMORY_REGION as _, &region) },
        3,
    )?;
    Ok(())
}

/// Put the vCPU in real mode with CS base 0 and IP at the code page.
fn point_vcpu_at_code(vcpu: RawFd) -> Result<(), u8> {
    let mut sregs = Sregs::default();
    // SAFETY: KVM_GET_SREGS writes a `struct kvm_sregs`, which `Sregs` mirrors.
    check(
        unsafe { libc::ioctl(vcpu, ioctl::GET_SREGS as _, &mut sregs) },
        6,
    )?;
    sregs.segments[0].base = 0;
    sregs.segments[0].selector = 0;
    // SAFETY: KVM_SET_SREGS reads a `struct kvm_sregs`, which `Sregs` mirrors.
    check(
        unsafe { libc::ioctl(vcpu, ioctl::SET_SREGS as _, &sregs) },
        6,
    )?;
    let mut regs = [0u64; 18];
    regs[16] = GUEST_ADDR; // rip
    regs[17] = 0x2; // rflags: bit 1 is reserved and must be set
                    // SAFETY: KVM_SET_REGS reads a `struct kvm_regs`: 18 u64 ending in rip, rflags.
    check(unsafe { libc::ioctl(vcpu, ioctl::SET_REGS as _, &regs) }, 7)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interpret_maps_child_reports_to_states() {
        assert_eq!(interpret(Some([STAGE_OK, 0])), KvmState::Usable);
        let reason = |r: Option<[u8; 2]>| match interpret(r) {
            KvmState::Unusable { reason } => reason,
            other => panic!("unexpected {other:?}"),
        };
        assert_eq!(reason(Some([1, 13])), "KVM_CREATE_VM failed (errno 13)");
        assert_eq!(
            reason(Some([STAGE_UNEXPECTED_EXIT, 2])),
            "test guest stopped with KVM exit reason 2"
        );
        assert_eq!(reason(Some([200, 0])), "KVM probe failed (stage 200)");
        assert_eq!(reason(None), "KVM probe process died");
    }
}
