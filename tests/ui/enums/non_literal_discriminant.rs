use chio_packets::BanchoEnum;

const TAIKO: u8 = 1;

#[derive(BanchoEnum)]
#[repr(u8)]
enum Mode {
    Osu = 0,
    Taiko = TAIKO,
    Catch = 1 + 1,
}

fn main() {}
