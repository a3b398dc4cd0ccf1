//! `#[bancho(large)]`: which packets a client may send above the client frame cap.

use chio_packets::Packet;
use chio_packets::beatmaps::OsuBeatmapInfoRequest;
use chio_packets::catalog;
use chio_packets::chat::BanchoMessage;

/// The beatmap info request is the one large packet: the reference takes it up to 256 KiB
/// from a client, where every other client packet is capped at 16 KiB.
#[test]
fn only_the_beatmap_info_request_is_large() {
    const { assert!(<OsuBeatmapInfoRequest<'_> as Packet>::LARGE) };
    const { assert!(!<BanchoMessage<'_> as Packet>::LARGE) };
    let large: Vec<_> = catalog::all().filter(|info| info.large).map(|info| info.type_name).collect();
    assert_eq!(large, ["OsuBeatmapInfoRequest"]);
    assert!(catalog::all().count() > 100, "the catalog lists every packet type");
}
