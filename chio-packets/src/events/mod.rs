//! The layer above the wire: "send this to a client of build B" as 0…n wire packets, and
//! "what did this client mean" for the packets it sends.
//!
//! The packet structs of this crate hold exactly what is on the wire. Servers usually
//! think in events instead — "this user's presence", "a message in #lobby" — and old
//! clients need those events adapted: a b300 client has no presence packet (its user
//! statistics carry the presence), cannot show channels other than `#osu`, uses another
//! status numbering, overflows its level display above a certain total score, and so on.
//! [`ServerEvent::packets`] does that adaptation the way the reference (chio 1.1.21) does,
//! so the wire layer stays a pure description of bytes. [`client`] does the reverse for
//! client packets.
//!
//! ```
//! use chio_packets::events::{ServerEvent, UserInfo};
//! use chio_packets::Context;
//!
//! let user = UserInfo { id: 2, name: "peppy".into(), ..UserInfo::default() };
//! let event = ServerEvent::UserPresence(user);
//!
//! // A modern client gets one presence packet; a b1000 client gets the presence inside
//! // its user statistics packet.
//! let modern = event.packets(Context::new(20250306));
//! let old = event.packets(Context::new(1000));
//! assert_eq!(modern[0].name(), "BanchoUserPresence");
//! assert_eq!(old[0].name(), "BanchoUserStats");
//! ```
//!
//! # Numbers an old build cannot hold
//!
//! Wire structs never clamp: a value their field cannot carry is an encoding error. This
//! layer instead adapts values to what the build can show, with one rule: a number outside
//! the range of the build's field is **saturated** to the nearest value the field holds
//! (a negative user id in a `u32` field becomes 0, a rank of 100,000 in a `u16` field
//! becomes 65,535, a match id above 255 becomes 255 where it is not filtered, a negative
//! match seed becomes 0). This is what the reference does. The one exception is mods: mods a build cannot carry (above
//! bit 15 before protocol 11) are dropped from the value, because saturating a bit set
//! would turn on unrelated mods.
//!
//! # Where this layer departs from the reference
//!
//! Each departure is where the reference's output could not be read by the client; each
//! is tested.
//!
//! - Presence from b20121203 ends at the rank (see
//!   [`BanchoUserPresence`](crate::presence::BanchoUserPresence)); the reference appends
//!   one more mode byte.
//! - A user quit of an IRC user before b1788: the reference's writer drops the intended
//!   `BanchoIrcQuit` (a generator bug) and, when the user stays on IRC, sends a
//!   `BanchoUserQuit` whose payload is a bare name, which those clients would read as
//!   statistics. Here an IRC user who left osu!/IRC gets `BanchoIrcQuit(name)`, and one
//!   who stays on IRC gets nothing.

pub mod client;
mod defs;
pub mod features;
pub mod links;
mod users;

use std::borrow::Cow;

use crate::beatmaps::{BanchoBeatmapInfoReply, BeatmapInfo as WireBeatmapInfo};
use crate::beatmaps::{Rank, RankedStatus};
use crate::catalog::ServerPacket;
use crate::chat::{self, Channel, Message};
use crate::frame::FrameWriter;
use crate::multiplayer::{self, Match, MatchSlot};
use crate::presence::QuitState;
use crate::session;
use crate::spectating::{self, ButtonState, ReplayFrameBundle, ScoreFrame};
use crate::types::{LoginError, Mods, Permissions};
use crate::{BufMut, Context, Encode, EncodeError, Packet, login};

pub use users::{Activity, Presence, Stats, UserInfo};

/// The text the reference announces to b20130801+ clients whose account is not activated.
pub const INACTIVE_ACCOUNT_MESSAGE: &str =
    "Your account is not yet activated. Please check your email for activation instructions!";

/// The text sent to b291–b1787 clients, which have no restart packet, for a restart.
pub const RESTART_MESSAGE: &str = "Bancho is restarting, please wait...";

/// The channels b282–b319 clients show; messages to other channels are not sent to them.
pub const LEGACY_CHANNELS: [&str; 2] = ["#osu", "#announce"];

/// The outcome of a login.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum LoginResult {
    /// Logged in as this user id.
    Success(i32),
    /// Refused.
    Error(LoginError),
}

