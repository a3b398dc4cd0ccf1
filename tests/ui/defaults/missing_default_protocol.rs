use chio_packets::BanchoPayload;

// Every build, but only from protocol 19.
#[derive(BanchoPayload)]
struct Notice {
    #[bancho(since_protocol = 19)]
    expires_at: i64,
}

fn main() {}
