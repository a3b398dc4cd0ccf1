//! Structure-aware encode → decode → encode of generated packets for random builds.
//! The check is `chio_tests::fuzz_checks::roundtrip`, which `tests/tests/fuzz_corpora.rs`
//! also runs over the committed corpus.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| chio_tests::fuzz_checks::roundtrip::check(data));
