//! What users are doing and how they rank: status updates and statistics.
//!
//! `BanchoUserStats` (id 11) has four layouts, one Rust type each; before b1788 it also
//! carried what later became presence:
//!
//! | builds | packet | payload |
//! |---|---|---|
//! | b282–b322 | [`BanchoUserStatsB282`] | [`UserStatsB282`]: everything, every time |
//! | b323–b337 | [`BanchoUserStatsB323`] | [`UserStatsB323`]: a `full` flag, then optionally everything but the status |
//! | b338–b1787 | [`BanchoUserStatsB338`] | [`UserStatsB338`]: a [`Completeness`], then status, statistics, identity |
//! | b1788+ | [`BanchoUserStats`] | [`UserStats`]: status and statistics; identity went to [`BanchoUserPresence`] |
//!
//! The same payloads go out as [`BanchoUserQuit`] (id 12) before b20121224, one Rust type
//! per era beside them here.

use std::borrow::Cow;

use crate::types::{Mode, Mods, Status};
use crate::{BanchoEnum, BanchoPacket, BanchoPayload};

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
/// Before b338 the action byte uses an older numbering (10 is "stats update", 11–14 are
/// Paused…OsuDirect); this struct holds the byte as sent, and
/// [`events`](crate::events) translates it.
///
/// Rulings for b282–b337, where the reference disagrees with itself: the map fields follow
/// unless the **byte as sent** is 7 (Unknown), in both directions. The reference's writer
/// does that too, but its reader first translates the byte and skips the fields for raw 10
/// as well; clients never send 10 (it is the server's "stats update"), so one layout serves
/// both. The legacy byte 14 (osu!direct, which no client of that era had) is not a
/// [`Status`] and fails to decode as an invalid enum value.
#[derive(Clone, Debug, PartialEq, BanchoPayload)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(default))]
#[bancho(default)]
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

/// The client reports its status (id 0, every build).
#[derive(Clone, Debug, PartialEq, BanchoPacket)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[bancho(id = 0, from = client, name = "OsuUserStatus")]
pub struct OsuUserStatus<'a>(pub UserStatus<'a>);

/// How much of a user a [`UserStatsB338`] carries (b338–b1787).
///
/// The default is [`StatusOnly`](Completeness::StatusOnly): nothing follows the status, so
/// a default [`UserStatsB338`] holds no statistics or identity that the wire would drop.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default, BanchoEnum)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[repr(u8)]
pub enum Completeness {
    /// The status only.
    #[default]
    StatusOnly = 0,
    /// The status and the statistics (what the reference's stats writer sends).
    Statistics = 1,
    /// The status, the statistics and the identity (what its presence writer sends).
    Full = 2,
}

/// A user's statistics and status, in the layout of b1788 and later (the payload of
/// [`BanchoUserStats`] and, in b1788–b20121223, of [`BanchoUserQuitB1788`]).
///
/// | builds | layout |
/// |---|---|
/// | b1788–b20120722 | `i32` id, status, `u64` ranked score, `f32` accuracy, `u32` plays, `u64` total score, `i32` rank |
/// | b20120723–b20250305 | as above, plus `i16` pp (protocol ≥ 8) |
/// | b20250306+ | as above with `u16` pp (a player passed 32,767) |
///
#[derive(Clone, Debug, PartialEq, BanchoPayload)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(default))]
#[bancho(default)]
// The events layer writes this layout straight from a user (`StatsOf` in
// `events/users.rs`); its test `direct_writes_match_the_packets` holds the two together.
pub struct UserStats<'a> {
    /// The user's id (negative for IRC users).
    pub user_id: i32,
    /// What the user is doing.
    pub status: UserStatus<'a>,
    /// Ranked score.
    pub ranked_score: u64,
    /// Accuracy, 0.0–1.0.
    #[cfg_attr(feature = "serde", serde(with = "crate::serde_float"))]
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

/// A user's statistics and status (id 11), b1788 and later: a [`UserStats`].
///
/// Older builds use [`BanchoUserStatsB282`], [`BanchoUserStatsB323`] and
/// [`BanchoUserStatsB338`] (see the [module](self) table).
#[derive(Clone, Debug, PartialEq, BanchoPacket)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[bancho(id = 11, from = server, name = "BanchoUserStats", since = 1788)]
pub struct BanchoUserStats<'a>(pub UserStats<'a>);

