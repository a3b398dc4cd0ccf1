use chio_packets::BanchoPacket;

#[derive(BanchoPacket)]
#[bancho(id = 68, from = client, large = true)]
struct BeatmapInfoRequest {
    count: i32,
}

fn main() {}
