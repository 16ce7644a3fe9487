//! The authentication pipeline: credentials from cookies and headers, ticket or
//! API-token verification, the TFA-pending restriction and CSRF, as upstream's
//! `auth_handler` does them.
//!
//! Access control itself sits behind [`Authenticator`], implemented by the api
//! crate; this module must not depend on the access crate.

use http::HeaderMap;
use std::sync::Arc;
use virton_api_types::Authid;
use virton_router::PermissionCheck;

/// Name of the ticket cookie (and of the `Authorization` fallback scheme).
pub const COOKIE_NAME: &str = "PVEAuthCookie";
/// The API token scheme of the `Authorization` header.
pub const TOKEN_SCHEME: &str = "PVEAPIToken";
/// The CSRF header.
pub const CSRF_HEADER: &str = "CSRFPreventionToken";

/// Why authentication failed; the message becomes the 401 reason phrase.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthFailure {
    /// First line goes into the status line; the body stays empty.
    pub message: String,
}

impl AuthFailure {
    /// A failure with this message.
    pub fn new(message: impl Into<String>) -> Self {
        AuthFailure {
            message: message.into(),
        }
    }

    /// No credentials at all (or a TFA-pending ticket used elsewhere).
    pub fn no_ticket() -> Self {
        Self::new("No ticket")
    }

    /// Credentials that do not verify.
    pub fn failed() -> Self {
        Self::new("Authentication failed!")
    }

    /// A missing or wrong `CSRFPreventionToken`.
    pub fn csrf() -> Self {
        Self::new("Permission denied - invalid csrf token")
    }
}

/// What the server needs from access control. Implemented by the api crate.
pub trait Authenticator: Send + Sync + 'static {
    /// Verify a ticket (cookie `PVEAuthCookie` or header
    /// `Authorization: PVEAuthCookie=...`); the caller on success.
    fn verify_ticket(&self, ticket: &str) -> Result<Authid, AuthFailure>;
    /// Verify an API token's secret (`PVEAPIToken=USER@REALM!ID=SECRET`).
    fn verify_token(&self, authid: &Authid, secret: &str) -> Result<(), AuthFailure>;
    /// Check a `CSRFPreventionToken` header value for `authid`.
    fn verify_csrf(&self, authid: &Authid, token: &str) -> bool;
    /// A ticket of a login still waiting for its second factor (`PVE:!tfa!...`):
    /// only `POST /access/tfa` accepts it.
    fn is_tfa_pending(&self, ticket: &str) -> bool;
    /// The privileges view for this request (a fresh snapshot per request is fine).
    fn permission_checker(&self) -> Arc<dyn PermissionCheck + Send + Sync>;
}

/// The credentials a request carries.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Credentials {
    /// The ticket: the cookie, else the `Authorization: PVEAuthCookie=` header.
    pub ticket: Option<String>,
    /// The API token value `USER@REALM!ID=SECRET`, only looked at without a ticket.
    pub api_token: Option<String>,
    /// The `CSRFPreventionToken` header.
    pub csrf: Option<String>,
}

impl Credentials {
    /// Extract the credentials from the request headers as upstream does.
    pub fn from_headers(headers: &HeaderMap) -> Self {
        let values = |name: http::header::HeaderName| -> Vec<String> {
            headers
                .get_all(name)
                .iter()
                .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
                .collect()
        };
        let cookies = values(http::header::COOKIE);
        let authorization = values(http::header::AUTHORIZATION);
        let ticket = cookies
            .iter()
            .find_map(|c| extract_auth_value(c, COOKIE_NAME))
            .or_else(|| {
                authorization
                    .iter()
                    .find_map(|a| extract_auth_value(a, COOKIE_NAME))
            });
        let api_token = if ticket.is_none() {
            authorization
                .iter()
                .find_map(|a| extract_auth_value(a, TOKEN_SCHEME))
        } else {
            None
        };
        let csrf = headers
            .get(CSRF_HEADER)
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
        Credentials {
            ticket,
            api_token,
            csrf,
        }
    }
}

