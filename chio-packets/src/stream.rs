//! Packets from a byte stream that arrives in arbitrary pieces (a TCP connection), from
//! HTTP bodies holding many packets, and into either.
//!
//! [`FrameDecoder`] is incremental: feed it whatever arrived, in a [`BytesMut`], and it
//! returns each complete frame once, `Ok(None)` while a frame is incomplete (the
//! `tokio_util::codec::Decoder` contract), and never re-parses what it has already seen:
//! it keeps the header it parsed until the payload is there. Payloads are handed out
//! zero-copy as [`Bytes`] split off the buffer (inflated first if compressed). A frame's
//! length is checked against [`Limits::max_frame_len`] as soon as its header is in, before
//! any byte of the payload is buffered for it, and inflation stops at
//! [`Limits::max_decompressed_len`].
//!
//! [`PacketDecoder`] turns frames into typed packets for one connection: its build,
//! protocol and slot overrides ([`Context`]), its strictness, and its own replacements for
//! how single packets are read ([`PacketDecoder::patch_decoder`]) — owned by the value,
//! not registered globally.
//!
//! ```
//! use bytes::BytesMut;
//! use chio_packets::catalog::ServerPacket;
//! use chio_packets::framing::write_packet;
//! use chio_packets::login::BanchoLoginReply;
//! use chio_packets::stream::{FrameDecoder, PacketDecoder};
//! use chio_packets::Context;
//!
//! let ctx = Context::new(20250306);
//! let mut wire = Vec::new();
//! write_packet(&BanchoLoginReply(1000), ctx, &mut wire).unwrap();
//!
//! // The bytes arrive one at a time.
//! let mut decoder = FrameDecoder::new(ctx);
//! let mut buffer = BytesMut::new();
//! let mut frames = Vec::new();
//! for byte in wire {
//!     buffer.extend_from_slice(&[byte]);
//!     while let Some(frame) = decoder.decode(&mut buffer).unwrap() {
//!         frames.push(frame);
//!     }
//! }
//! assert_eq!(frames.len(), 1);
//!
//! let mut packets = PacketDecoder::new(ctx);
//! let packet = packets.decode_server(&frames[0]).unwrap().unwrap();
//! assert_eq!(packet, ServerPacket::BanchoLoginReply(BanchoLoginReply(1000)));
//! ```

use std::borrow::Cow;

use bytes::{Buf, Bytes, BytesMut};

use crate::catalog::{ClientPacket, ServerPacket};
use crate::frame::Header;
use crate::framing::{CompressionChoice, Frame, FrameRules};
use crate::{Context, DecodeError, DecodeErrorKind, EncodeError, Limits, Reader};

/// One packet frame off the wire, owning its (inflated) payload.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RawFrame {
    /// The id as the build put it on the wire.
    pub wire_id: u16,
    /// The canonical packet id, if the build has one for this wire id.
    pub id: Option<u16>,
    /// Whether the payload was compressed on the wire.
    pub compressed: bool,
    /// The payload, inflated if it was compressed.
    pub payload: Bytes,
    /// Where the frame started in the stream (bytes since the decoder was created).
    pub offset: u64,
    /// The header's length (6 or 7): the payload starts at `offset + header_len`.
    pub header_len: u8,
}

/// The incremental frame decoder for one stream. See the [module docs](self).
///
/// It has two ways in: [`decode`](Self::decode) takes frames off a [`BytesMut`] the caller
/// fills (the `tokio_util` codec contract), and [`feed`](Self::feed) takes each piece of the
/// stream as it arrives and lends out the frames it completes, copying only the frames
/// that straddle two pieces. Use one of them per decoder.
#[derive(Clone, Debug)]
pub struct FrameDecoder {
    rules: FrameRules,
    /// The header (and canonical id) of the frame whose payload is still arriving.
    pending: Option<(Header, Option<u16>)>,
    /// Bytes consumed from the stream so far.
    consumed: u64,
    /// [`feed`](Self::feed): the header of the frame that straddles pieces, once complete.
    carried: Option<(Header, Option<u16>)>,
    /// [`feed`](Self::feed): the bytes of that frame so far (its header while `carried` is
    /// `None`, then its payload).
    partial: Vec<u8>,
}

impl FrameDecoder {
    /// A decoder for `ctx`'s build with the default [`Limits`].
    pub const fn new(ctx: Context) -> Self {
        Self::with_limits(ctx, Limits::DEFAULT)
    }

