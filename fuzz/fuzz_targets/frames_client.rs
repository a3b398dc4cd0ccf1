//! Arbitrary bytes as a client-to-server stream: frames, then typed client packets, in three
//! framing eras and any chunking. Nothing may panic; whatever decodes round-trips.
#![no_main]

mod common;

use chio_packets::catalog::ClientPacket;
use chio_packets::stream::PacketDecoder;
use chio_packets::Limits;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((ctx, frames)) = common::frames(data) else { return };
    let mut packets = PacketDecoder::new(ctx);
    for frame in &frames {
        if let Ok(Some(packet)) = packets.decode_client(frame) {
            let id = packet.id();
            common::check_round_trip(&packet, ctx, |bytes| {
                format!("{:?}", ClientPacket::decode(id, bytes, ctx, Limits::DEFAULT).expect("re-encoded bytes decode"))
            });
        }
    }
});
