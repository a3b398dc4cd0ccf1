use chio_packets::BanchoPayload;

// b1788..b20120818 is covered by neither window.
#[derive(BanchoPayload)]
struct Stats {
    #[bancho(until = 1788, wire = u16)]
    #[bancho(since = 20120818, wire = u32)]
    mods: u32,
}

fn main() {}
