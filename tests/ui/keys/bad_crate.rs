#[derive(chio_packets::BanchoPayload)]
#[bancho(crate = "not a path")]
struct Pong;

fn main() {}
