use chio_packets::BanchoPacket;

#[derive(BanchoPacket)]
#[bancho(id = 5, from = server)]
#[bancho(id = 6)]
struct LoginReply(i32);

fn main() {}
