//! The wire layer on real streams of every era: any chunking of a stream gives the same
//! frames through every reader, caps hold before allocation, lenient and strict modes,
//! per-connection patches, a downstream packet set, the std::io helpers, and a bot that
//! talks to a server through the tokio codec over loopback, both directions.

use bytes::BytesMut;
use chio_packets::catalog::{ClientCodec, ServerCodec, ServerPacket};
use chio_packets::events::{ChatMessage, ServerEvent, UserInfo};
use chio_packets::multiplayer::{Match, MatchSlot, SlotStatus};
use chio_packets::wire::{Decoded, FrameDecoder, FrameFeeder, Frames, PacketEncoder, Strictness};
use chio_packets::{
    ClientPacket, Context, Decode, DecodeError, DecodeErrorKind, Encode, Frame, FromClient, FromServer,
    Limits, Packet, PacketDecoder, PacketSet,
};
use chio_tests::custom::{NoticeServer, NoticeServerPacket, ServerNotice};

const BUILDS: [u32; 9] = [282, 323, 338, 1000, 1799, 1800, 20121224, 20140528, 20250306];

/// A login-like burst for `build`, with payloads long enough to be compressed in
/// b334–b1799 (and every payload compressed before b334).
fn burst(build: u32) -> Vec<u8> {
    let ctx = Context::new(build);
    let users: Vec<UserInfo<'static>> = (1..=12)
        .map(|id| UserInfo { id, name: format!("player {id}").into(), ..UserInfo::default() })
        .collect();
    let mut slots = vec![MatchSlot::default(); 16];
    slots[0] = MatchSlot { status: SlotStatus::NOT_READY, user_id: 3, ..MatchSlot::default() };
    let events = [
        ServerEvent::LoginReply(chio_packets::events::LoginResult::Success(1000)),
        ServerEvent::ProtocolNegotiation(None),
        ServerEvent::UserPresenceBundle(users.clone()),
        ServerEvent::UserStats(users[0].clone()),
        ServerEvent::Message(ChatMessage {
            sender: "peppy".into(),
            content: "a long message ".repeat(20).into(),
            target: "#osu".into(),
            sender_id: 2,
        }),
        ServerEvent::MatchUpdate(Match { id: 5, name: "room".into(), slots, ..Match::default() }),
        ServerEvent::Ping,
    ];
    let mut body = Vec::new();
    for event in &events {
        event.write(&mut body, ctx).unwrap();
    }
    body
}

/// Every frame of a buffer of whole frames, detached.
fn whole<S: PacketSet>(stream: &[u8], ctx: Context) -> Vec<Frame<'static>> {
    Frames::<S>::new(stream, ctx).map(|frame| frame.unwrap().into_owned()).collect()
}

/// `stream` pushed in the given piece sizes through a `FrameDecoder` (a `BytesMut`) and a
/// `FrameFeeder` (borrowed pieces); both must give the same frames, which are returned.
fn pieces<S: PacketSet>(
    stream: &[u8],
    ctx: Context,
    sizes: impl IntoIterator<Item = usize>,
) -> Vec<Frame<'static>> {
    let mut decoder = FrameDecoder::<S>::new(ctx);
    let mut feeder = FrameFeeder::<S>::new(ctx);
    let mut buffer = BytesMut::new();
    let (mut batched, mut lent) = (Vec::new(), Vec::new());
    let mut rest = stream;
    for size in sizes {
        let (piece, tail) = rest.split_at(size.min(rest.len()));
        rest = tail;
        buffer.extend_from_slice(piece);
        while let Some(batch) = decoder.decode(&mut buffer).unwrap() {
            batched.extend(batch.iter().map(|frame| frame.unwrap().into_owned()));
        }
        feeder
            .feed(piece, |frame| {
                lent.push(frame.into_owned());
                Ok::<_, DecodeError>(())
            })
            .unwrap();
        if rest.is_empty() {
            break;
        }
    }
    assert!(rest.is_empty());
    assert!(decoder.decode_eof(&mut buffer).unwrap().is_none());
    feeder.finish().unwrap();
    assert_eq!(decoder.position(), stream.len() as u64);
    assert_eq!(feeder.position(), stream.len() as u64);
    assert_eq!(batched, lent, "the decoder and the feeder agree");
    batched
}

