use chio_packets::BanchoPayload;

#[derive(BanchoPayload)]
struct Friends {
    #[bancho(count = String)]
    ids: Vec<i32>,
}

fn main() {}
