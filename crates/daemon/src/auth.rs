//! The server's [`Authenticator`] over access control: tickets, API tokens, CSRF tokens
//! and the permission checker, all read from the current `user.cfg` (cached by digest
//! in the API context).

use std::collections::BTreeSet;
use std::sync::Arc;
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

/// Authentication for `virtond`'s server, backed by the API context.
pub struct DaemonAuth {
    ctx: Arc<Context>,
}

impl DaemonAuth {
    /// An authenticator reading keys and configs through `ctx`.
    pub fn new(ctx: Arc<Context>) -> Self {
        Self { ctx }
    }

    fn users(&self) -> Result<Arc<UserConfig>, AuthFailure> {
        self.ctx.user_config().map_err(|_| AuthFailure::failed())
    }
}

impl Authenticator for DaemonAuth {
    fn verify_ticket(&self, ticket: &str) -> Result<Authid, AuthFailure> {
        let now = now();
        let verified = self
            .ctx
            .keys
            .verify_ticket(ticket, now)
            .map_err(|_| AuthFailure::failed())?;
        let TicketSubject::User(userid) = verified.subject else {
            return Err(AuthFailure::failed());
        };
        let users = self.users()?;
        check_user_enabled(&users, userid.as_str(), now).map_err(|_| AuthFailure::failed())?;
        userid.as_str().parse().map_err(|_| AuthFailure::failed())
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
