#![no_main]
//! Fuzz the ticket and CSRF token parsers: no input may panic, and every accepted
//! ticket must reassemble from its parts into one that parses the same.
use libfuzzer_sys::fuzz_target;
use virton_access::ticket::{format, parse_ticket, CsrfSecret};

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        for prefix in ["PVE", "PVEVNC", "PVETUNNEL"] {
            if let Some(raw) = parse_ticket(prefix, text) {
                // The parts put back together must parse to the same parts.
                let again = format!("{}::{}", raw.plain, raw.signature);
                let reparsed = parse_ticket(prefix, &again).expect("reassembled ticket parses");
                assert_eq!(reparsed, raw);
                let _ = raw.data_unescaped();
                let _ = raw.signature_bytes();
            }
        }
        let secret = CsrfSecret::from_file_contents(b"fuzz");
        let _ = secret.verify("root@pam", text, 0x5F5E_1000);
        let _ = format::unescape(text);
    }
});
