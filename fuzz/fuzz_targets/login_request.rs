//! Login bodies: no panic, what parses writes back to itself.
//! The check is `chio_tests::fuzz_checks::login_request`, which `tests/tests/fuzz_corpora.rs`
//! also runs over the committed corpus.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| chio_tests::fuzz_checks::login_request::check(data));
