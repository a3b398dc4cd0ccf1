//! An in-memory stream for the `tcp_login` target: reads hand out the input in pieces,
//! optionally answering `Pending` between them; writes are kept.

use std::pin::Pin;
use std::task::{Context, Poll};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

/// An in-memory stream: reads hand out `data` in pieces of `piece` bytes, every other read
/// first answering `Pending` when `stall` is set; writes are kept in `written`.
pub struct Pieces<'a> {
    /// What is left to read.
    pub data: &'a [u8],
    /// The most a read hands out.
    pub piece: usize,
    /// Whether every other read first answers `Pending` (waking its task at once).
    pub stall: bool,
    stalled: bool,
    /// How many bytes were read.
    pub read: usize,
    /// Everything written.
    pub written: Vec<u8>,
}

impl<'a> Pieces<'a> {
    /// A stream of `data`, read `piece` bytes (at least 1) at a time.
    pub fn new(data: &'a [u8], piece: usize, stall: bool) -> Self {
        Self { data, piece: piece.max(1), stall, stalled: false, read: 0, written: Vec::new() }
    }
}

impl AsyncRead for Pieces<'_> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        if self.stall && !self.stalled && !self.data.is_empty() {
            self.stalled = true;
            cx.waker().wake_by_ref();
            return Poll::Pending;
        }
        self.stalled = false;
        let n = self.piece.min(buf.remaining()).min(self.data.len());
        let (head, rest) = self.data.split_at(n);
        buf.put_slice(head);
        self.data = rest;
        self.read += n;
        Poll::Ready(Ok(()))
    }
}

impl AsyncWrite for Pieces<'_> {
    fn poll_write(mut self: Pin<&mut Self>, _: &mut Context<'_>, buf: &[u8]) -> Poll<std::io::Result<usize>> {
        self.written.extend_from_slice(buf);
        Poll::Ready(Ok(buf.len()))
    }

    fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    fn poll_shutdown(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Poll::Ready(Ok(()))
    }
}
