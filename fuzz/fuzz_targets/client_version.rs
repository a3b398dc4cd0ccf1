//! Client version strings: no panic, display then parse is the identity.
//! The check is `chio_tests::fuzz_checks::client_version`, which `tests/tests/fuzz_corpora.rs`
//! also runs over the committed corpus.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| chio_tests::fuzz_checks::client_version::check(data));
