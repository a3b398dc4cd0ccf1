use chio_packets::BanchoPacket;

// Every mistake is reported in one compile, not just the first.
#[derive(BanchoPacket)]
#[bancho(id = 11, from = server)]
struct UserStats {
    #[bancho(sinse = 1788)]
    user_id: i32,
    #[bancho(since = 20250306, until = 20120723)]
    #[bancho(default)]
    pp: u16,
    #[bancho(since = 1788)]
    rank: i32,
}

fn main() {}
