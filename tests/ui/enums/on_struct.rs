use chio_packets::BanchoEnum;

#[derive(BanchoEnum)]
struct Mode(u8);

fn main() {}
