//! What users are doing and how they rank: status updates and statistics.

use std::borrow::Cow;

use crate::types::{Mode, Mods, Status};
use crate::{BanchoPacket, BanchoPayload};

/// A user's status: action, map and mods. Sent by the client (`OsuUserStatus`) and
/// embedded in the server's statistics.
///
/// Its layout changed five times:
///
/// | builds | layout |
/// |---|---|
/// | b282–b337 | action; text, checksum, `u16` mods only if action is not `Unknown` |
/// | b338–b488 | action, `beatmap_update`; text, checksum, `u16` mods only if it is set |
/// | b489 | as above, plus mode (protocol ≥ 1) inside the conditional block |
/// | b490–b1787 | as above, plus mode and beatmap id inside the block |
/// | b1788–b20120817 | action, text, checksum, `u16` mods, mode, beatmap id |
/// | b20120818+ | as above with `u32` mods from protocol 11 |
///
/// Before b338 the action byte uses an older numbering; this struct holds the byte as sent.
#[derive(Clone, Debug, PartialEq, BanchoPayload)]
pub struct UserStatus<'a> {
    /// What the user is doing.
    pub action: Status,
    /// Whether the map fields follow (on the wire in b338–b1787 only; `true` elsewhere).
    #[bancho(since = 338, until = 1788)]
    #[bancho(default = true)]
    pub beatmap_update: bool,
    /// Free text, usually the map's name.
    #[bancho(until = 338, when = *action != Status::Unknown)]
    #[bancho(since = 338, until = 1788, when = *beatmap_update)]
    #[bancho(since = 1788)]
    #[bancho(default)]
    pub text: Cow<'a, str>,
    /// MD5 of the map file, as hex.
    #[bancho(until = 338, when = *action != Status::Unknown)]
    #[bancho(since = 338, until = 1788, when = *beatmap_update)]
    #[bancho(since = 1788)]
    #[bancho(default)]
    pub beatmap_checksum: Cow<'a, str>,
    /// Enabled mods: `u16` until protocol 11 (b20120818), `u32` from it.
    #[bancho(until = 338, when = *action != Status::Unknown, wire = u16)]
    #[bancho(since = 338, until = 1788, when = *beatmap_update, wire = u16)]
    #[bancho(since = 1788, until = 20120818, wire = u16)]
    #[bancho(since = 20120818, until_protocol = 11, wire = u16)]
    #[bancho(since = 20120818, since_protocol = 11, wire = u32)]
    #[bancho(default)]
    pub mods: Mods,
    /// Game mode (from b489).
    #[bancho(since = 489, until = 490, since_protocol = 1, when = *beatmap_update)]
    #[bancho(since = 490, until = 1788, when = *beatmap_update)]
    #[bancho(since = 1788)]
    #[bancho(default)]
    pub mode: Mode,
    /// Online id of the map (from b490); 0 where absent.
    #[bancho(since = 490, until = 1788, when = *beatmap_update)]
    #[bancho(since = 1788)]
    #[bancho(default)]
    pub beatmap_id: i32,
}

impl Default for UserStatus<'_> {
    fn default() -> Self {
        Self {
            action: Status::Idle,
            beatmap_update: true,
            text: Cow::Borrowed(""),
            beatmap_checksum: Cow::Borrowed(""),
            mods: Mods::empty(),
            mode: Mode::Osu,
            beatmap_id: 0,
        }
    }
}

/// The client reports its status (id 0, every build).
#[derive(Clone, Debug, PartialEq, BanchoPacket)]
#[bancho(id = 0, from = client, name = "OsuUserStatus")]
pub struct OsuUserStatus<'a>(pub UserStatus<'a>);

/// A user's statistics and status (id 11), in the layout of b1788 and later.
///
/// Builds before b1788 sent presence data in this packet too, in layouts of their own;
/// those are defined with the full protocol. Performance points came with b20120723
/// (protocol 8) as an `i16`, and became a `u16` in b20250306 when a player passed 32,767.
#[derive(Clone, Debug, PartialEq, BanchoPacket)]
#[bancho(id = 11, from = server, name = "BanchoUserStats", since = 1788)]
pub struct BanchoUserStats<'a> {
    /// The user's id (negative for IRC users).
    pub user_id: i32,
    /// What the user is doing.
    pub status: UserStatus<'a>,
    /// Ranked score.
    pub ranked_score: u64,
    /// Accuracy, 0.0–1.0.
    pub accuracy: f32,
    /// Number of plays.
    pub play_count: u32,
    /// Total score.
    pub total_score: u64,
    /// Global rank.
    pub rank: i32,
    /// Performance points: `i16` from b20120723 (protocol ≥ 8), `u16` from b20250306.
    #[bancho(since = 20120723, until = 20250306, since_protocol = 8, wire = i16)]
    #[bancho(since = 20250306, wire = u16)]
    #[bancho(default)]
    pub pp: u16,
}
