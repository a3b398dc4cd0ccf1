use chio_packets::BanchoEnum;

#[derive(BanchoEnum)]
enum Mode {
    Osu = 0,
    Taiko = 1,
}

fn main() {}
