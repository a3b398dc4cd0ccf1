//! One server event to many sessions, encoded once per wire layout.
//!
//! A [`Broadcast`] takes an event and its recipients (session id, wire layout or context,
//! outbox), encodes the event once for each distinct [`WireLayout`] among them, and
//! pushes the encoded frames to every outbox of that layout. The frames are [`Bytes`]:
//! all recipients of one layout share one allocation. An event's packets for one layout
//! are pushed as one outbox item (whole packets, never split).
//!
//! A broadcast to 10,000 sessions of mixed builds costs one encoding per distinct layout
//! among them, not 10,000: spread over every revision, each with the protocol versions
//! and slot counts servers negotiate, they make fewer than two layouts per revision, so
//! as many encodings (the `ten_thousand_sessions_cost_one_encoding_per_layout` test);
//! sessions of a handful of builds cost a handful.
//!
//! The recipients are any iterator, so this works with whatever registry the server
//! keeps; nothing here holds sessions.

use std::collections::HashMap;

use bytes::{Bytes, BytesMut};
use chio_packets::EncodeError;
use chio_packets::events::ServerEvent;
use chio_packets::frame::{FrameWriter, GzipLevel};

use crate::layout::{WireLayout, encode_event};
use crate::outbox::{Outbox, PushError};
use crate::session::SessionId;

/// What became of a broadcast.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BroadcastReport {
    /// Recipients given, excluded ones included.
    pub recipients: usize,
    /// Recipients whose outbox took the frames.
    pub delivered: usize,
    /// Recipients skipped because their id was in the exclusion list.
    pub excluded: usize,
    /// Encodings done: one per distinct layout among the recipients that were not
    /// excluded and whose outbox was open, failed encodings included.
    pub encodings: usize,
    /// Recipients whose build has no packet for this event (nothing to send; not an
    /// error).
    pub nothing_to_send: usize,
    /// Recipients whose outbox was closed, or closed by this push because it went past
    /// its bound: the caller should end these sessions.
    pub closed: Vec<SessionId>,
    /// Recipients skipped because the event could not be encoded for their layout.
    pub failed: Vec<SessionId>,
    /// Each layout the event could not be encoded for, with the error.
    pub errors: Vec<(WireLayout, EncodeError)>,
}

/// What one layout's encoding gave.
enum Encoded {
    Frames(Bytes),
    Nothing,
    Failed,
}

/// Sends events to many sessions, encoding each once per wire layout.
///
/// Keep one per broadcasting task and reuse it: the scratch buffer and the per-layout
/// table keep their capacity between broadcasts.
///
/// ```
/// use chio_packets::Context;
/// use chio_packets::events::ServerEvent;
/// use chio_server::broadcast::Broadcast;
/// use chio_server::outbox::Outbox;
/// use chio_server::session::SessionIds;
///
/// let ids = SessionIds::new();
/// let sessions: Vec<_> = [20250306, 20250306, 20140127, 1000]
///     .into_iter()
///     .map(|build| (ids.next(), Context::new(build), Outbox::default()))
///     .collect();
///
/// let mut broadcast = Broadcast::new();
/// let report = broadcast.send(
///     &ServerEvent::Announce("Welcome!".into()),
///     sessions.iter().map(|(id, ctx, outbox)| (*id, *ctx, outbox)),
///     &[sessions[1].0],
/// );
/// assert_eq!((report.delivered, report.excluded, report.encodings), (3, 1, 3));
/// assert_eq!(sessions[1].2.queued_frames(), 0);
/// ```
#[derive(Debug, Default)]
pub struct Broadcast {
    scratch: BytesMut,
    encoded: HashMap<WireLayout, Encoded>,
    /// The gzip level and deflate state for builds before b1800, kept between events.
    frames: FrameWriter,
}

impl std::fmt::Debug for Encoded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Frames(bytes) => write!(f, "Frames({} bytes)", bytes.len()),
            Self::Nothing => f.write_str("Nothing"),
            Self::Failed => f.write_str("Failed"),
        }
    }
}

