use chio_packets::{BanchoEnum, BanchoPayload};

#[derive(BanchoPayload)]
#[bancho(large)]
struct Filenames {
    names: Vec<String>,
}

#[derive(BanchoEnum)]
#[bancho(large)]
#[repr(u8)]
enum Kind {
    Osu = 0,
}

fn main() {}
