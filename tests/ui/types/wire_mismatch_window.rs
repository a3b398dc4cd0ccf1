use chio_packets::BanchoPayload;

#[derive(BanchoPayload)]
struct Stats {
    #[bancho(until = 1788, wire = i16)]
    #[bancho(since = 1788, wire = String)]
    rank: i32,
}

fn main() {}
