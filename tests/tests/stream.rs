//! The stream decoder: any chunking of a stream gives the same frames, limits hold before
//! allocation, lenient and strict modes, per-connection patches, downstream packets.

use bytes::BytesMut;
use chio_packets::catalog::ServerPacket;
use chio_packets::events::{ChatMessage, ServerEvent, UserInfo};
use chio_packets::framing::write_packet;
use chio_packets::multiplayer::{Match, MatchSlot, SlotStatus};
use chio_packets::stream::{FrameDecoder, PacketDecoder, RawFrame, Strictness, body_frames};
use chio_packets::{Context, Decode, DecodeError, DecodeErrorKind, Limits, Packet};
use chio_tests::custom::ServerNotice;

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
        event.write(ctx, &mut body).unwrap();
    }
    body
}

/// Feeds `stream` to a fresh decoder in the given chunk sizes; returns the frames.
fn feed(stream: &[u8], ctx: Context, chunks: impl IntoIterator<Item = usize>) -> Vec<RawFrame> {
    let mut decoder = FrameDecoder::new(ctx);
    let mut buffer = BytesMut::new();
    let mut frames = Vec::new();
    let mut rest = stream;
    for size in chunks {
        let (chunk, tail) = rest.split_at(size.min(rest.len()));
        buffer.extend_from_slice(chunk);
        rest = tail;
        while let Some(frame) = decoder.decode(&mut buffer).unwrap() {
            frames.push(frame);
        }
        if rest.is_empty() {
            break;
        }
    }
    assert!(rest.is_empty());
    assert_eq!(decoder.decode_eof(&mut buffer).unwrap(), None);
    assert_eq!(decoder.position(), stream.len() as u64);
    frames
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
        let whole = body_frames(&stream, ctx, Limits::DEFAULT).unwrap();
        assert!(whole.len() >= 7, "b{build}: {} frames", whole.len());
        if (334..1800).contains(&build) {
            assert!(whole.iter().any(|frame| frame.compressed), "b{build}: nothing compressed");
        }
        for split in 0..=stream.len() {
            assert_eq!(feed(&stream, ctx, [split, stream.len()]), whole, "b{build} split at {split}");
        }
        assert_eq!(feed(&stream, ctx, std::iter::repeat(1)), whole, "b{build} byte by byte");
        for _ in 0..50 {
            let chunks: Vec<usize> = (0..stream.len()).map(|_| 1 + (next() % 1460) as usize).collect();
            assert_eq!(feed(&stream, ctx, chunks), whole, "b{build} random chunks");
        }
        // Every frame decodes to a packet of the build.
        let mut packets = PacketDecoder::new(ctx).with_strictness(Strictness::Strict);
        for frame in &whole {
            assert!(packets.decode_server(frame).unwrap().is_some(), "b{build}: {frame:?}");
        }
    }
}

#[test]
fn an_oversize_length_fails_as_soon_as_the_header_is_in() {
    let ctx = Context::new(20250306);
    let mut decoder = FrameDecoder::with_limits(ctx, Limits { max_frame_len: 1024, ..Limits::DEFAULT });
    let mut buffer = BytesMut::from(&[7u8, 0, 0][..]);
    assert_eq!(decoder.decode(&mut buffer).unwrap(), None);
    buffer.extend_from_slice(&2048u32.to_le_bytes());
    let error = decoder.decode(&mut buffer).unwrap_err();
    assert!(
        matches!(error.kind(), DecodeErrorKind::LimitExceeded { value: 2048, limit: 1024, .. }),
        "{error}"
    );
    // Nothing was reserved for the refused payload.
    assert!(buffer.capacity() < 1024);
}

#[test]
fn client_streams_have_the_reference_caps_per_packet() {
    let ctx = Context::new(20250306);
    let header = |id: u16, len: u32| {
        let mut bytes = id.to_le_bytes().to_vec();
        bytes.push(0);
        bytes.extend_from_slice(&len.to_le_bytes());
        BytesMut::from(&bytes[..])
    };
    let mut client = FrameDecoder::for_client_stream(ctx, Limits::DEFAULT);
    // A 20 KiB message is refused; a 20 KiB beatmap info request (id 68) is awaited.
    assert!(client.decode(&mut header(1, 20 << 10)).is_err());
    let mut client = FrameDecoder::for_client_stream(ctx, Limits::DEFAULT);
    assert_eq!(client.decode(&mut header(68, 20 << 10)).unwrap(), None);
    assert!(
        FrameDecoder::for_client_stream(ctx, Limits::DEFAULT).decode(&mut header(68, 300 << 10)).is_err()
    );
    // A server stream allows 256 KiB for any packet.
    assert_eq!(FrameDecoder::new(ctx).decode(&mut header(1, 20 << 10)).unwrap(), None);
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
    let mut decoder = FrameDecoder::new(ctx);
    let mut buffer = BytesMut::from(&stream[..]);
    let error = decoder.decode(&mut buffer).unwrap_err();
    assert!(
        matches!(error.kind(), DecodeErrorKind::LimitExceeded { limit, .. } if *limit == u64::from(Limits::DEFAULT.max_decompressed_len)),
        "{error}"
    );
}

