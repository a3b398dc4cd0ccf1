//! What a packet is: [`Packet`], the identity of one packet type, and [`PacketSet`], the
//! packets one side sends, as the frame readers and writers see them.

use crate::build::BuildRange;
use crate::codec::Encode;
use crate::context::{Context, Direction};
use crate::error::{DecodeError, EncodeError, EncodeErrorKind};
use crate::frame::FrameWriter;
use crate::layout::Describe;
use crate::reader::Reader;

/// Identity of a packet type: its name, canonical id, sender and the builds that have it.
///
/// Derived by `#[derive(BanchoPacket)]`. The canonical id is the modern one; the id on the
/// wire of an older build may differ, and [`write`](Packet::write) translates it by the
/// build's numbering ([`ids`](crate::ids)). That translation applies to every id, a
/// downstream crate's custom ids included: a custom id of 200 goes on the wire as 201 to
/// b340–b1787 clients, as every id above 10 does there.
pub trait Packet: Describe {
    /// The reference's name, such as `BanchoUserStats`.
    const NAME: &'static str;
    /// The canonical (modern) packet id.
    const ID: u16;
    /// Who sends it.
    const DIRECTION: Direction;
    /// The builds that have the packet.
    const BUILDS: BuildRange;
    /// Whether frames of this packet may be as long as [`Limits::max_frame_len`] when a
    /// client sends them, rather than [`Limits::max_client_frame_len`]
    /// (`#[bancho(large)]`; the beatmap info request, as in the reference).
    ///
    /// [`Limits::max_frame_len`]: crate::Limits::max_frame_len
    /// [`Limits::max_client_frame_len`]: crate::Limits::max_client_frame_len
    const LARGE: bool = false;

    /// Whether the packet exists for `ctx`.
    #[inline]
    fn exists_in(ctx: Context) -> bool {
        Self::BUILDS.contains(ctx.build())
    }

    /// Writes the packet, header and payload, as its sender does for `ctx`'s build: the
    /// build's wire id and header, and its compression ([`Compression::for_build`](crate::frame::Compression::for_build)).
    ///
    /// A packet the build does not have is an error, and so is a payload that does not
    /// fit the build; on error nothing is written to `buf`.
    ///
    /// ```
    /// use chio_core::{Context, Encode, Packet};
    /// # use chio_core::{layout::{Describe, Layout, Shape}, build::BuildRange, Direction};
    /// # struct Ping;
    /// # impl Describe for Ping { const LAYOUT: &'static Layout = &Layout { name: "Ping", shape: Shape::Struct { fields: &[] } }; }
    /// # impl Packet for Ping { const NAME: &'static str = "Ping"; const ID: u16 = 8; const DIRECTION: Direction = Direction::ServerToClient; const BUILDS: BuildRange = BuildRange::ALL; }
    /// # impl Encode for Ping { fn encoded_len(&self, _: Context) -> usize { 0 } fn encode<B: chio_core::BufMut + ?Sized>(&self, _: &mut B, _: Context) -> Result<(), chio_core::EncodeError> { Ok(()) } }
    /// let mut wire = Vec::new();
    /// Ping.write(&mut wire, Context::new(20250306)).unwrap();
    /// assert_eq!(wire, [8, 0, 0, 0, 0, 0, 0]);
    /// ```
    #[inline]
    fn write<B: bytes::BufMut + ?Sized>(&self, buf: &mut B, ctx: Context) -> Result<(), EncodeError>
    where
        Self: Encode,
    {
        self.write_with(buf, ctx, &mut FrameWriter::new())
    }

    /// [`write`](Packet::write) through `writer`: its compression rule and gzip level,
    /// and its state kept from frame to frame.
    fn write_with<B: bytes::BufMut + ?Sized>(
        &self,
        buf: &mut B,
        ctx: Context,
        writer: &mut FrameWriter,
    ) -> Result<(), EncodeError>
    where
        Self: Encode,
    {
        let build = ctx.build();
        if !Self::BUILDS.contains(build) {
            return Err(EncodeError::new(EncodeErrorKind::PacketNotInBuild { name: Self::NAME, build }));
        }
        writer.write(crate::ids::wire_id(Self::ID, build), self, buf, ctx)
    }
}

