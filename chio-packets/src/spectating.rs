//! Spectating: who watches whom, the replay frames streamed to spectators, and the score
//! frames that also carry multiplayer scores.
//!
//! | packet | id | from | builds | payload |
//! |---|---|---|---|---|
//! | [`BanchoSpectatorJoined`] | 13 | server | all | `u32` user id |
//! | [`BanchoSpectatorLeft`] | 14 | server | all | `u32` user id |
//! | [`BanchoSpectateFrames`] | 15 | server | all | [`ReplayFrameBundle`] |
//! | [`OsuStartSpectating`] | 16 | client | all | `i32` user id |
//! | [`OsuStopSpectating`] | 17 | client | all | empty |
//! | [`OsuSpectateFrames`] | 18 | client | all | [`ReplayFrameBundle`] |
//! | [`OsuCantSpectate`] | 21 | client | all | empty |
//! | [`BanchoSpectatorCantSpectate`] | 22 | server | all | `u32` user id |
//! | [`BanchoFellowSpectatorJoined`] | 42 | server | b298+ | `i32` user id |
//! | [`BanchoFellowSpectatorLeft`] | 43 | server | b298+ | `i32` user id |
//! | [`OsuMatchScoreUpdate`] | 47 | client | b312+ | [`ScoreFrame`] |
//! | [`BanchoMatchScoreUpdate`] | 48 | server | b312+ | [`ScoreFrame`] |
//!
//! The user ids keep the integer types the reference writes: unsigned in the three
//! spectator packets, signed in the fellow-spectator ones and in `OsuStartSpectating`.

use std::borrow::Cow;

use crate::{BanchoEnum, BanchoFlags, BanchoPacket, BanchoPayload};

/// What the spectated player is doing, sent with each bundle of replay frames.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default, BanchoEnum)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[repr(u8)]
pub enum ReplayAction {
    /// Ordinary frames.
    #[default]
    Standard = 0,
    /// The player started a new map.
    NewSong = 1,
    /// The player skipped the intro.
    Skip = 2,
    /// The player finished the map.
    Completion = 3,
    /// The player failed.
    Fail = 4,
    /// The player paused.
    Pause = 5,
    /// The player resumed.
    Unpause = 6,
    /// The player is in song select.
    SongSelect = 7,
    /// The player is watching someone else.
    WatchingOther = 8,
}

bitflags::bitflags! {
    /// The buttons held in a replay frame (one byte from b374). Unknown bits are kept.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default, BanchoFlags)]
    #[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
    pub struct ButtonState: u8 {
        /// First left button (mouse or key).
        const LEFT1 = 1 << 0;
        /// First right button (mouse or key).
        const RIGHT1 = 1 << 1;
        /// Second left button (keyboard).
        const LEFT2 = 1 << 2;
        /// Second right button (keyboard).
        const RIGHT2 = 1 << 3;
        /// Smoke.
        const SMOKE = 1 << 4;
    }
}

/// One frame of cursor input.
///
/// | builds | layout |
/// |---|---|
/// | b282–b373 | `bool left, bool right, f32 x, f32 y, i32 time` |
/// | b374+ | `u8 button_state, u8 legacy_right, f32 x, f32 y, i32 time` |
///
/// The struct holds what is on the wire; it does not fold the old booleans into
/// [`ButtonState`] or the legacy byte into `button_state`. The reference reads `left` as
/// `LEFT1`, `right` as `RIGHT1`, and ORs `RIGHT1` into the state when `legacy_right` is
/// non-zero; it writes `left`/`right` as "either left/right button held" and always
/// writes `legacy_right = 0`. Those translations belong to the layer above.
#[derive(Clone, Copy, Debug, PartialEq, BanchoPayload)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(default))]
#[bancho(default)]
pub struct ReplayFrame {
    /// A left button is held (b282–b373; `false` elsewhere).
    #[bancho(until = 374)]
    #[bancho(default)]
    pub left: bool,
    /// A right button is held (b282–b373; `false` elsewhere).
    #[bancho(until = 374)]
    #[bancho(default)]
    pub right: bool,
    /// The buttons held (b374+; empty elsewhere).
    #[bancho(since = 374)]
    #[bancho(default)]
    pub button_state: ButtonState,
    /// The legacy right-button byte after the state (b374+): non-zero means `RIGHT1` is
    /// held too. Writers send 0.
    #[bancho(since = 374)]
    #[bancho(default)]
    pub legacy_right: u8,
    /// Cursor x, in osu! pixels.
    #[cfg_attr(feature = "serde", serde(with = "crate::serde_float"))]
    pub x: f32,
    /// Cursor y, in osu! pixels.
    #[cfg_attr(feature = "serde", serde(with = "crate::serde_float"))]
    pub y: f32,
    /// Time in the map, in milliseconds.
    pub time: i32,
}

