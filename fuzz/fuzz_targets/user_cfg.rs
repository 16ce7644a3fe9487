//! Fuzzes the `user.cfg` parser: no input may panic, and canonical output is a fixed point.
#![no_main]
use libfuzzer_sys::fuzz_target;
use virton_config::user_cfg::UserConfig;
use virton_config::Format;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(v) = <UserConfig as Format>::parse("fuzz", text) {
            // a canonical write must parse again, to the same canonical text
            let again = Format::write(&v);
            let reparsed = <UserConfig as Format>::parse("fuzz", &again).expect("canonical output reparses");
            assert_eq!(Format::write(&reparsed), again);
        }
    }
});
