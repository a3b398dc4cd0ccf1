//! Typed packets from frames and into frames, for one connection: [`PacketDecoder`] and
//! [`PacketEncoder`], generic over the [`PacketSet`] they read or write.

use super::decoder::FrameDecoder;
use super::feeder::FrameFeeder;
use super::frame::{Frame, Frames, to_usize};
use crate::build::BuildRange;
use crate::context::Context;
use crate::error::{DecodeError, DecodeErrorKind, EncodeError};
use crate::frame::{Compression, FrameWriter, GzipLevel};
use crate::limits::Limits;
use crate::packet::{DecodeFn, DecodeHook, EncodeHook, LendFn, PacketSet};
use crate::reader::Reader;
use core::mem::ManuallyDrop;

/// How strictly a [`PacketDecoder`] treats input real servers and clients get away with.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Strictness {
    /// A frame the build has no packet of the set for passes through as
    /// [`Decoded::Raw`], and bytes after a fully read payload (some servers pad payloads)
    /// are handed back as `trailing`; both are counted in [`Tolerated`].
    #[default]
    Lenient,
    /// Both are errors.
    Strict,
}

/// What a [`PacketDecoder`] has let through so far.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Tolerated {
    /// Frames passed through raw because the build has no packet of the set for them.
    pub raw_frames: u64,
    /// Bytes left after fully read payloads.
    pub trailing_bytes: u64,
}

/// What [`PacketDecoder::decode`] made of one frame.
///
/// How many payload bytes the packet used, and so the bytes after it, are
/// [`PacketDecoder::used`].
pub enum Decoded<'f, S: PacketSet> {
    /// A packet of the set, borrowing from the frame.
    Packet(S::Packet<'f>),
    /// A frame the build has no packet of the set for (an unknown id, or a packet of
    /// other builds), kept whole in lenient mode: [`Frame::write`] puts it back on the
    /// wire unchanged.
    Raw(&'f Frame<'f>),
}

impl<'f, S: PacketSet> Decoded<'f, S> {
    /// The packet, if the frame held one of the set.
    pub fn packet(&self) -> Option<&S::Packet<'f>> {
        match self {
            Self::Packet(packet) => Some(packet),
            Self::Raw(_) => None,
        }
    }

    /// The packet by value, if the frame held one of the set.
    pub fn into_packet(self) -> Option<S::Packet<'f>> {
        match self {
            Self::Packet(packet) => Some(packet),
            Self::Raw(_) => None,
        }
    }

    /// The packet or the frame, lent as [`PacketDecoder::visit`] lends them.
    pub fn lend(&self) -> Lent<'_, 'f, S> {
        match self {
            Self::Packet(packet) => Lent::Packet(packet),
            Self::Raw(frame) => Lent::Raw(frame),
        }
    }
}

/// What [`PacketDecoder::visit`] lends for one frame: [`Decoded`] by reference, the
/// packet left where it was decoded.
pub enum Lent<'p, 'f, S: PacketSet> {
    /// A packet of the set, borrowing from the frame.
    Packet(&'p S::Packet<'f>),
    /// A frame the build has no packet of the set for, in lenient mode
    /// ([`Decoded::Raw`]).
    Raw(&'f Frame<'f>),
}

impl<'p, 'f, S: PacketSet> Lent<'p, 'f, S> {
    /// The packet, if the frame held one of the set.
    pub fn packet(&self) -> Option<&'p S::Packet<'f>> {
        match self {
            Self::Packet(packet) => Some(packet),
            Self::Raw(_) => None,
        }
    }
}

impl<S: PacketSet> Clone for Lent<'_, '_, S> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<S: PacketSet> Copy for Lent<'_, '_, S> {}

impl<S: PacketSet> core::fmt::Debug for Lent<'_, '_, S> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::Packet(packet) => f.debug_tuple("Packet").field(packet).finish(),
            Self::Raw(frame) => f.debug_tuple("Raw").field(frame).finish(),
        }
    }
}

