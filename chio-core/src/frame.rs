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
//! A [`FrameWriter`] writes frames around any payload, keeping its compression rule,
//! gzip level and deflate state between them; [`write_frame`] writes one with a fresh
//! writer. Packet types write themselves with `Packet::write`, which calls it. Gzip itself
//! is [`crate::gzip`].

use bytes::BufMut;
use bytes::buf::UninitSlice;

use crate::codec::Encode;
use crate::context::Context;
use crate::error::{EncodeError, EncodeErrorKind};
use crate::gzip::Gzip;
pub use crate::gzip::{GzipLevel, gunzip, gzip};
use crate::reserved::Reserved;

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

/// Writes frames, keeping what it can between them: the compression rule (the build's
/// own unless set), the [`GzipLevel`] and its deflate state, and the buffer compressed
/// payloads are encoded into. A connection's writer keeps one
/// ([`PacketEncoder`](crate::PacketEncoder) does); [`write_frame`] makes a fresh one.
///
/// A new writer allocates nothing. The uncompressed path (every build from b1800)
/// allocates only for a buffer without room for a whole frame in one piece (a fresh
/// `Vec`), once: the writer keeps the buffer it writes such frames through.
#[derive(Debug, Default)]
pub struct FrameWriter {
    compression: Option<Compression>,
    gzip: Gzip,
    /// Where a compressed payload is encoded before it is gzipped.
    raw: Vec<u8>,
    /// Where it is gzipped (its length goes in the header, before it).
    packed: Vec<u8>,
}

impl FrameWriter {
    /// A writer compressing by each build's rule at the default [`GzipLevel`].
    pub const fn new() -> Self {
        Self { compression: None, gzip: Gzip::new(GzipLevel::Stored), raw: Vec::new(), packed: Vec::new() }
    }

    /// The same writer compressing by `compression` instead of the build's rule.
    #[must_use]
    pub fn with_compression(self, compression: Compression) -> Self {
        Self { compression: Some(compression), ..self }
    }

    /// The same writer gzipping at `level`.
    #[must_use]
    pub fn with_gzip_level(self, level: GzipLevel) -> Self {
        Self { gzip: Gzip::new(level), ..self }
    }

    /// The compression rule for `ctx`: the one set, else the build's.
    #[inline]
    pub fn compression(&self, ctx: Context) -> Compression {
        self.compression.unwrap_or(Compression::for_build(ctx.build()))
    }

    /// The level compressed payloads are gzipped at.
    pub const fn gzip_level(&self) -> GzipLevel {
        self.gzip.level()
    }

    /// Writes a frame with wire id `wire_id` around `payload`'s encoding for `ctx`. An
    /// uncompressed payload is encoded straight into `buf` when it has room for the whole
    /// frame in one piece (a reused buffer; its length is known up front), else through
    /// the writer's own buffer, as a compressed one is.
    ///
    /// Before b334 every payload is compressed whatever the rule says, except
    /// [`Compression::Never`], which those builds cannot carry: an error. On error nothing
    /// is written to `buf`: a frame is committed only once it is whole, so a codec whose
    /// `encode` writes other than its `encoded_len` is an error, never a corrupt stream.
    #[allow(unsafe_code)]
    pub fn write<P, B>(
        &mut self,
        wire_id: u16,
        payload: &P,
        buf: &mut B,
        ctx: Context,
    ) -> Result<(), EncodeError>
    where
        P: Encode + ?Sized,
        B: BufMut + ?Sized,
    {
        let format = HeaderFormat::for_build(ctx.build());
        let len = match (format, self.compression(ctx)) {
            (HeaderFormat::Legacy, Compression::Never) => {
                return Err(EncodeError::new(EncodeErrorKind::Custom(
                    "builds before b334 cannot carry an uncompressed payload".into(),
                )));
            }
            // Every payload compressed: its raw length is not needed.
            (HeaderFormat::Legacy, _) => return self.write_compressed(wire_id, payload, buf, ctx, format),
            (HeaderFormat::Flagged, compression) => {
                let len = payload.encoded_len(ctx);
                if compression.applies_to(len) {
                    return self.write_compressed(wire_id, payload, buf, ctx, format);
                }
                len
            }
        };
        let header =
            Header { wire_id, compressed: false, len: u32::try_from(len).map_err(|_| too_long(len))? };
        let total = format.size() + len;
        // The frame is written into room reserved once: `buf`'s own when it has enough
        // in one piece (a reused buffer), else the writer's, copied into `buf` after.
        // Two calls of `fill`, each inlining the codec: one call on a room chosen first
        // made the pointer unknown to both and cost 5-7 % more instructions.
        let room = buf.chunk_mut();
        if room.len() >= total {
            fill(&mut room[..total], &header, format, payload, ctx)?;
            // SAFETY: `fill` returned Ok, so it initialised all `total` bytes at the
            // front of `buf.chunk_mut()`, which is what `advance_mut` requires.
            unsafe { buf.advance_mut(total) };
        } else {
            self.raw.clear();
            self.raw.reserve(total);
            fill(&mut self.raw.chunk_mut()[..total], &header, format, payload, ctx)?;
            // SAFETY: as above, for the spare capacity of `self.raw`.
            unsafe { self.raw.advance_mut(total) };
            buf.put_slice(&self.raw);
        }
        Ok(())
    }

