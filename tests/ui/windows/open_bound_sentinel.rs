// The largest values would read as "no upper bound", so they are refused.
#[derive(chio_packets::BanchoPayload)]
struct Sentinels {
    #[bancho(until_protocol = 255)]
    #[bancho(default)]
    a: u8,
    #[bancho(until = 4294967295)]
    #[bancho(default)]
    b: u8,
}

fn main() {}