/// How [`PacketDecoder`] goes on with a frame: decided already (no packet id, or a
/// patched packet), the decoder the connection's table holds for its id, or the set's
/// decoding of packet `id`.
enum Start<'f, S: PacketSet> {
    Done(Result<Decoded<'f, S>, DecodeError>),
    Decoder(DecodeFn<S>),
    Id(u16),
}

/// Canonical ids below this have a slot in a decoder's [`DecoderTable`].
const DECODER_SLOTS: usize = 128;

/// For each canonical id below [`DECODER_SLOTS`], one plus the index in
/// [`PacketSet::DECODERS`] of its decoder in the connection's build, or 0 for a frame
/// that goes the general way (no decoder in the table, or a patch for it), with
/// [`DROPS_NOTHING`] set when its packets free nothing when dropped there
/// ([`PacketSet::drops_nothing`]). Looked up once per connection (and again when its
/// build or patches change), so that a frame costs one load instead of the search
/// through the packet types of its id and their builds.
#[derive(Clone, Copy)]
struct DecoderTable {
    entries: [u16; DECODER_SLOTS],
}

/// The bit of a [`DecoderTable`] entry that says its packets free nothing when dropped:
/// kept in the entry, so that one load answers both.
const DROPS_NOTHING: u16 = 0x8000;

impl DecoderTable {
    /// The table of set `S` for `build`, leaving out the ids `patches` replace there.
    fn new<S: PacketSet>(build: u32, patches: &[DecodePatch<S>]) -> Self {
        let mut table = Self { entries: [0; DECODER_SLOTS] };
        for (id, entry) in (0u16..).zip(table.entries.iter_mut()) {
            if patches.iter().any(|patch| patch.id == id && patch.builds.contains(build)) {
                continue;
            }
            // A set of more decoders than the entry has room for reads the rest through
            // `decode`, as it does an index out of `DECODERS` (`get` finds no decoder
            // there).
            let Some(index) = S::decoder_index(id, build) else { continue };
            let Some(slot) = index.checked_add(1).and_then(|slot| u16::try_from(slot).ok()) else { continue };
            if slot >= DROPS_NOTHING {
                continue;
            }
            *entry = slot;
            if S::drops_nothing(index, build) {
                *entry |= DROPS_NOTHING;
            }
        }
        table
    }

    /// The entry of canonical id `id`: 0 when the table holds none.
    #[inline(always)]
    fn entry(&self, id: u16) -> u16 {
        self.entries.get(usize::from(id)).copied().unwrap_or(0)
    }

    /// The index in [`PacketSet::DECODERS`] of the decoder of an entry, if it has one.
    #[inline(always)]
    fn index(entry: u16) -> Option<usize> {
        usize::from(entry & !DROPS_NOTHING).checked_sub(1)
    }

    /// The decoder of canonical id `id`, if the table holds one.
    #[inline(always)]
    fn get<S: PacketSet>(&self, id: u16) -> Option<DecodeFn<S>> {
        S::DECODERS.get(Self::index(self.entry(id))?).copied()
    }

    /// The lender of canonical id `id` ([`PacketSet::LENDERS`]), if the table holds one,
    /// and whether its packets free nothing when dropped.
    #[inline(always)]
    fn lender<S: PacketSet>(&self, id: u16) -> Option<(LendFn<S>, bool)> {
        let entry = self.entry(id);
        let lend = *S::LENDERS.get(Self::index(entry)?)?;
        Some((lend, entry & DROPS_NOTHING != 0))
    }
}

impl core::fmt::Debug for DecoderTable {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let held = self.entries.iter().filter(|&&entry| entry != 0).count();
        f.debug_struct("DecoderTable").field("ids", &held).finish()
    }
}

impl<S: PacketSet> Clone for Decoded<'_, S> {
    fn clone(&self) -> Self {
        match self {
            Self::Packet(packet) => Self::Packet(packet.clone()),
            Self::Raw(frame) => Self::Raw(frame),
        }
    }
}

