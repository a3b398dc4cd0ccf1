//! The client direction of the event layer: what a client of build B meant by a packet
//! ([`ClientEvent::from_packet`]), and what such a client sends for an event
//! ([`ClientEvent::to_packet`]).
//!
//! The client packets of this crate hold the bytes as sent. The reference (chio 1.1.21)
//! reads them with semantics on top, and [`ClientEvent::from_packet`] applies the same,
//! so an event means the same thing whichever build sent it:
//!
//! | builds | packet | semantics |
//! |---|---|---|
//! | b282–b337 | `OsuUserStatus` | legacy numbering: raw 10 is `Unknown`, raw above 10 is one less |
//! | b282–b337 | `OsuUserStatus` | `Unknown` carries no map: text, checksum and mods are the defaults |
//! | b338–b1787 | `OsuUserStatus` | without `beatmap_update` the map fields are the defaults |
//! | b282–b488 | `OsuUserStatus` | `Idle` with a non-empty checksum becomes `Playing` |
//! | b282–b489 | `OsuUserStatus` | no map id on the wire: `beatmap_id` is −1 (also whenever the map fields are absent) |
//! | b282–b319 | `OsuMessage` | content only: sender `""`, target `#osu`, sender id −1 |
//! | b294–b319 | `OsuPrivateMessage` | the direct-message flag must be set ([`ClientEventError::NotDirectMessage`]); sender `""` |
//! | b282–b1787 | `OsuExit` | no payload: `false` |
//! | b1788+ | `OsuExit` | `reason == 1` (an exit to update) |
//! | b282–b373 | `OsuSpectateFrames` | `left` → `LEFT1`, `right` → `RIGHT1` |
//! | b374+ | `OsuSpectateFrames` | a non-zero legacy byte ORs in `RIGHT1` |
//! | b294–b333 | score frames | the checksum is not kept |
//! | b20130131+ | `OsuChangeFriendOnlyDms` | `value == 1` |
//! | all | the rest | as sent; fields a build does not send have the reference's defaults |
//!
//! Replay frames come out with `left`/`right` false and the legacy byte 0, and score
//! frames with an empty checksum, so that events compare by meaning across builds.
//!
//! [`ClientEvent::to_packet`] is the inverse: the packet a client of the build sends for
//! the event, in the build's era type and numbering (see [Writing](#writing)).
//!
//! ```
//! use chio_packets::events::client::ClientEvent;
//! use chio_packets::types::Status;
//! use chio_packets::{Context, Encode, FromClient, PacketSet, Reader};
//!
//! // A b300 client reports legacy status 11 (Paused in its numbering), without a map.
//! let ctx = Context::new(300);
//! let packet = FromClient::decode(0, &mut Reader::new(&[11, 0, 0, 0, 0]), ctx)?;
//! let event = ClientEvent::from_packet(packet, ctx)?;
//! let ClientEvent::UserStatus(activity) = &event else { unreachable!() };
//! assert_eq!(activity.action, Status::Paused);
//! assert_eq!(activity.beatmap_id, -1); // b300 sends no map id
//!
//! // What such a client sends for it: legacy 11 again, with its empty strings as a
//! // client writes them (`0b 00`).
//! assert_eq!(event.to_packet(ctx)?.encode_payload(ctx)?, [11, 11, 0, 11, 0, 0, 0]);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Rulings
//!
//! - **`extra`** of spectate frames (b20130418+): the reference reads it as `u32`, so the
//!   −1 clients send reads as 4294967295 there. The client writes a signed `i32`, and
//!   this layer keeps it signed: −1 stays −1.
//! - **Score-frame checksums** (b294–b333): the reference neither keeps nor checks the
//!   checksum (its score frame computes one from the fields), so events carry an empty
//!   one. A server that wants to verify it compares the wire frame's checksum with
//!   [`score_frame_checksum`](super::score_frame_checksum) before converting.
//!   [`ClientEvent::to_packet`] computes it for b294–b333.
//! - **`sequence`** of spectate frames is 0 before b20160404 (the reference's `None`).
//! - **`update_stats`** of [`Activity`] is the server's marker: clients never send it,
//!   reading gives `false` and writing ignores it.
//!
//! # Writing
//!
//! [`ClientEvent::to_packet`] drops what the build's layout does not carry (a map id
//! before b490, a password before b591, mods above bit 15 before protocol 11, ...); it
//! reads back as the reference's default. Matches are adapted as in the server direction
//! (slots padded or cut to the build's count, ids saturated to 255 before b1796); before
//! b374 `left`/`right` say whether either left or right button is held; before b338
//! `Unknown` goes without its map fields. It fails when the build has no packet for the
//! event, when the action has no legacy number (`OsuDirect` before b338 would be 14,
//! which the wire's `Status` cannot hold), and for a chat message to anything but `#osu`
//! before b320.

