//! The `poll_body` target: arbitrary bytes as the HTTP poll body of a logged-in session of
//! one of four builds, through a whole chio-server `Server` (in-memory SQLite) and its
//! axum router ([`PollServer`]). Nothing may panic, the poll is answered with 200, and a
//! fresh login of the account works afterwards.
//!
//! The first byte picks the build; the rest is the body.

use super::server::{HTTP_BUILDS, PollServer};

/// Checks one input against `server`; panics if it breaks what the target asserts.
pub fn check(server: &PollServer, data: &[u8]) {
    let Some((&selector, body)) = data.split_first() else { return };
    let index = usize::from(selector) % HTTP_BUILDS.len();
    server.poll(index, body.to_vec());
}
