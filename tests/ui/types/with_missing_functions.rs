mod legacy_text {}

#[derive(chio_packets::BanchoPayload)]
struct Message {
    #[bancho(with = legacy_text)]
    text: String,
    plain: String,
}

fn main() {}
