//! Chat: messages in both directions, channels, announcements and the legacy IRC notices.
//!
//! These are wire structs: they hold what is on the wire in each build, nothing more.
//! What the reference does around them belongs to the layer above:
//!
//! * **Filtering** (server messages): b282–b293 receive only messages to `#osu` and
//!   `#announce`; b294–b319 also direct messages, but no other channel; b320 and later
//!   everything.
//! * **Link rewriting** (server messages): up to b20121224 a modern link
//!   `[http(s)://url text]` in the content is rewritten to the legacy `(text)[url]`;
//!   from b20121225 content is sent verbatim.
//! * **Invites** before b1817 are sent as a [`BanchoMessage`] (with the filters above);
//!   [`BanchoInvite`] exists from b1817.
//! * **IRC users** before b1788 are announced with [`BanchoIrcJoin`] in place of their
//!   statistics; from b1788 they appear in presence with a negative id and neither
//!   [`BanchoIrcJoin`] nor [`BanchoIrcQuit`] is sent.
//!
//! | packet | builds | layout |
//! |---|---|---|
//! | [`BanchoMessage`], [`BanchoInvite`], [`BanchoUserDmsBlocked`], [`BanchoTargetIsSilenced`] | see [`Message`] | [`Message`] |
//! | [`OsuMessage`], [`OsuPrivateMessage`], [`OsuSetIrcAwayMessage`] | see [`ClientMessage`] | [`ClientMessage`] |
//! | [`OsuLegacyPrivateMessage`] | b294–b319 | target, content, `bool` |
//! | [`BanchoChannelAvailable`], [`BanchoChannelAvailableAutojoin`] | b349+ | [`Channel`] |
//! | [`BanchoChannelJoinSuccess`], [`BanchoChannelRevoked`], [`OsuChannelJoin`] | b349+ | channel name |
//! | [`OsuChannelLeave`] | b613+ | channel name |
//! | [`BanchoChannelInfoComplete`] | b20120518+ | empty |

use std::borrow::Cow;

use crate::{BanchoPacket, BanchoPayload};

/// A chat message as the server sends it: the payload of [`BanchoMessage`], and of
/// [`BanchoInvite`], [`BanchoUserDmsBlocked`] and [`BanchoTargetIsSilenced`].
///
/// | window | builds | layout |
/// |---|---|---|
/// | MSG-A | b282–b293 | sender, content |
/// | MSG-B | b294–b319 | sender, content, `bool` is_dm |
/// | MSG-C | b320–b20121224 | sender, content, target |
/// | MSG-D | b20121225+ | sender, content, target, `i32` sender id (protocol ≥ 15) |
///
/// Before b320 the target is not sent: MSG-A clients show everything in `#osu`, MSG-B
/// clients only learn whether it is a direct message. The reference sets `is_dm` to
/// "the target does not start with `#`"; this struct sends the field as given.
#[derive(Clone, Debug, PartialEq, Eq, Hash, BanchoPayload)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(default))]
#[bancho(default)]
pub struct Message<'a> {
    /// Name of the sender.
    pub sender: Cow<'a, str>,
    /// The text. Up to b20121224 the reference rewrites links in it before sending (see
    /// the [module documentation](self)).
    pub content: Cow<'a, str>,
    /// Whether this is a direct message (on the wire in b294–b319 only; `false` elsewhere).
    #[bancho(since = 294, until = 320)]
    #[bancho(default)]
    pub is_dm: bool,
    /// The channel (`#name`) or, for a direct message, the recipient's name (from b320;
    /// `#osu` where absent).
    #[bancho(since = 320)]
    #[bancho(default = Cow::Borrowed("#osu"))]
    pub target: Cow<'a, str>,
    /// The sender's user id (from b20121225, protocol ≥ 15; -1 where absent).
    #[bancho(since = 20121225, since_protocol = 15)]
    #[bancho(default = -1)]
    pub sender_id: i32,
}

