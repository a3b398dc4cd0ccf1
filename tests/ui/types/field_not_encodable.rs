// Uses chio-core and chio-derive directly, so rustc's list of types that implement the
// trait names core types only and stays the same as packets are added.
use chio_derive::BanchoPayload;

struct Secret;

#[derive(BanchoPayload)]
#[bancho(crate = "chio_core")]
struct Login {
    secret: Secret,
}

fn main() {}
