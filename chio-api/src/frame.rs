//! The frame codec: `[ULEB128 length][payload]`, with the length bounded before anything is
//! reserved for the payload.
//!
//! The length prefix is chio-core's bounded ULEB128 (at most 5 bytes, at most `u32::MAX`),
//! the same one the bancho string uses. The payload is opaque here; the message layer
//! reads it as UTF-8 JSON.

use bytes::{Buf, Bytes, BytesMut};
use chio_core::primitives::uleb128;
use chio_core::{DecodeErrorKind, Reader};

/// The default largest payload accepted or sent: 64 KiB.
pub const DEFAULT_MAX_FRAME_LEN: u32 = 64 * 1024;

/// An error of the frame layer: the transport's, or the bytes'.
#[derive(Debug, thiserror::Error)]
pub enum FrameError {
    /// The transport failed.
    #[error("transport: {0}")]
    Io(#[from] std::io::Error),
    /// The length prefix ran over 5 bytes or above `u32::MAX`.
    #[error("frame length prefix longer than 5 bytes or above u32::MAX")]
    LengthOverflow,
    /// A frame's declared length is over the configured maximum.
    #[error("frame of {len} bytes is over the limit of {max}")]
    TooLarge {
        /// The declared (or, when sending, the actual) payload length.
        len: u64,
        /// The limit in force.
        max: u32,
    },
    /// The stream ended inside a frame.
    #[error("stream ended inside a frame, {buffered} bytes buffered")]
    Truncated {
        /// Bytes of the unfinished frame that had arrived.
        buffered: usize,
    },
}

/// A `tokio_util` codec for frames: decodes payloads as [`Bytes`], encodes byte slices.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FrameCodec {
    max_len: u32,
}

impl FrameCodec {
    /// A codec that accepts and sends payloads of at most `max_len` bytes.
    pub const fn new(max_len: u32) -> Self {
        Self { max_len }
    }

    /// The largest payload accepted or sent.
    pub const fn max_len(&self) -> u32 {
        self.max_len
    }

    /// Writes `payload` as one frame into `dst`.
    pub fn put_frame(&self, payload: &[u8], dst: &mut BytesMut) -> Result<(), FrameError> {
        let len = u32::try_from(payload.len())
            .ok()
            .filter(|&len| len <= self.max_len)
            .ok_or(FrameError::TooLarge { len: payload.len() as u64, max: self.max_len })?;
        dst.reserve(uleb128::size(len) + payload.len());
        uleb128::put(dst, len);
        dst.extend_from_slice(payload);
        Ok(())
    }
}

impl Default for FrameCodec {
    fn default() -> Self {
        Self::new(DEFAULT_MAX_FRAME_LEN)
    }
}

/// What the length prefix at the start of a buffer says.
enum Prefix {
    /// Not all of the prefix has arrived yet.
    Incomplete,
    /// The payload length and the prefix's own size.
    Complete { len: u32, header: usize },
}

fn read_prefix(src: &[u8]) -> Result<Prefix, FrameError> {
    let mut reader = Reader::new(&src[..src.len().min(uleb128::MAX_LEN)]);
    match uleb128::read(&mut reader) {
        Ok(len) => Ok(Prefix::Complete { len, header: reader.position() }),
        // Running out of bytes before the fifth one only means the rest is on its way.
        Err(err) if matches!(err.kind(), DecodeErrorKind::UnexpectedEnd { .. }) => Ok(Prefix::Incomplete),
        Err(_) => Err(FrameError::LengthOverflow),
    }
}

impl tokio_util::codec::Decoder for FrameCodec {
    type Item = Bytes;
    type Error = FrameError;

    fn decode(&mut self, src: &mut BytesMut) -> Result<Option<Bytes>, FrameError> {
        let (len, header) = match read_prefix(src)? {
            Prefix::Incomplete => return Ok(None),
            Prefix::Complete { len, header } => (len, header),
        };
        if len > self.max_len {
            return Err(FrameError::TooLarge { len: u64::from(len), max: self.max_len });
        }
        // `len` is at most `max_len`, so this reserve is bounded by the configuration.
        let total = header + len as usize;
        if src.len() < total {
            src.reserve(total - src.len());
            return Ok(None);
        }
        src.advance(header);
        Ok(Some(src.split_to(len as usize).freeze()))
    }

    fn decode_eof(&mut self, src: &mut BytesMut) -> Result<Option<Bytes>, FrameError> {
        match self.decode(src)? {
            Some(frame) => Ok(Some(frame)),
            None if src.is_empty() => Ok(None),
            None => Err(FrameError::Truncated { buffered: src.len() }),
        }
    }
}

