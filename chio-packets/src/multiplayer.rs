//! Multiplayer: the match payload and the lobby and match packets.
//!
//! A match lays its slots out as arrays (every slot's status, then every slot's team,
//! then the user id of each occupied slot), with as many slots as the [`Context`](crate::Context) says
//! (8, or 16 from b20140528 at protocol 19 and from b20150915 always). The wire struct
//! holds exactly that many slots; encoding any other number is an error, so padding or
//! dropping slots for an older client is a decision of the layer above.

use std::borrow::Cow;

use crate::types::{Mode, Mods};
use crate::{BanchoEnum, BanchoFlags, BanchoPacket, BanchoPayload};

/// The kind of match.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default, BanchoEnum)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[repr(u8)]
pub enum MatchType {
    /// A normal match.
    #[default]
    Standard = 0,
    /// Powerplay (an early experiment).
    Powerplay = 1,
}

/// How a match is scored (from b535).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default, BanchoEnum)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[repr(u8)]
pub enum ScoringType {
    /// Highest score.
    #[default]
    Score = 0,
    /// Highest accuracy.
    Accuracy = 1,
    /// Highest combo.
    Combo = 2,
    /// Score V2.
    ScoreV2 = 3,
}

/// How players are grouped (from b535).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default, BanchoEnum)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[repr(u8)]
pub enum TeamType {
    /// Everyone for themselves.
    #[default]
    HeadToHead = 0,
    /// Tag co-op.
    TagCoop = 1,
    /// Two teams.
    TeamVs = 2,
    /// Tag, two teams.
    TagTeamVs = 3,
}

/// A slot's team (from b558).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default, BanchoEnum)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[repr(u8)]
pub enum SlotTeam {
    /// No team.
    #[default]
    Neutral = 0,
    /// Blue.
    Blue = 1,
    /// Red.
    Red = 2,
}

bitflags::bitflags! {
    /// The state of a match slot.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default, BanchoFlags)]
    #[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
    pub struct SlotStatus: u8 {
        /// Empty and open.
        const OPEN = 1;
        /// Closed.
        const LOCKED = 2;
        /// A player who is not ready.
        const NOT_READY = 4;
        /// A player who is ready.
        const READY = 8;
        /// A player without the map.
        const NO_MAP = 16;
        /// A player playing.
        const PLAYING = 32;
        /// A player who finished.
        const COMPLETE = 64;
        /// A player who quit.
        const QUIT = 128;
    }
}

impl SlotStatus {
    /// Statuses with a player in the slot, whose user id is on the wire.
    pub const HAS_PLAYER: Self =
        Self::NOT_READY.union(Self::READY).union(Self::NO_MAP).union(Self::PLAYING).union(Self::COMPLETE);

    /// Whether a player is in the slot.
    pub const fn has_player(self) -> bool {
        self.intersects(Self::HAS_PLAYER)
    }
}

/// One slot of a match. The user id is on the wire only when the slot has a player.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct MatchSlot {
    /// The slot's state.
    pub status: SlotStatus,
    /// The slot's team (from b558, protocol 4).
    pub team: SlotTeam,
    /// The player's id, or -1 for an empty slot.
    pub user_id: i32,
}

impl Default for MatchSlot {
    /// A locked slot without a player: what matches are padded with up to the build's
    /// slot count, as the reference does (`adjusted_match_slots`). The reference's
    /// `MatchSlot()` is open instead: `MatchSlot { status: SlotStatus::OPEN, ..MatchSlot::default() }`.
    fn default() -> Self {
        Self { status: SlotStatus::LOCKED, team: SlotTeam::Neutral, user_id: -1 }
    }
}

/// A slot borrows nothing: detached as it is (a [`Match`]'s slots convert in place).
impl crate::IntoOwned for MatchSlot {
    type Owned = Self;
    #[inline]
    fn into_owned(self) -> Self {
        self
    }
}

