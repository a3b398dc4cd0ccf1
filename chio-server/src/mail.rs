//! Events on their way to sessions: [`Mailer`] encodes a [`ServerEvent`] for each
//! recipient's build and queues it in the recipient's [`Outbox`](crate::outbox::Outbox).
//!
//! Every building block sends through a `&mut Mailer` it is handed, so a block never
//! touches sockets, and one mailer keeps one scratch buffer for a whole server. Sending
//! to many sessions encodes once per [wire layout](crate::layout::WireLayout) (see
//! [`Broadcast`]). A session whose outbox overflowed or closed is not an error for the
//! sender: it is remembered in [`Mailer::take_closed`], and the server ends it.

use chio_packets::events::ServerEvent;

use chio_packets::frame::GzipLevel;

use crate::broadcast::{Broadcast, BroadcastReport};
use crate::registry::SessionHandle;
use crate::session::SessionId;

/// Encodes events for sessions and queues them; see the [module documentation](self).
///
/// ```
/// use chio_packets::Context;
/// use chio_packets::events::ServerEvent;
/// use chio_server::mail::Mailer;
/// use chio_server::outbox::Outbox;
/// use chio_server::registry::{Session, SessionHandle};
/// use chio_server::session::SessionId;
///
/// let session = |id, build| {
///     SessionHandle::new(Session {
///         id: SessionId::new(id),
///         user_id: 1000 + id as i32,
///         name: format!("player {id}"),
///         token: None,
///         ctx: Context::new(build),
///         outbox: Outbox::default(),
///         tournament: false,
///     })
/// };
/// let (a, b) = (session(1, 20250306), session(2, 1000));
///
/// let mut mail = Mailer::new();
/// mail.send(&a, &ServerEvent::Ping);
/// mail.send_all([&a, &b], &ServerEvent::Announce("hi".into()), &[b.id()]);
/// assert_eq!(a.outbox().queued_frames(), 2);
/// assert_eq!(b.outbox().queued_frames(), 0);
/// assert!(mail.take_closed().is_empty());
/// ```
#[derive(Debug, Default)]
pub struct Mailer {
    broadcast: Broadcast,
    closed: Vec<SessionId>,
    encodings: u64,
}

impl Mailer {
    /// A mailer with empty buffers.
    pub fn new() -> Self {
        Self::default()
    }

    /// The same mailer gzipping the payloads of builds before b1800 at `level`.
    #[must_use]
    pub fn with_gzip_level(self, level: GzipLevel) -> Self {
        Self { broadcast: self.broadcast.with_gzip_level(level), ..self }
    }

    /// Queues `event` for one session, in its build's packets.
    pub fn send(&mut self, to: &SessionHandle, event: &ServerEvent<'_>) {
        self.send_all([to], event, &[]);
    }

    /// Queues several events for every session in `to` but those in `exclude`, encoded
    /// once per wire layout as one outbox item (see [`Broadcast::send_many`]).
    pub fn send_many<'h>(
        &mut self,
        to: impl IntoIterator<Item = &'h SessionHandle>,
        events: &[ServerEvent<'_>],
        exclude: &[SessionId],
    ) -> BroadcastReport {
        let report = self.broadcast.send_many(
            events,
            to.into_iter().map(|handle| (handle.id(), handle.layout(), handle.outbox())),
            exclude,
        );
        self.encodings += report.encodings as u64;
        self.closed.extend_from_slice(&report.closed);
        report
    }

    /// Queues several events for one session, as few outbox items as fit (see
    /// [`Broadcast::send_each`]): for bursts such as a login's list of users.
    pub fn send_each<'e>(
        &mut self,
        to: &SessionHandle,
        events: impl IntoIterator<Item = ServerEvent<'e>>,
    ) -> BroadcastReport {
        let report = self.broadcast.send_each(events, (to.id(), to.layout(), to.outbox()));
        self.encodings += report.encodings as u64;
        self.closed.extend_from_slice(&report.closed);
        report
    }

    /// Queues `event` for every session in `to` but those in `exclude`, encoded once per
    /// wire layout among them.
    pub fn send_all<'h>(
        &mut self,
        to: impl IntoIterator<Item = &'h SessionHandle>,
        event: &ServerEvent<'_>,
        exclude: &[SessionId],
    ) -> BroadcastReport {
        self.send_many(to, std::slice::from_ref(event), exclude)
    }

    /// The sessions found closed (a full or closed outbox) since the last call: the
    /// server should log them out.
    pub fn take_closed(&mut self) -> Vec<SessionId> {
        let mut closed = std::mem::take(&mut self.closed);
        closed.sort_unstable();
        closed.dedup();
        closed
    }

    /// How many encodings this mailer has done: one per layout per send.
    pub fn encodings(&self) -> u64 {
        self.encodings
    }
}
