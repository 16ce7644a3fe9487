//! `/access`: login tickets, users and their API tokens and second factors, groups,
//! roles, the ACL, realms, passwords and effective permissions. One file per subpath;
//! the domain work is in `virton_access::admin`.
//!
//! Permission rules that the route table cannot express (`userid-group` with a
//! `groups` parameter, `userid-param(Realm.AllocateUser)`, `perm-modify`) are declared
//! as the nearest expressible rule and completed by the handlers.

pub mod acl;
pub mod domains;
pub mod groups;
pub mod password;
pub mod permissions;
pub mod roles;
pub mod tfa;
pub mod ticket;
pub mod tokens;
pub mod users;

use crate::error::OrApi;
use crate::Context;
use serde::Serialize;
use serde_json::{Map, Value};
use std::collections::BTreeSet;
use std::sync::OnceLock;
use virton_access::admin::{self, checks, USER_CFG};
use virton_access::perm::Permissions;
use virton_config::user_cfg::UserConfig;
use virton_router::{ApiError, PermissionCheck, Router, RpcEnv};
use virton_schema::{ApiType, ObjectSchema, Schema};

/// The `null` result of methods that return nothing.
#[derive(Debug, Clone, Copy, Default)]
pub struct Null;

impl Serialize for Null {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_unit()
    }
}

impl ApiType for Null {
    fn api_schema() -> &'static Schema {
        &Schema::Null
    }
}

/// A JSON object whose keys are data (privilege maps, realm options).
#[derive(Debug, Clone, Default, Serialize)]
#[serde(transparent)]
pub struct FreeObject(pub Map<String, Value>);

impl ApiType for FreeObject {
    fn api_schema() -> &'static Schema {
        static SCHEMA: OnceLock<Schema> = OnceLock::new();
        SCHEMA.get_or_init(|| {
            Schema::Object(ObjectSchema {
                additional_properties: true,
                ..Default::default()
            })
        })
    }
}

/// Declares a list type for use inside list items. `Vec<T>` cannot be nested there:
/// its cached schema is built under a lock that the outer `Vec`'s build already holds.
#[macro_export]
macro_rules! nested_list {
    ($(#[$m:meta])* $name:ident, $item:ty) => {
        $(#[$m])*
        #[derive(Debug, Default, serde::Serialize)]
        #[serde(transparent)]
        pub struct $name(pub Vec<$item>);

        impl FromIterator<$item> for $name {
            fn from_iter<I: IntoIterator<Item = $item>>(iter: I) -> Self {
                Self(iter.into_iter().collect())
            }
        }

        impl virton_schema::ApiType for $name {
            fn api_schema() -> &'static virton_schema::Schema {
                static SCHEMA: std::sync::OnceLock<virton_schema::Schema> =
                    std::sync::OnceLock::new();
                SCHEMA.get_or_init(|| {
                    virton_schema::Schema::Array(virton_schema::ArraySchema {
                        description: None,
                        items: Box::new(<$item as virton_schema::ApiType>::api_schema().clone()),
                    })
                })
            }
        }
    };
}

/// The current time in Unix seconds.
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

/// The parsed `user.cfg`.
pub fn user_cfg(ctx: &Context) -> Result<UserConfig, ApiError> {
    admin::read::<UserConfig>(&ctx.store, USER_CFG).or_api()
}

/// [`PermissionCheck`] over one snapshot of `user.cfg`, with upstream's rules.
#[derive(Debug, Clone)]
pub struct ConfigChecker(pub UserConfig);

impl ConfigChecker {
    /// A checker over the current `user.cfg`.
    pub fn load(ctx: &Context) -> Result<Self, ApiError> {
        user_cfg(ctx).map(Self)
    }
}

impl PermissionCheck for ConfigChecker {
    fn privileges(&self, authid: &str, path: &str) -> BTreeSet<String> {
        Permissions::new(&self.0).privileges(authid, path)
    }

    fn user_group_privs(&self, authid: &str, target: &str, privs: &[&str]) -> bool {
        checks::user_group_allowed(&Permissions::new(&self.0), authid, target, privs)
    }
}

/// The caller, or 401.
pub fn caller(env: &RpcEnv) -> Result<&str, ApiError> {
    env.caller()
}

/// Routes of `/access`.
pub fn router() -> Router<Context> {
    Router::new()
        .get(crate::dir_index(&[
            "users",
            "groups",
            "roles",
            "acl",
            "domains",
            "tfa",
            "ticket",
            "password",
            "permissions",
        ]))
        .subdir("acl", acl::router())
        .subdir("domains", domains::router())
        .subdir("groups", groups::router())
        .subdir("password", password::router())
        .subdir("permissions", permissions::router())
        .subdir("roles", roles::router())
        .subdir("tfa", tfa::router())
        .subdir("ticket", ticket::router())
        .subdir("users", users::router())
}
