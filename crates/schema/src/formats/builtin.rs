//! The formats upstream's configuration files and API use, with upstream's messages.
//!
//! Simple ones are one anchored regular expression plus a message (`{}` stands for the
//! value); the rest are small functions. Pure; must not touch the registry.

use super::net;
use crate::text::parse_size;
use regex::Regex;
use std::collections::HashMap;
use std::sync::OnceLock;

/// A format that is one regular expression.
struct Simple {
    name: &'static str,
    pattern: &'static str,
    message: &'static str,
}

const USER_RE: &str = r"[^\s:/]+";
const REALM_RE: &str = r"[A-Za-z][A-Za-z0-9\.\-_]+";
const EMAIL_USER_RE: &str = r"[\w\+\-\~]+(?:\.[\w\+\-\~]+)*";
const EMAIL_DOMAIN_RE: &str = r"[a-zA-Z0-9\-]+(?:\.[a-zA-Z0-9\-]+)*";
const ID_RE: &str = r"(?i)^[a-z][a-z0-9\-_\.]*[a-z0-9]$";

const SIMPLE: &[Simple] = &[
    Simple {
        name: "urlencoded",
        pattern: r"^[-%a-zA-Z0-9_.!~*'()]*$",
        message: "invalid urlencoded string: {}",
    },
    Simple {
        name: "pve-configid",
        pattern: r"(?i)^[a-z][a-z0-9_-]+$",
        message: "invalid configuration ID '{}'",
    },
    Simple {
        name: "pve-storage-id",
        pattern: ID_RE,
        message: "storage ID '{}' contains illegal characters",
    },
    Simple {
        name: "acme-plugin-id",
        pattern: ID_RE,
        message: "ACME plugin ID '{}' contains illegal characters",
    },
    Simple {
        name: "pve-bridge-id",
        pattern: r"^[-_.\w\d]+$",
        message: "invalid bridge ID '{}'",
    },
    Simple {
        name: "pve-vmid",
        pattern: r"^[1-9][0-9]{2,8}$",
        message: "value does not look like a valid VM ID",
    },
    Simple {
        name: "pve-node",
        pattern: r"^[a-zA-Z0-9](?:[a-zA-Z0-9\-]*[a-zA-Z0-9])?$",
        message: "value does not look like a valid node name",
    },
    Simple {
        name: "mac-addr",
        pattern: r"(?i)^[a-f0-9][02468ace](?::[a-f0-9]{2}){5}$",
        message: "value does not look like a valid unicast MAC address",
    },
    Simple {
        name: "ldap-simple-attr",
        pattern: r"^[a-zA-Z0-9]+$",
        message: "value '{}' does not look like a simple ldap attribute name",
    },
    Simple {
        name: "pve-iface",
        pattern: r"(?i)^[a-z][a-z0-9_]{1,20}(?:[:\.]\d+)?$",
        message: "invalid network interface name '{}'",
    },
    Simple {
        name: "pve-tag",
        pattern: r"(?i)^[a-z0-9_][a-z0-9_\-\+\.]*$",
        message: "invalid characters in tag",
    },
    Simple {
        name: "pve-tfa-secret",
        pattern: r"^(?:v2-0x[0-9a-fA-F]{16,128}|v2-[A-Z2-7=]{16,128}|[A-Z2-7=]{16}|[A-Fa-f0-9]{40})$",
        message: "unable to decode TFA secret",
    },
    Simple {
        name: "pve-task-status-type",
        pattern: r"(?i)^(?:ok|error|warning|unknown)$",
        message: "invalid status '{}'",
    },
    Simple {
        name: "pve-realm",
        pattern: r"^[A-Za-z][A-Za-z0-9\.\-_]+$",
        message: "value does not look like a valid realm",
    },
    Simple {
        name: "pve-groupid",
        pattern: r"^[A-Za-z0-9\.\-_]+$",
        message: "group name '{}' contains invalid characters",
    },
    Simple {
        name: "pve-roleid",
        pattern: r"^[A-Za-z0-9\.\-_]+$",
        message: "role name '{}' contains invalid characters",
    },
    Simple {
        name: "pve-volume-id",
        pattern: r"(?i)^[a-z][a-z0-9\-_\.]*[a-z0-9]:.+$",
        message: "unable to parse volume ID '{}'",
    },
    Simple {
        name: "pve-storage-path",
        pattern: r"^/[^;\(\)]+",
        message: "value does not look like a valid absolute path",
    },
    Simple {
        name: "pve-storage-vgname",
        pattern: r"(?i)^[a-z0-9][a-z0-9\-_\.]*[a-z0-9]$",
        message: "lvm name '{}' contains illegal characters",
    },
    Simple {
        name: "pve-storage-options",
        pattern: r"^\S+$",
        message: "invalid options '{}'",
    },
    Simple {
        name: "pve-storage-format",
        pattern: r"^(?:raw|qcow2|vmdk|subvol)$",
        message: "invalid format '{}'",
    },
];

