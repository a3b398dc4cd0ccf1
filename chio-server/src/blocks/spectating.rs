//! Who watches whom, and the replay frames relayed from each player to their spectators.
//!
//! Follows anchor (`handlers/osu/spectator.py`, see `docs/design/server-research.md` §6):
//!
//! - [`Spectating::start`] refuses to watch yourself and leaves the previous host first;
//!   the host gets `SpectatorJoined`, and the new spectator and the host's other spectators
//!   get `FellowSpectatorJoined` about each other.
//! - [`Spectating::frames`] decodes nothing itself: the server hands it the decoded bundle,
//!   and it goes to every spectator in one [`Mailer::send_all`], so it is encoded once per
//!   wire layout and every spectator reads its own build's form.
//! - A bounded backlog of the host's recent bundles is replayed to a spectator who joins
//!   mid-play, so it does not wait for the next bundle to see anything.
//!
//! The `#spectator` channel (internally `#spec_<host user id>`) is the server's to create,
//! join and remove: [`Started`] and [`Stopped`] say when.

use std::collections::{HashMap, VecDeque};

use chio_packets::events::ServerEvent;
use chio_packets::spectating::{ReplayAction, ReplayFrameBundle};

use crate::mail::Mailer;
use crate::registry::SessionHandle;
use crate::session::SessionId;

/// How many of a host's most recent frame bundles are kept for new spectators by default.
pub const DEFAULT_BACKLOG: usize = 16;

/// The most replay frames the backlog of one host keeps in all; older bundles are dropped
/// first, and a single bundle above it keeps only its newest frames. A client may send
/// bundles of up to 65,535 frames, which the backlog must not keep many of.
pub const MAX_BACKLOG_FRAMES: usize = 2048;

/// The name of the hidden channel of a host's spectators: `#spec_<host user id>`, shown
/// to clients as `#spectator`.
pub fn spectator_channel(host_user_id: i32) -> String {
    format!("#spec_{host_user_id}")
}

/// Why a spectator could not start watching.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SpectateError {
    /// A client cannot watch itself.
    #[error("a player cannot spectate themselves")]
    SelfSpectate,
}

/// A spectator started watching: what the server needs to wire the `#spectator` channel.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Started {
    /// The host's spectator channel (`#spec_<host user id>`).
    pub channel: String,
    /// Whether this is the host's first spectator: the server creates the channel and
    /// joins the host to it too.
    pub first_spectator: bool,
    /// The watching the spectator gave up to watch this host, if it watched someone else.
    pub left: Option<Stopped>,
}

/// A spectator stopped watching (or its host went away).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stopped {
    /// The session that stopped watching.
    pub spectator: SessionId,
    /// The session it watched.
    pub host: SessionId,
    /// The host's spectator channel, which the spectator leaves.
    pub channel: String,
    /// Whether the host has no spectators left: the server removes the channel.
    pub last_spectator: bool,
}

/// One host with at least one spectator.
#[derive(Debug)]
struct Watched {
    host: SessionHandle,
    spectators: Vec<SessionHandle>,
    backlog: VecDeque<ReplayFrameBundle<'static>>,
    /// Frames held by `backlog`, kept at most [`MAX_BACKLOG_FRAMES`].
    backlog_frames: usize,
}

/// The spectating block: hosts, their spectators and their recent frames. See the
/// [module documentation](self).
///
/// A host's backlog lives only while the host has spectators (clients send frames only
/// then), so its memory is bounded by the hosts being watched.
#[derive(Debug)]
pub struct Spectating {
    /// Hosts with at least one spectator, by session.
    hosts: HashMap<SessionId, Watched>,
    /// Spectator → the host it watches.
    watching: HashMap<SessionId, SessionId>,
    backlog_len: usize,
}

impl Default for Spectating {
    fn default() -> Self {
        Self::new()
    }
}

impl Spectating {
    /// No one watching anyone, with a backlog of [`DEFAULT_BACKLOG`] bundles per host.
    pub fn new() -> Self {
        Self::with_backlog(DEFAULT_BACKLOG)
    }

