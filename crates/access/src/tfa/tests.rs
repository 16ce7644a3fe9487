use super::*;

/// A hand-written tfa.cfg in the current upstream shape.
const CFG: &str = r#"{"webauthn":{"rp":"virton.example","origin":"https://virton.example:8006","id":"virton.example"},"users":{"joe@pve":{"totp":[{"id":"2b1d6a0e-5c1f-4c53-9d52-0b9e4e5b8d11","description":"phone","created":1700000000,"entry":"otpauth://totp/VirtOn:joe%40pve?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&digits=6&period=30&algorithm=SHA1"}]},"wa@pve":{"webauthn":[{"id":"x1","created":1700000000,"entry":{"cred":{"some":"data"}}}]},"off@pve":{"totp":[{"id":"y1","created":1,"enable":false,"entry":"otpauth://totp/x?secret=GEZDGNBV"}]}}}"#;

fn code_now(now: i64) -> String {
    let uri = "otpauth://totp/x?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
    let t = totp::Totp::from_uri(uri).unwrap();
    t.code_at_counter((now / 30) as u64)
}

#[test]
fn config_round_trips_unknown_parts_unchanged() {
    let cfg = TfaConfig::parse(CFG).unwrap();
    let again: serde_json::Value = serde_json::from_str(&cfg.write()).unwrap();
    let orig: serde_json::Value = serde_json::from_str(CFG).unwrap();
    assert_eq!(again, orig);
    assert!(TfaConfig::parse("").unwrap().users.is_empty());
    assert!(TfaConfig::parse("{\"users\":5}").is_err());
}

#[test]
fn challenge_lists_usable_factors() {
    let mut cfg = TfaConfig::parse(CFG).unwrap();
    let c = cfg.challenge("joe@pve").unwrap();
    assert_eq!(serde_json::to_string(&c).unwrap(), r#"{"totp":true}"#);
    assert!(cfg.challenge("nobody@pve").is_none());
    assert!(cfg.challenge("off@pve").is_none(), "only disabled entries");
    assert!(
        cfg.challenge("wa@pve").is_some(),
        "webauthn-only users still need TFA"
    );
    cfg.add_recovery("joe@pve", 5).unwrap();
    let c = cfg.challenge("joe@pve").unwrap();
    assert_eq!(
        serde_json::to_string(&c).unwrap(),
        r#"{"totp":true,"recovery":[0,1,2,3,4,5,6,7,8,9]}"#
    );
}

#[test]
fn totp_response_is_verified_within_adjacent_steps() {
    let mut cfg = TfaConfig::parse(CFG).unwrap();
    let ch = cfg.challenge("joe@pve").unwrap();
    let now = 1_700_000_015;
    let resp = format!("totp:{}", code_now(now));
    assert_eq!(cfg.verify("joe@pve", &ch, &resp, now), Ok(false));
    assert_eq!(cfg.verify("joe@pve", &ch, &resp, now + 30), Ok(false));
    assert_eq!(
        cfg.verify("joe@pve", &ch, &resp, now + 90),
        Err(TfaError::TotpFailed)
    );
    assert_eq!(
        cfg.verify("joe@pve", &ch, "123456", now),
        Err(TfaError::BadResponse)
    );
    let webauthn = cfg.verify("wa@pve", &TfaChallenge::default(), "webauthn:{}", now);
    assert_eq!(webauthn, Err(TfaError::Unsupported("webauthn".into())));
    cfg.users.get_mut("joe@pve").unwrap().totp_locked = true;
    assert_eq!(
        cfg.verify("joe@pve", &ch, &resp, now),
        Err(TfaError::TotpLocked)
    );
}

#[test]
fn recovery_keys_work_once() {
    let mut cfg = TfaConfig::default();
    let keys = cfg.add_recovery("joe@pve", 5).unwrap();
    assert_eq!(keys.len(), 10);
    assert!(keys
        .iter()
        .all(|k| k.len() == 19 && k.matches('-').count() == 3));
    assert_eq!(
        cfg.add_recovery("joe@pve", 6),
        Err(TfaError::RecoveryExists)
    );
    let ch = cfg.challenge("joe@pve").unwrap();
    let resp = format!("recovery:{}", keys[3]);
    assert_eq!(cfg.verify("joe@pve", &ch, &resp, 10), Ok(true));
    assert_eq!(
        cfg.verify("joe@pve", &ch, &resp, 11),
        Err(TfaError::RecoveryFailed)
    );
    let rec = cfg.users["joe@pve"].recovery.as_ref().unwrap();
    assert_eq!(rec.entries[3], None);
    assert_eq!(rec.available().len(), 9);
    // The stored form survives a write and read.
    let again = TfaConfig::parse(&cfg.write()).unwrap();
    assert_eq!(again, cfg);
}

#[test]
fn added_totp_entry_verifies() {
    let mut cfg = TfaConfig::default();
    let uri = "otpauth://totp/x?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
    cfg.add_totp("amy@pam", "app", uri, 100).unwrap();
    assert_eq!(
        cfg.add_totp("amy@pam", "bad", "otpauth://totp/x?y=1", 100),
        Err(TfaError::BadTotp)
    );
    let ch = cfg.challenge("amy@pam").unwrap();
    let now = 2_000_000_000;
    assert_eq!(
        cfg.verify("amy@pam", &ch, &format!("totp:{}", code_now(now)), now),
        Ok(false)
    );
}