/// A multiplayer match, as every match-carrying packet sends it.
///
/// | builds | layout |
/// |---|---|
/// | b298–b311 | id (u8), type, name, map text, map id, map checksum, three slot bit masks (open, used, ready), user ids |
/// | b312–b333 | as above with `in_progress` after the id |
/// | b334–b557 | mods (u16) after the type; one status byte per slot instead of the masks; host id from b402, mode from b470, scoring and team type from b535 (protocol 3) |
/// | b558–b590 | team bytes after the statuses (protocol 4) |
/// | b591–b1795 | password after the name |
/// | b1796+ | 16-bit id; from b20120818 mods are u32 at protocol 11 and teams, scoring and team type unconditional |
/// | b20130118+ | u32 mods always; freemod flag (protocol 16); per-slot mods when freemod is set (b20130303); seed (b20130418, protocol 18) |
///
/// Its [`Default`] is written by hand rather than by `#[bancho(default)]`: an empty match
/// has eight locked slots (a match must carry exactly the context's slot count) and map id
/// −1, values no field default expresses.
#[derive(Clone, Debug, PartialEq, BanchoPayload)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(default))]
pub struct Match<'a> {
    /// The match id: one byte before b1796.
    #[bancho(until = 1796, wire = u8)]
    #[bancho(since = 1796, wire = u16)]
    pub id: u16,
    /// Whether the match is being played (from b312).
    #[bancho(since = 312)]
    #[bancho(default)]
    pub in_progress: bool,
    /// The kind of match.
    pub match_type: MatchType,
    /// The match mods (from b334): u16, then u32 from protocol 11 (b20120818), always u32 from b20130118.
    #[bancho(since = 334, until = 20120818, wire = u16)]
    #[bancho(since = 20120818, until = 20130118, until_protocol = 11, wire = u16)]
    #[bancho(since = 20120818, until = 20130118, since_protocol = 11, wire = u32)]
    #[bancho(since = 20130118, wire = u32)]
    #[bancho(default)]
    pub mods: Mods,
    /// The match name.
    pub name: Cow<'a, str>,
    /// The password (from b591). Every reader of the packet sees it.
    #[bancho(since = 591)]
    #[bancho(default)]
    pub password: Cow<'a, str>,
    /// The map's display text.
    pub beatmap_text: Cow<'a, str>,
    /// The map's online id.
    pub beatmap_id: i32,
    /// The map file's MD5, as hex.
    pub beatmap_checksum: Cow<'a, str>,
    /// The slots: exactly [`Context::slots`](crate::Context::slots) of them.
    #[bancho(until = 334, with = slot_codec::masks)]
    #[bancho(since = 334, until = 558, with = slot_codec::statuses)]
    #[bancho(since = 558, until = 20120818, until_protocol = 4, with = slot_codec::statuses)]
    #[bancho(since = 558, until = 20120818, since_protocol = 4, with = slot_codec::statuses_and_teams)]
    #[bancho(since = 20120818, with = slot_codec::statuses_and_teams)]
    pub slots: Vec<MatchSlot>,
    /// The host's user id (from b402).
    #[bancho(since = 402)]
    #[bancho(default = -1)]
    pub host_id: i32,
    /// The game mode (from b470).
    #[bancho(since = 470)]
    #[bancho(default)]
    pub mode: Mode,
    /// The scoring type (from b535, protocol 3; always from b20120818).
    #[bancho(since = 535, until = 20120818, since_protocol = 3)]
    #[bancho(since = 20120818)]
    #[bancho(default)]
    pub scoring_type: ScoringType,
    /// The team type (from b535, protocol 3; always from b20120818).
    #[bancho(since = 535, until = 20120818, since_protocol = 3)]
    #[bancho(since = 20120818)]
    #[bancho(default)]
    pub team_type: TeamType,
    /// Whether players pick their own mods (from b20130118, protocol 16).
    #[bancho(since = 20130118, since_protocol = 16)]
    #[bancho(default)]
    pub freemod: bool,
    /// Each slot's mods, when freemod is on (from b20130303): exactly [`Context::slots`](crate::Context::slots) of them.
    #[bancho(since = 20130303, when = *freemod, with = slot_codec::mods)]
    #[bancho(default)]
    pub slot_mods: Vec<Mods>,
    /// The seed of mania's random mod (from b20130418, protocol 18).
    ///
    /// An `i32`, as clients write it; the reference writes and reads it as `u32` (a
    /// negative seed reads back 2^32 higher there). The event layer sends negative seeds
    /// as 0, as the reference does.
    #[bancho(since = 20130418, since_protocol = 18)]
    #[bancho(default)]
    pub seed: i32,
}

