use chio_packets::BanchoPayload;

mod legacy_ids {}

#[derive(BanchoPayload)]
struct Friends {
    #[bancho(until = 1788, count = u16, wire = u16)]
    #[bancho(since = 1788, count = i32, with = legacy_ids)]
    ids: Vec<i32>,
}

fn main() {}
