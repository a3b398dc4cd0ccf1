//! [`FrameDecoder`]: frames off a [`BytesMut`] the caller fills, the `tokio_util` codec
//! contract, handed out as [`FrameBatch`]es.

use std::marker::PhantomData;

use bytes::{Bytes, BytesMut};

use super::frame::{Frames, Step, ended_inside, step};
use crate::context::Context;
use crate::error::DecodeError;
use crate::limits::Limits;
use crate::packet::PacketSet;

/// Frames of one stream, taken off a [`BytesMut`] that the caller fills with whatever
/// arrived: the `tokio_util::codec::Decoder` contract.
///
/// Each call to [`decode`](Self::decode) returns every frame complete in the buffer as
/// one [`FrameBatch`] (one split of the buffer, then frames borrowed from it), or
/// `Ok(None)` while not even one frame is complete. Batches rather than single frames,
/// because handing out each frame as its own owned buffer costs two atomic operations
/// per packet, more than decoding a small packet does; a batch costs them once per
/// read. A frame's length is checked against the caps of set `S` as soon as its header
/// is in, before its payload is buffered.
///
/// For pieces that arrive as borrowed slices (no `BytesMut`), use
/// [`FrameFeeder`](super::FrameFeeder) instead.
#[derive(Clone, Copy, Debug)]
pub struct FrameDecoder<S> {
    ctx: Context,
    limits: Limits,
    /// Bytes of the stream taken off the buffer so far.
    consumed: u64,
    set: PhantomData<fn() -> S>,
}

impl<S: PacketSet> FrameDecoder<S> {
    /// A decoder for `ctx`'s build with the default [`Limits`].
    pub const fn new(ctx: Context) -> Self {
        Self { ctx, limits: Limits::DEFAULT, consumed: 0, set: PhantomData }
    }

    /// The same decoder with other limits.
    #[must_use]
    pub const fn with_limits(self, limits: Limits) -> Self {
        Self { limits, ..self }
    }

    /// The context frames are read for.
    pub const fn context(&self) -> Context {
        self.ctx
    }

    /// Sets the context (after protocol negotiation, say): frames from here on are read
    /// for it.
    pub fn set_context(&mut self, ctx: Context) {
        self.ctx = ctx;
    }

    /// Bytes of the stream taken off the buffer so far.
    pub const fn position(&self) -> u64 {
        self.consumed
    }

    /// Every frame complete in `buffer`, removed from it as one batch; `Ok(None)` when
    /// not even one is. After an error the stream has lost its framing and should be
    /// closed.
    pub fn decode(&mut self, buffer: &mut BytesMut) -> Result<Option<FrameBatch<S>>, DecodeError> {
        let mut end = 0;
        let mut count = 0;
        let result = loop {
            let rest = &buffer[end..];
            match step::<S>(rest, self.consumed + end as u64, self.ctx, &self.limits) {
                Ok(Step::Whole { header, .. }) => {
                    end += Step::frame_len(&header, self.ctx);
                    count += 1;
                }
                Ok(Step::Header) => break Ok(()),
                Ok(Step::Payload { header }) => {
                    // Room for the rest of this frame (bounded by the cap just checked).
                    let missing = Step::frame_len(&header, self.ctx) - rest.len();
                    buffer.reserve(missing);
                    break Ok(());
                }
                Err(error) => break Err(error),
            }
        };
        // Frames before an error are handed out first; the error comes with the next call.
        if count == 0 {
            return result.map(|()| None);
        }
        let offset = self.consumed;
        self.consumed += end as u64;
        let bytes = buffer.split_to(end).freeze();
        Ok(Some(FrameBatch { bytes, offset, count, ctx: self.ctx, limits: self.limits, set: PhantomData }))
    }

    /// What is left when the stream ends: the last frames, `Ok(None)` if the stream ended
    /// between frames, or an error if it ended inside one.
    pub fn decode_eof(&mut self, buffer: &mut BytesMut) -> Result<Option<FrameBatch<S>>, DecodeError> {
        if let Some(batch) = self.decode(buffer)? {
            return Ok(Some(batch));
        }
        if buffer.is_empty() {
            return Ok(None);
        }
        let incomplete = step::<S>(buffer, self.consumed, self.ctx, &self.limits)?;
        Err(ended_inside(&incomplete, buffer.len(), self.consumed, self.ctx))
    }
}

/// The frames one [`FrameDecoder::decode`] call found complete: one shared buffer, its
/// frames read from it in order ([`iter`](Self::iter), or `for frame in &batch`).
///
/// Headers and frame lengths were checked when the batch was cut; compressed payloads
/// are inflated as they are read, so reading can still fail there.
#[derive(Clone, Debug)]
pub struct FrameBatch<S> {
    bytes: Bytes,
    /// The stream offset of the first frame.
    offset: u64,
    count: usize,
    ctx: Context,
    limits: Limits,
    set: PhantomData<fn() -> S>,
}

impl<S: PacketSet> FrameBatch<S> {
    /// The frames, in stream order.
    pub fn iter(&self) -> Frames<'_, S> {
        Frames::new(&self.bytes, self.ctx).with_limits(self.limits).starting_at(self.offset)
    }

    /// How many frames the batch holds (at least one).
    pub const fn len(&self) -> usize {
        self.count
    }

    /// Whether the batch holds no frame (never, for a batch a decoder returned).
    pub const fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// The frames' bytes as they were on the wire, headers included.
    pub fn as_bytes(&self) -> &Bytes {
        &self.bytes
    }

    /// The stream offset of the first frame.
    pub const fn offset(&self) -> u64 {
        self.offset
    }
}

impl<'b, S: PacketSet> IntoIterator for &'b FrameBatch<S> {
    type Item = Result<super::Frame<'b>, DecodeError>;
    type IntoIter = Frames<'b, S>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}
