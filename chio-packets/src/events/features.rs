//! Behaviours of the events layer that change at a build: the one table of build numbers
//! in it.
//!
//! Which packets and fields a build has is read from the packet definitions (each
//! packet's `BUILDS`, each field's windows), not from here. What the definitions cannot
//! say is how a value is meant or presented: the status numbering, how links are written,
//! which client overflows where. Each such boundary is a [`Feature`] below: the first
//! build with the behaviour, and why (the reference's client class, chio 1.1.21, that
//! introduced it). A new protocol revision that changes a behaviour is edited here.
//!
//! Every feature falls on a revision ([`REVISIONS`](crate::build::REVISIONS)). A
//! feature that came with a layout change (a field that appears or goes at the same
//! build) takes its build from that field's window in the definitions, so moving the
//! field moves the feature; only behaviours with no layout change of their own have a
//! build number written here.
//!
//! ```
//! use chio_packets::events::features::{self, MODERN_CHAT_LINKS};
//!
//! assert!(!MODERN_CHAT_LINKS.in_build(MODERN_CHAT_LINKS.since - 1));
//! assert!(MODERN_CHAT_LINKS.in_build(MODERN_CHAT_LINKS.since));
//! assert!(features::ALL.contains(&MODERN_CHAT_LINKS));
//! ```

use super::defs;
use crate::beatmaps::BeatmapInfo;
use crate::chat::Message;
use crate::presence::{BanchoUserPresence, UserStatus};

/// A behaviour that clients have from a build on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Feature {
    /// The constant's name, such as `"MODERN_CHAT_LINKS"`.
    pub name: &'static str,
    /// The first build with the behaviour.
    pub since: u32,
    /// Why, in a line: what changed, and its source.
    pub why: &'static str,
}

impl Feature {
    /// Whether clients of `build` have the behaviour.
    #[inline]
    pub const fn in_build(self, build: u32) -> bool {
        build >= self.since
    }
}

/// Statuses use the modern numbering; before, 10 was the server's "stats update" marker
/// and every later action was one higher.
pub const MODERN_STATUS_NUMBERING: Feature = Feature {
    name: "MODERN_STATUS_NUMBERING",
    since: defs::field_span::<UserStatus<'static>>("beatmap_update").since,
    why: "the reference's b338 reads and writes the status byte as is; b282 converts it (convert_input_status); came with the beatmap_update flag",
};

/// The total score is capped below the level display's overflow (17,705,429,348).
pub const LEVEL_DISPLAY: Feature = Feature {
    name: "LEVEL_DISPLAY",
    since: 365,
    why: "b365 added a level display that crashes on a large total score; the reference's b365 caps it",
};

/// The level display's overflow moves up: the cap becomes 26,931,190,827.
pub const LEVEL_OVERFLOW_RAISED: Feature = Feature {
    name: "LEVEL_OVERFLOW_RAISED",
    since: 504,
    why: "the reference's b504 stats writers cap the total score at 26,931,190,827",
};

/// An `Idle` status with a map checksum is taken at its word; before, the reference read
/// it as `Playing` (those clients started playing without saying so).
pub const STATUS_IDLE_TRUSTED: Feature = Feature {
    name: "STATUS_IDLE_TRUSTED",
    since: defs::field_span::<UserStatus<'static>>("mode").since,
    why: "the reference's b282 and b338 status readers fix Idle-with-a-map up to Playing; its b489 reader (with the mode field) does not",
};

/// The level display no longer overflows: the total score is sent uncapped.
pub const LEVEL_OVERFLOW_FIXED: Feature = Feature {
    name: "LEVEL_OVERFLOW_FIXED",
    since: 659,
    why: "the reference's b659 stats writers send the total score as is",
};

/// The ranked status of beatmap info is sent as the modern number; before, Qualified and
/// Loved went as Approved (2).
pub const VERBATIM_RANKED_STATUS: Feature = Feature {
    name: "VERBATIM_RANKED_STATUS",
    since: defs::field_span::<BeatmapInfo<'static>>("mania_rank").since,
    why: "the reference's b20121028 beatmap info writer (with the mania rank) writes the status without convert_ranked_status",
};

/// The permissions byte of presence carries the game mode in bits 5–7.
pub const MODE_IN_PRESENCE_PERMISSIONS: Feature = Feature {
    name: "MODE_IN_PRESENCE_PERMISSIONS",
    since: defs::field_span::<BanchoUserPresence<'static>>("mode").until,
    why: "the compact presence of b20121203 drops the mode byte and packs the mode into the permissions",
};

