//! The readers against each other on a small packet set of their own: every split of a
//! stream gives the same frames, caps hold before allocation, and nothing is lost.

use std::borrow::Cow;

use bytes::BytesMut;

use super::*;
use crate::build::BuildRange;
use crate::{Context, DecodeError, DecodeErrorKind, Direction, Limits, PacketSet, Reader};

/// A set of three packets: 5 (an `i32`), 8 (nothing) and 68 (a string, large), in
/// builds from b1788 on.
#[derive(Clone, Copy, Debug)]
enum Test {}

#[derive(Clone, Debug, PartialEq)]
enum TestPacket<'a> {
    Reply(i32),
    Ping,
    Text(Cow<'a, str>),
}

impl crate::Encode for TestPacket<'_> {
    fn encoded_len(&self, ctx: Context) -> usize {
        match self {
            Self::Reply(v) => v.encoded_len(ctx),
            Self::Ping => 0,
            Self::Text(t) => t.encoded_len(ctx),
        }
    }
    fn encode<B: bytes::BufMut + ?Sized>(&self, buf: &mut B, ctx: Context) -> Result<(), crate::EncodeError> {
        match self {
            Self::Reply(v) => v.encode(buf, ctx),
            Self::Ping => Ok(()),
            Self::Text(t) => t.encode(buf, ctx),
        }
    }
}

impl PacketSet for Test {
    const DIRECTION: Direction = Direction::ClientToServer;
    type Packet<'a> = TestPacket<'a>;

    fn decode<'a>(id: u16, reader: &mut Reader<'a>, ctx: Context) -> Result<TestPacket<'a>, DecodeError> {
        use crate::Decode;
        if !BuildRange::new(1788, u32::MAX).contains(ctx.build()) {
            return Err(reader.error(DecodeErrorKind::PacketNotInBuild { name: "any", build: ctx.build() }));
        }
        match id {
            5 => i32::decode(reader, ctx).map(TestPacket::Reply),
            8 => Ok(TestPacket::Ping),
            68 => Cow::decode(reader, ctx).map(TestPacket::Text),
            _ => Err(reader.error(DecodeErrorKind::UnknownPacketId { id, build: ctx.build() })),
        }
    }
    fn id(packet: &TestPacket<'_>) -> u16 {
        match packet {
            TestPacket::Reply(_) => 5,
            TestPacket::Ping => 8,
            TestPacket::Text(_) => 68,
        }
    }
    fn name(packet: &TestPacket<'_>) -> &'static str {
        match packet {
            TestPacket::Reply(_) => "Reply",
            TestPacket::Ping => "Ping",
            TestPacket::Text(_) => "Text",
        }
    }
    fn into_owned(packet: TestPacket<'_>) -> TestPacket<'static> {
        match packet {
            TestPacket::Reply(v) => TestPacket::Reply(v),
            TestPacket::Ping => TestPacket::Ping,
            TestPacket::Text(t) => TestPacket::Text(Cow::Owned(t.into_owned())),
        }
    }
    fn is_large(id: u16) -> bool {
        id == 68
    }
}

/// The items of a test set that reads and names its packets as [`Test`] does.
macro_rules! test_packets {
    () => {
        fn decode<'a>(id: u16, reader: &mut Reader<'a>, ctx: Context) -> Result<TestPacket<'a>, DecodeError> {
            Test::decode(id, reader, ctx)
        }
        fn id(packet: &TestPacket<'_>) -> u16 {
            Test::id(packet)
        }
        fn name(packet: &TestPacket<'_>) -> &'static str {
            Test::name(packet)
        }
        fn into_owned(packet: TestPacket<'_>) -> TestPacket<'static> {
            Test::into_owned(packet)
        }
    };
}

fn stream(ctx: Context) -> Vec<u8> {
    let mut encoder = PacketEncoder::<Test>::new(ctx);
    let mut wire = Vec::new();
    let long = "long text>".repeat(30);
    for packet in [TestPacket::Reply(1000), TestPacket::Ping, TestPacket::Text(long.into()), TestPacket::Ping]
    {
        encoder.write(&packet, &mut wire).unwrap();
    }
    // A frame with a wire id no packet has (45), kept raw in lenient mode.
    wire.extend_from_slice(&[45, 0, 0, 2, 0, 0, 0, 0xab, 0xcd]);
    wire
}

fn owned<'a>(frames: impl IntoIterator<Item = Result<Frame<'a>, DecodeError>>) -> Vec<Frame<'static>> {
    frames.into_iter().map(|frame| frame.unwrap().into_owned()).collect()
}