fn compiled() -> &'static HashMap<&'static str, (Regex, &'static str)> {
    static MAP: OnceLock<HashMap<&'static str, (Regex, &'static str)>> = OnceLock::new();
    MAP.get_or_init(|| {
        SIMPLE
            .iter()
            .map(|s| {
                // The patterns are constants of this file, covered by its tests.
                let re = Regex::new(s.pattern).expect("constant format regex");
                (s.name, (re, s.message))
            })
            .collect()
    })
}

fn regex(cell: &'static OnceLock<Regex>, build: fn() -> String) -> &'static Regex {
    cell.get_or_init(|| Regex::new(&build()).expect("constant format regex"))
}

/// A built-in format, looked up once: one regular expression with its message, or a
/// function.
#[derive(Clone, Copy)]
pub enum Builtin {
    /// `(pattern, message)`; `{}` in the message stands for the value.
    Simple(&'static Regex, &'static str),
    /// A validator function.
    Custom(Check),
}

impl Builtin {
    /// Checks one value.
    pub fn check(self, value: &str) -> Result<(), String> {
        match self {
            // The message is only built when the value fails.
            Builtin::Simple(re, message) if !re.is_match(value) => {
                Err(message.replace("{}", value))
            }
            Builtin::Simple(..) => Ok(()),
            Builtin::Custom(f) => f(value),
        }
    }
}

/// The built-in format `name`, if there is one.
pub fn lookup(name: &str) -> Option<Builtin> {
    if let Some((re, message)) = compiled().get(name) {
        return Some(Builtin::Simple(re, message));
    }
    custom(name).map(Builtin::Custom)
}

/// Checks `value` against the built-in format `name`; `None` if `name` is not built in.
pub fn check(name: &str, value: &str) -> Option<Result<(), String>> {
    lookup(name).map(|b| b.check(value))
}

/// True if `name` is a built-in format.
pub fn is_builtin(name: &str) -> bool {
    lookup(name).is_some()
}

fn fail_unless(ok: bool, message: &str) -> Result<(), String> {
    if ok {
        Ok(())
    } else {
        Err(message.to_string())
    }
}

/// A validator of one built-in format.
pub type Check = fn(&str) -> Result<(), String>;

fn custom(name: &str) -> Option<Check> {
    let f: Check = match name {
        "string" => |_| Ok(()),
        "ipv4" => |v| {
            fail_unless(
                net::is_ipv4(v),
                "value does not look like a valid IPv4 address",
            )
        },
        "ipv6" => |v| {
            fail_unless(
                net::is_ipv6(v),
                "value does not look like a valid IPv6 address",
            )
        },
        "ip" => |v| fail_unless(is_ip(v), "value does not look like a valid IP address"),
        "ipv4mask" => |v| {
            fail_unless(
                net::netmask_bits(v).is_some(),
                "value does not look like a valid IP netmask",
            )
        },
        "CIDRv4" => |v| {
            fail_unless(
                net::is_cidr_v4(v),
                "value does not look like a valid IPv4 CIDR network",
            )
        },
        "CIDRv6" => |v| {
            fail_unless(
                net::is_cidr_v6(v),
                "value does not look like a valid IPv6 CIDR network",
            )
        },
        "CIDR" => |v| fail_unless(is_cidr(v), "value does not look like a valid CIDR network"),
        "pve-ipv4-config" => ipv4_config,
        "pve-ipv6-config" => ipv6_config,
        "email" => |v| {
            fail_unless(
                is_email(v),
                "value does not look like a valid email address",
            )
        },
        "email-or-username" => email_or_username,
        "dns-name" => |v| {
            fail_unless(
                net::is_dns_name(v),
                "value does not look like a valid DNS name",
            )
        },
        "address" => address,
        "disk-size" => disk_size,
        "pve-vlan-id-or-range" => vlan_id_or_range,
        "pve-startup-order" => startup_order,
        "pve-userid" => userid,
        "pve-tokenid" => tokenid,
        "pve-poolid" => poolid,
        "storage-pair" => |v| id_pair(v, "pve-storage-id"),
        "bridge-pair" => |v| id_pair(v, "pve-bridge-id"),
        "pve-storage-server" => storage_server,
        "pve-storage-portal-dns" => |v| {
            fail_unless(
                net::is_host_and_port(v),
                "value does not look like a valid portal address",
            )
        },
        "pve-volume-id-or-qm-path" => volume_id_or_qm_path,
        "pve-volume-id-or-absolute-path" => volume_id_or_absolute_path,
        _ => return None,
    };
    Some(f)
}

fn is_ip(v: &str) -> bool {
    net::is_ipv4(v) || net::is_ipv6(v)
}

fn is_cidr(v: &str) -> bool {
    net::is_cidr_v4(v) || net::is_cidr_v6(v)
}

fn ipv4_config(v: &str) -> Result<(), String> {
    let ok = v == "dhcp" || v == "manual" || net::is_cidr_v4(v);
    fail_unless(
        ok,
        "value does not look like a valid ipv4 network configuration",
    )
}

fn ipv6_config(v: &str) -> Result<(), String> {
    let ok = matches!(v, "auto" | "dhcp" | "manual") || net::is_cidr_v6(v);
    fail_unless(
        ok,
        "value does not look like a valid ipv6 network configuration",
    )
}

fn is_email(v: &str) -> bool {
    static RE: OnceLock<Regex> = OnceLock::new();
    regex(&RE, || format!("^{EMAIL_USER_RE}@{EMAIL_DOMAIN_RE}$")).is_match(v)
}

fn email_or_username(v: &str) -> Result<(), String> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let user = regex(&RE, || format!("^{EMAIL_USER_RE}$"));
    fail_unless(
        is_email(v) || user.is_match(v),
        "value does not look like a valid email address or user name",
    )
}