/// The value after `key=` (or `key ` ) at the start of `header` or after
/// whitespace, up to the next `;`, percent-decoded; `None` when absent or empty.
pub fn extract_auth_value(header: &str, key: &str) -> Option<String> {
    let mut search = 0;
    while let Some(found) = header.get(search..).and_then(|s| s.find(key)) {
        let start = search + found;
        search = start + key.len();
        let at_boundary = start == 0
            || header[..start]
                .chars()
                .next_back()
                .is_some_and(char::is_whitespace);
        let rest = &header[search..];
        let after = rest.strip_prefix('=').or_else(|| rest.strip_prefix(' '));
        if let (true, Some(after)) = (at_boundary, after) {
            let value = after.split(';').next().unwrap_or("");
            if value.is_empty() {
                return None;
            }
            return Some(crate::request::percent_decode(value));
        }
    }
    None
}

/// Split `USER@REALM!TOKENID=SECRET` into the token ID and the secret: at the first
/// `=` whose left side is a valid token ID (token names cannot contain `=`, user
/// names and secrets may).
pub fn split_token(value: &str) -> Result<(Authid, String), AuthFailure> {
    value
        .match_indices('=')
        .find_map(|(i, _)| {
            let authid: Authid = value.get(..i)?.parse().ok()?;
            let secret = value.get(i + 1..)?;
            (authid.is_token() && !secret.is_empty()).then(|| (authid, secret.to_string()))
        })
        .ok_or_else(AuthFailure::failed)
}

/// What the request is, as far as authentication cares.
#[derive(Debug, Clone, Copy)]
pub struct RequestKind<'a> {
    /// HTTP method name.
    pub method: &'a str,
    /// Decoded path below `/api2/<format>`.
    pub rel: &'a str,
}

impl RequestKind<'_> {
    /// Upstream's upload exemption: `POST /nodes/{n}/storage/{s}/upload`.
    pub fn is_upload(&self) -> bool {
        self.method == "POST" && is_upload_path(self.rel)
    }

    fn is_tfa_call(&self) -> bool {
        self.method == "POST" && self.rel == "/access/tfa"
    }
}

/// Whether `rel` is the storage upload endpoint.
pub fn is_upload_path(rel: &str) -> bool {
    let parts: Vec<&str> = rel.split('/').collect();
    matches!(
        parts.as_slice(),
        ["", "nodes", n, "storage", s, "upload"] if !n.is_empty() && !s.is_empty()
    )
}

/// Who the request authenticated as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Authenticated {
    /// The caller.
    pub authid: Authid,
    /// Authenticated by API token (`allowtoken=0` methods refuse it).
    pub by_token: bool,
    /// The ticket used, if any.
    pub ticket: Option<String>,
}

/// Authenticate a TCP request: token, or ticket (with the TFA restriction), then
/// CSRF for every non-GET ticket request except uploads.
pub fn authenticate(
    auth: &dyn Authenticator,
    creds: &Credentials,
    kind: RequestKind<'_>,
) -> Result<Authenticated, AuthFailure> {
    if let Some(token) = &creds.api_token {
        let (authid, secret) = split_token(token)?;
        auth.verify_token(&authid, &secret)?;
        return Ok(Authenticated {
            authid,
            by_token: true,
            ticket: None,
        });
    }
    let ticket = creds.ticket.as_deref().ok_or_else(AuthFailure::no_ticket)?;
    if auth.is_tfa_pending(ticket) && !kind.is_tfa_call() {
        return Err(AuthFailure::no_ticket());
    }
    let authid = auth.verify_ticket(ticket)?;
    if kind.method != "GET" && !kind.is_upload() {
        let csrf = creds.csrf.as_deref().unwrap_or("");
        if !auth.verify_csrf(&authid, csrf) {
            return Err(AuthFailure::csrf());
        }
    }
    Ok(Authenticated {
        authid,
        by_token: false,
        ticket: Some(ticket.to_string()),
    })
}

/// Authenticate a Unix-socket peer by uid: root is `root@pam`, anyone else is refused.
pub fn authenticate_uid(uid: u32) -> Result<Authenticated, AuthFailure> {
    if uid != 0 {
        return Err(AuthFailure::failed());
    }
    let authid: Authid = "root@pam".parse().map_err(|_| AuthFailure::failed())?;
    Ok(Authenticated {
        authid,
        by_token: false,
        ticket: None,
    })
}

#[cfg(test)]
mod tests;