    /// A decoder with explicit limits.
    pub const fn with_limits(ctx: Context, limits: Limits) -> Self {
        Self::with_rules(FrameRules { ctx, limits, client_stream: false })
    }

    const fn with_rules(rules: FrameRules) -> Self {
        Self { rules, pending: None, consumed: 0, carried: None, partial: Vec::new() }
    }

    /// A decoder for a stream of client packets: every frame is capped at
    /// [`Limits::max_client_frame_len`] (16 KiB by default), except the beatmap info
    /// request, capped at [`Limits::max_frame_len`] (256 KiB), as in the reference.
    pub const fn for_client_stream(ctx: Context, limits: Limits) -> Self {
        Self::with_rules(FrameRules { ctx, limits, client_stream: true })
    }

    /// The context frames are read for.
    pub const fn context(&self) -> Context {
        self.rules.ctx
    }

    /// Bytes of the stream consumed so far.
    pub const fn position(&self) -> u64 {
        self.consumed
    }

    /// The next complete frame in `buffer`, removing it; `Ok(None)` when more bytes are
    /// needed. After an error the stream has lost its framing and should be closed.
    pub fn decode(&mut self, buffer: &mut BytesMut) -> Result<Option<RawFrame>, DecodeError> {
        let format = self.rules.format();
        let (header, id) = match self.pending {
            Some(pending) => pending,
            None => {
                let Some(header) = Header::parse(buffer, format) else {
                    return Ok(None);
                };
                let id = self.rules.admit(&header, self.offset_usize())?;
                buffer.advance(format.size());
                self.pending = Some((header, id));
                (header, id)
            }
        };
        let len = header.len as usize;
        if buffer.len() < len {
            // Room for the rest of this frame (bounded by the frame limit checked above).
            buffer.reserve(len - buffer.len());
            return Ok(None);
        }
        self.pending = None;
        let offset = self.consumed;
        self.consumed += (format.size() + len) as u64;
        let raw = buffer.split_to(len).freeze();
        let payload = if header.compressed {
            let payload_offset = usize::try_from(offset).unwrap_or(usize::MAX).saturating_add(format.size());
            Bytes::from(self.rules.inflate(&raw, payload_offset)?)
        } else {
            raw
        };
        Ok(Some(RawFrame {
            wire_id: header.wire_id,
            id,
            compressed: header.compressed,
            payload,
            offset,
            header_len: format.size() as u8,
        }))
    }

    /// What is left when the stream ends: `Ok(None)` if it ended between frames, an
    /// error if it ended inside one.
    pub fn decode_eof(&mut self, buffer: &mut BytesMut) -> Result<Option<RawFrame>, DecodeError> {
        match self.decode(buffer)? {
            Some(frame) => Ok(Some(frame)),
            None if buffer.is_empty() && self.pending.is_none() => Ok(None),
            None => {
                let needed =
                    self.pending.map_or(self.rules.format().size(), |(header, _)| header.len as usize);
                Err(DecodeError::new(
                    DecodeErrorKind::UnexpectedEnd { needed, left: buffer.len() },
                    self.offset_usize(),
                ))
            }
        }
    }

    fn offset_usize(&self) -> usize {
        usize::try_from(self.consumed).unwrap_or(usize::MAX)
    }

