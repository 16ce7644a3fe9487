//! The login flow of `POST /access/ticket`: password or still-valid ticket, optional
//! one-step `otp`, the TFA-pending ticket and its second step (`tfa-challenge` plus
//! `totp:<code>` / `recovery:<key>` in the password), the failed-login lockout, and the
//! `path`/`privs` verification mode.
//!
//! Every failure carries its reason for the log only; the API answers all of them with
//! the same `401 authentication failure`.
//!
//! Must not depend on: HTTP types (see the parent module).

use super::{AdminError, TfaFile, DOMAINS_CFG, SHADOW_CFG, TFA_CFG, USER_CFG};
use crate::auth::{check_user_enabled, PasswordLogin};
use crate::pam::Authenticator;
use crate::perm::{normalize_path, Permissions};
use crate::tfa::lockout::Lockout;
use crate::tfa::TfaChallenge;
use crate::ticket::{AuthKeys, CsrfSecret, TicketSubject};
use virton_api_types::Userid;
use virton_config::domains::DomainsConfig;
use virton_config::store::ConfigStore;
use virton_config::user_cfg::shadow::ShadowConfig;
use virton_config::user_cfg::{UserConfig, ROOT_USER};

/// What the login flow needs from the process.
pub struct LoginEnv<'a> {
    /// Config files.
    pub store: &'a ConfigStore,
    /// Ticket keys.
    pub keys: &'a AuthKeys,
    /// The `pam` realm's authenticator.
    pub pam: &'a dyn Authenticator,
    /// Failed-login counters.
    pub lockout: &'a Lockout,
    /// The current time.
    pub now: i64,
}

/// One login attempt.
#[derive(Debug, Clone, Copy, Default)]
pub struct LoginRequest<'a> {
    /// `user@realm`.
    pub username: &'a str,
    /// Password, a valid ticket, or (with `tfa_challenge`) the second-factor response.
    pub password: &'a str,
    /// One-step second factor (`totp:<code>` style, or a bare TOTP code).
    pub otp: Option<&'a str>,
    /// The TFA-pending ticket being answered.
    pub tfa_challenge: Option<&'a str>,
    /// The client address (for the lockout).
    pub client_ip: Option<&'a str>,
}

/// Where a successful first step leaves the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoginOutcome {
    /// Fully authenticated.
    Authenticated(String),
    /// The password was right but a second factor is due; `challenge` is its JSON.
    TfaRequired {
        /// The user.
        userid: String,
        /// The challenge JSON for the TFA-pending ticket.
        challenge: String,
    },
}

/// A ticket ready to hand out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issued {
    /// The user.
    pub username: String,
    /// The (possibly TFA-pending) ticket.
    pub ticket: String,
    /// The CSRF prevention token.
    pub csrf: String,
    /// True for a TFA-pending ticket.
    pub need_tfa: bool,
}

fn fail(msg: impl Into<String>) -> AdminError {
    AdminError::failed(msg)
}

struct Files {
    users: UserConfig,
    domains: DomainsConfig,
    shadow: ShadowConfig,
    tfa: TfaFile,
}

fn read_files(store: &ConfigStore) -> Result<Files, AdminError> {
    let mut domains: DomainsConfig = super::read(store, DOMAINS_CFG)?;
    domains.ensure_builtin_realms();
    Ok(Files {
        users: super::read(store, USER_CFG)?,
        domains,
        shadow: super::read(store, SHADOW_CFG)?,
        tfa: super::read(store, TFA_CFG)?,
    })
}

/// Runs the login flow, counting failures in the lockout.
pub fn login(env: &LoginEnv, req: &LoginRequest) -> Result<LoginOutcome, AdminError> {
    if env.lockout.is_locked(req.username, req.client_ip, env.now) {
        return Err(fail("too many failed logins, try again later"));
    }
    let result = login_inner(env, req);
    match &result {
        Ok(LoginOutcome::Authenticated(u)) => env.lockout.record_success(u),
        Ok(LoginOutcome::TfaRequired { .. }) => {}
        Err(_) => env
            .lockout
            .record_failure(req.username, req.client_ip, env.now),
    }
    result
}

fn login_inner(env: &LoginEnv, req: &LoginRequest) -> Result<LoginOutcome, AdminError> {
    let files = read_files(env.store)?;
    check_user_enabled(&files.users, req.username, env.now).map_err(|e| fail(e.to_string()))?;
    if req.otp.is_some() && req.tfa_challenge.is_some() {
        return Err(fail(
            "TFA response should be in 'password', not 'otp' when 'tfa-challenge' is set",
        ));
    }
    if let Some(challenge) = req.tfa_challenge {
        second_step(env, req.username, challenge, req.password)?;
        return Ok(LoginOutcome::Authenticated(req.username.to_string()));
    }
    if ticket_matches(env, req.password, req.username) {
        return Ok(LoginOutcome::Authenticated(req.username.to_string()));
    }
    first_factor(env, &files, req)?;
    let Some(challenge) = files.tfa.0.challenge(req.username) else {
        if req.otp.is_some() {
            return Err(fail("no such challenge"));
        }
        return Ok(LoginOutcome::Authenticated(req.username.to_string()));
    };
    if let Some(otp) = req.otp {
        let response = if otp.contains(':') {
            otp.to_string()
        } else {
            format!("totp:{otp}")
        };
        verify_response(env, req.username, &challenge, &response)?;
        return Ok(LoginOutcome::Authenticated(req.username.to_string()));
    }
    let challenge = serde_json::to_string(&challenge).map_err(|e| fail(e.to_string()))?;
    Ok(LoginOutcome::TfaRequired {
        userid: req.username.to_string(),
        challenge,
    })
}