impl<S: PacketSet> core::fmt::Debug for Decoded<'_, S> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::Packet(packet) => f.debug_tuple("Packet").field(packet).finish(),
            Self::Raw(frame) => f.debug_tuple("Raw").field(frame).finish(),
        }
    }
}

/// A replacement for how one packet is read, for a packet id and a window of builds.
#[derive(Clone, Copy, Debug)]
struct DecodePatch<S: PacketSet> {
    id: u16,
    builds: BuildRange,
    hook: DecodeHook<S>,
}

/// Typed packets of set `S` from frames, for one connection: its [`Context`] (build,
/// protocol and slot count), its [`Limits`], its [`Strictness`], and its own replacements
/// for how single packets are read ([`patch`](Self::patch)), owned by the value rather
/// than registered globally.
///
/// It also makes the frame readers of its connection, with its context and limits:
/// [`frames`](Self::frames) for a buffer of whole frames, [`frame_decoder`](Self::frame_decoder)
/// for a `BytesMut`, [`feeder`](Self::feeder) for borrowed pieces.
#[derive(Clone, Debug)]
pub struct PacketDecoder<S: PacketSet> {
    ctx: Context,
    limits: Limits,
    strictness: Strictness,
    patches: Vec<DecodePatch<S>>,
    /// The decoder of each id in `ctx`'s build, patched ids left out.
    decoders: DecoderTable,
    tolerated: Tolerated,
    /// Payload bytes the last decoded packet used.
    used: usize,
}

impl<S: PacketSet> PacketDecoder<S> {
    /// A lenient decoder for `ctx` with the default [`Limits`].
    ///
    /// It looks up the payload decoder of every packet id for the build here, once (and
    /// again when the build or the patches change), so that a frame costs one table load
    /// rather than a search through the packet types of its id.
    pub fn new(ctx: Context) -> Self {
        Self {
            ctx,
            limits: Limits::DEFAULT,
            strictness: Strictness::Lenient,
            patches: Vec::new(),
            decoders: DecoderTable::new::<S>(ctx.build(), &[]),
            tolerated: Tolerated { raw_frames: 0, trailing_bytes: 0 },
            used: 0,
        }
    }

    /// The same decoder with another strictness.
    #[must_use]
    pub fn with_strictness(self, strictness: Strictness) -> Self {
        Self { strictness, ..self }
    }

    /// The same decoder with other limits (for its payloads and the readers it makes).
    #[must_use]
    pub fn with_limits(self, limits: Limits) -> Self {
        Self { limits, ..self }
    }

    /// The context packets are read for.
    pub const fn context(&self) -> Context {
        self.ctx
    }

    /// Sets the context (after protocol negotiation, say).
    pub fn set_context(&mut self, ctx: Context) {
        if ctx.build() != self.ctx.build() {
            self.decoders = DecoderTable::new(ctx.build(), &self.patches);
        }
        self.ctx = ctx;
    }

    /// The limits in force.
    pub const fn limits(&self) -> Limits {
        self.limits
    }

    /// What has been let through so far.
    pub const fn tolerated(&self) -> Tolerated {
        self.tolerated
    }

    /// How many payload bytes the packet of the last [`decode`](Self::decode) used: the
    /// bytes after them (`&frame.payload[decoder.used()..]`) are what a lenient decoder
    /// tolerated, empty otherwise. Zero after a raw frame.
    pub const fn used(&self) -> usize {
        self.used
    }

    /// Reads packet `id` (canonical) with `hook` in the builds `builds`, instead of the
    /// set's own decoding. The last patch added for a packet and build wins.
    pub fn patch(&mut self, id: u16, builds: BuildRange, hook: DecodeHook<S>) {
        self.patches.push(DecodePatch { id, builds, hook });
        self.decoders = DecoderTable::new(self.ctx.build(), &self.patches);
    }