impl Broadcast {
    /// A broadcaster with an empty scratch buffer.
    pub fn new() -> Self {
        Self::default()
    }

    /// The same broadcaster gzipping the payloads of builds before b1800 at `level`.
    #[must_use]
    pub fn with_gzip_level(self, level: GzipLevel) -> Self {
        Self { frames: FrameWriter::new().with_gzip_level(level), ..self }
    }

    /// Encodes `event` once per distinct layout among `recipients` and pushes it to each
    /// recipient's outbox, skipping the ids in `exclude` (a short list, such as the
    /// sender: it is scanned for each recipient).
    ///
    /// Never panics on an event a build cannot carry: that layout's recipients are
    /// skipped and reported in [`BroadcastReport::failed`]. Closed outboxes are skipped
    /// (and not encoded for) and reported in [`BroadcastReport::closed`].
    pub fn send<'o, L: Into<WireLayout>>(
        &mut self,
        event: &ServerEvent<'_>,
        recipients: impl IntoIterator<Item = (SessionId, L, &'o Outbox)>,
        exclude: &[SessionId],
    ) -> BroadcastReport {
        self.send_many(std::slice::from_ref(event), recipients, exclude)
    }

    /// [`send`](Self::send) for several events at once: each layout's encoding is all of
    /// `events` in order, pushed to its recipients as one outbox item. `encodings` counts
    /// layouts, as for one event. An event a layout cannot carry is left out of that
    /// layout's item (and reported in `errors`); the layout's recipients are in `failed`
    /// only when none of the events could be encoded for it.
    pub fn send_many<'o, L: Into<WireLayout>>(
        &mut self,
        events: &[ServerEvent<'_>],
        recipients: impl IntoIterator<Item = (SessionId, L, &'o Outbox)>,
        exclude: &[SessionId],
    ) -> BroadcastReport {
        self.encoded.clear();
        let mut report = BroadcastReport::default();
        for (id, layout, outbox) in recipients {
            report.recipients += 1;
            if exclude.contains(&id) {
                report.excluded += 1;
                continue;
            }
            if outbox.is_closed() {
                report.closed.push(id);
                continue;
            }
            let layout = layout.into();
            let encoded = self.encoded.entry(layout).or_insert_with(|| {
                report.encodings += 1;
                let mut failed = false;
                for event in events {
                    let start = self.scratch.len();
                    if let Err(error) =
                        encode_event(event, layout.context(), &mut self.scratch, &mut self.frames)
                    {
                        // Drop the event's packets written before the failing one.
                        self.scratch.truncate(start);
                        report.errors.push((layout, error));
                        failed = true;
                    }
                }
                match (self.scratch.is_empty(), failed) {
                    (true, false) => Encoded::Nothing,
                    (true, true) => Encoded::Failed,
                    // The frames leave the scratch buffer, which keeps the rest of its
                    // capacity for the next layout.
                    (false, _) => Encoded::Frames(self.scratch.split().freeze()),
                }
            });
            match encoded {
                Encoded::Frames(frames) => match outbox.push(frames.clone()) {
                    Ok(()) => report.delivered += 1,
                    Err(PushError::Overflow { .. } | PushError::Closed) => report.closed.push(id),
                },
                Encoded::Nothing => report.nothing_to_send += 1,
                Encoded::Failed => report.failed.push(id),
            }
        }
        // Hold no frames between broadcasts: once the outboxes drain, the scratch buffer
        // gets its allocation back.
        self.encoded.clear();
        report
    }

    /// Encodes several events for one recipient and pushes them as few outbox items as
    /// fit in [`BATCH_ITEM`] bytes each (an event's packets are never split across
    /// items). This is for bursts to one session, such as every online user's presence
    /// at login: one item per event would cost thousands of queue slots and allocations.
    ///
    /// An event the layout cannot carry is left out and reported in
    /// [`BroadcastReport::errors`] (and the recipient in `failed`); the others still go.
    /// `encodings` counts the events encoded; `delivered` is 1 when the outbox took
    /// everything there was to send.
    ///
    /// ```
    /// use chio_packets::Context;
    /// use chio_packets::events::ServerEvent;
    /// use chio_server::broadcast::Broadcast;
    /// use chio_server::outbox::Outbox;
    /// use chio_server::session::SessionIds;
    ///
    /// let (id, outbox) = (SessionIds::new().next(), Outbox::default());
    /// let events = (0..500).map(|i| ServerEvent::Announce(format!("line {i}").into()));
    /// let report = Broadcast::new().send_each(events, (id, Context::new(20250306), &outbox));
    /// assert_eq!((report.delivered, report.encodings), (1, 500));
    /// assert_eq!(outbox.queued_frames(), 1); // 500 packets of about 17 bytes: one item
    /// ```
    pub fn send_each<'e, L: Into<WireLayout>>(
        &mut self,
        events: impl IntoIterator<Item = ServerEvent<'e>>,
        (id, layout, outbox): (SessionId, L, &Outbox),
    ) -> BroadcastReport {
        let layout = layout.into();
        let ctx = layout.context();
        let mut report = BroadcastReport { recipients: 1, ..BroadcastReport::default() };
        self.scratch.clear();
        let mut open = !outbox.is_closed();
        let push = |item: &mut BytesMut, open: &mut bool| {
            if *open && !item.is_empty() && outbox.push(item.split().freeze()).is_err() {
                *open = false;
            }
            item.clear();
        };
        for event in events {
            if !open {
                break;
            }
            let start = self.scratch.len();
            report.encodings += 1;
            if let Err(error) = encode_event(&event, ctx, &mut self.scratch, &mut self.frames) {
                self.scratch.truncate(start);
                report.errors.push((layout, error));
                continue;
            }
            if self.scratch.len() >= BATCH_ITEM {
                push(&mut self.scratch, &mut open);
            }
        }
        push(&mut self.scratch, &mut open);
        if !report.errors.is_empty() {
            report.failed.push(id);
        }
        if open {
            report.delivered = 1;
        } else {
            report.closed.push(id);
        }
        report
    }
}

