//! The server's [`Authenticator`] over access control: tickets, API tokens, CSRF tokens
//! and the permission checker, all read from the current `user.cfg` (cached by digest
//! in the API context).

use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex};
use virton_access::auth::{check_user_enabled, TokenLogin};
use virton_access::perm::Permissions;
use virton_access::ticket::TicketSubject;
use virton_api::Context;
use virton_api_types::Authid;
use virton_config::user_cfg::token::TokenSecrets;
use virton_config::user_cfg::UserConfig;
use virton_router::PermissionCheck;
use virton_server::{AuthFailure, Authenticator};

/// Seconds since the Unix epoch.
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// Upstream's ticket lifetime: 2 hours.
const TICKET_LIFETIME: i64 = 7200;
/// Verified tickets kept at most; the cache is emptied when it is full.
const TICKET_CACHE_MAX: usize = 4096;

/// Authentication for `virtond`'s server, backed by the API context.
pub struct DaemonAuth {
    ctx: Arc<Context>,
    /// Tickets whose signature was verified: ticket -> (user, end of validity). RSA
    /// verification costs far more than the rest of a request, and clients send the
    /// same ticket with every request for up to two hours.
    verified: Mutex<HashMap<String, (Authid, i64)>>,
}

impl DaemonAuth {
    /// An authenticator reading keys and configs through `ctx`.
    pub fn new(ctx: Arc<Context>) -> Self {
        Self {
            ctx,
            verified: Mutex::new(HashMap::new()),
        }
    }

    /// The user of a ticket whose signature was verified before and is still valid.
    fn cached(&self, ticket: &str, now: i64) -> Option<Authid> {
        let cache = self.verified.lock().unwrap_or_else(|e| e.into_inner());
        cache
            .get(ticket)
            .filter(|(_, until)| now < *until)
            .map(|(authid, _)| authid.clone())
    }

    fn remember(&self, ticket: &str, authid: &Authid, until: i64) {
        let mut cache = self.verified.lock().unwrap_or_else(|e| e.into_inner());
        if cache.len() >= TICKET_CACHE_MAX {
            cache.clear();
        }
        cache.insert(ticket.to_string(), (authid.clone(), until));
    }

    /// Verifies the ticket's signature and age (RSA), without the cache.
    fn verify_signature(&self, ticket: &str, now: i64) -> Result<(Authid, i64), AuthFailure> {
        let verified = self
            .ctx
            .keys
            .verify_ticket(ticket, now)
            .map_err(|_| AuthFailure::failed())?;
        let TicketSubject::User(userid) = verified.subject else {
            return Err(AuthFailure::failed());
        };
        let authid = userid.as_str().parse().map_err(|_| AuthFailure::failed())?;
        Ok((authid, now - verified.age + TICKET_LIFETIME))
    }

    fn users(&self) -> Result<Arc<UserConfig>, AuthFailure> {
        self.ctx.user_config().map_err(|_| AuthFailure::failed())
    }
}

impl Authenticator for DaemonAuth {
    fn verify_ticket(&self, ticket: &str) -> Result<Authid, AuthFailure> {
        let now = now();
        let authid = match self.cached(ticket, now) {
            Some(authid) => authid,
            None => {
                let (authid, until) = self.verify_signature(ticket, now)?;
                self.remember(ticket, &authid, until);
                authid
            }
        };
        // Checked on every request: a disabled or expired user loses access at once.
        let users = self.users()?;
        check_user_enabled(&users, &authid.to_string(), now).map_err(|_| AuthFailure::failed())?;
        Ok(authid)
    }

    fn verify_token(&self, authid: &Authid, secret: &str) -> Result<(), AuthFailure> {
        let users = self.users()?;
        let (secrets, _) = self
            .ctx
            .store
            .read::<TokenSecrets>("priv/token.cfg")
            .map_err(|_| AuthFailure::failed())?;
        let login = TokenLogin {
            users: &users,
            secrets: &secrets,
        };
        login
            .verify(&format!("{authid}={secret}"), now())
            .map(|_| ())
            .map_err(|_| AuthFailure::failed())
    }