    /// Takes the next piece of the stream and lends `each` every frame it completes, in
    /// order: frames that lie whole in `piece` are borrowed from it (no copy), a frame that
    /// began in an earlier piece from the decoder's own buffer, and the start of a frame
    /// that goes on in the next piece is kept for it. Compressed payloads are inflated.
    ///
    /// The same checks as [`decode`](Self::decode) apply, at the same moments: a frame's
    /// length is checked as soon as its header is in, before any of its payload is kept.
    /// The first error (the decoder's, or one `each` returns) ends the call; after a
    /// decoding error the stream has lost its framing and should be closed.
    ///
    /// ```
    /// use chio_packets::catalog::ServerPacket;
    /// use chio_packets::framing::write_packet;
    /// use chio_packets::login::BanchoLoginReply;
    /// use chio_packets::session::BanchoPing;
    /// use chio_packets::stream::{FrameDecoder, PacketDecoder};
    /// use chio_packets::{Context, DecodeError};
    ///
    /// let ctx = Context::new(20250306);
    /// let mut wire = Vec::new();
    /// write_packet(&BanchoLoginReply(1000), ctx, &mut wire).unwrap();
    /// write_packet(&BanchoPing, ctx, &mut wire).unwrap();
    ///
    /// let (mut frames, mut packets) = (FrameDecoder::new(ctx), PacketDecoder::new(ctx));
    /// let mut names = Vec::new();
    /// for piece in wire.chunks(5) {
    ///     frames.feed(piece, |frame| {
    ///         if let Some(packet) = packets.decode_server_frame(&frame)? {
    ///             names.push(packet.name());
    ///         }
    ///         Ok::<_, DecodeError>(())
    ///     })?;
    /// }
    /// frames.finish()?;
    /// assert_eq!(names, ["BanchoLoginReply", "BanchoPing"]);
    /// # Ok::<_, DecodeError>(())
    /// ```
    pub fn feed<E: From<DecodeError>>(
        &mut self,
        mut piece: &[u8],
        mut each: impl FnMut(Frame<'_>) -> Result<(), E>,
    ) -> Result<(), E> {
        let size = self.rules.format().size();
        // A frame begun in an earlier piece: complete its header, then its payload.
        if self.carried.is_none() && !self.partial.is_empty() {
            let (head, rest) = piece.split_at(piece.len().min(size - self.partial.len()));
            self.partial.extend_from_slice(head);
            piece = rest;
            let Some(header) = Header::parse(&self.partial, self.rules.format()) else {
                return Ok(());
            };
            let id = self.rules.admit(&header, self.offset_usize())?;
            self.carried = Some((header, id));
            self.partial.clear();
        }
        if let Some((header, id)) = self.carried {
            let len = header.len as usize;
            let (head, rest) = piece.split_at(piece.len().min(len - self.partial.len()));
            self.partial.extend_from_slice(head);
            piece = rest;
            if self.partial.len() < len {
                return Ok(());
            }
            self.carried = None;
            let offset = self.offset_usize();
            self.consumed += (size + len) as u64;
            let result = Self::lend(&self.rules, header, id, &self.partial, offset, &mut each);
            self.partial.clear();
            result?;
        }
        // Frames that lie whole in this piece, borrowed from it. The offset is kept in a
        // local (stored back on every way out) so the loop does not go through `self`.
        let rules = self.rules;
        let mut offset = self.offset_usize();
        let result = loop {
            let Some(header) = Header::parse(piece, rules.format()) else {
                self.partial.extend_from_slice(piece);
                break Ok(());
            };
            let id = match rules.admit(&header, offset) {
                Ok(id) => id,
                Err(error) => break Err(error.into()),
            };
            let body = piece.get(size..).unwrap_or_default();
            let len = header.len as usize;
            let Some((raw, rest)) = body.split_at_checked(len) else {
                self.carried = Some((header, id));
                self.partial.reserve(len);
                self.partial.extend_from_slice(body);
                break Ok(());
            };
            let start = offset;
            offset += size + len;
            if let Err(error) = Self::lend(&rules, header, id, raw, start, &mut each) {
                break Err(error);
            }
            piece = rest;
        };
        self.consumed = offset as u64;
        result
    }

    /// Lends `each` the frame of `header` at stream offset `offset` whose payload is `raw`.
    #[inline(always)]
    fn lend<E: From<DecodeError>>(
        rules: &FrameRules,
        header: Header,
        id: Option<u16>,
        raw: &[u8],
        offset: usize,
        each: &mut impl FnMut(Frame<'_>) -> Result<(), E>,
    ) -> Result<(), E> {
        let payload = if header.compressed {
            Cow::Owned(rules.inflate(raw, offset.saturating_add(rules.format().size()))?)
        } else {
            Cow::Borrowed(raw)
        };
        each(Frame { offset, wire_id: header.wire_id, id, compressed: header.compressed, payload })
    }

    /// Ends a stream read with [`feed`](Self::feed): an error if it ended inside a frame.
    pub fn finish(&self) -> Result<(), DecodeError> {
        let needed = match self.carried {
            Some((header, _)) => header.len as usize,
            None if self.partial.is_empty() => return Ok(()),
            None => self.rules.format().size(),
        };
        Err(DecodeError::new(
            DecodeErrorKind::UnexpectedEnd { needed, left: self.partial.len() },
            self.offset_usize(),
        ))
    }
}

/// How strictly a [`PacketDecoder`] treats input real servers and clients get away with.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Strictness {
    /// Skip packets the build does not know (the batch goes on) and tolerate bytes after
    /// a fully read payload (some servers pad payloads); both are counted.
    #[default]
    Lenient,
    /// Unknown packets and trailing bytes are errors.
    Strict,
}

/// A replacement for how one packet is read, for a packet id and a window of builds.
pub type ServerDecodeHook = for<'a> fn(&'a [u8], Context) -> Result<ServerPacket<'a>, DecodeError>;

