use chio_packets::BanchoPayload;

#[derive(BanchoPayload)]
struct Stats {
    #[bancho(since = 1788, until = 1788)]
    #[bancho(default)]
    rank: i32,
}

fn main() {}
