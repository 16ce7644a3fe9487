#![no_main]
use libfuzzer_sys::fuzz_target;
use virton_config::guest::qemu::VmConfig;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(v) = <VmConfig as virton_config::Format>::parse("qemu-server/100.conf", text) {
            // a canonical write must parse again (not always to the same text: like
            // upstream, a VM reader strips one pair of quotes from free-text values)
            let again = virton_config::Format::write(&v);
            let _ = <VmConfig as virton_config::Format>::parse("qemu-server/100.conf", &again)
                .expect("canonical output reparses");
        }
    }
});
