//! The TCP transport: one task per connection, from the login lines to the last packet.

use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::BytesMut;
use chio_packets::FromClient;
use chio_packets::events::ServerEvent;
use chio_packets::events::client::ClientEvent;
use chio_packets::wire::{Decoded, FrameDecoder, PacketDecoder};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::tcp::OwnedWriteHalf;
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

use super::budget::Budget;
use super::{Counters, Shared, stopped};
use crate::registry::SessionHandle;
use crate::tcp_login::read_login;

/// The most bytes one write to a client takes from its outbox.
const WRITE_BATCH: usize = 64 * 1024;

/// The write buffer an idle connection keeps (see [`write_outbox`]).
const IDLE_WRITE_BUF: usize = 4 * 1024;

/// Room reserved for each read from a client. Clients send small packets; a larger burst
/// takes several reads.
const READ_CHUNK: usize = 2 * 1024;

/// The read buffer an idle connection keeps: the login's buffer, or a spectator's burst,
/// is given back once everything in it is handled.
const IDLE_READ_BUF: usize = 4 * 1024;

/// How long a closing connection may take to write what is queued.
const FLUSH_GRACE: Duration = Duration::from_secs(5);

pub(super) async fn serve(shared: Arc<Shared>, listener: TcpListener) -> std::io::Result<()> {
    let mut shutdown = shared.shutdown_signal();
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, peer)) => {
                    tokio::spawn(connection(Arc::clone(&shared), stream, peer.ip()));
                }
                // Out of descriptors or a connection reset before accept: keep serving.
                Err(_) => tokio::time::sleep(Duration::from_millis(10)).await,
            },
            () = stopped(&mut shutdown) => return Ok(()),
        }
    }
}

/// Why a connection ended.
#[derive(Debug, PartialEq, Eq)]
enum End {
    /// The client closed, logged out, or the server shut down.
    Normal,
    /// The client broke a rule: its session was dropped.
    Dropped,
}

async fn connection(shared: Arc<Shared>, mut stream: TcpStream, peer: std::net::IpAddr) {
    // Many small packets each way: do not wait to coalesce them.
    let _ = stream.set_nodelay(true);
    let login = match read_login(&mut stream, &shared.config.login).await {
        Ok(login) => login,
        Err(_) => {
            Counters::add(&shared.counters.refused, 1);
            return;
        }
    };
    let session = match shared.admit(login.request, None, Some(peer)).await {
        Ok(session) => session,
        Err(refusal) => {
            let _ = tokio::time::timeout(FLUSH_GRACE, stream.write_all(&refusal)).await;
            let _ = stream.shutdown().await;
            return;
        }
    };
    let (reader, writer) = stream.into_split();
    let mut writer = tokio::spawn(write_outbox(session.clone(), writer, shared.config.write_timeout));
    let end = read_packets(&shared, &session, reader, login.leftover, &mut writer).await;
    if end == End::Dropped {
        Counters::add(&shared.counters.dropped, 1);
    }
    shared.end(session.id());
    if !writer.is_finished() && tokio::time::timeout(FLUSH_GRACE, &mut writer).await.is_err() {
        writer.abort();
    }
}

/// Writes the session's outbox to the client until it is closed and empty.
///
/// A batch of one frame is written from the frame itself; several are gathered into one
/// buffer (one write for many small packets). A burst, such as the login's presences, grows
/// that buffer; once the outbox is empty it falls back to [`IDLE_WRITE_BUF`], so an idle
/// session does not keep the room of its largest burst.
async fn write_outbox(session: SessionHandle, mut writer: OwnedWriteHalf, stall: Duration) {
    let mut buf = Vec::new();
    while let Some(batch) = session.outbox().next_batch(WRITE_BATCH).await {
        let bytes: &[u8] = match batch.as_slice() {
            [frame] => frame,
            frames => {
                buf.clear();
                for frame in frames {
                    buf.extend_from_slice(frame);
                }
                &buf
            }
        };
        match tokio::time::timeout(stall, writer.write_all(bytes)).await {
            Ok(Ok(())) => {}
            // Gone, or not reading: nothing more can reach it.
            _ => {
                session.outbox().close();
                return;
            }
        }
        drop(batch);
        if buf.capacity() > IDLE_WRITE_BUF && session.outbox().queued_frames() == 0 {
            buf = Vec::with_capacity(IDLE_WRITE_BUF);
        }
    }
    let _ = writer.shutdown().await;
}

