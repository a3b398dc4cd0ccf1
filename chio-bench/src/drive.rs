//! The work each benchmark times, written once for the benches, the tests and the report:
//! encoding a list of packets into one buffer, and decoding a buffer of frames, whole or
//! fed to the streaming decoder in chunks.
//!
//! Decoding lends each packet to a callback (the benches pass it to `black_box`) instead
//! of collecting them, so what is timed is the decoder, not a vector of results or moves
//! of the packets.

use bytes::BytesMut;
use chio_packets::catalog::{ClientPacket, ServerPacket};
use chio_packets::framing::{CompressionChoice, Frames};
use chio_packets::stream::{FrameDecoder, PacketDecoder};
use chio_packets::{Context, DecodeError, EncodeError, Limits};

/// Appends every packet, framed for `ctx`'s build (compressed as that build's server
/// would), to `buf`.
pub fn encode_server(
    packets: &[ServerPacket<'_>],
    ctx: Context,
    buf: &mut Vec<u8>,
) -> Result<(), EncodeError> {
    for packet in packets {
        packet.write(buf, ctx, CompressionChoice::BuildDefault)?;
    }
    Ok(())
}

/// Appends every client packet, framed for `ctx`'s build, to `buf`. Clients never
/// compress, so neither does this.
pub fn encode_client(
    packets: &[ClientPacket<'_>],
    ctx: Context,
    buf: &mut Vec<u8>,
) -> Result<(), EncodeError> {
    let compression = if ctx.build() < chio_packets::frame::FLAGGED_HEADER_BUILD {
        CompressionChoice::Compress
    } else {
        CompressionChoice::Raw
    };
    for packet in packets {
        packet.write(buf, ctx, compression)?;
    }
    Ok(())
}

/// The whole workload in one fresh buffer.
pub fn server_bytes(packets: &[ServerPacket<'_>], ctx: Context) -> Vec<u8> {
    let mut buf = Vec::new();
    // The workloads are valid for their builds by construction.
    encode_server(packets, ctx, &mut buf).unwrap_or_else(|error| panic!("encoding the workload: {error}"));
    buf
}

/// The whole client workload in one fresh buffer.
pub fn client_bytes(packets: &[ClientPacket<'_>], ctx: Context) -> Vec<u8> {
    let mut buf = Vec::new();
    encode_client(packets, ctx, &mut buf).unwrap_or_else(|error| panic!("encoding the workload: {error}"));
    buf
}

/// Decodes every server packet of a buffer of whole frames, borrowing from it; returns
/// the number of packets.
pub fn decode_server(
    bytes: &[u8],
    ctx: Context,
    mut each: impl FnMut(&ServerPacket<'_>),
) -> Result<usize, DecodeError> {
    let mut count = 0;
    for frame in Frames::new(bytes, ctx, Limits::DEFAULT) {
        let frame = frame?;
        // Lent in place: `?` would move the packet out of the result first.
        match ServerPacket::decode_frame(&frame, ctx, Limits::DEFAULT) {
            Ok(ref packet) => each(packet),
            Err(error) => return Err(error),
        }
        count += 1;
    }
    Ok(count)
}

/// Decodes every client packet of a buffer of whole frames (with the client stream caps);
/// returns the number of packets.
pub fn decode_client(
    bytes: &[u8],
    ctx: Context,
    mut each: impl FnMut(&ClientPacket<'_>),
) -> Result<usize, DecodeError> {
    let mut count = 0;
    for frame in Frames::for_client_stream(bytes, ctx, Limits::DEFAULT) {
        let frame = frame?;
        // Lent in place: `?` would move the packet out of the result first.
        match ClientPacket::decode_frame(&frame, ctx, Limits::DEFAULT) {
            Ok(ref packet) => each(packet),
            Err(error) => return Err(error),
        }
        count += 1;
    }
    Ok(count)
}

/// Feeds `bytes` to the streaming decoder in `chunk`-byte pieces, as a TCP connection
/// delivers them ([`FrameDecoder::feed`]: frames whole in a piece are decoded in place,
/// frames across pieces from the decoder's buffer), and decodes every server packet as
/// [`decode_server`] does; returns the number of packets.
pub fn stream_server(
    bytes: &[u8],
    ctx: Context,
    chunk: usize,
    mut each: impl FnMut(&ServerPacket<'_>),
) -> Result<usize, DecodeError> {
    let mut frames = FrameDecoder::new(ctx);
    let mut count = 0;
    for piece in bytes.chunks(chunk.max(1)) {
        frames.feed(piece, |frame| {
            // As in `decode_server`: the same packet decoding, lent in place.
            match ServerPacket::decode_frame(&frame, ctx, Limits::DEFAULT) {
                Ok(ref packet) => each(packet),
                Err(error) => return Err(error),
            }
            count += 1;
            Ok(())
        })?;
    }
    frames.finish()?;
    Ok(count)
}

/// [`stream_server`] for client packets, with the client stream caps.
pub fn stream_client(
    bytes: &[u8],
    ctx: Context,
    chunk: usize,
    mut each: impl FnMut(&ClientPacket<'_>),
) -> Result<usize, DecodeError> {
    let mut frames = FrameDecoder::for_client_stream(ctx, Limits::DEFAULT);
    let mut count = 0;
    for piece in bytes.chunks(chunk.max(1)) {
        frames.feed(piece, |frame| {
            // As in `decode_client`: the same packet decoding, lent in place.
            match ClientPacket::decode_frame(&frame, ctx, Limits::DEFAULT) {
                Ok(ref packet) => each(packet),
                Err(error) => return Err(error),
            }
            count += 1;
            Ok(())
        })?;
    }
    frames.finish()?;
    Ok(count)
}

/// The `tokio_util` codec path: each `chunk`-byte piece appended to a [`BytesMut`], frames
/// split off it with [`FrameDecoder::decode`] (owned [`RawFrame`](chio_packets::stream::RawFrame)s),
/// and every server packet decoded by a [`PacketDecoder`] (strictness, patches); returns
/// the number of packets.
pub fn stream_server_bytes_mut(
    bytes: &[u8],
    ctx: Context,
    chunk: usize,
    mut each: impl FnMut(&ServerPacket<'_>),
) -> Result<usize, DecodeError> {
    let mut frames = FrameDecoder::new(ctx);
    let mut packets = PacketDecoder::new(ctx);
    let mut buffer = BytesMut::with_capacity(chunk.max(1) * 4);
    let mut count = 0;
    for piece in bytes.chunks(chunk.max(1)) {
        buffer.extend_from_slice(piece);
        while let Some(frame) = frames.decode(&mut buffer)? {
            match packets.decode_server(&frame) {
                Ok(Some(ref packet)) => {
                    each(packet);
                    count += 1;
                }
                Ok(None) => {}
                Err(error) => return Err(error),
            }
        }
    }
    frames.decode_eof(&mut buffer)?;
    Ok(count)
}
