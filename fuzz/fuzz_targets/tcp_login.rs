//! What a TCP client sends before its first packet, through
//! `chio_server::tcp_login::read_login` in arbitrary pieces.
//! The check is `chio_tests::fuzz_checks::tcp_login`, which `tests/tests/fuzz_corpora.rs`
//! also runs over the committed corpus.
#![no_main]

use std::sync::OnceLock;

use chio_tests::fuzz_checks::tcp_login;

/// The process's runtime, made on first use.
static RUNTIME: OnceLock<tokio::runtime::Runtime> = OnceLock::new();

libfuzzer_sys::fuzz_target!(|data: &[u8]| tcp_login::check(RUNTIME.get_or_init(tcp_login::runtime), data));