/// A chat message as the client sends it: the payload of [`OsuMessage`],
/// [`OsuPrivateMessage`] (from b320) and [`OsuSetIrcAwayMessage`].
///
/// | builds | layout |
/// |---|---|
/// | b282–b319 | content only (the reference reads it as sender `""`, target `#osu`) |
/// | b320–b20121224 | sender, content, target |
/// | b20121225+ | sender, content, target, `i32` sender id (protocol ≥ 15) |
///
/// The client leaves the sender empty (and the sender id -1); the server knows who it is.
#[derive(Clone, Debug, PartialEq, Eq, Hash, BanchoPayload)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(default))]
#[bancho(default)]
pub struct ClientMessage<'a> {
    /// Name of the sender, usually empty (from b320; empty where absent).
    #[bancho(since = 320)]
    #[bancho(default)]
    pub sender: Cow<'a, str>,
    /// The text.
    pub content: Cow<'a, str>,
    /// The channel or the recipient's name (from b320; `#osu` where absent). Empty in
    /// [`OsuSetIrcAwayMessage`].
    #[bancho(since = 320)]
    #[bancho(default = Cow::Borrowed("#osu"))]
    pub target: Cow<'a, str>,
    /// The sender's user id, usually -1 (from b20121225, protocol ≥ 15; -1 where absent).
    #[bancho(since = 20121225, since_protocol = 15)]
    #[bancho(default = -1)]
    pub sender_id: i32,
}

/// A channel in the channel list: the payload of [`BanchoChannelAvailable`] and
/// [`BanchoChannelAvailableAutojoin`].
///
/// The name only in b349–b20120724; from b20120725 (protocol ≥ 9) also topic and user
/// count. The reference's `owner` is never sent.
#[derive(Clone, Debug, PartialEq, Eq, Hash, BanchoPayload)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(default))]
#[bancho(default)]
pub struct Channel<'a> {
    /// The channel's name, with its `#`.
    pub name: Cow<'a, str>,
    /// The topic (from b20120725, protocol ≥ 9; empty where absent).
    #[bancho(since = 20120725, since_protocol = 9)]
    #[bancho(default)]
    pub topic: Cow<'a, str>,
    /// Number of users in the channel (from b20120725, protocol ≥ 9; 0 where absent).
    #[bancho(since = 20120725, since_protocol = 9)]
    #[bancho(default)]
    pub user_count: i16,
}

/// A chat message (id 7, every build). See [`Message`] for the layouts, and the
/// [module documentation](self) for the filtering and link rewriting the reference applies.
#[derive(Clone, Debug, PartialEq, Eq, Hash, BanchoPacket)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[bancho(id = 7, from = server, name = "BanchoMessage")]
pub struct BanchoMessage<'a>(pub Message<'a>);

/// A match invite (id 88, from b1817), carrying a [`Message`] whose content is the invite.
///
/// Earlier builds receive invites as a [`BanchoMessage`].
#[derive(Clone, Debug, PartialEq, Eq, Hash, BanchoPacket)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[bancho(id = 88, from = server, name = "BanchoInvite", since = 1817)]
pub struct BanchoInvite<'a>(pub Message<'a>);

/// The user only accepts direct messages from friends (id 100, from b20130131).
///
/// A [`Message`] with empty sender and content, and the user's name as the target
/// (the reference sends sender id -1).
#[derive(Clone, Debug, PartialEq, Eq, Hash, BanchoPacket)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[bancho(id = 100, from = server, name = "BanchoUserDmsBlocked", since = 20130131)]
pub struct BanchoUserDmsBlocked<'a>(pub Message<'a>);

/// The recipient of a direct message is silenced (id 101, from b20130209).
///
/// A [`Message`] with empty sender and content, and the user's name as the target
/// (the reference sends sender id -1).
#[derive(Clone, Debug, PartialEq, Eq, Hash, BanchoPacket)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[bancho(id = 101, from = server, name = "BanchoTargetIsSilenced", since = 20130209)]
pub struct BanchoTargetIsSilenced<'a>(pub Message<'a>);

