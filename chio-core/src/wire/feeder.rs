//! [`FrameFeeder`]: frames lent from pieces of a stream pushed in as they arrive.

use std::marker::PhantomData;

use super::frame::{Frame, Step, ended_inside, frame, step};
use crate::context::Context;
use crate::error::DecodeError;
use crate::limits::Limits;
use crate::packet::PacketSet;

/// Frames of one stream whose pieces arrive as borrowed slices (a read buffer reused for
/// every read), lent out as they complete.
///
/// [`feed`](Self::feed) takes the next piece and lends each frame it completes to a
/// callback: frames that lie whole in the piece are borrowed from it (no copy); a frame
/// that straddles pieces is gathered in the feeder's own buffer, so only such frames are
/// copied. [`finish`](Self::finish) ends the stream. A frame's length is checked against
/// the caps of set `S` as soon as its header is in, before any of its payload is kept.
///
/// For a `BytesMut` the caller fills (tokio's codec contract), use
/// [`FrameDecoder`](super::FrameDecoder).
#[derive(Clone, Debug)]
pub struct FrameFeeder<S> {
    ctx: Context,
    limits: Limits,
    /// Bytes of the stream consumed so far (the start of `partial` when it holds bytes).
    consumed: u64,
    /// The start of a frame that goes on in the next piece.
    partial: Vec<u8>,
    set: PhantomData<fn() -> S>,
}

impl<S: PacketSet> FrameFeeder<S> {
    /// A feeder for `ctx`'s build with the default [`Limits`].
    pub const fn new(ctx: Context) -> Self {
        Self { ctx, limits: Limits::DEFAULT, consumed: 0, partial: Vec::new(), set: PhantomData }
    }

    /// The same feeder with other limits.
    #[must_use]
    pub fn with_limits(self, limits: Limits) -> Self {
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

    /// Bytes of the stream consumed so far, counting the start of an incomplete frame
    /// only once it completes.
    pub const fn position(&self) -> u64 {
        self.consumed
    }

    /// Takes the next piece of the stream and lends `each` every frame it completes, in
    /// order. The first error (the feeder's, or one `each` returns) ends the call; after
    /// a decoding error the stream has lost its framing and should be closed.
    ///
    /// ```
    /// # use chio_core::{*, layout::*, build::BuildRange, wire::*};
    /// # #[derive(Clone, Copy, Debug)] enum Any {}
    /// # impl PacketSet for Any {
    /// #     const DIRECTION: Direction = Direction::ServerToClient;
    /// #     type Packet<'a> = Trailing<'a>;
    /// #     fn decode<'a>(_: u16, r: &mut Reader<'a>, c: Context) -> Result<Trailing<'a>, DecodeError> { Trailing::decode(r, c) }
    /// #     fn id(_: &Trailing<'_>) -> u16 { 0 }
    /// #     fn name(_: &Trailing<'_>) -> &'static str { "any" }
    /// #     fn into_owned(p: Trailing<'_>) -> Trailing<'static> { p.into_owned() }
    /// # }
    /// let ctx = Context::new(20250306);
    /// // A login reply (id 5, user 1000) and a ping (id 8).
    /// let wire = [5, 0, 0, 4, 0, 0, 0, 0xe8, 3, 0, 0, 8, 0, 0, 0, 0, 0, 0];
    /// let mut feeder = FrameFeeder::<Any>::new(ctx);
    /// let mut ids = Vec::new();
    /// for piece in wire.chunks(5) {
    ///     feeder.feed(piece, |frame| {
    ///         ids.push(frame.wire_id);
    ///         Ok::<_, DecodeError>(())
    ///     })?;
    /// }
    /// feeder.finish()?;
    /// assert_eq!(ids, [5, 8]);
    /// # Ok::<_, DecodeError>(())
    /// ```
    pub fn feed<E: From<DecodeError>>(
        &mut self,
        mut piece: &[u8],
        mut each: impl FnMut(Frame<'_>) -> Result<(), E>,
    ) -> Result<(), E> {
        let (ctx, limits) = (self.ctx, self.limits);
        // A frame begun in an earlier piece: complete it from this one, header first.
        while !self.partial.is_empty() {
            let wanted = match step::<S>(&self.partial, self.consumed, ctx, &limits)? {
                Step::Whole { .. } => break,
                Step::Header => crate::frame::HeaderFormat::for_build(ctx.build()).size(),
                // Admitted: its length is within the caps, so reserving it is bounded.
                Step::Payload { header } => Step::frame_len(&header, ctx),
            };
            let (head, rest) = piece.split_at(piece.len().min(wanted - self.partial.len()));
            self.partial.reserve(wanted - self.partial.len());
            self.partial.extend_from_slice(head);
            piece = rest;
            if self.partial.len() < wanted {
                // The piece is used up.
                return Ok(());
            }
        }
        if !self.partial.is_empty() {
            let offset = self.consumed;
            let result = match step::<S>(&self.partial, offset, ctx, &limits)? {
                Step::Whole { header, id, raw } => {
                    self.consumed += Step::frame_len(&header, ctx) as u64;
                    frame(header, id, raw, offset, ctx, &limits).map_err(E::from).and_then(&mut each)
                }
                // The loop above leaves a whole frame or returns.
                Step::Header | Step::Payload { .. } => Ok(()),
            };
            self.partial.clear();
            result?;
        }
        // Frames that lie whole in this piece, borrowed from it. The offset is kept in a
        // local (stored back on every way out) so the loop does not go through `self`.
        let mut offset = self.consumed;
        let result = loop {
            match step::<S>(piece, offset, ctx, &limits) {
                Ok(Step::Whole { header, id, raw }) => {
                    let len = Step::frame_len(&header, ctx);
                    let start = offset;
                    offset += len as u64;
                    piece = &piece[len..];
                    if let Err(error) =
                        frame(header, id, raw, start, ctx, &limits).map_err(E::from).and_then(&mut each)
                    {
                        break Err(error);
                    }
                }
                Ok(Step::Header) => {
                    self.partial.extend_from_slice(piece);
                    break Ok(());
                }
                Ok(Step::Payload { header }) => {
                    self.partial.reserve(Step::frame_len(&header, ctx));
                    self.partial.extend_from_slice(piece);
                    break Ok(());
                }
                Err(error) => break Err(error.into()),
            }
        };
        self.consumed = offset;
        result
    }

    /// Ends the stream: an error if it ended inside a frame.
    pub fn finish(&self) -> Result<(), DecodeError> {
        if self.partial.is_empty() {
            return Ok(());
        }
        let incomplete = step::<S>(&self.partial, self.consumed, self.ctx, &self.limits)?;
        Err(ended_inside(&incomplete, self.partial.len(), self.consumed, self.ctx))
    }
}
