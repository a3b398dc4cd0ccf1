use chio_packets::BanchoEnum;

#[derive(BanchoEnum)]
#[repr(u8)]
enum Mode<T> {
    Osu = 0,
    Taiko = 1,
    #[allow(dead_code)]
    Other(std::marker::PhantomData<T>) = 2,
}

fn main() {}