    fn verify_csrf(&self, authid: &Authid, token: &str) -> bool {
        self.ctx
            .csrf
            .verify(&authid.to_string(), token, now())
            .is_ok()
    }

    fn is_tfa_pending(&self, ticket: &str) -> bool {
        ticket.starts_with("PVE:!tfa!")
    }

    fn permission_checker(&self) -> Arc<dyn PermissionCheck + Send + Sync> {
        let users = self.ctx.user_config().unwrap_or_default();
        Arc::new(Checker { users })
    }
}

/// Permission checks over one `user.cfg` snapshot.
struct Checker {
    users: Arc<UserConfig>,
}

impl PermissionCheck for Checker {
    fn privileges(&self, authid: &str, path: &str) -> BTreeSet<String> {
        Permissions::new(&self.users).privileges(authid, path)
    }

    /// Upstream's `userid-group`: the privileges on `/access/groups`, or on a group the
    /// target user belongs to.
    fn user_group_privs(&self, authid: &str, target: &str, privs: &[&str]) -> bool {
        let perms = Permissions::new(&self.users);
        let any_on = |path: &str| {
            let held = perms.privileges(authid, path);
            privs.iter().any(|p| held.contains(*p))
        };
        if any_on("/access/groups") {
            return true;
        }
        self.users
            .groups
            .iter()
            .filter(|(_, g)| g.members.contains(target))
            .any(|(name, _)| any_on(&format!("/access/groups/{name}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use virton_sys::HostRoot;

    fn setup() -> (tempfile::TempDir, DaemonAuth, Arc<Context>) {
        let dir = tempfile::tempdir().unwrap();
        let root = HostRoot::new(dir.path());
        crate::init::initialize(&root, "t1").unwrap();
        std::fs::write(
            dir.path().join("etc/pve/user.cfg"),
            "user:root@pam:1:0::::::\nuser:joe@pve:1:0::::::\n",
        )
        .unwrap();
        let ctx = Arc::new(Context::open(root, "t1", now()).unwrap());
        (dir, DaemonAuth::new(ctx.clone()), ctx)
    }

    #[test]
    fn cached_ticket_still_requires_an_enabled_user() {
        let (dir, auth, ctx) = setup();
        let joe: virton_api_types::Userid = "joe@pve".parse().unwrap();
        let ticket = ctx.keys.assemble_user_ticket(&joe, now()).unwrap();
        assert_eq!(auth.verify_ticket(&ticket).unwrap().to_string(), "joe@pve");
        assert!(
            auth.cached(&ticket, now()).is_some(),
            "verified ticket is cached"
        );
        assert_eq!(auth.verify_ticket(&ticket).unwrap().to_string(), "joe@pve");
        std::fs::write(
            dir.path().join("etc/pve/user.cfg"),
            "user:root@pam:1:0::::::\nuser:joe@pve:0:0::::::\n",
        )
        .unwrap();
        assert!(
            auth.verify_ticket(&ticket).is_err(),
            "disabled user is refused despite the cache"
        );
    }

    #[test]
    fn forged_or_expired_tickets_are_refused_and_not_cached() {
        let (_dir, auth, ctx) = setup();
        let joe: virton_api_types::Userid = "joe@pve".parse().unwrap();
        let ticket = ctx.keys.assemble_user_ticket(&joe, now()).unwrap();
        let forged = ticket.replacen("joe@pve", "root@pam", 1);
        assert!(auth.verify_ticket(&forged).is_err());
        assert!(auth.cached(&forged, now()).is_none());
        let old = ctx
            .keys
            .assemble_user_ticket(&joe, now() - TICKET_LIFETIME - 10)
            .unwrap();
        assert!(auth.verify_ticket(&old).is_err());
        // A cached entry past its end of validity is not used.
        auth.remember(&ticket, &"joe@pve".parse().unwrap(), now() - 1);
        assert!(auth.cached(&ticket, now()).is_none());
    }
}
