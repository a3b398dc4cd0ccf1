//! Arbitrary bytes as the HTTP poll body of a logged-in session of one of four builds,
//! through a whole chio-server `Server` (in-memory SQLite) and its axum router. Nothing may
//! panic, the poll is answered with 200, and a fresh login of the account works afterwards.
//!
//! The first byte picks the build; the rest is the body.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, body)) = data.split_first() else { return };
    let index = usize::from(selector) % common::HTTP_BUILDS.len();
    common::harness().poll(index, body.to_vec());
});