#[test]
fn every_split_point_and_random_chunking_gives_the_same_frames() {
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for build in BUILDS {
        let ctx = Context::new(build);
        let stream = burst(build);
        let whole = whole::<FromServer>(&stream, ctx);
        assert!(whole.len() >= 7, "b{build}: {} frames", whole.len());
        if (334..1800).contains(&build) {
            assert!(whole.iter().any(|frame| frame.compressed), "b{build}: nothing compressed");
        }
        for split in 0..=stream.len() {
            assert_eq!(
                pieces::<FromServer>(&stream, ctx, [split, stream.len()]),
                whole,
                "b{build} split {split}"
            );
        }
        assert_eq!(pieces::<FromServer>(&stream, ctx, std::iter::repeat(1)), whole, "b{build} byte by byte");
        for _ in 0..50 {
            let sizes: Vec<usize> = (0..stream.len()).map(|_| 1 + (next() % 1460) as usize).collect();
            assert_eq!(pieces::<FromServer>(&stream, ctx, sizes), whole, "b{build} random pieces");
        }
        // Every frame is a packet of the build, and writes back as it came.
        let mut packets = PacketDecoder::<FromServer>::new(ctx).with_strictness(Strictness::Strict);
        let mut again = Vec::new();
        for frame in &whole {
            let packet = packets.decode(frame).unwrap().into_packet().expect("a packet");
            packet.write(&mut again, ctx).unwrap();
        }
        assert_eq!(again, stream, "b{build}");
    }
}

#[test]
fn every_fixture_stream_gives_the_same_frames_at_every_split() {
    let mut revisions = 0;
    for revision in chio_packets::build::REVISIONS {
        let build = revision.build;
        let ctx = Context::new(build);
        // One stream per revision: every packet the reference recorded, framed as its
        // server would frame it.
        let stream = chio_tests::fixture_stream(build);
        let whole = whole::<FromServer>(&stream, ctx);
        assert!(whole.len() >= 30, "b{build}: {} frames", whole.len());
        for split in 0..=stream.len() {
            assert_eq!(
                pieces::<FromServer>(&stream, ctx, [split, stream.len()]),
                whole,
                "b{build} split {split}"
            );
        }
        let mut state = u64::from(build) | 1;
        for _ in 0..20 {
            let sizes: Vec<usize> = (0..stream.len())
                .map(|_| {
                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    1 + (state % 1460) as usize
                })
                .collect();
            assert_eq!(pieces::<FromServer>(&stream, ctx, sizes), whole, "b{build} random pieces");
        }
        revisions += 1;
    }
    assert_eq!(revisions, chio_packets::build::REVISIONS.len());
}

#[test]
fn an_oversize_length_fails_as_soon_as_the_header_is_in() {
    let ctx = Context::new(20250306);
    let limits = Limits { max_frame_len: 1024, ..Limits::DEFAULT };
    let mut decoder = FrameDecoder::<FromServer>::new(ctx).with_limits(limits);
    let mut buffer = BytesMut::from(&[7u8, 0, 0][..]);
    assert!(decoder.decode(&mut buffer).unwrap().is_none());
    buffer.extend_from_slice(&2048u32.to_le_bytes());
    let error = decoder.decode(&mut buffer).unwrap_err();
    assert!(
        matches!(error.kind(), DecodeErrorKind::LimitExceeded { value: 2048, limit: 1024, .. }),
        "{error}"
    );
    // Nothing was reserved for the refused payload.
    assert!(buffer.capacity() < 1024);
}