    /// The compressed path of [`write`](Self::write), out of line: the uncompressed one
    /// stays small enough to inline.
    #[inline(never)]
    fn write_compressed<P, B>(
        &mut self,
        wire_id: u16,
        payload: &P,
        buf: &mut B,
        ctx: Context,
        format: HeaderFormat,
    ) -> Result<(), EncodeError>
    where
        P: Encode + ?Sized,
        B: BufMut + ?Sized,
    {
        stage(&mut self.raw, payload, ctx)?;
        self.packed.clear();
        self.gzip.compress(&self.raw, &mut self.packed);
        let wire_len = u32::try_from(self.packed.len()).map_err(|_| too_long(self.packed.len()))?;
        Header { wire_id, compressed: true, len: wire_len }.put(buf, format);
        buf.put_slice(&self.packed);
        Ok(())
    }
}

impl Clone for FrameWriter {
    /// The same settings; buffers and deflate state are not shared, the clone starts
    /// its own.
    fn clone(&self) -> Self {
        Self { compression: self.compression, gzip: Gzip::new(self.gzip.level()), ..Self::new() }
    }
}

/// Writes the frame of `header` (uncompressed) around `payload` into `room`, which is
/// exactly the frame's size. Ok means every byte of `room` was written.
#[inline(always)]
fn fill<P: Encode + ?Sized>(
    room: &mut UninitSlice,
    header: &Header,
    format: HeaderFormat,
    payload: &P,
    ctx: Context,
) -> Result<(), EncodeError> {
    let mut out = Reserved::new(room);
    header.put(&mut out, format);
    payload.encode(&mut out, ctx)?;
    // `encoded_len` is exact by contract; a hand-written codec that breaks it would
    // corrupt the stream (or leave bytes of the room unwritten), so check.
    if out.remaining_mut() != 0 || out.overflow() != 0 {
        let actual = out.written() + out.overflow() - format.size();
        return Err(EncodeError::new(EncodeErrorKind::WrongLength { expected: header.len as usize, actual }));
    }
    Ok(())
}

/// Encodes `payload` into `raw` (cleared first) for compression, whose length is not
/// asked for (before b334 every payload is compressed and its length never written): into
/// the room `raw` already has, reserved as one piece, which a connection's writer has grown
/// to its largest payload; a payload that does not fit is encoded again into `raw` itself.
#[inline(always)]
#[allow(unsafe_code)]
fn stage<P: Encode + ?Sized>(raw: &mut Vec<u8>, payload: &P, ctx: Context) -> Result<(), EncodeError> {
    raw.clear();
    let mut out = Reserved::new(raw.chunk_mut());
    payload.encode(&mut out, ctx)?;
    if out.overflow() == 0 {
        let written = out.written();
        // SAFETY: `Reserved` initialised the first `written` bytes of `raw.chunk_mut()`
        // (what `written` counts), which is what `advance_mut` requires.
        unsafe { raw.advance_mut(written) };
        return Ok(());
    }
    let needed = out.written() + out.overflow();
    raw.reserve(needed);
    payload.encode(raw, ctx)
}

