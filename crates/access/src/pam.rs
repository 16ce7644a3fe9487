//! Password checks against the host's PAM stack (the `pam` realm), behind the
//! [`Authenticator`] trait so that tests and other realms can stand in.
//!
//! Upstream uses the PAM service `proxmox-ve-auth`; when `/etc/pam.d/proxmox-ve-auth`
//! does not exist, libpam itself falls back to the `other` service (on Debian:
//! `common-auth` and friends), so no fallback is coded here. The conversation answers
//! every prompt with the password, as upstream's does, and both `pam_authenticate` and
//! `pam_acct_mgmt` must succeed. PAM modules may block for seconds (failure delays), so
//! callers on an async runtime run this on a blocking thread.
//!
//! Must not depend on: the realm configuration (the caller picks the authenticator).

use std::ffi::{c_char, c_int, c_void, CStr, CString};
use std::ptr;

/// PAM service name upstream authenticates `pam` realm users with.
pub const PAM_SERVICE: &str = "proxmox-ve-auth";

/// A failed password check, with the text to log.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct AuthFailure(pub String);

/// Something that can check a user's password.
pub trait Authenticator: Send + Sync {
    /// Checks `password` for the realm-local user name `user` (without `@realm`);
    /// `rhost` is the client address, passed on for logging and rate limiting.
    fn authenticate(
        &self,
        user: &str,
        password: &str,
        rhost: Option<&str>,
    ) -> Result<(), AuthFailure>;
}

/// The host's PAM stack.
#[derive(Debug, Clone)]
pub struct Pam {
    service: String,
}

impl Default for Pam {
    fn default() -> Self {
        Pam::new(PAM_SERVICE)
    }
}

impl Pam {
    /// Authenticates through PAM service `service`.
    pub fn new(service: &str) -> Self {
        Pam {
            service: service.to_string(),
        }
    }
}

const PAM_SUCCESS: c_int = 0;
const PAM_BUF_ERR: c_int = 5;
const PAM_RHOST: c_int = 4;

#[repr(C)]
struct PamMessage {
    msg_style: c_int,
    msg: *const c_char,
}

#[repr(C)]
struct PamResponse {
    resp: *mut c_char,
    resp_retcode: c_int,
}

type ConvFn = unsafe extern "C" fn(
    c_int,
    *mut *const PamMessage,
    *mut *mut PamResponse,
    *mut c_void,
) -> c_int;

#[repr(C)]
struct PamConv {
    conv: ConvFn,
    appdata_ptr: *mut c_void,
}

#[repr(C)]
struct PamHandle {
    _private: [u8; 0],
}

#[link(name = "pam")]
extern "C" {
    fn pam_start(
        service: *const c_char,
        user: *const c_char,
        conv: *const PamConv,
        pamh: *mut *mut PamHandle,
    ) -> c_int;
    fn pam_set_item(pamh: *mut PamHandle, item_type: c_int, item: *const c_void) -> c_int;
    fn pam_authenticate(pamh: *mut PamHandle, flags: c_int) -> c_int;
    fn pam_acct_mgmt(pamh: *mut PamHandle, flags: c_int) -> c_int;
    fn pam_end(pamh: *mut PamHandle, status: c_int) -> c_int;
    fn pam_strerror(pamh: *mut PamHandle, errnum: c_int) -> *const c_char;
}

/// Answers every message with a copy of the password (owned by PAM afterwards).
unsafe extern "C" fn converse(
    num_msg: c_int,
    _msg: *mut *const PamMessage,
    resp: *mut *mut PamResponse,
    appdata: *mut c_void,
) -> c_int {
    let Ok(count) = usize::try_from(num_msg) else {
        return PAM_BUF_ERR;
    };
    if resp.is_null() || appdata.is_null() || count == 0 {
        return PAM_BUF_ERR;
    }
    // SAFETY: PAM frees this array and its strings with free(3), so allocate with libc.
    let replies =
        unsafe { libc::calloc(count, std::mem::size_of::<PamResponse>()) }.cast::<PamResponse>();
    if replies.is_null() {
        return PAM_BUF_ERR;
    }
    let password = appdata.cast::<c_char>().cast_const();
    for i in 0..count {
        // SAFETY: `replies` has `count` zeroed entries; `password` is the NUL-terminated
        // string passed as appdata, alive for the whole PAM transaction.
        unsafe { (*replies.add(i)).resp = libc::strdup(password) };
    }
    // SAFETY: `resp` was checked for null and points to PAM's out-parameter.
    unsafe { *resp = replies };
    PAM_SUCCESS
}

