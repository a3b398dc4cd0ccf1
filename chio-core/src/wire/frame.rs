//! [`Frame`], the one type of a packet frame off the wire, the reading step every frame
//! reader shares, and [`Frames`], the reader of a buffer that holds whole frames.

use std::borrow::Cow;
use std::marker::PhantomData;

use bytes::BufMut;

use crate::codec::Encode;
use crate::context::{Context, Direction};
use crate::error::{DecodeError, DecodeErrorKind, EncodeError, LimitKind};
use crate::frame::{self, Compression, Header, HeaderFormat};
use crate::limits::Limits;
use crate::packet::PacketSet;

/// One packet frame off the wire: its header and its payload, inflated if it was
/// compressed.
///
/// Every reader hands out frames of this type: [`Frames`] and
/// [`FrameFeeder`](super::FrameFeeder) borrow the payload from the input where they can,
/// [`FrameBatch`](super::FrameBatch) from its shared buffer. [`into_owned`](Self::into_owned)
/// detaches one to keep or send elsewhere; [`write`](Self::write) puts it back on the wire
/// as it came, which is how a packet no definition knows passes through unchanged.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Frame<'a> {
    /// Where the header starts, in bytes from the start of the stream.
    pub offset: u64,
    /// The id as the build put it on the wire.
    pub wire_id: u16,
    /// The canonical packet id the build writes as `wire_id`, if any
    /// ([`ids::canonical_id`](crate::ids::canonical_id)).
    pub id: Option<u16>,
    /// Whether the payload was compressed on the wire.
    pub compressed: bool,
    /// The payload, inflated if it was compressed.
    pub payload: Cow<'a, [u8]>,
}

impl Frame<'_> {
    /// The frame detached from its input.
    pub fn into_owned(self) -> Frame<'static> {
        Frame { payload: Cow::Owned(self.payload.into_owned()), ..self }
    }

    /// Where the payload starts in the stream, for `ctx`'s header size. Error offsets
    /// inside a payload count from here (inflated bytes, for a compressed payload).
    pub fn payload_offset(&self, ctx: Context) -> u64 {
        self.offset.saturating_add(HeaderFormat::for_build(ctx.build()).size() as u64)
    }

    /// Writes the frame back: the same wire id, the same compression flag, the same
    /// payload (compressed again if it was). An uncompressed frame comes out byte for byte
    /// as it came in; gzip output is not unique, so a compressed one comes out with the
    /// same payload but possibly other compressed bytes.
    ///
    /// An uncompressed frame cannot be written for a build before b334 (their header has
    /// no flag): an error.
    pub fn write<B: BufMut + ?Sized>(&self, buf: &mut B, ctx: Context) -> Result<(), EncodeError> {
        let compression = if self.compressed { Compression::Always } else { Compression::Never };
        frame::write_frame(self.wire_id, &RawPayload(&self.payload), buf, ctx, compression)
    }
}

/// A payload written as the bytes it is.
struct RawPayload<'a>(&'a [u8]);

impl Encode for RawPayload<'_> {
    fn encoded_len(&self, _: Context) -> usize {
        self.0.len()
    }
    fn encode<B: BufMut + ?Sized>(&self, buf: &mut B, _: Context) -> Result<(), EncodeError> {
        buf.put_slice(self.0);
        Ok(())
    }
}

/// Where the reading step stands at some position of the input.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Step<'a> {
    /// A whole frame: its header, canonical id and payload as it is on the wire.
    Whole { header: Header, id: Option<u16>, raw: &'a [u8] },
    /// Not even a whole header: more bytes are needed.
    Header,
    /// A header, admitted (its length is within the caps), whose payload is incomplete.
    Payload { header: Header },
}

impl Step<'_> {
    /// The bytes the frame takes on the wire, header included, once its header is known.
    #[inline]
    pub(crate) fn frame_len(header: &Header, ctx: Context) -> usize {
        HeaderFormat::for_build(ctx.build()).size() + header.len as usize
    }
}

