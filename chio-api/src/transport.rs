//! A byte stream read and written as frames of JSON messages, shared by server and client.

use std::time::Duration;

use bytes::{Bytes, BytesMut};
use serde::Serialize;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio_util::codec::Decoder;
use zeroize::Zeroize;

use crate::frame::{FrameCodec, FrameError};

/// Bytes buffered for reading before the first frame tells how much to expect.
const INITIAL_READ_BUFFER: usize = 512;
/// How long [`FramedStream::close`] keeps reading so that unread input does not turn the
/// close into a reset that could destroy the last message sent.
const LINGER: Duration = Duration::from_millis(250);
/// How much [`FramedStream::close`] reads and discards at most while lingering.
const LINGER_BYTES: usize = 64 * 1024;

/// An error of reading or writing messages.
#[derive(Debug, thiserror::Error)]
pub enum TransportError {
    /// The frame layer (or the transport under it) failed.
    #[error(transparent)]
    Frame(#[from] FrameError),
    /// A message could not be written as JSON.
    #[error("message could not be serialized: {0}")]
    Serialize(#[from] serde_json::Error),
}

/// Overwrites `payload` with zeroes if it is the only owner of its memory (a frame that
/// may carry a token, once parsed); whether it could.
pub fn wipe(payload: Bytes) -> bool {
    match payload.try_into_mut() {
        Ok(mut owned) => {
            owned[..].zeroize();
            true
        }
        Err(_) => false,
    }
}

/// A stream of frames over `S`.
#[derive(Debug)]
pub struct FramedStream<S> {
    io: S,
    codec: FrameCodec,
    read_buf: BytesMut,
    write_buf: BytesMut,
}

impl<S: AsyncRead + AsyncWrite + Unpin> FramedStream<S> {
    /// Frames over `io`, with `codec`'s limit both ways.
    pub fn new(io: S, codec: FrameCodec) -> Self {
        Self { io, codec, read_buf: BytesMut::with_capacity(INITIAL_READ_BUFFER), write_buf: BytesMut::new() }
    }

    /// The next frame's payload, or `None` when the stream ends cleanly between frames.
    ///
    /// Cancel-safe: bytes already read stay buffered for the next call.
    ///
    /// When the frame was the last byte read, the buffer lets go of its memory, so the
    /// frame is the only owner and can be wiped (see [`wipe`]).
    pub async fn read_frame(&mut self) -> Result<Option<Bytes>, FrameError> {
        loop {
            if let Some(frame) = self.codec.decode(&mut self.read_buf)? {
                if self.read_buf.is_empty() {
                    self.read_buf = BytesMut::with_capacity(INITIAL_READ_BUFFER);
                }
                return Ok(Some(frame));
            }
            if self.fill().await? == 0 {
                return self.codec.decode_eof(&mut self.read_buf);
            }
        }
    }

    /// Reads whatever bytes are available into the buffer; 0 at the end of the stream.
    ///
    /// Cancel-safe.
    pub async fn fill(&mut self) -> Result<usize, FrameError> {
        Ok(self.io.read_buf(&mut self.read_buf).await?)
    }

    /// The bytes read but not yet taken as frames.
    pub fn buffered(&self) -> &[u8] {
        &self.read_buf
    }

    /// Writes one frame and flushes it.
    pub async fn write_frame(&mut self, payload: &[u8]) -> Result<(), FrameError> {
        self.write_buf.clear();
        self.codec.put_frame(payload, &mut self.write_buf)?;
        let written = self.io.write_all(&self.write_buf).await;
        // Frames may carry a token: leave no copy in the reused buffer.
        self.write_buf[..].zeroize();
        self.write_buf.clear();
        written?;
        self.io.flush().await?;
        Ok(())
    }

    /// Writes `message` as one JSON frame; the serialized copy is zeroed afterwards.
    pub async fn write_message<T: Serialize>(&mut self, message: &T) -> Result<(), TransportError> {
        let mut payload = serde_json::to_vec(message)?;
        let written = self.write_frame(&payload).await;
        payload.zeroize();
        Ok(written?)
    }

    /// Closes the stream: ends the write side, then reads and discards input for a short
    /// while, so that the peer receives everything written before the connection goes.
    pub async fn close(mut self) {
        if self.io.shutdown().await.is_err() {
            return;
        }
        let mut sink = [0u8; 4096];
        let mut drained = 0;
        let drain = async {
            while drained < LINGER_BYTES {
                match self.io.read(&mut sink).await {
                    Ok(0) | Err(_) => break,
                    Ok(n) => drained += n,
                }
            }
        };
        let _ = tokio::time::timeout(LINGER, drain).await;
    }

    /// The underlying stream.
    pub fn get_ref(&self) -> &S {
        &self.io
    }

    /// The underlying stream, mutably; bytes written to it directly bypass the framing.
    pub fn get_mut(&mut self) -> &mut S {
        &mut self.io
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_frame_read_alone_owns_its_memory_and_can_be_wiped() {
        let (client, server) = tokio::io::duplex(1024);
        let mut writer = FramedStream::new(client, FrameCodec::new(1024));
        let mut reader = FramedStream::new(server, FrameCodec::new(1024));
        writer.write_frame(b"{\"token\":\"secret\"}").await.unwrap();
        let frame = reader.read_frame().await.unwrap().unwrap();
        assert_eq!(&frame[..], b"{\"token\":\"secret\"}");
        assert!(wipe(frame), "the frame should own its memory");
    }
}
