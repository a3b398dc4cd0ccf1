//! The catalog: one type per (direction, id, build), and frames through
//! `ServerPacket`/`ClientPacket` (`supports` against the reference's handlers is in
//! `reference_catalog.rs`).

use chio_packets::build::REVISIONS;
use chio_packets::catalog::{self, ServerPacket};
use chio_packets::frame::{Compression, FrameWriter};
use chio_packets::wire::Frames;
use chio_packets::{
    Context, DecodeErrorKind, Direction, FromClient, FromServer, Limits, Packet, PacketDecoder, PacketSet,
};

#[test]
fn every_canonical_id_has_a_type_and_windows_never_overlap() {
    let mut ids: Vec<u16> = catalog::all().map(|info| info.id).collect();
    ids.sort_unstable();
    ids.dedup();
    // Every canonical id (the modern ids without the unused ones, and the legacy ids) has
    // a type, and the catalog has no other.
    let canonical: Vec<u16> = (0..=u16::MAX).filter(|&id| chio_packets::ids::is_canonical(id)).collect();
    assert_eq!(ids, canonical);
    for direction in [Direction::ServerToClient, Direction::ClientToServer] {
        for build in REVISIONS.iter().map(|revision| revision.build) {
            for info in catalog::of_direction(direction) {
                let carriers = catalog::of_direction(direction)
                    .iter()
                    .filter(|other| other.id == info.id && other.exists_in(Context::new(build)))
                    .count();
                assert!(carriers <= 1, "b{build}: {carriers} types carry {}", info.name);
            }
        }
    }
    assert_eq!(catalog::SERVER_PACKETS.len() + catalog::CLIENT_PACKETS.len(), catalog::all().count());
}

#[test]
fn lookup_names_era_types() {
    let type_at = |name: &str, build| catalog::find(name, Context::new(build)).map(|info| info.type_name);
    assert_eq!(type_at("BanchoUserStats", 282), Some("BanchoUserStatsB282"));
    assert_eq!(type_at("BanchoUserStats", 323), Some("BanchoUserStatsB323"));
    assert_eq!(type_at("BanchoUserStats", 1787), Some("BanchoUserStatsB338"));
    assert_eq!(type_at("BanchoUserStats", 20250306), Some("BanchoUserStats"));
    assert_eq!(type_at("BanchoUserQuit", 20121223), Some("BanchoUserQuitB1788"));
    assert_eq!(type_at("OsuPrivateMessage", 300), Some("OsuLegacyPrivateMessage"));
    assert_eq!(type_at("OsuPrivateMessage", 290), None);
    let modern = catalog::packets_in(Direction::ServerToClient, Context::new(20250306));
    assert!(modern.windows(2).all(|pair| pair[0].id <= pair[1].id));
    assert!(modern.iter().all(|info| info.name != "BanchoIrcJoin"));
}

#[test]
fn decoding_unknown_and_absent_ids_names_the_problem() {
    let ctx = Context::new(20250306);
    let absent = FromServer::decode_payload(10, &[0], ctx).unwrap_err();
    assert!(matches!(
        absent.kind(),
        DecodeErrorKind::PacketNotInBuild { name: "BanchoIrcQuit", build: 20250306 }
    ));
    let unknown = FromClient::decode_payload(45, &[], ctx).unwrap_err();
    assert!(matches!(unknown.kind(), DecodeErrorKind::UnknownPacketId { id: 45, .. }));
    // A server packet id is not a client packet.
    assert!(FromClient::decode_payload(5, &[0, 0, 0, 0], ctx).is_err());
}

#[test]
fn frames_round_trip_in_every_header_era() {
    let packets = |text: &'static str| {
        [
            ServerPacket::from(chio_packets::login::BanchoLoginReply(1000)),
            ServerPacket::from(chio_packets::chat::BanchoIrcChangeUsername(text.into())),
            ServerPacket::from(chio_packets::session::BanchoPing),
        ]
    };
    // Short and long (compressed from b334 to b1799) payloads.
    for text in [
        "old>>>>new",
        "a long name, repeated>>>>a long name, repeated, and again and again and again and again and again and again and again and again and again and again and again and again and again",
    ] {
        for build in [282, 333, 334, 1000, 1799, 1800, 20250306] {
            let ctx = Context::new(build);
            let mut body = Vec::new();
            for packet in packets(text) {
                packet.write(&mut body, ctx).unwrap();
            }
            let mut decoder = PacketDecoder::<FromServer>::new(ctx);
            let frames: Vec<_> = decoder.frames(&body).map(Result::unwrap).collect();
            assert_eq!(frames.len(), 3, "b{build}");
            let long = text.len() > 150;
            assert_eq!(frames[1].compressed, build < 334 || (long && build < 1800), "b{build}");
            for (frame, expected) in frames.iter().zip(packets(text)) {
                assert_eq!(frame.wire_id, expected.wire_id(ctx));
                assert_eq!(decoder.decode(frame).unwrap().into_packet(), Some(expected), "b{build}");
            }
        }
    }
}