    /// As [`new`](Self::new), keeping the last `bundles` bundles per host (0 keeps none).
    pub fn with_backlog(bundles: usize) -> Self {
        Self { hosts: HashMap::new(), watching: HashMap::new(), backlog_len: bundles }
    }

    /// `spectator` starts watching `host`: `SpectatorJoined` to the host,
    /// `FellowSpectatorJoined` both ways between the spectator and the host's other
    /// spectators, then the host's backlog to the spectator. A spectator watching someone
    /// else (or this host already) leaves first, as in [`stop`](Self::stop).
    pub fn start(
        &mut self,
        mail: &mut Mailer,
        spectator: &SessionHandle,
        host: &SessionHandle,
    ) -> Result<Started, SpectateError> {
        if spectator.id() == host.id() {
            return Err(SpectateError::SelfSpectate);
        }
        let left = self.stop(mail, spectator);

        let watched = self.hosts.entry(host.id()).or_insert_with(|| Watched {
            host: host.clone(),
            spectators: Vec::new(),
            backlog: VecDeque::new(),
            backlog_frames: 0,
        });
        let first_spectator = watched.spectators.is_empty();
        mail.send(&watched.host, &ServerEvent::SpectatorJoined(spectator.user_id()));
        mail.send_all(&watched.spectators, &ServerEvent::FellowSpectatorJoined(spectator.user_id()), &[]);
        for fellow in &watched.spectators {
            mail.send(spectator, &ServerEvent::FellowSpectatorJoined(fellow.user_id()));
        }
        for bundle in &watched.backlog {
            // The backlog's bundles are owned: the event borrows nothing new.
            mail.send(spectator, &ServerEvent::SpectateFrames(bundle.clone()));
        }
        watched.spectators.push(spectator.clone());
        self.watching.insert(spectator.id(), host.id());
        Ok(Started { channel: spectator_channel(host.user_id()), first_spectator, left })
    }

    /// `spectator` stops watching: `SpectatorLeft` to its host, `FellowSpectatorLeft` to
    /// the host's other spectators. `None` if it watched no one.
    pub fn stop(&mut self, mail: &mut Mailer, spectator: &SessionHandle) -> Option<Stopped> {
        self.stop_id(mail, spectator.id(), spectator.user_id())
    }

    fn stop_id(&mut self, mail: &mut Mailer, spectator: SessionId, user_id: i32) -> Option<Stopped> {
        let host_id = self.watching.remove(&spectator)?;
        let watched = self.hosts.get_mut(&host_id)?;
        watched.spectators.retain(|s| s.id() != spectator);
        mail.send(&watched.host, &ServerEvent::SpectatorLeft(user_id));
        mail.send_all(&watched.spectators, &ServerEvent::FellowSpectatorLeft(user_id), &[]);
        let channel = spectator_channel(watched.host.user_id());
        let last_spectator = watched.spectators.is_empty();
        if last_spectator {
            self.hosts.remove(&host_id);
        }
        Some(Stopped { spectator, host: host_id, channel, last_spectator })
    }

    /// Relays `bundle` from `host` to all its spectators, encoded once per wire layout,
    /// and keeps an owned copy in the host's backlog. A bundle that starts a new song
    /// clears the backlog first, so a new spectator never sees the previous play. Nothing
    /// happens for a host without spectators.
    pub fn frames(&mut self, mail: &mut Mailer, host: &SessionHandle, bundle: &ReplayFrameBundle<'_>) {
        let Some(watched) = self.hosts.get_mut(&host.id()) else {
            return;
        };
        let event = ServerEvent::SpectateFrames(bundle.clone().into_owned());
        mail.send_all(&watched.spectators, &event, &[]);
        if self.backlog_len == 0 {
            return;
        }
        let ServerEvent::SpectateFrames(mut kept) = event else {
            return;
        };
        if kept.action == ReplayAction::NewSong {
            watched.backlog.clear();
            watched.backlog_frames = 0;
        }
        // Keep the newest frames of an oversized bundle.
        if kept.frames.len() > MAX_BACKLOG_FRAMES {
            kept.frames.drain(..kept.frames.len() - MAX_BACKLOG_FRAMES);
        }
        // The score frame's checksum is client text the events layer recomputes for the
        // builds that carry it: the backlog need not keep it.
        if let Some(score) = kept.score_frame.as_mut() {
            score.checksum = Default::default();
        }
        watched.backlog_frames += kept.frames.len();
        watched.backlog.push_back(kept);
        while watched.backlog.len() > self.backlog_len || watched.backlog_frames > MAX_BACKLOG_FRAMES {
            match watched.backlog.pop_front() {
                Some(old) => watched.backlog_frames -= old.frames.len(),
                None => break,
            }
        }
    }

