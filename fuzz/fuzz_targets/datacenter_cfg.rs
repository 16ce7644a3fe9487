#![no_main]
use libfuzzer_sys::fuzz_target;
use virton_config::datacenter::DatacenterConfig;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(v) = <DatacenterConfig as virton_config::Format>::parse("fuzz", text) {
            // a canonical write must parse again
            let again = virton_config::Format::write(&v);
            let _ = <DatacenterConfig as virton_config::Format>::parse("fuzz", &again)
                .expect("canonical output reparses");
        }
    }
});
