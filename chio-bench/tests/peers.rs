//! chio-rs and `bancho-packets` 5.3.1 write the same bytes for the packets both model, and
//! each reads the other's: the premise of the side-by-side benchmarks.

#[path = "../peers/bancho_packets.rs"]
mod bancho_peer;

use chio_bench::drive;
use chio_bench::workloads::{self, MODERN_BUILD, ctx};
use chio_packets::Encode;
use chio_packets::catalog::{ClientPacket, ServerPacket};
use chio_packets::{FromClient, FromServer};

/// The login burst: identical bytes, packet for packet and as a whole.
#[test]
fn login_burst_bytes_are_identical() {
    let ctx = ctx(MODERN_BUILD);
    let events = workloads::login_events();
    let packets = workloads::login_burst(&events, ctx);
    assert_eq!(packets.len(), 3 + 2 * workloads::USERS + workloads::CHANNELS + 1 + workloads::MESSAGES);
    let peer = bancho_peer::server_packets(&packets);
    for (ours, theirs) in packets.iter().zip(&peer) {
        let mine = drive::bytes::<FromServer>(std::slice::from_ref(ours), ctx);
        let mut other = Vec::new();
        theirs.write(&mut other);
        assert_eq!(mine, other, "{}", ours.name());
    }
    let mut other = Vec::new();
    bancho_peer::encode_server(&peer, &mut other);
    assert_eq!(drive::bytes::<FromServer>(&packets, ctx), other);
}

/// `bancho-packets` reads chio-rs's login burst back to the values chio-rs encoded.
#[test]
fn bancho_packets_reads_our_login_burst() {
    let ctx = ctx(MODERN_BUILD);
    let events = workloads::login_events();
    let packets = workloads::login_burst(&events, ctx);
    let bytes = drive::bytes::<FromServer>(&packets, ctx);
    let mut read = Vec::new();
    let count = bancho_peer::decode_server(&bytes, |packet| read.push(packet.clone()))
        .expect("bancho-packets reads it");
    assert_eq!(count, packets.len());
    for (packet, read) in packets.iter().zip(&read) {
        assert_eq!(Some(read), bancho_peer::ServerRead::expected(packet).as_ref(), "{}", packet.name());
    }
}

/// chio-rs reads the login burst `bancho-packets` wrote back to the original packets (as
/// far as they are on the wire: a message's `is_dm` is not, in modern builds).
#[test]
fn we_read_the_login_burst_of_bancho_packets() {
    let ctx = ctx(MODERN_BUILD);
    let events = workloads::login_events();
    let packets = workloads::login_burst(&events, ctx);
    let mut theirs = Vec::new();
    bancho_peer::encode_server(&bancho_peer::server_packets(&packets), &mut theirs);
    let mut read: Vec<ServerPacket<'static>> = Vec::new();
    let count = drive::decode::<FromServer>(&theirs, ctx, |packet| read.push(owned_server(packet))).unwrap();
    assert_eq!(count, packets.len());
    for (read, packet) in read.iter().zip(&packets) {
        assert_eq!(read.name(), packet.name());
        assert_eq!(
            read.encode_payload(ctx).unwrap(),
            packet.encode_payload(ctx).unwrap(),
            "{}",
            packet.name()
        );
    }
    assert_eq!(drive::bytes::<FromServer>(&read, ctx), theirs);
}

/// The client upload's peer subset: identical bytes, and each side reads the other's.
#[test]
fn client_subset_bytes_are_identical_and_read_both_ways() {
    let ctx = ctx(MODERN_BUILD);
    let upload = workloads::client_upload();
    let subset = workloads::client_upload_peer_subset(&upload);
    assert!(subset.len() > 5_000 && subset.len() < upload.len(), "{}", subset.len());
    let ours = drive::bytes::<FromClient>(&subset, ctx);
    let mut theirs = Vec::new();
    bancho_peer::encode_client(&bancho_peer::client_packets(&subset), &mut theirs);
    assert_eq!(ours, theirs);

    let mut read = Vec::new();
    let count = bancho_peer::decode_client(&ours, |packet| read.push(packet.clone()))
        .expect("bancho-packets reads it");
    assert_eq!(count, subset.len());
    for (packet, read) in subset.iter().zip(&read) {
        assert_eq!(Some(read), bancho_peer::ClientRead::expected(packet).as_ref(), "{}", packet.name());
    }

    let mut back: Vec<ClientPacket<'static>> = Vec::new();
    drive::decode::<FromClient>(&theirs, ctx, |packet| back.push(owned_client(packet))).unwrap();
    assert_eq!(back, subset);
}

/// The whole upload (with the spectator frames `bancho-packets` does not model) reads back
/// to itself, whole and streamed in TCP-sized pieces.
#[test]
fn client_upload_round_trips_whole_and_streamed() {
    let ctx = ctx(MODERN_BUILD);
    let upload = workloads::client_upload();
    let bytes = drive::bytes::<FromClient>(&upload, ctx);
    let mut whole: Vec<ClientPacket<'static>> = Vec::new();
    drive::decode::<FromClient>(&bytes, ctx, |packet| whole.push(owned_client(packet))).unwrap();
    assert_eq!(whole, upload);
    for chunk in [1, 7, workloads::CHUNK, 1 << 20] {
        let mut streamed: Vec<ClientPacket<'static>> = Vec::new();
        drive::feed::<FromClient>(&bytes, ctx, chunk, |packet| streamed.push(owned_client(packet))).unwrap();
        assert_eq!(streamed, upload, "chunks of {chunk}");
    }
}