fn too_long(len: usize) -> EncodeError {
    EncodeError::new(EncodeErrorKind::TooLong { len, prefix: "u32 frame length" })
}

/// Writes a frame with wire id `wire_id` around `payload`'s encoding for `ctx`, compressed
/// by `compression`, with a fresh [`FrameWriter`] (see [`FrameWriter::write`]).
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
    FrameWriter::new().with_compression(compression).write(wire_id, payload, buf, ctx)
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

    /// A payload whose `encoded_len` says `claims` and whose `encode` writes `writes`
    /// bytes, the last with `chunk_mut`/`advance_mut` rather than a put.
    struct Lies {
        claims: usize,
        writes: usize,
    }

    impl Encode for Lies {
        fn encoded_len(&self, _: Context) -> usize {
            self.claims
        }

        #[allow(unsafe_code)]
        fn encode<B: BufMut + ?Sized>(&self, buf: &mut B, _: Context) -> Result<(), EncodeError> {
            let Some(last) = self.writes.checked_sub(1) else { return Ok(()) };
            buf.put_bytes(b'x', last);
            if buf.chunk_mut().len() == 0 {
                // A full room: what a hand-written codec might do without looking.
                // SAFETY: advancing a full `Reserved` only counts the byte as lost.
                unsafe { buf.advance_mut(1) };
            } else {
                buf.chunk_mut().write_byte(0, b'y');
                // SAFETY: the chunk's first byte was just written.
                unsafe { buf.advance_mut(1) };
            }
            Ok(())
        }
    }

    #[test]
    fn frames_are_whole_or_not_written_on_every_path() {
        let ctx = Context::new(20250306);
        let frame = |claims, writes, buf: &mut Vec<u8>| {
            FrameWriter::new()
                .write(9, &Lies { claims, writes }, buf, ctx)
                .map_err(|error| error.kind().clone())
        };
        let mut with_room = Vec::with_capacity(64);
        with_room.extend_from_slice(b"before");
        let mut without = b"before".to_vec();
        without.shrink_to_fit();
        for buf in [&mut with_room, &mut without] {
            for (claims, writes) in [(3, 5), (5, 3), (0, 1), (1, 0), (300, 301)] {
                let error = frame(claims, writes, buf).unwrap_err();
                assert_eq!(error, EncodeErrorKind::WrongLength { expected: claims, actual: writes });
                assert_eq!(&buf[..], b"before", "{claims} claimed, {writes} written");
            }
            frame(3, 3, buf).unwrap();
            assert_eq!(&buf[..], b"before\x09\x00\x00\x03\x00\x00\x00xxy");
            buf.truncate(6);
            // Too long for the room `buf` has in one piece: through the writer's buffer.
            frame(300, 300, buf).unwrap();
            assert_eq!(buf[6..13], [9, 0, 0, 44, 1, 0, 0]);
            assert!(buf[13..312].iter().all(|&byte| byte == b'x') && buf[312] == b'y' && buf.len() == 313);
            buf.truncate(6);
        }
        // A fixed buffer with room takes the frame; one without is left alone on error.
        let mut fixed = [0u8; 10];
        let mut out = &mut fixed[..];
        FrameWriter::new().write(9, &Lies { claims: 3, writes: 3 }, &mut out, ctx).unwrap();
        assert_eq!(fixed, *b"\x09\x00\x00\x03\x00\x00\x00xxy");
        let mut fixed = [0u8; 4];
        let mut out = &mut fixed[..];
        assert!(FrameWriter::new().write(9, &Lies { claims: 3, writes: 1 }, &mut out, ctx).is_err());
        assert_eq!(fixed, [0; 4]);
    }
}
