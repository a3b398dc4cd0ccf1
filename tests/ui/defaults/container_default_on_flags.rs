use chio_packets::BanchoFlags;

chio_packets::bitflags::bitflags! {
    #[derive(Clone, Copy, BanchoFlags)]
    #[bancho(default)]
    struct Keys: u8 {
        const LEFT = 1;
    }
}

fn main() {}
