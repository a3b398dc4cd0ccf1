//! The layout boundaries the events layer asks about, read from the packet definitions.
//!
//! Where the layer asks "does this build have packet X", it calls
//! [`Packet::exists_in`](crate::Packet::exists_in). Where it asks "is field F of payload
//! P on the wire in this build", or "in which encoding", it uses a constant from here. The
//! compiler computes each one from the field's windows (its `#[bancho(since = ..,
//! until = ..)]` attributes, through [`Describe::LAYOUT`]): they follow the definitions,
//! and a check against one costs a comparison or two. A field or encoding that is not
//! there is a compile error.
//!
//! Boundaries that are behaviours rather than layouts are in
//! [`features`](super::features).

use crate::Context;
use crate::beatmaps::BeatmapInfo;
use crate::build::{BuildRange, ProtocolRange};
use crate::chat::{ClientMessage, Message};
use crate::layout::{Describe, Encoding, Field, Shape, Window};
use crate::multiplayer::{BanchoMatchStart, Match};
use crate::presence::{BanchoUserPresence, UserStats, UserStatsB338, UserStatus};
use crate::session::BanchoTitleUpdate;
use crate::spectating::{ReplayFrame, ScoreFrame};

/// The builds and protocol versions of one window of a field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Span {
    /// The builds.
    pub(super) builds: BuildRange,
    /// The protocol versions.
    pub(super) protocols: ProtocolRange,
}

impl Span {
    /// Whether `ctx` lies in the window.
    #[inline]
    pub(super) const fn contains(self, ctx: Context) -> bool {
        ctx.is_in(self.builds, self.protocols)
    }
}

/// `UserStatus::mods` (and, as this layer carries them, match mods) as a `u32`: bits
/// above 15 reach the client.
pub(super) const STATUS_MODS_U32: Span = encoded_as::<UserStatus<'static>>("mods", "u32");

/// `Match::id` as a `u8`: match ids above 255 do not fit.
pub(super) const MATCH_ID_U8: BuildRange = encoded_as::<Match<'static>>("id", "u8").builds;

/// `BanchoMatchStart` carries the match.
pub(super) const MATCH_START_MATCH: BuildRange = field_builds::<BanchoMatchStart<'static>>("match");

/// `BanchoTitleUpdate` carries its text.
pub(super) const TITLE_UPDATE_TEXT: BuildRange = field_builds::<BanchoTitleUpdate<'static>>("text");

/// Server messages name their target.
pub(super) const MESSAGE_TARGET: BuildRange = field_builds::<Message<'static>>("target");

/// Server messages carry the direct-message flag.
pub(super) const MESSAGE_DM_FLAG: BuildRange = field_builds::<Message<'static>>("is_dm");

/// Client messages name their target.
pub(super) const CLIENT_MESSAGE_TARGET: BuildRange = field_builds::<ClientMessage<'static>>("target");

/// Score frames carry a checksum.
pub(super) const SCORE_FRAME_CHECKSUM: BuildRange = field_builds::<ScoreFrame<'static>>("checksum");

/// Replay frames carry `left`/`right` booleans rather than a button state.
pub(super) const REPLAY_FRAME_LEFT_RIGHT: BuildRange = field_builds::<ReplayFrame>("left");

/// The ranked status of beatmap info is a bool, "ranked".
pub(super) const RANKED_STATUS_BOOL: BuildRange =
    encoded_as::<BeatmapInfo<'static>>("ranked_status", "ranked_bool").builds;

/// `UserStatus` carries the `beatmap_update` flag that gates its map fields.
pub(super) const STATUS_BEATMAP_UPDATE: BuildRange = field_builds::<UserStatus<'static>>("beatmap_update");

/// `UserStatus` carries the map id.
pub(super) const STATUS_BEATMAP_ID: BuildRange = field_builds::<UserStatus<'static>>("beatmap_id");

/// The rank of b338-era statistics is a `u16`.
pub(super) const STATS_B338_RANK_U16: BuildRange = encoded_as::<UserStatsB338<'static>>("rank", "u16").builds;

/// The performance points of statistics are a `u16` (an `i16` before).
pub(super) const STATS_PP_U16: BuildRange = encoded_as::<UserStats<'static>>("pp", "u16").builds;

/// The performance points of statistics are an `i16` (with the protocol gate).
pub(super) const STATS_PP_I16: Span = encoded_as::<UserStats<'static>>("pp", "i16");

