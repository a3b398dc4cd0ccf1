use std::borrow::Cow;

use chio_packets::{BanchoPacket, Context, Decode, Encode, Packet};

/// A hand-written codec for a `with` window: a NUL-terminated string.
mod c_string {
    use std::borrow::Cow;

    use chio_packets::{Context, DecodeError, DecodeErrorKind, EncodeError, Reader};

    pub fn encoded_len(text: &Cow<'_, str>, _: Context) -> usize {
        text.len() + 1
    }

    pub fn encode<B: chio_packets::BufMut + ?Sized>(
        text: &Cow<'_, str>,
        buf: &mut B,
        _: Context,
    ) -> Result<(), EncodeError> {
        buf.put_slice(text.as_bytes());
        buf.put_u8(0);
        Ok(())
    }

    pub fn decode<'de>(reader: &mut Reader<'de>, _: Context) -> Result<Cow<'de, str>, DecodeError> {
        let mut bytes = Vec::new();
        loop {
            match reader.take_byte()? {
                0 => break,
                byte => bytes.push(byte),
            }
        }
        String::from_utf8(bytes)
            .map(Cow::Owned)
            .map_err(|_| reader.error(DecodeErrorKind::Custom(Cow::Borrowed("not UTF-8"))))
    }
}

#[derive(Clone, Debug, PartialEq, BanchoPacket)]
#[bancho(
    name = "BanchoEverything",
    id = 1001,
    from = server,
    since = 338,
    until = 30000000,
    crate = "chio_packets"
)]
struct Everything<'a> {
    has_text: bool,
    #[bancho(until = 1788, when = *has_text, with = c_string)]
    #[bancho(since = 1788, when = *has_text)]
    #[bancho(default)]
    text: Cow<'a, str>,
    #[bancho(until = 20120818, wire = u16)]
    #[bancho(since = 20120818, until_protocol = 11, wire = u16)]
    #[bancho(since = 20120818, since_protocol = 11)]
    mods: u32,
    #[bancho(until = 1788, count = u16)]
    #[bancho(since = 1788, count = i32)]
    ids: Vec<i32>,
    #[bancho(since = 20210101, since_protocol = 19)]
    #[bancho(default = -1)]
    expires_at: i64,
}

fn main() {
    assert_eq!(<Everything<'_> as Packet>::ID, 1001);
    assert_eq!(<Everything<'_> as Packet>::NAME, "BanchoEverything");
    let value =
        Everything { has_text: true, text: Cow::Borrowed("hi"), mods: 64, ids: vec![2, 3], expires_at: -1 };
    for build in [1000, 20120806, 20250306] {
        let ctx = Context::new(build);
        let bytes = value.encode_payload(ctx).unwrap();
        assert_eq!(bytes.len(), value.encoded_len(ctx));
        assert_eq!(Everything::decode_payload(&bytes, ctx).unwrap(), value);
    }
}
