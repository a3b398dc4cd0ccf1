//! Whole packets on the wire: header, id translation and compression around a payload.
//!
//! [`write_packet`] lays out one packet for a build: the build's wire id, its header
//! format, and compression as that build's server would apply it (every payload before
//! b334, payloads over 150 bytes in b334–b1799, none from b1800). [`Frames`] walks a
//! buffer that holds whole packets (an HTTP body, a capture) and hands out each frame's
//! payload, decompressed if its header says so. Streaming input that arrives in pieces
//! is the job of the stream decoder built on the same pieces.
//!
//! ```
//! use chio_packets::catalog::ServerPacket;
//! use chio_packets::framing::{write_packet, Frames};
//! use chio_packets::login::BanchoLoginReply;
//! use chio_packets::session::BanchoPing;
//! use chio_packets::{Context, Limits};
//!
//! let ctx = Context::new(20250306);
//! let mut body = Vec::new();
//! write_packet(&BanchoLoginReply(1000), ctx, &mut body).unwrap();
//! write_packet(&BanchoPing, ctx, &mut body).unwrap();
//! assert_eq!(body, [5, 0, 0, 4, 0, 0, 0, 0xe8, 3, 0, 0, 8, 0, 0, 0, 0, 0, 0]);
//!
//! let names: Vec<_> = Frames::new(&body, ctx, Limits::DEFAULT)
//!     .map(|frame| {
//!         let frame = frame.unwrap();
//!         ServerPacket::decode_frame(&frame, ctx, Limits::DEFAULT).unwrap().name()
//!     })
//!     .collect();
//! assert_eq!(names, ["BanchoLoginReply", "BanchoPing"]);
//! ```

use std::borrow::Cow;

use crate::LimitKind;
use crate::frame::{self, Compression, Header, HeaderFormat};
use crate::{
    BufMut, Context, DecodeError, DecodeErrorKind, Encode, EncodeError, EncodeErrorKind, Limits, Packet,
};

/// How a written packet is compressed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum CompressionChoice {
    /// As a server of the build does ([`Compression::for_build`]).
    #[default]
    BuildDefault,
    /// Compress the payload. Builds before b334 compress every payload anyway.
    Compress,
    /// Send the payload raw. Impossible before b334, whose header has no flag: an error.
    Raw,
}

impl CompressionChoice {
    fn resolve(self, ctx: Context) -> Compression {
        match self {
            Self::BuildDefault => Compression::for_build(ctx.build()),
            Self::Compress => Compression::Always,
            Self::Raw => Compression::Never,
        }
    }
}

/// Writes `packet` with its header for `ctx`'s build, compressing as that build's server
/// would.
pub fn write_packet<P, B>(packet: &P, ctx: Context, buf: &mut B) -> Result<(), EncodeError>
where
    P: Packet + Encode + ?Sized,
    B: BufMut + ?Sized,
{
    write_packet_with(packet, ctx, CompressionChoice::BuildDefault, buf)
}

/// [`write_packet`] with an explicit compression choice.
pub fn write_packet_with<P, B>(
    packet: &P,
    ctx: Context,
    compression: CompressionChoice,
    buf: &mut B,
) -> Result<(), EncodeError>
where
    P: Packet + Encode + ?Sized,
    B: BufMut + ?Sized,
{
    let build = ctx.build();
    if !P::BUILDS.contains(build) {
        return Err(EncodeError::new(EncodeErrorKind::PacketNotInBuild { name: P::NAME, build }));
    }
    frame::write_frame(crate::ids::wire_id(P::ID, build), packet, buf, ctx, compression.resolve(ctx))
}

/// Writes a frame with wire id `wire_id` around `payload`'s encoding.
pub fn write_frame<P, B>(
    wire_id: u16,
    payload: &P,
    ctx: Context,
    compression: CompressionChoice,
    buf: &mut B,
) -> Result<(), EncodeError>
where
    P: Encode + ?Sized,
    B: BufMut + ?Sized,
{
    frame::write_frame(wire_id, payload, buf, ctx, compression.resolve(ctx))
}

/// One frame read from a buffer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Frame<'a> {
    /// Where the frame's header starts in the input.
    pub offset: usize,
    /// The id as the build put it on the wire.
    pub wire_id: u16,
    /// The canonical packet id, if the build has one for this wire id.
    pub id: Option<u16>,
    /// Whether the payload was compressed on the wire.
    pub compressed: bool,
    /// The payload: borrowed from the input, or inflated if it was compressed.
    pub payload: Cow<'a, [u8]>,
}