/// A user in full, in the layout of b282–b322 (the payload of [`BanchoUserStatsB282`] and
/// [`BanchoUserQuitB282`]).
///
/// | field | wire |
/// |---|---|
/// | id | `u32` |
/// | name | string |
/// | ranked score | `u64` |
/// | accuracy | `f64` |
/// | plays | `u32` |
/// | total score | `u64` |
/// | rank | `u32` |
/// | avatar file name | string |
/// | status | [`UserStatus`] (b282–b337 layout, older action numbering) |
/// | timezone | `u8` |
/// | country | string |
///
/// The status action byte is held as sent: the reference sends 10 when it flags a
/// statistics update and renumbers the later actions (digest 5.1); that belongs to the
/// layer above, as do IRC users, who get a `BanchoIrcJoin` instead.
///
#[derive(Clone, Debug, PartialEq, BanchoPayload)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct UserStatsB282<'a> {
    /// The user's id.
    pub user_id: u32,
    /// The user's name.
    pub name: Cow<'a, str>,
    /// Ranked score.
    pub ranked_score: u64,
    /// Accuracy, 0.0–1.0 (an `f64` in these builds only).
    #[cfg_attr(feature = "serde", serde(with = "crate::serde_float"))]
    pub accuracy: f64,
    /// Number of plays.
    pub play_count: u32,
    /// Total score.
    pub total_score: u64,
    /// Global rank.
    pub rank: u32,
    /// The avatar's file name (the reference sends `"<id>_000.png"`).
    pub avatar_filename: Cow<'a, str>,
    /// What the user is doing.
    pub status: UserStatus<'a>,
    /// The UTC offset in hours plus 24.
    pub timezone: u8,
    /// The country's name, optionally `"Country / City"`.
    pub country_name: Cow<'a, str>,
}

/// A user's statistics (id 11), b282–b322: a [`UserStatsB282`].
#[derive(Clone, Debug, PartialEq, BanchoPacket)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[bancho(id = 11, from = server, name = "BanchoUserStats", until = 323)]
pub struct BanchoUserStatsB282<'a>(pub UserStatsB282<'a>);

/// A user's status, optionally with everything else, in the layout of b323–b337 (the
/// payload of [`BanchoUserStatsB323`] and [`BanchoUserQuitB323`]).
///
/// | field | wire |
/// |---|---|
/// | id | `u32` |
/// | full | `bool` |
/// | name, ranked score, accuracy, plays, total score, rank, avatar file name, timezone, country | only if `full`: string, `u64`, `f32`, `u32`, `u64`, `u32`, string, `u8`, string |
/// | status | [`UserStatus`] (b282–b337 layout, older action numbering), always |
///
/// The reference sets `full` when the status flags a statistics update, and then sends
/// the action byte as 10; for a new user it sends one full packet and one without. The
/// fields after `full` hold their defaults when it is not set.
///
#[derive(Clone, Debug, PartialEq, BanchoPayload)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(default))]
#[bancho(default)]
pub struct UserStatsB323<'a> {
    /// The user's id.
    pub user_id: u32,
    /// Whether the identity and statistics follow.
    pub full: bool,
    /// The user's name (if `full`).
    #[bancho(when = *full)]
    #[bancho(default)]
    pub name: Cow<'a, str>,
    /// Ranked score (if `full`).
    #[bancho(when = *full)]
    #[bancho(default)]
    pub ranked_score: u64,
    /// Accuracy, 0.0–1.0 (if `full`).
    #[bancho(when = *full)]
    #[bancho(default)]
    #[cfg_attr(feature = "serde", serde(with = "crate::serde_float"))]
    pub accuracy: f32,
    /// Number of plays (if `full`).
    #[bancho(when = *full)]
    #[bancho(default)]
    pub play_count: u32,
    /// Total score (if `full`).
    #[bancho(when = *full)]
    #[bancho(default)]
    pub total_score: u64,
    /// Global rank (if `full`).
    #[bancho(when = *full)]
    #[bancho(default)]
    pub rank: u32,
    /// The avatar's file name (if `full`; the reference sends `"<id>_000.png"`).
    #[bancho(when = *full)]
    #[bancho(default)]
    pub avatar_filename: Cow<'a, str>,
    /// The UTC offset in hours plus 24 (if `full`).
    #[bancho(when = *full)]
    #[bancho(default)]
    pub timezone: u8,
    /// The country's name, optionally `"Country / City"` (if `full`).
    #[bancho(when = *full)]
    #[bancho(default)]
    pub country_name: Cow<'a, str>,
    /// What the user is doing.
    pub status: UserStatus<'a>,
}

