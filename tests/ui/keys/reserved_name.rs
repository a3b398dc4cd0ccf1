#[derive(chio_packets::BanchoPayload)]
struct Clash {
    __chio_ctx: u8,
}

fn main() {}
