use chio_packets::BanchoPayload;

#[derive(BanchoPayload)]
struct Message {
    #[bancho(wire = u16)]
    text: String,
}

fn main() {}
