//! The registry of suites this crate knows, one module per peer `.jsonl` file.

use crate::Suite;

mod access_perm;
mod access_userconfig;
mod common_calendar;
mod common_propstring;
mod corosync_roundtrip;
mod net_interfaces;
mod qemu_parse_config;

/// Every suite, in the order they are reported.
pub const ALL: &[Suite] = &[
    Suite {
        name: "access-perm",
        check: access_perm::check,
    },
    Suite {
        name: "access-userconfig",
        check: access_userconfig::check,
    },
    Suite {
        name: "common-calendar",
        check: common_calendar::check,
    },
    Suite {
        name: "common-propstring",
        check: common_propstring::check,
    },
    Suite {
        name: "corosync-roundtrip",
        check: corosync_roundtrip::check,
    },
    Suite {
        name: "net-interfaces",
        check: net_interfaces::check,
    },
    Suite {
        name: "qemu-parse-config",
        check: qemu_parse_config::check,
    },
];
