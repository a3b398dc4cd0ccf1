use chio_packets::BanchoPayload;

// The container key takes no value: the values are the fields' own.
#[derive(BanchoPayload)]
#[bancho(default = true)]
struct Stats {
    rank: i32,
}

fn main() {}
