use chio_packets::BanchoPayload;

#[derive(BanchoPayload)]
enum Status {
    Idle,
    Playing,
}

fn main() {}