/// The caps per packet come from the packet definitions: the beatmap info request is
/// marked large.
#[test]
fn client_streams_have_the_reference_caps_per_packet() {
    let ctx = Context::new(20250306);
    let header = |id: u16, len: u32| {
        let mut bytes = id.to_le_bytes().to_vec();
        bytes.push(0);
        bytes.extend_from_slice(&len.to_le_bytes());
        BytesMut::from(&bytes[..])
    };
    // The caps are the defaults' (the reference's 16 KiB and 256 KiB), read from them.
    let (client_cap, cap) = (Limits::DEFAULT.max_client_frame_len, Limits::DEFAULT.max_frame_len);
    const { assert!(Limits::DEFAULT.max_client_frame_len < Limits::DEFAULT.max_frame_len) };
    // A message over the client cap is refused; a beatmap info request (id 68) of that
    // size is awaited, up to the frame cap.
    assert!(FrameDecoder::<FromClient>::new(ctx).decode(&mut header(1, client_cap)).unwrap().is_none());
    assert!(FrameDecoder::<FromClient>::new(ctx).decode(&mut header(1, client_cap + 1)).is_err());
    assert!(FrameDecoder::<FromClient>::new(ctx).decode(&mut header(68, client_cap + 1)).unwrap().is_none());
    assert!(FrameDecoder::<FromClient>::new(ctx).decode(&mut header(68, cap + 1)).is_err());
    // A server stream allows the frame cap for any packet.
    assert!(FrameDecoder::<FromServer>::new(ctx).decode(&mut header(1, client_cap + 1)).unwrap().is_none());
    assert!(FromClient::is_large(68) && !FromClient::is_large(1) && !FromServer::is_large(68));
}

#[test]
fn a_stream_of_gzip_bombs_is_stopped_at_the_decompressed_cap() {
    let ctx = Context::new(1000);
    let bomb = chio_packets::frame::gzip(&vec![b'a'; 4 << 20]);
    assert!(bomb.len() < 16 * 1024);
    let mut stream = Vec::new();
    for _ in 0..3 {
        stream.extend_from_slice(&[25, 0, 1]);
        stream.extend_from_slice(&u32::try_from(bomb.len()).unwrap().to_le_bytes());
        stream.extend_from_slice(&bomb);
    }
    let cap = u64::from(Limits::DEFAULT.max_decompressed_len);
    let limit_of = |error: DecodeError| match error.kind() {
        DecodeErrorKind::LimitExceeded { limit, .. } => *limit,
        other => panic!("{other}"),
    };
    let mut decoder = FrameDecoder::<FromServer>::new(ctx);
    let batch = decoder.decode(&mut BytesMut::from(&stream[..])).unwrap().unwrap();
    assert_eq!(limit_of(batch.iter().next().unwrap().unwrap_err()), cap);
    let mut feeder = FrameFeeder::<FromServer>::new(ctx);
    assert_eq!(limit_of(feeder.feed(&stream, |_| Ok::<_, DecodeError>(())).unwrap_err()), cap);
}

/// A ChannelInfoComplete padded with four bytes (as some servers send it), a packet id no
/// build has, a packet of other builds (IrcQuit is pre-b1788), and a ping.
fn padded_unknown_and_absent(ctx: Context) -> Vec<u8> {
    let mut stream = vec![89, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0];
    stream.extend_from_slice(&[200, 0, 0, 1, 0, 0, 0, 9]);
    stream.extend_from_slice(&[10, 0, 0, 1, 0, 0, 0, 0]);
    chio_packets::session::BanchoPing.write(&mut stream, ctx).unwrap();
    stream
}

#[test]
fn lenient_mode_keeps_everything_and_strict_mode_refuses_it() {
    let ctx = Context::new(20250306);
    let stream = padded_unknown_and_absent(ctx);
    let frames = whole::<FromServer>(&stream, ctx);
    let mut lenient = PacketDecoder::<FromServer>::new(ctx);
    let mut again = Vec::new();
    let mut seen = Vec::new();
    for frame in &frames {
        match lenient.decode(frame).unwrap() {
            Decoded::Packet(packet) => {
                let (used, trailing) = (lenient.used(), &frame.payload[lenient.used()..]);
                seen.push(format!("{} {used}+{}", packet.name(), trailing.len()));
                // Written back with the bytes it did not use, the frame is as it came.
                let payload = [packet.encode_payload(ctx).unwrap(), trailing.to_vec()].concat();
                chio_packets::frame::write_frame(
                    packet.wire_id(ctx),
                    &chio_packets::Trailing(payload.into()),
                    &mut again,
                    ctx,
                    chio_packets::frame::Compression::Never,
                )
                .unwrap();
            }
            Decoded::Raw(raw) => {
                seen.push(format!("raw {}", raw.wire_id));
                raw.write(&mut again, ctx).unwrap();
            }
        }
    }
    assert_eq!(seen, ["BanchoChannelInfoComplete 0+4", "raw 200", "raw 10", "BanchoPing 0+0"]);
    assert_eq!(again, stream, "nothing lost");
    assert_eq!(lenient.tolerated().trailing_bytes, 4);
    assert_eq!(lenient.tolerated().raw_frames, 2);

    let mut strict = PacketDecoder::<FromServer>::new(ctx).with_strictness(Strictness::Strict);
    let trailing = strict.decode(&frames[0]).unwrap_err();
    assert!(matches!(trailing.kind(), DecodeErrorKind::TrailingBytes(4)), "{trailing}");
    assert_eq!(trailing.offset(), 7, "offset in the stream");
    let unknown = strict.decode(&frames[1]).unwrap_err();
    assert!(matches!(unknown.kind(), DecodeErrorKind::UnknownPacketId { id: 200, .. }), "{unknown}");
    let absent = strict.decode(&frames[2]).unwrap_err();
    assert!(
        matches!(absent.kind(), DecodeErrorKind::PacketNotInBuild { name: "BanchoIrcQuit", .. }),
        "{absent}"
    );
    assert!(strict.decode(&frames[3]).is_ok());
}

