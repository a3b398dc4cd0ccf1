use chio_packets::BanchoPayload;

#[derive(BanchoPayload)]
struct Stats {
    #[bancho(since_protocol = 11, until_protocol = 8)]
    #[bancho(default)]
    pp: u16,
}

fn main() {}
