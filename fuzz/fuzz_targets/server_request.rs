#![no_main]
use libfuzzer_sys::fuzz_target;
fuzz_target!(|data: &[u8]| {
    // Request parsing of the API server must never panic on client input.
    let _ = virton_server::request::decode_urlencoded(data);
    let _ = virton_server::request::decode_json(data);
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = virton_server::request::split_api_path(text);
        let _ = virton_server::request::percent_decode(text);
        let _ = virton_server::auth::extract_auth_value(text, "PVEAuthCookie");
        let _ = virton_server::auth::extract_auth_value(text, "PVEAPIToken");
        let _ = virton_server::auth::split_token(text);
    }
});
