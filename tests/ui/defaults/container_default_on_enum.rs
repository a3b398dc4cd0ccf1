use chio_packets::BanchoEnum;

// An enum picks its default variant with `#[default]`, not with the container key.
#[derive(BanchoEnum)]
#[bancho(default)]
#[repr(u8)]
enum Mode {
    Osu = 0,
    Taiko = 1,
}

fn main() {}