/// The compact presence of b20121203 and later (id, name, timezone, country index,
/// permissions with the mode, longitude, latitude, rank), which the events layer writes
/// straight from the user: the builds in which the city, the last field before it that
/// goes, is no longer on the wire.
pub(super) const PRESENCE_COMPACT: BuildRange =
    BuildRange { since: field_builds::<BanchoUserPresence<'static>>("city").until, until: u32::MAX };

/// The presence of b1796–b20121202, with the country as an index and the city after it
/// (id, name, avatar type, timezone, country index, city, permissions, longitude,
/// latitude, then the rank and the mode where the protocol has them), which the events
/// layer also writes straight from the user.
pub(super) const PRESENCE_WITH_CITY: BuildRange = field_builds::<BanchoUserPresence<'static>>("city");

/// The presence's rank in the builds with the city: from b1797, gated on the protocol.
pub(super) const PRESENCE_CITY_RANK: Span =
    window_within::<BanchoUserPresence<'static>>("rank", PRESENCE_WITH_CITY);

/// The presence's mode (b20120806–b20121202, gated on the protocol; later it is packed
/// into the permissions byte).
pub(super) const PRESENCE_CITY_MODE: Span =
    window_within::<BanchoUserPresence<'static>>("mode", PRESENCE_WITH_CITY);

/// Presence carries the country as a name (later as an index).
pub(super) const PRESENCE_COUNTRY_NAME: BuildRange =
    field_builds::<BanchoUserPresence<'static>>("country_name");

/// The field `name` of `T`'s layout.
pub(super) const fn field<T: Describe + ?Sized>(name: &str) -> &'static Field {
    let Shape::Struct { fields } = &T::LAYOUT.shape else {
        panic!("not a struct layout");
    };
    let mut i = 0;
    while i < fields.len() {
        if str_eq(fields[i].name, name) {
            return &fields[i];
        }
        i += 1;
    }
    panic!("no field of that name");
}

/// From the first build of any window of field `name` of `T` to the end of its last,
/// whatever the protocol version (a field that is gated on the protocol too is on the
/// wire in part of this range only).
pub(super) const fn field_span<T: Describe + ?Sized>(name: &str) -> BuildRange {
    let windows = field::<T>(name).windows;
    if windows.is_empty() {
        // A field without windows is on the wire everywhere.
        return BuildRange::ALL;
    }
    let mut span = windows[0].builds;
    let mut i = 1;
    while i < windows.len() {
        let builds = windows[i].builds;
        if builds.since < span.since {
            span.since = builds.since;
        }
        if builds.until > span.until {
            span.until = builds.until;
        }
        i += 1;
    }
    span
}

/// The builds in which field `name` of `T` is on the wire, for fields whose windows join
/// up and are not gated on the protocol version (a compile error otherwise, since the
/// answer would then depend on more than the build). Conditions on values aside.
pub(super) const fn field_builds<T: Describe + ?Sized>(name: &str) -> BuildRange {
    let windows = field::<T>(name).windows;
    let span = field_span::<T>(name);
    let mut i = 0;
    while i < windows.len() {
        let window = &windows[i];
        if !window.protocols.is_all() {
            panic!("the field is gated on the protocol version: ask its window instead");
        }
        // Every window but the first starts inside or at the end of another.
        if window.builds.since != span.since && !starts_within_another(windows, i) {
            panic!("the field's windows leave a gap");
        }
        i += 1;
    }
    span
}

const fn starts_within_another(windows: &[Window], index: usize) -> bool {
    let since = windows[index].builds.since;
    let mut j = 0;
    while j < windows.len() {
        let builds = windows[j].builds;
        if j != index && builds.since < since && since <= builds.until {
            return true;
        }
        j += 1;
    }
    false
}

/// The one window of field `name` of `T` in which it is encoded as `wire`: a layout's
/// name (`"u16"`, the field's own type) or a `with = ...` codec as written.
pub(super) const fn encoded_as<T: Describe + ?Sized>(name: &str, wire: &str) -> Span {
    let windows = field::<T>(name).windows;
    let mut found: Option<Span> = None;
    let mut i = 0;
    while i < windows.len() {
        let window = &windows[i];
        let encoding = match window.encoding {
            Encoding::Wire(layout) => layout.name,
            Encoding::With(path) => path,
        };
        if str_eq(encoding, wire) {
            if found.is_some() {
                panic!("the field has more than one window in that encoding");
            }
            found = Some(Span { builds: window.builds, protocols: window.protocols });
        }
        i += 1;
    }
    match found {
        Some(span) => span,
        None => panic!("the field has no window in that encoding"),
    }
}

/// The one window of field `name` of `T` whose builds lie within `range` (a compile
/// error if none does, or more than one).
pub(super) const fn window_within<T: Describe + ?Sized>(name: &str, range: BuildRange) -> Span {
    let windows = field::<T>(name).windows;
    let mut found: Option<Span> = None;
    let mut i = 0;
    while i < windows.len() {
        let window = &windows[i];
        if range.since <= window.builds.since && window.builds.until <= range.until {
            if found.is_some() {
                panic!("the field has more than one window in that range");
            }
            found = Some(Span { builds: window.builds, protocols: window.protocols });
        }
        i += 1;
    }
    match found {
        Some(span) => span,
        None => panic!("the field has no window in that range"),
    }
}