/// A user's status and, if `full`, statistics (id 11), b323–b337: a [`UserStatsB323`].
#[derive(Clone, Debug, PartialEq, BanchoPacket)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[bancho(id = 11, from = server, name = "BanchoUserStats", since = 323, until = 338)]
pub struct BanchoUserStatsB323<'a>(pub UserStatsB323<'a>);

/// A user's status, statistics and identity as far as [`Completeness`] says, in the
/// layout of b338–b1787 (the payload of [`BanchoUserStatsB338`] and
/// [`BanchoUserQuitB338`]).
///
/// | field | wire | when |
/// |---|---|---|
/// | id | `u32` | always |
/// | completeness | `u8` | always |
/// | status | [`UserStatus`] | always |
/// | ranked score, accuracy, plays, total score | `u64`, `f32`, `u32`, `u64` | `Statistics` or `Full` |
/// | rank | `u16` until b695, `u32` from it | `Statistics` or `Full` |
/// | name, avatar file name, timezone, country | string, string, `u8`, string | `Full` |
/// | permissions | `u8` | `Full`, from b452 |
/// | longitude, latitude | `f32`, `f32` | `Full`, from b1183 at protocol ≥ 5 |
///
/// The reference's stats writer sends `Statistics` and its presence writer `Full`;
/// `StatusOnly` is understood by the client too. Absent fields hold their defaults. A
/// rank above 65,535 cannot be sent before b695 (an error, not a clamp), and the total
/// score caps the reference applies in b365–b658 belong to the layer above.
///
#[derive(Clone, Debug, PartialEq, BanchoPayload)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(default))]
#[bancho(default)]
pub struct UserStatsB338<'a> {
    /// The user's id.
    pub user_id: u32,
    /// Which of the blocks below follow the status.
    pub completeness: Completeness,
    /// What the user is doing.
    pub status: UserStatus<'a>,
    /// Ranked score (`Statistics` or `Full`).
    #[bancho(when = *completeness != Completeness::StatusOnly)]
    #[bancho(default)]
    pub ranked_score: u64,
    /// Accuracy, 0.0–1.0 (`Statistics` or `Full`).
    #[bancho(when = *completeness != Completeness::StatusOnly)]
    #[bancho(default)]
    #[cfg_attr(feature = "serde", serde(with = "crate::serde_float"))]
    pub accuracy: f32,
    /// Number of plays (`Statistics` or `Full`).
    #[bancho(when = *completeness != Completeness::StatusOnly)]
    #[bancho(default)]
    pub play_count: u32,
    /// Total score (`Statistics` or `Full`).
    #[bancho(when = *completeness != Completeness::StatusOnly)]
    #[bancho(default)]
    pub total_score: u64,
    /// Global rank (`Statistics` or `Full`): `u16` until b695, `u32` from it.
    #[bancho(until = 695, when = *completeness != Completeness::StatusOnly, wire = u16)]
    #[bancho(since = 695, when = *completeness != Completeness::StatusOnly)]
    #[bancho(default)]
    pub rank: u32,
    /// The user's name (`Full`).
    #[bancho(when = *completeness == Completeness::Full)]
    #[bancho(default)]
    pub name: Cow<'a, str>,
    /// The avatar's file name (`Full`; the reference sends `"<id>_000.png"`).
    #[bancho(when = *completeness == Completeness::Full)]
    #[bancho(default)]
    pub avatar_filename: Cow<'a, str>,
    /// The UTC offset in hours plus 24 (`Full`).
    #[bancho(when = *completeness == Completeness::Full)]
    #[bancho(default)]
    pub timezone: u8,
    /// The country's name, optionally `"Country / City"` (`Full`).
    #[bancho(when = *completeness == Completeness::Full)]
    #[bancho(default)]
    pub country_name: Cow<'a, str>,
    /// The [`Permissions`](crate::types::Permissions) bits (`Full`, from b452).
    #[bancho(since = 452, when = *completeness == Completeness::Full)]
    #[bancho(default)]
    pub permissions: u8,
    /// Longitude (`Full`, from b1183 at protocol ≥ 5).
    #[bancho(since = 1183, since_protocol = 5, when = *completeness == Completeness::Full)]
    #[bancho(default)]
    #[cfg_attr(feature = "serde", serde(with = "crate::serde_float"))]
    pub longitude: f32,
    /// Latitude (`Full`, from b1183 at protocol ≥ 5).
    #[bancho(since = 1183, since_protocol = 5, when = *completeness == Completeness::Full)]
    #[bancho(default)]
    #[cfg_attr(feature = "serde", serde(with = "crate::serde_float"))]
    pub latitude: f32,
}