    /// The frames of `bytes`, a buffer of whole frames, for this decoder's context and
    /// limits. The reader borrows `bytes`, not the decoder.
    pub fn frames<'b>(&self, bytes: &'b [u8]) -> Frames<'b, S> {
        Frames::new(bytes, self.ctx).with_limits(self.limits)
    }

    /// A [`FrameDecoder`] (for a `BytesMut`) with this decoder's context and limits.
    pub fn frame_decoder(&self) -> FrameDecoder<S> {
        FrameDecoder::new(self.ctx).with_limits(self.limits)
    }

    /// A [`FrameFeeder`] (for borrowed pieces) with this decoder's context and limits.
    pub fn feeder(&self) -> FrameFeeder<S> {
        FrameFeeder::new(self.ctx).with_limits(self.limits)
    }

    /// The packet in `frame`.
    ///
    /// An error in a payload leaves the stream's framing intact: the next frame can be
    /// decoded (a server answers the bad packet and goes on). Error offsets are stream
    /// offsets; inside a compressed payload they count its inflated bytes.
    // Always inlined: the packet is then decoded straight into the caller's `Decoded`
    // instead of being built here and copied out (a packet enum is large).
    #[inline(always)]
    pub fn decode<'f>(&mut self, frame: &'f Frame<'_>) -> Result<Decoded<'f, S>, DecodeError> {
        let mut reader = Reader::new(&frame.payload).with_limits(self.limits);
        let result = match self.start(frame) {
            Start::Done(decoded) => return decoded,
            Start::Decoder(decode) => decode(&mut reader, self.ctx),
            Start::Id(id) => S::decode(id, &mut reader, self.ctx),
        };
        match result {
            // The common case, first and alone: the packet goes straight into the result.
            Ok(packet) if reader.is_empty() => {
                self.used = frame.payload.len();
                Ok(Decoded::Packet(packet))
            }
            Ok(packet) => self.trailing(packet, &reader, frame),
            Err(error) => self.failed(frame, error),
        }
    }

    /// [`decode`](Self::decode), the result lent to `visit` where it was decoded instead
    /// of returned: the packet is not moved (a packet enum is large; 7 % of the
    /// instructions of decoding the login burst), which suits a consumer that handles
    /// packets by reference. Errors are [`decode`](Self::decode)'s, and `visit` is not
    /// called.
    ///
    /// ```
    /// use chio_core::wire::{Lent, PacketDecoder};
    /// # use chio_core::Context;
    /// # fn run<S: chio_core::PacketSet>(bytes: &[u8], ctx: Context) -> Result<(), chio_core::DecodeError> {
    /// let mut packets = PacketDecoder::<S>::new(ctx);
    /// for frame in packets.frames(bytes) {
    ///     let frame = frame?;
    ///     packets.visit(&frame, |lent| match lent {
    ///         Lent::Packet(packet) => println!("{}", S::name(packet)),
    ///         Lent::Raw(frame) => println!("raw frame {}", frame.wire_id),
    ///     })?;
    /// }
    /// # Ok(()) }
    /// ```
    #[inline(always)]
    pub fn visit<'f, R>(
        &mut self,
        frame: &'f Frame<'_>,
        visit: impl FnOnce(Lent<'_, 'f, S>) -> R,
    ) -> Result<R, DecodeError> {
        self.used = 0;
        let Some((lend, drops_nothing)) = frame.id.and_then(|id| self.decoders.lender::<S>(id)) else {
            // No lender for the frame (a set without them, a patch, no packet id): as
            // `decode` does, the packet moved once.
            return self.decode_moved(frame).map(|decoded| visit(decoded.lend()));
        };
        let mut reader = Reader::new(&frame.payload).with_limits(self.limits);
        // Decoded where it stays, in a `ManuallyDrop`: a packet that frees nothing is not
        // dropped (the drop glue of a packet enum tests every string and list of its
        // variant; 7 % of the instructions of decoding the login burst).
        let result = lend(&mut reader, self.ctx);
        // Lent in place: the common case never moves the packet.
        if let Ok(packet) = &*result
            && reader.is_empty()
        {
            self.used = frame.payload.len();
            let visited = visit(Lent::Packet(packet));
            if !drops_nothing {
                drop(ManuallyDrop::into_inner(result));
            }
            return Ok(visited);
        }
        match ManuallyDrop::into_inner(result) {
            Ok(packet) => self.trailing(packet, &reader, frame).map(|decoded| visit(decoded.lend())),
            Err(error) => self.failed(frame, error).map(|decoded| visit(decoded.lend())),
        }
    }

    /// [`decode`](Self::decode) out of line: [`visit`](Self::visit) of a frame without a
    /// lender.
    #[inline(never)]
    fn decode_moved<'f>(&mut self, frame: &'f Frame<'_>) -> Result<Decoded<'f, S>, DecodeError> {
        self.decode(frame)
    }

    /// What comes before the set's decoding: the decoder of the frame's packet, the id
    /// to decode, or, for a frame without one or a patched packet, the result.
    #[inline(always)]
    fn start<'f>(&mut self, frame: &'f Frame<'_>) -> Start<'f, S> {
        self.used = 0;
        match frame.id.and_then(|id| self.decoders.get::<S>(id)) {
            Some(decode) => Start::Decoder(decode),
            None => self.start_aside(frame),
        }
    }

    /// [`start`](Self::start) off the common path: no packet id, no decoder in the table
    /// for it, or patches to look at.
    #[cold]
    #[inline(never)]
    fn start_aside<'f>(&mut self, frame: &'f Frame<'_>) -> Start<'f, S> {
        let (ctx, build) = (self.ctx, self.ctx.build());
        let Some(id) = frame.id else {
            let error = DecodeError::new(
                DecodeErrorKind::UnknownPacketId { id: frame.wire_id, build },
                to_usize(frame.offset),
            );
            return Start::Done(self.raw_or(frame, error));
        };
        let Some(patch) =
            self.patches.iter().rev().find(|patch| patch.id == id && patch.builds.contains(build))
        else {
            return Start::Id(id);
        };
        let payload: &'f [u8] = &frame.payload;
        Start::Done(match (patch.hook)(payload, ctx) {
            Ok(packet) => {
                self.used = payload.len();
                Ok(Decoded::Packet(packet))
            }
            Err(error) => Err(error.shifted(to_usize(frame.payload_offset(ctx)))),
        })
    }

    /// A packet read with bytes left after it: tolerated (counted) in lenient mode, an
    /// error in strict mode.
    #[cold]
    fn trailing<'f>(
        &mut self,
        packet: S::Packet<'f>,
        reader: &Reader<'_>,
        frame: &Frame<'_>,
    ) -> Result<Decoded<'f, S>, DecodeError> {
        let left = reader.remaining();
        self.used = frame.payload.len() - left;
        let base = to_usize(frame.payload_offset(self.ctx));
        match self.strictness {
            Strictness::Strict => Err(reader.error(DecodeErrorKind::TrailingBytes(left)).shifted(base)),
            Strictness::Lenient => {
                self.tolerated.trailing_bytes += left as u64;
                Ok(Decoded::Packet(packet))
            }
        }
    }

    /// A payload that did not decode: a frame the build lacks passes raw in lenient mode
    /// (the error points at the frame); any other error is shifted to stream offsets.
    #[cold]
    fn failed<'f>(
        &mut self,
        frame: &'f Frame<'_>,
        error: DecodeError,
    ) -> Result<Decoded<'f, S>, DecodeError> {
        if is_absent(&error) {
            let error = DecodeError::new(error.kind().clone(), to_usize(frame.offset));
            self.raw_or(frame, error)
        } else {
            Err(error.shifted(to_usize(frame.payload_offset(self.ctx))))
        }
    }

    /// The frame raw in lenient mode, else `error`.
    fn raw_or<'f>(
        &mut self,
        frame: &'f Frame<'_>,
        error: DecodeError,
    ) -> Result<Decoded<'f, S>, DecodeError> {
        match self.strictness {
            Strictness::Lenient => {
                self.tolerated.raw_frames += 1;
                Ok(Decoded::Raw(frame))
            }
            Strictness::Strict => Err(error),
        }
    }
}

