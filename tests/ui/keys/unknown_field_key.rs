use chio_packets::BanchoPayload;

#[derive(BanchoPayload)]
struct Stats {
    #[bancho(sinse = 1788)]
    rank: i32,
}

fn main() {}