fn address(v: &str) -> Result<(), String> {
    let ok = is_ip(v) || net::is_dns_name(v);
    fail_unless(
        ok,
        &format!("value does not look like a valid address: {v}"),
    )
}

fn storage_server(v: &str) -> Result<(), String> {
    let ok = is_ip(v) || net::is_dns_name(v);
    fail_unless(
        ok,
        "value does not look like a valid server name or IP address",
    )
}

fn disk_size(v: &str) -> Result<(), String> {
    fail_unless(
        parse_size(v).is_some(),
        &format!("value does not look like a valid disk size: {v}"),
    )
}

fn vlan_tag_ok(tag: &str) -> Result<(), String> {
    let n: u64 = tag.parse().unwrap_or(u64::MAX);
    fail_unless(
        (2..=4094).contains(&n),
        &format!("invalid VLAN tag '{tag}'"),
    )
}

fn vlan_id_or_range(v: &str) -> Result<(), String> {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let (start, end) = match v.split_once('-') {
        Some((s, e)) => (s, Some(e)),
        None => (v, None),
    };
    if !digits(start) || end.is_some_and(|e| !digits(e)) {
        return Err(format!("invalid VLAN configuration '{v}'"));
    }
    vlan_tag_ok(start)?;
    // Upstream skips the end when it is Perl-false ("0").
    let Some(end) = end.filter(|e| *e != "0") else {
        return Ok(());
    };
    vlan_tag_ok(end)?;
    let (s, e): (u64, u64) = (start.parse().unwrap_or(0), end.parse().unwrap_or(0));
    fail_unless(
        s < e,
        &format!("VLAN range must go from lower to higher tag '{v}'"),
    )
}