/// `Frames`, `FrameDecoder` and `FrameFeeder` find the same frames at the same offsets
/// for every piece size, compressed (b1797) or not.
#[test]
fn every_reader_finds_the_same_frames_at_every_piece_size() {
    for build in [20250306, 1797] {
        let ctx = Context::new(build);
        let wire = stream(ctx);
        let whole = owned(Frames::<Test>::new(&wire, ctx));
        assert_eq!(whole.len(), 5);
        assert_eq!(whole.iter().filter(|frame| frame.compressed).count(), usize::from(build == 1797));
        for size in 1..=wire.len() {
            let mut feeder = FrameFeeder::<Test>::new(ctx);
            let mut lent = Vec::new();
            for piece in wire.chunks(size) {
                feeder
                    .feed(piece, |frame| {
                        lent.push(frame.into_owned());
                        Ok::<_, DecodeError>(())
                    })
                    .unwrap();
            }
            feeder.finish().unwrap();
            assert_eq!(lent, whole, "feeder, b{build}, pieces of {size}");
            assert_eq!(feeder.position(), wire.len() as u64);

            let mut decoder = FrameDecoder::<Test>::new(ctx);
            let mut buffer = BytesMut::new();
            let mut batched = Vec::new();
            for piece in wire.chunks(size) {
                buffer.extend_from_slice(piece);
                while let Some(batch) = decoder.decode(&mut buffer).unwrap() {
                    assert_eq!(batch.len(), batch.iter().count());
                    batched.extend(owned(&batch));
                }
            }
            assert!(decoder.decode_eof(&mut buffer).unwrap().is_none());
            assert_eq!(batched, whole, "decoder, b{build}, pieces of {size}");
        }
    }
}

/// A frame over the cap is refused as soon as its header is in, before its payload is
/// buffered; the large packet gets the larger cap from the set, the others the client cap.
#[test]
fn caps_hold_before_anything_is_buffered() {
    let ctx = Context::new(20250306);
    let limits = Limits { max_client_frame_len: 16, max_frame_len: 64, ..Limits::DEFAULT };
    let oversize = [5, 0, 0, 17, 0, 0, 0];
    let mut feeder = FrameFeeder::<Test>::new(ctx).with_limits(limits);
    feeder.feed(&oversize[..3], |_| Ok::<_, DecodeError>(())).unwrap();
    let error = feeder.feed(&oversize[3..], |_| Ok::<_, DecodeError>(())).unwrap_err();
    assert!(matches!(error.kind(), DecodeErrorKind::LimitExceeded { limit: 16, .. }), "{error}");

    let mut decoder = FrameDecoder::<Test>::new(ctx).with_limits(limits);
    let mut buffer = BytesMut::from(&oversize[..]);
    let error = decoder.decode(&mut buffer).unwrap_err();
    assert!(matches!(error.kind(), DecodeErrorKind::LimitExceeded { value: 17, .. }), "{error}");
    assert!(buffer.capacity() < 17 + 7);

    // 40 bytes of packet 68 pass (large: 64), 65 do not.
    let mut large = vec![68, 0, 0, 40, 0, 0, 0];
    large.extend([0x0b, 38]);
    large.extend([b'x'; 38]);
    assert_eq!(owned(Frames::<Test>::new(&large, ctx).with_limits(limits)).len(), 1);
    let error =
        Frames::<Test>::new(&[68, 0, 0, 65, 0, 0, 0], ctx).with_limits(limits).next().unwrap().unwrap_err();
    assert!(matches!(error.kind(), DecodeErrorKind::LimitExceeded { limit: 64, .. }), "{error}");
}

