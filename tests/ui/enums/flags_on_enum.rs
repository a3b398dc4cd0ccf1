use chio_packets::BanchoFlags;

#[derive(BanchoFlags)]
enum Mods {
    Hidden,
    HardRock,
}

fn main() {}
