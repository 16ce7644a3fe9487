#![no_main]
//! The lenient section-config reader on arbitrary text: it must never panic, and what it
//! keeps must be written canonically and read back without any diagnostic.
use libfuzzer_sys::fuzz_target;
use virton_config::section;
use virton_config::storage::storage_def;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let (cfg, _diagnostics) = section::parse_lenient(storage_def(), "fuzz", text);
        let again = section::write(storage_def(), &cfg);
        let back = section::parse_strict(storage_def(), "fuzz", &again)
            .expect("canonical output reparses");
        assert_eq!(section::write(storage_def(), &back), again);
    }
});
