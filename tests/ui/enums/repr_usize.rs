use chio_packets::BanchoEnum;

#[derive(BanchoEnum)]
#[repr(usize)]
enum Mode {
    Osu = 0,
    Taiko = 1,
}

fn main() {}