/// What every frame reader checks, shared by [`Frames`] and the stream decoder: the
/// build's header format, the frame-length caps, and the decompressed-size cap.
#[derive(Clone, Copy, Debug)]
pub(crate) struct FrameRules {
    pub(crate) ctx: Context,
    pub(crate) limits: Limits,
    /// Client packets get the reference's tighter cap (see [`Frames::for_client_stream`]).
    pub(crate) client_stream: bool,
}

impl FrameRules {
    #[inline]
    pub(crate) const fn format(&self) -> HeaderFormat {
        HeaderFormat::for_build(self.ctx.build())
    }

    /// Checks a header (read at `offset`) against the caps, before anything is allocated
    /// for its payload, and returns the frame's canonical id.
    #[inline]
    pub(crate) fn admit(&self, header: &Header, offset: usize) -> Result<Option<u16>, DecodeError> {
        let id = crate::ids::canonical_id(header.wire_id, self.ctx.build());
        let beatmap_request = id == Some(<crate::beatmaps::OsuBeatmapInfoRequest<'_> as Packet>::ID);
        let limit = if self.client_stream && !beatmap_request {
            self.limits.max_client_frame_len.min(self.limits.max_frame_len)
        } else {
            self.limits.max_frame_len
        };
        if header.len > limit {
            return Err(DecodeError::new(
                DecodeErrorKind::LimitExceeded {
                    kind: LimitKind::FrameLength,
                    value: u64::from(header.len),
                    limit: u64::from(limit),
                },
                offset,
            ));
        }
        Ok(id)
    }

    /// Inflates a compressed payload that starts at `offset`, within the cap.
    pub(crate) fn inflate(&self, raw: &[u8], offset: usize) -> Result<Vec<u8>, DecodeError> {
        frame::gunzip(raw, self.limits.max_decompressed_len).map_err(|kind| DecodeError::new(kind, offset))
    }
}

/// Iterates over the frames of a buffer holding whole packets.
///
/// Each frame's length is checked against [`Limits::max_frame_len`] and each inflated
/// payload against [`Limits::max_decompressed_len`] before it is allocated. A truncated
/// last frame is an error; after any error the iterator ends.
#[derive(Clone, Debug)]
pub struct Frames<'a> {
    input: &'a [u8],
    position: usize,
    rules: FrameRules,
    failed: bool,
}

impl<'a> Frames<'a> {
    /// Frames of `input`, for `ctx`'s build.
    pub const fn new(input: &'a [u8], ctx: Context, limits: Limits) -> Self {
        Self { input, position: 0, rules: FrameRules { ctx, limits, client_stream: false }, failed: false }
    }

    /// Frames of client packets (for example the body of a client's HTTP request): every
    /// frame is capped at [`Limits::max_client_frame_len`] (16 KiB by default), except the
    /// beatmap info request, capped at [`Limits::max_frame_len`] (256 KiB), as in the
    /// reference.
    pub const fn for_client_stream(input: &'a [u8], ctx: Context, limits: Limits) -> Self {
        Self { input, position: 0, rules: FrameRules { ctx, limits, client_stream: true }, failed: false }
    }

    /// The offset of the next frame.
    pub const fn position(&self) -> usize {
        self.position
    }

    #[inline(always)]
    fn next_frame(&mut self) -> Result<Frame<'a>, DecodeError> {
        let offset = self.position;
        let rest = &self.input[offset..];
        let format = self.rules.format();
        let end =
            |left| DecodeError::new(DecodeErrorKind::UnexpectedEnd { needed: format.size(), left }, offset);
        let header = Header::parse(rest, format).ok_or_else(|| end(rest.len()))?;
        let id = self.rules.admit(&header, offset)?;
        let start = offset + format.size();
        let body = self.input.get(start..).unwrap_or_default();
        let len = header.len as usize;
        let Some(raw) = body.get(..len) else {
            return Err(DecodeError::new(
                DecodeErrorKind::UnexpectedEnd { needed: len, left: body.len() },
                start,
            ));
        };
        let payload =
            if header.compressed { Cow::Owned(self.rules.inflate(raw, start)?) } else { Cow::Borrowed(raw) };
        self.position = start + len;
        Ok(Frame { offset, wire_id: header.wire_id, id, compressed: header.compressed, payload })
    }
}

impl<'a> Iterator for Frames<'a> {
    type Item = Result<Frame<'a>, DecodeError>;

    #[inline(always)]
    fn next(&mut self) -> Option<Self::Item> {
        if self.failed || self.position >= self.input.len() {
            return None;
        }
        let frame = self.next_frame();
        self.failed = frame.is_err();
        Some(frame)
    }
}