/// A server that pads its login reply with a second `i32`: read the first, ignore the rest.
fn padded_login_reply(payload: &[u8], _: Context) -> Result<ServerPacket<'_>, DecodeError> {
    // The id, then padding the hook ignores.
    let id = i32::decode(&mut chio_packets::Reader::new(payload), Context::new(20250306))?;
    Ok(ServerPacket::BanchoLoginReply(chio_packets::login::BanchoLoginReply(id.wrapping_neg())))
}

/// The writing side of the padded server above.
fn write_padded_login_reply(
    packet: &ServerPacket<'_>,
    ctx: Context,
    out: &mut Vec<u8>,
) -> Result<(), chio_packets::EncodeError> {
    if let ServerPacket::BanchoLoginReply(reply) = packet {
        out.extend_from_slice(&reply.0.wrapping_neg().to_le_bytes());
        out.extend_from_slice(&0i32.to_le_bytes());
        Ok(())
    } else {
        chio_packets::Encode::encode(packet, out, ctx)
    }
}

#[test]
fn patches_belong_to_one_connection_and_one_window_of_builds() {
    let ctx = Context::new(20250306);
    let window = chio_packets::build::BuildRange::new(20200101, u32::MAX);
    let mut encoder = PacketEncoder::<FromServer>::new(ctx);
    encoder.patch(5, window, write_padded_login_reply);
    let mut stream = Vec::new();
    encoder.write(&ServerPacket::from(chio_packets::login::BanchoLoginReply(1000)), &mut stream).unwrap();
    encoder.write(&ServerPacket::from(chio_packets::session::BanchoPing), &mut stream).unwrap();
    assert_eq!(&stream[..15], &[5, 0, 0, 8, 0, 0, 0, 0x18, 0xfc, 0xff, 0xff, 0, 0, 0, 0]);

    let reply = |decoded: Decoded<'_, FromServer>| match decoded.into_packet() {
        Some(ServerPacket::BanchoLoginReply(reply)) => reply.0,
        other => panic!("{other:?}"),
    };
    let frames = whole::<FromServer>(&stream, ctx);
    let mut patched = PacketDecoder::<FromServer>::new(ctx).with_strictness(Strictness::Strict);
    patched.patch(5, window, padded_login_reply);
    assert_eq!(reply(patched.decode(&frames[0]).unwrap()), 1000);
    assert!(patched.decode(&frames[1]).unwrap().packet().is_some());
    // Another decoder, or this one for an older build, is unaffected.
    let mut plain = PacketDecoder::<FromServer>::new(ctx);
    assert_eq!(reply(plain.decode(&frames[0]).unwrap()), -1000);
    let old = Context::new(20190101);
    let mut older = patched.clone();
    older.set_context(old);
    let mut stream = Vec::new();
    chio_packets::login::BanchoLoginReply(1000).write(&mut stream, old).unwrap();
    assert_eq!(reply(older.decode(&whole::<FromServer>(&stream, old)[0]).unwrap()), 1000);
    // Added outside its window, a patch takes effect when the decoder moves into it.
    let mut later = PacketDecoder::<FromServer>::new(old).with_strictness(Strictness::Strict);
    later.patch(5, window, padded_login_reply);
    later.set_context(ctx);
    assert_eq!(reply(later.decode(&frames[0]).unwrap()), 1000);
}

