use chio_packets::BanchoPayload;

#[derive(BanchoPayload)]
struct Stats {
    #[bancho(since = 1788, since = 20120723)]
    #[bancho(default)]
    pp: u16,
}

fn main() {}
