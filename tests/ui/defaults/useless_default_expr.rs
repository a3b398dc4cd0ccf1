use chio_packets::BanchoPayload;

// The two windows cover every build and protocol version between them.
#[derive(BanchoPayload)]
struct Stats {
    #[bancho(until = 20120818, wire = u16)]
    #[bancho(since = 20120818, until_protocol = 11, wire = u16)]
    #[bancho(since = 20120818, since_protocol = 11)]
    #[bancho(default = 0)]
    mods: u32,
}

fn main() {}
