//! The wire layout of a connection: what decides the bytes a server event becomes.
//!
//! Every encoding decision in `chio-packets` depends on the [`Context`] only through the
//! revision in force for its build (the wire changed at those builds and nowhere
//! between), the protocol version and the match slot count. Two connections that agree
//! on those three get the same bytes for the same event, so a server encodes an event
//! once per [`WireLayout`] among its recipients, not once per recipient
//! (see [`broadcast`](crate::broadcast)).

use bytes::BytesMut;
use chio_packets::build::Revision;
use chio_packets::events::ServerEvent;
use chio_packets::frame::FrameWriter;
use chio_packets::{Context, EncodeError};

/// The key under which encodings are shared: the revision build, protocol version and
/// slot count of a [`Context`].
///
/// The context's sender is not part of it: server events are always written as the
/// server writes them.
///
/// ```
/// use chio_packets::Context;
/// use chio_server::layout::WireLayout;
///
/// // b20140127 and b20140301 lie in the same revision (b20130801): same layout.
/// let a = WireLayout::of(Context::new(20140127));
/// let b = WireLayout::of(Context::new(20140301));
/// assert_eq!(a, b);
/// assert_eq!(a.revision_build(), 20130801);
///
/// // A negotiated protocol is another layout.
/// assert_ne!(WireLayout::of(Context::new(20140528).with_protocol(19)), WireLayout::of(Context::new(20140528)));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct WireLayout {
    revision: u32,
    protocol: u8,
    slots: u8,
}

impl WireLayout {
    /// The layout a connection with this context reads.
    pub const fn of(ctx: Context) -> Self {
        Self { revision: ctx.revision().build, protocol: ctx.protocol(), slots: ctx.slots() }
    }

    /// A context that encodes every server event exactly as any context of this layout
    /// does: the revision's first build, with the protocol version and slot count set.
    pub const fn context(self) -> Context {
        Context::new(self.revision).with_protocol(self.protocol).with_slots(self.slots)
    }

    /// The first build of the revision in force.
    pub const fn revision_build(self) -> u32 {
        self.revision
    }

    /// The revision in force.
    pub const fn revision(self) -> Revision {
        Revision::resolve(self.revision)
    }

    /// The protocol version.
    pub const fn protocol(self) -> u8 {
        self.protocol
    }

    /// The number of match slots on the wire.
    pub const fn slots(self) -> u8 {
        self.slots
    }
}

impl From<Context> for WireLayout {
    fn from(ctx: Context) -> Self {
        Self::of(ctx)
    }
}

/// Writes `event`'s wire packets for `ctx` into `buf` through `frames` (gzip level and
/// deflate state): the one place this crate calls the events layer's writer.
pub(crate) fn encode_event(
    event: &ServerEvent<'_>,
    ctx: Context,
    buf: &mut BytesMut,
    frames: &mut FrameWriter,
) -> Result<(), EncodeError> {
    event.write_with(buf, ctx, frames)
}

/// Server events for tests: a sample of what a server broadcasts.
#[cfg(test)]
pub(crate) mod fixtures {
    use chio_packets::Context;
    use chio_packets::build::REVISIONS;
    use chio_packets::country::Country;
    use chio_packets::events::{Activity, ChatMessage, LoginResult, Presence, ServerEvent, Stats, UserInfo};
    use chio_packets::multiplayer::{
        Match, MatchSlot, MatchType, ScoringType, SlotStatus, SlotTeam, TeamType,
    };
    use chio_packets::presence::QuitState;
    use chio_packets::types::{LoginError, Mode, Mods, Permissions, Status};