impl Default for Match<'_> {
    /// An empty match with eight locked slots.
    fn default() -> Self {
        Self {
            id: 0,
            in_progress: false,
            match_type: MatchType::Standard,
            mods: Mods::empty(),
            name: Cow::Borrowed(""),
            password: Cow::Borrowed(""),
            beatmap_text: Cow::Borrowed(""),
            beatmap_id: -1,
            beatmap_checksum: Cow::Borrowed(""),
            slots: vec![MatchSlot::default(); 8],
            host_id: -1,
            mode: Mode::Osu,
            scoring_type: ScoringType::Score,
            team_type: TeamType::HeadToHead,
            freemod: false,
            slot_mods: Vec::new(),
            seed: 0,
        }
    }
}

/// The slot blocks of the match layout: per-slot arrays of the context's slot count.
pub mod slot_codec {
    use super::{MatchSlot, SlotStatus, SlotTeam};
    use crate::types::Mods;
    use crate::{Bools8, BufMut, Context, Decode, DecodeError, Encode, EncodeError, EncodeErrorKind, Reader};

    fn check_len(len: usize, ctx: Context) -> Result<usize, EncodeError> {
        let expected = usize::from(ctx.slots());
        if len == expected {
            Ok(expected)
        } else {
            Err(EncodeErrorKind::WrongLength { expected, actual: len }.into())
        }
    }

    fn user_ids_len(slots: &[MatchSlot]) -> usize {
        4 * slots.iter().filter(|s| s.status.has_player()).count()
    }

    fn put_user_ids<B: BufMut + ?Sized>(slots: &[MatchSlot], buf: &mut B) {
        for slot in slots.iter().filter(|s| s.status.has_player()) {
            buf.put_i32_le(slot.user_id);
        }
    }

    fn read_user_ids(
        slots: &mut [MatchSlot],
        reader: &mut Reader<'_>,
        ctx: Context,
    ) -> Result<(), DecodeError> {
        for (i, slot) in slots.iter_mut().enumerate() {
            if slot.status.has_player() {
                slot.user_id = i32::decode(reader, ctx).map_err(|e| e.in_field("user_id").at_index(i))?;
            }
        }
        Ok(())
    }

    fn read_statuses(reader: &mut Reader<'_>, ctx: Context) -> Result<Vec<MatchSlot>, DecodeError> {
        let statuses: &[u8] = reader.take(usize::from(ctx.slots()))?;
        Ok(statuses
            .iter()
            .map(|&bits| MatchSlot {
                status: SlotStatus::from_bits_retain(bits),
                team: SlotTeam::Neutral,
                user_id: -1,
            })
            .collect())
    }

    /// b298–b333: three bit masks (open, used, ready) over 8 slots, then user ids.
    ///
    /// The masks cannot say every status: a used slot reads as not ready unless its ready
    /// bit is set, and an unused one as open or locked.
    pub mod masks {
        use super::*;

        /// Encoded size.
        pub fn encoded_len(slots: &[MatchSlot], _: Context) -> usize {
            3 + user_ids_len(slots)
        }

        /// Writes the masks and user ids.
        pub fn encode<B: BufMut + ?Sized>(
            slots: &[MatchSlot],
            buf: &mut B,
            ctx: Context,
        ) -> Result<(), EncodeError> {
            check_len(slots.len(), ctx)?;
            if slots.len() > 8 {
                return Err(EncodeErrorKind::WrongLength { expected: 8, actual: slots.len() }.into());
            }
            let mask = |test: fn(&MatchSlot) -> bool| {
                let mut bits = [false; 8];
                for (bit, slot) in bits.iter_mut().zip(slots) {
                    *bit = test(slot);
                }
                Bools8(bits).to_byte()
            };
            buf.put_u8(mask(|s| s.status == SlotStatus::OPEN));
            buf.put_u8(mask(|s| s.status.has_player()));
            buf.put_u8(mask(|s| s.status == SlotStatus::READY));
            put_user_ids(slots, buf);
            Ok(())
        }

        /// Reads the masks and user ids.
        pub fn decode(reader: &mut Reader<'_>, ctx: Context) -> Result<Vec<MatchSlot>, DecodeError> {
            let open = Bools8::decode(reader, ctx)?.0;
            let used = Bools8::decode(reader, ctx)?.0;
            let ready = Bools8::decode(reader, ctx)?.0;
            let count = usize::from(ctx.slots()).min(8);
            let mut slots: Vec<MatchSlot> = (0..count)
                .map(|i| {
                    let status = if ready[i] {
                        SlotStatus::READY
                    } else if used[i] {
                        SlotStatus::NOT_READY
                    } else if open[i] {
                        SlotStatus::OPEN
                    } else {
                        SlotStatus::LOCKED
                    };
                    MatchSlot { status, team: SlotTeam::Neutral, user_id: -1 }
                })
                .collect();
            read_user_ids(&mut slots, reader, ctx)?;
            Ok(slots)
        }
    }