/// The packets one side sends, read and written as one set: the frame readers, the
/// packet decoder and encoder, the `std::io` helpers and the tokio codec are generic over
/// it, so one implementation serves both directions.
///
/// `chio_packets` implements it for its two directions (`Server` and `Client`, whose
/// packets are the `ServerPacket` and `ClientPacket` enums). A downstream crate with
/// packets of its own implements it for a marker type of its own, with an enum holding
/// its packets and the standard ones, delegating the standard ids to the standard set
/// (see `chio_packets::catalog` for an example). The marker is usually an empty enum
/// deriving `Clone, Copy, Debug`.
pub trait PacketSet: Copy + core::fmt::Debug + Send + Sync + 'static {
    /// Who sends the packets of this set.
    const DIRECTION: Direction;

    /// A packet of this set, borrowing from input that lives for `'a`.
    type Packet<'a>: Encode + Clone + core::fmt::Debug;

    /// Decodes the payload of the packet with canonical id `id` for `ctx`'s build,
    /// leaving any bytes after it in `reader`.
    ///
    /// An id this set has no packet for in the build is
    /// [`UnknownPacketId`](crate::DecodeErrorKind::UnknownPacketId) or
    /// [`PacketNotInBuild`](crate::DecodeErrorKind::PacketNotInBuild): the readers pass
    /// such frames through raw in lenient mode.
    fn decode<'a>(id: u16, reader: &mut Reader<'a>, ctx: Context) -> Result<Self::Packet<'a>, DecodeError>;

    /// Decodes the whole payload of packet `id` (canonical) for `ctx`'s build, with the
    /// default limits; bytes after the packet are an error. Frames from the wire go
    /// through a `PacketDecoder` instead, which also keeps what a set does not know.
    fn decode_payload<'a>(id: u16, payload: &'a [u8], ctx: Context) -> Result<Self::Packet<'a>, DecodeError> {
        let mut reader = Reader::new(payload);
        let packet = Self::decode(id, &mut reader, ctx)?;
        reader.finish()?;
        Ok(packet)
    }

    /// The payload decoder of each packet type of the set, for
    /// [`decoder_index`](Self::decoder_index); empty (the default) for a set that decodes
    /// only through [`decode`](Self::decode).
    ///
    /// A `PacketDecoder` looks up the decoder of every id once per connection, for its
    /// build, and calls it straight for each frame instead of dispatching through
    /// `decode`.
    const DECODERS: &'static [DecodeFn<Self>] = &[];

    /// [`DECODERS`](Self::DECODERS) (same indices), each result in a `ManuallyDrop`;
    /// empty (the default) for a set without them. `PacketDecoder::visit` decodes with
    /// these: a result returned in a `ManuallyDrop` is written where it stays, so that
    /// not dropping a packet that owns nothing costs no copy of it.
    const LENDERS: &'static [LendFn<Self>] = &[];

    /// Whether a packet that the decoder at `index` of [`DECODERS`](Self::DECODERS)
    /// returns for `build` frees nothing when dropped
    /// ([`drops_nothing`](crate::drops_nothing) of its payload type). False, the default,
    /// has it dropped.
    #[inline]
    fn drops_nothing(index: usize, build: u32) -> bool {
        let _ = (index, build);
        false
    }

    /// The index in [`DECODERS`](Self::DECODERS) of the decoder of packet `id`
    /// (canonical) in `build`: the one that [`decode`](Self::decode) calls for it. `None`
    /// (the default) sends the packet through `decode`.
    #[inline]
    fn decoder_index(id: u16, build: u32) -> Option<usize> {
        let _ = (id, build);
        None
    }

    /// The canonical id of `packet`.
    fn id(packet: &Self::Packet<'_>) -> u16;

    /// The reference's name of `packet`.
    fn name(packet: &Self::Packet<'_>) -> &'static str;

    /// `packet` detached from its input: every borrow made owned.
    fn into_owned(packet: Self::Packet<'_>) -> Self::Packet<'static>;

    /// Whether the packet with canonical id `id` may use the larger frame cap when a client
    /// sends it (see [`Packet::LARGE`]).
    #[inline]
    fn is_large(id: u16) -> bool {
        let _ = id;
        false
    }

    /// Writes `packet`, header and payload, for `ctx`'s build, compressed as the build's
    /// senders do.
    #[inline]
    fn write<B: bytes::BufMut + ?Sized>(
        packet: &Self::Packet<'_>,
        buf: &mut B,
        ctx: Context,
    ) -> Result<(), EncodeError> {
        Self::write_with(packet, buf, ctx, &mut FrameWriter::new())
    }

    /// [`write`](Self::write) through `writer` (its compression rule, gzip level and
    /// state). A set may write each packet type through its own [`Packet::write_with`]
    /// (the standard ones do: the payload's size and bytes then come from one inlined
    /// codec rather than two dispatches over the set); the default writes the set's
    /// encoding.
    #[inline]
    fn write_with<B: bytes::BufMut + ?Sized>(
        packet: &Self::Packet<'_>,
        buf: &mut B,
        ctx: Context,
        writer: &mut FrameWriter,
    ) -> Result<(), EncodeError> {
        let wire_id = crate::ids::wire_id(Self::id(packet), ctx.build());
        writer.write(wire_id, packet, buf, ctx)
    }
}

/// The payload decoder of one packet type of set `S`: the packet from the reader, for the
/// context's build, any bytes after it left in the reader ([`PacketSet::DECODERS`]).
pub type DecodeFn<S> =
    for<'a> fn(&mut Reader<'a>, Context) -> Result<<S as PacketSet>::Packet<'a>, DecodeError>;

/// A payload decoder of set `S` whose result is kept from being dropped
/// ([`PacketSet::LENDERS`]): a [`DecodeFn`] for a caller that lends the packet, then
/// drops it only if it owns something.
pub type LendFn<S> = for<'a> fn(
    &mut Reader<'a>,
    Context,
)
    -> core::mem::ManuallyDrop<Result<<S as PacketSet>::Packet<'a>, DecodeError>>;

/// A replacement for how one packet of set `S` is read: given the payload (inflated) and
/// the context, the packet. Installed per connection with `PacketDecoder::patch`.
pub type DecodeHook<S> = for<'a> fn(&'a [u8], Context) -> Result<<S as PacketSet>::Packet<'a>, DecodeError>;

/// A replacement for how one packet of set `S` is written: append its payload (no header)
/// to the vector. Installed per connection with `PacketEncoder::patch`.
pub type EncodeHook<S> =
    for<'a, 'p> fn(&'p <S as PacketSet>::Packet<'a>, Context, &mut Vec<u8>) -> Result<(), EncodeError>;
