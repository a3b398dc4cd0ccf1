use chio_packets::BanchoPayload;

const FIRST_MODERN_BUILD: u32 = 1788;

#[derive(BanchoPayload)]
struct Stats {
    #[bancho(since = FIRST_MODERN_BUILD)]
    rank: i32,
}

fn main() {}