/// Whether a decoding error says "this build has no such packet".
fn is_absent(error: &DecodeError) -> bool {
    matches!(error.kind(), DecodeErrorKind::UnknownPacketId { .. } | DecodeErrorKind::PacketNotInBuild { .. })
}

/// A replacement for how one packet is written.
#[derive(Clone, Copy, Debug)]
struct EncodePatch<S: PacketSet> {
    id: u16,
    builds: BuildRange,
    hook: EncodeHook<S>,
}

/// Writes packets of set `S` for one connection: its [`Context`], its [`FrameWriter`]
/// (compression by the build's rule unless set, the [`GzipLevel`], and the deflate state
/// kept from frame to frame), and its own replacements for how single packets are
/// written ([`patch`](Self::patch), the counterpart of [`PacketDecoder::patch`]).
#[derive(Clone, Debug)]
pub struct PacketEncoder<S: PacketSet> {
    ctx: Context,
    frames: FrameWriter,
    patches: Vec<EncodePatch<S>>,
}

impl<S: PacketSet> PacketEncoder<S> {
    /// An encoder for `ctx` with the build's compression, the default [`GzipLevel`] and
    /// no patches.
    pub const fn new(ctx: Context) -> Self {
        Self { ctx, frames: FrameWriter::new(), patches: Vec::new() }
    }

