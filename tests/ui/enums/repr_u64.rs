#[derive(chio_packets::BanchoEnum)]
#[repr(u64)]
enum Big {
    Max = 18446744073709551615,
}

fn main() {}