/// A replacement for how one client packet is read.
pub type ClientDecodeHook = for<'a> fn(&'a [u8], Context) -> Result<ClientPacket<'a>, DecodeError>;

#[derive(Clone, Copy, Debug)]
enum Hook {
    Server(ServerDecodeHook),
    Client(ClientDecodeHook),
}

#[derive(Clone, Copy, Debug)]
struct Patch {
    id: u16,
    builds: crate::build::BuildRange,
    hook: Hook,
}

/// What a [`PacketDecoder`] has tolerated so far.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tolerated {
    /// Packets skipped because the build does not know them.
    pub skipped_packets: u64,
    /// Bytes left after fully read payloads.
    pub trailing_bytes: u64,
}

/// Typed packets from frames, for one connection. See the [module docs](self).
#[derive(Clone, Debug)]
pub struct PacketDecoder {
    ctx: Context,
    limits: Limits,
    strictness: Strictness,
    patches: Vec<Patch>,
    tolerated: Tolerated,
}

impl PacketDecoder {
    /// Packets to or from a client of `ctx`'s build, leniently, with the default limits.
    pub fn new(ctx: Context) -> Self {
        Self {
            ctx,
            limits: Limits::DEFAULT,
            strictness: Strictness::Lenient,
            patches: Vec::new(),
            tolerated: Tolerated::default(),
        }
    }

    /// With another strictness.
    #[must_use]
    pub fn with_strictness(mut self, strictness: Strictness) -> Self {
        self.strictness = strictness;
        self
    }

    /// With other limits.
    #[must_use]
    pub fn with_limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// With another context (for example after the client's protocol version is known).
    #[must_use]
    pub fn with_context(mut self, ctx: Context) -> Self {
        self.ctx = ctx;
        self
    }

    /// The context packets are read for.
    pub fn context(&self) -> Context {
        self.ctx
    }

    /// Reads server packet `id` with `hook` in the builds `builds`, instead of the
    /// catalog's type. The last patch added for a packet and build wins.
    pub fn patch_decoder(&mut self, id: u16, builds: crate::build::BuildRange, hook: ServerDecodeHook) {
        self.patches.push(Patch { id, builds, hook: Hook::Server(hook) });
    }

    /// Reads client packet `id` with `hook` in the builds `builds`.
    pub fn patch_client_decoder(
        &mut self,
        id: u16,
        builds: crate::build::BuildRange,
        hook: ClientDecodeHook,
    ) {
        self.patches.push(Patch { id, builds, hook: Hook::Client(hook) });
    }

    /// What has been tolerated so far.
    pub fn tolerated(&self) -> Tolerated {
        self.tolerated
    }

    /// Whether a decoding error means "this build has no such packet" (skippable).
    fn is_unknown(error: &DecodeError) -> bool {
        matches!(
            error.kind(),
            DecodeErrorKind::UnknownPacketId { .. } | DecodeErrorKind::PacketNotInBuild { .. }
        )
    }

    fn skip_or<T>(&mut self, error: DecodeError) -> Result<Option<T>, DecodeError> {
        if self.strictness == Strictness::Lenient && Self::is_unknown(&error) {
            self.tolerated.skipped_packets += 1;
            Ok(None)
        } else {
            Err(error)
        }
    }

    fn finish(&mut self, reader: &Reader<'_>, frame: &FrameRef<'_>) -> Result<(), DecodeError> {
        let left = reader.remaining();
        if left == 0 {
            return Ok(());
        }
        match self.strictness {
            Strictness::Strict => {
                Err(reader.error(DecodeErrorKind::TrailingBytes(left)).shifted(frame.base()))
            }
            Strictness::Lenient => {
                self.tolerated.trailing_bytes += left as u64;
                Ok(())
            }
        }
    }

