//! Arbitrary HTTP poll bodies of a logged-in session, through a whole server.
//! The check is `chio_tests::fuzz_checks::poll_body`, which `tests/tests/fuzz_corpora.rs`
//! also runs over the committed corpus. One server (and its sessions) serves the whole
//! process, so an input's effect can depend on the inputs before it.
#![no_main]

use std::sync::OnceLock;

use chio_tests::fuzz_checks::server::PollServer;

/// The process's server, made on first use.
static SERVER: OnceLock<PollServer> = OnceLock::new();

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    chio_tests::fuzz_checks::poll_body::check(SERVER.get_or_init(PollServer::new), data)
});
