use chio_packets::BanchoPayload;

#[derive(BanchoPayload)]
struct Stats {
    #[bancho(since = 1788, wire = u16)]
    #[bancho(since = 20120818, wire = u32)]
    #[bancho(default)]
    mods: u32,
}

fn main() {}
