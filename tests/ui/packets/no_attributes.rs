use chio_packets::BanchoPacket;

#[derive(BanchoPacket)]
struct LoginReply(i32);

fn main() {}
