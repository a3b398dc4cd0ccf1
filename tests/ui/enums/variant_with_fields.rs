use chio_packets::BanchoEnum;

#[derive(BanchoEnum)]
#[repr(i32)]
enum LoginResult {
    Ok(i32),
    Failed { code: i32 },
    Banned = -3,
}

fn main() {}