    /// The server packet in `frame`: `Ok(None)` if it was skipped (lenient mode, a packet
    /// the build does not have). Error offsets are stream offsets.
    #[inline]
    pub fn decode_server<'f>(
        &mut self,
        frame: &'f RawFrame,
    ) -> Result<Option<ServerPacket<'f>>, DecodeError> {
        self.decode_server_ref(FrameRef::raw(frame))
    }

    /// The client packet in `frame`; see [`decode_server`](Self::decode_server).
    #[inline]
    pub fn decode_client<'f>(
        &mut self,
        frame: &'f RawFrame,
    ) -> Result<Option<ClientPacket<'f>>, DecodeError> {
        self.decode_client_ref(FrameRef::raw(frame))
    }

    /// The server packet in a frame lent by [`FrameDecoder::feed`] (or read by
    /// [`Frames`](crate::framing::Frames)); see [`decode_server`](Self::decode_server).
    #[inline]
    pub fn decode_server_frame<'f>(
        &mut self,
        frame: &'f Frame<'_>,
    ) -> Result<Option<ServerPacket<'f>>, DecodeError> {
        self.decode_server_ref(FrameRef::borrowed(frame, self.ctx))
    }

    /// The client packet in a frame lent by [`FrameDecoder::feed`] (or read by
    /// [`Frames`](crate::framing::Frames)); see [`decode_server`](Self::decode_server).
    #[inline]
    pub fn decode_client_frame<'f>(
        &mut self,
        frame: &'f Frame<'_>,
    ) -> Result<Option<ClientPacket<'f>>, DecodeError> {
        self.decode_client_ref(FrameRef::borrowed(frame, self.ctx))
    }

    #[inline]
    fn decode_server_ref<'f>(
        &mut self,
        frame: FrameRef<'f>,
    ) -> Result<Option<ServerPacket<'f>>, DecodeError> {
        self.decode_with(
            frame,
            |hook, payload, ctx| match hook {
                Hook::Server(hook) => Some(hook(payload, ctx)),
                Hook::Client(_) => None,
            },
            ServerPacket::decode_from_reader,
        )
    }

    #[inline]
    fn decode_client_ref<'f>(
        &mut self,
        frame: FrameRef<'f>,
    ) -> Result<Option<ClientPacket<'f>>, DecodeError> {
        self.decode_with(
            frame,
            |hook, payload, ctx| match hook {
                Hook::Client(hook) => Some(hook(payload, ctx)),
                Hook::Server(_) => None,
            },
            ClientPacket::decode_from_reader,
        )
    }

    /// Decodes `frame` with the latest patch of this direction for its id and build
    /// (`patched` runs a hook, or returns `None` for the other direction's), else with
    /// `decode`, under the strictness rules.
    #[inline]
    fn decode_with<'f, P>(
        &mut self,
        frame: FrameRef<'f>,
        patched: impl Fn(Hook, &'f [u8], Context) -> Option<Result<P, DecodeError>>,
        decode: impl FnOnce(u16, &mut Reader<'f>, Context) -> Result<P, DecodeError>,
    ) -> Result<Option<P>, DecodeError> {
        let (ctx, build) = (self.ctx, self.ctx.build());
        let Some(id) = frame.id else {
            let error =
                DecodeError::new(DecodeErrorKind::UnknownPacketId { id: frame.wire_id, build }, frame.start);
            return self.skip_or(error);
        };
        if !self.patches.is_empty() {
            let mut patches =
                self.patches.iter().rev().filter(|patch| patch.id == id && patch.builds.contains(build));
            if let Some(result) = patches.find_map(|patch| patched(patch.hook, frame.payload, ctx)) {
                return result.map(Some).map_err(|error| error.shifted(frame.base()));
            }
        }
        let mut reader = Reader::new(frame.payload).with_limits(self.limits);
        match decode(id, &mut reader, ctx) {
            Ok(packet) => self.finish(&reader, &frame).map(|()| Some(packet)),
            Err(error) => self.skip_or(error.shifted(frame.base())),
        }
    }
}

/// What [`PacketDecoder`] needs of a frame, from a [`RawFrame`] or a borrowed [`Frame`].
#[derive(Clone, Copy)]
struct FrameRef<'f> {
    wire_id: u16,
    id: Option<u16>,
    payload: &'f [u8],
    /// Where the frame starts in the stream.
    start: usize,
    header_len: usize,
}

