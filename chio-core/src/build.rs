//! Client builds, protocol versions and the windows that gate fields on them.
//!
//! A *build* is the number an osu! client reports at login (`b20140127` → `20140127`;
//! the 2008 builds are small numbers such as `282`). The wire format changed at a few
//! dozen builds (the *revisions*); fields and packets declare the half-open window of
//! builds in which they exist.
//!
//! Some changes are gated on the *protocol version* the server negotiates instead of the
//! build (the mods `u16 → u32` change at protocol 11, 16 match slots at protocol 19). Each
//! build has a default protocol version, which a connection may override.

/// The oldest build that spoke bancho.
pub const OLDEST_BUILD: u32 = 282;

/// The newest build whose protocol is known.
pub const NEWEST_BUILD: u32 = 20250306;

/// The highest protocol version any build uses by default.
pub const NEWEST_PROTOCOL: u8 = 19;

/// A build at which the wire format changed, with its default protocol version.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Revision {
    /// The first build of the revision.
    pub build: u32,
    /// The protocol version the revision uses by default.
    pub protocol: u8,
    /// What changed, in a line.
    pub summary: &'static str,
}

/// Every revision of the protocol, oldest first: the 75 builds at which something on the
/// wire changed. Note that 14 is never a default protocol version (b20121203 uses 13 and
/// b20121225 jumps to 15).
pub const REVISIONS: &[Revision] = &[
    Revision {
        build: 282,
        protocol: 0,
        summary: "Baseline: gzip on every payload, 6-byte header; stats carry name, avatar and country; chat in #osu and #announce only; spectating; IRC join, quit and rename",
    },
    Revision { build: 291, protocol: 0, summary: "GetAttention and Announce" },
    Revision {
        build: 294,
        protocol: 0,
        summary: "Private messages; spectator frames may carry a score frame (checksum, no time)",
    },
    Revision { build: 296, protocol: 0, summary: "Score frames gain a time" },
    Revision {
        build: 298,
        protocol: 0,
        summary: "First multiplayer (slot states as bit masks), lobby, fellow spectators",
    },
    Revision {
        build: 312,
        protocol: 0,
        summary: "Matches gain in-progress; match start, score update and complete",
    },
    Revision { build: 320, protocol: 0, summary: "Messages name their target channel" },
    Revision {
        build: 323,
        protocol: 0,
        summary: "Stats gain a full/status-only flag; MatchChangeBeatmap; new id numbering",
    },
    Revision {
        build: 334,
        protocol: 0,
        summary: "7-byte header with a compression flag, gzip above 150 bytes; match mods and per-slot status bytes; score frames lose their checksum",
    },
    Revision {
        build: 338,
        protocol: 0,
        summary: "Modern status numbering with a beatmap-update flag; stats carry a completeness byte; rank as u16",
    },
    Revision { build: 340, protocol: 0, summary: "MatchHasBeatmap replaces MatchChangeBeatmap" },
    Revision { build: 342, protocol: 0, summary: "Multiplayer skip" },
    Revision {
        build: 349,
        protocol: 0,
        summary: "Channels: join, join success, revoked, available, autojoin",
    },
    Revision { build: 354, protocol: 0, summary: "Beatmap info request and reply" },
    Revision {
        build: 365,
        protocol: 0,
        summary: "Level display added (total score must stay below its overflow)",
    },
    Revision { build: 374, protocol: 0, summary: "Replay frames carry a button-state byte" },
    Revision { build: 388, protocol: 0, summary: "Beatmap info ranked status becomes a number" },
    Revision { build: 402, protocol: 0, summary: "Match host and host transfer" },
    Revision { build: 425, protocol: 0, summary: "Login permissions" },
    Revision { build: 452, protocol: 0, summary: "Permissions in presence; friends list, add and remove" },
    Revision { build: 470, protocol: 0, summary: "Match game mode" },
    Revision { build: 487, protocol: 0, summary: "Protocol negotiation" },
    Revision { build: 489, protocol: 1, summary: "Status gains the game mode" },
    Revision {
        build: 490,
        protocol: 1,
        summary: "Status gains the beatmap id; beatmap info request gains an id list",
    },
    Revision { build: 504, protocol: 2, summary: "Beatmap info gains taiko and catch ranks" },
    Revision {
        build: 535,
        protocol: 3,
        summary: "Match scoring and team types; score frame tag byte; title update",
    },
    Revision { build: 558, protocol: 4, summary: "Per-slot teams; client team change" },
    Revision { build: 591, protocol: 4, summary: "Match passwords" },
    Revision { build: 613, protocol: 4, summary: "Client channel leave" },
    Revision { build: 634, protocol: 4, summary: "Monitor; client presence filter" },
    Revision { build: 659, protocol: 4, summary: "Level overflow fixed" },
    Revision { build: 695, protocol: 4, summary: "Rank becomes 32-bit" },
    Revision { build: 1183, protocol: 5, summary: "Presence gains longitude and latitude" },
    Revision { build: 1365, protocol: 5, summary: "Match player skipped" },
    Revision { build: 1600, protocol: 5, summary: "Away messages" },
    Revision {
        build: 1788,
        protocol: 6,
        summary: "Presence and stats split; modern packet ids; negative ids for IRC users; restart packet; exit carries a flag",
    },
    Revision { build: 1796, protocol: 6, summary: "Country index and city in presence; 16-bit match ids" },
    Revision { build: 1797, protocol: 7, summary: "Presence gains rank" },
    Revision { build: 1800, protocol: 7, summary: "Servers stop compressing payloads" },
    Revision { build: 1817, protocol: 7, summary: "Match invites" },
    Revision { build: 1820, protocol: 7, summary: "Title update carries an image URL" },
    Revision { build: 20120518, protocol: 7, summary: "ChannelInfoComplete" },
    Revision { build: 20120703, protocol: 7, summary: "Match password change" },
    Revision { build: 20120723, protocol: 8, summary: "Stats gain performance points (i16)" },
    Revision { build: 20120725, protocol: 9, summary: "Channel listing gains topic and user count" },
    Revision { build: 20120806, protocol: 10, summary: "Presence gains the game mode" },
    Revision { build: 20120818, protocol: 11, summary: "Mods become 32-bit" },
    Revision { build: 20121023, protocol: 11, summary: "Silence info" },
    Revision { build: 20121028, protocol: 12, summary: "Beatmap info gains the mania rank" },
    Revision { build: 20121203, protocol: 13, summary: "Compact presence" },
    Revision { build: 20121207, protocol: 13, summary: "Tournament match info request" },
    Revision { build: 20121211, protocol: 13, summary: "Lobby user list dropped" },
    Revision { build: 20121212, protocol: 13, summary: "User silenced; modern chat link format" },
    Revision { build: 20121221, protocol: 13, summary: "Title update carries image and redirect URLs" },
    Revision {
        build: 20121224,
        protocol: 13,
        summary: "Unified user quit; presence single and bundle by id; presence requests",
    },
    Revision { build: 20121225, protocol: 15, summary: "Messages carry the sender id" },
    Revision { build: 20130118, protocol: 16, summary: "Match freemod flag" },
    Revision { build: 20130131, protocol: 16, summary: "Friend-only private messages" },
    Revision { build: 20130209, protocol: 16, summary: "Target is silenced" },
    Revision { build: 20130303, protocol: 17, summary: "Per-slot mods under freemod" },
    Revision {
        build: 20130418,
        protocol: 18,
        summary: "Match seed (mania random); spectate frames gain an extra value",
    },
    Revision { build: 20130509, protocol: 18, summary: "Forced version update" },
    Revision { build: 20130604, protocol: 18, summary: "Server switch" },
    Revision { build: 20130801, protocol: 18, summary: "Inactive accounts shown as banned" },
    Revision { build: 20140528, protocol: 18, summary: "16-slot matches from protocol 19" },
    Revision { build: 20140716, protocol: 18, summary: "Account restricted" },
    Revision { build: 20140731, protocol: 18, summary: "RTX" },
    Revision { build: 20141104, protocol: 18, summary: "Tournament server switch; match abort" },
    Revision { build: 20150826, protocol: 18, summary: "Qualified ranked status" },
    Revision { build: 20150915, protocol: 19, summary: "16-slot matches only" },
    Revision { build: 20151106, protocol: 19, summary: "Score V2 fields in score frames" },
    Revision { build: 20151107, protocol: 19, summary: "Tournament match channels" },
    Revision { build: 20160404, protocol: 19, summary: "Spectate frames gain a sequence number" },
    Revision { build: 20161101, protocol: 19, summary: "Loved ranked status" },
    Revision { build: 20250306, protocol: 19, summary: "Performance points become u16" },
];