/// A decoder looks up the payload decoder of each packet id once for its build: moved from build
/// to build (`set_context`, forth and back through every era), it reads each build's
/// layouts as a fresh decoder of that build does, and as the set's own `decode` does.
#[test]
fn a_decoder_moved_to_another_build_reads_that_builds_layouts() {
    let mut moved =
        PacketDecoder::<FromServer>::new(Context::new(20250306)).with_strictness(Strictness::Strict);
    for &build in BUILDS.iter().chain(BUILDS.iter().rev()) {
        let ctx = Context::new(build);
        moved.set_context(ctx);
        let mut fresh = PacketDecoder::<FromServer>::new(ctx).with_strictness(Strictness::Strict);
        let stream = burst(build);
        for frame in whole::<FromServer>(&stream, ctx) {
            let id = frame.id.expect("the burst has only standard packets");
            let expected = FromServer::decode_payload(id, &frame.payload, ctx).unwrap();
            let at = format!("b{build}, packet {id}");
            assert_eq!(moved.decode(&frame).unwrap().into_packet().as_ref(), Some(&expected), "{at}");
            assert_eq!(fresh.decode(&frame).unwrap().into_packet(), Some(expected), "{at}");
        }
    }
}

/// A downstream crate's own packet set goes through the same readers, decoder, encoder
/// and codec as the standard ones; the standard set alone keeps its packet raw.
#[test]
fn a_downstream_packet_set_travels_the_same_stream() {
    let ctx = Context::new(20250306);
    let notice = ServerNotice {
        text: "maintenance".into(),
        priority: 3,
        expires_at: 1_700_000_000,
        user_ids: vec![2, 1001],
    };
    let mut encoder = PacketEncoder::<NoticeServer>::new(ctx);
    let mut stream = Vec::new();
    let ping = NoticeServerPacket::Standard(chio_packets::session::BanchoPing.into());
    for packet in [&ping, &NoticeServerPacket::Notice(notice.clone()), &ping] {
        encoder.write(packet, &mut stream).unwrap();
    }
    assert_eq!(u16::from_le_bytes([stream[7], stream[8]]), ServerNotice::ID);

    let mut custom = PacketDecoder::<NoticeServer>::new(ctx).with_strictness(Strictness::Strict);
    let frames = pieces::<NoticeServer>(&stream, ctx, std::iter::repeat(3));
    let decoded: Vec<_> =
        frames.iter().map(|frame| custom.decode(frame).unwrap().into_packet().unwrap()).collect();
    assert_eq!(decoded, [ping.clone(), NoticeServerPacket::Notice(notice), ping]);
    // The standard decoder alone keeps it raw in lenient mode.
    let mut standard = PacketDecoder::<FromServer>::new(ctx);
    assert!(matches!(standard.decode(&frames[1]).unwrap(), Decoded::Raw(frame) if frame.wire_id == 1000));
    // Before b1788, ids above 10 go up by one: the custom id as well.
    assert_eq!(chio_packets::ids::wire_id(ServerNotice::ID, 1787), 1001);
}

#[test]
fn blocking_reader_and_writer_in_small_reads() {
    struct Trickle<'a>(&'a [u8]);
    impl std::io::Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let n = buf.len().min(5).min(self.0.len());
            buf[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }
    use chio_packets::wire::io::{FrameReader, PacketWriter};
    let ctx = Context::new(1000);
    let stream = burst(1000);
    let mut reader = FrameReader::new(Trickle(&stream), FrameDecoder::<FromServer>::new(ctx));
    let mut frames = Vec::new();
    let mut packets = PacketDecoder::<FromServer>::new(ctx);
    let mut writer = PacketWriter::new(Vec::new(), PacketEncoder::<FromServer>::new(ctx));
    while let Some(batch) = reader.read_batch().unwrap() {
        for frame in &batch {
            let frame = frame.unwrap();
            writer.write(packets.decode(&frame).unwrap().packet().unwrap()).unwrap();
            frames.push(frame.into_owned());
        }
    }
    assert_eq!(frames, whole::<FromServer>(&stream, ctx));
    assert_eq!(writer.into_inner(), stream);
}