/// Input that ends inside a frame is an error at its end, for every reader, in the
/// header or in the payload.
#[test]
fn streams_that_end_inside_a_frame_are_errors() {
    let ctx = Context::new(20250306);
    let wire = stream(ctx);
    for cut in [wire.len() - 1, wire.len() - 8, 3] {
        let cut_wire = &wire[..cut];
        let error = Frames::<Test>::new(cut_wire, ctx).find_map(Result::err).unwrap();
        assert!(matches!(error.kind(), DecodeErrorKind::UnexpectedEnd { .. }), "{error}");
        let mut feeder = FrameFeeder::<Test>::new(ctx);
        feeder.feed(cut_wire, |_| Ok::<_, DecodeError>(())).unwrap();
        assert_eq!(feeder.finish().unwrap_err(), error);
        let mut decoder = FrameDecoder::<Test>::new(ctx);
        let mut buffer = BytesMut::from(cut_wire);
        while decoder.decode(&mut buffer).unwrap().is_some() {}
        assert_eq!(decoder.decode_eof(&mut buffer).unwrap_err(), error);
    }
}

/// Lenient decoding keeps what the set does not know as a raw frame that writes back
/// byte for byte; strict decoding refuses it. Trailing bytes are reported, or refused.
#[test]
fn nothing_is_lost_in_lenient_mode() {
    let ctx = Context::new(20250306);
    let mut wire = stream(ctx);
    // A reply padded by 2 bytes.
    wire.extend_from_slice(&[5, 0, 0, 6, 0, 0, 0, 1, 0, 0, 0, 0xee, 0xff]);
    let mut packets = PacketDecoder::<Test>::new(ctx);
    let mut written = Vec::new();
    let mut encoder = PacketEncoder::<Test>::new(ctx);
    let mut kinds = Vec::new();
    for frame in packets.frames(&wire).collect::<Vec<_>>() {
        let frame = frame.unwrap();
        match packets.decode(&frame).unwrap() {
            Decoded::Packet(packet) => {
                let (used, trailing) = (packets.used(), &frame.payload[packets.used()..]);
                kinds.push(format!("{}:{used}:{}", Test::name(&packet), trailing.len()));
                encoder.write(&packet, &mut written).unwrap();
                written.extend_from_slice(trailing);
                if !trailing.is_empty() {
                    // The frame's length counts the trailing bytes.
                    let at = written.len() - trailing.len() - used - 4;
                    written[at..at + 4].copy_from_slice(&((used + trailing.len()) as u32).to_le_bytes());
                }
            }
            Decoded::Raw(raw) => {
                kinds.push(format!("raw {}", raw.wire_id));
                raw.write(&mut written, ctx).unwrap();
            }
        }
    }
    assert_eq!(kinds, ["Reply:4:0", "Ping:0:0", "Text:303:0", "Ping:0:0", "raw 45", "Reply:4:2"]);
    assert_eq!(written, wire);
    assert_eq!(packets.tolerated(), Tolerated { raw_frames: 1, trailing_bytes: 2 });

    let mut strict = PacketDecoder::<Test>::new(ctx).with_strictness(Strictness::Strict);
    let errors: Vec<_> = strict
        .frames(&wire)
        .collect::<Vec<_>>()
        .into_iter()
        .filter_map(|frame| strict.decode(&frame.unwrap()).err().map(|error| error.kind().clone()))
        .collect();
    assert_eq!(
        errors,
        [DecodeErrorKind::UnknownPacketId { id: 45, build: 20250306 }, DecodeErrorKind::TrailingBytes(2)]
    );

    // A build without the set's packets: every frame raw.
    let old = Context::new(1000);
    let mut packets = PacketDecoder::<Test>::new(old);
    let frame =
        Frame { offset: 0, wire_id: 5, id: Some(5), compressed: false, payload: Cow::Borrowed(&[0; 4]) };
    assert!(matches!(packets.decode(&frame).unwrap(), Decoded::Raw(_)));
}