/// A player's running score: sent with spectator frames (from b294) and as the payload of
/// the match score updates (from b312).
///
/// | builds | layout |
/// |---|---|
/// | b294–b295 | `string checksum, u8 id, u16 ×6 counts, u32 total_score, u16 max_combo, u16 current_combo, bool perfect, u8 hp` |
/// | b296–b333 | `string checksum, i32 time`, then as above from `id` |
/// | b334–b534 | `i32 time`, then as above from `id` (no checksum) |
/// | b535–b20151105 | as above, plus `u8 tag_byte` |
/// | b20151106+ | as above, plus `bool using_scorev2`, and if it is set `f64 combo_portion, f64 bonus_portion` |
///
/// No build before b294 sends a score frame; encoding one for such a build gives the
/// b294 layout without the checksum. The checksum is carried as sent and not verified
/// (the reference writes an MD5 of some of the fields, see the protocol digest 5.12).
/// `hp` 254 means the player failed. The reference's b535–b20151105 reader accepts a
/// frame without its `tag_byte`; its writer always sends it, and so does this struct.
#[derive(Clone, Debug, PartialEq, BanchoPayload)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(default))]
#[bancho(default)]
pub struct ScoreFrame<'a> {
    /// MD5 hex checksum of the frame (b294–b333; empty elsewhere).
    #[bancho(since = 294, until = 334)]
    #[bancho(default)]
    pub checksum: Cow<'a, str>,
    /// Time in the map, in milliseconds (b296+; 0 where absent).
    #[bancho(since = 296)]
    #[bancho(default)]
    pub time: i32,
    /// The player's slot in the match.
    pub id: u8,
    /// Number of 300s.
    pub total_300: u16,
    /// Number of 100s.
    pub total_100: u16,
    /// Number of 50s.
    pub total_50: u16,
    /// Number of gekis.
    pub total_geki: u16,
    /// Number of katus.
    pub total_katu: u16,
    /// Number of misses.
    pub total_miss: u16,
    /// Total score, carried as the reference's `u32`.
    pub total_score: u32,
    /// Highest combo so far.
    pub max_combo: u16,
    /// Current combo.
    pub current_combo: u16,
    /// No miss so far.
    pub perfect: bool,
    /// Health, 0–200; 254 means failed.
    pub hp: u8,
    /// Tag-play byte (b535+; 0 elsewhere).
    #[bancho(since = 535)]
    #[bancho(default)]
    pub tag_byte: u8,
    /// Whether the ScoreV2 portions follow (b20151106+; `false` elsewhere).
    #[bancho(since = 20151106)]
    #[bancho(default)]
    pub using_scorev2: bool,
    /// ScoreV2 combo portion (b20151106+, only if `using_scorev2`).
    #[bancho(since = 20151106, when = *using_scorev2)]
    #[bancho(default)]
    #[cfg_attr(feature = "serde", serde(with = "crate::serde_float"))]
    pub combo_portion: f64,
    /// ScoreV2 bonus portion (b20151106+, only if `using_scorev2`).
    #[bancho(since = 20151106, when = *using_scorev2)]
    #[bancho(default)]
    #[cfg_attr(feature = "serde", serde(with = "crate::serde_float"))]
    pub bonus_portion: f64,
}

