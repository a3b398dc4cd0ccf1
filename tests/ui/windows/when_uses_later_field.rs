#[derive(chio_packets::BanchoPayload)]
struct Frame {
    #[bancho(when = *has_extra)]
    #[bancho(default)]
    extra: i32,
    has_extra: bool,
}

fn main() {}
