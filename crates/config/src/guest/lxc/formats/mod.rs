//! Typed property-string formats of container config keys (`rootfs`, `mpN`, `netN`,
//! `features`, `devN`, `unusedN`) and their registration under the format names of the
//! raw key table ([`crate::guest::keys`]).

pub mod misc;
pub mod mount;
pub mod net;

use crate::guest::formats::{check_typed, register as reg};
use misc::{DeviceEntry, Features};
use mount::{CtUnused, MountPoint, Rootfs};
use net::CtNet;

/// Registers the container formats (called once through
/// [`crate::guest::formats::ensure_registered`]).
pub(crate) fn register() {
    reg("pve-lxc-mp-string", mount::check_mp_string);
    reg("pve-lxc-dev-string", misc::check_dev_string);
    reg("pve-ct-rootfs", check_typed::<Rootfs>);
    reg("pve-ct-mountpoint", check_typed::<MountPoint>);
    reg("pve-ct-unused", check_typed::<CtUnused>);
    reg("pve-ct-net", check_typed::<CtNet>);
    reg("pve-ct-features", check_typed::<Features>);
    reg("pve-ct-dev", check_typed::<DeviceEntry>);
}
