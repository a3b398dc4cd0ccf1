//! The `api_frames` target: arbitrary bytes through chio-api's frame decoder
//! (`FrameCodec`, in arbitrary pieces and under a small or the default limit) and every
//! frame through `ClientMessage::parse`. Nothing may panic; a frame over the limit is
//! refused from its length prefix, before its bytes are buffered.
//!
//! The first byte picks the limit (bits 0–1) and the piece size (bits 2–7).

use bytes::BytesMut;
use chio_api::frame::{DEFAULT_MAX_FRAME_LEN, FrameCodec, FrameError};
use chio_api::message::ClientMessage;
use tokio_util::codec::Decoder;

/// Checks one input; panics if it breaks what the target asserts.
pub fn check(data: &[u8]) {
    let Some((&selector, stream)) = data.split_first() else { return };
    let max = [16, 300, 4096, DEFAULT_MAX_FRAME_LEN][usize::from(selector & 3)];
    let piece = 1 + usize::from(selector >> 2);
    let mut codec = FrameCodec::new(max);
    let mut buf = BytesMut::new();
    'feed: for chunk in stream.chunks(piece) {
        buf.extend_from_slice(chunk);
        loop {
            let capacity = buf.capacity();
            match codec.decode(&mut buf) {
                Ok(Some(frame)) => {
                    assert!(frame.len() <= max as usize);
                    let _ = ClientMessage::parse(&frame);
                }
                Ok(None) => break,
                Err(FrameError::TooLarge { len, max: limit }) => {
                    assert_eq!(limit, max);
                    assert!(len > u64::from(max));
                    // Refused from the prefix: no room was reserved for the frame's body.
                    assert_eq!(buf.capacity(), capacity, "reserved room for a refused frame");
                    break 'feed;
                }
                Err(_) => break 'feed,
            }
        }
    }
    let _ = codec.decode_eof(&mut buf);
    let _ = ClientMessage::parse(stream);
}
