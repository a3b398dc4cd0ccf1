use chio_packets::BanchoPacket;

// Only frames a client sends are capped, so only client packets can be `large`.
#[derive(BanchoPacket)]
#[bancho(id = 69, from = server, large)]
struct BeatmapInfoReply {
    count: i32,
}

fn main() {}