    /// b334–b557 (and later builds below protocol 4): a status byte per slot, then user ids.
    pub mod statuses {
        use super::*;

        /// Encoded size.
        pub fn encoded_len(slots: &[MatchSlot], _: Context) -> usize {
            slots.len() + user_ids_len(slots)
        }

        /// Writes the statuses and user ids.
        pub fn encode<B: BufMut + ?Sized>(
            slots: &[MatchSlot],
            buf: &mut B,
            ctx: Context,
        ) -> Result<(), EncodeError> {
            check_len(slots.len(), ctx)?;
            for slot in slots {
                buf.put_u8(slot.status.bits());
            }
            put_user_ids(slots, buf);
            Ok(())
        }

        /// Reads the statuses and user ids.
        pub fn decode(reader: &mut Reader<'_>, ctx: Context) -> Result<Vec<MatchSlot>, DecodeError> {
            let mut slots = read_statuses(reader, ctx)?;
            read_user_ids(&mut slots, reader, ctx)?;
            Ok(slots)
        }
    }

    /// b558+ (protocol 4): a status byte per slot, a team byte per slot, then user ids.
    pub mod statuses_and_teams {
        use super::*;

        /// Encoded size.
        pub fn encoded_len(slots: &[MatchSlot], _: Context) -> usize {
            2 * slots.len() + user_ids_len(slots)
        }

        /// Writes the statuses, teams and user ids.
        pub fn encode<B: BufMut + ?Sized>(
            slots: &[MatchSlot],
            buf: &mut B,
            ctx: Context,
        ) -> Result<(), EncodeError> {
            check_len(slots.len(), ctx)?;
            for slot in slots {
                buf.put_u8(slot.status.bits());
            }
            for (i, slot) in slots.iter().enumerate() {
                slot.team.encode(buf, ctx).map_err(|e| e.in_field("team").at_index(i))?;
            }
            put_user_ids(slots, buf);
            Ok(())
        }

        /// Reads the statuses, teams and user ids.
        pub fn decode(reader: &mut Reader<'_>, ctx: Context) -> Result<Vec<MatchSlot>, DecodeError> {
            let mut slots = read_statuses(reader, ctx)?;
            for (i, slot) in slots.iter_mut().enumerate() {
                slot.team = SlotTeam::decode(reader, ctx).map_err(|e| e.in_field("team").at_index(i))?;
            }
            read_user_ids(&mut slots, reader, ctx)?;
            Ok(slots)
        }
    }

    /// b20130303+ with freemod on: a u32 of mods per slot.
    pub mod mods {
        use super::*;

        /// Encoded size.
        pub fn encoded_len(mods: &[Mods], _: Context) -> usize {
            4 * mods.len()
        }

        /// Writes each slot's mods.
        pub fn encode<B: BufMut + ?Sized>(
            mods: &[Mods],
            buf: &mut B,
            ctx: Context,
        ) -> Result<(), EncodeError> {
            check_len(mods.len(), ctx)?;
            for m in mods {
                buf.put_u32_le(m.bits());
            }
            Ok(())
        }

        /// Reads each slot's mods.
        pub fn decode(reader: &mut Reader<'_>, ctx: Context) -> Result<Vec<Mods>, DecodeError> {
            crate::primitives::list::decode_elements::<Mods>(reader, ctx, usize::from(ctx.slots()))
        }
    }
}

/// A match changed (lobby and room).
#[derive(Clone, Debug, PartialEq, BanchoPacket)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[bancho(id = 26, from = server, since = 298)]
pub struct BanchoMatchUpdate<'a>(pub Match<'a>);

/// A match was created (lobby).
#[derive(Clone, Debug, PartialEq, BanchoPacket)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[bancho(id = 27, from = server, since = 298)]
pub struct BanchoMatchNew<'a>(pub Match<'a>);

/// The client joined a match.
#[derive(Clone, Debug, PartialEq, BanchoPacket)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[bancho(id = 36, from = server, since = 298)]
pub struct BanchoMatchJoinSuccess<'a>(pub Match<'a>);