/// Every era of the login burst reads back to its packets, whole, streamed through
/// `FrameDecoder::feed` and through the `BytesMut` path.
#[test]
fn login_bursts_round_trip_in_every_era() {
    let events = workloads::login_events();
    for build in [MODERN_BUILD].into_iter().chain(workloads::OLD_BUILDS) {
        let ctx = ctx(build);
        let packets = workloads::login_burst(&events, ctx);
        let bytes = drive::bytes::<FromServer>(&packets, ctx);
        // Decoded values written again give the same bytes (values compare only as far as
        // they are on the wire in a build: a message's `is_dm` is not in most).
        let mut whole: Vec<ServerPacket<'static>> = Vec::new();
        drive::decode::<FromServer>(&bytes, ctx, |packet| whole.push(owned_server(packet))).unwrap();
        assert_eq!(whole.len(), packets.len(), "b{build}");
        assert_eq!(drive::bytes::<FromServer>(&whole, ctx), bytes, "b{build}");
        for chunk in [3, workloads::CHUNK] {
            let mut streamed: Vec<ServerPacket<'static>> = Vec::new();
            drive::feed::<FromServer>(&bytes, ctx, chunk, |packet| streamed.push(owned_server(packet)))
                .unwrap();
            assert_eq!(streamed, whole, "b{build}, chunks of {chunk}");
            let mut buffered: Vec<ServerPacket<'static>> = Vec::new();
            drive::decode_bytes_mut::<FromServer>(&bytes, ctx, chunk, |packet| {
                buffered.push(owned_server(packet))
            })
            .unwrap();
            assert_eq!(buffered, whole, "b{build}, BytesMut chunks of {chunk}");
        }
    }
}

/// A detached copy of a decoded server packet, through its JSON (the packet types have no
/// `into_owned`; strings deserialize owned, floats round-trip exactly).
fn owned_server(packet: &ServerPacket<'_>) -> ServerPacket<'static> {
    serde_json::from_value(serde_json::to_value(packet).unwrap()).unwrap()
}

/// A detached copy of a decoded client packet, through its JSON.
fn owned_client(packet: &ClientPacket<'_>) -> ClientPacket<'static> {
    serde_json::from_value(serde_json::to_value(packet).unwrap()).unwrap()
}

/// The hand-written floor decoder (`chio_bench::floor`) reads the login burst to the values
/// chio-rs encoded, packet for packet, and refuses what chio-rs refuses: the bench that
/// sets the limit does the same work.
#[test]
fn the_floor_decoder_reads_the_login_burst_like_chio() {
    use chio_bench::floor::{self, Packet};
    let ctx = ctx(MODERN_BUILD);
    let events = workloads::login_events();
    let packets = workloads::login_burst(&events, ctx);
    let bytes = drive::bytes::<FromServer>(&packets, ctx);
    let mut read = Vec::new();
    let count = floor::decode(&bytes, |packet| read.push(*packet)).expect("the floor reads it");
    assert_eq!(count, packets.len());
    for (packet, read) in packets.iter().zip(&read) {
        let fixed = |packet: &ServerPacket<'_>| {
            let whole = drive::bytes::<FromServer>(std::slice::from_ref(packet), ctx);
            whole[whole.len() - read_fixed_len(read)..].to_vec()
        };
        match (packet, read) {
            (ServerPacket::BanchoUserPresence(p), Packet::Presence { user, name, fixed: f }) => {
                assert_eq!((p.user_id, p.name.as_ref()), (*user, *name));
                assert_eq!(fixed(packet), f);
            }
            (ServerPacket::BanchoUserStats(s), Packet::Stats { user, status, text, checksum, fixed: f }) => {
                let s = &s.0;
                assert_eq!(s.user_id, *user);
                assert_eq!(s.status.action as u8, *status);
                assert_eq!((s.status.text.as_ref(), s.status.beatmap_checksum.as_ref()), (*text, *checksum));
                assert_eq!(fixed(packet), f);
            }
            (ServerPacket::BanchoMessage(m), Packet::Message { sender, text, target, sender_id }) => {
                let m = &m.0;
                assert_eq!(
                    (m.sender.as_ref(), m.content.as_ref(), m.target.as_ref(), m.sender_id),
                    (*sender, *text, *target, *sender_id)
                );
            }
            (ServerPacket::BanchoChannelAvailable(c), Packet::Channel { name, topic, .. }) => {
                assert_eq!((c.0.name.as_ref(), c.0.topic.as_ref()), (*name, *topic));
            }
            (ServerPacket::BanchoChannelInfoComplete(_), Packet::Empty) => {}
            (packet, Packet::Int { id, .. }) => assert_eq!(packet.id(), *id, "{}", packet.name()),
            (packet, read) => panic!("{} read as {read:?}", packet.name()),
        }
    }
    // What chio-rs refuses, the floor refuses: a cut frame and invalid UTF-8.
    assert_eq!(floor::decode(&bytes[..bytes.len() - 1], |_| {}), Err(floor::Error::Short));
    let message = drive::bytes::<FromServer>(&packets[packets.len() - 1..], ctx);
    let mut broken = message.clone();
    let last = broken.len() - 5;
    broken[last] = 0xff;
    assert!(drive::decode::<FromServer>(&broken, ctx, |_| {}).is_err());
    assert_eq!(floor::decode(&broken, |_| {}), Err(floor::Error::BadString));
}

/// The bytes after the strings of a floor packet.
fn read_fixed_len(packet: &chio_bench::floor::Packet<'_>) -> usize {
    match packet {
        chio_bench::floor::Packet::Presence { fixed, .. } => fixed.len(),
        chio_bench::floor::Packet::Stats { fixed, .. } => fixed.len(),
        _ => 0,
    }
}
