// Uses chio-core and chio-derive directly, so rustc's list of types that implement the
// trait names core types only and stays the same as packets are added.
use chio_derive::BanchoPayload;

#[derive(BanchoPayload)]
#[bancho(crate = "chio_core")]
struct Stats {
    #[bancho(until = 1788, wire = i16)]
    #[bancho(since = 1788, wire = String)]
    rank: i32,
}

fn main() {}
