//! Capture files for `chio_proxy::capture::read`: no panic.
//! The check is `chio_tests::fuzz_checks::capture`, which `tests/tests/fuzz_corpora.rs`
//! also runs over the committed corpus.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| chio_tests::fuzz_checks::capture::check(data));
