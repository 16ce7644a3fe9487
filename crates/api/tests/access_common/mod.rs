//! Shared setup of the `/access` and `/pools` tests: a fresh one-node root and calls
//! through the router as the server makes them (lookup, permission check, call).

#![allow(dead_code)]

use serde_json::{Map, Value};
use virton_access::password::hash_password;
use virton_api::access::ConfigChecker;
use virton_api::Context;
use virton_config::domains::DomainsConfig;
use virton_config::Format;
use virton_router::{merge_params, to_wire, ApiError, HttpMethod, RpcEnv};
use virton_sys::HostRoot;

/// The password of every user the fixtures create.
pub const PW: &str = "Secret-123";

/// A test root with its context.
pub struct Env {
    /// Keeps the directory alive.
    pub dir: tempfile::TempDir,
    /// The handlers' context.
    pub ctx: Context,
}

/// The current time.
pub fn now() -> i64 {
    virton_api::access::now()
}

fn write(dir: &std::path::Path, rel: &str, text: &str) {
    let path = dir.join("etc/pve").join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// A root with root@pam, `alice@pve` (password [`PW`], member of `staff`) and
/// `bob@pve` (password [`PW`], no privileges).
pub fn setup() -> Env {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    write(p, "domains.cfg", &DomainsConfig::fresh_install().write());
    write(
        p,
        "user.cfg",
        "user:root@pam:1:0:::root@example.com:::\n\
         user:alice@pve:1:0:Alice:A:::::\n\
         user:bob@pve:1:0:::::::\n\
         group:staff:alice@pve::\n",
    );
    let hash = hash_password(PW).unwrap();
    write(
        p,
        "priv/shadow.cfg",
        &format!("alice:{hash}:\nbob:{hash}:\n"),
    );
    write(
        p,
        "storage.cfg",
        "dir: local\n\tpath /var/lib/vz\n\tcontent iso,backup\n\n",
    );
    let ctx = Context::open(HostRoot::new(p), "n1", now()).unwrap();
    Env { dir, ctx }
}

fn params(list: &[(&str, &str)]) -> Map<String, Value> {
    list.iter()
        .map(|(k, v)| (k.to_string(), Value::String(v.to_string())))
        .collect()
}

impl Env {
    /// Calls `verb path` as `authid` (`None`: anonymous) with wire parameters.
    pub fn call(
        &self,
        authid: Option<&str>,
        verb: HttpMethod,
        path: &str,
        list: &[(&str, &str)],
    ) -> Result<Value, ApiError> {
        let router = virton_api::router();
        let (node, path_params) = router
            .lookup(path)
            .ok_or_else(|| ApiError::not_implemented(format!("no such path {path}")))?;
        let method = node
            .get_method(verb)
            .ok_or_else(|| ApiError::not_implemented(format!("no {verb} on {path}")))?;
        let merged = merge_params(path_params, params(list), Map::new())?;
        let mut env = RpcEnv::new(authid.map(str::to_string), "n1");
        env.client_ip = Some("192.0.2.7".parse().unwrap());
        let checker = ConfigChecker::load(&self.ctx)?;
        method.permission.evaluate(&env, &merged, &checker)?;
        method.call(&self.ctx, &env, merged).map(to_wire)
    }

    /// `call` as root@pam.
    pub fn root(
        &self,
        verb: HttpMethod,
        path: &str,
        list: &[(&str, &str)],
    ) -> Result<Value, ApiError> {
        self.call(Some("root@pam"), verb, path, list)
    }

    /// The text of `etc/pve/<rel>`.
    pub fn file(&self, rel: &str) -> String {
        std::fs::read_to_string(self.dir.path().join("etc/pve").join(rel)).unwrap_or_default()
    }
}

/// Asserts an error's status and that its message contains `text`.
pub fn assert_err(r: Result<Value, ApiError>, status: u16, text: &str) {
    match r {
        Ok(v) => panic!("expected error {status} '{text}', got {v}"),
        Err(e) => {
            assert_eq!(e.status, status, "{e}");
            assert!(
                e.to_string().contains(text),
                "'{e}' does not contain '{text}'"
            );
        }
    }
}
