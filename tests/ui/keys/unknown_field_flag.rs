use chio_packets::BanchoPayload;

#[derive(BanchoPayload)]
struct Stats {
    #[bancho(skip)]
    rank: i32,
}

fn main() {}
