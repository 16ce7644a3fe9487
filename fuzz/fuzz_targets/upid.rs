#![no_main]
//! Fuzz the UPID parser: no input may panic, and every accepted UPID must
//! print to a string that parses back to the same value.
use libfuzzer_sys::fuzz_target;
use virton_api_types::Upid;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(upid) = text.parse::<Upid>() {
            let again = upid.to_string().parse::<Upid>().expect("canonical UPID reparses");
            assert_eq!(again, upid);
        }
    }
});
