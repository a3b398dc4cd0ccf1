use chio_packets::BanchoEnum;

#[derive(BanchoEnum)]
#[bancho(since = 338)]
#[repr(u8)]
enum Mode {
    Osu = 0,
    Taiko = 1,
}

fn main() {}