/// The reading step every frame reader shares: parse the header at the start of `input`
/// (a frame starting at stream offset `offset`), admit it (its length against the caps
/// of set `S`, before a byte of its payload is buffered), and split off its payload.
#[inline(always)]
pub(crate) fn step<'a, S: PacketSet>(
    input: &'a [u8],
    offset: u64,
    ctx: Context,
    limits: &Limits,
) -> Result<Step<'a>, DecodeError> {
    match plain_step::<S>(input, ctx, limits) {
        Some(whole) => Ok(whole),
        None => general_step::<S>(input, offset, ctx, limits),
    }
}

/// [`step`] for any frame of any build.
#[inline(always)]
pub(super) fn general_step<'a, S: PacketSet>(
    input: &'a [u8],
    offset: u64,
    ctx: Context,
    limits: &Limits,
) -> Result<Step<'a>, DecodeError> {
    let format = HeaderFormat::for_build(ctx.build());
    let Some(header) = Header::parse(input, format) else {
        return Ok(Step::Header);
    };
    let id = crate::ids::canonical_id(header.wire_id, ctx.build());
    let cap = frame_cap::<S>(id, limits);
    if header.len > cap {
        return Err(DecodeError::new(
            DecodeErrorKind::LimitExceeded {
                kind: LimitKind::FrameLength,
                value: u64::from(header.len),
                limit: u64::from(cap),
            },
            to_usize(offset),
        ));
    }
    match input[format.size()..].get(..header.len as usize) {
        Some(raw) => Ok(Step::Whole { header, id, raw }),
        None => Ok(Step::Payload { header }),
    }
}

/// [`step`] for the common frame, in one straight line: a build that writes standard
/// ids as they are, a standard id, a payload neither compressed nor over its cap, all in
/// `input`. `None` sends any other frame the general way, which reads it (and reports
/// its errors) as before; this path only saves the general one's branches.
#[inline(always)]
pub(super) fn plain_step<'a, S: PacketSet>(
    input: &'a [u8],
    ctx: Context,
    limits: &Limits,
) -> Option<Step<'a>> {
    use crate::ids::{MAX_MODERN_ID, is_canonical, writes_ids_as_they_are};
    if !writes_ids_as_they_are(ctx.build()) {
        return None;
    }
    // Such builds are long past the flagged header's introduction (b334).
    let &[i0, i1, flag, l0, l1, l2, l3] = input.first_chunk::<7>()?;
    let (wire_id, len) = (u16::from_le_bytes([i0, i1]), u32::from_le_bytes([l0, l1, l2, l3]));
    if flag != 0 || wire_id > MAX_MODERN_ID {
        return None;
    }
    let id = is_canonical(wire_id).then_some(wire_id);
    if len > frame_cap::<S>(id, limits) {
        return None;
    }
    // `len` is a `u32`: the end cannot overflow.
    let raw = input.get(7..7 + len as usize)?;
    Some(Step::Whole { header: Header { wire_id, compressed: false, len }, id, raw })
}

/// The longest payload a frame of set `S` with canonical id `id` may have.
#[inline(always)]
fn frame_cap<S: PacketSet>(id: Option<u16>, limits: &Limits) -> u32 {
    match S::DIRECTION {
        Direction::ServerToClient => limits.max_frame_len,
        Direction::ClientToServer if id.is_some_and(S::is_large) => limits.max_frame_len,
        Direction::ClientToServer => limits.max_client_frame_len.min(limits.max_frame_len),
    }
}

