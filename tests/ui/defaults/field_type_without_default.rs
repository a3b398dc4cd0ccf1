// Uses chio-core and chio-derive directly, so rustc's notes name core types only.
use chio_derive::{BanchoEnum, BanchoPayload};

#[derive(Clone, Copy, BanchoEnum)]
#[bancho(crate = "chio_core")]
#[repr(u8)]
enum Grade {
    S = 0,
    A = 1,
}

// `#[bancho(default)]` needs `Default` for every field without its own `default = ...`.
#[derive(BanchoPayload)]
#[bancho(crate = "chio_core", default)]
struct Score {
    total: u32,
    grade: Grade,
    #[bancho(since = 535)]
    #[bancho(default = 0)]
    tag: u8,
}

fn main() {}
