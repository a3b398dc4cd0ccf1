// No `use`: the derives are named by path and the crate is given explicitly.

mod renamed {
    pub use chio_packets as wire;
}

#[derive(Debug, PartialEq, chio_packets::BanchoPayload)]
#[bancho(crate = "chio_packets")]
struct Score {
    total: u64,
}

#[derive(Debug, PartialEq, chio_packets::BanchoPayload)]
#[bancho(crate = "renamed::wire")]
struct Combo<'a> {
    #[bancho(count = u16)]
    hits: Vec<u16>,
    player: std::borrow::Cow<'a, str>,
}

fn main() {
    use chio_packets::{Context, Decode, Encode};
    let ctx = Context::NEWEST;
    let bytes = Score { total: 7 }.encode_payload(ctx).unwrap();
    assert_eq!(Score::decode_payload(&bytes, ctx).unwrap(), Score { total: 7 });
    let combo = Combo { hits: vec![300, 100], player: "peppy".into() };
    let bytes = combo.encode_payload(ctx).unwrap();
    assert_eq!(Combo::decode_payload(&bytes, ctx).unwrap(), combo);
}