#[test]
fn the_tokio_codec_follows_the_decoder_contract() {
    use tokio_util::codec::{Decoder, Encoder};
    let ctx = Context::new(20250306);
    let mut server = ServerCodec::new(ctx);
    let mut client = ClientCodec::new(ctx);
    let mut wire = BytesMut::new();
    let ping = ServerPacket::from(chio_packets::session::BanchoPing);
    server.encode(&ping, &mut wire).unwrap();
    let mut partial = wire.split_to(3);
    assert!(client.decode(&mut partial).unwrap().is_none());
    partial.unsplit(wire);
    let batch = client.decode(&mut partial).unwrap().unwrap();
    assert_eq!(batch.iter().next().unwrap().unwrap().wire_id, 8);
    assert!(client.decode_eof(&mut partial).unwrap().is_none());
    // A packet the build does not have leaves nothing in the buffer.
    let irc = ServerPacket::BanchoIrcQuit(chio_packets::chat::BanchoIrcQuit("x".into()));
    let mut out = BytesMut::new();
    assert!(server.encode(&irc, &mut out).is_err());
    assert!(out.is_empty());
}

/// A bot logs in to a tiny server over loopback TCP: it sends client packets through the
/// tokio codec (`ClientCodec`), the server reads them with a `ServerCodec` and answers
/// with server packets, for a 2012 and a modern build.
#[tokio::test]
async fn a_bot_and_a_server_talk_through_the_tokio_codec() {
    use chio_packets::chat::{ClientMessage, OsuMessage};
    use chio_packets::session::OsuPong;
    use futures_util::{SinkExt, StreamExt};
    use tokio_util::codec::Framed;

    for build in [20121203, 20250306] {
        let ctx = Context::new(build);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let server = tokio::spawn(async move {
            let (socket, _) = listener.accept().await.unwrap();
            let mut framed = Framed::new(socket, ServerCodec::new(ctx));
            let mut packets = PacketDecoder::<FromClient>::new(ctx).with_strictness(Strictness::Strict);
            let mut heard = Vec::new();
            while let Some(batch) = framed.next().await {
                let batch = batch.unwrap();
                let mut replies = Vec::new();
                for frame in &batch {
                    let frame = frame.unwrap();
                    match packets.decode(&frame).unwrap().into_packet().unwrap() {
                        ClientPacket::OsuMessage(OsuMessage(message)) => {
                            heard.push(message.content.into_owned());
                            replies.push(ServerPacket::from(chio_packets::login::BanchoLoginReply(7)));
                        }
                        ClientPacket::OsuPong(_) => replies.push(chio_packets::session::BanchoPing.into()),
                        other => panic!("{other:?}"),
                    }
                }
                for reply in &replies {
                    framed.send(reply).await.unwrap();
                }
                if heard.len() == 2 {
                    break;
                }
            }
            heard
        });

        let socket = tokio::net::TcpStream::connect(address).await.unwrap();
        let mut bot = Framed::new(socket, ClientCodec::new(ctx));
        let message = |text: &'static str| {
            ClientPacket::from(OsuMessage(ClientMessage {
                sender: "".into(),
                content: text.into(),
                target: "#osu".into(),
                sender_id: 0,
            }))
        };
        bot.send(&message("hello")).await.unwrap();
        bot.send(&ClientPacket::from(OsuPong)).await.unwrap();
        bot.send(&message("bye")).await.unwrap();
        let mut answers = PacketDecoder::<FromServer>::new(ctx);
        let mut names = Vec::new();
        while names.len() < 3 {
            let batch: chio_packets::wire::FrameBatch<FromServer> = bot.next().await.unwrap().unwrap();
            for frame in &batch {
                names.push(answers.decode(&frame.unwrap()).unwrap().into_packet().unwrap().name());
            }
        }
        assert_eq!(names, ["BanchoLoginReply", "BanchoPing", "BanchoLoginReply"], "b{build}");
        assert_eq!(server.await.unwrap(), ["hello", "bye"], "b{build}");
    }
}