/// A bad payload is an error at its stream offset, and the next frame still decodes.
#[test]
fn a_bad_payload_does_not_break_the_stream() {
    let ctx = Context::new(20250306);
    let mut wire = vec![68, 0, 0, 2, 0, 0, 0, 0x0c, 0x00];
    PacketEncoder::<Test>::new(ctx).write(&TestPacket::Ping, &mut wire).unwrap();
    let mut packets = PacketDecoder::<Test>::new(ctx);
    let frames: Vec<_> = packets.frames(&wire).map(Result::unwrap).collect();
    let error = packets.decode(&frames[0]).unwrap_err();
    assert_eq!(error.kind(), &DecodeErrorKind::BadStringMarker(0x0c));
    assert_eq!(error.offset(), 7);
    assert_eq!(packets.decode(&frames[1]).unwrap().packet(), Some(&TestPacket::Ping));
}

/// Patches replace one packet's reading and writing for one connection and window.
#[test]
fn patches_replace_one_packet_in_one_window() {
    fn read_negated(payload: &[u8], ctx: Context) -> Result<TestPacket<'_>, DecodeError> {
        use crate::Decode;
        i32::decode(&mut Reader::new(payload), ctx).map(|v| TestPacket::Reply(-v))
    }
    fn write_negated(
        packet: &TestPacket<'_>,
        _: Context,
        out: &mut Vec<u8>,
    ) -> Result<(), crate::EncodeError> {
        if let TestPacket::Reply(v) = packet {
            out.extend_from_slice(&(-v).to_le_bytes());
        }
        Ok(())
    }
    let ctx = Context::new(20250306);
    let mut encoder = PacketEncoder::<Test>::new(ctx);
    encoder.patch(5, BuildRange::new(20200101, u32::MAX), write_negated);
    let mut wire = Vec::new();
    encoder.write(&TestPacket::Reply(7), &mut wire).unwrap();
    assert_eq!(wire, [5, 0, 0, 4, 0, 0, 0, 0xf9, 0xff, 0xff, 0xff]);
    let mut decoder = PacketDecoder::<Test>::new(ctx);
    decoder.patch(5, BuildRange::new(20200101, u32::MAX), read_negated);
    let frame = decoder.frames(&wire).next().unwrap().unwrap();
    assert_eq!(decoder.decode(&frame).unwrap().into_packet(), Some(TestPacket::Reply(7)));
    // Outside the window, and on another decoder, the set's own reading.
    let mut plain = PacketDecoder::<Test>::new(ctx);
    assert_eq!(plain.decode(&frame).unwrap().into_packet(), Some(TestPacket::Reply(-7)));
    let mut older = PacketDecoder::<Test>::new(Context::new(20190101));
    older.patch(5, BuildRange::new(20200101, u32::MAX), read_negated);
    assert_eq!(older.decode(&frame).unwrap().into_packet(), Some(TestPacket::Reply(-7)));
}

/// `visit` lends what `decode` returns, on every path: packets, padded packets, raw
/// frames, bad payloads, strict refusals and patched packets; with the same `used` and
/// the same counts of what was tolerated. For a set that decodes only through `decode`
/// ([`Test`]) and for one with lenders ([`Lending`]), whose padded and bad payloads
/// `visit` handles on paths of its own.
#[test]
fn visit_lends_what_decode_returns() {
    visit_agrees_with_decode::<Test>();
    visit_agrees_with_decode::<Lending>();
}

