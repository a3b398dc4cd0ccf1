//! Frames and packets on the wire, in both directions, for any [`PacketSet`](crate::PacketSet).
//!
//! One frame type, [`Frame`], and one reading step (parse the header, admit its length,
//! split off the payload, inflate it) behind every reader:
//!
//! | input | reader | frames |
//! |---|---|---|
//! | a buffer of whole frames (an HTTP body, a capture) | [`Frames`] | borrowed from the buffer |
//! | a [`BytesMut`](bytes::BytesMut) the caller fills (tokio) | [`FrameDecoder`] | in [`FrameBatch`]es, one per call |
//! | borrowed pieces pushed as they arrive | [`FrameFeeder`] | lent to a callback |
//! | a blocking [`Read`](std::io::Read) | [`io::FrameReader`] | in batches |
//! | an async stream (feature `tokio`) | `codec::BanchoCodec` | in batches |
//!
//! [`PacketDecoder`] turns frames into packets of one set, for one connection: what it
//! decoded, how many payload bytes that used and what was left, or, in lenient mode, the
//! frame itself when the build has no packet of the set for it ([`Decoded::Raw`]), so that
//! nothing is lost. [`PacketEncoder`] writes packets of one set; [`Frame::write`] writes a
//! raw frame back unchanged.
//!
//! All of them are generic over the [`PacketSet`](crate::PacketSet) read or written: the standard sets of
//! `chio_packets` (`FromServer`, `FromClient`) or a downstream crate's own.
//!
//! # Naming
//!
//! - **encode / decode** work on a payload: the bytes after a packet's header
//!   ([`Encode::encode_payload`](crate::Encode::encode_payload),
//!   [`Decode::decode_payload`](crate::Decode::decode_payload)).
//! - **write / read** work on framed packets: header, wire id and compression included
//!   ([`Packet::write`](crate::Packet::write), [`PacketEncoder::write`],
//!   [`io::FrameReader::read_batch`]).
//! - Arguments come in one order: `(self, buf, ctx)`.
//! - Every query that depends on the build takes the [`Context`](crate::Context), never a
//!   bare build number.
//! - Caps are set only through `with_limits`, on the reader or decoder that applies them.

#[cfg(feature = "tokio")]
pub mod codec;
mod decoder;
mod feeder;
mod frame;
pub mod io;
mod packets;

pub use decoder::{FrameBatch, FrameDecoder};
pub use feeder::FrameFeeder;
pub use frame::{Frame, Frames};
pub use packets::{Decoded, Lent, PacketDecoder, PacketEncoder, Strictness, Tolerated};

#[cfg(test)]
mod tests;