fn startup_order(v: &str) -> Result<(), String> {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let part_ok = |p: &str| {
        p.trim().is_empty()
            || digits(p.strip_prefix("order=").unwrap_or(p))
            || p.strip_prefix("up=").is_some_and(digits)
            || p.strip_prefix("down=").is_some_and(digits)
    };
    let ok = crate::text::perl_truthy(v) && v.split(',').all(part_ok);
    fail_unless(ok, "unable to parse startup options")
}

fn userid(v: &str) -> Result<(), String> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let len = v.chars().count();
    if len < 3 {
        return Err(format!("user name '{v}' is too short"));
    }
    if len > 64 {
        return Err(format!("user name '{v}' is too long ({len} > 64)"));
    }
    let re = regex(&RE, || format!("^{USER_RE}@{REALM_RE}$"));
    fail_unless(
        re.is_match(v),
        &format!("value '{v}' does not look like a valid user name"),
    )
}

fn tokenid(v: &str) -> Result<(), String> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = regex(&RE, || format!("^{USER_RE}@{REALM_RE}!{REALM_RE}$"));
    fail_unless(
        re.is_match(v),
        &format!("value '{v}' does not look like a valid token ID"),
    )
}

fn poolid(v: &str) -> Result<(), String> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let mut levels: Vec<&str> = v.split('/').collect();
    // Perl's split drops trailing empty fields.
    while levels.last().is_some_and(|l| l.is_empty()) {
        levels.pop();
    }
    if levels.len() > 3 {
        return Err(format!(
            "pool name '{v}' nested too deeply (max levels = 3)"
        ));
    }
    let re = regex(&RE, || {
        r"^[A-Za-z0-9\.\-_]+(?:/[A-Za-z0-9\.\-_]+){0,2}$".to_string()
    });
    fail_unless(
        re.is_match(v),
        &format!("pool name '{v}' contains invalid characters"),
    )
}

/// One entry of a `storage-pair`/`bridge-pair` list: `1`, `ID`, or `SOURCE:TARGET`.
fn id_pair(v: &str, id_format: &str) -> Result<(), String> {
    let check_id = |id: &str| {
        check(id_format, id)
            .unwrap_or(Ok(()))
            .map_err(|e| format!("entry '{v}' contains invalid ID - {e}"))
    };
    if v == "1" {
        return Ok(());
    }
    match v.split_once(':') {
        Some((source, target))
            if !source.is_empty() && !target.is_empty() && !target.contains(':') =>
        {
            check_id(source)?;
            check_id(target)
        }
        _ => check_id(v),
    }
}

fn volume_id_or_qm_path(v: &str) -> Result<(), String> {
    if v == "none" || v == "cdrom" {
        return Ok(());
    }
    volume_id_or_absolute_path(v)
}

fn volume_id_or_absolute_path(v: &str) -> Result<(), String> {
    if v.starts_with('/') {
        return Ok(());
    }
    check("pve-volume-id", v).unwrap_or(Ok(()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_simple_pattern_compiles() {
        assert_eq!(compiled().len(), SIMPLE.len());
    }
}