impl Revision {
    /// The context of this revision's first build, with its default protocol and slots.
    pub const fn context(&self) -> crate::Context {
        crate::Context::new(self.build)
    }

    /// The revision in force for `build`: the newest revision at or below it, or the
    /// oldest for builds below b282.
    ///
    /// The reference resolves builds without an entry of their own through its table of
    /// "first and last build" keys, which agrees with this rule except for the builds
    /// 20130121–20130130, which it sends forward to b20130131; no such client is known,
    /// and here they resolve to b20130118, the revision at or below them.
    ///
    /// ```
    /// use chio_core::build::Revision;
    /// assert_eq!(Revision::resolve(20140127).build, 20130801);
    /// assert_eq!(Revision::resolve(1798).build, 1797);
    /// assert_eq!(Revision::resolve(0).build, 282);
    /// assert_eq!(Revision::resolve(u32::MAX).build, 20250306);
    /// ```
    pub const fn resolve(build: u32) -> Self {
        let mut found = REVISIONS[0];
        let mut i = 1;
        while i < REVISIONS.len() {
            if REVISIONS[i].build > build {
                break;
            }
            found = REVISIONS[i];
            i += 1;
        }
        found
    }
}

/// First build whose matches may carry 16 slots (when the protocol version is 19 or more).
pub const SIXTEEN_SLOT_BUILD: u32 = 20140528;