#[test]
fn framing_checks_limits_and_truncation() {
    let ctx = Context::new(20250306);
    let mut body = Vec::new();
    chio_packets::login::BanchoLoginReply(5).write(&mut body, ctx).unwrap();
    // Truncated payload.
    let error = Frames::<FromServer>::new(&body[..body.len() - 1], ctx).next().unwrap().unwrap_err();
    assert!(matches!(error.kind(), DecodeErrorKind::UnexpectedEnd { needed: 4, left: 3 }), "{error}");
    assert_eq!(error.offset(), 7);
    // Truncated header.
    let error = Frames::<FromServer>::new(&body[..3], ctx).next().unwrap().unwrap_err();
    assert!(matches!(error.kind(), DecodeErrorKind::UnexpectedEnd { needed: 7, left: 3 }), "{error}");
    // A length above the frame limit fails before anything is read or allocated.
    let huge = [5, 0, 0, 0xff, 0xff, 0xff, 0x7f];
    let error = Frames::<FromServer>::new(&huge, ctx).next().unwrap().unwrap_err();
    assert!(matches!(error.kind(), DecodeErrorKind::LimitExceeded { .. }), "{error}");
    // A gzip bomb: 1 MiB of zeros compressed into a small frame, against a 64 KiB cap.
    let bomb = chio_packets::frame::gzip(&vec![0; 1 << 20]);
    let mut frame = vec![24, 0, 1];
    frame.extend_from_slice(&u32::try_from(bomb.len()).unwrap().to_le_bytes());
    frame.extend_from_slice(&bomb);
    let limits = Limits { max_decompressed_len: 1 << 16, ..Limits::DEFAULT };
    let error = Frames::<FromServer>::new(&frame, ctx).with_limits(limits).next().unwrap().unwrap_err();
    assert!(matches!(error.kind(), DecodeErrorKind::LimitExceeded { .. }), "{error}");
    // Builds before b334 cannot send a raw payload.
    let mut out = Vec::new();
    let mut never = FrameWriter::new().with_compression(Compression::Never);
    let raw = chio_packets::login::BanchoLoginReply(5).write_with(&mut out, Context::new(300), &mut never);
    assert!(raw.is_err());
}

/// Whether a decoded value frees nothing when dropped, as the derive works it out per
/// build from the fields on the wire there: strings decode borrowed; a string outside its
/// window takes its type's default (an empty string, nothing on the heap) but a
/// `default = expr` is not trusted; a list always owns its elements.
#[test]
fn what_frees_nothing_follows_the_fields_on_the_wire_in_each_build() {
    use chio_packets::chat::{Channel, Message};
    use chio_packets::spectating::{OsuSpectateFrames, ReplayFrameBundle};
    use chio_packets::{Decode, drops_nothing};
    // `target` is on the wire from b320; before, it is `Cow::Borrowed("#osu")` by a
    // `default = expr`, which the derive cannot see into.
    assert!(<Message as Decode>::decodes_borrowed(20250306));
    assert!(<Message as Decode>::decodes_borrowed(320));
    assert!(!<Message as Decode>::decodes_borrowed(319));
    // `topic`: a protocol window and `Cow`'s own default.
    for build in [20250306, 20120725, 1797, 282] {
        assert!(drops_nothing::<Channel>(build), "b{build}");
    }
    // A list of frames.
    assert!(!drops_nothing::<ReplayFrameBundle>(20250306));
    assert!(!drops_nothing::<OsuSpectateFrames>(20250306));
    // No drop glue at all.
    assert!(drops_nothing::<i32>(0) && !<i32 as Decode>::decodes_borrowed(0));
}