fn strerror(pamh: *mut PamHandle, code: c_int) -> String {
    // SAFETY: pam_strerror returns a static string (or null) for any code.
    let text = unsafe { pam_strerror(pamh, code) };
    if text.is_null() {
        return format!("PAM error {code}");
    }
    // SAFETY: non-null results of pam_strerror are NUL-terminated.
    unsafe { CStr::from_ptr(text) }
        .to_string_lossy()
        .into_owned()
}

impl Authenticator for Pam {
    fn authenticate(
        &self,
        user: &str,
        password: &str,
        rhost: Option<&str>,
    ) -> Result<(), AuthFailure> {
        if password.is_empty() {
            return Err(AuthFailure("no password".into()));
        }
        let bad = || AuthFailure("invalid characters in credentials".into());
        let service = CString::new(self.service.as_str()).map_err(|_| bad())?;
        let user = CString::new(user).map_err(|_| bad())?;
        let secret = CString::new(password).map_err(|_| bad())?;
        let rhost = rhost.map(CString::new).transpose().map_err(|_| bad())?;
        let conv = PamConv {
            conv: converse,
            appdata_ptr: secret.as_ptr().cast_mut().cast(),
        };
        let mut pamh: *mut PamHandle = ptr::null_mut();
        // SAFETY: all strings are NUL-terminated and outlive the transaction; `conv`
        // lives on this stack frame until pam_end below.
        let rc = unsafe { pam_start(service.as_ptr(), user.as_ptr(), &conv, &mut pamh) };
        if rc != PAM_SUCCESS || pamh.is_null() {
            return Err(AuthFailure(format!(
                "error during PAM init: {}",
                strerror(pamh, rc)
            )));
        }
        let result = run_transaction(pamh, rhost.as_ref());
        let status = match &result {
            Ok(()) => PAM_SUCCESS,
            Err((code, _)) => *code,
        };
        // SAFETY: pamh came from a successful pam_start and is ended exactly once.
        unsafe { pam_end(pamh, status) };
        result.map_err(|(_, msg)| AuthFailure(msg))
    }
}

fn run_transaction(pamh: *mut PamHandle, rhost: Option<&CString>) -> Result<(), (c_int, String)> {
    if let Some(rhost) = rhost {
        // SAFETY: pamh is live; PAM copies the item string.
        unsafe { pam_set_item(pamh, PAM_RHOST, rhost.as_ptr().cast()) };
    }
    // SAFETY: pamh is live for both calls.
    let rc = unsafe { pam_authenticate(pamh, 0) };
    if rc != PAM_SUCCESS {
        return Err((rc, strerror(pamh, rc)));
    }
    // SAFETY: as above.
    let rc = unsafe { pam_acct_mgmt(pamh, 0) };
    if rc != PAM_SUCCESS {
        return Err((rc, strerror(pamh, rc)));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_password_is_refused_before_pam() {
        let err = Pam::default().authenticate("root", "", None).unwrap_err();
        assert_eq!(err.0, "no password");
    }

    #[test]
    fn unknown_user_fails_through_real_pam() {
        // A user that cannot exist: PAM must answer with an error, never succeed.
        let pam = Pam::new("virton-test-nonexistent-service");
        let res = pam.authenticate("virton-no-such-user-x", "whatever", Some("127.0.0.1"));
        assert!(res.is_err());
    }

    #[test]
    fn nul_in_credentials_is_refused() {
        let res = Pam::default().authenticate("ro\0ot", "pw", None);
        assert!(res.is_err());
    }
}