/// A user's status, statistics and identity (id 11), b338–b1787: a [`UserStatsB338`].
#[derive(Clone, Debug, PartialEq, BanchoPacket)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[bancho(id = 11, from = server, name = "BanchoUserStats", since = 338, until = 1788)]
pub struct BanchoUserStatsB338<'a>(pub UserStatsB338<'a>);

/// A user's presence (id 83, b1788 and later): identity, location and rank.
///
/// | builds | layout |
/// |---|---|
/// | b1788–b1795 | id, name, avatar extension, timezone, country name, permissions, longitude, latitude |
/// | b1796 | the country name becomes a country index plus a city |
/// | b1797+ | rank at the end (protocol ≥ 7) |
/// | b20120806+ | game mode at the end (protocol ≥ 10) |
/// | b20121203+ | id, name, timezone, country index, permissions with the mode in bits 5–7, longitude, latitude, rank |
///
/// Before b1788 presence went out in `BanchoUserStats` ([`UserStatsB282`],
/// [`UserStatsB323`], [`UserStatsB338`] with [`Completeness::Full`]). From b20121203 the
/// reference appends one more mode byte after the rank; servers in use (and the captured login
/// responses checked while writing this) end the payload at the rank, and the client
/// reads the mode from the permissions byte, so it is not written here. A payload that
/// carries the extra byte still decodes: trailing bytes are tolerated.
#[derive(Clone, Debug, PartialEq, BanchoPacket)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(default))]
#[bancho(id = 83, from = server, name = "BanchoUserPresence", since = 1788, default)]
// The events layer writes the b1796+ layouts straight from a user (`PresenceOf` in
// `events/users.rs`); its test `direct_writes_match_the_packets` holds the two together.
pub struct BanchoUserPresence<'a> {
    /// The user's id (negative for IRC users).
    pub user_id: i32,
    /// The user's name.
    pub name: Cow<'a, str>,
    /// The avatar's file type, 1 for PNG (until b20121203).
    #[bancho(until = 20121203)]
    #[bancho(default = 1)]
    pub avatar_extension: u8,
    /// The UTC offset in hours plus 24.
    pub timezone: u8,
    /// The country's name, optionally `"Country / City"` (b1788–b1795).
    #[bancho(until = 1796)]
    #[bancho(default)]
    pub country_name: Cow<'a, str>,
    /// The country's index in the client's country table (from b1796).
    #[bancho(since = 1796)]
    #[bancho(default)]
    pub country_index: u8,
    /// The city (b1796–b20121202).
    #[bancho(since = 1796, until = 20121203)]
    #[bancho(default)]
    pub city: Cow<'a, str>,
    /// The [`Permissions`](crate::types::Permissions) bits; from b20121203 the game mode
    /// is packed into bits 5–7 (see [`BanchoUserPresence::pack_permissions`]).
    pub permissions: u8,
    /// Longitude.
    #[cfg_attr(feature = "serde", serde(with = "crate::serde_float"))]
    pub longitude: f32,
    /// Latitude.
    #[cfg_attr(feature = "serde", serde(with = "crate::serde_float"))]
    pub latitude: f32,
    /// Global rank (b1797–b20121202 at protocol ≥ 7; always from b20121203).
    #[bancho(since = 1797, until = 20121203, since_protocol = 7)]
    #[bancho(since = 20121203)]
    #[bancho(default)]
    pub rank: i32,
    /// Game mode (b20120806–b20121202 at protocol ≥ 10; later in the permissions byte).
    #[bancho(since = 20120806, until = 20121203, since_protocol = 10)]
    #[bancho(default)]
    pub mode: Mode,
}