impl<'f> FrameRef<'f> {
    #[inline]
    fn raw(frame: &'f RawFrame) -> Self {
        Self {
            wire_id: frame.wire_id,
            id: frame.id,
            payload: &frame.payload,
            start: usize::try_from(frame.offset).unwrap_or(usize::MAX),
            header_len: usize::from(frame.header_len),
        }
    }

    #[inline]
    fn borrowed(frame: &'f Frame<'_>, ctx: Context) -> Self {
        Self {
            wire_id: frame.wire_id,
            id: frame.id,
            payload: &frame.payload,
            start: frame.offset,
            header_len: crate::frame::HeaderFormat::for_build(ctx.build()).size(),
        }
    }

    /// Error offsets inside a payload are shifted to the stream: they point at the byte
    /// for raw payloads; for inflated ones they count inflated bytes from the payload's
    /// start.
    #[inline]
    fn base(&self) -> usize {
        self.start.saturating_add(self.header_len)
    }
}

/// A replacement for how one server packet's payload is written: append the payload
/// (without header) to the vector.
pub type ServerEncodeHook = fn(&ServerPacket<'_>, Context, &mut Vec<u8>) -> Result<(), EncodeError>;

/// Writes server packets for one connection, with that connection's replacements for how
/// single packets are written (the counterpart of [`PacketDecoder::patch_decoder`]).
#[derive(Clone, Debug)]
pub struct PacketEncoder {
    ctx: Context,
    patches: Vec<(u16, crate::build::BuildRange, ServerEncodeHook)>,
}

impl PacketEncoder {
    /// An encoder for `ctx`'s build with no patches.
    pub const fn new(ctx: Context) -> Self {
        Self { ctx, patches: Vec::new() }
    }

    /// Writes server packet `id` with `hook` in the builds `builds`. The last patch added
    /// for a packet and build wins.
    pub fn patch_encoder(&mut self, id: u16, builds: crate::build::BuildRange, hook: ServerEncodeHook) {
        self.patches.push((id, builds, hook));
    }

    /// Writes `packet`, framed for the connection's build, into `buf`. A patched packet is
    /// built in a temporary buffer (its length is not known up front); others are not.
    pub fn write<B: bytes::BufMut + ?Sized>(
        &self,
        packet: &ServerPacket<'_>,
        buf: &mut B,
    ) -> Result<(), EncodeError> {
        let build = self.ctx.build();
        let hook =
            self.patches.iter().rev().find(|(id, builds, _)| *id == packet.id() && builds.contains(build));
        match hook {
            None => packet.write(buf, self.ctx, CompressionChoice::BuildDefault),
            Some((_, _, hook)) => {
                let mut payload = Vec::new();
                hook(packet, self.ctx, &mut payload)?;
                crate::framing::write_frame(
                    packet.wire_id(self.ctx),
                    &crate::Trailing(payload.into()),
                    self.ctx,
                    CompressionChoice::BuildDefault,
                    buf,
                )
            }
        }
    }
}

/// Every frame of one HTTP body (or any buffer holding whole packets).
///
/// Unlike streaming, a body that ends inside a frame is an error.
pub fn body_frames(body: &[u8], ctx: Context, limits: Limits) -> Result<Vec<RawFrame>, DecodeError> {
    let mut buffer = BytesMut::from(body);
    let mut decoder = FrameDecoder::with_limits(ctx, limits);
    let mut frames = Vec::new();
    while let Some(frame) = decoder.decode_eof(&mut buffer)? {
        frames.push(frame);
    }
    Ok(frames)
}

/// Writes many server packets into one body for `ctx`'s build.
pub fn write_body<'p>(
    packets: impl IntoIterator<Item = &'p ServerPacket<'p>>,
    ctx: Context,
    body: &mut Vec<u8>,
) -> Result<(), EncodeError> {
    for packet in packets {
        packet.write(body, ctx, CompressionChoice::BuildDefault)?;
    }
    Ok(())
}

/// Blocking helpers over `std::io`.
pub mod io {
    use std::io::{Read, Write};

    use bytes::BytesMut;

    use super::{FrameDecoder, RawFrame};
    use crate::catalog::ServerPacket;
    use crate::framing::CompressionChoice;
    use crate::{Context, DecodeError, Encode};

