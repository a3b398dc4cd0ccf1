//! Packet frames: the header in front of every payload, and payload compression.
//!
//! | builds | header | payload compression (writing) |
//! |---|---|---|
//! | b282–b333 | `u16 id, u32 len` (6 bytes) | always gzip; `len` is the compressed length |
//! | b334–b1799 | `u16 id, u8 compressed, u32 len` (7 bytes) | gzip when the raw payload is over 150 bytes |
//! | b1800+ | the same 7 bytes | never; a set flag is still honoured when reading |
//!
//! The id in the header is the build's wire id; [`ids`](crate::ids) translates it to the
//! canonical packet id. Clients and servers compress alike: the game shares its packet
//! writer between the two sides, and the reference reads a client's compressed payloads.
//!
//! [`write_frame`] writes one frame around any payload; packet types write themselves
//! with `Packet::write`, which calls it.

use std::io::Read;

use bytes::BufMut;

use crate::codec::Encode;
use crate::context::Context;
use crate::error::{DecodeErrorKind, EncodeError, EncodeErrorKind, LimitKind};

/// First build with the 7-byte header and its compression flag.
pub const FLAGGED_HEADER_BUILD: u32 = 334;

/// First build to which servers no longer send compressed payloads.
pub const UNCOMPRESSED_BUILD: u32 = 1800;

/// Payloads longer than this are compressed in b334–b1799.
pub const COMPRESSION_THRESHOLD: usize = 150;

/// The header layout of a build.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum HeaderFormat {
    /// `u16 id, u32 len`, every payload gzip-compressed (b282–b333).
    Legacy,
    /// `u16 id, u8 compressed, u32 len` (b334 and later).
    Flagged,
}

impl HeaderFormat {
    /// The format a build uses.
    #[inline]
    pub const fn for_build(build: u32) -> Self {
        if build < FLAGGED_HEADER_BUILD { Self::Legacy } else { Self::Flagged }
    }

    /// The header's size in bytes.
    #[inline]
    pub const fn size(self) -> usize {
        match self {
            Self::Legacy => 6,
            Self::Flagged => 7,
        }
    }
}

/// When a writer compresses payloads: each build's rule ([`Compression::for_build`]), or
/// another one chosen by the writer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Compression {
    /// Every payload, as the 6-byte header implies (b282–b333).
    Always,
    /// Payloads over [`COMPRESSION_THRESHOLD`] bytes (b334–b1799).
    AboveThreshold,
    /// Never (b1800 and later). Impossible before b334, whose header has no flag.
    Never,
}

impl Compression {
    /// What the senders of `build` do.
    #[inline]
    pub const fn for_build(build: u32) -> Self {
        if build < FLAGGED_HEADER_BUILD {
            Self::Always
        } else if build < UNCOMPRESSED_BUILD {
            Self::AboveThreshold
        } else {
            Self::Never
        }
    }

    /// Whether a payload of `len` raw bytes is compressed.
    pub const fn applies_to(self, len: usize) -> bool {
        match self {
            Self::Always => true,
            Self::AboveThreshold => len > COMPRESSION_THRESHOLD,
            Self::Never => false,
        }
    }
}

/// A parsed frame header.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Header {
    /// The packet id as it is on the wire for this build.
    pub wire_id: u16,
    /// Whether the payload is gzip-compressed (always true for the legacy format).
    pub compressed: bool,
    /// The payload's length on the wire.
    pub len: u32,
}

