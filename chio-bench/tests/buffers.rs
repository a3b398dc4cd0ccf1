//! Every kind of buffer gets the same bytes. The frame writer writes a frame straight into
//! a buffer that has room for all of it in one piece, and through its own buffer into one
//! that has not; both paths, and every `BufMut` a caller may hand it, must agree byte for
//! byte, frame by frame, in every era (compressed or not).

use bytes::BytesMut;
use chio_bench::workloads::{self, MODERN_BUILD, ctx};
use chio_packets::frame::FrameWriter;
use chio_packets::wire::PacketEncoder;
use chio_packets::{BufMut, Context, FromClient, FromServer, PacketSet};

/// Writes each packet into one reused `Vec` with room to spare (the reserved path), then
/// again into every other kind of buffer, and checks that each gets the same frame.
fn same_bytes_in_every_buffer<S: PacketSet>(packets: &[S::Packet<'_>], ctx: Context) {
    let mut encoder = PacketEncoder::<S>::new(ctx);
    let mut reused = Vec::with_capacity(1 << 16);
    let mut bytes_mut = BytesMut::with_capacity(1 << 16);
    let mut frames = Vec::with_capacity(packets.len());
    for packet in packets {
        reused.clear();
        encoder.write(packet, &mut reused).unwrap();
        frames.push(reused.clone());
        let frame = &reused[..];
        let name = S::name(packet);

        // A fresh `Vec`: no room at all (the writer's own buffer, or the 64 bytes a
        // `Vec` grows by when asked for room).
        let mut fresh = Vec::new();
        encoder.write(packet, &mut fresh).unwrap();
        assert_eq!(fresh, frame, "{name}: fresh Vec");

        // Room for all but the last byte of the frame, after bytes already there.
        let mut short = Vec::with_capacity(3 + frame.len() - 1);
        short.extend_from_slice(b"abc");
        encoder.write(packet, &mut short).unwrap();
        assert_eq!(&short[..3], b"abc", "{name}: bytes before the frame");
        assert_eq!(&short[3..], frame, "{name}: Vec one byte short");

        // A slice of exactly the frame's size.
        let mut exact = vec![0u8; frame.len()];
        let mut out = &mut exact[..];
        encoder.write(packet, &mut out).unwrap();
        assert_eq!(out.len(), 0, "{name}: the slice is filled");
        assert_eq!(exact, frame, "{name}: exact slice");

        // `BytesMut`, reused; and a `Vec` behind a `Limit` that leaves it room.
        bytes_mut.clear();
        encoder.write(packet, &mut bytes_mut).unwrap();
        assert_eq!(&bytes_mut[..], frame, "{name}: BytesMut");
        let mut limited = Vec::new();
        encoder.write(packet, &mut (&mut limited).limit(frame.len())).unwrap();
        assert_eq!(limited, frame, "{name}: Limit");
    }
    // Frame after frame into one growing buffer: their concatenation.
    let mut all = Vec::new();
    for packet in packets {
        encoder.write(packet, &mut all).unwrap();
    }
    assert_eq!(all, frames.concat());
}

#[test]
fn the_login_burst_is_the_same_in_every_buffer_of_every_era() {
    let events = workloads::login_events();
    for build in [282, 1797, 20120818, MODERN_BUILD] {
        let ctx = ctx(build);
        let packets = workloads::login_burst(&events, ctx);
        same_bytes_in_every_buffer::<FromServer>(&packets, ctx);
    }
}

#[test]
fn the_client_upload_is_the_same_in_every_buffer() {
    let ctx = ctx(MODERN_BUILD);
    same_bytes_in_every_buffer::<FromClient>(&workloads::client_upload(), ctx);
}

/// Events write what their packets write, into a reused buffer and a fresh one alike.
#[test]
fn events_write_the_same_in_every_buffer() {
    let events = workloads::login_events();
    for build in [282, 1797, 20120818, MODERN_BUILD] {
        let ctx = ctx(build);
        let (mut writer, mut reused) = (FrameWriter::new(), Vec::with_capacity(1 << 16));
        for event in &events {
            reused.clear();
            event.write_with(&mut reused, ctx, &mut writer).unwrap();
            let mut fresh = Vec::new();
            event.write(&mut fresh, ctx).unwrap();
            assert_eq!(fresh, reused, "b{build}: {event:?}");
            let mut packets = Vec::new();
            PacketEncoder::<FromServer>::new(ctx).write_all(&event.packets(ctx), &mut packets).unwrap();
            assert_eq!(packets, reused, "b{build}: {event:?}");
        }
    }
}
