//! The TCP transport: the login lines, then packets both ways on one connection.

use std::net::SocketAddr;
use std::sync::Arc;

use bytes::BytesMut;
use chio_packets::events::client::ClientEvent;
use chio_packets::wire::PacketDecoder;
use chio_packets::{Context, FromServer, ServerPacket};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use tokio::sync::{Mutex, mpsc};
use tokio::task::JoinHandle;

use crate::{ClientConfig, ClientError, Incoming, Protocol, decode_frames, frame_bytes};

/// The writing half, shared by senders and the reader's automatic pongs.
#[derive(Debug)]
pub(crate) struct Writer(Mutex<OwnedWriteHalf>);

impl Writer {
    pub(crate) async fn write(&self, bytes: &[u8]) -> Result<(), ClientError> {
        let mut half = self.0.lock().await;
        half.write_all(bytes).await?;
        Ok(())
    }

    pub(crate) async fn shutdown(&self) -> Result<(), ClientError> {
        self.0.lock().await.shutdown().await?;
        Ok(())
    }
}

/// Connects to `addr`, sends the login lines and starts the reader task.
pub(crate) async fn connect(
    addr: SocketAddr,
    config: &ClientConfig,
    protocol: Arc<Protocol>,
    tx: mpsc::Sender<Incoming>,
) -> Result<(Arc<Writer>, JoinHandle<()>), ClientError> {
    let stream = TcpStream::connect(addr).await?;
    stream.set_nodelay(true)?;
    let (read, mut write) = stream.into_split();
    write.write_all(config.login_body().as_bytes()).await?;
    let writer = Arc::new(Writer(Mutex::new(write)));
    let ctx = config.ctx();
    let pong = if config.auto_pong { pong_bytes(ctx) } else { None };
    let task = tokio::spawn(read_loop(read, Arc::clone(&writer), protocol, pong, tx));
    Ok((writer, task))
}

/// The build's pong, framed; `None` if the build has none.
pub(crate) fn pong_bytes(ctx: Context) -> Option<Vec<u8>> {
    let packet = ClientEvent::Pong.to_packet(ctx).ok()?;
    frame_bytes(&packet, ctx).ok()
}

async fn read_loop(
    read: OwnedReadHalf,
    writer: Arc<Writer>,
    protocol: Arc<Protocol>,
    pong: Option<Vec<u8>>,
    tx: mpsc::Sender<Incoming>,
) {
    let error = read_packets(read, &writer, &protocol, pong.as_deref(), &tx).await.err();
    let _ = tx.send(Incoming::Closed(error)).await;
}

async fn read_packets(
    mut read: OwnedReadHalf,
    writer: &Writer,
    protocol: &Protocol,
    pong: Option<&[u8]>,
    tx: &mpsc::Sender<Incoming>,
) -> Result<(), ClientError> {
    let mut decoder = PacketDecoder::<FromServer>::new(protocol.ctx());
    let mut frames = decoder.frame_decoder();
    let mut buffer = BytesMut::with_capacity(16 * 1024);
    let mut packets = Vec::new();
    loop {
        let n = read.read_buf(&mut buffer).await?;
        let batch = if n == 0 { frames.decode_eof(&mut buffer) } else { frames.decode(&mut buffer) };
        let batch = batch.map_err(|error| ClientError::Decode { wire_id: None, error })?;
        if let Some(batch) = batch {
            decode_frames(&mut decoder, protocol, batch.iter(), &mut packets)?;
            for packet in packets.drain(..) {
                if let (ServerPacket::BanchoPing(_), Some(pong)) = (&packet, pong) {
                    writer.write(pong).await?;
                }
                if tx.send(Incoming::Packet(packet)).await.is_err() {
                    // The client is gone.
                    return Ok(());
                }
            }
        }
        if n == 0 {
            // More whole frames may still be in the buffer after an end-of-stream batch.
            while let Some(batch) = frames
                .decode_eof(&mut buffer)
                .map_err(|error| ClientError::Decode { wire_id: None, error })?
            {
                decode_frames(&mut decoder, protocol, batch.iter(), &mut packets)?;
                for packet in packets.drain(..) {
                    let _ = tx.send(Incoming::Packet(packet)).await;
                }
            }
            return Ok(());
        }
    }
}