    /// The same encoder compressing by `compression` instead of the build's rule.
    #[must_use]
    pub fn with_compression(self, compression: Compression) -> Self {
        Self { frames: self.frames.with_compression(compression), ..self }
    }

    /// The same encoder gzipping compressed payloads at `level` (builds before b1800).
    #[must_use]
    pub fn with_gzip_level(self, level: GzipLevel) -> Self {
        Self { frames: self.frames.with_gzip_level(level), ..self }
    }

    /// The context packets are written for.
    pub const fn context(&self) -> Context {
        self.ctx
    }

    /// Sets the context (after protocol negotiation, say).
    pub fn set_context(&mut self, ctx: Context) {
        self.ctx = ctx;
    }

    /// Writes packet `id` (canonical) with `hook` in the builds `builds`. The last patch
    /// added for a packet and build wins.
    pub fn patch(&mut self, id: u16, builds: BuildRange, hook: EncodeHook<S>) {
        self.patches.push(EncodePatch { id, builds, hook });
    }

    /// Writes `packet`, header and payload, into `buf`. An unpatched packet is encoded
    /// straight into `buf` (through the writer's buffer if it is compressed); a patched
    /// one through a temporary buffer (its length is not known up front). On error nothing
    /// is written to `buf`.
    #[inline]
    pub fn write<B: bytes::BufMut + ?Sized>(
        &mut self,
        packet: &S::Packet<'_>,
        buf: &mut B,
    ) -> Result<(), EncodeError> {
        let ctx = self.ctx;
        let hook = if self.patches.is_empty() {
            None
        } else {
            let id = S::id(packet);
            self.patches.iter().rev().find(|patch| patch.id == id && patch.builds.contains(ctx.build()))
        };
        match hook {
            None => S::write_with(packet, buf, ctx, &mut self.frames),
            Some(patch) => {
                let wire_id = crate::ids::wire_id(patch.id, ctx.build());
                let mut payload = Vec::new();
                (patch.hook)(packet, ctx, &mut payload)?;
                self.frames.write(wire_id, &crate::Trailing(payload.into()), buf, ctx)
            }
        }
    }

    /// Writes every packet of `packets` into `buf` (an HTTP response body, say).
    pub fn write_all<'p, 'a: 'p, B: bytes::BufMut + ?Sized>(
        &mut self,
        packets: impl IntoIterator<Item = &'p S::Packet<'a>>,
        buf: &mut B,
    ) -> Result<(), EncodeError> {
        for packet in packets {
            self.write(packet, buf)?;
        }
        Ok(())
    }
}
