use chio_packets::BanchoPacket;

#[derive(BanchoPacket)]
#[bancho(id = 11, from = server, since = 20250306, until = 1788)]
struct UserStats {
    user_id: i32,
}

fn main() {}