fn visit_agrees_with_decode<S>()
where
    S: for<'a> PacketSet<Packet<'a> = TestPacket<'a>>,
{
    fn read_negated(payload: &[u8], ctx: Context) -> Result<TestPacket<'_>, DecodeError> {
        use crate::Decode;
        i32::decode(&mut Reader::new(payload), ctx).map(|v| TestPacket::Reply(-v))
    }
    let ctx = Context::new(20250306);
    let mut wire = stream(ctx);
    // A reply padded by 2 bytes, then a bad string marker.
    wire.extend_from_slice(&[5, 0, 0, 6, 0, 0, 0, 1, 0, 0, 0, 0xee, 0xff]);
    wire.extend_from_slice(&[68, 0, 0, 2, 0, 0, 0, 0x0c, 0x00]);
    for strictness in [Strictness::Lenient, Strictness::Strict] {
        for patched in [false, true] {
            let decoder = || {
                let mut decoder = PacketDecoder::<S>::new(ctx).with_strictness(strictness);
                if patched {
                    decoder.patch(5, BuildRange::new(20200101, u32::MAX), read_negated);
                }
                decoder
            };
            let (mut returning, mut lending) = (decoder(), decoder());
            let frames: Vec<_> = returning.frames(&wire).map(Result::unwrap).collect();
            let mut seen = Vec::new();
            for frame in &frames {
                let returned = match returning.decode(frame) {
                    Ok(Decoded::Packet(packet)) => Ok(Some(packet)),
                    Ok(Decoded::Raw(raw)) => Ok(raw.write(&mut Vec::new(), ctx).map(|()| None).unwrap()),
                    Err(error) => Err(error),
                };
                let lent = lending.visit(frame, |lent| match lent {
                    Lent::Packet(packet) => Some(Test::into_owned(packet.clone())),
                    Lent::Raw(raw) => {
                        // The raw frame lent is the frame, header and payload.
                        assert_eq!(raw, frame);
                        None
                    }
                });
                assert_eq!(lent, returned, "{strictness:?}, patched: {patched}, frame at {}", frame.offset);
                assert_eq!(lending.used(), returning.used());
                seen.push(lent.map(|packet| packet.map(|p| Test::name(&p))));
            }
            assert_eq!(lending.tolerated(), returning.tolerated());
            // Every path was taken.
            let kinds: Vec<String> = seen
                .iter()
                .map(|s| match s {
                    Ok(Some(name)) => (*name).to_owned(),
                    Ok(None) => "raw".to_owned(),
                    Err(_) => "error".to_owned(),
                })
                .collect();
            // Strict decoding refuses the raw frame and the padding, except that a patch
            // reads the whole payload, padding included.
            let lenient = strictness == Strictness::Lenient;
            let raw = if lenient { "raw" } else { "error" };
            let padded = if lenient || patched { "Reply" } else { "error" };
            let expected = ["Reply", "Ping", "Text", "Ping", raw, padded, "error"];
            assert_eq!(kinds, expected);
        }
    }
    // The patch was applied: the reply of the stream reads negated.
    let mut patched = PacketDecoder::<S>::new(ctx);
    patched.patch(5, BuildRange::new(20200101, u32::MAX), read_negated);
    let frame = patched.frames(&wire).next().unwrap().unwrap();
    assert_eq!(
        patched.visit(&frame, |lent| lent.packet().cloned().map(Test::into_owned)).unwrap(),
        Some(TestPacket::Reply(-1000))
    );
    // A build without the packets (they are absent before b1788): each frame passes raw,
    // the long text's compressed.
    let old = Context::new(1700);
    let wire = stream(old);
    let (mut returning, mut lending) = (PacketDecoder::<S>::new(old), PacketDecoder::<S>::new(old));
    for frame in returning.frames(&wire).map(Result::unwrap).collect::<Vec<_>>() {
        let returned = matches!(returning.decode(&frame), Ok(Decoded::Raw(raw)) if *raw == frame);
        let lent = lending.visit(&frame, |lent| matches!(lent, Lent::Raw(raw) if *raw == frame)).unwrap();
        assert!(returned && lent, "frame at {}", frame.offset);
    }
    assert_eq!(lending.tolerated(), returning.tolerated());
    assert_eq!(lending.tolerated().raw_frames, 5);
}

/// [`Test`] with lenders ([`PacketSet::LENDERS`]), as the standard sets have: `visit`
/// decodes its packets in place and takes its own paths for bytes left over and errors.
#[derive(Clone, Copy, Debug)]
enum Lending {}

