//! Fuzzes both APT repository grammars (`.list` and `.sources`): no input may panic, and
//! canonical output must parse again.
#![no_main]
use libfuzzer_sys::fuzz_target;
use virton_config::apt::{AptFileType, AptRepositoryFile};
use virton_config::Format;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        for file_type in [AptFileType::List, AptFileType::Sources] {
            if let Ok(v) = AptRepositoryFile::parse_as("fuzz", text, file_type) {
                // a canonical write must parse again
                let again = Format::write(&v);
                let _ = AptRepositoryFile::parse_as("fuzz", &again, file_type)
                    .expect("canonical output reparses");
            }
        }
    }
});