/// The size at which [`Broadcast::send_each`] starts a new outbox item: half an HTTP
/// poll's soft cap, so a poll takes whole items.
pub const BATCH_ITEM: usize = crate::outbox::POLL_SOFT_CAP / 2;

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use chio_packets::Context;
    use chio_packets::build::REVISIONS;
    use chio_packets::events::ChatMessage;

    use super::*;
    use crate::layout::fixtures;
    use crate::outbox::OutboxLimits;
    use crate::session::SessionIds;

    struct Session {
        id: SessionId,
        ctx: Context,
        outbox: Outbox,
    }

    /// `count` sessions spread over every revision: first builds and builds between
    /// revisions, every seventh with protocol 19 negotiated.
    fn sessions(count: usize) -> Vec<Session> {
        let ids = SessionIds::new();
        (0..count)
            .map(|i| {
                let revision = REVISIONS[i % REVISIONS.len()];
                let next = REVISIONS.get(i % REVISIONS.len() + 1).map_or(u32::MAX, |next| next.build);
                let build =
                    if i % 2 == 0 { revision.build } else { revision.build + (next - revision.build) / 2 };
                let mut ctx = Context::new(build);
                if i % 7 == 0 {
                    ctx = ctx.with_protocol(19);
                }
                Session { id: ids.next(), ctx, outbox: Outbox::default() }
            })
            .collect()
    }

    fn own_encoding(event: &ServerEvent<'_>, ctx: Context) -> Result<Vec<u8>, EncodeError> {
        let mut buf = BytesMut::new();
        encode_event(event, ctx, &mut buf, &mut FrameWriter::new()).map(|()| buf.to_vec())
    }

    fn queued(outbox: &Outbox) -> Vec<u8> {
        outbox.drain_up_to(usize::MAX).concat()
    }

    #[test]
    fn ten_thousand_sessions_cost_one_encoding_per_layout() {
        let sessions = sessions(10_000);
        let layouts: HashSet<_> = sessions.iter().map(|s| WireLayout::of(s.ctx)).collect();
        let revisions: HashSet<_> = sessions.iter().map(|s| s.ctx.revision().build).collect();
        assert_eq!(revisions.len(), REVISIONS.len());
        // The bound the module documentation gives.
        assert!(layouts.len() < 2 * REVISIONS.len(), "{} layouts", layouts.len());

        let mut broadcast = Broadcast::new();
        let events = fixtures::events();
        let sample = ["message #osu", "user stats", "user presence", "match update id 300", "ping"];
        for (name, event) in events.iter().filter(|(name, _)| sample.contains(name)) {
            let report = broadcast.send(event, sessions.iter().map(|s| (s.id, s.ctx, &s.outbox)), &[]);
            assert_eq!(report.recipients, 10_000, "{name}");
            assert_eq!(report.encodings, layouts.len(), "{name}");
            assert!(report.errors.is_empty(), "{name}: {:?}", report.errors);
            assert!(report.closed.is_empty(), "{name}");
            assert_eq!(report.delivered + report.nothing_to_send, 10_000, "{name}");
            for s in &sessions {
                let expected = own_encoding(event, s.ctx).unwrap();
                assert_eq!(
                    queued(&s.outbox),
                    expected,
                    "{name}: b{} protocol {}",
                    s.ctx.build(),
                    s.ctx.protocol()
                );
            }
        }
        println!("10,000 sessions, {} revisions: {} encodings per event", revisions.len(), layouts.len());
    }

    #[test]
    fn recipients_of_one_layout_share_one_allocation() {
        let sessions = sessions(300);
        let mut broadcast = Broadcast::new();
        broadcast.send(&ServerEvent::Ping, sessions.iter().map(|s| (s.id, s.ctx, &s.outbox)), &[]);
        // The sessions with the newest build's layout, whatever the number of revisions.
        let newest: Vec<_> = sessions
            .iter()
            .filter(|s| WireLayout::of(s.ctx) == WireLayout::of(Context::NEWEST))
            .map(|s| s.outbox.drain_up_to(usize::MAX))
            .collect();
        assert!(newest.len() > 1);
        for frames in &newest {
            assert_eq!(frames.len(), 1);
            assert_eq!(frames[0].as_ptr(), newest[0][0].as_ptr());
        }
    }

    #[test]
    fn exclusions_and_closed_outboxes_are_skipped() {
        let sessions = sessions(150);
        let excluded = [sessions[3].id, sessions[80].id];
        sessions[5].outbox.close();
        sessions[6].outbox.close();
        let event = ServerEvent::Message(ChatMessage {
            sender: "BanchoBot".into(),
            content: "hello".into(),
            target: "#osu".into(),
            sender_id: 1,
        });
        let report =
            Broadcast::new().send(&event, sessions.iter().map(|s| (s.id, s.ctx, &s.outbox)), &excluded);
        assert_eq!(report.recipients, 150);
        assert_eq!(report.excluded, 2);
        assert_eq!(report.closed, [sessions[5].id, sessions[6].id]);
        assert_eq!(report.delivered + report.nothing_to_send, 146);
        for (i, s) in sessions.iter().enumerate() {
            let got = queued(&s.outbox);
            if [3, 80, 5, 6].contains(&i) {
                assert!(got.is_empty(), "session {i}");
            } else {
                assert_eq!(got, own_encoding(&event, s.ctx).unwrap(), "session {i}");
            }
        }
    }

    #[test]
    fn the_gzip_level_applies_to_old_builds_only() {
        let event = ServerEvent::Announce("bancho ".repeat(40).into());
        let wire = |level: GzipLevel, build: u32| {
            let outbox = Outbox::default();
            let ctx = Context::new(build);
            Broadcast::new().with_gzip_level(level).send(&event, [(SessionId::new(1), ctx, &outbox)], &[]);
            queued(&outbox)
        };
        for build in [291, 1797] {
            let (stored, best) = (wire(GzipLevel::Stored, build), wire(GzipLevel::Best, build));
            // The default stores; deflate shrinks this repetitive text; both read back.
            assert_eq!(stored, own_encoding(&event, Context::new(build)).unwrap(), "b{build}");
            assert!(best.len() < stored.len() / 2, "b{build}: {} vs {}", best.len(), stored.len());
            for bytes in [&stored, &best] {
                let frame =
                    chio_packets::wire::Frames::<chio_packets::FromServer>::new(bytes, Context::new(build))
                        .next()
                        .unwrap()
                        .unwrap();
                assert!(frame.compressed);
                assert_eq!(&frame.payload[..], &stored_payload(&event, build)[..]);
            }
        }
        assert_eq!(wire(GzipLevel::Best, 1800), wire(GzipLevel::Stored, 1800), "b1800 never compresses");
    }

    /// The announcement's uncompressed payload for `build`.
    fn stored_payload(event: &ServerEvent<'_>, build: u32) -> Vec<u8> {
        let ServerEvent::Announce(text) = event else { unreachable!("an announcement") };
        chio_packets::Encode::encode_payload(
            &chio_packets::chat::BanchoAnnounce(text.clone()),
            Context::new(build),
        )
        .unwrap()
    }

    #[test]
    fn an_outbox_that_overflows_is_reported_closed() {
        let small = Outbox::new(OutboxLimits { max_bytes: 20, max_frames: 10 });
        let open = Outbox::default();
        let ctx = Context::NEWEST;
        let event = ServerEvent::Announce("a long enough announcement".into());
        let recipients = [(SessionId::new(1), ctx, &small), (SessionId::new(2), ctx, &open)];
        let report = Broadcast::new().send(&event, recipients, &[]);
        assert_eq!(report.closed, [SessionId::new(1)]);
        assert_eq!(report.delivered, 1);
        assert!(small.is_closed());
        assert_eq!(queued(&open), own_encoding(&event, ctx).unwrap());
    }

    /// Each build's batch is byte for byte the events written one by one, cut into items at
    /// event boundaries of at most `BATCH_ITEM` bytes plus one event; an event the build
    /// cannot carry is left out without harming the rest.
    #[test]
    fn a_batch_is_the_events_one_by_one_in_few_items() {
        let friends = ServerEvent::FriendsList((0..70_000).collect());
        let events = || {
            (0..3_000).map(|i| match i {
                1_500 => friends.clone(),
                _ if i % 2 == 0 => ServerEvent::UserPresence(fixtures::user()),
                _ => ServerEvent::UserStats(fixtures::user()),
            })
        };
        let mut broadcast = Broadcast::new();
        for build in [282, 1000, 1788, 20121224, 20250306] {
            let ctx = Context::new(build);
            let mut expected = Vec::new();
            let mut largest = 0;
            for event in events() {
                if let Ok(bytes) = own_encoding(&event, ctx) {
                    largest = largest.max(bytes.len());
                    expected.extend(bytes);
                }
            }
            let outbox = Outbox::default();
            let report = broadcast.send_each(events(), (SessionId::new(7), ctx, &outbox));
            assert_eq!(report.encodings, 3_000, "b{build}");
            assert_eq!(report.delivered, 1, "b{build}");
            let fails = own_encoding(&friends, ctx).is_err();
            assert_eq!(report.errors.len(), usize::from(fails), "b{build}");
            assert_eq!(report.failed.len(), usize::from(fails), "b{build}");
            let items = outbox.drain_up_to(usize::MAX);
            assert!(items.len() > 1 && items.len() <= expected.len() / BATCH_ITEM + 1, "b{build}");
            assert!(items.iter().all(|item| item.len() < BATCH_ITEM + largest), "b{build}");
            assert_eq!(items.concat(), expected, "b{build}");
        }
    }

    #[test]
    fn a_batch_stops_at_an_outbox_that_overflows() {
        let small = Outbox::new(OutboxLimits { max_bytes: BATCH_ITEM * 2, max_frames: 100 });
        let events = (0..10_000).map(|_| ServerEvent::UserPresence(fixtures::user()));
        let report = Broadcast::new().send_each(events, (SessionId::new(3), Context::NEWEST, &small));
        assert_eq!(report.closed, [SessionId::new(3)]);
        assert_eq!(report.delivered, 0);
        assert!(small.is_closed());
        // It stopped encoding once the outbox closed.
        assert!(report.encodings < 10_000, "{}", report.encodings);
    }

    #[test]
    fn builds_without_the_packet_get_nothing() {
        // Matches start at b298, and a match id above 255 is not sent before b1796.
        let sessions = sessions(150);
        let event = ServerEvent::MatchUpdate(fixtures::a_match());
        let report = Broadcast::new().send(&event, sessions.iter().map(|s| (s.id, s.ctx, &s.outbox)), &[]);
        let without = sessions.iter().filter(|s| s.ctx.build() < 1796).count();
        assert!(without > 0 && without < 150);
        assert_eq!(report.nothing_to_send, without);
        assert_eq!(report.delivered, 150 - without);
        for s in &sessions {
            assert_eq!(queued(&s.outbox).is_empty(), s.ctx.build() < 1796);
        }
    }

    #[test]
    fn a_layout_that_cannot_carry_the_event_is_skipped_not_panicked_on() {
        // 70,000 friends: b452–b1787 count them in an i32, b1788+ in a u16, which cannot
        // hold the count; builds before b452 have no friends list.
        let ids = SessionIds::new();
        let sessions: Vec<_> = [300, 452, 1000, 1787, 1788, 20121224, 20250306, 20250306, 1000]
            .into_iter()
            .map(|build| Session { id: ids.next(), ctx: Context::new(build), outbox: Outbox::default() })
            .collect();
        let friends = ServerEvent::FriendsList((0..70_000).collect());
        let recipients = || sessions.iter().map(|s| (s.id, s.ctx, &s.outbox));
        let mut broadcast = Broadcast::new();
        let report = broadcast.send(&friends, recipients(), &[]);

        let failing: Vec<_> = sessions.iter().filter(|s| s.ctx.build() >= 1788).map(|s| s.id).collect();
        let carried = sessions.iter().filter(|s| (452..1788).contains(&s.ctx.build())).count();
        assert!(!failing.is_empty() && carried > 0);
        assert_eq!(report.failed, failing);
        assert_eq!(report.delivered, carried);
        assert_eq!(report.nothing_to_send, sessions.len() - carried - failing.len());
        let failed_layouts: HashSet<_> =
            sessions.iter().filter(|s| s.ctx.build() >= 1788).map(|s| WireLayout::of(s.ctx)).collect();
        assert_eq!(report.errors.len(), failed_layouts.len());
        assert!(report.errors.iter().all(|(layout, _)| failed_layouts.contains(layout)));
        for s in &sessions {
            match own_encoding(&friends, s.ctx) {
                Ok(expected) => assert_eq!(queued(&s.outbox), expected),
                Err(_) => assert!(queued(&s.outbox).is_empty()),
            }
        }

        // The failed encodings leave nothing in the scratch buffer for the next event.
        let report = broadcast.send(&ServerEvent::Ping, recipients(), &[]);
        assert!(report.failed.is_empty());
        for s in &sessions {
            assert_eq!(queued(&s.outbox), own_encoding(&ServerEvent::Ping, s.ctx).unwrap());
        }
    }
}
