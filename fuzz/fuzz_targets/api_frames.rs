//! chio-api frames (`FrameCodec`) and messages (`ClientMessage::parse`).
//! The check is `chio_tests::fuzz_checks::api_frames`, which `tests/tests/fuzz_corpora.rs`
//! also runs over the committed corpus.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| chio_tests::fuzz_checks::api_frames::check(data));
