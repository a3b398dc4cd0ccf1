use chio_packets::BanchoPayload;

#[derive(BanchoPayload)]
struct Slots<const N: usize> {
    ids: [i32; N],
}

fn main() {}