/// A chat message as a server or client means it; the wire form
/// ([`Message`]) differs by build.
///
/// The default has the sender id −1 ("unknown"), the reference's default and what
/// clients send. The reference has no default for the sender, content and target; here
/// they are empty (an empty target counts as a direct message, so set one).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ChatMessage<'a> {
    /// Name of the sender.
    pub sender: Cow<'a, str>,
    /// The text, with links in the modern `[url text]` notation.
    pub content: Cow<'a, str>,
    /// The channel (`#name`) or, for a direct message, the recipient's name.
    pub target: Cow<'a, str>,
    /// The sender's user id (-1 when unknown).
    pub sender_id: i32,
}

impl Default for ChatMessage<'_> {
    fn default() -> Self {
        Self {
            sender: Cow::Borrowed(""),
            content: Cow::Borrowed(""),
            target: Cow::Borrowed(""),
            sender_id: -1,
        }
    }
}

impl ChatMessage<'_> {
    /// The same message owning its text.
    pub fn into_owned(self) -> ChatMessage<'static> {
        ChatMessage {
            sender: Cow::Owned(self.sender.into_owned()),
            content: Cow::Owned(self.content.into_owned()),
            target: Cow::Owned(self.target.into_owned()),
            sender_id: self.sender_id,
        }
    }

    /// Whether this is a direct message: the target is not a channel.
    pub fn is_direct_message(&self) -> bool {
        !self.target.starts_with('#')
    }
}

/// A beatmap's status and the player's grades, as a server knows them; the event form of
/// [`BeatmapInfo`](crate::beatmaps::BeatmapInfo), whose ranked-status byte differs by build.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct BeatmapInfo<'a> {
    /// Position of the map in the request's filename list.
    pub index: i16,
    /// Online id of the map.
    pub beatmap_id: i32,
    /// Online id of its set.
    pub beatmapset_id: i32,
    /// Forum thread of the set.
    pub thread_id: i32,
    /// The map's status.
    pub ranked_status: RankedStatus,
    /// MD5 of the map file, as hex.
    pub checksum: Cow<'a, str>,
    /// The player's grade in osu!standard.
    pub osu_rank: Rank,
    /// The player's grade in osu!taiko.
    pub taiko_rank: Rank,
    /// The player's grade in osu!catch.
    pub fruits_rank: Rank,
    /// The player's grade in osu!mania.
    pub mania_rank: Rank,
}