    /// A user with everything set, scores high enough to overflow old level displays.
    pub(crate) fn user() -> UserInfo<'static> {
        UserInfo {
            id: 1001,
            name: "Cookiezi".into(),
            presence: Presence {
                is_irc: false,
                timezone: 9,
                country: Country::from_acronym("KR").unwrap(),
                city: "Seoul".into(),
                permissions: Permissions::REGULAR | Permissions::SUPPORTER,
                longitude: 126.97,
                latitude: 37.56,
            },
            status: Activity {
                action: Status::Playing,
                text: "xi - FREEDOM DiVE [FOUR DIMENSIONS]".into(),
                beatmap_checksum: "da8aae79c8f3306b5d65ec951874a7fb".into(),
                mods: Mods::HIDDEN | Mods::HARD_ROCK | Mods::from_bits_retain(1 << 20),
                mode: Mode::Osu,
                beatmap_id: 129891,
                update_stats: true,
            },
            stats: Stats {
                rank: 70_000,
                ranked_score: 40_000_000_000,
                total_score: 90_000_000_000,
                accuracy: 0.9876,
                play_count: 80_000,
                pp: 12_345,
            },
        }
    }

    /// A 16-slot match with a large id, freemod on and wide mods.
    pub(crate) fn a_match() -> Match<'static> {
        let mut slots = vec![
            MatchSlot { status: SlotStatus::OPEN, team: SlotTeam::Neutral, user_id: -1 },
            MatchSlot { status: SlotStatus::NOT_READY, team: SlotTeam::Blue, user_id: 10 },
            MatchSlot { status: SlotStatus::READY, team: SlotTeam::Red, user_id: 20 },
        ];
        slots.resize(16, MatchSlot { status: SlotStatus::OPEN, team: SlotTeam::Neutral, user_id: -1 });
        slots[12] = MatchSlot { status: SlotStatus::READY, team: SlotTeam::Blue, user_id: 30 };
        let mut slot_mods = vec![Mods::HIDDEN; 16];
        slot_mods[1] = Mods::from_bits_retain(1 << 20);
        Match {
            id: 300,
            in_progress: false,
            match_type: MatchType::Standard,
            mods: Mods::DOUBLE_TIME | Mods::from_bits_retain(1 << 20),
            name: "4v4 warmup".into(),
            password: "hunter2".into(),
            beatmap_text: "xi - FREEDOM DiVE".into(),
            beatmap_id: 129891,
            beatmap_checksum: "da8aae79c8f3306b5d65ec951874a7fb".into(),
            slots,
            host_id: 10,
            mode: Mode::Taiko,
            scoring_type: ScoringType::Accuracy,
            team_type: TeamType::TeamVs,
            freemod: true,
            slot_mods,
            seed: 42,
        }
    }

    /// A message, user statistics and presence, a match update, a ping and a few events
    /// whose adaptation depends on the build.
    pub(crate) fn events() -> Vec<(&'static str, ServerEvent<'static>)> {
        let message = |target: &'static str| ChatMessage {
            sender: "peppy".into(),
            content: "see [https://osu.ppy.sh/b/129891 this map] now".into(),
            target: target.into(),
            sender_id: 2,
        };
        let mut small_match = a_match();
        small_match.id = 7;
        vec![
            ("message #osu", ServerEvent::Message(message("#osu"))),
            ("message #lobby", ServerEvent::Message(message("#lobby"))),
            ("direct message", ServerEvent::Message(message("Cookiezi"))),
            ("user stats", ServerEvent::UserStats(user())),
            ("user presence", ServerEvent::UserPresence(user())),
            ("user presence single", ServerEvent::UserPresenceSingle(user())),
            ("user quit", ServerEvent::UserQuit { user: user(), state: QuitState::Gone }),
            ("match update id 300", ServerEvent::MatchUpdate(a_match())),
            ("match update id 7", ServerEvent::MatchUpdate(small_match)),
            ("ping", ServerEvent::Ping),
            ("inactive login", ServerEvent::LoginReply(LoginResult::Error(LoginError::UserInactive))),
            ("restart", ServerEvent::Restart { retry_after_ms: 5000 }),
            ("protocol negotiation", ServerEvent::ProtocolNegotiation(None)),
            ("title update", ServerEvent::TitleUpdate { image_url: "".into(), redirect_url: "".into() }),
        ]
    }

    /// Contexts covering every revision: its first build, builds between it and the next
    /// revision, and the protocol versions servers negotiate.
    pub(crate) fn contexts() -> Vec<Context> {
        let mut builds = Vec::new();
        for (i, revision) in REVISIONS.iter().enumerate() {
            builds.push(revision.build);
            let next = REVISIONS.get(i + 1).map_or(u32::MAX, |next| next.build);
            if next > revision.build + 1 {
                builds.push(revision.build + 1);
                builds.push(revision.build + (next - revision.build) / 2);
                builds.push(next - 1);
            }
        }
        let mut contexts = Vec::new();
        for build in builds {
            let ctx = Context::new(build);
            contexts.push(ctx);
            for protocol in [ctx.protocol().saturating_sub(1), 19] {
                if protocol != ctx.protocol() {
                    contexts.push(ctx.with_protocol(protocol));
                }
            }
            // An explicit slot count equal to the default is the same layout; another
            // count is another layout.
            contexts.push(ctx.with_slots(ctx.slots()));
            contexts.push(ctx.with_slots(if ctx.slots() == 8 { 16 } else { 8 }));
        }
        contexts
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use chio_packets::Context;
    use chio_packets::build::REVISIONS;
    use chio_packets::events::ServerEvent;

    use super::*;

    fn encode(event: &ServerEvent<'_>, ctx: Context) -> Result<Vec<u8>, String> {
        let mut buf = bytes::BytesMut::new();
        encode_event(event, ctx, &mut buf, &mut FrameWriter::new()).map_err(|error| error.to_string())?;
        Ok(buf.to_vec())
    }

    #[test]
    fn the_layout_context_encodes_like_the_session_context() {
        let contexts = fixtures::contexts();
        let events = fixtures::events();
        let mut mismatches = Vec::new();
        let mut compared = 0;
        for &ctx in &contexts {
            let layout = WireLayout::of(ctx);
            assert_eq!(WireLayout::of(layout.context()), layout, "{ctx:?}");
            for (name, event) in &events {
                let own = encode(event, ctx);
                let shared = encode(event, layout.context());
                if own != shared {
                    mismatches.push(format!(
                        "{name}: b{} protocol {} slots {} ≠ layout {layout:?}",
                        ctx.build(),
                        ctx.protocol(),
                        ctx.slots()
                    ));
                }
                compared += 1;
            }
        }
        assert!(
            mismatches.is_empty(),
            "{} of {compared} differ:\n{}",
            mismatches.len(),
            mismatches.join("\n")
        );
        assert!(compared > REVISIONS.len() * 4 * events.len());
    }

    #[test]
    fn the_sample_events_are_encodable_and_differ_across_revisions() {
        // Guards the test above against comparing errors or empty output everywhere.
        for (name, event) in fixtures::events() {
            let encodings: HashSet<_> =
                REVISIONS.iter().map(|revision| encode(&event, Context::new(revision.build))).collect();
            let ok = encodings
                .iter()
                .filter(|encoding| matches!(encoding, Ok(bytes) if !bytes.is_empty()))
                .count();
            assert!(ok >= 1, "{name}: nothing encodes");
            if !matches!(name, "ping" | "protocol negotiation") {
                assert!(encodings.len() > 1, "{name}: the same bytes in every revision");
            }
        }
    }

    #[test]
    fn layouts_are_per_revision_protocol_and_slots() {
        let defaults: HashSet<_> =
            REVISIONS.iter().map(|revision| WireLayout::of(Context::new(revision.build))).collect();
        assert_eq!(defaults.len(), REVISIONS.len());
        let layout = WireLayout::of(Context::new(20140600).with_protocol(19));
        assert_eq!((layout.revision_build(), layout.protocol(), layout.slots()), (20140528, 19, 16));
        assert_eq!(layout.revision().build, 20140528);
        assert_eq!(WireLayout::from(Context::new(20140600)).slots(), 8);
        assert_eq!(layout.context().build(), 20140528);
    }
}
