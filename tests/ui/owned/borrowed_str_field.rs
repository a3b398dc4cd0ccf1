// A `&'a str` field decodes (borrowed from the input) but cannot be made owned: the derived
// `into_owned` reports it at the field, pointing to `Cow<'a, str>`.
use chio_derive::BanchoPayload;

#[derive(BanchoPayload)]
#[bancho(crate = "chio_core")]
struct Greeting<'a> {
    id: i32,
    name: &'a str,
}

fn main() {}