    /// `spectator` does not have the map: `SpectatorCantSpectate(its user id)` to the host
    /// and the host's other spectators.
    pub fn cant_spectate(&mut self, mail: &mut Mailer, spectator: &SessionHandle) {
        let Some(watched) = self.watching.get(&spectator.id()).and_then(|host| self.hosts.get(host)) else {
            return;
        };
        let event = ServerEvent::SpectatorCantSpectate(spectator.user_id());
        mail.send(&watched.host, &event);
        mail.send_all(&watched.spectators, &event, &[spectator.id()]);
    }

    /// Forgets `session` on logout, as a spectator and as a host.
    ///
    /// As a spectator it stops as in [`stop`](Self::stop). As a host, each of its
    /// spectators stops watching: nothing is sent to them (the user-quit the server
    /// broadcasts ends their spectating), but each gets a [`Stopped`] so that the server
    /// takes it out of the channel, the last one with `last_spectator` set.
    pub fn remove_session(&mut self, mail: &mut Mailer, session: &SessionHandle) -> Vec<Stopped> {
        let mut stopped: Vec<Stopped> = self.stop(mail, session).into_iter().collect();
        if let Some(watched) = self.hosts.remove(&session.id()) {
            let channel = spectator_channel(watched.host.user_id());
            let count = watched.spectators.len();
            for (i, spectator) in watched.spectators.iter().enumerate() {
                self.watching.remove(&spectator.id());
                stopped.push(Stopped {
                    spectator: spectator.id(),
                    host: session.id(),
                    channel: channel.clone(),
                    last_spectator: i + 1 == count,
                });
            }
        }
        stopped
    }

    /// The spectators of the host with this session id, in the order they started.
    pub fn spectators_of(&self, host: SessionId) -> &[SessionHandle] {
        self.hosts.get(&host).map_or(&[], |watched| &watched.spectators)
    }

    /// The host the spectator with this session id watches.
    pub fn host_of(&self, spectator: SessionId) -> Option<&SessionHandle> {
        self.watching.get(&spectator).and_then(|host| self.hosts.get(host)).map(|watched| &watched.host)
    }

    /// How many bundles the backlog of the host with this session id holds.
    pub fn backlog_len(&self, host: SessionId) -> usize {
        self.hosts.get(&host).map_or(0, |watched| watched.backlog.len())
    }
}

#[cfg(test)]
mod tests {
    use chio_packets::ServerPacket;
    use chio_packets::spectating::{BanchoSpectateFrames, ButtonState, ReplayFrame, ScoreFrame};

    use super::*;
    use crate::testkit::{Kit, names, received};

    const MODERN: u32 = 20250306;

    /// A modern host (user 1) and two sessions that may watch it: a modern `a` (user 2) and
    /// `b` (user 3).
    struct Audience {
        kit: Kit,
        host: SessionHandle,
        a: SessionHandle,
        b: SessionHandle,
        mail: Mailer,
        spec: Spectating,
    }

    impl Audience {
        /// `b` is of `b_build`; nobody watches yet.
        fn new(b_build: u32) -> Self {
            let (kit, host, mail, spec) = stage(MODERN);
            let a = kit.session(2, "a", MODERN);
            let b = kit.session(3, "b", b_build);
            Self { kit, host, a, b, mail, spec }
        }
    }

