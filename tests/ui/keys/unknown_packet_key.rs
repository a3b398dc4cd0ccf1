use chio_packets::BanchoPacket;

#[derive(BanchoPacket)]
#[bancho(id = 5, from = server, direction = server)]
struct LoginReply(i32);

fn main() {}
