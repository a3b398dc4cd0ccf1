//! Beatmap information: the client asks about the maps it has, the server answers with
//! their online ids, ranked status and the player's grades.

use std::borrow::Cow;

use crate::{BanchoEnum, BanchoPacket, BanchoPayload};

/// A map's ranked status, in the modern numbering.
///
/// This is the meaning, not the wire value: [`BeatmapInfo::ranked_status`] holds the byte
/// as sent, which in older builds is a bool (b354–b387) or a reduced numbering
/// (b388–b20121027, where Qualified and Loved are sent as Approved, 2). Translating
/// between the two is the job of the layer above the wire structs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default, BanchoEnum)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[repr(i8)]
pub enum RankedStatus {
    /// Not submitted, or unknown to the server.
    NotSubmitted = -1,
    /// Pending (also work in progress and graveyard).
    #[default]
    Pending = 0,
    /// Ranked.
    Ranked = 1,
    /// Approved.
    Approved = 2,
    /// Qualified (from 2014; older clients do not know it).
    Qualified = 3,
    /// Loved (from 2016; older clients do not know it).
    Loved = 4,
}

/// A grade a player reached on a map, sent as a signed byte.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default, BanchoEnum)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[repr(i8)]
pub enum Rank {
    /// Silver SS (SS with hidden or flashlight).
    XH = 0,
    /// Silver S.
    SH = 1,
    /// SS.
    X = 2,
    /// S.
    S = 3,
    /// A.
    A = 4,
    /// B.
    B = 5,
    /// C.
    C = 6,
    /// D.
    D = 7,
    /// Failed.
    F = 8,
    /// Not played.
    #[default]
    N = 9,
}

/// `b354`–`b387` send the ranked status as a bool: the field's raw value, 0 or 1, is
/// written as that byte; any non-zero byte reads back as 1 (as the game's `ReadBoolean`).
mod ranked_bool {
    use crate::{BufMut, Context, Decode, DecodeError, EncodeError, EncodeErrorKind, Reader};

    pub(super) fn encoded_len(_: &i8, _: Context) -> usize {
        1
    }

    pub(super) fn encode<B: BufMut + ?Sized>(value: &i8, buf: &mut B, _: Context) -> Result<(), EncodeError> {
        match *value {
            0 | 1 => {
                buf.put_u8(value.unsigned_abs());
                Ok(())
            }
            other => Err(EncodeErrorKind::OutOfRange { value: other.into(), wire: "bool" }.into()),
        }
    }

    pub(super) fn decode(reader: &mut Reader<'_>, ctx: Context) -> Result<i8, DecodeError> {
        bool::decode(reader, ctx).map(i8::from)
    }
}

/// What the server knows about one of the maps a client asked about.
///
/// | builds | layout |
/// |---|---|
/// | b354–b387 | index, ids, `bool` ranked, osu! rank, checksum |
/// | b388–b503 | `i8` ranked status instead of the bool |
/// | b504–b20121027 | plus fruits and taiko ranks (protocol ≥ 2), in that order |
/// | b20121028+ | fruits and taiko ranks always, plus mania rank (protocol ≥ 12) |
#[derive(Clone, Debug, PartialEq, BanchoPayload)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(default))]
#[bancho(default)]
pub struct BeatmapInfo<'a> {
    /// Position of the map in the request's filename list.
    pub index: i16,
    /// Online id of the map.
    pub beatmap_id: i32,
    /// Online id of its set.
    pub beatmapset_id: i32,
    /// Forum thread of the set.
    pub thread_id: i32,
    /// The ranked status byte as sent; not translated (see [`RankedStatus`]):
    ///
    /// - b354–b387: a bool, "ranked", held as 0 or 1 (other values cannot be sent);
    /// - b388–b20121027: `i8` in the old numbering: −1 not submitted, 0 pending,
    ///   1 ranked, 2 approved (the reference also sends Qualified and Loved as 2);
    /// - b20121028+: `i8`, a [`RankedStatus`] value (the reference sends it unmapped).
    #[bancho(until = 388, with = ranked_bool)]
    #[bancho(since = 388)]
    pub ranked_status: i8,
    /// The player's grade in osu!standard.
    pub osu_rank: Rank,
    /// The player's grade in osu!catch: from b504 (protocol ≥ 2); always from b20121028.
    #[bancho(since = 504, until = 20121028, since_protocol = 2)]
    #[bancho(since = 20121028)]
    #[bancho(default)]
    pub fruits_rank: Rank,
    /// The player's grade in osu!taiko, present like `fruits_rank` (and after it).
    #[bancho(since = 504, until = 20121028, since_protocol = 2)]
    #[bancho(since = 20121028)]
    #[bancho(default)]
    pub taiko_rank: Rank,
    /// The player's grade in osu!mania: from b20121028 (protocol ≥ 12).
    #[bancho(since = 20121028, since_protocol = 12)]
    #[bancho(default)]
    pub mania_rank: Rank,
    /// MD5 of the map file, as hex.
    pub checksum: Cow<'a, str>,
}

/// The server's answer to a beatmap info request (id 69, from b354).
///
/// The count is an `i32` here; the reference writes it as `u32`, the same bytes for any
/// list that fits in a payload.
#[derive(Clone, Debug, PartialEq, BanchoPacket)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[bancho(id = 69, from = server, name = "BanchoBeatmapInfoReply", since = 354)]
pub struct BanchoBeatmapInfoReply<'a> {
    /// One entry per map the server knows.
    pub beatmaps: Vec<BeatmapInfo<'a>>,
}

/// The client asks about the maps in its song list (id 68, from b354).
///
/// b354–b489 send filenames only; b490 and later add a list of online map ids. Both
/// counts are `i32` here (the reference reads them as `u32`; the bytes agree for any list
/// that fits). The reference accepts this packet up to 2^18 bytes instead of the usual
/// 2^14: it is the one packet that can be that large, marked `large` (see
/// [`Packet::LARGE`](crate::Packet::LARGE)).
#[derive(Clone, Debug, PartialEq, BanchoPacket)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(default))]
#[bancho(id = 68, from = client, name = "OsuBeatmapInfoRequest", since = 354, large, default)]
pub struct OsuBeatmapInfoRequest<'a> {
    /// Map filenames (`.osu` files).
    pub filenames: Vec<Cow<'a, str>>,
    /// Online map ids (from b490; empty before).
    #[bancho(since = 490)]
    #[bancho(default)]
    pub ids: Vec<i32>,
}