    /// A host (user 1) of `host_build` online, and nobody watching.
    fn stage(host_build: u32) -> (Kit, SessionHandle, Mailer, Spectating) {
        let kit = Kit::new();
        let host = kit.session(1, "host", host_build);
        (kit, host, Mailer::new(), Spectating::new())
    }

    /// Each of `spectators` starts watching `host`; what they were sent is dropped.
    fn watch_all<'s>(
        spec: &mut Spectating,
        mail: &mut Mailer,
        host: &SessionHandle,
        spectators: impl IntoIterator<Item = &'s SessionHandle>,
    ) {
        for s in spectators {
            spec.start(mail, s, host).unwrap();
            received(s);
        }
    }

    /// Drops what the sessions have been sent so far.
    fn drain(sessions: &[&SessionHandle]) {
        for s in sessions {
            received(s);
        }
    }

    fn bundle(action: ReplayAction, frames: usize, time: i32) -> ReplayFrameBundle<'static> {
        ReplayFrameBundle {
            frames: (0..frames)
                .map(|i| ReplayFrame {
                    button_state: ButtonState::LEFT1,
                    x: i as f32,
                    y: 100.0,
                    time: time + i as i32,
                    ..ReplayFrame::default()
                })
                .collect(),
            action,
            score_frame: Some(ScoreFrame {
                time,
                total_300: 7,
                total_score: 1234,
                hp: 200,
                ..ScoreFrame::default()
            }),
            ..ReplayFrameBundle::default()
        }
    }

    /// The bundles of the `BanchoSpectateFrames` packets queued for the session.
    fn bundles(session: &SessionHandle) -> Vec<ReplayFrameBundle<'static>> {
        received(session)
            .into_iter()
            .filter_map(|packet| match packet {
                ServerPacket::BanchoSpectateFrames(BanchoSpectateFrames(bundle)) => Some(bundle),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn start_and_stop_tell_the_host_and_the_fellows() {
        let Audience { host, a, b, mut mail, mut spec, .. } = Audience::new(1000);

        let started = spec.start(&mut mail, &a, &host).unwrap();
        assert_eq!(started, Started { channel: "#spec_1".into(), first_spectator: true, left: None });
        let started = spec.start(&mut mail, &b, &host).unwrap();
        assert!(!started.first_spectator);
        assert_eq!(names(&host), ["BanchoSpectatorJoined", "BanchoSpectatorJoined"]);
        assert_eq!(
            received(&a).last(),
            Some(&ServerPacket::BanchoFellowSpectatorJoined(
                chio_packets::spectating::BanchoFellowSpectatorJoined { user_id: 3 }
            ))
        );
        assert_eq!(
            received(&b),
            [ServerPacket::BanchoFellowSpectatorJoined(
                chio_packets::spectating::BanchoFellowSpectatorJoined { user_id: 2 }
            )]
        );
        assert_eq!(spec.spectators_of(host.id()).len(), 2);
        assert_eq!(spec.host_of(b.id()).map(SessionHandle::id), Some(host.id()));

        let stopped = spec.stop(&mut mail, &a).unwrap();
        assert_eq!(
            stopped,
            Stopped { spectator: a.id(), host: host.id(), channel: "#spec_1".into(), last_spectator: false }
        );
        assert_eq!(
            received(&host),
            [ServerPacket::BanchoSpectatorLeft(chio_packets::spectating::BanchoSpectatorLeft { user_id: 2 })]
        );
        assert_eq!(names(&b), ["BanchoFellowSpectatorLeft"]);
        assert!(names(&a).is_empty());
        assert!(spec.stop(&mut mail, &a).is_none());
        assert!(spec.stop(&mut mail, &b).unwrap().last_spectator);
        assert!(spec.spectators_of(host.id()).is_empty());
        assert!(spec.host_of(b.id()).is_none());
    }

    #[test]
    fn self_spectating_is_refused_and_a_new_host_replaces_the_old() {
        // Two hosts, `old` (user 1) and `new` (user 2), and a spectator `s`.
        let Audience { host: old, a: new, b: s, mut mail, mut spec, .. } = Audience::new(MODERN);
        assert_eq!(spec.start(&mut mail, &s, &s), Err(SpectateError::SelfSpectate));
        assert!(names(&s).is_empty());

        spec.start(&mut mail, &s, &old).unwrap();
        let started = spec.start(&mut mail, &s, &new).unwrap();
        let left = started.left.expect("left the old host");
        assert_eq!((left.host, left.last_spectator, left.channel.as_str()), (old.id(), true, "#spec_1"));
        assert_eq!(started.channel, "#spec_2");
        assert_eq!(names(&old), ["BanchoSpectatorJoined", "BanchoSpectatorLeft"]);
        assert_eq!(names(&new), ["BanchoSpectatorJoined"]);
        assert!(spec.spectators_of(old.id()).is_empty());
        assert_eq!(spec.host_of(s.id()).map(SessionHandle::id), Some(new.id()));
    }

    #[test]
    fn frames_are_encoded_once_per_layout() {
        let (kit, host, mut mail, mut spec) = stage(MODERN);
        let spectators = [
            kit.session(2, "a", 282),
            kit.session(3, "b", 20121224),
            kit.session(4, "c", MODERN),
            kit.session(5, "d", MODERN),
            kit.session(6, "e", MODERN),
        ];
        watch_all(&mut spec, &mut mail, &host, &spectators);
        let before = mail.encodings();
        spec.frames(&mut mail, &host, &bundle(ReplayAction::Standard, 3, 0));
        assert_eq!(mail.encodings() - before, 3);
        for s in &spectators {
            assert_eq!(bundles(s).len(), 1, "{}", s.name());
        }
    }

    #[test]
    fn each_build_reads_its_own_form_of_the_same_frames() {
        let (kit, host, mut mail, mut spec) = stage(1000);
        let old = kit.session(2, "old", 282);
        let mid = kit.session(3, "mid", 20121224);
        let new = kit.session(4, "new", MODERN);
        watch_all(&mut spec, &mut mail, &host, [&old, &mid, &new]);
        let sent = bundle(ReplayAction::Standard, 4, 500);
        spec.frames(&mut mail, &host, &sent);

        let [old_got, mid_got, new_got] = [&old, &mid, &new].map(|s| {
            let mut got = bundles(s);
            assert_eq!(got.len(), 1, "b{}", s.ctx().build());
            got.remove(0)
        });
        for got in [&old_got, &mid_got, &new_got] {
            assert_eq!(got.frames.len(), 4);
            for (frame, want) in got.frames.iter().zip(&sent.frames) {
                assert_eq!((frame.x, frame.y, frame.time), (want.x, want.y, want.time));
            }
        }
        // b282: buttons as booleans, no score frame on the wire.
        assert!(old_got.frames.iter().all(|f| f.left && !f.right && f.button_state.is_empty()));
        assert_eq!(old_got.score_frame, None);
        // Later builds: the button state, and the score frame.
        for got in [&mid_got, &new_got] {
            assert!(got.frames.iter().all(|f| f.button_state == ButtonState::LEFT1 && !f.left));
            assert_eq!(got.score_frame.as_ref().map(|f| f.total_score), Some(1234));
        }
        // b20121224 has no `extra` on the wire: it reads back as the default.
        assert_eq!(mid_got.extra, -1);
        assert_eq!(new_got.extra, sent.extra);
    }

    #[test]
    fn a_late_spectator_gets_the_bounded_backlog() {
        let Audience { host, a: first, b: late, mut mail, .. } = Audience::new(1000);
        let mut spec = Spectating::with_backlog(4);

        // No spectators: nothing kept.
        spec.frames(&mut mail, &host, &bundle(ReplayAction::Standard, 1, 0));
        assert_eq!(spec.backlog_len(host.id()), 0);

        spec.start(&mut mail, &first, &host).unwrap();
        for i in 0..10 {
            spec.frames(&mut mail, &host, &bundle(ReplayAction::Standard, 2, i * 100));
        }
        assert_eq!(spec.backlog_len(host.id()), 4);
        spec.start(&mut mail, &late, &host).unwrap();
        let got = bundles(&late);
        let times: Vec<i32> = got.iter().map(|b| b.frames[0].time).collect();
        assert_eq!(times, [600, 700, 800, 900]);
        assert_eq!(names(&late), Vec::<&str>::new());

        // A new song starts the backlog over.
        spec.frames(&mut mail, &host, &bundle(ReplayAction::NewSong, 1, 5000));
        assert_eq!(spec.backlog_len(host.id()), 1);

        // The last spectator leaving drops the backlog.
        spec.stop(&mut mail, &first);
        spec.stop(&mut mail, &late);
        assert_eq!(spec.backlog_len(host.id()), 0);
    }

    #[test]
    fn the_backlog_bounds_its_frames() {
        let Audience { host, a, b, mut mail, mut spec, .. } = Audience::new(MODERN);
        spec.start(&mut mail, &a, &host).unwrap();
        let mut huge = bundle(ReplayAction::Standard, MAX_BACKLOG_FRAMES + 10, 0);
        huge.score_frame.as_mut().unwrap().checksum = "x".repeat(10_000).into();
        spec.frames(&mut mail, &host, &huge);
        // The live spectator gets every frame.
        assert_eq!(bundles(&a)[0].frames.len(), MAX_BACKLOG_FRAMES + 10);
        spec.frames(&mut mail, &host, &bundle(ReplayAction::Standard, 5, 99_999));

        spec.start(&mut mail, &b, &host).unwrap();
        let got = bundles(&b);
        // The huge bundle no longer fits beside the newer one.
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].frames[0].time, 99_999);
        let kept: usize = spec.hosts[&host.id()].backlog.iter().map(|b| b.frames.len()).sum();
        assert_eq!(kept, 5);
    }

    #[test]
    fn cant_spectate_reaches_the_host_and_the_fellows() {
        let Audience { host, a, b, mut mail, mut spec, .. } = Audience::new(20121224);
        spec.cant_spectate(&mut mail, &a);
        assert!(names(&host).is_empty());
        spec.start(&mut mail, &a, &host).unwrap();
        spec.start(&mut mail, &b, &host).unwrap();
        drain(&[&host, &a, &b]);
        spec.cant_spectate(&mut mail, &a);
        assert_eq!(names(&host), ["BanchoSpectatorCantSpectate"]);
        assert_eq!(names(&b), ["BanchoSpectatorCantSpectate"]);
        assert!(names(&a).is_empty());
    }

    #[test]
    fn removing_a_host_releases_its_spectators() {
        let Audience { kit, host, a, b, mut mail, mut spec } = Audience::new(MODERN);
        let other = kit.session(4, "other", MODERN);
        spec.start(&mut mail, &a, &host).unwrap();
        spec.start(&mut mail, &b, &host).unwrap();
        // The host watches someone too.
        spec.start(&mut mail, &host, &other).unwrap();
        drain(&[&host, &other, &a, &b]);

        let stopped = spec.remove_session(&mut mail, &host);
        assert_eq!(stopped.len(), 3);
        assert_eq!(
            (stopped[0].spectator, stopped[0].host, stopped[0].last_spectator),
            (host.id(), other.id(), true)
        );
        assert_eq!(stopped[1].spectator, a.id());
        assert_eq!(stopped[2].spectator, b.id());
        assert!(!stopped[1].last_spectator && stopped[2].last_spectator);
        assert!(stopped[1..].iter().all(|s| s.channel == "#spec_1" && s.host == host.id()));
        assert_eq!(names(&other), ["BanchoSpectatorLeft"]);
        assert!(names(&a).is_empty() && names(&b).is_empty());
        assert!(spec.host_of(a.id()).is_none());
        assert!(spec.spectators_of(host.id()).is_empty());
        // A spectator removed on logout leaves its host.
        spec.start(&mut mail, &a, &other).unwrap();
        received(&other);
        let stopped = spec.remove_session(&mut mail, &a);
        assert_eq!(stopped.len(), 1);
        assert_eq!(names(&other), ["BanchoSpectatorLeft"]);
    }
}
