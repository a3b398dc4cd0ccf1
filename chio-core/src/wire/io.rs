//! Blocking helpers over `std::io`: frames from a [`Read`], packets to a [`Write`].

use std::io::{Read, Write};

use bytes::BytesMut;

use super::decoder::{FrameBatch, FrameDecoder};
use super::packets::PacketEncoder;
use crate::error::DecodeError;
use crate::packet::PacketSet;

/// An error reading frames from a [`Read`].
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// The reader failed.
    #[error("reading the stream: {0}")]
    Io(#[from] std::io::Error),
    /// The bytes are not valid frames.
    #[error(transparent)]
    Decode(#[from] DecodeError),
}

/// Frames of set `S` from a blocking reader, a batch per read.
#[derive(Debug)]
pub struct FrameReader<R, S> {
    reader: R,
    decoder: FrameDecoder<S>,
    buffer: BytesMut,
}

impl<R: Read, S: PacketSet> FrameReader<R, S> {
    /// Frames of `reader`, read by `decoder` (its context and limits).
    pub fn new(reader: R, decoder: FrameDecoder<S>) -> Self {
        Self { reader, decoder, buffer: BytesMut::with_capacity(8 * 1024) }
    }

    /// The frames complete after the next read(s), or `None` at the end of the stream
    /// between frames. A stream that ends inside a frame is an error.
    pub fn read_batch(&mut self) -> Result<Option<FrameBatch<S>>, ReadError> {
        loop {
            if let Some(batch) = self.decoder.decode(&mut self.buffer)? {
                return Ok(Some(batch));
            }
            let mut chunk = [0u8; 8 * 1024];
            let n = self.reader.read(&mut chunk)?;
            if n == 0 {
                return Ok(self.decoder.decode_eof(&mut self.buffer)?);
            }
            self.buffer.extend_from_slice(&chunk[..n]);
        }
    }

    /// The decoder, to change its context (after protocol negotiation, say).
    pub fn decoder_mut(&mut self) -> &mut FrameDecoder<S> {
        &mut self.decoder
    }

    /// The reader back, with any bytes read but not yet framed.
    pub fn into_parts(self) -> (R, BytesMut) {
        (self.reader, self.buffer)
    }
}

/// Packets of set `S` to a blocking writer, each framed by an encoder (its context,
/// compression and patches) into one reused buffer, then written whole.
#[derive(Debug)]
pub struct PacketWriter<W, S: PacketSet> {
    writer: W,
    encoder: PacketEncoder<S>,
    buffer: Vec<u8>,
}

impl<W: Write, S: PacketSet> PacketWriter<W, S> {
    /// Packets to `writer`, framed by `encoder`.
    pub fn new(writer: W, encoder: PacketEncoder<S>) -> Self {
        Self { writer, encoder, buffer: Vec::new() }
    }

    /// Writes one packet. A packet that cannot be encoded is an
    /// [`InvalidInput`](std::io::ErrorKind::InvalidInput) error and nothing is written.
    pub fn write(&mut self, packet: &S::Packet<'_>) -> std::io::Result<()> {
        self.buffer.clear();
        self.encoder
            .write(packet, &mut self.buffer)
            .map_err(|error| std::io::Error::new(std::io::ErrorKind::InvalidInput, error))?;
        self.writer.write_all(&self.buffer)
    }

    /// The encoder, to change its context.
    pub fn encoder_mut(&mut self) -> &mut PacketEncoder<S> {
        &mut self.encoder
    }

    /// Flushes the writer.
    pub fn flush(&mut self) -> std::io::Result<()> {
        self.writer.flush()
    }

    /// The writer back.
    pub fn into_inner(self) -> W {
        self.writer
    }
}