/// Chat links are shown as `[url text]`; before, as `(text)[url]`.
pub const MODERN_CHAT_LINKS: Feature =
    Feature { name: "MODERN_CHAT_LINKS", since: 20121212, why: "the reference's b20121212 format_chat_link" };

/// The title update is `"image|redirect"`, sent even without an image; before, the image
/// URL alone, and nothing when it is empty.
pub const TITLE_UPDATE_REDIRECT: Feature = Feature {
    name: "TITLE_UPDATE_REDIRECT",
    since: 20121221,
    why: "the reference's b20121221 write_title_update",
};

/// Message content is sent as is; before, modern links in it were rewritten to
/// `(text)[url]`.
pub const VERBATIM_MESSAGE_CONTENT: Feature = Feature {
    name: "VERBATIM_MESSAGE_CONTENT",
    since: defs::field_span::<Message<'static>>("sender_id").since,
    why: "the reference's b20121225 write_message (with the sender id) no longer rewrites links",
};

/// An inactive account is shown as banned: the reply becomes an announcement plus
/// `InvalidLogin`.
pub const INACTIVE_SHOWN_AS_BANNED: Feature = Feature {
    name: "INACTIVE_SHOWN_AS_BANNED",
    since: 20130801,
    why: "the reference's b20130801 write_login_reply announces InactiveAccountMessage and refuses the login",
};

/// Every feature, by first build.
pub const ALL: &[Feature] = &[
    MODERN_STATUS_NUMBERING,
    LEVEL_DISPLAY,
    STATUS_IDLE_TRUSTED,
    LEVEL_OVERFLOW_RAISED,
    LEVEL_OVERFLOW_FIXED,
    VERBATIM_RANKED_STATUS,
    MODE_IN_PRESENCE_PERMISSIONS,
    MODERN_CHAT_LINKS,
    TITLE_UPDATE_REDIRECT,
    VERBATIM_MESSAGE_CONTENT,
    INACTIVE_SHOWN_AS_BANNED,
];

#[cfg(test)]
mod tests {
    use super::super::defs::field_span;
    use super::*;
    use crate::Packet;
    use crate::build::REVISIONS;
    use crate::session::BanchoTitleUpdate;

    #[test]
    fn the_table_lists_each_feature_once_in_order() {
        for pair in ALL.windows(2) {
            assert!(pair[0].since <= pair[1].since, "out of order: {} {}", pair[0].name, pair[1].name);
        }
        for (i, feature) in ALL.iter().enumerate() {
            assert!(ALL[i + 1..].iter().all(|other| other.name != feature.name), "{} twice", feature.name);
            assert!(!feature.why.is_empty() && !feature.name.is_empty());
        }
    }

    /// Each feature starts at a revision: a behaviour changes only with a client that
    /// changed something on the wire.
    #[test]
    fn features_fall_on_revisions() {
        for feature in ALL {
            assert!(
                REVISIONS.iter().any(|revision| revision.build == feature.since),
                "{} (b{}) is not a revision",
                feature.name,
                feature.since
            );
        }
    }

    /// Features taken from a field's window agree with the other fields and constants
    /// that changed with them.
    #[test]
    fn features_agree_with_the_definitions() {
        // The legacy numbering ends where the status gains its `beatmap_update` flag.
        assert_eq!(MODERN_STATUS_NUMBERING.since, defs::STATUS_BEATMAP_UPDATE.since);
        // The ranked status goes unmapped after the bool era.
        const { assert!(defs::RANKED_STATUS_BOOL.until < VERBATIM_RANKED_STATUS.since) };
        // The mode moves into the permissions together with the rest of the compact
        // presence.
        assert_eq!(
            MODE_IN_PRESENCE_PERMISSIONS.since,
            field_span::<BanchoUserPresence<'static>>("avatar_extension").until
        );
        // Rewriting links only matters where the links are shown in the modern notation
        // and before; the rewrite outlives the legacy notation by a few builds, as in the
        // reference.
        const { assert!(MODERN_CHAT_LINKS.since <= VERBATIM_MESSAGE_CONTENT.since) };
        // The redirect URL joins a title update that already carries text.
        const { assert!(defs::TITLE_UPDATE_TEXT.since < TITLE_UPDATE_REDIRECT.since) };
        const { assert!(BanchoTitleUpdate::BUILDS.since < TITLE_UPDATE_REDIRECT.since) };
        // The level caps come in order, while statistics carry the total score.
        const { assert!(LEVEL_DISPLAY.since < LEVEL_OVERFLOW_RAISED.since) };
        const { assert!(LEVEL_OVERFLOW_RAISED.since < LEVEL_OVERFLOW_FIXED.since) };
    }
}
