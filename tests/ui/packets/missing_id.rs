use chio_packets::BanchoPacket;

#[derive(BanchoPacket)]
#[bancho(from = server)]
struct LoginReply(i32);

fn main() {}