use std::borrow::Cow;

use super::{
    Activity, ChatMessage, bundle_for_build, carried_mods, defs, features, match_for_build,
    score_frame_for_build,
};
use crate::beatmaps::OsuBeatmapInfoRequest;
use crate::catalog::ClientPacket;
use crate::chat::{self, ClientMessage};
use crate::multiplayer::{self, Match};
use crate::presence::{OsuUserStatus, UserStatus};
use crate::session::{self, PresenceFilter};
use crate::spectating::{self, ButtonState, ReplayFrameBundle, ScoreFrame};
use crate::types::{Mods, Status};
use crate::{Context, Packet};

/// The channel b282–b319 clients' messages go to.
pub const LEGACY_MESSAGE_TARGET: &str = "#osu";

/// Something a client tells the server, whatever its build: the meaning of a client
/// packet, as the reference's readers return it.
///
/// Variants are named after the packets (`OsuUserStatus` → `UserStatus`).
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum ClientEvent<'a> {
    /// The client's status (see the module docs for the legacy numbering and defaults).
    UserStatus(Activity<'a>),
    /// A message to a channel; before b320 always to `#osu`.
    Message(ChatMessage<'a>),
    /// The client closes; `true` when it exits to update itself (b1788+).
    Exit(bool),
    /// The client asks for its own statistics.
    StatusUpdateRequest,
    /// The answer to a ping.
    Pong,
    /// The client starts watching this user.
    StartSpectating(i32),
    /// The client stops watching.
    StopSpectating,
    /// The client's replay frames, buttons folded into the button state.
    SpectateFrames(ReplayFrameBundle<'a>),
    /// An error the client reports.
    ErrorReport(Cow<'a, str>),
    /// The spectating client does not have the map.
    CantSpectate,
    /// A direct message (b294+); the target is the recipient's name.
    PrivateMessage(ChatMessage<'a>),
    /// The client leaves the lobby.
    LobbyPart,
    /// The client enters the lobby.
    LobbyJoin,
    /// The client creates this match.
    MatchCreate(Match<'a>),
    /// The client joins a match.
    MatchJoin {
        /// The match.
        match_id: i32,
        /// The password (b591+; empty before).
        password: Cow<'a, str>,
    },
    /// The client leaves its match.
    MatchPart,
    /// The client moves to this slot.
    MatchChangeSlot(i32),
    /// The client is ready.
    MatchReady,
    /// The host locks or unlocks this slot.
    MatchLock(i32),
    /// The host changes the match settings.
    MatchChangeSettings(Match<'a>),
    /// The host starts the match.
    MatchStart,
    /// The client's score in its match.
    MatchScoreUpdate(ScoreFrame<'a>),
    /// The client finished playing.
    MatchComplete,
    /// The client changes its mods.
    MatchChangeMods(Mods),
    /// The client loaded the map.
    MatchLoadComplete,
    /// The client does not have the map.
    MatchNoBeatmap,
    /// The client is no longer ready.
    MatchNotReady,
    /// The client failed.
    MatchFailed,
    /// The client now has the map.
    MatchHasBeatmap,
    /// The client asks to skip the intro.
    MatchSkipRequest,
    /// The client joins this channel.
    ChannelJoin(Cow<'a, str>),
    /// The client asks about the maps in its song list.
    BeatmapInfoRequest {
        /// Map filenames.
        filenames: Vec<Cow<'a, str>>,
        /// Online map ids (b490+; empty before).
        ids: Vec<i32>,
    },
    /// The host hands the match to the player in this slot.
    MatchTransferHost(i32),
    /// The client adds this user as a friend.
    FriendsAdd(i32),
    /// The client removes this friend.
    FriendsRemove(i32),
    /// The client switches team.
    MatchChangeTeam,
    /// The client leaves this channel.
    ChannelLeave(Cow<'a, str>),
    /// Whose presence the client wants.
    ReceiveUpdates(PresenceFilter),
    /// The client's `/away` message (empty content clears it).
    SetIrcAwayMessage(ChatMessage<'a>),
    /// The client asks for these users' statistics.
    UserStatsRequest(Vec<i32>),
    /// The client invites this user to its match.
    Invite(i32),
    /// The host changes the password (the whole match is sent).
    MatchChangePassword(Match<'a>),
    /// A tournament client asks for this match's state.
    TournamentMatchInfo(i32),
    /// The client asks for these users' presence.
    PresenceRequest(Vec<i32>),
    /// The client asks for every online user's presence.
    PresenceRequestAll,
    /// Whether only friends may send the client direct messages.
    ChangeFriendOnlyDms(bool),
    /// A tournament client joins this match's channel.
    TournamentJoinMatchChannel(i32),
    /// A tournament client leaves this match's channel.
    TournamentLeaveMatchChannel(i32),
    /// The host picks another map (b323–b339).
    MatchChangeBeatmap(Match<'a>),
}

/// Why a client packet has no event, or an event no packet, in a build.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ClientEventError {
    /// A b294–b319 private message whose direct-message flag is not set. The reference
    /// rejects it ("Expected direct message, got channel message").
    #[error("private message to {target:?} is not flagged as a direct message")]
    NotDirectMessage {
        /// The message's target.
        target: String,
    },
    /// The build has no such packet: the packet given to
    /// [`ClientEvent::from_packet`] is not of the context's build, or the build has no
    /// packet for the event given to [`ClientEvent::to_packet`].
    #[error("b{build} has no {name} packet")]
    NotInBuild {
        /// The reference's packet name.
        name: &'static str,
        /// The build.
        build: u32,
    },
    /// The build's status numbering has no number for the action (`OsuDirect` before
    /// b338).
    #[error("b{build} clients cannot send the status {status:?}")]
    StatusNotInBuild {
        /// The action.
        status: Status,
        /// The build.
        build: u32,
    },
    /// The build's clients cannot address a chat message to the target (before b320 a
    /// message always goes to `#osu`).
    #[error("b{build} clients cannot send a message to {target:?}")]
    TargetNotInBuild {
        /// The message's target.
        target: String,
        /// The build.
        build: u32,
    },
}

impl<'a> ClientEvent<'a> {
    /// What a client of `ctx`'s build meant by `packet`, with the reference's read
    /// semantics (see the [module documentation](self)).
    ///
    /// Fails when the packet's type is not for `ctx`'s build, and for a b294–b319 private
    /// message without its direct-message flag.
    pub fn from_packet(packet: ClientPacket<'a>, ctx: Context) -> Result<Self, ClientEventError> {
        use ClientPacket as P;
        let build = ctx.build();
        if !packet.builds().contains(build) {
            return Err(ClientEventError::NotInBuild { name: packet.name(), build });
        }
        Ok(match packet {
            P::OsuUserStatus(OsuUserStatus(status)) => Self::UserStatus(activity_from_wire(status, build)),
            P::OsuMessage(chat::OsuMessage(message)) => Self::Message(message_from_wire(message)),
            P::OsuExit(exit) => Self::Exit(exit.reason == 1),
            P::OsuStatusUpdateRequest(_) => Self::StatusUpdateRequest,
            P::OsuPong(_) => Self::Pong,
            P::OsuStartSpectating(p) => Self::StartSpectating(p.user_id),
            P::OsuStopSpectating(_) => Self::StopSpectating,
            P::OsuSpectateFrames(spectating::OsuSpectateFrames(bundle)) => {
                Self::SpectateFrames(bundle_from_wire(bundle, build))
            }
            P::OsuErrorReport(session::OsuErrorReport(text)) => Self::ErrorReport(text),
            P::OsuCantSpectate(_) => Self::CantSpectate,
            P::OsuLegacyPrivateMessage(chat::OsuLegacyPrivateMessage { target, content, is_dm }) => {
                if !is_dm {
                    return Err(ClientEventError::NotDirectMessage { target: target.into_owned() });
                }
                Self::PrivateMessage(ChatMessage {
                    sender: Cow::Borrowed(""),
                    content,
                    target,
                    sender_id: -1,
                })
            }
            P::OsuPrivateMessage(chat::OsuPrivateMessage(message)) => {
                Self::PrivateMessage(message_from_wire(message))
            }
            P::OsuLobbyPart(_) => Self::LobbyPart,
            P::OsuLobbyJoin(_) => Self::LobbyJoin,
            P::OsuMatchCreate(multiplayer::OsuMatchCreate(m)) => Self::MatchCreate(m),
            P::OsuMatchJoin(multiplayer::OsuMatchJoin { match_id, password }) => {
                Self::MatchJoin { match_id, password }
            }
            P::OsuMatchPart(_) => Self::MatchPart,
            P::OsuMatchChangeSlot(p) => Self::MatchChangeSlot(p.slot_id),
            P::OsuMatchReady(_) => Self::MatchReady,
            P::OsuMatchLock(p) => Self::MatchLock(p.slot_id),
            P::OsuMatchChangeSettings(multiplayer::OsuMatchChangeSettings(m)) => Self::MatchChangeSettings(m),
            P::OsuMatchStart(_) => Self::MatchStart,
            P::OsuMatchScoreUpdate(spectating::OsuMatchScoreUpdate(frame)) => {
                Self::MatchScoreUpdate(score_frame_from_wire(frame))
            }
            P::OsuMatchComplete(_) => Self::MatchComplete,
            P::OsuMatchChangeMods(p) => Self::MatchChangeMods(p.mods),
            P::OsuMatchLoadComplete(_) => Self::MatchLoadComplete,
            P::OsuMatchNoBeatmap(_) => Self::MatchNoBeatmap,
            P::OsuMatchNotReady(_) => Self::MatchNotReady,
            P::OsuMatchFailed(_) => Self::MatchFailed,
            P::OsuMatchHasBeatmap(_) => Self::MatchHasBeatmap,
            P::OsuMatchSkipRequest(_) => Self::MatchSkipRequest,
            P::OsuChannelJoin(chat::OsuChannelJoin(name)) => Self::ChannelJoin(name),
            P::OsuBeatmapInfoRequest(OsuBeatmapInfoRequest { filenames, ids }) => {
                Self::BeatmapInfoRequest { filenames, ids }
            }
            P::OsuMatchTransferHost(p) => Self::MatchTransferHost(p.slot_id),
            P::OsuFriendsAdd(p) => Self::FriendsAdd(p.user_id),
            P::OsuFriendsRemove(p) => Self::FriendsRemove(p.user_id),
            P::OsuMatchChangeTeam(_) => Self::MatchChangeTeam,
            P::OsuChannelLeave(chat::OsuChannelLeave(name)) => Self::ChannelLeave(name),
            P::OsuReceiveUpdates(session::OsuReceiveUpdates(filter)) => Self::ReceiveUpdates(filter),
            P::OsuSetIrcAwayMessage(chat::OsuSetIrcAwayMessage(message)) => {
                Self::SetIrcAwayMessage(message_from_wire(message))
            }
            P::OsuUserStatsRequest(p) => Self::UserStatsRequest(p.ids),
            P::OsuInvite(p) => Self::Invite(p.user_id),
            P::OsuMatchChangePassword(multiplayer::OsuMatchChangePassword(m)) => Self::MatchChangePassword(m),
            P::OsuTournamentMatchInfo(p) => Self::TournamentMatchInfo(p.match_id),
            P::OsuPresenceRequest(p) => Self::PresenceRequest(p.ids),
            P::OsuPresenceRequestAll(_) => Self::PresenceRequestAll,
            P::OsuChangeFriendOnlyDms(p) => Self::ChangeFriendOnlyDms(p.enabled()),
            P::OsuTournamentJoinMatchChannel(p) => Self::TournamentJoinMatchChannel(p.match_id),
            P::OsuTournamentLeaveMatchChannel(p) => Self::TournamentLeaveMatchChannel(p.match_id),
            P::OsuMatchChangeBeatmap(multiplayer::OsuMatchChangeBeatmap(m)) => Self::MatchChangeBeatmap(m),
        })
    }
}

impl ClientEvent<'_> {
    /// The packet a client of `ctx`'s build sends for this event: the build's era type
    /// (`OsuLegacyPrivateMessage` for b294–b319, ...), its status numbering, and the
    /// fields its layout carries (see the [module documentation](self)).
    ///
    /// Fails when the build has no packet for the event, when the status has no number
    /// in the build, and for a chat message the build cannot address.
    pub fn to_packet(&self, ctx: Context) -> Result<ClientPacket<'_>, ClientEventError> {
        use ClientPacket as P;
        let build = ctx.build();
        let packet = match self {
            Self::UserStatus(activity) => P::OsuUserStatus(OsuUserStatus(activity_to_wire(activity, ctx)?)),
            Self::Message(message) => {
                if !defs::CLIENT_MESSAGE_TARGET.contains(build) && message.target != LEGACY_MESSAGE_TARGET {
                    return Err(ClientEventError::TargetNotInBuild {
                        target: message.target.clone().into_owned(),
                        build,
                    });
                }
                P::OsuMessage(chat::OsuMessage(message_to_wire(message)))
            }
            Self::Exit(update) => P::OsuExit(session::OsuExit { reason: i32::from(*update) }),
            Self::StatusUpdateRequest => P::OsuStatusUpdateRequest(session::OsuStatusUpdateRequest),
            Self::Pong => P::OsuPong(session::OsuPong),
            Self::StartSpectating(user_id) => {
                P::OsuStartSpectating(spectating::OsuStartSpectating { user_id: *user_id })
            }
            Self::StopSpectating => P::OsuStopSpectating(spectating::OsuStopSpectating),
            Self::SpectateFrames(bundle) => {
                P::OsuSpectateFrames(spectating::OsuSpectateFrames(bundle_to_wire(bundle, ctx)))
            }
            Self::ErrorReport(text) => P::OsuErrorReport(session::OsuErrorReport(borrowed(text))),
            Self::CantSpectate => P::OsuCantSpectate(spectating::OsuCantSpectate),
            Self::PrivateMessage(message) => {
                if chat::OsuPrivateMessage::exists_in(ctx) {
                    P::OsuPrivateMessage(chat::OsuPrivateMessage(message_to_wire(message)))
                } else {
                    // Refused below for builds before private messages.
                    P::OsuLegacyPrivateMessage(chat::OsuLegacyPrivateMessage {
                        target: borrowed(&message.target),
                        content: borrowed(&message.content),
                        is_dm: true,
                    })
                }
            }
            Self::LobbyPart => P::OsuLobbyPart(multiplayer::OsuLobbyPart),
            Self::LobbyJoin => P::OsuLobbyJoin(multiplayer::OsuLobbyJoin),
            Self::MatchCreate(m) => P::OsuMatchCreate(multiplayer::OsuMatchCreate(match_for_build(m, ctx))),
            Self::MatchJoin { match_id, password } => P::OsuMatchJoin(multiplayer::OsuMatchJoin {
                match_id: *match_id,
                password: borrowed(password),
            }),
            Self::MatchPart => P::OsuMatchPart(multiplayer::OsuMatchPart),
            Self::MatchChangeSlot(slot_id) => {
                P::OsuMatchChangeSlot(multiplayer::OsuMatchChangeSlot { slot_id: *slot_id })
            }
            Self::MatchReady => P::OsuMatchReady(multiplayer::OsuMatchReady),
            Self::MatchLock(slot_id) => P::OsuMatchLock(multiplayer::OsuMatchLock { slot_id: *slot_id }),
            Self::MatchChangeSettings(m) => {
                P::OsuMatchChangeSettings(multiplayer::OsuMatchChangeSettings(match_for_build(m, ctx)))
            }
            Self::MatchStart => P::OsuMatchStart(multiplayer::OsuMatchStart),
            Self::MatchScoreUpdate(frame) => {
                P::OsuMatchScoreUpdate(spectating::OsuMatchScoreUpdate(score_frame_for_build(frame, ctx)))
            }
            Self::MatchComplete => P::OsuMatchComplete(multiplayer::OsuMatchComplete),
            Self::MatchChangeMods(mods) => {
                P::OsuMatchChangeMods(multiplayer::OsuMatchChangeMods { mods: *mods })
            }
            Self::MatchLoadComplete => P::OsuMatchLoadComplete(multiplayer::OsuMatchLoadComplete),
            Self::MatchNoBeatmap => P::OsuMatchNoBeatmap(multiplayer::OsuMatchNoBeatmap),
            Self::MatchNotReady => P::OsuMatchNotReady(multiplayer::OsuMatchNotReady),
            Self::MatchFailed => P::OsuMatchFailed(multiplayer::OsuMatchFailed),
            Self::MatchHasBeatmap => P::OsuMatchHasBeatmap(multiplayer::OsuMatchHasBeatmap),
            Self::MatchSkipRequest => P::OsuMatchSkipRequest(multiplayer::OsuMatchSkipRequest),
            Self::ChannelJoin(name) => P::OsuChannelJoin(chat::OsuChannelJoin(borrowed(name))),
            Self::BeatmapInfoRequest { filenames, ids } => P::OsuBeatmapInfoRequest(OsuBeatmapInfoRequest {
                filenames: filenames.iter().map(|name| borrowed(name)).collect(),
                ids: ids.clone(),
            }),
            Self::MatchTransferHost(slot_id) => {
                P::OsuMatchTransferHost(multiplayer::OsuMatchTransferHost { slot_id: *slot_id })
            }
            Self::FriendsAdd(user_id) => P::OsuFriendsAdd(session::OsuFriendsAdd { user_id: *user_id }),
            Self::FriendsRemove(user_id) => {
                P::OsuFriendsRemove(session::OsuFriendsRemove { user_id: *user_id })
            }
            Self::MatchChangeTeam => P::OsuMatchChangeTeam(multiplayer::OsuMatchChangeTeam),
            Self::ChannelLeave(name) => P::OsuChannelLeave(chat::OsuChannelLeave(borrowed(name))),
            Self::ReceiveUpdates(filter) => P::OsuReceiveUpdates(session::OsuReceiveUpdates(*filter)),
            Self::SetIrcAwayMessage(message) => {
                P::OsuSetIrcAwayMessage(chat::OsuSetIrcAwayMessage(message_to_wire(message)))
            }
            Self::UserStatsRequest(ids) => {
                P::OsuUserStatsRequest(session::OsuUserStatsRequest { ids: ids.clone() })
            }
            Self::Invite(user_id) => P::OsuInvite(chat::OsuInvite { user_id: *user_id }),
            Self::MatchChangePassword(m) => {
                P::OsuMatchChangePassword(multiplayer::OsuMatchChangePassword(match_for_build(m, ctx)))
            }
            Self::TournamentMatchInfo(match_id) => {
                P::OsuTournamentMatchInfo(multiplayer::OsuTournamentMatchInfo { match_id: *match_id })
            }
            Self::PresenceRequest(ids) => {
                P::OsuPresenceRequest(session::OsuPresenceRequest { ids: ids.clone() })
            }
            Self::PresenceRequestAll => P::OsuPresenceRequestAll(session::OsuPresenceRequestAll),
            Self::ChangeFriendOnlyDms(on) => {
                P::OsuChangeFriendOnlyDms(chat::OsuChangeFriendOnlyDms(i32::from(*on)))
            }
            Self::TournamentJoinMatchChannel(match_id) => {
                P::OsuTournamentJoinMatchChannel(multiplayer::OsuTournamentJoinMatchChannel {
                    match_id: *match_id,
                })
            }
            Self::TournamentLeaveMatchChannel(match_id) => {
                P::OsuTournamentLeaveMatchChannel(multiplayer::OsuTournamentLeaveMatchChannel {
                    match_id: *match_id,
                })
            }
            Self::MatchChangeBeatmap(m) => {
                P::OsuMatchChangeBeatmap(multiplayer::OsuMatchChangeBeatmap(match_for_build(m, ctx)))
            }
        };
        if packet.builds().contains(build) {
            Ok(packet)
        } else {
            Err(ClientEventError::NotInBuild { name: packet.name(), build })
        }
    }
}

fn borrowed(text: &str) -> Cow<'_, str> {
    Cow::Borrowed(text)
}

/// A legacy (b282–b337) status byte in the modern numbering: 10 was the statistics
/// marker, and everything above it is one more than today.
fn status_from_legacy(raw: u8) -> Status {
    match raw {
        10 => Status::Unknown,
        // The wire type holds at most 13, so `raw - 1` is always a status.
        11.. => Status::try_from(raw - 1).unwrap_or(Status::Unknown),
        _ => Status::try_from(raw).unwrap_or(Status::Unknown),
    }
}

/// The status as the reference reads it for `build`.
fn activity_from_wire(status: UserStatus<'_>, build: u32) -> Activity<'_> {
    let modern_numbering = features::MODERN_STATUS_NUMBERING.in_build(build);
    let action = if modern_numbering { status.action } else { status_from_legacy(status.action as u8) };
    let has_map = if defs::STATUS_BEATMAP_UPDATE.contains(build) {
        status.beatmap_update
    } else if !modern_numbering {
        // The legacy reader skips the map for `Unknown` in its own numbering.
        action != Status::Unknown
    } else {
        true
    };
    let mut activity = if has_map {
        Activity {
            action,
            text: status.text,
            beatmap_checksum: status.beatmap_checksum,
            mods: status.mods,
            mode: status.mode,
            // Not on the wire before b490: the reference's default.
            beatmap_id: if defs::STATUS_BEATMAP_ID.contains(build) { status.beatmap_id } else { -1 },
            update_stats: false,
        }
    } else {
        // The reference's defaults, the map id −1 among them.
        Activity { action, ..Activity::default() }
    };
    // The reference's fix-up for clients that play without saying so (b282–b488).
    if !features::STATUS_IDLE_TRUSTED.in_build(build)
        && activity.action == Status::Idle
        && !activity.beatmap_checksum.is_empty()
    {
        activity.action = Status::Playing;
    }
    activity
}

/// The status a client of `ctx`'s build sends.
fn activity_to_wire<'e>(
    activity: &'e Activity<'_>,
    ctx: Context,
) -> Result<UserStatus<'e>, ClientEventError> {
    let action = if !features::MODERN_STATUS_NUMBERING.in_build(ctx.build()) {
        let modern = activity.action as u8;
        let legacy = if modern > 9 { modern + 1 } else { modern };
        Status::try_from(legacy)
            .map_err(|_| ClientEventError::StatusNotInBuild { status: activity.action, build: ctx.build() })?
    } else {
        activity.action
    };
    Ok(UserStatus {
        action,
        beatmap_update: true,
        text: borrowed(&activity.text),
        beatmap_checksum: borrowed(&activity.beatmap_checksum),
        mods: carried_mods(activity.mods, ctx),
        mode: activity.mode,
        beatmap_id: activity.beatmap_id,
    })
}

fn message_from_wire(message: ClientMessage<'_>) -> ChatMessage<'_> {
    // The wire defaults of the fields a build does not send (sender "", target "#osu",
    // sender id -1) are the reference's.
    ChatMessage {
        sender: message.sender,
        content: message.content,
        target: message.target,
        sender_id: message.sender_id,
    }
}

fn message_to_wire<'e>(message: &'e ChatMessage<'_>) -> ClientMessage<'e> {
    ClientMessage {
        sender: borrowed(&message.sender),
        content: borrowed(&message.content),
        target: borrowed(&message.target),
        sender_id: message.sender_id,
    }
}

/// Replay frames as the reference reads them: buttons in the state alone.
fn bundle_from_wire(mut bundle: ReplayFrameBundle<'_>, build: u32) -> ReplayFrameBundle<'_> {
    let old_buttons = defs::REPLAY_FRAME_LEFT_RIGHT.contains(build);
    for frame in &mut bundle.frames {
        if old_buttons {
            frame.button_state = ButtonState::empty();
            frame.button_state.set(ButtonState::LEFT1, frame.left);
            frame.button_state.set(ButtonState::RIGHT1, frame.right);
        } else if frame.legacy_right != 0 {
            frame.button_state |= ButtonState::RIGHT1;
        }
        frame.left = false;
        frame.right = false;
        frame.legacy_right = 0;
    }
    bundle.score_frame = bundle.score_frame.map(score_frame_from_wire);
    bundle
}

fn bundle_to_wire<'e>(bundle: &'e ReplayFrameBundle<'_>, ctx: Context) -> ReplayFrameBundle<'e> {
    let mut bundle = bundle_for_build(bundle, ctx);
    if defs::REPLAY_FRAME_LEFT_RIGHT.contains(ctx.build()) {
        // Not on the wire there; cleared so the packet holds what is sent.
        for frame in &mut bundle.frames {
            frame.button_state = ButtonState::empty();
        }
    }
    bundle
}

/// A score frame without the checksum, which the reference does not keep.
fn score_frame_from_wire(frame: ScoreFrame<'_>) -> ScoreFrame<'_> {
    ScoreFrame { checksum: Cow::Borrowed(""), ..frame }
}
