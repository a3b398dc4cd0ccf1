use chio_packets::BanchoPayload;

#[derive(BanchoPayload)]
struct Stats {
    #[bancho(until_protocol = 11, wire = u16)]
    #[bancho(since_protocol = 8, wire = u32)]
    mods: u32,
}

fn main() {}
