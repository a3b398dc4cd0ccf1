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
