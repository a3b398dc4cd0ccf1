//! A `tokio_util::codec` adapter (feature `tokio`): frame batches of one set in, packets
//! of another out.

use bytes::BytesMut;

use super::decoder::{FrameBatch, FrameDecoder};
use super::packets::PacketEncoder;
use crate::context::Context;
use crate::error::{DecodeError, EncodeError};
use crate::packet::PacketSet;

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

/// A `tokio_util` codec for one connection: it reads frames of set `In` (as
/// [`FrameBatch`]es; decode their packets with a [`PacketDecoder`](super::PacketDecoder))
/// and writes packets of set `Out`. A server reads client packets and writes server
/// packets; a bot or test client the other way round.
#[derive(Clone, Debug)]
pub struct BanchoCodec<In: PacketSet, Out: PacketSet> {
    decoder: FrameDecoder<In>,
    encoder: PacketEncoder<Out>,
}

impl<In: PacketSet, Out: PacketSet> BanchoCodec<In, Out> {
    /// A codec for `ctx` with the default limits, the build's compression, no patches.
    pub const fn new(ctx: Context) -> Self {
        Self { decoder: FrameDecoder::new(ctx), encoder: PacketEncoder::new(ctx) }
    }

    /// A codec from a frame decoder and a packet encoder (their limits, compression and
    /// patches).
    pub const fn from_parts(decoder: FrameDecoder<In>, encoder: PacketEncoder<Out>) -> Self {
        Self { decoder, encoder }
    }

    /// Sets the context of both directions (after protocol negotiation, say).
    pub fn set_context(&mut self, ctx: Context) {
        self.decoder.set_context(ctx);
        self.encoder.set_context(ctx);
    }

    /// The context of the reading side.
    pub const fn context(&self) -> Context {
        self.decoder.context()
    }
}

impl<In: PacketSet, Out: PacketSet> tokio_util::codec::Decoder for BanchoCodec<In, Out> {
    type Item = FrameBatch<In>;
    type Error = CodecError;

    fn decode(&mut self, src: &mut BytesMut) -> Result<Option<FrameBatch<In>>, CodecError> {
        Ok(self.decoder.decode(src)?)
    }

    fn decode_eof(&mut self, src: &mut BytesMut) -> Result<Option<FrameBatch<In>>, CodecError> {
        Ok(self.decoder.decode_eof(src)?)
    }
}

impl<'p, 'a, In: PacketSet, Out: PacketSet> tokio_util::codec::Encoder<&'p Out::Packet<'a>>
    for BanchoCodec<In, Out>
{
    type Error = CodecError;

    fn encode(&mut self, packet: &'p Out::Packet<'a>, dst: &mut BytesMut) -> Result<(), CodecError> {
        let start = dst.len();
        let result = self.encoder.write(packet, dst);
        if result.is_err() {
            // Leave no partial frame behind.
            dst.truncate(start);
        }
        Ok(result?)
    }
}