impl Header {
    /// Parses a header from the start of `input`; `None` when fewer bytes than the
    /// format's header length are available (the streaming "need more bytes").
    ///
    /// ```
    /// use chio_core::frame::{Header, HeaderFormat};
    /// let header = Header::parse(&[5, 0, 0, 4, 0, 0, 0], HeaderFormat::Flagged).unwrap();
    /// assert_eq!((header.wire_id, header.compressed, header.len), (5, false, 4));
    /// assert_eq!(Header::parse(&[5, 0, 0], HeaderFormat::Flagged), None);
    /// ```
    #[inline]
    pub fn parse(input: &[u8], format: HeaderFormat) -> Option<Self> {
        let wire_id = u16::from_le_bytes(*input.first_chunk::<2>()?);
        match format {
            HeaderFormat::Legacy => {
                let len = u32::from_le_bytes(*input.get(2..)?.first_chunk::<4>()?);
                Some(Self { wire_id, compressed: true, len })
            }
            HeaderFormat::Flagged => {
                let compressed = *input.get(2)? != 0;
                let len = u32::from_le_bytes(*input.get(3..)?.first_chunk::<4>()?);
                Some(Self { wire_id, compressed, len })
            }
        }
    }

    /// Writes the header. The legacy format has no flag byte: its payloads are always
    /// compressed, so `compressed` is not written.
    #[inline]
    pub fn put<B: BufMut + ?Sized>(&self, buf: &mut B, format: HeaderFormat) {
        // One write of the whole header rather than one per field (each write of a
        // growable buffer checks its capacity).
        let [id0, id1] = self.wire_id.to_le_bytes();
        let [l0, l1, l2, l3] = self.len.to_le_bytes();
        match format {
            HeaderFormat::Flagged => buf.put_slice(&[id0, id1, u8::from(self.compressed), l0, l1, l2, l3]),
            HeaderFormat::Legacy => buf.put_slice(&[id0, id1, l0, l1, l2, l3]),
        }
    }
}

/// Writes a frame with wire id `wire_id` around `payload`'s encoding for `ctx`, compressed
/// by `compression`. An uncompressed payload is encoded straight into `buf` (its length is
/// known up front); a compressed one goes through one temporary buffer.
///
/// Before b334 every payload is compressed whatever `compression` says, except
/// [`Compression::Never`], which those builds cannot carry: an error. On error, part of
/// the frame may already be in `buf`; truncate it back if you reuse it.
pub fn write_frame<P, B>(
    wire_id: u16,
    payload: &P,
    buf: &mut B,
    ctx: Context,
    compression: Compression,
) -> Result<(), EncodeError>
where
    P: Encode + ?Sized,
    B: BufMut + ?Sized,
{
    let format = HeaderFormat::for_build(ctx.build());
    let len = payload.encoded_len(ctx);
    let compress = match (format, compression) {
        (HeaderFormat::Legacy, Compression::Never) => {
            return Err(EncodeError::new(EncodeErrorKind::Custom(
                "builds before b334 cannot carry an uncompressed payload".into(),
            )));
        }
        (HeaderFormat::Legacy, _) => true,
        (HeaderFormat::Flagged, compression) => compression.applies_to(len),
    };
    let too_long =
        |len: usize| EncodeError::new(EncodeErrorKind::TooLong { len, prefix: "u32 frame length" });
    if compress {
        let mut raw = Vec::with_capacity(len);
        payload.encode(&mut raw, ctx)?;
        let packed = gzip(&raw);
        let wire_len = u32::try_from(packed.len()).map_err(|_| too_long(packed.len()))?;
        Header { wire_id, compressed: true, len: wire_len }.put(buf, format);
        buf.put_slice(&packed);
    } else {
        let wire_len = u32::try_from(len).map_err(|_| too_long(len))?;
        Header { wire_id, compressed: false, len: wire_len }.put(buf, format);
        let room = buf.remaining_mut();
        payload.encode(buf, ctx)?;
        // `encoded_len` is exact by contract; a hand-written codec that breaks it would
        // corrupt the stream, so check (writing lowers `remaining_mut` by what it wrote).
        let written = room - buf.remaining_mut();
        if written != len {
            return Err(EncodeError::new(EncodeErrorKind::WrongLength { expected: len, actual: written }));
        }
    }
    Ok(())
}

/// Gzip-compresses a payload (RFC 1952, default level).
pub fn gzip(payload: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(
        Vec::with_capacity(payload.len() / 2 + 32),
        flate2::Compression::default(),
    );
    // Writing into a Vec cannot fail.
    let _ = std::io::Write::write_all(&mut encoder, payload);
    encoder.finish().unwrap_or_default()
}

