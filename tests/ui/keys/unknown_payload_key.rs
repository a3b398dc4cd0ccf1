use chio_packets::BanchoPayload;

// Packet keys are not accepted on payloads.
#[derive(BanchoPayload)]
#[bancho(id = 11, name = "Stats")]
struct Stats {
    rank: i32,
}

fn main() {}
