use chio_packets::BanchoPayload;

#[derive(BanchoPayload)]
struct Stats {
    #[bancho(since = 1788)]
    #[bancho(default)]
    #[bancho(default = 0)]
    pp: u16,
}

fn main() {}
