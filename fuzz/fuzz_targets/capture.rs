//! Arbitrary bytes as a capture file for `chio_proxy::capture::read`: no panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(sessions) = chio_proxy::capture::read(data) {
        // Whatever reads can be asked for its bytes.
        for session in &sessions {
            let _ = format!("{session:?}");
        }
    }
});
