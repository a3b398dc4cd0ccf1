use chio_packets::BanchoPayload;

#[derive(BanchoPayload)]
struct Stats {
    #[bancho(since = -1)]
    rank: i32,
    #[bancho(since_protocol = 300)]
    pp: u16,
    #[bancho(until = 4294967296)]
    score: u64,
}

fn main() {}
