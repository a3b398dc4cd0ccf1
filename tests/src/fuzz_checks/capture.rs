//! The `capture` target: arbitrary bytes as a capture file for `chio_proxy::capture::read`.
//! Nothing may panic.

/// Checks one input; panics if it breaks what the target asserts.
pub fn check(data: &[u8]) {
    if let Ok(sessions) = chio_proxy::capture::read(data) {
        // Whatever reads can be asked for its bytes.
        for session in &sessions {
            let _ = format!("{session:?}");
        }
    }
}
