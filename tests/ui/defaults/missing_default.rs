use chio_packets::BanchoPayload;

#[derive(BanchoPayload)]
struct Stats {
    rank: i32,
    #[bancho(since = 20120723, wire = i16)]
    pp: u16,
}

fn main() {}