/// First build whose matches always carry 16 slots, whatever the protocol version.
pub const SIXTEEN_SLOT_ONLY_BUILD: u32 = 20150915;

/// The default protocol version of a build.
///
/// ```
/// use chio_core::build::default_protocol;
/// assert_eq!(default_protocol(282), 0);
/// assert_eq!(default_protocol(20120818), 11);
/// assert_eq!(default_protocol(20121224), 13);
/// assert_eq!(default_protocol(20250306), 19);
/// ```
pub const fn default_protocol(build: u32) -> u8 {
    Revision::resolve(build).protocol
}

/// The default number of match slots for a build and protocol version.
///
/// Builds from b20150915 always use 16 slots. From b20140528 the client understands 16
/// slots only when the protocol version is 19 or more; every earlier build uses 8.
///
/// ```
/// use chio_core::build::default_slots;
/// assert_eq!(default_slots(20140528, 18), 8);
/// assert_eq!(default_slots(20140528, 19), 16);
/// assert_eq!(default_slots(20150915, 18), 16);
/// assert_eq!(default_slots(1796, 19), 8);
/// ```
pub const fn default_slots(build: u32, protocol: u8) -> u8 {
    if build >= SIXTEEN_SLOT_ONLY_BUILD || (build >= SIXTEEN_SLOT_BUILD && protocol >= 19) { 16 } else { 8 }
}

/// A half-open window of builds, `since <= build < until`.
///
/// `until == u32::MAX` means "still present in the newest build".
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct BuildRange {
    /// First build of the window.
    pub since: u32,
    /// First build after the window.
    pub until: u32,
}

impl BuildRange {
    /// Every build.
    pub const ALL: Self = Self { since: 0, until: u32::MAX };

    /// The window `since <= build < until`.
    pub const fn new(since: u32, until: u32) -> Self {
        Self { since, until }
    }

    /// Whether `build` lies in the window (an `until` of `u32::MAX` has no upper bound).
    #[inline]
    pub const fn contains(self, build: u32) -> bool {
        self.since <= build && (build < self.until || self.until == u32::MAX)
    }

    /// Whether the window has no lower or upper bound.
    pub const fn is_all(self) -> bool {
        self.since == 0 && self.until == u32::MAX
    }
}

