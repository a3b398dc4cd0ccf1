//! What each cargo-fuzz target of `fuzz/` does with one input, shared by the fuzz targets
//! (thin `fuzz_target!` wrappers) and by `tests/fuzz_corpora.rs`, which runs every
//! committed corpus file and crash reproducer through the same check (see
//! `fuzz/FUZZING.md`).
//!
//! One module per target, named as the target; `check` panics when the input breaks what
//! the target asserts. The server targets share [`server`] (a whole chio-server behind its
//! HTTP router), `tcp_login` uses [`pieces`] (an in-memory stream), `frames` uses
//! [`stream`].

pub mod api_frames;
pub mod capture;
pub mod client_version;
pub mod frames;
pub mod login_request;
pub mod pieces;
pub mod poll_body;
pub mod roundtrip;
pub mod server;
pub mod session_packets;
pub mod stream;
pub mod tcp_login;

/// The fuzz targets, as named in `fuzz/Cargo.toml` and under `fuzz/corpus/`.
pub const TARGETS: [&str; 9] = [
    "frames",
    "login_request",
    "client_version",
    "tcp_login",
    "poll_body",
    "session_packets",
    "api_frames",
    "capture",
    "roundtrip",
];