#[test]
fn a_stream_ending_inside_a_frame_is_an_error_at_eof() {
    let ctx = Context::new(20250306);
    let stream = burst(20250306);
    let mut decoder = FrameDecoder::new(ctx);
    let mut buffer = BytesMut::from(&stream[..stream.len() - 2]);
    while decoder.decode(&mut buffer).unwrap().is_some() {}
    let error = decoder.decode_eof(&mut buffer).unwrap_err();
    assert!(matches!(error.kind(), DecodeErrorKind::UnexpectedEnd { .. }), "{error}");
}

/// A ChannelInfoComplete padded with four bytes, as some servers send it, and a packet
/// id no build has.
fn padded_and_unknown(ctx: Context) -> Vec<RawFrame> {
    let mut stream = vec![89, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0];
    stream.extend_from_slice(&[200, 0, 0, 1, 0, 0, 0, 9]);
    write_packet(&chio_packets::session::BanchoPing, ctx, &mut stream).unwrap();
    body_frames(&stream, ctx, Limits::DEFAULT).unwrap()
}

#[test]
fn lenient_mode_counts_trailing_bytes_and_skips_unknown_packets() {
    let ctx = Context::new(20250306);
    let frames = padded_and_unknown(ctx);
    let mut lenient = PacketDecoder::new(ctx);
    let decoded: Vec<_> = frames.iter().map(|frame| lenient.decode_server(frame).unwrap()).collect();
    assert_eq!(decoded[0].as_ref().map(ServerPacket::name), Some("BanchoChannelInfoComplete"));
    assert_eq!(decoded[1], None);
    assert_eq!(decoded[2].as_ref().map(ServerPacket::name), Some("BanchoPing"));
    assert_eq!(lenient.tolerated().trailing_bytes, 4);
    assert_eq!(lenient.tolerated().skipped_packets, 1);

    let mut strict = PacketDecoder::new(ctx).with_strictness(Strictness::Strict);
    let trailing = strict.decode_server(&frames[0]).unwrap_err();
    assert!(matches!(trailing.kind(), DecodeErrorKind::TrailingBytes(4)), "{trailing}");
    assert_eq!(trailing.offset(), 7, "offset in the stream");
    let unknown = strict.decode_server(&frames[1]).unwrap_err();
    assert!(matches!(unknown.kind(), DecodeErrorKind::UnknownPacketId { id: 200, .. }), "{unknown}");
    // A packet that exists, but not in this build, is skipped too (IrcQuit is pre-b1788).
    let mut stream = Vec::new();
    stream.extend_from_slice(&[10, 0, 0, 1, 0, 0, 0, 0]);
    let frames = body_frames(&stream, ctx, Limits::DEFAULT).unwrap();
    assert_eq!(lenient.decode_server(&frames[0]).unwrap(), None);
    assert!(strict.decode_server(&frames[0]).is_err());
}

/// A server that pads its login reply with a second `i32`: read the first, ignore the rest.
fn padded_login_reply(payload: &[u8], _: Context) -> Result<ServerPacket<'_>, DecodeError> {
    // The id, then padding the hook ignores.
    let id = i32::decode(&mut chio_packets::Reader::new(payload), Context::new(20250306))?;
    Ok(ServerPacket::BanchoLoginReply(chio_packets::login::BanchoLoginReply(id.wrapping_neg())))
}

#[test]
fn patches_belong_to_one_decoder_and_one_window_of_builds() {
    let ctx = Context::new(20250306);
    let mut stream = Vec::new();
    write_packet(&chio_packets::login::BanchoLoginReply(1000), ctx, &mut stream).unwrap();
    let frames = body_frames(&stream, ctx, Limits::DEFAULT).unwrap();

    let mut patched = PacketDecoder::new(ctx);
    patched.patch_decoder(5, chio_packets::build::BuildRange::new(20200101, u32::MAX), padded_login_reply);
    let reply = |packet: Option<ServerPacket<'_>>| match packet {
        Some(ServerPacket::BanchoLoginReply(reply)) => reply.0,
        other => panic!("{other:?}"),
    };
    assert_eq!(reply(patched.decode_server(&frames[0]).unwrap()), -1000);
    // Another decoder, or this one for an older build, is unaffected.
    let mut plain = PacketDecoder::new(ctx);
    assert_eq!(reply(plain.decode_server(&frames[0]).unwrap()), 1000);
    let mut older = patched.clone().with_context(Context::new(20190101));
    let old_frames = {
        let mut stream = Vec::new();
        write_packet(&chio_packets::login::BanchoLoginReply(1000), Context::new(20190101), &mut stream)
            .unwrap();
        body_frames(&stream, Context::new(20190101), Limits::DEFAULT).unwrap()
    };
    assert_eq!(reply(older.decode_server(&old_frames[0]).unwrap()), 1000);
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
fn encode_patches_pair_with_decode_patches() {
    let ctx = Context::new(20250306);
    let window = chio_packets::build::BuildRange::new(20200101, u32::MAX);
    let mut encoder = chio_packets::stream::PacketEncoder::new(ctx);
    encoder.patch_encoder(5, window, write_padded_login_reply);
    let mut stream = Vec::new();
    encoder
        .write(&ServerPacket::BanchoLoginReply(chio_packets::login::BanchoLoginReply(1000)), &mut stream)
        .unwrap();
    encoder.write(&ServerPacket::BanchoPing(chio_packets::session::BanchoPing), &mut stream).unwrap();
    assert_eq!(&stream[..15], &[5, 0, 0, 8, 0, 0, 0, 0x18, 0xfc, 0xff, 0xff, 0, 0, 0, 0]);
    let frames = body_frames(&stream, ctx, Limits::DEFAULT).unwrap();
    let mut decoder = PacketDecoder::new(ctx).with_strictness(Strictness::Strict);
    decoder.patch_decoder(5, window, padded_login_reply);
    match decoder.decode_server(&frames[0]).unwrap() {
        Some(ServerPacket::BanchoLoginReply(reply)) => assert_eq!(reply.0, 1000),
        other => panic!("{other:?}"),
    }
    assert!(decoder.decode_server(&frames[1]).unwrap().is_some());
}