/// Inflates a gzip payload, refusing to produce more than `limit` bytes.
///
/// The output grows only as data inflates, so a small bomb cannot make it allocate more
/// than `limit` (plus one read buffer) before it is stopped.
pub fn gunzip(compressed: &[u8], limit: u32) -> Result<Vec<u8>, DecodeErrorKind> {
    let mut out = Vec::with_capacity(compressed.len().saturating_mul(2).min(limit as usize));
    let mut decoder = flate2::read::GzDecoder::new(compressed).take(u64::from(limit) + 1);
    decoder.read_to_end(&mut out).map_err(|e| DecodeErrorKind::Decompress(e.to_string()))?;
    if out.len() > limit as usize {
        return Err(DecodeErrorKind::LimitExceeded {
            kind: LimitKind::DecompressedSize,
            value: out.len() as u64,
            limit: u64::from(limit),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_and_compression_by_era() {
        assert_eq!(HeaderFormat::for_build(282), HeaderFormat::Legacy);
        assert_eq!(HeaderFormat::for_build(333), HeaderFormat::Legacy);
        assert_eq!(HeaderFormat::for_build(334), HeaderFormat::Flagged);
        assert_eq!(HeaderFormat::Legacy.size(), 6);
        assert_eq!(HeaderFormat::Flagged.size(), 7);
        assert_eq!(Compression::for_build(333), Compression::Always);
        assert_eq!(Compression::for_build(334), Compression::AboveThreshold);
        assert_eq!(Compression::for_build(1799), Compression::AboveThreshold);
        assert_eq!(Compression::for_build(1800), Compression::Never);
        assert!(Compression::Always.applies_to(0));
        assert!(!Compression::AboveThreshold.applies_to(150));
        assert!(Compression::AboveThreshold.applies_to(151));
        assert!(!Compression::Never.applies_to(1 << 20));
    }

    #[test]
    fn headers_round_trip_and_need_all_their_bytes() {
        for format in [HeaderFormat::Legacy, HeaderFormat::Flagged] {
            let header = Header { wire_id: 0x1234, compressed: true, len: 0x0102_0304 };
            let mut bytes = Vec::new();
            header.put(&mut bytes, format);
            assert_eq!(bytes.len(), format.size());
            assert_eq!(Header::parse(&bytes, format), Some(header));
            for cut in 0..bytes.len() {
                assert_eq!(Header::parse(&bytes[..cut], format), None, "{format:?} cut at {cut}");
            }
        }
        let mut bytes = Vec::new();
        Header { wire_id: 7, compressed: false, len: 3 }.put(&mut bytes, HeaderFormat::Flagged);
        assert_eq!(bytes, [7, 0, 0, 3, 0, 0, 0]);
        // Any non-zero flag byte means compressed.
        assert!(Header::parse(&[7, 0, 2, 3, 0, 0, 0], HeaderFormat::Flagged).unwrap().compressed);
    }

    #[test]
    fn gzip_round_trips_and_gunzip_is_capped() {
        let payload = b"bancho ".repeat(100);
        let packed = gzip(&payload);
        assert_eq!(gunzip(&packed, 700).unwrap(), payload);
        assert!(matches!(
            gunzip(&packed, 699),
            Err(DecodeErrorKind::LimitExceeded { kind: LimitKind::DecompressedSize, limit: 699, .. })
        ));
        // 16 MiB of zeros packs into a few KiB; the cap stops it at 1 MiB + 1.
        let bomb = gzip(&vec![0u8; 16 << 20]);
        assert!(bomb.len() < 64 << 10);
        assert!(matches!(gunzip(&bomb, 1 << 20), Err(DecodeErrorKind::LimitExceeded { .. })));
        assert!(matches!(gunzip(b"not gzip", 100), Err(DecodeErrorKind::Decompress(_))));
        assert_eq!(gunzip(&gzip(b""), 0).unwrap(), b"");
    }
}