/// The client sends a chat message (id 1, every build). See [`ClientMessage`].
#[derive(Clone, Debug, PartialEq, Eq, Hash, BanchoPacket)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[bancho(id = 1, from = client, name = "OsuMessage")]
pub struct OsuMessage<'a>(pub ClientMessage<'a>);

/// The client sends a direct message (id 25), in the layout of b320 and later: the same
/// as [`OsuMessage`], with the recipient's name as the target.
///
/// b294–b319 send this packet in a layout of their own, [`OsuLegacyPrivateMessage`].
#[derive(Clone, Debug, PartialEq, Eq, Hash, BanchoPacket)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[bancho(id = 25, from = client, name = "OsuPrivateMessage", since = 320)]
pub struct OsuPrivateMessage<'a>(pub ClientMessage<'a>);

/// The client sends a direct message (id 25), in the layout of b294–b319: target,
/// content, and a direct-message flag.
///
/// The same packet as [`OsuPrivateMessage`], in the builds before it. The reference
/// rejects the packet when `is_dm` is false (and accepts any non-zero byte as true);
/// this struct keeps the flag as sent, for the layer above to check.
#[derive(Clone, Debug, PartialEq, Eq, Hash, BanchoPacket)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[bancho(id = 25, from = client, name = "OsuPrivateMessage", since = 294, until = 320)]
pub struct OsuLegacyPrivateMessage<'a> {
    /// The recipient's name.
    pub target: Cow<'a, str>,
    /// The text.
    pub content: Cow<'a, str>,
    /// Whether this is a direct message; the client always sends `true`.
    pub is_dm: bool,
}

/// The client sets (or, with empty content, clears) its `/away` message (id 82, from
/// b1600). A [`ClientMessage`] whose content is the away message; the target is empty.
#[derive(Clone, Debug, PartialEq, Eq, Hash, BanchoPacket)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[bancho(id = 82, from = client, name = "OsuSetIrcAwayMessage", since = 1600)]
pub struct OsuSetIrcAwayMessage<'a>(pub ClientMessage<'a>);

/// The client turns "only friends may send me direct messages" on or off (id 99, from
/// b20130131).
///
/// Sent as an `i32`; the reference reads 1 as on and every other value as off. Kept raw;
/// see [`OsuChangeFriendOnlyDms::enabled`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, BanchoPacket)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[bancho(id = 99, from = client, name = "OsuChangeFriendOnlyDms", since = 20130131)]
pub struct OsuChangeFriendOnlyDms(pub i32);

impl OsuChangeFriendOnlyDms {
    /// Whether friend-only direct messages are on (the value is exactly 1).
    pub fn enabled(self) -> bool {
        self.0 == 1
    }
}

/// A channel in the channel list (id 65, from b349). See [`Channel`].
#[derive(Clone, Debug, PartialEq, Eq, Hash, BanchoPacket)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[bancho(id = 65, from = server, name = "BanchoChannelAvailable", since = 349)]
pub struct BanchoChannelAvailable<'a>(pub Channel<'a>);

/// A channel the client should join by itself (id 67, from b349). See [`Channel`].
#[derive(Clone, Debug, PartialEq, Eq, Hash, BanchoPacket)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[bancho(id = 67, from = server, name = "BanchoChannelAvailableAutojoin", since = 349)]
pub struct BanchoChannelAvailableAutojoin<'a>(pub Channel<'a>);

/// The client joined a channel (id 64, from b349): the channel's name.
#[derive(Clone, Debug, PartialEq, Eq, Hash, BanchoPacket)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[bancho(id = 64, from = server, name = "BanchoChannelJoinSuccess", since = 349)]
pub struct BanchoChannelJoinSuccess<'a>(pub Cow<'a, str>);

/// The client was removed from a channel, or may not join it (id 66, from b349): the
/// channel's name.
#[derive(Clone, Debug, PartialEq, Eq, Hash, BanchoPacket)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[bancho(id = 66, from = server, name = "BanchoChannelRevoked", since = 349)]
pub struct BanchoChannelRevoked<'a>(pub Cow<'a, str>);