/// The client creates a match.
#[derive(Clone, Debug, PartialEq, BanchoPacket)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[bancho(id = 31, from = client, since = 298)]
pub struct OsuMatchCreate<'a>(pub Match<'a>);

/// The host changes the match settings.
#[derive(Clone, Debug, PartialEq, BanchoPacket)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[bancho(id = 41, from = client, since = 298)]
pub struct OsuMatchChangeSettings<'a>(pub Match<'a>);

/// The host changes the password (the whole match is sent).
#[derive(Clone, Debug, PartialEq, BanchoPacket)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[bancho(id = 90, from = client, since = 20120703)]
pub struct OsuMatchChangePassword<'a>(pub Match<'a>);

/// The host picks another map (b323–b339 only; wire id 50, then 51).
#[derive(Clone, Debug, PartialEq, BanchoPacket)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[bancho(id = 0xFFFE, from = client, since = 323, until = 340)]
pub struct OsuMatchChangeBeatmap<'a>(pub Match<'a>);

// The derive takes the id as a literal; the legacy id is stated in `ids`.
const _: () =
    assert!(<OsuMatchChangeBeatmap<'static> as crate::Packet>::ID == crate::ids::MATCH_CHANGE_BEATMAP);

/// The match starts: empty in b312–b333, the whole match from b334.
#[derive(Clone, Debug, PartialEq, BanchoPacket)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(default))]
#[bancho(id = 46, from = server, name = "BanchoMatchStart", since = 312, default)]
pub struct BanchoMatchStart<'a> {
    /// The match (from b334).
    #[bancho(since = 334)]
    #[bancho(default)]
    pub r#match: Match<'a>,
}

/// The client leaves the lobby.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, BanchoPacket)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[bancho(id = 29, from = client, since = 298)]
pub struct OsuLobbyPart;

/// The client enters the lobby.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, BanchoPacket)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[bancho(id = 30, from = client, since = 298)]
pub struct OsuLobbyJoin;

/// The client leaves its match.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, BanchoPacket)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[bancho(id = 33, from = client, since = 298)]
pub struct OsuMatchPart;

/// Joining a match failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, BanchoPacket)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[bancho(id = 37, from = server, since = 298)]
pub struct BanchoMatchJoinFail;

/// The client is ready.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, BanchoPacket)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[bancho(id = 39, from = client, since = 298)]
pub struct OsuMatchReady;

/// The host starts the match.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, BanchoPacket)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[bancho(id = 44, from = client, since = 312)]
pub struct OsuMatchStart;

/// The client finished playing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, BanchoPacket)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[bancho(id = 49, from = client, since = 312)]
pub struct OsuMatchComplete;

/// The receiver became the host.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, BanchoPacket)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[bancho(id = 50, from = server, since = 334)]
pub struct BanchoMatchTransferHost;

/// The client loaded the map.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, BanchoPacket)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[bancho(id = 52, from = client, since = 334)]
pub struct OsuMatchLoadComplete;

/// Every player loaded the map.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, BanchoPacket)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[bancho(id = 53, from = server, since = 334)]
pub struct BanchoMatchAllPlayersLoaded;

/// The client does not have the map.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, BanchoPacket)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[bancho(id = 54, from = client, since = 334)]
pub struct OsuMatchNoBeatmap;

/// The client is no longer ready.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, BanchoPacket)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[bancho(id = 55, from = client, since = 334)]
pub struct OsuMatchNotReady;

/// The client failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, BanchoPacket)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[bancho(id = 56, from = client, since = 334)]
pub struct OsuMatchFailed;

/// Every player finished.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, BanchoPacket)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[bancho(id = 58, from = server, since = 334)]
pub struct BanchoMatchComplete;

/// The client now has the map.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, BanchoPacket)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[bancho(id = 59, from = client, since = 340)]
pub struct OsuMatchHasBeatmap;

/// The client asks to skip the intro.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, BanchoPacket)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[bancho(id = 60, from = client, since = 342)]
pub struct OsuMatchSkipRequest;

/// Every player asked to skip: skip.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, BanchoPacket)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[bancho(id = 61, from = server, since = 342)]
pub struct BanchoMatchSkip;

/// The client switches team.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, BanchoPacket)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[bancho(id = 77, from = client, since = 558)]
pub struct OsuMatchChangeTeam;

