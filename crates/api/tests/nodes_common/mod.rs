//! Shared setup of the `/nodes` and `/cluster` tests: a temp root laid out like a fresh
//! one-node install, users with and without privileges, and an in-process call helper
//! that does what the server does (lookup, permission check, call, wire encoding).

#![allow(dead_code)]

use serde_json::{Map, Value};
use std::collections::BTreeSet;
use std::path::Path;
use tempfile::TempDir;
use virton_access::Permissions;
use virton_api::Context;
use virton_config::user_cfg::UserConfig;
use virton_config::Format;
use virton_router::{to_wire, ApiError, HttpMethod, PermissionCheck, Router, RpcEnv};
use virton_sys::HostRoot;

pub const USER_CFG: &str = "\
user:root@pam:1:0:::::::
user:alice@pve:1:0:::::::
user:bob@pve:1:0:::::::
token:alice@pve!tok:0:0::
pool:p1::101,102::
acl:1:/vms/100:alice@pve:PVEAuditor:
acl:1:/pool/p1:alice@pve:PVEAuditor:
acl:1:/storage/local:alice@pve:PVEDatastoreUser:
acl:1:/:bob@pve:PVEAuditor:
";

pub const STORAGE_CFG: &str = "\
dir: local
\tpath /var/lib/vz
\tcontent iso,vztmpl,backup

dir: other
\tpath /srv/other
\tcontent images,rootdir
\tnodes n2

nfs: shared1
\tpath /mnt/pve/shared1
\tserver 10.0.0.1
\texport /export
\tcontent images
";

pub struct TestEnv {
    pub dir: TempDir,
    pub ctx: Context,
    pub router: Router<Context>,
}

pub fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

pub fn setup() -> TestEnv {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "etc/pve/user.cfg", USER_CFG);
    write(root, "etc/pve/storage.cfg", STORAGE_CFG);
    write(root, "etc/pve/datacenter.cfg", "keyboard: en-us\n");
    std::fs::create_dir_all(root.join("etc/pve/nodes/n1/qemu-server")).unwrap();
    std::fs::create_dir_all(root.join("etc/pve/nodes/n1/lxc")).unwrap();
    std::fs::create_dir_all(root.join("var/lib/vz")).unwrap();
    let ctx = Context::open(HostRoot::new(root), "n1", 1_700_000_000).unwrap();
    TestEnv {
        dir,
        ctx,
        router: virton_api::router(),
    }
}

struct Checker(UserConfig);

impl PermissionCheck for Checker {
    fn privileges(&self, authid: &str, path: &str) -> BTreeSet<String> {
        Permissions::new(&self.0).privileges(authid, path)
    }
    fn user_group_privs(&self, _authid: &str, _target: &str, _privs: &[&str]) -> bool {
        false
    }
}

/// The result of one call: the wire data and the envelope's `total`.
pub struct Reply {
    pub data: Value,
    pub total: Option<u64>,
}

impl TestEnv {
    pub fn call(
        &self,
        authid: &str,
        verb: HttpMethod,
        path: &str,
        params: &[(&str, &str)],
    ) -> Result<Reply, ApiError> {
        let (node, path_params) = self.router.lookup(path).ok_or_else(|| {
            ApiError::not_implemented(format!("Method '{verb} {path}' not implemented"))
        })?;
        let method = node.get_method(verb).ok_or_else(|| {
            ApiError::not_implemented(format!("Method '{verb} {path}' not implemented"))
        })?;
        let mut query = Map::new();
        for (k, v) in params {
            query.insert((*k).to_string(), Value::String((*v).to_string()));
        }
        let merged = virton_router::merge_params(path_params, Map::new(), query)?;
        let text = std::fs::read_to_string(self.dir.path().join("etc/pve/user.cfg")).unwrap();
        let checker = Checker(UserConfig::parse("user.cfg", &text).unwrap());
        let env = RpcEnv::new(Some(authid.to_string()), "n1");
        method.permission.evaluate(&env, &merged, &checker)?;
        let data = method.call(&self.ctx, &env, merged)?;
        Ok(Reply {
            data: to_wire(data),
            total: env.total.get(),
        })
    }

    pub fn get(
        &self,
        authid: &str,
        path: &str,
        params: &[(&str, &str)],
    ) -> Result<Reply, ApiError> {
        self.call(authid, HttpMethod::Get, path, params)
    }

    pub fn root_dir(&self) -> &Path {
        self.dir.path()
    }
}