/// The channel list is complete (id 89, from b20120518; empty).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default, BanchoPacket)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[bancho(id = 89, from = server, name = "BanchoChannelInfoComplete", since = 20120518)]
pub struct BanchoChannelInfoComplete;

/// The client asks to join a channel (id 63, from b349): the channel's name.
#[derive(Clone, Debug, PartialEq, Eq, Hash, BanchoPacket)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[bancho(id = 63, from = client, name = "OsuChannelJoin", since = 349)]
pub struct OsuChannelJoin<'a>(pub Cow<'a, str>);

/// The client leaves a channel (id 78, from b613): the channel's name.
#[derive(Clone, Debug, PartialEq, Eq, Hash, BanchoPacket)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[bancho(id = 78, from = client, name = "OsuChannelLeave", since = 613)]
pub struct OsuChannelLeave<'a>(pub Cow<'a, str>);

/// A notification shown to the user (id 24, from b291): its text.
///
/// The reference also uses it to announce a restart to b291–b1787, which have no restart
/// packet, and (from b20130801) to explain an inactive account at login.
#[derive(Clone, Debug, PartialEq, Eq, Hash, BanchoPacket)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[bancho(id = 24, from = server, name = "BanchoAnnounce", since = 291)]
pub struct BanchoAnnounce<'a>(pub Cow<'a, str>);

/// An IRC user changed their name (id 9, every build).
///
/// One string, `"<old>>>>><new>"`: the old name, four `>`, the new name.
#[derive(Clone, Debug, PartialEq, Eq, Hash, BanchoPacket)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[bancho(id = 9, from = server, name = "BanchoIrcChangeUsername")]
pub struct BanchoIrcChangeUsername<'a>(pub Cow<'a, str>);

/// An IRC user left (id 10, b282–b1787): their name.
///
/// From b1788 the reference sends nothing for it (IRC users quit like everyone else).
#[derive(Clone, Debug, PartialEq, Eq, Hash, BanchoPacket)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[bancho(id = 10, from = server, name = "BanchoIrcQuit", until = 1788)]
pub struct BanchoIrcQuit<'a>(pub Cow<'a, str>);

/// An IRC user is online (b282–b1787, wire id 11; canonical id
/// [`IRC_JOIN`](crate::ids::IRC_JOIN)): their name.
///
/// Sent in place of the statistics of an IRC user. From b1788 IRC users appear in
/// presence with a negative id and the reference sends nothing for it.
#[derive(Clone, Debug, PartialEq, Eq, Hash, BanchoPacket)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[bancho(id = 0xFFFF, from = server, name = "BanchoIrcJoin", until = 1788)]
pub struct BanchoIrcJoin<'a>(pub Cow<'a, str>);

// The derive takes the id as a literal; the legacy id is stated in `ids`.
const _: () = assert!(<BanchoIrcJoin<'static> as crate::Packet>::ID == crate::ids::IRC_JOIN);

/// "Zallius' eyes have awoken" (id 105, from b20140731): a message the client shows in
/// its RTX easter egg.
#[derive(Clone, Debug, PartialEq, Eq, Hash, BanchoPacket)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[bancho(id = 105, from = server, name = "BanchoRTX", since = 20140731)]
pub struct BanchoRTX<'a>(pub Cow<'a, str>);

/// The client invites a user to its match (id 87, b1817 and later).
#[derive(Clone, Copy, Debug, PartialEq, Eq, BanchoPacket)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[bancho(id = 87, from = client, since = 1817)]
pub struct OsuInvite {
    /// The invited user.
    pub user_id: i32,
}

/// A chat command failed (id 6).
///
/// The reference lists the id but never writes it, and no client layout with a payload
/// is known: it is an empty packet, and a payload a server sends anyway is tolerated as
/// trailing bytes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, BanchoPacket)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[bancho(id = 6, from = server, name = "BanchoCommandError")]
pub struct BanchoCommandError;
