use chio_packets::BanchoPacket;

#[derive(BanchoPacket)]
#[bancho(id = 5, from = server)]
enum LoginReply {
    Ok(i32),
    Failed,
}

fn main() {}