impl tokio_util::codec::Encoder<&[u8]> for FrameCodec {
    type Error = FrameError;

    fn encode(&mut self, payload: &[u8], dst: &mut BytesMut) -> Result<(), FrameError> {
        self.put_frame(payload, dst)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use tokio_util::codec::{Decoder, Encoder};

    fn framed(payload: &[u8]) -> BytesMut {
        let mut out = BytesMut::new();
        FrameCodec::default().encode(payload, &mut out).unwrap();
        out
    }

    #[test]
    fn round_trips_a_frame() {
        let mut buf = framed(b"{\"type\":\"status\"}");
        assert_eq!(buf[0], 17);
        let frame = FrameCodec::default().decode(&mut buf).unwrap().unwrap();
        assert_eq!(&frame[..], b"{\"type\":\"status\"}");
        assert!(buf.is_empty());
    }

    #[test]
    fn decodes_a_frame_fed_one_byte_at_a_time() {
        let payload = vec![b'x'; 300]; // a two-byte prefix
        let wire = framed(&payload);
        let mut codec = FrameCodec::default();
        let mut buf = BytesMut::new();
        for (i, byte) in wire.iter().enumerate() {
            buf.extend_from_slice(&[*byte]);
            let out = codec.decode(&mut buf).unwrap();
            if i + 1 < wire.len() {
                assert!(out.is_none(), "frame ended early at byte {i}");
            } else {
                assert_eq!(out.unwrap(), payload);
            }
        }
    }

    #[test]
    fn rejects_an_oversize_length_before_reserving() {
        let mut codec = FrameCodec::new(1024);
        let mut buf = BytesMut::with_capacity(8);
        uleb128::put(&mut buf, 1025);
        let before = buf.capacity();
        let err = codec.decode(&mut buf).unwrap_err();
        assert!(matches!(err, FrameError::TooLarge { len: 1025, max: 1024 }), "{err:?}");
        assert_eq!(buf.capacity(), before);
    }

    #[test]
    fn a_length_at_the_limit_is_accepted() {
        let mut codec = FrameCodec::new(4);
        let mut buf = BytesMut::from(&b"\x04abcd"[..]);
        assert_eq!(&codec.decode(&mut buf).unwrap().unwrap()[..], b"abcd");
    }

    #[test]
    fn a_sixth_prefix_byte_is_an_overflow() {
        let mut buf = BytesMut::from(&[0x80, 0x80, 0x80, 0x80, 0x80, 0x01][..]);
        assert!(matches!(FrameCodec::default().decode(&mut buf), Err(FrameError::LengthOverflow)));
        // Bits above bit 31 in the fifth byte are refused too.
        let mut buf = BytesMut::from(&[0xff, 0xff, 0xff, 0xff, 0x1f][..]);
        assert!(matches!(FrameCodec::default().decode(&mut buf), Err(FrameError::LengthOverflow)));
    }

    #[test]
    fn an_unfinished_prefix_waits_for_more() {
        let mut buf = BytesMut::from(&[0x80, 0x80, 0x80, 0x80][..]);
        assert!(FrameCodec::new(u32::MAX).decode(&mut buf).unwrap().is_none());
    }

    #[test]
    fn eof_inside_a_frame_is_truncation() {
        let mut buf = BytesMut::from(&b"\x05ab"[..]);
        let err = FrameCodec::default().decode_eof(&mut buf).unwrap_err();
        assert!(matches!(err, FrameError::Truncated { buffered: 3 }), "{err:?}");
        assert!(FrameCodec::default().decode_eof(&mut BytesMut::new()).unwrap().is_none());
    }

    #[test]
    fn refuses_to_send_an_oversize_payload() {
        let mut out = BytesMut::new();
        let err = FrameCodec::new(2).encode(&b"abc"[..], &mut out).unwrap_err();
        assert!(matches!(err, FrameError::TooLarge { len: 3, max: 2 }));
        assert!(out.is_empty());
    }

    proptest! {
        #[test]
        fn arbitrary_input_never_panics_or_over_reserves(
            input in proptest::collection::vec(any::<u8>(), 0..64),
            max in 0u32..256,
        ) {
            let mut codec = FrameCodec::new(max);
            let mut buf = BytesMut::from(&input[..]);
            while let Ok(Some(frame)) = codec.decode(&mut buf) {
                prop_assert!(frame.len() <= max as usize);
            }
            // Growth is bounded by the input and the limit, never by a declared length.
            prop_assert!(buf.capacity() <= 2 * (input.len() + max as usize + uleb128::MAX_LEN));
        }
    }
}
