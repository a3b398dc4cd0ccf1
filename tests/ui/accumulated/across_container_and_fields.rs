use chio_packets::BanchoPacket;

// Container and field errors are reported together.
#[derive(BanchoPacket)]
#[bancho(name = "BanchoUserStats")]
struct UserStats {
    #[bancho(count = u16)]
    user_id: i32,
    #[bancho(default)]
    rank: i32,
    #[bancho(since = 1788, wire = u16, wire = u32)]
    #[bancho(since = 20120723)]
    #[bancho(default)]
    pp: u32,
}

fn main() {}
