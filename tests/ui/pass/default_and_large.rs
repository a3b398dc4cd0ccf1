use std::borrow::Cow;

use chio_packets::{BanchoEnum, BanchoPacket, BanchoPayload, Context, Decode, Encode, Packet};

#[derive(Clone, Copy, Debug, PartialEq, Default, BanchoEnum)]
#[repr(u8)]
enum Grade {
    S = 0,
    #[default]
    None = 9,
}

#[derive(Debug, PartialEq, BanchoPayload)]
#[bancho(default)]
struct Score<'a> {
    total: u32,
    grade: Grade,
    #[bancho(since = 20121225, since_protocol = 15)]
    #[bancho(default = -1)]
    sender_id: i32,
    #[bancho(since = 320)]
    #[bancho(default = Cow::Borrowed("#osu"))]
    target: Cow<'a, str>,
}

#[derive(Debug, PartialEq, BanchoPacket)]
#[bancho(id = 1001, from = client, large, default)]
struct Upload<'a>(#[bancho(count = u16)] Vec<Score<'a>>);

#[derive(Debug, PartialEq, BanchoPacket)]
#[bancho(id = 1002, from = client, default)]
struct Empty;

fn main() {
    assert_eq!(
        Score::default(),
        Score { total: 0, grade: Grade::None, sender_id: -1, target: Cow::Borrowed("#osu") }
    );
    // The default is what decoding gives where the windowed fields are absent.
    let old = Context::new(300);
    let bytes = Score::default().encode_payload(old).unwrap();
    assert_eq!(Score::decode_payload(&bytes, old).unwrap(), Score::default());

    assert!(<Upload<'_> as Packet>::LARGE);
    assert!(!<Empty as Packet>::LARGE);
    assert_eq!(Upload::default(), Upload(Vec::new()));
    assert_eq!(Empty::default(), Empty);
}
