use chio_packets::BanchoPayload;

#[derive(BanchoPayload)]
struct Friends<'a> {
    #[bancho(count = u16)]
    ids: &'a [i32],
}

fn main() {}