impl Lending {
    /// The lender of the decoder at `index` of `DECODERS`.
    fn held<'a>(
        index: usize,
        reader: &mut Reader<'a>,
        ctx: Context,
    ) -> core::mem::ManuallyDrop<Result<TestPacket<'a>, DecodeError>> {
        core::mem::ManuallyDrop::new(Self::DECODERS[index](reader, ctx))
    }
}

impl PacketSet for Lending {
    const DIRECTION: Direction = Direction::ClientToServer;
    type Packet<'a> = TestPacket<'a>;

    // `Test`'s decoding, which refuses builds before b1788: in those, the lenders' error
    // passes the frame raw.
    const DECODERS: &'static [crate::DecodeFn<Self>] = &[
        |reader, ctx| Test::decode(5, reader, ctx),
        |reader, ctx| Test::decode(8, reader, ctx),
        |reader, ctx| Test::decode(68, reader, ctx),
    ];
    const LENDERS: &'static [crate::LendFn<Self>] = &[
        |reader, ctx| Self::held(0, reader, ctx),
        |reader, ctx| Self::held(1, reader, ctx),
        |reader, ctx| Self::held(2, reader, ctx),
    ];

    fn decoder_index(id: u16, _: u32) -> Option<usize> {
        [5, 8, 68].iter().position(|&known| known == id)
    }
    fn drops_nothing(index: usize, _: u32) -> bool {
        // The text may own its string; the others free nothing.
        index != 2
    }
    test_packets!();
    fn is_large(id: u16) -> bool {
        Test::is_large(id)
    }
}

/// `Test` with a table of payload decoders, as a downstream set may have: one decoder,
/// for packet 5 from b20200101, which reads the reply negated (unlike `decode`) so that
/// the test can tell which path a frame took; packets 8 and 68 get indices no decoder
/// has (one of them `usize::MAX`), and so go through `decode`.
#[derive(Clone, Copy, Debug)]
enum Tabled {}

impl PacketSet for Tabled {
    const DIRECTION: Direction = Direction::ClientToServer;
    type Packet<'a> = TestPacket<'a>;

    const DECODERS: &'static [crate::DecodeFn<Self>] =
        &[|reader, ctx| <i32 as crate::Decode>::decode(reader, ctx).map(|v| TestPacket::Reply(-v))];

    fn decoder_index(id: u16, build: u32) -> Option<usize> {
        match id {
            5 if build >= 20200101 => Some(0),
            8 => Some(usize::MAX),
            68 => Some(1),
            _ => None,
        }
    }
    test_packets!();
}

/// A `PacketDecoder` calls the set's table of payload decoders for the ids and builds it
/// names, looked up again when the build changes, and `decode` for every other frame,
/// indices out of the table included; a patch still comes first.
#[test]
fn a_decoder_calls_the_sets_table_where_it_has_one() {
    fn read_doubled(payload: &[u8], ctx: Context) -> Result<TestPacket<'_>, DecodeError> {
        use crate::Decode;
        i32::decode(&mut Reader::new(payload), ctx).map(|v| TestPacket::Reply(2 * v))
    }
    let read = |decoder: &mut PacketDecoder<Tabled>, wire: &[u8]| -> Vec<Option<TestPacket<'static>>> {
        let frames = owned(decoder.frames(wire));
        frames
            .iter()
            .map(|frame| decoder.visit(frame, |lent| lent.packet().cloned().map(Tabled::into_owned)).unwrap())
            .collect()
    };
    let long = "long text>".repeat(30);
    let expected = |reply| {
        vec![
            Some(TestPacket::Reply(reply)),
            Some(TestPacket::Ping),
            Some(TestPacket::Text(long.clone().into())),
            Some(TestPacket::Ping),
            None,
        ]
    };
    let (new, old) = (Context::new(20250306), Context::new(20190101));
    let (new_wire, old_wire) = (stream(new), stream(old));
    let mut decoder = PacketDecoder::<Tabled>::new(new);
    assert_eq!(read(&mut decoder, &new_wire), expected(-1000));
    decoder.set_context(old);
    assert_eq!(read(&mut decoder, &old_wire), expected(1000));
    decoder.set_context(new);
    assert_eq!(read(&mut decoder, &new_wire), expected(-1000));
    decoder.patch(5, BuildRange::new(20200101, u32::MAX), read_doubled);
    assert_eq!(read(&mut decoder, &new_wire), expected(2000));
    assert_eq!(decoder.tolerated().raw_frames, 4);
}