/// The frame of a whole step: `raw` inflated if the header says it is compressed.
#[inline(always)]
pub(crate) fn frame<'a>(
    header: Header,
    id: Option<u16>,
    raw: &'a [u8],
    offset: u64,
    ctx: Context,
    limits: &Limits,
) -> Result<Frame<'a>, DecodeError> {
    let payload = if header.compressed {
        let start = offset.saturating_add(HeaderFormat::for_build(ctx.build()).size() as u64);
        let inflated = frame::gunzip(raw, limits.max_decompressed_len)
            .map_err(|kind| DecodeError::new(kind, to_usize(start)))?;
        Cow::Owned(inflated)
    } else {
        Cow::Borrowed(raw)
    };
    Ok(Frame { offset, wire_id: header.wire_id, id, compressed: header.compressed, payload })
}

/// The error of input that ends inside a frame at stream offset `offset`.
#[cold]
pub(crate) fn ended_inside(step: &Step<'_>, left: usize, offset: u64, ctx: Context) -> DecodeError {
    let format = HeaderFormat::for_build(ctx.build());
    let (needed, at) = match step {
        Step::Payload { header } => (header.len as usize, offset.saturating_add(format.size() as u64)),
        _ => (format.size(), offset),
    };
    let left = match step {
        Step::Payload { .. } => left.saturating_sub(format.size()),
        _ => left,
    };
    DecodeError::new(DecodeErrorKind::UnexpectedEnd { needed, left }, to_usize(at))
}

/// A stream offset as an error offset (which is a `usize`).
#[inline]
pub(crate) fn to_usize(offset: u64) -> usize {
    usize::try_from(offset).unwrap_or(usize::MAX)
}

/// The frames of a buffer that holds whole frames: an HTTP body, a capture, a file.
///
/// Payloads are borrowed from the input unless compressed. Frame lengths are checked
/// against the caps of set `S` ([`Limits::max_frame_len`], and
/// [`Limits::max_client_frame_len`] for client packets not marked large) and inflated
/// payloads against [`Limits::max_decompressed_len`], before anything is allocated for
/// them. Input that ends inside a frame is an error; after any error the iterator ends.
///
/// [`PacketDecoder::frames`](super::PacketDecoder::frames) makes one with the decoder's
/// context and limits.
#[derive(Clone, Debug)]
pub struct Frames<'a, S> {
    input: &'a [u8],
    position: usize,
    /// The stream offset of `input[0]`.
    base: u64,
    ctx: Context,
    limits: Limits,
    failed: bool,
    set: PhantomData<fn() -> S>,
}

impl<'a, S: PacketSet> Frames<'a, S> {
    /// The frames of `input`, for `ctx`'s build, with the default [`Limits`].
    pub const fn new(input: &'a [u8], ctx: Context) -> Self {
        Self { input, position: 0, base: 0, ctx, limits: Limits::DEFAULT, failed: false, set: PhantomData }
    }

    /// The same reader with other limits.
    #[must_use]
    pub const fn with_limits(self, limits: Limits) -> Self {
        Self { limits, ..self }
    }

    /// The same reader counting offsets from `base`: the stream offset of the input's
    /// first byte (when the input is the rest of a stream, after a login say).
    #[must_use]
    pub const fn starting_at(self, base: u64) -> Self {
        Self { base, ..self }
    }

    /// The offset in the input of the next frame.
    pub const fn position(&self) -> usize {
        self.position
    }
}

impl<'a, S: PacketSet> Iterator for Frames<'a, S> {
    type Item = Result<Frame<'a>, DecodeError>;

    #[inline(always)]
    fn next(&mut self) -> Option<Self::Item> {
        if self.failed || self.position >= self.input.len() {
            return None;
        }
        let rest = &self.input[self.position..];
        let offset = self.base + self.position as u64;
        let result = match step::<S>(rest, offset, self.ctx, &self.limits) {
            Ok(Step::Whole { header, id, raw }) => {
                self.position += Step::frame_len(&header, self.ctx);
                frame(header, id, raw, offset, self.ctx, &self.limits)
            }
            Ok(incomplete) => Err(ended_inside(&incomplete, rest.len(), offset, self.ctx)),
            Err(error) => Err(error),
        };
        self.failed = result.is_err();
        Some(result)
    }
}
