//! Password hashes of the `pve` realm (`priv/shadow.cfg`), through the system's
//! crypt(3) (libxcrypt), which understands every hash Proxmox VE writes or accepts:
//! `$5$` (SHA-256 crypt, what upstream writes), `$6$` (SHA-512 crypt) and `$y$`
//! (yescrypt).
//!
//! Must not depend on: file I/O (the caller reads `shadow.cfg`).

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use rsa::rand_core::{OsRng, RngCore};
use std::ffi::{c_char, c_int, c_void, CStr, CString};

/// Size of libxcrypt's `struct crypt_data`.
const CRYPT_DATA_SIZE: usize = 32768;

#[link(name = "crypt")]
extern "C" {
    fn crypt_rn(
        phrase: *const c_char,
        setting: *const c_char,
        data: *mut c_void,
        size: c_int,
    ) -> *mut c_char;
}

/// Hashes `password` with `setting` (a salt specification or a whole hash) through
/// crypt(3); `None` when the setting is not understood or the input holds a NUL.
pub fn crypt(password: &str, setting: &str) -> Option<String> {
    let phrase = CString::new(password).ok()?;
    let setting = CString::new(setting).ok()?;
    let mut data = vec![0u8; CRYPT_DATA_SIZE];
    let size = c_int::try_from(data.len()).ok()?;
    // SAFETY: both strings are NUL-terminated and outlive the call; `data` is a zeroed
    // buffer of the size libxcrypt's crypt_data has, and crypt_rn writes only into it.
    let out = unsafe {
        crypt_rn(
            phrase.as_ptr(),
            setting.as_ptr(),
            data.as_mut_ptr().cast(),
            size,
        )
    };
    if out.is_null() {
        return None;
    }
    // SAFETY: on success crypt_rn returns a pointer to a NUL-terminated string inside
    // `data`, which is still alive here.
    let hashed = unsafe { CStr::from_ptr(out) }.to_str().ok()?.to_string();
    // libxcrypt marks failure with a string starting with '*' in some modes.
    (!hashed.starts_with('*')).then_some(hashed)
}

/// True when `password` hashes to `hash` (compared in constant time).
pub fn verify_password(password: &str, hash: &str) -> bool {
    match crypt(password, hash) {
        Some(computed) => crate::ct_eq(computed.as_bytes(), hash.as_bytes()),
        None => false,
    }
}

/// An 8-character salt from the crypt alphabet as upstream makes it (base64 with `+`
/// replaced by `X`).
fn new_salt() -> String {
    let mut bytes = [0u8; 6];
    OsRng.fill_bytes(&mut bytes);
    STANDARD.encode(bytes).replace('+', "X")
}

/// Hashes a new password as upstream does: SHA-256 crypt with a random salt.
pub fn hash_password(password: &str) -> Option<String> {
    crypt(password, &format!("$5${}$", new_salt()))
}

#[cfg(test)]
mod tests {
    use super::*;

    // Hashes of the password "Secret-1": `$5$` and `$6$` from `openssl passwd`,
    // `$y$` from Python's crypt module.
    const SHA256: &str = "$5$abcdefgh$J6H3C748oBDziWnVFtVRb5dFqVVqxQVtM4RJ9vMuIG/";
    const SHA512: &str = "$6$abcdefgh$JwwNC.rAoRj3KmalGSPh9iqYqhefnFsZ4Q/LTLqkFfgF2IVtEPFfQzazWEzubhUsowpRNfV.Ipi/DuDHSyT1F1";
    const YESCRYPT: &str = "$y$j9T$abcdefghijklmnop$POnmaTbJTbmC9nENNitWLiQtCdDT2t.IeMsg04dOhd8";

    #[test]
    fn known_hashes_of_each_scheme_verify() {
        for hash in [SHA256, SHA512, YESCRYPT] {
            assert!(verify_password("Secret-1", hash), "{hash}");
            assert!(!verify_password("Secret-2", hash), "{hash}");
        }
    }

    #[test]
    fn new_hash_is_sha256_crypt_with_salt_and_verifies() {
        let hash = hash_password("pässword").unwrap();
        assert!(hash.starts_with("$5$"), "{hash}");
        let salt = hash.split('$').nth(2).unwrap();
        assert_eq!(salt.len(), 8);
        assert!(!salt.contains('+'));
        assert!(verify_password("pässword", &hash));
        assert_ne!(hash_password("pässword").unwrap(), hash, "salt is random");
    }

    #[test]
    fn garbage_hash_never_verifies() {
        assert!(!verify_password("", ""));
        assert!(!verify_password("x", "*"));
        assert!(!verify_password("x", "$9$nonsense"));
        assert!(!verify_password("a\0b", SHA256));
    }
}
