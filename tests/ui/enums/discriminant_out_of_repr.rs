use chio_packets::BanchoEnum;

#[derive(BanchoEnum)]
#[repr(u8)]
enum Mode {
    Osu = 0,
    Taiko = 300,
}

fn main() {}