impl core::fmt::Display for BuildRange {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match (self.since, self.until) {
            (0, u32::MAX) => f.write_str("all builds"),
            (since, u32::MAX) => write!(f, "b{since}+"),
            (0, until) => write!(f, "before b{until}"),
            (since, until) => write!(f, "b{since}..b{until}"),
        }
    }
}

/// A half-open window of protocol versions, `since <= protocol < until`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ProtocolRange {
    /// First protocol version of the window.
    pub since: u8,
    /// First protocol version after the window (`u8::MAX`: no upper bound).
    pub until: u8,
}

impl ProtocolRange {
    /// Every protocol version.
    pub const ALL: Self = Self { since: 0, until: u8::MAX };

    /// The window `since <= protocol < until`.
    pub const fn new(since: u8, until: u8) -> Self {
        Self { since, until }
    }

    /// Whether `protocol` lies in the window (an `until` of `u8::MAX` has no upper bound).
    #[inline]
    pub const fn contains(self, protocol: u8) -> bool {
        self.since <= protocol && (protocol < self.until || self.until == u8::MAX)
    }

    /// Whether the window has no lower or upper bound.
    pub const fn is_all(self) -> bool {
        self.since == 0 && self.until == u8::MAX
    }
}

impl core::fmt::Display for ProtocolRange {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match (self.since, self.until) {
            (0, u8::MAX) => f.write_str("any protocol"),
            (since, u8::MAX) => write!(f, "protocol >= {since}"),
            (0, until) => write!(f, "protocol < {until}"),
            (since, until) => write!(f, "protocol {since}..{until}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn revisions_are_sorted_with_non_decreasing_protocols() {
        assert_eq!(REVISIONS.len(), 75);
        assert_eq!(REVISIONS[0].build, OLDEST_BUILD);
        assert_eq!(REVISIONS[REVISIONS.len() - 1].build, NEWEST_BUILD);
        for pair in REVISIONS.windows(2) {
            assert!(pair[0].build < pair[1].build, "builds out of order: {pair:?}");
            assert!(pair[0].protocol <= pair[1].protocol, "protocol went down: {pair:?}");
        }
    }

    #[test]
    fn resolution_at_and_around_every_revision() {
        for pair in REVISIONS.windows(2) {
            let (this, next) = (pair[0], pair[1]);
            assert_eq!(Revision::resolve(this.build), this);
            assert_eq!(Revision::resolve(next.build - 1), this, "b{}", next.build - 1);
            assert_eq!(default_protocol(this.build), this.protocol);
        }
        assert_eq!(Revision::resolve(0).build, OLDEST_BUILD);
        assert_eq!(Revision::resolve(u32::MAX).build, NEWEST_BUILD);
        assert_eq!(default_protocol(u32::MAX), NEWEST_PROTOCOL);
        // The protocol versions the reference's clients declare.
        let expected = [
            (282, 0),
            (488, 0),
            (489, 1),
            (504, 2),
            (535, 3),
            (558, 4),
            (1183, 5),
            (1788, 6),
            (1797, 7),
            (20120723, 8),
            (20120725, 9),
            (20120806, 10),
            (20120818, 11),
            (20121028, 12),
            (20121203, 13),
            (20121224, 13),
            (20121225, 15),
            (20130118, 16),
            (20130303, 17),
            (20130418, 18),
            (20150914, 18),
            (20150915, 19),
            (20250306, 19),
        ];
        for (build, protocol) in expected {
            assert_eq!(default_protocol(build), protocol, "b{build}");
        }
    }

    #[test]
    fn ranges_are_half_open() {
        let r = BuildRange::new(334, 1800);
        assert!(!r.contains(333));
        assert!(r.contains(334));
        assert!(r.contains(1799));
        assert!(!r.contains(1800));
        assert!(BuildRange::ALL.contains(0) && BuildRange::ALL.contains(u32::MAX));
        assert!(ProtocolRange::ALL.contains(u8::MAX));
        let p = ProtocolRange::new(11, u8::MAX);
        assert!(!p.contains(10) && p.contains(11) && p.contains(19));
        assert_eq!(r.to_string(), "b334..b1800");
        assert_eq!(BuildRange::new(695, u32::MAX).to_string(), "b695+");
        assert_eq!(p.to_string(), "protocol >= 11");
    }
}
