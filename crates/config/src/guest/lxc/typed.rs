//! Typed accessors of a container config: property-string values read into the structs
//! of [`super::formats`] and written back in upstream's canonical form.

use super::formats::mount::{MountPoint, Rootfs};
use super::formats::net::CtNet;
use super::CtConfig;
use crate::guest::formats::{typed_get, typed_print, GuestFormat, GuestValueError};
use crate::guest::keys::ct_family;

impl CtConfig {
    /// The value of `key` in the current configuration as format `T`.
    pub fn get_typed<T: GuestFormat>(&self, key: &str) -> Result<Option<T>, GuestValueError> {
        typed_get(key, self.get(key))
    }

    /// Sets `key` to the canonical text of `value` (checked like [`Self::set`]).
    pub fn set_typed<T: GuestFormat>(
        &mut self,
        key: &str,
        value: &T,
    ) -> Result<(), GuestValueError> {
        let text = typed_print(key, value)?;
        self.set(key, &text)
            .map_err(|e| GuestValueError::new(key, e))
    }

    /// The root file system.
    pub fn rootfs(&self) -> Result<Option<Rootfs>, GuestValueError> {
        self.get_typed("rootfs")
    }

    /// The mount points (`mpN`), by index.
    pub fn mount_points(&self) -> Result<Vec<(u32, MountPoint)>, GuestValueError> {
        self.typed_family("mp")
    }

    /// The network interfaces (`netN`), by index.
    pub fn nets(&self) -> Result<Vec<(u32, CtNet)>, GuestValueError> {
        self.typed_family("net")
    }

    /// Every member of family `prefix` (`mp`, `net`, `dev`, `unused`) as format `T`.
    pub fn typed_family<T: GuestFormat>(
        &self,
        prefix: &str,
    ) -> Result<Vec<(u32, T)>, GuestValueError> {
        self.main
            .values
            .iter()
            .filter_map(|(k, v)| match ct_family(k) {
                Some((f, index)) if f.prefix == prefix => Some((k, index, v)),
                _ => None,
            })
            .map(|(key, index, text)| {
                T::parse(text)
                    .map(|v| (index, v))
                    .map_err(|e| GuestValueError::new(key, e))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::guest::lxc::formats::misc::Features;
    use crate::Format;

    const TEXT: &str =
        "arch: amd64\nfeatures: nesting=1\nmp0: local:100/vm-100-disk-1.raw,mp=/srv,size=2G\n\
        net0: name=eth0,bridge=vmbr0,hwaddr=BC:24:11:00:00:02,ip=dhcp,type=veth\n\
        rootfs: local-lvm:vm-100-disk-0,size=8G\n";

    #[test]
    fn container_volumes_and_nets_are_typed() {
        let conf = CtConfig::parse("lxc/100.conf", TEXT).expect("parses");
        let rootfs = conf.rootfs().expect("valid").expect("set");
        assert_eq!(rootfs.volume, "local-lvm:vm-100-disk-0");
        let mps = conf.mount_points().expect("valid");
        assert_eq!(mps[0].1.mp, "/srv");
        assert_eq!(conf.nets().expect("valid")[0].1.name, "eth0");
        let f: Features = conf.get_typed("features").expect("valid").expect("set");
        assert_eq!(f.nesting, Some(true));
    }

    #[test]
    fn container_setters_write_canonical_text() {
        let mut conf = CtConfig::parse("lxc/100.conf", TEXT).expect("parses");
        let mut rootfs = conf.rootfs().expect("valid").expect("set");
        rootfs.acl = Some(false);
        conf.set_typed("rootfs", &rootfs).expect("sets");
        assert_eq!(
            conf.get("rootfs"),
            Some("local-lvm:vm-100-disk-0,acl=0,size=8G")
        );
    }
}
