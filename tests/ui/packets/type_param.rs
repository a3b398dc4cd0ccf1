use chio_packets::BanchoPacket;

#[derive(BanchoPacket)]
#[bancho(id = 5, from = server)]
struct LoginReply<T> {
    user_id: T,
}

fn main() {}