const fn str_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::build::REVISIONS;

    fn is_revision(build: u32) -> bool {
        REVISIONS.iter().any(|revision| revision.build == build)
    }

    /// Every boundary read from the definitions is a revision's first build (or open).
    #[test]
    fn boundaries_fall_on_revisions() {
        let ranges = [
            ("STATUS_MODS_U32", STATUS_MODS_U32.builds),
            ("MATCH_ID_U8", MATCH_ID_U8),
            ("MATCH_START_MATCH", MATCH_START_MATCH),
            ("TITLE_UPDATE_TEXT", TITLE_UPDATE_TEXT),
            ("MESSAGE_TARGET", MESSAGE_TARGET),
            ("MESSAGE_DM_FLAG", MESSAGE_DM_FLAG),
            ("CLIENT_MESSAGE_TARGET", CLIENT_MESSAGE_TARGET),
            ("SCORE_FRAME_CHECKSUM", SCORE_FRAME_CHECKSUM),
            ("REPLAY_FRAME_LEFT_RIGHT", REPLAY_FRAME_LEFT_RIGHT),
            ("RANKED_STATUS_BOOL", RANKED_STATUS_BOOL),
            ("STATUS_BEATMAP_UPDATE", STATUS_BEATMAP_UPDATE),
            ("STATUS_BEATMAP_ID", STATUS_BEATMAP_ID),
            ("STATS_B338_RANK_U16", STATS_B338_RANK_U16),
            ("STATS_PP_U16", STATS_PP_U16),
            ("PRESENCE_COUNTRY_NAME", PRESENCE_COUNTRY_NAME),
            ("STATS_PP_I16", STATS_PP_I16.builds),
            ("PRESENCE_COMPACT", PRESENCE_COMPACT),
            ("PRESENCE_WITH_CITY", PRESENCE_WITH_CITY),
            ("PRESENCE_CITY_RANK", PRESENCE_CITY_RANK.builds),
            ("PRESENCE_CITY_MODE", PRESENCE_CITY_MODE.builds),
        ];
        for (name, range) in ranges {
            assert!(!range.is_all(), "{name} is not a boundary");
            assert!(range.since == 0 || is_revision(range.since), "{name}: {range}");
            assert!(range.until == u32::MAX || is_revision(range.until), "{name}: {range}");
        }
    }

    /// The helpers read the windows as written: one window, several joined ones, an
    /// encoding among several, and a protocol gate.
    #[test]
    fn helpers_read_the_windows() {
        // `Message::target` has one window, open-ended.
        let target = field::<Message<'static>>("target").windows[0].builds;
        assert_eq!(MESSAGE_TARGET, target);
        assert_eq!(target.until, u32::MAX);
        // `UserStatus::beatmap_id` has two windows that join up.
        let windows = field::<UserStatus<'static>>("beatmap_id").windows;
        assert_eq!(windows.len(), 2);
        assert_eq!(STATUS_BEATMAP_ID.since, windows[0].builds.since);
        assert_eq!(windows[0].builds.until, windows[1].builds.since);
        assert_eq!(STATUS_BEATMAP_ID.until, u32::MAX);
        // The `u32` window of `UserStatus::mods` is gated on the protocol version, and
        // the span says so: a build in it with an older protocol does not carry `u32`.
        let at = Context::new(STATUS_MODS_U32.builds.since);
        assert!(STATUS_MODS_U32.contains(at));
        assert!(!STATUS_MODS_U32.contains(at.with_protocol(STATUS_MODS_U32.protocols.since - 1)));
        assert!(!STATUS_MODS_U32.contains(Context::new(STATUS_MODS_U32.builds.since - 1)));
        // `BanchoUserPresence::rank` has two windows; the one within the builds with the
        // city is the older, gated on the protocol version.
        let rank = field::<BanchoUserPresence<'static>>("rank").windows;
        assert_eq!(rank.len(), 2);
        let gated = rank.iter().find(|window| !window.protocols.is_all()).unwrap();
        assert_eq!(
            (PRESENCE_CITY_RANK.builds, PRESENCE_CITY_RANK.protocols),
            (gated.builds, gated.protocols)
        );
        assert_eq!(PRESENCE_CITY_RANK.builds.until, PRESENCE_WITH_CITY.until);
        // Fields without windows are everywhere; spans cover every window.
        assert!(field_span::<Message<'static>>("content").is_all());
        let mode = field_span::<UserStatus<'static>>("mode");
        assert!(field::<UserStatus<'static>>("mode").windows.iter().all(|w| w.builds.since >= mode.since));
    }

    #[test]
    fn str_eq_compares_whole_strings() {
        assert!(str_eq("u16", "u16"));
        assert!(!str_eq("u16", "u1"));
        assert!(!str_eq("u16", "u32"));
        assert!(str_eq("", ""));
    }
}
