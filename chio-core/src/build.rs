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

/// The builds at which the default protocol version changes, with the new version.
///
/// Builds before the first entry use protocol 0. Note that 14 is never a default:
/// b20121203 uses 13 and b20121225 jumps to 15.
pub const PROTOCOL_STEPS: &[(u32, u8)] = &[
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
    (20121225, 15),
    (20130118, 16),
    (20130303, 17),
    (20130418, 18),
    (20150915, 19),
];

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
    let mut protocol = 0;
    let mut i = 0;
    while i < PROTOCOL_STEPS.len() {
        let (step, version) = PROTOCOL_STEPS[i];
        if build < step {
            break;
        }
        protocol = version;
        i += 1;
    }
    protocol
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
    fn protocol_steps_are_sorted_and_increasing() {
        for pair in PROTOCOL_STEPS.windows(2) {
            assert!(pair[0].0 < pair[1].0, "builds out of order: {pair:?}");
            assert!(pair[0].1 < pair[1].1, "protocol not increasing: {pair:?}");
        }
    }

    #[test]
    fn default_protocol_at_and_around_every_step() {
        let mut previous = 0;
        for &(build, protocol) in PROTOCOL_STEPS {
            assert_eq!(default_protocol(build - 1), previous, "b{}", build - 1);
            assert_eq!(default_protocol(build), protocol, "b{build}");
            previous = protocol;
        }
        assert_eq!(default_protocol(0), 0);
        assert_eq!(default_protocol(u32::MAX), NEWEST_PROTOCOL);
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
