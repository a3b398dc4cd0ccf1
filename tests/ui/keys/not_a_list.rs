use chio_packets::BanchoPayload;

#[derive(BanchoPayload)]
struct Stats {
    #[bancho]
    rank: i32,
    #[bancho = "since 1788"]
    pp: u16,
}

fn main() {}
