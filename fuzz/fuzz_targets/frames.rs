//! Packet streams of either direction, every era, any chunking.
//! The check is `chio_tests::fuzz_checks::frames`, which `tests/tests/fuzz_corpora.rs`
//! also runs over the committed corpus.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| chio_tests::fuzz_checks::frames::check(data));