impl BanchoUserPresence<'_> {
    /// The permissions byte of b20121203 and later: the low five permission bits and the
    /// mode in bits 5–7. Permissions above bit 4 do not fit and are an error.
    pub fn pack_permissions(
        permissions: crate::types::Permissions,
        mode: Mode,
    ) -> Result<u8, crate::EncodeErrorKind> {
        let bits = permissions.bits();
        if bits > 0x1f {
            return Err(crate::EncodeErrorKind::OutOfRange { value: i128::from(bits), wire: "u5" });
        }
        // Both parts are range-checked: bits < 32 and the mode < 4.
        Ok(u8::try_from(bits).unwrap_or(0) | (u8::from(mode) << 5))
    }
}

/// Why a user left, in [`BanchoUserQuit`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default, BanchoEnum)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[repr(u8)]
pub enum QuitState {
    /// Gone entirely.
    #[default]
    Gone = 0,
    /// Still on osu!, left IRC.
    OsuRemaining = 1,
    /// Still on IRC, left osu!.
    IrcRemaining = 2,
}

/// A user left (id 12), in the layout of b20121224 and later: the id and a [`QuitState`].
///
/// Before b20121224 the packet carries the user's statistics in that era's stats layout
/// instead, and a client that receives it removes that user:
///
/// | builds | packet | payload |
/// |---|---|---|
/// | b282–b322 | [`BanchoUserQuitB282`] | [`UserStatsB282`] |
/// | b323–b337 | [`BanchoUserQuitB323`] | [`UserStatsB323`] |
/// | b338–b1787 | [`BanchoUserQuitB338`] | [`UserStatsB338`] |
/// | b1788–b20121223 | [`BanchoUserQuitB1788`] | [`UserStats`] |
/// | b20121224+ | `BanchoUserQuit` | id and [`QuitState`] |
///
/// The reference builds the old payloads by sending, as this packet, the first packet its
/// stats writer would send for the user (so `Statistics` completeness in b338–b1787, and
/// in b323–b337 whatever its `full` flag says). It sends nothing for a user still on
/// osu! ([`QuitState::OsuRemaining`]); for an IRC user before b1788 whose IRC session
/// remains, the first packet is an IRC join, so the payload is just the name. Those
/// choices belong to the layer above.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, BanchoPacket)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[bancho(id = 12, from = server, name = "BanchoUserQuit", since = 20121224)]
pub struct BanchoUserQuit {
    /// The user's id (raw, as in [`BanchoUserPresenceSingle`](crate::session::BanchoUserPresenceSingle)).
    pub user_id: i32,
    /// What the user left.
    pub state: QuitState,
}

/// A user left (id 12), b282–b322: their statistics as a [`UserStatsB282`] (see
/// [`BanchoUserQuit`]).
#[derive(Clone, Debug, PartialEq, BanchoPacket)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[bancho(id = 12, from = server, name = "BanchoUserQuit", until = 323)]
pub struct BanchoUserQuitB282<'a>(pub UserStatsB282<'a>);

/// A user left (id 12), b323–b337: their statistics as a [`UserStatsB323`] (see
/// [`BanchoUserQuit`]).
#[derive(Clone, Debug, PartialEq, BanchoPacket)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[bancho(id = 12, from = server, name = "BanchoUserQuit", since = 323, until = 338)]
pub struct BanchoUserQuitB323<'a>(pub UserStatsB323<'a>);

/// A user left (id 12), b338–b1787: their statistics as a [`UserStatsB338`] (see
/// [`BanchoUserQuit`]).
#[derive(Clone, Debug, PartialEq, BanchoPacket)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[bancho(id = 12, from = server, name = "BanchoUserQuit", since = 338, until = 1788)]
pub struct BanchoUserQuitB338<'a>(pub UserStatsB338<'a>);

/// A user left (id 12), b1788–b20121223: their statistics as a [`UserStats`] (see
/// [`BanchoUserQuit`]).
#[derive(Clone, Debug, PartialEq, BanchoPacket)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[bancho(id = 12, from = server, name = "BanchoUserQuit", since = 1788, until = 20121224)]
pub struct BanchoUserQuitB1788<'a>(pub UserStats<'a>);
