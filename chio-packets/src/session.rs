//! The small packets of a session: keep-alive, exit, permissions, friends, server
//! notices and the id-list requests for statistics and presence.
//!
//! Packets carry the reference's names: server packets with its `Bancho` prefix, client
//! packets with its `Osu` prefix; [`Packet::NAME`](crate::Packet::NAME) is that name.

use std::borrow::Cow;

use crate::types::Permissions;
use crate::{BanchoEnum, BanchoPacket};

/// Which users' presence and statistics a client wants to be sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default, BanchoEnum)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[repr(i32)]
pub enum PresenceFilter {
    /// Nobody.
    NoPlayers = 0,
    /// Everybody online.
    #[default]
    All = 1,
    /// Friends only.
    Friends = 2,
}

/// Keep-alive from the server (id 8, every build); the client answers with [`OsuPong`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, BanchoPacket)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[bancho(id = 8, from = server, name = "BanchoPing")]
pub struct BanchoPing;

/// The client's answer to a [`BanchoPing`] (id 4, every build).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, BanchoPacket)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[bancho(id = 4, from = client, name = "OsuPong")]
pub struct OsuPong;

/// The client is closing (id 2, every build).
///
/// Empty before b1788; from b1788 it carries an `i32`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, BanchoPacket)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(default))]
#[bancho(id = 2, from = client, name = "OsuExit", default)]
pub struct OsuExit {
    /// The value as sent (from b1788; 0 before): 1 when the client exits to update
    /// itself. The reference reads it as the bool `value == 1`.
    #[bancho(since = 1788)]
    #[bancho(default)]
    pub reason: i32,
}

/// The client asks for its own statistics to be sent again (id 3, every build; empty).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, BanchoPacket)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[bancho(id = 3, from = client, name = "OsuStatusUpdateRequest")]
pub struct OsuStatusUpdateRequest;

/// The server tells the client that an update is available (id 19, every build; empty).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, BanchoPacket)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[bancho(id = 19, from = server, name = "BanchoVersionUpdate")]
pub struct BanchoVersionUpdate;

/// The server asks the client to flash its window (id 23, from b291; empty).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, BanchoPacket)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[bancho(id = 23, from = server, name = "BanchoGetAttention", since = 291)]
pub struct BanchoGetAttention;

/// The user's permissions, sent after login (id 71, from b425), as an `i32`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, BanchoPacket)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[bancho(id = 71, from = server, name = "BanchoLoginPermissions", since = 425)]
pub struct BanchoLoginPermissions(#[bancho(wire = i32)] pub Permissions);

/// The user's friends (id 72, from b452): a list of user ids.
///
/// The count is an `i32` before b1788 and a `u16` from it (the items are `i32` in both).
#[derive(Clone, Debug, Default, PartialEq, Eq, BanchoPacket)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[bancho(id = 72, from = server, name = "BanchoFriendsList", since = 452)]
pub struct BanchoFriendsList {
    /// Friends' user ids.
    #[bancho(until = 1788, count = i32)]
    #[bancho(since = 1788, count = u16)]
    pub ids: Vec<i32>,
}

/// The client adds a friend (id 73, from b452).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, BanchoPacket)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[bancho(id = 73, from = client, name = "OsuFriendsAdd", since = 452)]
pub struct OsuFriendsAdd {
    /// The new friend's user id.
    pub user_id: i32,
}

/// The client removes a friend (id 74, from b452).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, BanchoPacket)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[bancho(id = 74, from = client, name = "OsuFriendsRemove", since = 452)]
pub struct OsuFriendsRemove {
    /// The former friend's user id.
    pub user_id: i32,
}

/// The protocol version the server speaks (id 75, from b487).
///
/// The reference sends the revision's default protocol version when given none (or 0);
/// this struct holds the value that goes on the wire.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, BanchoPacket)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[bancho(id = 75, from = server, name = "BanchoProtocolNegotiation", since = 487)]
pub struct BanchoProtocolNegotiation {
    /// The protocol version.
    pub version: i32,
}

/// The menu title image (id 76, from b535).
///
/// | builds | payload |
/// |---|---|
/// | b535–b1819 | empty: the client fetches the image itself |
/// | b1820–b20121220 | the image URL |
/// | b20121221+ | `"<image_url>\|<redirect_url>"` (either part may be empty) |
///
/// The string is held as sent, not split. In b1820–b20121220 the reference sends no
/// packet at all when the image URL is empty; that choice belongs to the layer above.
#[derive(Clone, Debug, PartialEq, Eq, BanchoPacket)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(default))]
#[bancho(id = 76, from = server, name = "BanchoTitleUpdate", since = 535, default)]
pub struct BanchoTitleUpdate<'a> {
    /// The payload string (from b1820; empty before).
    #[bancho(since = 1820)]
    #[bancho(default)]
    pub text: Cow<'a, str>,
}

