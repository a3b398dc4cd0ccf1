//! The work each benchmark times, written once for the benches, the tests and the report,
//! and once for both directions (generic over the packet set): writing a list of packets
//! into one buffer, and reading a buffer of frames, whole or in pieces.
//!
//! Reading lends each packet to a callback (the benches pass it to `black_box`) instead
//! of collecting them, so what is timed is the decoder, not a vector of results or moves
//! of the packets.

use bytes::BytesMut;
use chio_packets::events::ServerEvent;
use chio_packets::frame::FrameWriter;
use chio_packets::wire::{Frame, Lent, PacketDecoder, PacketEncoder};
use chio_packets::{Context, DecodeError, EncodeError, PacketSet};

/// Appends every packet, framed by `encoder` (for its build, compressed as that build's
/// senders do unless set otherwise), to `buf`. The encoder is the connection's: its
/// deflate state carries over from one call to the next.
pub fn encode<S: PacketSet>(
    packets: &[S::Packet<'_>],
    encoder: &mut PacketEncoder<S>,
    buf: &mut Vec<u8>,
) -> Result<(), EncodeError> {
    for packet in packets {
        encoder.write(packet, buf)?;
    }
    Ok(())
}

/// Appends the packets of every event, laid out for `ctx`'s build by the event layer and
/// framed by `writer` (the connection's, kept from call to call), to `buf`: what a server
/// does with the events of its game logic.
pub fn write_events(
    events: &[ServerEvent<'_>],
    ctx: Context,
    writer: &mut FrameWriter,
    buf: &mut Vec<u8>,
) -> Result<(), EncodeError> {
    for event in events {
        event.write_with(buf, ctx, writer)?;
    }
    Ok(())
}

/// The whole workload in one fresh buffer.
pub fn bytes<S: PacketSet>(packets: &[S::Packet<'_>], ctx: Context) -> Vec<u8> {
    let mut buf = Vec::new();
    // The workloads are valid for their builds by construction.
    encode::<S>(packets, &mut PacketEncoder::new(ctx), &mut buf)
        .unwrap_or_else(|error| panic!("encoding the workload: {error}"));
    buf
}

/// Lends the packet of `frame` to `each` where `packets` decoded it
/// ([`PacketDecoder::visit`]); a raw frame is an error here (the workloads hold only
/// packets their build has).
#[inline(always)]
fn lend<S: PacketSet>(
    packets: &mut PacketDecoder<S>,
    frame: &Frame<'_>,
    each: &mut impl FnMut(&S::Packet<'_>),
) -> Result<(), DecodeError> {
    packets.visit(frame, |lent| match lent {
        Lent::Packet(packet) => {
            each(packet);
            Ok(())
        }
        Lent::Raw(frame) => Err(DecodeError::new(
            chio_packets::DecodeErrorKind::Custom("a raw frame".into()),
            frame.offset as usize,
        )),
    })?
}

/// Reads every packet of a buffer of whole frames ([`PacketDecoder::frames`]), borrowing
/// from it; returns the number of packets.
pub fn decode<S: PacketSet>(
    bytes: &[u8],
    ctx: Context,
    mut each: impl FnMut(&S::Packet<'_>),
) -> Result<usize, DecodeError> {
    let mut packets = PacketDecoder::<S>::new(ctx);
    let mut count = 0;
    for frame in packets.frames(bytes) {
        let frame = frame?;
        lend(&mut packets, &frame, &mut each)?;
        count += 1;
    }
    Ok(count)
}

/// Feeds `bytes` to a [`FrameFeeder`](chio_packets::wire::FrameFeeder) in `chunk`-byte
/// pieces, as a TCP connection delivers them (frames whole in a piece are read in place,
/// frames across pieces from the feeder's buffer), and reads every packet as [`decode`]
/// does; returns the number of packets.
pub fn feed<S: PacketSet>(
    bytes: &[u8],
    ctx: Context,
    chunk: usize,
    mut each: impl FnMut(&S::Packet<'_>),
) -> Result<usize, DecodeError> {
    let mut packets = PacketDecoder::<S>::new(ctx);
    let mut feeder = packets.feeder();
    let mut count = 0;
    for piece in bytes.chunks(chunk.max(1)) {
        feeder.feed(piece, |frame| {
            lend(&mut packets, &frame, &mut each)?;
            count += 1;
            Ok::<_, DecodeError>(())
        })?;
    }
    feeder.finish()?;
    Ok(count)
}

/// The `tokio_util` codec path: each `chunk`-byte piece appended to a [`BytesMut`], frame
/// batches split off it with [`FrameDecoder::decode`](chio_packets::wire::FrameDecoder::decode),
/// and every packet read by a [`PacketDecoder`]; returns the number of packets.
pub fn decode_bytes_mut<S: PacketSet>(
    bytes: &[u8],
    ctx: Context,
    chunk: usize,
    mut each: impl FnMut(&S::Packet<'_>),
) -> Result<usize, DecodeError> {
    let mut packets = PacketDecoder::<S>::new(ctx);
    let mut frames = packets.frame_decoder();
    let mut buffer = BytesMut::with_capacity(chunk.max(1) * 4);
    let mut count = 0;
    let mut read = |batch: &chio_packets::wire::FrameBatch<S>, packets: &mut PacketDecoder<S>| {
        for frame in batch {
            lend(packets, &frame?, &mut each)?;
            count += 1;
        }
        Ok::<_, DecodeError>(())
    };
    for piece in bytes.chunks(chunk.max(1)) {
        buffer.extend_from_slice(piece);
        while let Some(batch) = frames.decode(&mut buffer)? {
            read(&batch, &mut packets)?;
        }
    }
    if let Some(batch) = frames.decode_eof(&mut buffer)? {
        read(&batch, &mut packets)?;
    }
    Ok(count)
}
