use chio_packets::BanchoPayload;

#[derive(BanchoPayload)]
struct Stats {
    #[bancho(default)]
    rank: i32,
}

fn main() {}