    /// An error reading frames from a `Read`.
    #[derive(Debug, thiserror::Error)]
    pub enum ReadError {
        /// The reader failed.
        #[error("reading the stream: {0}")]
        Io(#[from] std::io::Error),
        /// The bytes are not valid frames.
        #[error(transparent)]
        Decode(#[from] DecodeError),
    }

    /// Reads frames from a blocking reader.
    #[derive(Debug)]
    pub struct FrameReader<R> {
        reader: R,
        decoder: FrameDecoder,
        buffer: BytesMut,
    }

    impl<R: Read> FrameReader<R> {
        /// Frames of `reader` for `decoder`'s build and limits.
        pub fn new(reader: R, decoder: FrameDecoder) -> Self {
            Self { reader, decoder, buffer: BytesMut::with_capacity(8 * 1024) }
        }

        /// The next frame, or `None` at the end of the stream between frames.
        pub fn read_frame(&mut self) -> Result<Option<RawFrame>, ReadError> {
            loop {
                if let Some(frame) = self.decoder.decode(&mut self.buffer)? {
                    return Ok(Some(frame));
                }
                let mut chunk = [0u8; 8 * 1024];
                let n = self.reader.read(&mut chunk)?;
                if n == 0 {
                    return Ok(self.decoder.decode_eof(&mut self.buffer)?);
                }
                self.buffer.extend_from_slice(&chunk[..n]);
            }
        }
    }

    /// Writes one server packet, framed for `ctx`'s build, to a blocking writer.
    pub fn write_packet<W: Write>(
        writer: &mut W,
        packet: &ServerPacket<'_>,
        ctx: Context,
    ) -> std::io::Result<()> {
        let mut frame = Vec::with_capacity(packet.encoded_len(ctx) + 7);
        packet
            .write(&mut frame, ctx, CompressionChoice::BuildDefault)
            .map_err(|error| std::io::Error::new(std::io::ErrorKind::InvalidInput, error))?;
        writer.write_all(&frame)
    }
}

/// `tokio_util::codec` adapters (feature `tokio`).
#[cfg(feature = "tokio")]
pub mod codec {
    use bytes::BytesMut;

    use super::{FrameDecoder, RawFrame};
    use crate::catalog::ServerPacket;
    use crate::framing::CompressionChoice;
    use crate::{Context, DecodeError, EncodeError};