/// When the next ping may go out.
struct Pings {
    /// Whether the client has sent a packet since its login burst (osuTitanic/anchor#449).
    armed: bool,
    outstanding: u8,
    next: Instant,
}

async fn read_packets(
    shared: &Arc<Shared>,
    session: &SessionHandle,
    mut reader: tokio::net::tcp::OwnedReadHalf,
    mut buf: BytesMut,
    writer: &mut JoinHandle<()>,
) -> End {
    let ctx = session.ctx();
    let policy = (shared.config.client_policy)(ctx);
    let mut frames = FrameDecoder::<FromClient>::new(ctx);
    let mut decoder = PacketDecoder::<FromClient>::new(ctx);
    let mut budget = Budget::new(shared.config.packet_rate);
    let mut pings = Pings { armed: false, outstanding: 0, next: Instant::now() };
    let mut last_heard = Instant::now();
    let tick_every = policy.ping.map_or(Duration::from_secs(5), |p| p.interval.min(Duration::from_secs(5)));
    let mut tick = tokio::time::interval(tick_every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut shutdown = shared.shutdown_signal();
    loop {
        // Everything complete in the buffer first: the login's leftover included.
        loop {
            let batch = match frames.decode(&mut buf) {
                Ok(Some(batch)) => batch,
                Ok(None) => break,
                // A header that cannot be read (or a frame over the cap): the stream
                // cannot be resynchronised.
                Err(_) => return End::Dropped,
            };
            let mut count = 0u32;
            let mut bad = 0u64;
            let mut flooded = false;
            {
                let mut world = shared.world();
                for frame in &batch {
                    let Ok(frame) = frame else { return End::Dropped };
                    count += 1;
                    if !budget.take(1) {
                        flooded = true;
                        break;
                    }
                    let packet = match decoder.decode(&frame) {
                        Ok(Decoded::Packet(packet)) => packet,
                        // A packet this build has no definition for: nothing to act on.
                        Ok(Decoded::Raw(_)) => continue,
                        Err(_) => {
                            bad += 1;
                            continue;
                        }
                    };
                    let Ok(event) = ClientEvent::from_packet(packet, ctx) else {
                        bad += 1;
                        continue;
                    };
                    pings.armed = true;
                    match event {
                        ClientEvent::Pong => pings.outstanding = 0,
                        ClientEvent::Exit(_) => {
                            drop(world);
                            Counters::add(&shared.counters.packets, u64::from(count));
                            return End::Normal;
                        }
                        _ => {}
                    }
                    world.handle(&*shared.registry, &*shared.storage, &*shared.hooks, session, &event);
                }
                let closed = world.mail.take_closed();
                drop(world);
                shared.end_all(closed);
            }
            Counters::add(&shared.counters.packets, u64::from(count));
            Counters::add(&shared.counters.bad_packets, bad);
            if flooded {
                return End::Dropped;
            }
            last_heard = Instant::now();
        }
        if buf.is_empty() && buf.capacity() > IDLE_READ_BUF {
            buf = BytesMut::new();
        }
        buf.reserve(READ_CHUNK);
        tokio::select! {
            read = reader.read_buf(&mut buf) => match read {
                Ok(0) | Err(_) => return End::Normal,
                Ok(_) => {}
            },
            _ = tick.tick() => {
                let now = Instant::now();
                if now.duration_since(last_heard) > policy.idle_timeout {
                    return End::Dropped;
                }
                if let Some(ping) = policy.ping {
                    let allowed = pings.armed || !ping.first_ping_after_client_packet;
                    if allowed && pings.outstanding < ping.max_outstanding && now >= pings.next {
                        shared.world().mail.send(session, &ServerEvent::Ping);
                        pings.outstanding += 1;
                        pings.next = now + ping.interval;
                    }
                }
            }
            // The outbox closed (kicked, replaced, overflowed) and is written: done.
            _ = &mut *writer => return End::Normal,
            () = stopped(&mut shutdown) => return End::Normal,
        }
    }
}