/// A still-valid login ticket of `username` (or of root@pam) stands in for the password.
fn ticket_matches(env: &LoginEnv, password: &str, username: &str) -> bool {
    match env.keys.verify_ticket(password, env.now) {
        Ok(t) => matches!(t.subject, TicketSubject::User(u)
            if u.as_str() == ROOT_USER || u.as_str() == username),
        Err(_) => false,
    }
}

fn first_factor(env: &LoginEnv, files: &Files, req: &LoginRequest) -> Result<(), AdminError> {
    let login = PasswordLogin {
        users: &files.users,
        domains: &files.domains,
        shadow: &files.shadow,
        pam: env.pam,
    };
    login
        .authenticate(req.username, req.password, req.client_ip, env.now)
        .map(|_| ())
        .map_err(|e| fail(e.to_string()))
}

fn second_step(
    env: &LoginEnv,
    userid: &str,
    ticket: &str,
    response: &str,
) -> Result<(), AdminError> {
    let data = env
        .keys
        .verify_tfa_ticket(ticket, userid, env.now)
        .map_err(|e| fail(e.to_string()))?;
    let challenge: TfaChallenge =
        serde_json::from_str(&data).map_err(|e| fail(format!("invalid challenge - {e}")))?;
    verify_response(env, userid, &challenge, response)
}

fn verify_response(
    env: &LoginEnv,
    userid: &str,
    challenge: &TfaChallenge,
    response: &str,
) -> Result<(), AdminError> {
    env.store
        .update::<TfaFile, _, AdminError>(TFA_CFG, None, |tfa| {
            tfa.0
                .verify(userid, challenge, response, env.now)
                .map(|_| ())
                .map_err(|e| fail(e.to_string()))
        })
}

/// Signs the ticket and CSRF token for an outcome.
pub fn issue(
    keys: &AuthKeys,
    csrf: &CsrfSecret,
    outcome: &LoginOutcome,
    now: i64,
) -> Result<Issued, AdminError> {
    let (userid, challenge) = match outcome {
        LoginOutcome::Authenticated(u) => (u, None),
        LoginOutcome::TfaRequired { userid, challenge } => (userid, Some(challenge)),
    };
    let parsed: Userid = userid.parse().map_err(|_| {
        fail(format!(
            "value '{userid}' does not look like a valid user name"
        ))
    })?;
    let ticket = match challenge {
        Some(c) => keys.assemble_tfa_ticket(&parsed, c, now),
        None => keys.assemble_user_ticket(&parsed, now),
    }
    .map_err(|e| fail(e.to_string()))?;
    Ok(Issued {
        username: userid.clone(),
        ticket,
        csrf: csrf.assemble(userid, now),
        need_tfa: challenge.is_some(),
    })
}

/// The `path`/`privs` mode: checks the credentials (password, ticket or VNC ticket)
/// and that the user holds all `privs` on `path`; returns the user.
pub fn verify_auth(
    env: &LoginEnv,
    req: &LoginRequest,
    path: &str,
    privs: &str,
) -> Result<String, AdminError> {
    let normpath = normalize_path(path).ok_or_else(|| fail(format!("invalid path - {path}")))?;
    let files = read_files(env.store)?;
    check_user_enabled(&files.users, req.username, env.now).map_err(|e| fail(e.to_string()))?;
    let by_ticket = ticket_matches(env, req.password, req.username)
        || env
            .keys
            .verify_vnc_ticket(req.password, req.username, &normpath, None, env.now)
            .is_ok();
    if !by_ticket {
        if env.lockout.is_locked(req.username, req.client_ip, env.now) {
            return Err(fail("too many failed logins, try again later"));
        }
        if let Err(e) = first_factor(env, &files, req) {
            env.lockout
                .record_failure(req.username, req.client_ip, env.now);
            return Err(e);
        }
    }
    let list = super::split_list(Some(privs));
    let refs: Vec<&str> = list.iter().map(String::as_str).collect();
    let perms = Permissions::new(&files.users);
    if refs.is_empty() || perms.check(req.username, &normpath, &refs, false).is_err() {
        return Err(fail(format!("no permission ({path}, {privs})")));
    }
    Ok(req.username.to_string())
}
