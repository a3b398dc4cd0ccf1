//! What the proxy sees, for observers, and what it may add to a client's stream.
//!
//! A [`Tap`] is told of every login, every packet in either direction (decoded for the
//! session's build; frames that do not decode are not shown to taps, only logged raw) and
//! every session's end. Taps run on the proxy's connection tasks: they must be quick and
//! must not block.
//!
//! The [`Injector`] puts server packets into a client's stream: between two whole frames
//! on TCP, appended to the next poll answer on HTTP. Each session's injection queue is a
//! bounded [`Outbox`]: injecting into a client that does not read fails rather than grows.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use bytes::BytesMut;
use chio_packets::events::ServerEvent;
use chio_packets::{ClientPacket, Context, ServerPacket};
use chio_server::outbox::{Outbox, PushError};
use chio_server::tcp_login::OwnedLogin;

/// A proxied session, numbered from 1 in the order clients connect.
pub type SessionId = u64;

/// Observes proxied traffic. Every method has a default that does nothing.
pub trait Tap: Send + Sync + 'static {
    /// A client logged in (its login lines were forwarded; whether the server accepts them
    /// shows in its answer); `ctx` is its build's. A login that does not parse is not
    /// told, and neither is anything of its session.
    fn login(&self, session: SessionId, login: &OwnedLogin, ctx: Context) {
        let _ = (session, login, ctx);
    }

    /// The client sent `packet`.
    fn client_packet(&self, session: SessionId, ctx: Context, packet: &ClientPacket<'_>) {
        let _ = (session, ctx, packet);
    }

    /// The server sent `packet` to the client. Injected packets are not told: they did
    /// not come from the server.
    fn server_packet(&self, session: SessionId, ctx: Context, packet: &ServerPacket<'_>) {
        let _ = (session, ctx, packet);
    }

    /// The session ended (TCP: the connection closed; HTTP: the client sent its exit, the
    /// server answered with a restart or refused the login, the session idled five
    /// minutes, or the proxy stopped). Told only of sessions whose login was told.
    fn closed(&self, session: SessionId) {
        let _ = session;
    }
}

/// A tap that observes nothing.
#[derive(Clone, Copy, Debug, Default)]
pub struct NoTap;

impl Tap for NoTap {}

/// Several taps as one: each is told of everything, in order.
#[derive(Clone, Default)]
pub struct FanOut(pub Vec<Arc<dyn Tap>>);

impl std::fmt::Debug for FanOut {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "FanOut({} taps)", self.0.len())
    }
}

impl Tap for FanOut {
    fn login(&self, session: SessionId, login: &OwnedLogin, ctx: Context) {
        self.0.iter().for_each(|tap| tap.login(session, login, ctx));
    }

    fn client_packet(&self, session: SessionId, ctx: Context, packet: &ClientPacket<'_>) {
        self.0.iter().for_each(|tap| tap.client_packet(session, ctx, packet));
    }

    fn server_packet(&self, session: SessionId, ctx: Context, packet: &ServerPacket<'_>) {
        self.0.iter().for_each(|tap| tap.server_packet(session, ctx, packet));
    }

    fn closed(&self, session: SessionId) {
        self.0.iter().for_each(|tap| tap.closed(session));
    }
}

/// Why an injection failed.
#[derive(Debug, thiserror::Error)]
pub enum InjectError {
    /// No session has this id (it ended, or never was).
    #[error("no proxied session {0}")]
    NoSession(SessionId),
    /// The event does not encode for the session's build.
    #[error("cannot encode for the session's build: {0}")]
    Encode(#[from] chio_packets::EncodeError),
    /// The build has no packet for the event.
    #[error("the session's build has no packet for this event")]
    NothingToSend,
    /// The session's injection queue is full or closed.
    #[error("the session's injection queue is closed")]
    Closed,
}

#[derive(Debug)]
struct Entry {
    ctx: Context,
    queue: Outbox,
}

/// Puts server packets into proxied clients' streams; cheap to clone, every clone the
/// same. See the [module documentation](self).
#[derive(Clone, Debug, Default)]
pub struct Injector {
    sessions: Arc<Mutex<HashMap<SessionId, Entry>>>,
}

impl Injector {
    /// An injector with no sessions.
    pub fn new() -> Self {
        Self::default()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<SessionId, Entry>> {
        self.sessions.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Opens a session's queue (the proxy does this at login) and returns it for the
    /// proxy to drain into the client's stream.
    pub fn open(&self, session: SessionId, ctx: Context) -> Outbox {
        let queue = Outbox::default();
        self.lock().insert(session, Entry { ctx, queue: queue.clone() });
        queue
    }

    /// Closes a session's queue (the proxy does this when the session ends).
    pub fn close(&self, session: SessionId) {
        if let Some(entry) = self.lock().remove(&session) {
            entry.queue.close();
        }
    }

    /// The sessions open for injection, with their contexts.
    pub fn sessions(&self) -> Vec<(SessionId, Context)> {
        let mut sessions: Vec<_> = self.lock().iter().map(|(id, e)| (*id, e.ctx)).collect();
        sessions.sort_unstable_by_key(|(id, _)| *id);
        sessions
    }

    /// Queues `event`, in the packets of the session's build, for the client of `session`.
    ///
    /// # Errors
    ///
    /// See [`InjectError`].
    pub fn inject(&self, session: SessionId, event: &ServerEvent<'_>) -> Result<(), InjectError> {
        let (ctx, queue) = {
            let sessions = self.lock();
            let entry = sessions.get(&session).ok_or(InjectError::NoSession(session))?;
            (entry.ctx, entry.queue.clone())
        };
        let mut buf = BytesMut::new();
        event.write(&mut buf, ctx)?;
        if buf.is_empty() {
            return Err(InjectError::NothingToSend);
        }
        queue.push(buf.freeze()).map_err(|e| match e {
            PushError::Overflow { .. } | PushError::Closed => InjectError::Closed,
        })
    }
}

#[cfg(test)]
mod tests {
    use chio_packets::FromServer;
    use chio_packets::wire::{Decoded, PacketDecoder};

    use super::*;

    #[test]
    fn injected_events_are_framed_for_the_session_build() {
        let injector = Injector::new();
        let queue = injector.open(1, Context::new(1000));
        injector.inject(1, &ServerEvent::Announce("hello".into())).unwrap();
        let bytes = queue.drain_up_to(usize::MAX).concat();
        let mut decoder = PacketDecoder::<FromServer>::new(Context::new(1000));
        let frame = decoder.frames(&bytes).next().unwrap().unwrap();
        let Decoded::Packet(packet) = decoder.decode(&frame).unwrap() else { panic!("raw") };
        assert_eq!(packet.name(), "BanchoAnnounce");
        assert!(matches!(injector.inject(2, &ServerEvent::Ping), Err(InjectError::NoSession(2))));
        injector.close(1);
        assert!(matches!(injector.inject(1, &ServerEvent::Ping), Err(InjectError::NoSession(1))));
    }
}