/// The match was aborted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, BanchoPacket)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[bancho(id = 106, from = server, since = 20141104)]
pub struct BanchoMatchAbort;

/// A match was disbanded (its id).
#[derive(Clone, Copy, Debug, PartialEq, Eq, BanchoPacket)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[bancho(id = 28, from = server, since = 298)]
pub struct BanchoMatchDisband {
    /// The match id.
    pub match_id: i32,
}

/// A user entered the lobby (until the lobby user list was dropped in b20121211).
#[derive(Clone, Copy, Debug, PartialEq, Eq, BanchoPacket)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[bancho(id = 34, from = server, since = 298, until = 20121211)]
pub struct BanchoLobbyJoin {
    /// The user id.
    pub user_id: i32,
}

/// A user left the lobby (until b20121211).
#[derive(Clone, Copy, Debug, PartialEq, Eq, BanchoPacket)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[bancho(id = 35, from = server, since = 298, until = 20121211)]
pub struct BanchoLobbyPart {
    /// The user id.
    pub user_id: i32,
}

/// The client moves to a slot.
#[derive(Clone, Copy, Debug, PartialEq, Eq, BanchoPacket)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[bancho(id = 38, from = client, since = 298)]
pub struct OsuMatchChangeSlot {
    /// The slot id.
    pub slot_id: i32,
}

/// The host locks or unlocks a slot.
#[derive(Clone, Copy, Debug, PartialEq, Eq, BanchoPacket)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[bancho(id = 40, from = client, since = 298)]
pub struct OsuMatchLock {
    /// The slot id.
    pub slot_id: i32,
}

/// The player in a slot failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, BanchoPacket)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[bancho(id = 57, from = server, since = 334)]
pub struct BanchoMatchPlayerFailed {
    /// The slot id.
    pub slot_id: i32,
}

/// The host hands the match to the player in a slot.
#[derive(Clone, Copy, Debug, PartialEq, Eq, BanchoPacket)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[bancho(id = 70, from = client, since = 402)]
pub struct OsuMatchTransferHost {
    /// The slot id.
    pub slot_id: i32,
}

/// A tournament client asks for a match's state.
#[derive(Clone, Copy, Debug, PartialEq, Eq, BanchoPacket)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[bancho(id = 93, from = client, since = 20121207)]
pub struct OsuTournamentMatchInfo {
    /// The match id.
    pub match_id: i32,
}

/// A tournament client joins a match's chat channel.
#[derive(Clone, Copy, Debug, PartialEq, Eq, BanchoPacket)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[bancho(id = 108, from = client, since = 20151107)]
pub struct OsuTournamentJoinMatchChannel {
    /// The match id.
    pub match_id: i32,
}

/// A tournament client leaves a match's chat channel.
#[derive(Clone, Copy, Debug, PartialEq, Eq, BanchoPacket)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[bancho(id = 109, from = client, since = 20151107)]
pub struct OsuTournamentLeaveMatchChannel {
    /// The match id.
    pub match_id: i32,
}

/// The client changes its mods in a match (b334+), as an `i32`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, BanchoPacket)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[bancho(id = 51, from = client, since = 334)]
pub struct OsuMatchChangeMods {
    /// The mods; a mod in bit 31 cannot be sent.
    #[bancho(wire = i32)]
    pub mods: Mods,
}

/// The player in a slot skipped (b1365+). The reference writes the slot id as a `u32`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, BanchoPacket)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[bancho(id = 81, from = server, since = 1365)]
pub struct BanchoMatchPlayerSkipped {
    /// The slot.
    pub slot_id: u32,
}

/// The match password changed (b20120703+).
#[derive(Clone, Debug, PartialEq, Eq, BanchoPacket)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[bancho(id = 91, from = server, since = 20120703)]
pub struct BanchoMatchChangePassword<'a> {
    /// The new password.
    pub password: Cow<'a, str>,
}

/// The client joins a match: its id, and from b591 the password.
#[derive(Clone, Debug, PartialEq, Eq, BanchoPacket)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(default))]
#[bancho(id = 32, from = client, since = 298, default)]
pub struct OsuMatchJoin<'a> {
    /// The match.
    pub match_id: i32,
    /// The password (from b591; empty where absent).
    #[bancho(since = 591)]
    #[bancho(default)]
    pub password: Cow<'a, str>,
}