    /// An error of the codec: the transport's, or the bytes'.
    #[derive(Debug, thiserror::Error)]
    pub enum CodecError {
        /// The transport failed.
        #[error("transport: {0}")]
        Io(#[from] std::io::Error),
        /// The bytes are not valid frames.
        #[error(transparent)]
        Decode(#[from] DecodeError),
        /// A packet could not be encoded.
        #[error(transparent)]
        Encode(#[from] EncodeError),
    }

    /// A `tokio_util` codec: decodes [`RawFrame`]s and encodes [`ServerPacket`]s, both for
    /// one build.
    #[derive(Clone, Debug)]
    pub struct BanchoCodec {
        decoder: FrameDecoder,
    }

    impl BanchoCodec {
        /// A codec for `decoder`'s build and limits.
        pub const fn new(decoder: FrameDecoder) -> Self {
            Self { decoder }
        }

        fn ctx(&self) -> Context {
            self.decoder.context()
        }
    }

    impl tokio_util::codec::Decoder for BanchoCodec {
        type Item = RawFrame;
        type Error = CodecError;

        fn decode(&mut self, src: &mut BytesMut) -> Result<Option<RawFrame>, CodecError> {
            Ok(self.decoder.decode(src)?)
        }

        fn decode_eof(&mut self, src: &mut BytesMut) -> Result<Option<RawFrame>, CodecError> {
            Ok(self.decoder.decode_eof(src)?)
        }
    }

    impl tokio_util::codec::Encoder<&ServerPacket<'_>> for BanchoCodec {
        type Error = CodecError;

        fn encode(&mut self, packet: &ServerPacket<'_>, dst: &mut BytesMut) -> Result<(), CodecError> {
            let start = dst.len();
            let result = packet.write(dst, self.ctx(), CompressionChoice::BuildDefault);
            if result.is_err() {
                // Leave no partial frame behind.
                dst.truncate(start);
            }
            Ok(result?)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chat::{BanchoIrcChangeUsername, BanchoMessage, Message};
    use crate::framing::{Frames, write_packet};
    use crate::login::BanchoLoginReply;
    use crate::session::BanchoPing;

    fn stream(ctx: Context) -> Vec<u8> {
        let mut wire = Vec::new();
        write_packet(&BanchoLoginReply(1000), ctx, &mut wire).unwrap();
        write_packet(&BanchoPing, ctx, &mut wire).unwrap();
        let long = "a long name>>>>".repeat(20);
        write_packet(&BanchoIrcChangeUsername(long.as_str().into()), ctx, &mut wire).unwrap();
        let message = Message {
            sender: "peppy".into(),
            content: "hello".into(),
            is_dm: false,
            target: "#osu".into(),
            sender_id: 2,
        };
        write_packet(&BanchoMessage(message), ctx, &mut wire).unwrap();
        wire
    }

    /// `feed` lends the same frames as `Frames` over the whole buffer, at the same offsets,
    /// for every piece size, compressed or not.
    #[test]
    fn feed_matches_frames_for_every_piece_size() {
        for build in [20250306, 1797, 282] {
            let ctx = Context::new(build);
            let wire = stream(ctx);
            let whole: Vec<_> = Frames::new(&wire, ctx, Limits::DEFAULT).map(Result::unwrap).collect();
            assert_eq!(whole.len(), 4);
            for size in 1..=wire.len() {
                let mut decoder = FrameDecoder::new(ctx);
                let mut lent = Vec::new();
                for piece in wire.chunks(size) {
                    decoder
                        .feed(piece, |frame| {
                            lent.push(Frame { payload: Cow::Owned(frame.payload.into_owned()), ..frame });
                            Ok::<_, DecodeError>(())
                        })
                        .unwrap();
                }
                decoder.finish().unwrap();
                assert_eq!(lent, whole, "b{build}, pieces of {size}");
                assert_eq!(decoder.position(), wire.len() as u64);
            }
        }
    }

    /// A frame over the cap is refused as soon as its header is in, before its payload;
    /// a stream that ends inside a frame is an error at `finish`.
    #[test]
    fn feed_checks_lengths_early_and_ends_cleanly() {
        let ctx = Context::new(20250306);
        let limits = Limits { max_frame_len: 16, ..Limits::DEFAULT };
        let mut decoder = FrameDecoder::with_limits(ctx, limits);
        let header = [24, 0, 0, 200, 0, 0, 0];
        decoder.feed(&header[..3], |_| Ok::<_, DecodeError>(())).unwrap();
        let error = decoder.feed(&header[3..], |_| Ok::<_, DecodeError>(())).unwrap_err();
        assert!(matches!(error.kind(), DecodeErrorKind::LimitExceeded { .. }), "{error}");
        assert!(decoder.partial.capacity() < 200);

        let wire = stream(ctx);
        let mut decoder = FrameDecoder::new(ctx);
        decoder.feed(&wire[..wire.len() - 1], |_| Ok::<_, DecodeError>(())).unwrap();
        let error = decoder.finish().unwrap_err();
        assert!(matches!(error.kind(), DecodeErrorKind::UnexpectedEnd { .. }), "{error}");
        let mut decoder = FrameDecoder::new(ctx);
        decoder.feed(&wire[..3], |_| Ok::<_, DecodeError>(())).unwrap();
        assert!(decoder.finish().is_err());

        // An error from the callback ends the call with it.
        let mut decoder = FrameDecoder::new(ctx);
        let stop = DecodeError::new(DecodeErrorKind::Custom("stop".into()), 0);
        let error = decoder.feed(&wire, |_| Err(stop.clone())).unwrap_err();
        assert_eq!(error, stop);
    }

    /// `decode_server_frame` reads lent frames as `decode_server` reads owned ones.
    #[test]
    fn packet_decoder_reads_lent_frames() {
        let ctx = Context::new(20250306);
        let wire = stream(ctx);
        let mut packets = PacketDecoder::new(ctx);
        let mut names = Vec::new();
        FrameDecoder::new(ctx)
            .feed(&wire, |frame| {
                names.push(packets.decode_server_frame(&frame)?.map(|p| p.name()));
                Ok::<_, DecodeError>(())
            })
            .unwrap();
        let frames = body_frames(&wire, ctx, Limits::DEFAULT).unwrap();
        let owned: Vec<_> =
            frames.iter().map(|frame| packets.decode_server(frame).unwrap().map(|p| p.name())).collect();
        assert_eq!(names, owned);
        assert_eq!(names.len(), 4);
    }
}