/// [`Test`]'s packets sent the other way, for a server's frame caps.
#[derive(Clone, Copy, Debug)]
enum TestFromServer {}

impl PacketSet for TestFromServer {
    const DIRECTION: Direction = Direction::ServerToClient;
    type Packet<'a> = TestPacket<'a>;

    test_packets!();
}

/// Caps small enough for generated frames to cross them.
const SMALL_CAPS: Limits = Limits { max_client_frame_len: 6, max_frame_len: 12, ..Limits::DEFAULT };

/// Where the straight path of the reading step answers, it answers as the general one.
fn plain_agrees<S: PacketSet>(input: &[u8], ctx: Context) -> Option<super::frame::Step<'_>> {
    let plain = super::frame::plain_step::<S>(input, ctx, &SMALL_CAPS)?;
    assert_eq!(
        Ok(plain),
        super::frame::general_step::<S>(input, 9, ctx, &SMALL_CAPS),
        "{input:?} in {ctx:?}"
    );
    Some(plain)
}

#[test]
fn the_straight_reading_step_takes_only_plain_frames() {
    let modern = Context::new(20250306);
    // Taken: a standard id in a modern build, uncompressed, whole, within its cap.
    let plain = [5, 0, 0, 4, 0, 0, 0, 1, 2, 3, 4, 0xff];
    assert!(plain_agrees::<Test>(&plain, modern).is_some());
    assert!(plain_agrees::<TestFromServer>(&plain, modern).is_some());
    assert!(plain_agrees::<Test>(&plain[..11], modern).is_some());
    // Left to the general step: each of the other cases.
    let left: [(&[u8], Context); 6] = [
        (&[5, 0, 1, 4, 0, 0, 0, 1, 2, 3, 4], modern), // compressed
        (&[0xe8, 3, 0, 0, 0, 0, 0], modern),          // a custom id
        (&[5, 0, 0, 7, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7], modern), // over the client cap
        (&[5, 0, 0, 4, 0, 0, 0, 1, 2, 3], modern),    // cut short
        (&[5, 0, 0, 4, 0, 0], modern),                // not even a header
        (&[5, 0, 0, 4, 0, 0, 0, 1, 2, 3, 4], Context::new(1787)), // an older numbering
    ];
    for (input, ctx) in left {
        assert_eq!(super::frame::plain_step::<Test>(input, ctx, &SMALL_CAPS), None, "{input:?}");
    }
    // A large packet's frame passes the client cap, as in the general step.
    assert!(plain_agrees::<Test>(&[68, 0, 0, 7, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7], modern).is_some());
}

proptest::proptest! {
    #[test]
    fn the_straight_reading_step_agrees_with_the_general_one(
        id in proptest::prop_oneof![0u16..=120, proptest::prelude::Just(1000u16), proptest::prelude::Just(0xffff)],
        flag in 0u8..=2,
        len in 0u32..=14,
        body in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..=16),
        build in proptest::sample::select(vec![282u32, 333, 334, 1787, 1788, 20121223, 20250306]),
    ) {
        let mut input = id.to_le_bytes().to_vec();
        input.push(flag);
        input.extend_from_slice(&len.to_le_bytes());
        input.extend_from_slice(&body);
        for cut in 0..=input.len() {
            plain_agrees::<Test>(&input[..cut], Context::new(build));
            plain_agrees::<TestFromServer>(&input[..cut], Context::new(build));
        }
    }
}