/// Something a server tells a client, before it is adapted to the client's build.
///
/// Variants are named after the packets they usually become (`BanchoUserStats` →
/// `UserStats`). [`ServerEvent::packets`] gives the wire packets for a build.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[allow(missing_docs)] // Each variant documents its adaptation in `packets`.
pub enum ServerEvent<'a> {
    /// Login accepted (user id) or refused. From b20130801 an inactive account is sent
    /// as an announcement plus `InvalidLogin`, because those clients would show "banned".
    LoginReply(LoginResult),
    /// A chat message. b282–b293 get only messages to `#osu`/`#announce`; b294–b319 also
    /// direct messages; links are rewritten to `(text)[url]` up to b20121224.
    Message(ChatMessage<'a>),
    Ping,
    /// An IRC user renamed.
    IrcChangeUsername {
        old: Cow<'a, str>,
        new: Cow<'a, str>,
    },
    /// An IRC user left (before b1788; later builds have IRC users in presence).
    IrcQuit(Cow<'a, str>),
    /// A user's statistics.
    UserStats(UserInfo<'a>),
    /// A user left.
    UserQuit {
        user: UserInfo<'a>,
        state: QuitState,
    },
    SpectatorJoined(i32),
    SpectatorLeft(i32),
    SpectateFrames(ReplayFrameBundle<'a>),
    VersionUpdate,
    SpectatorCantSpectate(i32),
    GetAttention,
    Announce(Cow<'a, str>),
    /// Not sent for a match id above 255 before b1796.
    MatchUpdate(Match<'a>),
    /// Not sent for a match id above 255 before b1796.
    MatchNew(Match<'a>),
    MatchDisband(i32),
    /// Not sent from b20121211.
    LobbyJoin(i32),
    /// Not sent from b20121211.
    LobbyPart(i32),
    MatchJoinSuccess(Match<'a>),
    MatchJoinFail,
    FellowSpectatorJoined(i32),
    FellowSpectatorLeft(i32),
    MatchStart(Match<'a>),
    /// Not sent when the frame's slot is not below the slot count.
    MatchScoreUpdate(ScoreFrame<'a>),
    MatchTransferHost,
    MatchAllPlayersLoaded,
    /// A slot's player failed; not sent when the slot is not below the slot count.
    MatchPlayerFailed(i32),
    MatchComplete,
    MatchSkip,
    ChannelJoinSuccess(Cow<'a, str>),
    ChannelAvailable(Channel<'a>),
    ChannelRevoked(Cow<'a, str>),
    ChannelAvailableAutojoin(Channel<'a>),
    BeatmapInfoReply(Vec<BeatmapInfo<'a>>),
    LoginPermissions(Permissions),
    FriendsList(Vec<i32>),
    /// The protocol version; `None` (or 0) sends the connection's.
    ProtocolNegotiation(Option<i32>),
    /// The menu image; b1820–b20121220 get nothing when the image URL is empty.
    TitleUpdate {
        image_url: Cow<'a, str>,
        redirect_url: Cow<'a, str>,
    },
    Monitor,
    /// A slot's player skipped; not sent when the slot is not below the slot count.
    MatchPlayerSkipped(i32),
    /// A user's presence (before b1788 inside the statistics packet).
    UserPresence(UserInfo<'a>),
    /// The server restarts; b291–b1787 get an announcement instead, b282 nothing. The
    /// reference's default delay is 5000 ms (`BanchoRestart::default()`).
    Restart {
        retry_after_ms: u32,
    },
    /// An invitation; before b1817 sent as a chat message.
    Invite(ChatMessage<'a>),
    ChannelInfoComplete,
    MatchChangePassword(Cow<'a, str>),
    /// Seconds of silence left; −1 (the reference's default) lifts it.
    SilenceInfo(i32),
    UserSilenced(i32),
    /// One user's presence; before b20121224 the whole presence.
    UserPresenceSingle(UserInfo<'a>),
    /// Many users' presence; before b20121224 one presence per user.
    UserPresenceBundle(Vec<UserInfo<'a>>),
    /// The named user blocks direct messages.
    UserDmsBlocked(Cow<'a, str>),
    /// The named user is silenced.
    TargetIsSilenced(Cow<'a, str>),
    VersionUpdateForced,
    /// Idle seconds after which to switch; the reference's default is 3600.
    SwitchServer(i32),
    AccountRestricted,
    Rtx(Cow<'a, str>),
    MatchAbort,
    SwitchTournamentServer(Cow<'a, str>),
    /// An IRC user joined (before b1788).
    IrcJoin(Cow<'a, str>),
}

/// Saturates a wide integer into `T`'s range.
fn saturate<T: TryFrom<i128> + Bounded>(value: i128) -> T {
    T::try_from(value).unwrap_or(if value < 0 { T::MIN } else { T::MAX })
}

/// Integer bounds, for [`saturate`].
trait Bounded: Sized {
    const MIN: Self;
    const MAX: Self;
}

macro_rules! bounded {
    ($($ty:ty),*) => {$(impl Bounded for $ty { const MIN: Self = <$ty>::MIN; const MAX: Self = <$ty>::MAX; })*};
}
bounded!(u8, i8, u16, i16, u32, i32, u64);

/// Mods as far as the build's status and match fields carry them (the status field's
/// `u32` window: `u16` before protocol 11, which came with b20120818).
fn carried_mods(mods: Mods, ctx: Context) -> Mods {
    if defs::STATUS_MODS_U32.contains(ctx) { mods } else { Mods::from_bits_retain(mods.bits() & 0xffff) }
}

/// Where [`ServerEvent::send`] puts the packets of an event, one typed packet at a time:
/// a writer writes each through its own codec, without building a [`ServerPacket`] and
/// dispatching on it again ([`ServerEvent::write`] does this; [`ServerEvent::packets`]
/// and [`ServerEvent::for_each_packet`] collect them as `ServerPacket`s).
///
/// `P` is the packet's type, except for presence and statistics in the builds whose
/// layouts the layer writes straight from the user (b20121203+ presence, b1788+
/// statistics): there it is a type of this layer with the packet's constants and bytes,
/// which builds the packet struct only when converted `into()` a [`ServerPacket`].
pub trait PacketSink<'e> {
    /// Takes the event's next packet (one the build has).
    fn packet<P>(&mut self, packet: P)
    where
        P: Packet + Encode + Into<ServerPacket<'e>>;
}

/// Passes on only the packets `build` has: the reference has no writer for the others.
struct InBuild<'s, S> {
    build: u32,
    sink: &'s mut S,
}

impl<'e, S: PacketSink<'e>> PacketSink<'e> for InBuild<'_, S> {
    #[inline(always)]
    fn packet<P>(&mut self, packet: P)
    where
        P: Packet + Encode + Into<ServerPacket<'e>>,
    {
        if P::BUILDS.contains(self.build) {
            self.sink.packet(packet);
        }
    }
}

/// Calls a closure with each packet as a [`ServerPacket`].
struct Emit<F>(F);

impl<'e, F: FnMut(ServerPacket<'e>)> PacketSink<'e> for Emit<F> {
    fn packet<P>(&mut self, packet: P)
    where
        P: Packet + Encode + Into<ServerPacket<'e>>,
    {
        (self.0)(packet.into());
    }
}

/// Writes each packet through a [`FrameWriter`], keeping the first error.
struct Write<'w, B: ?Sized> {
    buf: &'w mut B,
    ctx: Context,
    writer: &'w mut FrameWriter,
    result: Result<(), EncodeError>,
}

impl<'e, B: BufMut + ?Sized> PacketSink<'e> for Write<'_, B> {
    #[inline(always)]
    fn packet<P>(&mut self, packet: P)
    where
        P: Packet + Encode + Into<ServerPacket<'e>>,
    {
        if self.result.is_ok() {
            self.result = packet.write_with(self.buf, self.ctx, self.writer);
        }
    }
}

impl ServerEvent<'_> {
    /// The wire packets that carry this event to a client of `ctx`'s build, in order.
    /// Empty when the build has no way to show it.
    pub fn packets(&self, ctx: Context) -> Vec<ServerPacket<'_>> {
        let mut out = Vec::new();
        self.for_each_packet(ctx, |packet| out.push(packet));
        out
    }

    /// Writes the event's packets, framed for `ctx`'s build, into `buf`.
    pub fn write<B: BufMut + ?Sized>(&self, buf: &mut B, ctx: Context) -> Result<(), EncodeError> {
        self.write_with(buf, ctx, &mut FrameWriter::new())
    }

    /// [`write`](Self::write) through `writer`: its compression rule, gzip level and
    /// deflate state (a connection's writer, kept from event to event).
    ///
    /// Each packet is written by its own codec as the event layer lays it out, so this
    /// costs little more than writing the same packets prebuilt (BENCHMARKS.md).
    pub fn write_with<B: BufMut + ?Sized>(
        &self,
        buf: &mut B,
        ctx: Context,
        writer: &mut FrameWriter,
    ) -> Result<(), EncodeError> {
        let mut sink = Write { buf, ctx, writer, result: Ok(()) };
        self.send(ctx, &mut sink);
        sink.result
    }

    /// Calls `emit` with each wire packet of this event for `ctx`'s build, in order.
    pub fn for_each_packet<'e>(&'e self, ctx: Context, emit: impl FnMut(ServerPacket<'e>)) {
        self.send(ctx, &mut Emit(emit));
    }

    /// Gives `sink` each wire packet of this event for `ctx`'s build, in order, typed.
    #[inline]
    pub fn send<'e>(&'e self, ctx: Context, sink: &mut impl PacketSink<'e>) {
        // Packets the build does not have are dropped ([`InBuild`]), as the reference's
        // writers are absent for them. What a server writes most (a login burst is mostly
        // users' presence and statistics) goes to its writer here, past the dispatch of
        // every other event, whose size costs each call more than these writers do.
        let build = ctx.build();
        match self {
            Self::UserPresence(user) => users::presence(user, ctx, &mut InBuild { build, sink }),
            Self::UserStats(user) => users::stats(user, ctx, &mut InBuild { build, sink }),
            other => other.send_other(ctx, sink),
        }
    }

    /// [`send`](Self::send) for every event but a user's presence and statistics.
    #[inline(never)]
    fn send_other<'e>(&'e self, ctx: Context, sink: &mut impl PacketSink<'e>) {
        let build = ctx.build();
        let send = &mut InBuild { build, sink };
        let borrowed = |text: &'e Cow<'_, str>| Cow::Borrowed(text.as_ref());
        match self {
            Self::LoginReply(LoginResult::Success(id)) => send.packet(login::BanchoLoginReply(*id)),
            Self::LoginReply(LoginResult::Error(error)) => {
                if *error == LoginError::UserInactive && features::INACTIVE_SHOWN_AS_BANNED.in_build(build) {
                    send.packet(chat::BanchoAnnounce(Cow::Borrowed(INACTIVE_ACCOUNT_MESSAGE)));
                    send.packet(login::BanchoLoginReply(LoginError::InvalidLogin as i32));
                } else {
                    send.packet(login::BanchoLoginReply(*error as i32));
                }
            }
            Self::Message(message) => {
                if let Some(message) = message_for_build(message, ctx) {
                    send.packet(chat::BanchoMessage(message));
                }
            }
            Self::Ping => send.packet(session::BanchoPing),
            Self::IrcChangeUsername { old, new } => {
                send.packet(chat::BanchoIrcChangeUsername(Cow::Owned(format!("{old}>>>>{new}"))))
            }
            Self::IrcQuit(name) => send.packet(chat::BanchoIrcQuit(borrowed(name))),
            // Written by `send`, before this dispatch.
            Self::UserPresence(_) | Self::UserStats(_) => {}
            Self::UserQuit { user, state } => users::quit(user, *state, ctx, send),
            Self::SpectatorJoined(id) => {
                send.packet(spectating::BanchoSpectatorJoined { user_id: saturate(i128::from(*id)) })
            }
            Self::SpectatorLeft(id) => {
                send.packet(spectating::BanchoSpectatorLeft { user_id: saturate(i128::from(*id)) })
            }
            Self::SpectateFrames(bundle) => {
                send.packet(spectating::BanchoSpectateFrames(bundle_for_build(bundle, ctx)))
            }
            Self::VersionUpdate => send.packet(session::BanchoVersionUpdate),
            Self::SpectatorCantSpectate(id) => {
                send.packet(spectating::BanchoSpectatorCantSpectate { user_id: saturate(i128::from(*id)) })
            }
            Self::GetAttention => send.packet(session::BanchoGetAttention),
            Self::Announce(text) => send.packet(chat::BanchoAnnounce(borrowed(text))),
            Self::MatchUpdate(m) => {
                if match_id_fits(m, build) {
                    send.packet(multiplayer::BanchoMatchUpdate(match_for_build(m, ctx)));
                }
            }
            Self::MatchNew(m) => {
                if match_id_fits(m, build) {
                    send.packet(multiplayer::BanchoMatchNew(match_for_build(m, ctx)));
                }
            }
            Self::MatchDisband(id) => send.packet(multiplayer::BanchoMatchDisband { match_id: *id }),
            Self::LobbyJoin(id) => send.packet(multiplayer::BanchoLobbyJoin { user_id: *id }),
            Self::LobbyPart(id) => send.packet(multiplayer::BanchoLobbyPart { user_id: *id }),
            Self::MatchJoinSuccess(m) => {
                send.packet(multiplayer::BanchoMatchJoinSuccess(match_for_build(m, ctx)))
            }
            Self::MatchJoinFail => send.packet(multiplayer::BanchoMatchJoinFail),
            Self::FellowSpectatorJoined(id) => {
                send.packet(spectating::BanchoFellowSpectatorJoined { user_id: *id })
            }
            Self::FellowSpectatorLeft(id) => {
                send.packet(spectating::BanchoFellowSpectatorLeft { user_id: *id })
            }
            Self::MatchStart(m) => {
                // The match is not on the wire before b334: the packet holds the default there.
                let r#match = if defs::MATCH_START_MATCH.contains(build) {
                    match_for_build(m, ctx)
                } else {
                    Match::default()
                };
                send.packet(multiplayer::BanchoMatchStart { r#match });
            }
            Self::MatchScoreUpdate(frame) => {
                if frame.id < ctx.slots() {
                    send.packet(spectating::BanchoMatchScoreUpdate(score_frame_for_build(frame, ctx)));
                }
            }
            Self::MatchTransferHost => send.packet(multiplayer::BanchoMatchTransferHost),
            Self::MatchAllPlayersLoaded => send.packet(multiplayer::BanchoMatchAllPlayersLoaded),
            Self::MatchPlayerFailed(slot) => {
                if *slot < i32::from(ctx.slots()) {
                    send.packet(multiplayer::BanchoMatchPlayerFailed { slot_id: *slot });
                }
            }
            Self::MatchComplete => send.packet(multiplayer::BanchoMatchComplete),
            Self::MatchSkip => send.packet(multiplayer::BanchoMatchSkip),
            Self::ChannelJoinSuccess(name) => send.packet(chat::BanchoChannelJoinSuccess(borrowed(name))),
            Self::ChannelAvailable(channel) => {
                send.packet(chat::BanchoChannelAvailable(borrowed_channel(channel)))
            }
            Self::ChannelRevoked(name) => send.packet(chat::BanchoChannelRevoked(borrowed(name))),
            Self::ChannelAvailableAutojoin(channel) => {
                send.packet(chat::BanchoChannelAvailableAutojoin(borrowed_channel(channel)))
            }
            Self::BeatmapInfoReply(maps) => send.packet(BanchoBeatmapInfoReply {
                beatmaps: maps.iter().map(|map| beatmap_for_build(map, build)).collect(),
            }),
            Self::LoginPermissions(permissions) => {
                // Sent as an `i32`: bit 31 cannot be, and the bits saturate to `i32::MAX`.
                let bits = saturate::<i32>(i128::from(permissions.bits())) as u32;
                send.packet(session::BanchoLoginPermissions(Permissions::from_bits_retain(bits)))
            }
            Self::FriendsList(ids) => send.packet(session::BanchoFriendsList { ids: ids.clone() }),
            Self::ProtocolNegotiation(version) => {
                let version = match version {
                    Some(v) if *v != 0 => *v,
                    _ => i32::from(ctx.protocol()),
                };
                send.packet(session::BanchoProtocolNegotiation { version });
            }
            Self::TitleUpdate { image_url, redirect_url } => {
                let text = if features::TITLE_UPDATE_REDIRECT.in_build(build) {
                    Cow::Owned(format!("{image_url}|{redirect_url}"))
                } else if !defs::TITLE_UPDATE_TEXT.contains(build) {
                    // No text on the wire: the packet holds the default.
                    Cow::Borrowed("")
                } else if image_url.is_empty() {
                    return;
                } else {
                    borrowed(image_url)
                };
                send.packet(session::BanchoTitleUpdate { text });
            }
            Self::Monitor => send.packet(session::BanchoMonitor),
            Self::MatchPlayerSkipped(slot) => {
                if *slot < i32::from(ctx.slots()) {
                    send.packet(multiplayer::BanchoMatchPlayerSkipped {
                        slot_id: saturate(i128::from(*slot)),
                    });
                }
            }
            Self::UserPresenceSingle(user) => {
                if session::BanchoUserPresenceSingle::exists_in(ctx) {
                    send.packet(session::BanchoUserPresenceSingle { user_id: user.id });
                } else {
                    users::presence(user, ctx, send);
                }
            }
            Self::UserPresenceBundle(list) => {
                if session::BanchoUserPresenceBundle::exists_in(ctx) {
                    send.packet(session::BanchoUserPresenceBundle {
                        user_ids: list.iter().map(|user| user.id).collect(),
                    });
                } else {
                    for user in list {
                        users::presence(user, ctx, send);
                    }
                }
            }
            Self::Restart { retry_after_ms } => {
                if session::BanchoRestart::exists_in(ctx) {
                    send.packet(session::BanchoRestart { retry_after_ms: *retry_after_ms });
                } else {
                    // `send` drops it for builds without announcements too.
                    send.packet(chat::BanchoAnnounce(Cow::Borrowed(RESTART_MESSAGE)));
                }
            }
            Self::Invite(message) => {
                if let Some(message) = message_for_build(message, ctx) {
                    if chat::BanchoInvite::exists_in(ctx) {
                        send.packet(chat::BanchoInvite(message));
                    } else {
                        send.packet(chat::BanchoMessage(message));
                    }
                }
            }
            Self::ChannelInfoComplete => send.packet(chat::BanchoChannelInfoComplete),
            Self::MatchChangePassword(password) => {
                send.packet(multiplayer::BanchoMatchChangePassword { password: borrowed(password) })
            }
            Self::SilenceInfo(seconds) => send.packet(session::BanchoSilenceInfo { seconds: *seconds }),
            Self::UserSilenced(id) => send.packet(session::BanchoUserSilenced { user_id: *id }),
            Self::UserDmsBlocked(name) => send.packet(chat::BanchoUserDmsBlocked(notice_message(name))),
            Self::TargetIsSilenced(name) => send.packet(chat::BanchoTargetIsSilenced(notice_message(name))),
            Self::VersionUpdateForced => send.packet(session::BanchoVersionUpdateForced),
            Self::SwitchServer(after) => send.packet(session::BanchoSwitchServer { after_idle_time: *after }),
            Self::AccountRestricted => send.packet(session::BanchoAccountRestricted),
            Self::Rtx(text) => send.packet(chat::BanchoRTX(borrowed(text))),
            Self::MatchAbort => send.packet(multiplayer::BanchoMatchAbort),
            Self::SwitchTournamentServer(server) => {
                send.packet(session::BanchoSwitchTournamentServer { server: borrowed(server) })
            }
            Self::IrcJoin(name) => send.packet(chat::BanchoIrcJoin(borrowed(name))),
        }
    }
}

/// Whether the build can show a match with this id: not above 255 while the id is a byte
/// on the wire (the reference drops those matches; other packets saturate the id).
fn match_id_fits(m: &Match<'_>, build: u32) -> bool {
    !defs::MATCH_ID_U8.contains(build) || m.id <= u16::from(u8::MAX)
}

/// A message as `ctx`'s build receives it, or `None` if the build cannot show it.
fn message_for_build<'e>(message: &'e ChatMessage<'_>, ctx: Context) -> Option<Message<'e>> {
    let build = ctx.build();
    let is_dm = message.is_direct_message();
    // Clients that learn neither the target nor whether it is a direct message show
    // everything in `#osu`; those that learn the flag also take direct messages.
    let shown = defs::MESSAGE_TARGET.contains(build)
        || (is_dm && defs::MESSAGE_DM_FLAG.contains(build))
        || LEGACY_CHANNELS.contains(&message.target.as_ref());
    if !shown {
        return None;
    }
    let content = if features::VERBATIM_MESSAGE_CONTENT.in_build(build) {
        Cow::Borrowed(message.content.as_ref())
    } else {
        links::rewrite_modern_links(&message.content)
    };
    Some(Message {
        sender: Cow::Borrowed(&message.sender),
        content,
        is_dm,
        target: Cow::Borrowed(&message.target),
        sender_id: message.sender_id,
    })
}

/// The message that carries "direct messages blocked" and "target silenced" notices.
fn notice_message(name: &str) -> Message<'_> {
    Message {
        sender: Cow::Borrowed(""),
        content: Cow::Borrowed(""),
        is_dm: true,
        target: Cow::Borrowed(name),
        sender_id: -1,
    }
}

fn borrowed_channel<'e>(channel: &'e Channel<'_>) -> Channel<'e> {
    Channel {
        name: Cow::Borrowed(&channel.name),
        topic: Cow::Borrowed(&channel.topic),
        user_count: channel.user_count,
    }
}

/// A match as `ctx`'s build receives it: slots (and per-slot mods) cut or padded to the
/// build's slot count with locked slots, the id saturated to the build's id field, mods
/// to what the build carries.
fn match_for_build<'e>(m: &'e Match<'_>, ctx: Context) -> Match<'e> {
    let slots = usize::from(ctx.slots());
    let mut slot_list: Vec<MatchSlot> = m.slots.iter().copied().take(slots).collect();
    slot_list.resize(slots, MatchSlot::default());
    let mut slot_mods: Vec<Mods> =
        m.slot_mods.iter().map(|mods| carried_mods(*mods, ctx)).take(slots).collect();
    slot_mods.resize(slots, Mods::empty());
    let id = if defs::MATCH_ID_U8.contains(ctx.build()) { m.id.min(u16::from(u8::MAX)) } else { m.id };
    Match {
        id,
        mods: carried_mods(m.mods, ctx),
        name: Cow::Borrowed(&m.name),
        password: Cow::Borrowed(&m.password),
        beatmap_text: Cow::Borrowed(&m.beatmap_text),
        beatmap_checksum: Cow::Borrowed(&m.beatmap_checksum),
        slots: slot_list,
        slot_mods,
        // The reference's seed field is a `u32`: a negative seed saturates to 0.
        seed: m.seed.max(0),
        // The rest is `Copy`.
        ..*m
    }
}

/// The MD5 checksum b294–b333 clients expect in a score frame, over the frame's fields
/// (the reference's choice of fields, which leaves out the 100s and the score).
pub fn score_frame_checksum(frame: &ScoreFrame<'_>) -> String {
    use md5::Digest;
    let passed = if frame.hp == 254 { "False" } else { "True" };
    let text = format!(
        "{}{}{}{}{}{}{}{}{}{}",
        frame.time,
        passed,
        frame.total_300,
        frame.total_50,
        frame.total_geki,
        frame.total_katu,
        frame.total_miss,
        frame.current_combo,
        frame.max_combo,
        frame.hp
    );
    let digest = md5::Md5::digest(text.as_bytes());
    digest.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// A score frame with the checksum filled in where the build sends one.
fn score_frame_for_build<'e>(frame: &'e ScoreFrame<'_>, ctx: Context) -> ScoreFrame<'e> {
    let checksum = if defs::SCORE_FRAME_CHECKSUM.contains(ctx.build()) {
        Cow::Owned(score_frame_checksum(frame))
    } else {
        Cow::Borrowed(frame.checksum.as_ref())
    };
    // Every other field is `Copy`.
    ScoreFrame { checksum, ..*frame }
}

/// Replay frames as `ctx`'s build receives them: b282–b373 get "a left/right button is
/// held" booleans from the button state, later builds the state with the legacy byte 0.
fn bundle_for_build<'e>(bundle: &'e ReplayFrameBundle<'_>, ctx: Context) -> ReplayFrameBundle<'e> {
    let old_buttons = defs::REPLAY_FRAME_LEFT_RIGHT.contains(ctx.build());
    let frames = bundle
        .frames
        .iter()
        .map(|frame| {
            let mut frame = *frame;
            if old_buttons {
                frame.left = frame.button_state.intersects(ButtonState::LEFT1 | ButtonState::LEFT2);
                frame.right = frame.button_state.intersects(ButtonState::RIGHT1 | ButtonState::RIGHT2);
            } else {
                frame.legacy_right = 0;
            }
            frame
        })
        .collect();
    ReplayFrameBundle {
        extra: bundle.extra,
        frames,
        action: bundle.action,
        score_frame: bundle.score_frame.as_ref().map(|frame| score_frame_for_build(frame, ctx)),
        sequence: bundle.sequence,
    }
}

/// A beatmap's info with the ranked status in the build's form.
fn beatmap_for_build<'e>(map: &'e BeatmapInfo<'_>, build: u32) -> WireBeatmapInfo<'e> {
    let ranked_status = if defs::RANKED_STATUS_BOOL.contains(build) {
        i8::from(matches!(
            map.ranked_status,
            RankedStatus::Ranked | RankedStatus::Approved | RankedStatus::Qualified | RankedStatus::Loved
        ))
    } else if features::VERBATIM_RANKED_STATUS.in_build(build) {
        map.ranked_status as i8
    } else {
        match map.ranked_status {
            RankedStatus::NotSubmitted => -1,
            RankedStatus::Pending => 0,
            RankedStatus::Ranked => 1,
            RankedStatus::Approved | RankedStatus::Qualified | RankedStatus::Loved => 2,
        }
    };
    WireBeatmapInfo {
        index: map.index,
        beatmap_id: map.beatmap_id,
        beatmapset_id: map.beatmapset_id,
        thread_id: map.thread_id,
        ranked_status,
        osu_rank: map.osu_rank,
        fruits_rank: map.fruits_rank,
        taiko_rank: map.taiko_rank,
        mania_rank: map.mania_rank,
        checksum: Cow::Borrowed(&map.checksum),
    }
}
