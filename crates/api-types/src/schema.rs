//! `ApiType` for the identifier newtypes: each is a string (or, for `Vmid`, an
//! integer) schema carrying the named upstream format that validates it, so
//! API parameter checks and generated docs agree with `FromStr`.

use crate::{
    Authid, ConfigId, GroupId, MacAddr, NodeName, PoolId, RealmId, RoleId, SnapshotName, StorageId,
    TokenName, Upid, Userid, Vmid, VolumeId,
};
use std::sync::OnceLock;
use virton_schema::{ApiType, IntegerSchema, Schema, StringFormat, StringSchema};

/// Pattern of an API token name (same rule as a realm).
const TOKEN_NAME_PATTERN: &str = r"[A-Za-z][A-Za-z0-9\.\-_]+";
/// Pattern of a user or token ID.
const AUTHID_PATTERN: &str = r"[^\s:/]+@[A-Za-z][A-Za-z0-9\.\-_]+(?:![A-Za-z][A-Za-z0-9\.\-_]+)?";

/// What distinguishes one identifier's string schema.
#[derive(Default)]
struct Spec {
    description: &'static str,
    format: Option<&'static str>,
    pattern: Option<&'static str>,
    max_length: Option<usize>,
    format_description: Option<&'static str>,
}

fn string_schema(spec: Spec) -> Schema {
    Schema::String(StringSchema {
        description: Some(spec.description.to_string()),
        format: spec.format.map(|f| StringFormat::Named(f.to_string())),
        pattern: spec.pattern.map(String::from),
        max_length: spec.max_length,
        format_description: spec.format_description.map(String::from),
        ..Default::default()
    })
}

macro_rules! string_api_type {
    ($ty:ty, $spec:expr) => {
        impl ApiType for $ty {
            fn api_schema() -> &'static Schema {
                static SCHEMA: OnceLock<Schema> = OnceLock::new();
                SCHEMA.get_or_init(|| string_schema($spec))
            }
        }
    };
}

impl ApiType for Vmid {
    fn api_schema() -> &'static Schema {
        static SCHEMA: OnceLock<Schema> = OnceLock::new();
        SCHEMA.get_or_init(|| {
            Schema::Integer(IntegerSchema {
                description: Some("Guest (VM or container) ID.".to_string()),
                minimum: Some(i64::from(Vmid::MIN)),
                maximum: Some(i64::from(Vmid::MAX)),
                ..Default::default()
            })
        })
    }
}

string_api_type!(
    NodeName,
    Spec {
        description: "Cluster node name.",
        format: Some("pve-node"),
        ..Default::default()
    }
);
string_api_type!(
    StorageId,
    Spec {
        description: "Storage ID.",
        format: Some("pve-storage-id"),
        format_description: Some("storage ID"),
        ..Default::default()
    }
);
string_api_type!(
    VolumeId,
    Spec {
        description: "Volume ID (<storage>:<volume name>).",
        format: Some("pve-volume-id"),
        ..Default::default()
    }
);
string_api_type!(
    Userid,
    Spec {
        description: "User ID (<name>@<realm>).",
        format: Some("pve-userid"),
        max_length: Some(64),
        ..Default::default()
    }
);
string_api_type!(
    RealmId,
    Spec {
        description: "Authentication realm.",
        format: Some("pve-realm"),
        max_length: Some(32),
        ..Default::default()
    }
);
string_api_type!(
    TokenName,
    Spec {
        description: "API token name of a user.",
        pattern: Some(TOKEN_NAME_PATTERN),
        ..Default::default()
    }
);
string_api_type!(
    Authid,
    Spec {
        description: "User ID or API token ID (<user>!<token>).",
        pattern: Some(AUTHID_PATTERN),
        ..Default::default()
    }
);
string_api_type!(
    GroupId,
    Spec {
        description: "Group name.",
        format: Some("pve-groupid"),
        ..Default::default()
    }
);
string_api_type!(
    RoleId,
    Spec {
        description: "Role name.",
        format: Some("pve-roleid"),
        ..Default::default()
    }
);
string_api_type!(
    PoolId,
    Spec {
        description: "Resource pool (nested as a/b/c).",
        format: Some("pve-poolid"),
        ..Default::default()
    }
);
string_api_type!(
    ConfigId,
    Spec {
        description: "Configuration ID.",
        format: Some("pve-configid"),
        ..Default::default()
    }
);
string_api_type!(
    SnapshotName,
    Spec {
        description: "Snapshot name.",
        format: Some("pve-configid"),
        max_length: Some(40),
        ..Default::default()
    }
);
string_api_type!(
    MacAddr,
    Spec {
        description: "Unicast MAC address.",
        format: Some("mac-addr"),
        format_description: Some("XX:XX:XX:XX:XX:XX"),
        ..Default::default()
    }
);
string_api_type!(
    Upid,
    Spec {
        description: "Worker task ID (UPID).",
        ..Default::default()
    }
);

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use virton_schema::verify;

    fn accepts<T: ApiType>(value: serde_json::Value) -> bool {
        verify(&value, T::api_schema()).is_ok()
    }

    #[test]
    fn schemas_accept_what_from_str_accepts() {
        assert!(accepts::<Vmid>(json!(100)));
        assert!(accepts::<NodeName>(json!("pve-1")));
        assert!(accepts::<StorageId>(json!("local-lvm")));
        assert!(accepts::<VolumeId>(json!("local:iso/x.iso")));
        assert!(accepts::<Userid>(json!("root@pam")));
        assert!(accepts::<RealmId>(json!("pve")));
        assert!(accepts::<TokenName>(json!("tok1")));
        assert!(accepts::<Authid>(json!("root@pam!tok1")));
        assert!(accepts::<Authid>(json!("root@pam")));
        assert!(accepts::<GroupId>(json!("admins")));
        assert!(accepts::<RoleId>(json!("PVEAdmin")));
        assert!(accepts::<PoolId>(json!("a/b/c")));
        assert!(accepts::<ConfigId>(json!("net0")));
        assert!(accepts::<SnapshotName>(json!("before")));
        assert!(accepts::<MacAddr>(json!("BC:24:11:00:00:01")));
        assert!(accepts::<Upid>(json!(
            "UPID:n:00000001:00000002:00000003:t::root@pam:"
        )));
    }

    #[test]
    fn schemas_reject_what_from_str_rejects() {
        assert!(!accepts::<Vmid>(json!(99)));
        assert!(!accepts::<NodeName>(json!("-x")));
        assert!(!accepts::<StorageId>(json!("1x")));
        assert!(!accepts::<Userid>(json!("root")));
        assert!(!accepts::<RealmId>(json!(format!("r{}", "x".repeat(32)))));
        assert!(!accepts::<TokenName>(json!("t")));
        assert!(!accepts::<Authid>(json!("root!x")));
        assert!(!accepts::<SnapshotName>(json!("s".repeat(41))));
        assert!(!accepts::<MacAddr>(json!("01:00:00:00:00:00")));
    }
}