/// Replay frames streamed from a player to the server (`OsuSpectateFrames`) and from the
/// server to the player's spectators (`BanchoSpectateFrames`).
///
/// | builds | layout |
/// |---|---|
/// | b282–b293 | `u16 n, ReplayFrame ×n, u8 action` |
/// | b294–b20130417 | as above, then a [`ScoreFrame`] if any byte remains |
/// | b20130418–b20160403 | `i32 extra` (protocol ≥ 18), then as above |
/// | b20160404+ | as above, then `u16 sequence`; the score frame is there if more than two bytes remain before it |
///
/// Whether the score frame is present is not flagged on the wire: readers look at the
/// bytes left in the payload (see [`score_frame_if_bytes_remain`] and
/// [`score_frame_before_sequence`]). Decoding a bundle therefore needs a reader that ends
/// where the payload ends, which the packet readers provide.
///
/// `extra` is written as `i32` (default −1); the reference reads it back as `u32`, so −1
/// comes back as 4294967295 there. This struct keeps the signed value.
#[derive(Clone, Debug, PartialEq, BanchoPayload)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(default))]
#[bancho(default)]
pub struct ReplayFrameBundle<'a> {
    /// Unknown purpose (b20130418+ at protocol ≥ 18; −1 elsewhere).
    #[bancho(since = 20130418, since_protocol = 18)]
    #[bancho(default = -1)]
    pub extra: i32,
    /// The frames, with a `u16` count.
    #[bancho(count = u16)]
    pub frames: Vec<ReplayFrame>,
    /// What the player is doing.
    pub action: ReplayAction,
    /// The player's score (b294+, when present).
    #[bancho(since = 294, until = 20160404, with = score_frame_if_bytes_remain)]
    #[bancho(since = 20160404, with = score_frame_before_sequence)]
    #[bancho(default)]
    pub score_frame: Option<ScoreFrame<'a>>,
    /// Frame bundle sequence number (b20160404+; 0 elsewhere, where the reference has `None`).
    #[bancho(since = 20160404)]
    #[bancho(default)]
    pub sequence: u16,
}

/// Codec of an optional score frame that ends the payload (b294–b20160403): written when
/// set, read when any byte is left.
pub mod score_frame_if_bytes_remain {
    use super::ScoreFrame;
    use crate::{BufMut, Context, Decode, DecodeError, Encode, EncodeError, Reader};

    /// The frame's encoded size, or 0 without one.
    pub fn encoded_len(frame: &Option<ScoreFrame<'_>>, ctx: Context) -> usize {
        frame.as_ref().map_or(0, |f| f.encoded_len(ctx))
    }

    /// Writes the frame if there is one.
    pub fn encode<B: BufMut + ?Sized>(
        frame: &Option<ScoreFrame<'_>>,
        buf: &mut B,
        ctx: Context,
    ) -> Result<(), EncodeError> {
        frame.as_ref().map_or(Ok(()), |f| f.encode(buf, ctx))
    }

    /// Reads a frame if any byte is left.
    pub fn decode<'de>(r: &mut Reader<'de>, ctx: Context) -> Result<Option<ScoreFrame<'de>>, DecodeError> {
        if r.is_empty() { Ok(None) } else { ScoreFrame::decode(r, ctx).map(Some) }
    }
}

/// Codec of an optional score frame followed by the `u16` sequence (b20160404+): written
/// when set, read when more than the sequence's two bytes are left.
pub mod score_frame_before_sequence {
    use super::ScoreFrame;
    use crate::{BufMut, Context, Decode, DecodeError, EncodeError, Reader};

    /// The frame's encoded size, or 0 without one.
    pub fn encoded_len(frame: &Option<ScoreFrame<'_>>, ctx: Context) -> usize {
        super::score_frame_if_bytes_remain::encoded_len(frame, ctx)
    }

    /// Writes the frame if there is one.
    pub fn encode<B: BufMut + ?Sized>(
        frame: &Option<ScoreFrame<'_>>,
        buf: &mut B,
        ctx: Context,
    ) -> Result<(), EncodeError> {
        super::score_frame_if_bytes_remain::encode(frame, buf, ctx)
    }

    /// Reads a frame if more than two bytes are left.
    pub fn decode<'de>(r: &mut Reader<'de>, ctx: Context) -> Result<Option<ScoreFrame<'de>>, DecodeError> {
        if r.remaining() > 2 { ScoreFrame::decode(r, ctx).map(Some) } else { Ok(None) }
    }
}