#[test]
fn a_downstream_packet_travels_the_same_stream() {
    let ctx = Context::new(20250306);
    let notice = ServerNotice {
        text: "maintenance".into(),
        priority: 3,
        expires_at: 1_700_000_000,
        user_ids: vec![2, 1001],
    };
    let mut stream = Vec::new();
    write_packet(&chio_packets::session::BanchoPing, ctx, &mut stream).unwrap();
    write_packet(&notice, ctx, &mut stream).unwrap();
    write_packet(&chio_packets::session::BanchoPing, ctx, &mut stream).unwrap();

    let mut lenient = PacketDecoder::new(ctx);
    let mut custom = Vec::new();
    let frames = feed(&stream, ctx, std::iter::repeat(3));
    for frame in &frames {
        if frame.wire_id == ServerNotice::ID {
            custom.push(ServerNotice::decode_payload(&frame.payload, ctx).unwrap().text.into_owned());
        } else {
            assert!(lenient.decode_server(frame).unwrap().is_some());
        }
    }
    assert_eq!(custom, ["maintenance"]);
    // The standard decoder alone skips it in lenient mode.
    assert_eq!(lenient.decode_server(&frames[1]).unwrap(), None);
}

#[test]
fn the_tokio_codec_follows_the_decoder_contract() {
    use tokio_util::codec::{Decoder, Encoder};
    let ctx = Context::new(20250306);
    let mut codec = chio_packets::stream::codec::BanchoCodec::new(FrameDecoder::new(ctx));
    let mut wire = BytesMut::new();
    let ping = ServerPacket::BanchoPing(chio_packets::session::BanchoPing);
    codec.encode(&ping, &mut wire).unwrap();
    let mut partial = wire.split_to(3);
    assert_eq!(codec.decode(&mut partial).unwrap(), None);
    partial.unsplit(wire);
    let frame = codec.decode(&mut partial).unwrap().unwrap();
    assert_eq!(frame.wire_id, 8);
    assert_eq!(codec.decode_eof(&mut partial).unwrap(), None);
    // A packet the build does not have leaves nothing in the buffer.
    let irc = ServerPacket::BanchoIrcQuit(chio_packets::chat::BanchoIrcQuit("x".into()));
    let mut out = BytesMut::new();
    assert!(codec.encode(&irc, &mut out).is_err());
    assert!(out.is_empty());
}

#[test]
fn blocking_reader_reads_frames_in_small_reads() {
    struct Trickle<'a>(&'a [u8]);
    impl std::io::Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let n = buf.len().min(5).min(self.0.len());
            buf[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }
    let ctx = Context::new(1000);
    let stream = burst(1000);
    let mut reader = chio_packets::stream::io::FrameReader::new(Trickle(&stream), FrameDecoder::new(ctx));
    let mut frames = Vec::new();
    while let Some(frame) = reader.read_frame().unwrap() {
        frames.push(frame);
    }
    assert_eq!(frames, body_frames(&stream, ctx, Limits::DEFAULT).unwrap());
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
        let whole = body_frames(&stream, ctx, Limits::DEFAULT).unwrap();
        assert!(whole.len() >= 30, "b{build}: {} frames", whole.len());
        // Every split point, and random chunkings.
        for split in 0..=stream.len() {
            assert_eq!(feed(&stream, ctx, [split, stream.len()]), whole, "b{build} split at {split}");
        }
        let mut state = u64::from(build) | 1;
        for _ in 0..20 {
            let chunks: Vec<usize> = (0..stream.len())
                .map(|_| {
                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    1 + (state % 1460) as usize
                })
                .collect();
            assert_eq!(feed(&stream, ctx, chunks), whole, "b{build} random chunks");
        }
        revisions += 1;
    }
    assert_eq!(revisions, 75);
}
