use chio_packets::BanchoPayload;

#[derive(BanchoPayload)]
struct Channel {
    #[bancho(count = u16)]
    user_count: i32,
}

fn main() {}
