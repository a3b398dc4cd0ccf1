//! The per-connection context every encode and decode receives.

use crate::build::{self, BuildRange, ProtocolRange};

/// Which side of a connection sends a packet.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Direction {
    /// Sent by the osu! client to the server (the reference's `Osu*` packets).
    ClientToServer,
    /// Sent by the server to the osu! client (the reference's `Bancho*` packets).
    ServerToClient,
}

impl Direction {
    /// The other direction.
    pub const fn reverse(self) -> Self {
        match self {
            Self::ClientToServer => Self::ServerToClient,
            Self::ServerToClient => Self::ClientToServer,
        }
    }
}

/// What a connection speaks: the client build, the protocol version and the match slot count.
///
/// `Context` is small and `Copy`; pass it by value to every encode and decode. It is the
/// only place version information lives: there is no global state to configure.
///
/// The protocol version and slot count default per build (see [`build::default_protocol`]
/// and [`build::default_slots`]) and can be overridden per connection, as a server does
/// after protocol negotiation:
///
/// ```
/// use chio_core::Context;
///
/// let ctx = Context::new(20140528);
/// assert_eq!((ctx.protocol(), ctx.slots()), (18, 8));
///
/// // Negotiating protocol 19 with this build unlocks 16-slot matches.
/// let ctx = ctx.with_protocol(19);
/// assert_eq!(ctx.slots(), 16);
///
/// // An explicit slot count wins over the default.
/// assert_eq!(ctx.with_slots(32).slots(), 32);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Context {
    build: u32,
    protocol: u8,
    /// Explicit slot count; 0 means "the default for build and protocol".
    slots: u8,
    /// Who writes what is being encoded: the two sides write empty strings differently.
    sender: Direction,
}

impl Context {
    /// The newest known build with its defaults.
    pub const NEWEST: Self = Self::new(build::NEWEST_BUILD);

    /// The oldest known build with its defaults.
    pub const OLDEST: Self = Self::new(build::OLDEST_BUILD);

    /// The context of a client build, with that build's default protocol version and slot count.
    ///
    /// Any `u32` is accepted. Builds below b282 behave as b282 and builds above the newest
    /// known one behave as the newest, because every window compares against the number.
    pub const fn new(build: u32) -> Self {
        Self { build, protocol: build::default_protocol(build), slots: 0, sender: Direction::ServerToClient }
    }

    /// The same context with another protocol version (the reference's `set_protocol_version`).
    #[must_use]
    pub const fn with_protocol(self, protocol: u8) -> Self {
        Self { protocol, ..self }
    }

    /// The same context with an explicit match slot count (the reference's `set_slot_size`).
    ///
    /// `0` restores the default for the build and protocol version.
    #[must_use]
    pub const fn with_slots(self, slots: u8) -> Self {
        Self { slots, ..self }
    }

    /// The same context for encoding what `sender` writes.
    ///
    /// The two sides write an empty string differently: servers write a bare `00` (as the
    /// reference does), the osu! client writes `0b 00` (a present string of length 0,
    /// what its writer does with every non-null string, in every build). Packet types know
    /// their sender and set it themselves when they encode, so only hand-written payload
    /// codecs that encode a payload on its own need this. Decoding accepts both forms.
    ///
    /// ```
    /// use chio_core::{Context, Direction, Encode};
    ///
    /// let ctx = Context::new(20250306);
    /// assert_eq!("".encode_payload(ctx).unwrap(), [0x00]);
    /// assert_eq!("".encode_payload(ctx.sent_by(Direction::ClientToServer)).unwrap(), [0x0b, 0x00]);
    /// ```
    #[must_use]
    #[inline]
    pub const fn sent_by(self, sender: Direction) -> Self {
        Self { sender, ..self }
    }

    /// Who writes what is encoded with this context (see [`sent_by`](Self::sent_by));
    /// the server unless set otherwise.
    #[inline]
    pub const fn sender(self) -> Direction {
        self.sender
    }

    /// The client build number.
    #[inline]
    pub const fn build(self) -> u32 {
        self.build
    }

    /// The protocol version in force.
    #[inline]
    pub const fn protocol(self) -> u8 {
        self.protocol
    }

    /// The number of slots a match carries on the wire.
    #[inline]
    pub const fn slots(self) -> u8 {
        if self.slots != 0 { self.slots } else { build::default_slots(self.build, self.protocol) }
    }

    /// The revision in force for this build.
    pub const fn revision(self) -> build::Revision {
        build::Revision::resolve(self.build)
    }

    /// Whether the slot count was set explicitly rather than derived.
    pub const fn slots_overridden(self) -> bool {
        self.slots != 0
    }

    /// Whether this context lies in both windows.
    #[inline]
    pub const fn is_in(self, builds: BuildRange, protocols: ProtocolRange) -> bool {
        builds.contains(self.build) && protocols.contains(self.protocol)
    }
}

impl Default for Context {
    /// The newest known build.
    fn default() -> Self {
        Self::NEWEST
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_follow_the_build() {
        assert_eq!(Context::new(282).protocol(), 0);
        assert_eq!(Context::new(282).slots(), 8);
        assert_eq!(Context::new(20120818).protocol(), 11);
        assert_eq!(Context::NEWEST.protocol(), 19);
        assert_eq!(Context::NEWEST.slots(), 16);
        assert_eq!(Context::default(), Context::NEWEST);
    }

    #[test]
    fn overrides_are_independent_and_reversible() {
        let ctx = Context::new(20120818).with_protocol(10);
        assert_eq!(ctx.protocol(), 10);
        assert_eq!(ctx.build(), 20120818);
        let ctx = ctx.with_slots(16);
        assert!(ctx.slots_overridden());
        assert_eq!(ctx.slots(), 16);
        assert_eq!(ctx.with_slots(0).slots(), 8);
    }

    #[test]
    fn context_is_small() {
        assert!(core::mem::size_of::<Context>() <= 8);
    }
}
