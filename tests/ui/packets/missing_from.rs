use chio_packets::BanchoPacket;

#[derive(BanchoPacket)]
#[bancho(id = 5)]
struct LoginReply(i32);

fn main() {}