/// A user started watching the receiver (id 13).
#[derive(Clone, Copy, Debug, PartialEq, Eq, BanchoPacket)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[bancho(id = 13, from = server, name = "BanchoSpectatorJoined")]
pub struct BanchoSpectatorJoined {
    /// The spectator's id, as the reference's `u32`.
    pub user_id: u32,
}

/// A user stopped watching the receiver (id 14).
#[derive(Clone, Copy, Debug, PartialEq, Eq, BanchoPacket)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[bancho(id = 14, from = server, name = "BanchoSpectatorLeft")]
pub struct BanchoSpectatorLeft {
    /// The spectator's id, as the reference's `u32`.
    pub user_id: u32,
}

/// Replay frames of the player the receiver watches (id 15).
#[derive(Clone, Debug, PartialEq, BanchoPacket)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[bancho(id = 15, from = server, name = "BanchoSpectateFrames")]
pub struct BanchoSpectateFrames<'a>(pub ReplayFrameBundle<'a>);

/// The client starts watching a user (id 16).
#[derive(Clone, Copy, Debug, PartialEq, Eq, BanchoPacket)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[bancho(id = 16, from = client, name = "OsuStartSpectating")]
pub struct OsuStartSpectating {
    /// The id of the user to watch.
    pub user_id: i32,
}

/// The client stops watching (id 17; empty).
#[derive(Clone, Copy, Debug, PartialEq, Eq, BanchoPacket)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[bancho(id = 17, from = client, name = "OsuStopSpectating")]
pub struct OsuStopSpectating;

/// The client's own replay frames, for its spectators (id 18).
#[derive(Clone, Debug, PartialEq, BanchoPacket)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[bancho(id = 18, from = client, name = "OsuSpectateFrames")]
pub struct OsuSpectateFrames<'a>(pub ReplayFrameBundle<'a>);

/// The spectating client does not have the map being played (id 21; empty).
#[derive(Clone, Copy, Debug, PartialEq, Eq, BanchoPacket)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[bancho(id = 21, from = client, name = "OsuCantSpectate")]
pub struct OsuCantSpectate;

/// A spectator of the receiver does not have the map (id 22).
#[derive(Clone, Copy, Debug, PartialEq, Eq, BanchoPacket)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[bancho(id = 22, from = server, name = "BanchoSpectatorCantSpectate")]
pub struct BanchoSpectatorCantSpectate {
    /// The spectator's id, as the reference's `u32`.
    pub user_id: u32,
}

/// Another user started watching the player the receiver watches (id 42, b298+).
///
/// The reference notes that the client may also need a `BanchoSpectatorJoined` to show the
/// fellow spectator, but sends only this packet.
#[derive(Clone, Copy, Debug, PartialEq, Eq, BanchoPacket)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[bancho(id = 42, from = server, name = "BanchoFellowSpectatorJoined", since = 298)]
pub struct BanchoFellowSpectatorJoined {
    /// The fellow spectator's id.
    pub user_id: i32,
}

/// Another user stopped watching the player the receiver watches (id 43, b298+).
#[derive(Clone, Copy, Debug, PartialEq, Eq, BanchoPacket)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[bancho(id = 43, from = server, name = "BanchoFellowSpectatorLeft", since = 298)]
pub struct BanchoFellowSpectatorLeft {
    /// The fellow spectator's id.
    pub user_id: i32,
}

/// The client's score in a multiplayer match (id 47, b312+).
#[derive(Clone, Debug, PartialEq, BanchoPacket)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[bancho(id = 47, from = client, name = "OsuMatchScoreUpdate", since = 312)]
pub struct OsuMatchScoreUpdate<'a>(pub ScoreFrame<'a>);

/// A player's score in the receiver's match (id 48, b312+).
///
/// The reference sends nothing when the frame's slot `id` is not below the match's slot
/// count; that check is the sender's, not the wire's.
#[derive(Clone, Debug, PartialEq, BanchoPacket)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[bancho(id = 48, from = server, name = "BanchoMatchScoreUpdate", since = 312)]
pub struct BanchoMatchScoreUpdate<'a>(pub ScoreFrame<'a>);