/// The client chooses whose presence it receives (id 79, from b634), as an `i32`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, BanchoPacket)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[bancho(id = 79, from = client, name = "OsuReceiveUpdates", since = 634)]
pub struct OsuReceiveUpdates(#[bancho(wire = i32)] pub PresenceFilter);

/// The server asks the client for a process list (id 80, from b634; empty).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, BanchoPacket)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[bancho(id = 80, from = server, name = "BanchoMonitor", since = 634)]
pub struct BanchoMonitor;

/// The server is restarting; the client reconnects after the delay (id 86, from b1788).
///
/// b291–b1787 have no such packet: the reference sends them an announcement instead,
/// which is the layer above's business.
#[derive(Clone, Copy, Debug, PartialEq, Eq, BanchoPacket)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[bancho(id = 86, from = server, name = "BanchoRestart", since = 1788)]
pub struct BanchoRestart {
    /// Milliseconds to wait before reconnecting (the reference defaults to 5000 and
    /// writes it as `u32`).
    pub retry_after_ms: u32,
}

impl Default for BanchoRestart {
    fn default() -> Self {
        Self { retry_after_ms: 5000 }
    }
}

/// How long the user stays silenced (id 92, from b20121023).
#[derive(Clone, Copy, Debug, PartialEq, Eq, BanchoPacket)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[bancho(id = 92, from = server, name = "BanchoSilenceInfo", since = 20121023)]
pub struct BanchoSilenceInfo {
    /// Seconds left; −1 (the reference's default) lifts the silence and lets the client
    /// switch accounts again.
    pub seconds: i32,
}

impl Default for BanchoSilenceInfo {
    fn default() -> Self {
        Self { seconds: -1 }
    }
}

/// Another user was silenced (id 94, from b20121212): clients hide their messages.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, BanchoPacket)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[bancho(id = 94, from = server, name = "BanchoUserSilenced", since = 20121212)]
pub struct BanchoUserSilenced {
    /// The silenced user's id.
    pub user_id: i32,
}

/// The client must update before it may continue (id 102, from b20130509; empty).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, BanchoPacket)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[bancho(id = 102, from = server, name = "BanchoVersionUpdateForced", since = 20130509)]
pub struct BanchoVersionUpdateForced;

/// The client should reconnect to another server once idle (id 103, from b20130604).
#[derive(Clone, Copy, Debug, PartialEq, Eq, BanchoPacket)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[bancho(id = 103, from = server, name = "BanchoSwitchServer", since = 20130604)]
pub struct BanchoSwitchServer {
    /// Idle time before switching (the reference defaults to 3600).
    pub after_idle_time: i32,
}

impl Default for BanchoSwitchServer {
    fn default() -> Self {
        Self { after_idle_time: 3600 }
    }
}

/// The account is restricted (id 104, from b20140716; empty).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, BanchoPacket)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[bancho(id = 104, from = server, name = "BanchoAccountRestricted", since = 20140716)]
pub struct BanchoAccountRestricted;

/// A tournament client should connect to another server (id 107, from b20141104).
#[derive(Clone, Debug, Default, PartialEq, Eq, BanchoPacket)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[bancho(id = 107, from = server, name = "BanchoSwitchTournamentServer", since = 20141104)]
pub struct BanchoSwitchTournamentServer<'a> {
    /// The server's address.
    pub server: Cow<'a, str>,
}

/// The client reports an error (id 20, every build): free text.
#[derive(Clone, Debug, Default, PartialEq, Eq, BanchoPacket)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[bancho(id = 20, from = client, name = "OsuErrorReport")]
pub struct OsuErrorReport<'a>(pub Cow<'a, str>);

/// The client asks for some users' statistics (id 85, from b1788): ids with a `u16`
/// count.
#[derive(Clone, Debug, Default, PartialEq, Eq, BanchoPacket)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[bancho(id = 85, from = client, name = "OsuUserStatsRequest", since = 1788)]
pub struct OsuUserStatsRequest {
    /// The users' ids.
    #[bancho(count = u16)]
    pub ids: Vec<i32>,
}

/// The client asks for some users' presence (id 97, from b20121224): ids with a `u16`
/// count.
#[derive(Clone, Debug, Default, PartialEq, Eq, BanchoPacket)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[bancho(id = 97, from = client, name = "OsuPresenceRequest", since = 20121224)]
pub struct OsuPresenceRequest {
    /// The users' ids.
    #[bancho(count = u16)]
    pub ids: Vec<i32>,
}

/// The client asks for every online user's presence (id 98, from b20121224; empty).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, BanchoPacket)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[bancho(id = 98, from = client, name = "OsuPresenceRequestAll", since = 20121224)]
pub struct OsuPresenceRequestAll;

/// A user is online (id 95, from b20121224): the id only; the client requests the rest.
///
/// Before b20121224 the reference writes a full `BanchoUserPresence` (or stats) packet in
/// its place, so packet 95 is never on the wire there. The id is the raw one (not negated
/// for IRC users, unlike in presence).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, BanchoPacket)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[bancho(id = 95, from = server, name = "BanchoUserPresenceSingle", since = 20121224)]
pub struct BanchoUserPresenceSingle {
    /// The user's id.
    pub user_id: i32,
}

/// Users who are online (id 96, from b20121224): ids with a `u16` count.
///
/// Before b20121224 the reference writes one presence packet per user instead, so
/// packet 96 is never on the wire there.
#[derive(Clone, Debug, Default, PartialEq, Eq, BanchoPacket)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[bancho(id = 96, from = server, name = "BanchoUserPresenceBundle", since = 20121224)]
pub struct BanchoUserPresenceBundle {
    /// The users' ids (raw, as in [`BanchoUserPresenceSingle`]).
    #[bancho(count = u16)]
    pub user_ids: Vec<i32>,
}
