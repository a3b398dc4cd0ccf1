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
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
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
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[bancho(id = 0, from = client, name = "OsuUserStatus")]
pub struct OsuUserStatus<'a>(pub UserStatus<'a>);

/// A user's statistics and status (id 11), in the layout of b1788 and later.
///
/// Builds before b1788 sent presence data in this packet too, in layouts of their own;
/// those are defined with the full protocol. Performance points came with b20120723
/// (protocol 8) as an `i16`, and became a `u16` in b20250306 when a player passed 32,767.
#[derive(Clone, Debug, PartialEq, BanchoPacket)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
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
/// Before b1788 presence went out in `BanchoUserStats`. From b20121203 the reference
/// appends one more mode byte after the rank; servers in use (and the captured login
/// responses checked while writing this) end the payload at the rank, and the client
/// reads the mode from the permissions byte, so it is not written here. A payload that
/// carries the extra byte still decodes: trailing bytes are tolerated.
#[derive(Clone, Debug, PartialEq, BanchoPacket)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[bancho(id = 83, from = server, name = "BanchoUserPresence", since = 1788)]
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
    pub longitude: f32,
    /// Latitude.
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
