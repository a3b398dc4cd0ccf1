//! Shared by the frame targets: the first byte picks the era and the chunking, the rest
//! is the stream, fed to the incremental decoder in those chunks.

use bytes::BytesMut;
use chio_packets::stream::{FrameDecoder, RawFrame};
use chio_packets::{Context, Encode};

/// One build per framing era: 6-byte header with gzip on everything, 7-byte header with
/// compression above 150 bytes, 7-byte header uncompressed; plus a modern one with
/// 16 slots and a large protocol.
const BUILDS: [u32; 4] = [282, 1000, 20121224, 20250306];

/// Splits `data` into the context and the stream, and decodes the stream's frames.
pub fn frames(data: &[u8]) -> Option<(Context, Vec<RawFrame>)> {
    let (&selector, stream) = data.split_first()?;
    let ctx = Context::new(BUILDS[usize::from(selector & 3)]);
    let chunk = 1 + usize::from(selector >> 2);
    let mut decoder = FrameDecoder::new(ctx);
    let mut buffer = BytesMut::new();
    let mut frames = Vec::new();
    for piece in stream.chunks(chunk) {
        buffer.extend_from_slice(piece);
        loop {
            match decoder.decode(&mut buffer) {
                Ok(Some(frame)) => frames.push(frame),
                Ok(None) => break,
                Err(_) => return Some((ctx, frames)),
            }
        }
    }
    let _ = decoder.decode_eof(&mut buffer);
    Some((ctx, frames))
}

/// Whatever decodes must re-encode to exactly `encoded_len` bytes, and those bytes must
/// decode to the same value (compared through `Debug`, which also equates NaNs).
pub fn check_round_trip<T: Encode + std::fmt::Debug>(value: &T, ctx: Context, decode_again: impl Fn(&[u8]) -> String) {
    let Ok(bytes) = value.encode_payload(ctx) else { return };
    assert_eq!(bytes.len(), value.encoded_len(ctx));
    assert_eq!(decode_again(&bytes), format!("{value:?}"));
}
