//! Raw `lxc.*` keys a container config may carry, as upstream accepts them: the keys
//! passed through to LXC, the ones refused with a reason, and deprecated names with
//! their replacements (accepted with a warning).

/// `lxc.*` keys passed through as they are.
pub const VALID_KEYS: &[&str] = &[
    "lxc.apparmor.allow_incomplete",
    "lxc.apparmor.allow_nesting",
    "lxc.apparmor.profile",
    "lxc.apparmor.raw",
    "lxc.arch",
    "lxc.autodev",
    "lxc.cap.drop",
    "lxc.cap.keep",
    "lxc.console.logfile",
    "lxc.console.path",
    "lxc.devtty.dir",
    "lxc.environment",
    "lxc.environment.hooks",
    "lxc.environment.runtime",
    "lxc.group",
    "lxc.hook.autodev",
    "lxc.hook.clone",
    "lxc.hook.destroy",
    "lxc.hook.mount",
    "lxc.hook.post-stop",
    "lxc.hook.pre-mount",
    "lxc.hook.pre-start",
    "lxc.hook.start",
    "lxc.hook.stop",
    "lxc.hook.version",
    "lxc.idmap",
    "lxc.include",
    "lxc.init.cmd",
    "lxc.init.cwd",
    "lxc.init.gid",
    "lxc.init.groups",
    "lxc.init.uid",
    "lxc.kmsg",
    "lxc.log.file",
    "lxc.log.level",
    "lxc.mount.auto",
    "lxc.mount.entry",
    "lxc.mount.fstab",
    "lxc.pty.max",
    "lxc.rootfs.mount",
    "lxc.seccomp.notify.cookie",
    "lxc.seccomp.notify.proxy",
    "lxc.seccomp.profile",
    "lxc.selinux.context",
    "lxc.signal.halt",
    "lxc.signal.reboot",
    "lxc.signal.stop",
    "lxc.start.auto",
    "lxc.start.delay",
    "lxc.start.order",
    "lxc.sysctl.fs.mqueue",
    "lxc.sysctl.kernel.msgmax",
    "lxc.sysctl.kernel.msgmnb",
    "lxc.sysctl.kernel.msgmni",
    "lxc.sysctl.kernel.sem",
    "lxc.sysctl.kernel.shm_rmid_forced",
    "lxc.sysctl.kernel.shmall",
    "lxc.sysctl.kernel.shmmax",
    "lxc.sysctl.kernel.shmmni",
    "lxc.tty.max",
    "lxc.uts.name",
];

/// Deprecated `lxc.*` keys and the names that replaced them.
pub const DEPRECATED_KEYS: &[(&str, &str)] = &[
    ("lxc.aa_allow_incomplete", "lxc.apparmor.allow_incomplete"),
    ("lxc.aa_profile", "lxc.apparmor.profile"),
    ("lxc.console", "lxc.console.path"),
    ("lxc.devttydir", "lxc.tty.dir"),
    ("lxc.haltsignal", "lxc.signal.halt"),
    ("lxc.id_map", "lxc.idmap"),
    ("lxc.init_cmd", "lxc.init.cmd"),
    ("lxc.logfile", "lxc.log.file"),
    ("lxc.loglevel", "lxc.log.level"),
    ("lxc.mount", "lxc.mount.fstab"),
    ("lxc.network.flags", "lxc.net.INDEX.flags"),
    ("lxc.network.hwaddr", "lxc.net.INDEX.hwaddr"),
    ("lxc.network.ipv4", "lxc.net.INDEX.ipv4.address"),
    ("lxc.network.ipv4.gateway", "lxc.net.INDEX.ipv4.gateway"),
    ("lxc.network.ipv6", "lxc.net.INDEX.ipv6.address"),
    ("lxc.network.ipv6.gateway", "lxc.net.INDEX.ipv6.gateway"),
    ("lxc.network.link", "lxc.net.INDEX.link"),
    ("lxc.network.mtu", "lxc.net.INDEX.mtu"),
    ("lxc.network.name", "lxc.net.INDEX.name"),
    ("lxc.network.script.down", "lxc.net.INDEX.script.down"),
    ("lxc.network.script.up", "lxc.net.INDEX.script.up"),
    ("lxc.network.type", "lxc.net.INDEX.type"),
    ("lxc.pts", "lxc.pty.max"),
    ("lxc.rebootsignal", "lxc.signal.reboot"),
    ("lxc.se_context", "lxc.selinux.context"),
    ("lxc.seccomp", "lxc.seccomp.profile"),
    ("lxc.stopsignal", "lxc.signal.stop"),
    ("lxc.tty", "lxc.tty.max"),
    ("lxc.utsname", "lxc.uts.name"),
];

/// `lxc.*` keys refused with a reason.
pub const REFUSED_KEYS: &[(&str, &str)] = &[
    (
        "lxc.rootfs.options",
        "lxc.rootfs.options is not supported, please use mount point options in the \"rootfs\" key",
    ),
    (
        "lxc.rootfs.path",
        "lxc.rootfs.path is auto generated from rootfs",
    ),
];

/// What upstream makes of an `lxc.*` key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RawKeyValidity {
    /// Accepted; the optional message is a warning to show (renamed or deprecated key).
    Valid(Option<String>),
    /// Refused with this reason.
    Refused(&'static str),
    /// Not a key upstream knows.
    Unknown,
}

/// Classifies an `lxc.*` key; `vmid` only appears in warnings.
pub fn classify(vmid: &str, key: &str) -> RawKeyValidity {
    if key.starts_with("lxc.limit.") {
        let msg = format!("vm {vmid} - {key}: lxc.limit.* was renamed to lxc.prlimit.*");
        return RawKeyValidity::Valid(Some(msg));
    }
    if let Some((_, new)) = DEPRECATED_KEYS.iter().find(|(k, _)| *k == key) {
        let msg = format!("vm {vmid} - {key} is deprecated and was renamed to {new}");
        return RawKeyValidity::Valid(Some(msg));
    }
    if VALID_KEYS.contains(&key) {
        return RawKeyValidity::Valid(None);
    }
    if let Some((_, reason)) = REFUSED_KEYS.iter().find(|(k, _)| *k == key) {
        return RawKeyValidity::Refused(reason);
    }
    if key.starts_with("lxc.cgroup.") {
        let msg =
            format!("vm {vmid} - {key} is deprecated, this will be a hard error in the future!");
        return RawKeyValidity::Valid(Some(msg));
    }
    if ["lxc.cgroup2.", "lxc.prlimit.", "lxc.net."]
        .iter()
        .any(|p| key.starts_with(p))
    {
        return RawKeyValidity::Valid(None);
    }
    RawKeyValidity::Unknown
}
