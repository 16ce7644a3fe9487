//! [`Context`]: what every handler can reach — the host root, config files, tasks and
//! access control — opened once by the daemon.

use std::sync::{Arc, Mutex};
use virton_access::pam::Pam;
use virton_access::tfa::lockout::Lockout;
use virton_access::ticket::{AuthKeys, CsrfSecret};
use virton_config::datacenter::DatacenterConfig;
use virton_config::store::ConfigStore;
use virton_config::user_cfg::UserConfig;
use virton_config::Digest;
use virton_router::ApiError;
use virton_sys::HostRoot;
use virton_tasks::TaskManager;

/// Shared state of all handlers.
pub struct Context {
    /// The host root.
    pub root: HostRoot,
    /// This node's name.
    pub node: String,
    /// Config files below `etc/pve`.
    pub store: ConfigStore,
    /// Worker tasks of this node.
    pub tasks: TaskManager,
    /// Ticket signing keys.
    pub keys: AuthKeys,
    /// CSRF token secret.
    pub csrf: CsrfSecret,
    /// Failed-login lockout.
    pub lockout: Lockout,
    /// PAM for the `pam` realm.
    pub pam: Arc<Pam>,
    users: Mutex<Option<(Digest, Arc<UserConfig>)>>,
}

/// Opening the context failed.
#[derive(Debug, thiserror::Error)]
#[error("{what}: {message}")]
pub struct ContextError {
    what: &'static str,
    message: String,
}

fn ctx_err(what: &'static str) -> impl Fn(String) -> ContextError {
    move |message| ContextError { what, message }
}

impl Context {
    /// Opens (and on first use creates) keys, secrets and the task store under `root`.
    pub fn open(root: HostRoot, node: &str, now: i64) -> Result<Self, ContextError> {
        let node_name = node
            .parse()
            .map_err(|e: virton_api_types::IdError| ctx_err("node name")(e.to_string()))?;
        let tasks = TaskManager::new(root.clone(), node_name)
            .map_err(|e| ctx_err("task store")(e.to_string()))?;
        let keys = AuthKeys::load_or_generate(&root, now)
            .map_err(|e| ctx_err("ticket keys")(e.to_string()))?;
        let csrf = CsrfSecret::load_or_generate(&root)
            .map_err(|e| ctx_err("CSRF secret")(e.to_string()))?;
        Ok(Self {
            store: ConfigStore::new(root.clone()),
            root,
            node: node.to_string(),
            tasks,
            keys,
            csrf,
            lockout: Lockout::new(),
            pam: Arc::new(Pam::new("proxmox-ve-auth")),
            users: Mutex::new(None),
        })
    }

    /// The current `user.cfg`, parsed once per change of its digest: every request's
    /// permission check reads it, so re-parsing it each time would dominate.
    pub fn user_config(&self) -> Result<Arc<UserConfig>, ApiError> {
        let path = self
            .store
            .path("user.cfg")
            .map_err(|e| ApiError::internal(e.to_string()))?;
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
            Err(e) => return Err(ApiError::internal(format!("unable to read user.cfg - {e}"))),
        };
        let digest = Digest::of(&text);
        let mut cache = self.users.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((d, cfg)) = cache.as_ref() {
            if *d == digest {
                return Ok(cfg.clone());
            }
        }
        let cfg = Arc::new(UserConfig::parse_with_report(&text).0);
        *cache = Some((digest, cfg.clone()));
        Ok(cfg)
    }

    /// The `console` setting of datacenter.cfg, if any.
    pub fn datacenter_console(&self) -> Option<String> {
        let (dc, _) = self.store.read::<DatacenterConfig>("datacenter.cfg").ok()?;
        dc.settings
            .get("console")
            .and_then(|v| v.as_str())
            .map(str::to_string)
    }
}
