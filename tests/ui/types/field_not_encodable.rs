use chio_packets::BanchoPayload;

struct Secret;

#[derive(BanchoPayload)]
struct Login {
    secret: Secret,
}

fn main() {}
