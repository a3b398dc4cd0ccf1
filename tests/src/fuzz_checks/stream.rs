//! Arbitrary bytes as a stream of one packet set, read in pieces (the `frames` target).

use chio_packets::wire::{Decoded, FrameDecoder, PacketDecoder};
use chio_packets::{BytesMut, Context, PacketSet};

/// One build per framing era: 6-byte header with gzip on everything, 7-byte header with
/// compression above 150 bytes, 7-byte header uncompressed; plus a modern one with
/// 16 slots and a large protocol.
pub const BUILDS: [u32; 4] = [282, 1000, 20121224, 20250306];

/// Reads `stream` as packets of set `S` for `ctx`, in pieces of `chunk` bytes through a
/// `FrameDecoder`: nothing may panic, and every packet that decodes must write back to a
/// frame that decodes to the same packet (compared through `Debug`, which equates NaNs).
pub fn read_stream<S: PacketSet>(stream: &[u8], ctx: Context, chunk: usize) {
    let mut frames = FrameDecoder::<S>::new(ctx);
    let mut packets = PacketDecoder::<S>::new(ctx);
    let mut buffer = BytesMut::new();
    for piece in stream.chunks(chunk.max(1)) {
        buffer.extend_from_slice(piece);
        loop {
            match frames.decode(&mut buffer) {
                Ok(Some(batch)) => {
                    for frame in &batch {
                        let Ok(frame) = frame else { return };
                        if let Ok(Decoded::Packet(packet)) = packets.decode(&frame) {
                            check_round_trip::<S>(&packet, ctx);
                        }
                    }
                }
                Ok(None) => break,
                Err(_) => return,
            }
        }
    }
    let _ = frames.decode_eof(&mut buffer);
}

/// `packet` written for `ctx` reads back as itself.
fn check_round_trip<S: PacketSet>(packet: &S::Packet<'_>, ctx: Context) {
    let mut wire = Vec::new();
    if S::write(packet, &mut wire, ctx).is_err() {
        return;
    }
    let mut again = PacketDecoder::<S>::new(ctx);
    let frame = again.frames(&wire).next().expect("one frame").expect("a frame that reads");
    let decoded = again.decode(&frame).expect("re-written bytes decode");
    assert_eq!(format!("{:?}", decoded.packet().expect("a packet")), format!("{packet:?}"));
}
