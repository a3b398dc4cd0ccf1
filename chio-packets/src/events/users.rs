//! Users: statistics, presence and quits, per build.
//!
//! | builds | statistics | presence |
//! |---|---|---|
//! | b282–b322 | `BanchoUserStatsB282` | the same packet |
//! | b323–b337 | `BanchoUserStatsB323` (full if `update_stats`) | full, then status only |
//! | b338–b1787 | `BanchoUserStatsB338`, completeness 1 | completeness 2 |
//! | b1788+ | `BanchoUserStats` | `BanchoUserPresence` |
//!
//! Before b1788 an IRC user is announced with `BanchoIrcJoin` instead; from b1788 IRC
//! users are ordinary users with a negative id in presence.

use std::borrow::Cow;

use super::{PacketSink, carried_mods, defs, features, saturate};
use crate::build::BuildRange;
use crate::catalog::ServerPacket;
use crate::chat::{BanchoIrcJoin, BanchoIrcQuit};
use crate::country::Country;
use crate::presence::{
    BanchoUserPresence, BanchoUserStats, BanchoUserStatsB282, BanchoUserStatsB323, BanchoUserStatsB338,
    Completeness, UserStats, UserStatsB282, UserStatsB323, UserStatsB338, UserStatus,
};
use crate::presence::{
    BanchoUserQuit, BanchoUserQuitB282, BanchoUserQuitB323, BanchoUserQuitB338, BanchoUserQuitB1788,
    QuitState,
};
use crate::primitives::string;
use crate::types::{Mode, Mods, Permissions, Status};
use crate::{BufMut, Context, Describe, Direction, Encode, EncodeError, Layout, Packet};

/// Everything a server sends about a user, whichever packets a build needs.
///
/// The default is the reference's `UserInfo()`: id 0, no name, and the defaults of
/// [`Presence`], [`Activity`] and [`Stats`].
#[derive(Clone, Debug, Default, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct UserInfo<'a> {
    /// The user id (positive; IRC users are marked in [`Presence::is_irc`]).
    pub id: i32,
    /// The user's name.
    pub name: Cow<'a, str>,
    /// Where the user is and what they may do.
    pub presence: Presence<'a>,
    /// What the user is doing.
    pub status: Activity<'a>,
    /// How the user ranks.
    pub stats: Stats,
}

/// A user's location, permissions and client kind.
///
/// The default is the reference's `UserPresence()`: an osu! client (not IRC) at UTC, in
/// the unknown country, no city, at 0°/0°, with [`Permissions::REGULAR`] (a registered
/// player).
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Presence<'a> {
    /// Connected through IRC rather than the osu! client.
    pub is_irc: bool,
    /// UTC offset in hours.
    pub timezone: i8,
    /// The country.
    pub country: Country,
    /// The city, shown after the country by b282–b1795 and sent separately in b1796–b20121202.
    pub city: Cow<'a, str>,
    /// The user's permissions.
    pub permissions: Permissions,
    /// Longitude.
    #[cfg_attr(feature = "serde", serde(with = "crate::serde_float"))]
    pub longitude: f32,
    /// Latitude.
    #[cfg_attr(feature = "serde", serde(with = "crate::serde_float"))]
    pub latitude: f32,
}

impl Default for Presence<'_> {
    fn default() -> Self {
        Self {
            is_irc: false,
            timezone: 0,
            country: Country::UNKNOWN,
            city: Cow::Borrowed(""),
            permissions: Permissions::REGULAR,
            longitude: 0.0,
            latitude: 0.0,
        }
    }
}

/// What a user is doing, in the modern status numbering.
///
/// The default is the reference's `UserStatus()`: `Idle` in osu!standard, no text, map
/// or mods, and the map id −1 ("no map", also what a status without a map reads as).
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Activity<'a> {
    /// The action.
    pub action: Status,
    /// Free text, usually the map's name.
    pub text: Cow<'a, str>,
    /// MD5 of the map file, as hex.
    pub beatmap_checksum: Cow<'a, str>,
    /// Enabled mods.
    pub mods: Mods,
    /// Game mode.
    pub mode: Mode,
    /// Online id of the map; −1 for none.
    pub beatmap_id: i32,
    /// Marks a statistics refresh for b282–b337 clients: their status byte becomes the
    /// legacy "stats update" value 10, and b323–b337 get the full statistics block.
    pub update_stats: bool,
}

impl Default for Activity<'_> {
    fn default() -> Self {
        Self {
            action: Status::Idle,
            text: Cow::Borrowed(""),
            beatmap_checksum: Cow::Borrowed(""),
            mods: Mods::empty(),
            mode: Mode::Osu,
            beatmap_id: -1,
            update_stats: false,
        }
    }
}

impl Activity<'_> {
    /// The same activity owning its text.
    pub fn into_owned(self) -> Activity<'static> {
        Activity {
            text: Cow::Owned(self.text.into_owned()),
            beatmap_checksum: Cow::Owned(self.beatmap_checksum.into_owned()),
            ..self
        }
    }
}

impl Presence<'_> {
    /// The same presence owning its text.
    pub fn into_owned(self) -> Presence<'static> {
        Presence { city: Cow::Owned(self.city.into_owned()), ..self }
    }
}

impl UserInfo<'_> {
    /// The same user owning its text.
    pub fn into_owned(self) -> UserInfo<'static> {
        UserInfo {
            id: self.id,
            name: Cow::Owned(self.name.into_owned()),
            presence: self.presence.into_owned(),
            status: self.status.into_owned(),
            stats: self.stats,
        }
    }
}

/// A user's ranking figures; all zero by default, as the reference's `UserStats()`.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Stats {
    /// Global rank.
    pub rank: i32,
    /// Ranked score.
    pub ranked_score: u64,
    /// Total score.
    pub total_score: u64,
    /// Accuracy, 0.0–1.0.
    #[cfg_attr(feature = "serde", serde(with = "crate::serde_float"))]
    pub accuracy: f64,
    /// Number of plays.
    pub play_count: u32,
    /// Performance points.
    pub pp: u16,
}

impl UserInfo<'_> {
    /// The avatar file name b282–b1787 clients load: `"<id>_000.png"`.
    pub fn avatar_filename(&self) -> String {
        format!("{}_000.png", self.id)
    }

    /// The country as b282–b1795 clients show it: `"Country"` or `"Country / City"`.
    pub fn country_string(&self) -> String {
        self.country_text().into_owned()
    }

    /// [`country_string`](Self::country_string), borrowed from the country table when
    /// there is no city.
    fn country_text(&self) -> Cow<'static, str> {
        let country = self.presence.country.name();
        if self.presence.city.is_empty() {
            Cow::Borrowed(country)
        } else {
            Cow::Owned(format!("{country} / {}", self.presence.city))
        }
    }

    /// The timezone byte: the offset plus 24, saturated to a byte.
    fn timezone_byte(&self) -> u8 {
        saturate(i128::from(self.presence.timezone) + 24)
    }

    /// The total score as the build shows it. b365–b658 clients overflow computing the
    /// level from large total scores, so the score is capped for them, as the reference
    /// does: 17,705,429,348 in b365–b503 and 26,931,190,827 in b504–b658 (see
    /// [`features::LEVEL_DISPLAY`] and the two after it).
    fn total_score_for(&self, build: u32) -> u64 {
        let total = self.stats.total_score;
        if features::LEVEL_OVERFLOW_FIXED.in_build(build) {
            total
        } else if features::LEVEL_OVERFLOW_RAISED.in_build(build) {
            total.min(26_931_190_827)
        } else if features::LEVEL_DISPLAY.in_build(build) {
            total.min(17_705_429_348)
        } else {
            total
        }
    }
}

/// The status as the build's clients receive it. Before b338 the action uses the legacy
/// numbering: the reference writes `update_stats` as 10 and every action above 9 as one
/// less.
fn status_for_build<'e>(activity: &'e Activity<'_>, update_stats: bool, ctx: Context) -> UserStatus<'e> {
    UserStatus {
        action: action_for_build(activity, update_stats, ctx),
        beatmap_update: true,
        text: Cow::Borrowed(&activity.text),
        beatmap_checksum: Cow::Borrowed(&activity.beatmap_checksum),
        mods: carried_mods(activity.mods, ctx),
        mode: activity.mode,
        beatmap_id: activity.beatmap_id,
    }
}

/// The status action as the build's clients receive it ([`status_for_build`]).
#[inline]
fn action_for_build(activity: &Activity<'_>, update_stats: bool, ctx: Context) -> Status {
    // Every value 0–12 is a `Status` (the enum is read as the byte sent).
    Status::try_from(action_byte_for_build(activity, update_stats, ctx)).unwrap_or(Status::Unknown)
}

/// [`action_for_build`] as the byte on the wire, without the round trip through `Status`.
#[inline]
fn action_byte_for_build(activity: &Activity<'_>, update_stats: bool, ctx: Context) -> u8 {
    let modern = activity.action as u8;
    if features::MODERN_STATUS_NUMBERING.in_build(ctx.build()) {
        modern
    } else if update_stats {
        10
    } else if modern > 9 {
        modern - 1
    } else {
        modern
    }
}

/// The statistics payload of a build (the first packet the stats writer sends, unless
/// the user is an IRC user announced with `BanchoIrcJoin`: [`irc_join`]).
enum StatsPayload<'e> {
    B282(UserStatsB282<'e>),
    B323(UserStatsB323<'e>),
    B338(UserStatsB338<'e>),
    Modern(UserStats<'e>),
}

///
/// `identity` makes the user's avatar file name and country string
/// ([`UserInfo::avatar_filename`], [`UserInfo::country_string`]), called only for layouts
/// that carry them: owned for a packet that outlives the call, on the stack for one written
/// at once ([`LegacyStatsOf`]).
#[inline]
fn stats_payload<'e>(
    user: &'e UserInfo<'_>,
    identity: impl FnOnce() -> (Cow<'e, str>, Cow<'e, str>),
    update_stats: bool,
    full: bool,
    ctx: Context,
) -> StatsPayload<'e> {
    let build = ctx.build();
    let id_u32 = saturate(i128::from(user.id));
    let status = status_for_build(&user.status, update_stats, ctx);
    let stats = &user.stats;
    if BanchoUserStatsB282::exists_in(ctx) {
        let (avatar, country) = identity();
        StatsPayload::B282(UserStatsB282 {
            user_id: id_u32,
            name: Cow::Borrowed(&user.name),
            ranked_score: stats.ranked_score,
            accuracy: stats.accuracy,
            play_count: stats.play_count,
            total_score: stats.total_score,
            rank: saturate(i128::from(stats.rank)),
            avatar_filename: avatar,
            status,
            timezone: user.timezone_byte(),
            country_name: country,
        })
    } else if BanchoUserStatsB323::exists_in(ctx) {
        let (avatar, country) = identity();
        StatsPayload::B323(UserStatsB323 {
            user_id: id_u32,
            full: update_stats,
            name: Cow::Borrowed(&user.name),
            ranked_score: stats.ranked_score,
            accuracy: stats.accuracy as f32,
            play_count: stats.play_count,
            total_score: stats.total_score,
            rank: saturate(i128::from(stats.rank)),
            avatar_filename: avatar,
            timezone: user.timezone_byte(),
            country_name: country,
            status,
        })
    } else if BanchoUserStatsB338::exists_in(ctx) {
        let rank = if defs::STATS_B338_RANK_U16.contains(build) {
            i128::from(saturate::<u16>(i128::from(stats.rank)))
        } else {
            i128::from(stats.rank)
        };
        // A status-only update leaves the identity out: nothing is formatted for it.
        let (avatar, country) = if full { identity() } else { (Cow::Borrowed(""), Cow::Borrowed("")) };
        StatsPayload::B338(UserStatsB338 {
            user_id: id_u32,
            completeness: if full { Completeness::Full } else { Completeness::Statistics },
            status,
            ranked_score: stats.ranked_score,
            accuracy: stats.accuracy as f32,
            play_count: stats.play_count,
            total_score: user.total_score_for(build),
            rank: saturate(rank),
            name: Cow::Borrowed(if full { &user.name } else { "" }),
            avatar_filename: avatar,
            timezone: if full { user.timezone_byte() } else { 0 },
            country_name: country,
            permissions: if full { saturate(i128::from(user.presence.permissions.bits())) } else { 0 },
            longitude: if full { user.presence.longitude } else { 0.0 },
            latitude: if full { user.presence.latitude } else { 0.0 },
        })
    } else {
        StatsPayload::Modern(modern_stats(user, status, ctx))
    }
}

/// The statistics of b1788 and later.
#[inline]
fn modern_stats<'e>(user: &'e UserInfo<'_>, status: UserStatus<'e>, ctx: Context) -> UserStats<'e> {
    let stats = &user.stats;
    UserStats {
        user_id: user.id,
        status,
        ranked_score: stats.ranked_score,
        accuracy: stats.accuracy as f32,
        play_count: stats.play_count,
        total_score: stats.total_score,
        // The reference writes the rank as a `u32` here (and as an `i32` in presence).
        rank: stats.rank.max(0),
        pp: modern_pp(stats, ctx.build()),
    }
}

/// The performance points of b1788+ statistics: an `i16` until b20250306.
#[inline]
fn modern_pp(stats: &Stats, build: u32) -> u16 {
    if defs::STATS_PP_U16.contains(build) { stats.pp } else { stats.pp.min(i16::MAX as u16) }
}

/// [`stats_payload`] with the avatar file name and country owned, for packets that
/// outlive the call.
fn owned_stats_payload<'e>(
    user: &'e UserInfo<'_>,
    update_stats: bool,
    full: bool,
    ctx: Context,
) -> StatsPayload<'e> {
    stats_payload(user, || (Cow::Owned(user.avatar_filename()), user.country_text()), update_stats, full, ctx)
}

impl StatsPayload<'_> {
    #[inline(always)]
    fn encoded_len(&self, ctx: Context) -> usize {
        match self {
            Self::B282(stats) => stats.encoded_len(ctx),
            Self::B323(stats) => stats.encoded_len(ctx),
            Self::B338(stats) => stats.encoded_len(ctx),
            Self::Modern(stats) => stats.encoded_len(ctx),
        }
    }

    #[inline(always)]
    fn encode<B: BufMut + ?Sized>(&self, buf: &mut B, ctx: Context) -> Result<(), EncodeError> {
        match self {
            Self::B282(stats) => stats.encode(buf, ctx),
            Self::B323(stats) => stats.encode(buf, ctx),
            Self::B338(stats) => stats.encode(buf, ctx),
            Self::Modern(stats) => stats.encode(buf, ctx),
        }
    }
}

impl<'e> From<StatsPayload<'e>> for ServerPacket<'e> {
    fn from(payload: StatsPayload<'e>) -> Self {
        match payload {
            StatsPayload::B282(stats) => BanchoUserStatsB282(stats).into(),
            StatsPayload::B323(stats) => BanchoUserStatsB323(stats).into(),
            StatsPayload::B338(stats) => BanchoUserStatsB338(stats).into(),
            StatsPayload::Modern(stats) => BanchoUserStats(stats).into(),
        }
    }
}

/// Whether `user` is announced to `ctx`'s build with `BanchoIrcJoin` instead of statistics.
#[inline(always)]
fn irc_join(user: &UserInfo<'_>, ctx: Context) -> bool {
    user.presence.is_irc && BanchoIrcJoin::exists_in(ctx)
}

/// A user's statistics in a build before b1788: an IRC user's `BanchoIrcJoin` where the
/// build has it, else the statistics laid out by [`LegacyStatsOf`].
#[inline]
fn send_legacy_stats<'e>(
    user: &'e UserInfo<'_>,
    update_stats: bool,
    full: bool,
    ctx: Context,
    send: &mut impl PacketSink<'e>,
) {
    if irc_join(user, ctx) {
        send.packet(BanchoIrcJoin(Cow::Borrowed(&user.name)));
    } else {
        send.packet(LegacyStatsOf { user, update_stats, full, ctx });
    }
}

/// A user's statistics.
#[inline]
pub(super) fn stats<'e>(user: &'e UserInfo<'_>, ctx: Context, send: &mut impl PacketSink<'e>) {
    if StatsOf::is_direct(ctx) {
        send.packet(StatsOf { user, ctx });
    } else {
        send_legacy_stats(user, user.status.update_stats, false, ctx, send);
    }
}

/// A user's presence.
#[inline]
pub(super) fn presence<'e>(user: &'e UserInfo<'_>, ctx: Context, send: &mut impl PacketSink<'e>) {
    if PresenceOf::is_direct(ctx) {
        send.packet(PresenceOf { user, ctx });
    } else if BanchoUserPresence::exists_in(ctx) {
        send.packet(modern_presence(user, ctx));
    } else if BanchoUserStatsB323::exists_in(ctx) && !user.presence.is_irc {
        // The full block (flagged as a stats update), then the status alone.
        send.packet(LegacyStatsOf { user, update_stats: true, full: true, ctx });
        send.packet(LegacyStatsOf { user, update_stats: false, full: true, ctx });
    } else {
        send_legacy_stats(user, user.status.update_stats, true, ctx, send);
    }
}

#[inline]
fn modern_presence<'e>(user: &'e UserInfo<'_>, ctx: Context) -> BanchoUserPresence<'e> {
    let build = ctx.build();
    BanchoUserPresence {
        user_id: presence_user_id(user),
        name: Cow::Borrowed(&user.name),
        avatar_extension: 1,
        timezone: user.timezone_byte(),
        country_name: Cow::Owned(if defs::PRESENCE_COUNTRY_NAME.contains(build) {
            user.country_string()
        } else {
            String::new()
        }),
        country_index: user.presence.country.index(),
        city: Cow::Borrowed(&user.presence.city),
        permissions: presence_permissions(user, build),
        longitude: user.presence.longitude,
        latitude: user.presence.latitude,
        rank: user.stats.rank,
        mode: user.status.mode,
    }
}

/// The user id in presence: IRC users have negative ids there (and only there, as in the
/// reference).
#[inline]
fn presence_user_id(user: &UserInfo<'_>) -> i32 {
    let magnitude = i64::from(user.id).abs();
    saturate(i128::from(if user.presence.is_irc { -magnitude } else { magnitude }))
}

/// The permissions byte of presence, with the mode in bits 5–7 where the build packs it
/// there.
#[inline]
fn presence_permissions(user: &UserInfo<'_>, build: u32) -> u8 {
    let bits = i128::from(user.presence.permissions.bits());
    if features::MODE_IN_PRESENCE_PERMISSIONS.in_build(build) {
        saturate(bits | (i128::from(user.status.mode as u8) << 5))
    } else {
        saturate(bits)
    }
}

/// Gives a type of this layer that writes a packet straight from the user the identity
/// of that packet (`$of`): its layout and constants, and optionally other builds.
macro_rules! writes_as {
    ($writer:ident, $of:ty) => {
        writes_as!($writer, $of, <$of as Packet>::BUILDS);
    };
    ($writer:ident, $of:ty, $builds:expr) => {
        impl Describe for $writer<'_> {
            const LAYOUT: &'static Layout = <$of as Describe>::LAYOUT;
        }

        impl Packet for $writer<'_> {
            const NAME: &'static str = <$of as Packet>::NAME;
            const ID: u16 = <$of as Packet>::ID;
            const DIRECTION: Direction = <$of as Packet>::DIRECTION;
            const BUILDS: BuildRange = $builds;
            const LARGE: bool = <$of as Packet>::LARGE;
        }
    };
}

/// A user's presence for a build with the compact layout ([`defs::PRESENCE_COMPACT`]) or
/// with the city ([`defs::PRESENCE_WITH_CITY`]), written straight from the user: no
/// packet struct is built unless a sink asks for a [`ServerPacket`] (the bytes are those
/// of [`modern_presence`]'s packet, which other builds get).
struct PresenceOf<'e> {
    user: &'e UserInfo<'e>,
    ctx: Context,
}

impl PresenceOf<'_> {
    /// Whether `ctx`'s presence is written this way.
    #[inline(always)]
    fn is_direct(ctx: Context) -> bool {
        Self::is_compact(ctx) || defs::PRESENCE_WITH_CITY.contains(ctx.build())
    }

    /// Whether `ctx`'s presence has the compact layout.
    #[inline(always)]
    fn is_compact(ctx: Context) -> bool {
        defs::PRESENCE_COMPACT.contains(ctx.build())
    }

    /// The fixed fields after the name (compact layout).
    #[inline(always)]
    fn tail(&self, build: u32) -> [u8; 15] {
        let user = self.user;
        let mut tail = [0; 15];
        tail[0] = user.timezone_byte();
        tail[1] = user.presence.country.index();
        tail[2] = presence_permissions(user, build);
        tail[3..7].copy_from_slice(&user.presence.longitude.to_le_bytes());
        tail[7..11].copy_from_slice(&user.presence.latitude.to_le_bytes());
        tail[11..15].copy_from_slice(&user.stats.rank.to_le_bytes());
        tail
    }

    /// Writes the fixed fields after the city (the layout with it), as many of them as
    /// the build and protocol put on the wire: the rank and the mode are gated.
    #[inline(always)]
    fn put_city_tail<B: BufMut + ?Sized>(&self, buf: &mut B, ctx: Context) {
        let user = self.user;
        let mut tail = [0; 9];
        tail[0] = presence_permissions(user, ctx.build());
        tail[1..5].copy_from_slice(&user.presence.longitude.to_le_bytes());
        tail[5..9].copy_from_slice(&user.presence.latitude.to_le_bytes());
        // Slices of constant length only, as in the statistics' tail.
        buf.put_slice(&tail);
        if defs::PRESENCE_CITY_RANK.contains(ctx) {
            buf.put_slice(&user.stats.rank.to_le_bytes());
        }
        if defs::PRESENCE_CITY_MODE.contains(ctx) {
            buf.put_u8(user.status.mode as u8);
        }
    }

    /// How many bytes [`put_city_tail`](Self::put_city_tail) writes.
    #[inline(always)]
    fn city_tail_len(ctx: Context) -> usize {
        9 + if defs::PRESENCE_CITY_RANK.contains(ctx) { 4 } else { 0 }
            + usize::from(defs::PRESENCE_CITY_MODE.contains(ctx))
    }
}

writes_as!(PresenceOf, BanchoUserPresence<'static>);

impl Encode for PresenceOf<'_> {
    #[inline(always)]
    fn encoded_len(&self, ctx: Context) -> usize {
        let name = 4 + string::encoded_len(&self.user.name, ctx);
        if Self::is_compact(ctx) {
            name + 15
        } else if Self::is_direct(ctx) {
            // The avatar type, timezone and country index, the city, the tail.
            name + 3 + string::encoded_len(&self.user.presence.city, ctx) + Self::city_tail_len(ctx)
        } else {
            modern_presence(self.user, ctx).encoded_len(ctx)
        }
    }

    #[inline(always)]
    fn encode<B: BufMut + ?Sized>(&self, buf: &mut B, ctx: Context) -> Result<(), EncodeError> {
        if !Self::is_direct(ctx) {
            return modern_presence(self.user, ctx).encode(buf, ctx);
        }
        let user = self.user;
        buf.put_slice(&presence_user_id(user).to_le_bytes());
        string::encode(&user.name, buf, ctx)?;
        if Self::is_compact(ctx) {
            buf.put_slice(&self.tail(ctx.build()));
            return Ok(());
        }
        // The avatar type (PNG), as `modern_presence` sets it.
        buf.put_slice(&[1, user.timezone_byte(), user.presence.country.index()]);
        string::encode(&user.presence.city, buf, ctx)?;
        self.put_city_tail(buf, ctx);
        Ok(())
    }
}

impl<'e> From<PresenceOf<'e>> for ServerPacket<'e> {
    fn from(packet: PresenceOf<'e>) -> Self {
        modern_presence(packet.user, packet.ctx).into()
    }
}

/// A user's statistics for b1788 and later ([`UserStats`]), written straight from the
/// user like [`PresenceOf`] (the bytes are those of [`stats_payload`]'s packet, which
/// other builds get).
struct StatsOf<'e> {
    user: &'e UserInfo<'e>,
    ctx: Context,
}

impl StatsOf<'_> {
    /// Whether `ctx`'s statistics are written this way: those of b1788 and later.
    #[inline(always)]
    fn is_direct(ctx: Context) -> bool {
        BanchoUserStats::exists_in(ctx)
    }

    /// Writes the fixed fields after the map checksum: the mods (`u32` from protocol 11,
    /// else `u16`), mode, map id, scores, accuracy, plays, rank and, where the build has
    /// them, the performance points. The fields up to the rank are laid out on the stack
    /// and written at once.
    #[inline(always)]
    fn put_tail<B: BufMut + ?Sized>(&self, buf: &mut B, ctx: Context) {
        let user = self.user;
        let (status, stats) = (&user.status, &user.stats);
        let mut bytes = [0; 37];
        let mods_u32 = defs::STATUS_MODS_U32.contains(ctx);
        if mods_u32 {
            bytes[0..4].copy_from_slice(&status.mods.bits().to_le_bytes());
        } else {
            // Mods above bit 15 are dropped ([`carried_mods`]).
            let [m0, m1, _, _] = status.mods.bits().to_le_bytes();
            bytes[2..4].copy_from_slice(&[m0, m1]);
        }
        bytes[4] = status.mode as u8;
        bytes[5..9].copy_from_slice(&status.beatmap_id.to_le_bytes());
        bytes[9..17].copy_from_slice(&stats.ranked_score.to_le_bytes());
        bytes[17..21].copy_from_slice(&(stats.accuracy as f32).to_le_bytes());
        bytes[21..25].copy_from_slice(&stats.play_count.to_le_bytes());
        bytes[25..33].copy_from_slice(&stats.total_score.to_le_bytes());
        bytes[33..37].copy_from_slice(&stats.rank.max(0).to_le_bytes());
        // Slices of constant length only: one of run-time length is copied by a call.
        if mods_u32 {
            buf.put_slice(&bytes);
        } else {
            buf.put_slice(&bytes[2..]);
        }
        if Self::has_pp(ctx) {
            buf.put_slice(&modern_pp(stats, ctx.build()).to_le_bytes());
        }
    }

    /// How many bytes [`put_tail`](Self::put_tail) writes, without laying them out.
    #[inline(always)]
    fn tail_len(ctx: Context) -> usize {
        let mods = if defs::STATUS_MODS_U32.contains(ctx) { 4 } else { 2 };
        mods + 33 + if Self::has_pp(ctx) { 2 } else { 0 }
    }

    /// Whether the build's statistics end with the performance points.
    #[inline(always)]
    fn has_pp(ctx: Context) -> bool {
        defs::STATS_PP_U16.contains(ctx.build()) || defs::STATS_PP_I16.contains(ctx)
    }

    /// The packet as a struct (for other contexts and for sinks that take packets).
    fn packet<'e>(user: &'e UserInfo<'_>, ctx: Context) -> BanchoUserStats<'e> {
        let status = status_for_build(&user.status, user.status.update_stats, ctx);
        BanchoUserStats(modern_stats(user, status, ctx))
    }
}

writes_as!(StatsOf, BanchoUserStats<'static>);

impl Encode for StatsOf<'_> {
    #[inline(always)]
    fn encoded_len(&self, ctx: Context) -> usize {
        if !Self::is_direct(ctx) {
            return Self::packet(self.user, ctx).encoded_len(ctx);
        }
        let status = &self.user.status;
        5 + string::encoded_len(&status.text, ctx)
            + string::encoded_len(&status.beatmap_checksum, ctx)
            + Self::tail_len(ctx)
    }

    #[inline(always)]
    fn encode<B: BufMut + ?Sized>(&self, buf: &mut B, ctx: Context) -> Result<(), EncodeError> {
        if !Self::is_direct(ctx) {
            return Self::packet(self.user, ctx).encode(buf, ctx);
        }
        let user = self.user;
        let [i0, i1, i2, i3] = user.id.to_le_bytes();
        // The action in the modern numbering, as these builds have it.
        buf.put_slice(&[i0, i1, i2, i3, user.status.action as u8]);
        string::encode(&user.status.text, buf, ctx)?;
        string::encode(&user.status.beatmap_checksum, buf, ctx)?;
        self.put_tail(buf, ctx);
        Ok(())
    }
}

impl<'e> From<StatsOf<'e>> for ServerPacket<'e> {
    fn from(packet: StatsOf<'e>) -> Self {
        StatsOf::packet(packet.user, packet.ctx).into()
    }
}

/// A user's statistics in the layouts before b1788 (`BanchoUserStatsB282`, `B323` and
/// `B338`), laid out when written: the avatar file name is formatted on the stack and the
/// country borrowed from the country table (unless a city is set), so writing allocates
/// nothing. The bytes are those of [`owned_stats_payload`]'s packet, which a sink that
/// takes [`ServerPacket`]s gets.
struct LegacyStatsOf<'e> {
    user: &'e UserInfo<'e>,
    update_stats: bool,
    full: bool,
    ctx: Context,
}

impl LegacyStatsOf<'_> {
    /// Calls `f` with the payload for `ctx`, its strings on the stack.
    #[inline(always)]
    fn with_payload<R>(&self, ctx: Context, f: impl FnOnce(&StatsPayload<'_>) -> R) -> R {
        let mut avatar = None;
        let slot = &mut avatar;
        let identity = move || {
            // Moving the borrow in makes the closure `FnOnce`, so the name may outlive it.
            let slot = slot;
            let avatar: &AvatarName = slot.insert(AvatarName::new(self.user.id));
            (Cow::Borrowed(avatar.as_str()), self.user.country_text())
        };
        f(&stats_payload(self.user, identity, self.update_stats, self.full, ctx))
    }
}

// The newest of the three layouts names it; the one written is the build's, within the
// three packets' windows, which follow each other.
writes_as!(
    LegacyStatsOf,
    BanchoUserStatsB338<'static>,
    BuildRange::new(BanchoUserStatsB282::BUILDS.since, BanchoUserStatsB338::BUILDS.until)
);

impl Encode for LegacyStatsOf<'_> {
    #[inline(always)]
    fn encoded_len(&self, ctx: Context) -> usize {
        self.with_payload(ctx, |payload| payload.encoded_len(ctx))
    }

    #[inline(always)]
    fn encode<B: BufMut + ?Sized>(&self, buf: &mut B, ctx: Context) -> Result<(), EncodeError> {
        if BanchoUserStatsB282::exists_in(ctx) {
            return self.encode_b282(buf, ctx);
        }
        self.with_payload(ctx, |payload| payload.encode(buf, ctx))
    }
}

impl LegacyStatsOf<'_> {
    /// The b282–b322 layout ([`UserStatsB282`]) written field by field, without building
    /// the struct: every payload of these builds is compressed, so this is written
    /// without its length being asked for.
    #[inline(always)]
    fn encode_b282<B: BufMut + ?Sized>(&self, buf: &mut B, ctx: Context) -> Result<(), EncodeError> {
        let (user, stats) = (self.user, &self.user.stats);
        buf.put_slice(&saturate::<u32>(i128::from(user.id)).to_le_bytes());
        string::encode(&user.name, buf, ctx)?;
        // The scores and the avatar file name (a present string of at most 19 bytes)
        // in one write.
        let avatar = AvatarName::new(user.id);
        let mut block = [0u8; 32 + 2 + 19];
        block[0..8].copy_from_slice(&stats.ranked_score.to_le_bytes());
        block[8..16].copy_from_slice(&stats.accuracy.to_le_bytes());
        block[16..20].copy_from_slice(&stats.play_count.to_le_bytes());
        block[20..28].copy_from_slice(&stats.total_score.to_le_bytes());
        block[28..32].copy_from_slice(&saturate::<u32>(i128::from(stats.rank)).to_le_bytes());
        block[32] = string::PRESENT;
        block[33] = avatar.len as u8;
        block[34..].copy_from_slice(&avatar.bytes);
        buf.put_slice(&block[..34 + avatar.len]);
        // The b282–b337 status: the action as sent, then the map fields unless it is
        // `Unknown`, with the mods as a `u16`.
        let action = action_byte_for_build(&user.status, self.update_stats, ctx);
        buf.put_u8(action);
        if action != Status::Unknown as u8 {
            string::encode(&user.status.text, buf, ctx)?;
            string::encode(&user.status.beatmap_checksum, buf, ctx)?;
            let [m0, m1, _, _] = user.status.mods.bits().to_le_bytes();
            buf.put_slice(&[m0, m1]);
        }
        buf.put_u8(user.timezone_byte());
        encode_country(user, buf, ctx)
    }
}

/// Writes [`UserInfo::country_string`] as a string without building it.
#[inline(always)]
fn encode_country<B: BufMut + ?Sized>(
    user: &UserInfo<'_>,
    buf: &mut B,
    ctx: Context,
) -> Result<(), EncodeError> {
    let (country, city) = (user.presence.country.name(), &*user.presence.city);
    if city.is_empty() {
        string::encode(country, buf, ctx)
    } else {
        string::encode_parts(&[country, " / ", city], buf, ctx)
    }
}

impl<'e> From<LegacyStatsOf<'e>> for ServerPacket<'e> {
    fn from(packet: LegacyStatsOf<'e>) -> Self {
        owned_stats_payload(packet.user, packet.update_stats, packet.full, packet.ctx).into()
    }
}

/// [`UserInfo::avatar_filename`] on the stack: `"<id>_000.png"`.
struct AvatarName {
    /// Long enough for `"-2147483648_000.png"`.
    bytes: [u8; 19],
    len: usize,
}

impl AvatarName {
    const SUFFIX: &'static [u8; 8] = b"_000.png";

    #[inline]
    fn new(id: i32) -> Self {
        // The text is built in a register, its first character in the low byte, and
        // stored in whole words: bytes stored one at a time and then copied out in wider
        // loads stall the copy (no store-to-load forwarding).
        let mut packed: u128 = 0;
        let mut len = 0;
        let mut rest = id.unsigned_abs();
        // Two digits per division, each pair read from a table: the divisions are a
        // chain (each waits for the one before) and the frame's checksum waits for the
        // name, so the chain is kept short (BENCHMARKS.md: writing the b282 burst from
        // its events took 4 % less time than with a digit per division).
        while rest >= 100 {
            // Each pair goes in below the digits after it, its tens first.
            packed = (packed << 16) | u128::from(Self::pair(rest % 100));
            len += 2;
            rest /= 100;
        }
        if rest >= 10 {
            packed = (packed << 16) | u128::from(Self::pair(rest));
            len += 2;
        } else {
            packed = (packed << 8) | u128::from(b'0' + rest as u8);
            len += 1;
        }
        if id < 0 {
            packed = (packed << 8) | u128::from(b'-');
            len += 1;
        }
        // The suffix after the text.
        let suffix = u128::from(u64::from_le_bytes(*Self::SUFFIX));
        let whole = packed | suffix.checked_shl(8 * len as u32).unwrap_or(0);
        let spill = u64::from_le_bytes(*Self::SUFFIX).checked_shr(8 * (16 - len as u32)).unwrap_or(0);
        let mut bytes = [0u8; 19];
        bytes[..16].copy_from_slice(&whole.to_le_bytes());
        bytes[16..].copy_from_slice(&spill.to_le_bytes()[..3]);
        Self { bytes, len: len + Self::SUFFIX.len() }
    }

    /// The two digits of `n` (below 100) as text, the tens in the low byte.
    #[inline(always)]
    fn pair(n: u32) -> u16 {
        const PAIRS: [[u8; 2]; 100] = {
            let mut pairs = [[0; 2]; 100];
            let mut n = 0;
            while n < 100 {
                pairs[n] = [b'0' + (n / 10) as u8, b'0' + (n % 10) as u8];
                n += 1;
            }
            pairs
        };
        PAIRS.get(n as usize).map_or(0, |&pair| u16::from_le_bytes(pair))
    }

    #[inline]
    fn as_str(&self) -> &str {
        // ASCII digits, a sign and the suffix: always UTF-8 (checked by the codec's
        // validator, whose ASCII path is a few word tests for these 19 bytes).
        string::validate(&self.bytes[..self.len]).unwrap_or_default()
    }
}

/// A user left.
pub(super) fn quit<'e>(
    user: &'e UserInfo<'_>,
    state: QuitState,
    ctx: Context,
    send: &mut impl PacketSink<'e>,
) {
    if BanchoUserQuit::exists_in(ctx) {
        send.packet(BanchoUserQuit { user_id: user.id, state });
        return;
    }
    if user.presence.is_irc && BanchoIrcQuit::exists_in(ctx) {
        // See the module docs: the reference drops these or sends an unreadable packet.
        if state != QuitState::IrcRemaining {
            send.packet(BanchoIrcQuit(Cow::Borrowed(&user.name)));
        }
        return;
    }
    if (user.presence.is_irc && state != QuitState::IrcRemaining) || state == QuitState::OsuRemaining {
        return;
    }
    if irc_join(user, ctx) {
        return;
    }
    // Older clients remove a user on a quit packet carrying the user's statistics.
    match owned_stats_payload(user, user.status.update_stats, false, ctx) {
        StatsPayload::B282(stats) => send.packet(BanchoUserQuitB282(stats)),
        StatsPayload::B323(stats) => send.packet(BanchoUserQuitB323(stats)),
        StatsPayload::B338(stats) => send.packet(BanchoUserQuitB338(stats)),
        StatsPayload::Modern(stats) => send.packet(BanchoUserQuitB1788(stats)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::build::REVISIONS;
    use crate::catalog::FromServer;
    use crate::events::ServerEvent;
    use crate::wire::PacketEncoder;

    #[test]
    fn avatar_names_on_the_stack_match_the_formatted_ones() {
        let powers = (0..10).map(|k| 10i32.pow(k));
        let edges = powers.flat_map(|p| [p - 1, p, p + 1, -p, p.saturating_mul(7) - 3]);
        let fixed = [0, 1, 9, 10, -1, -3, 1_000_000, 123_456_789, i32::MIN, i32::MAX, i32::MIN + 1];
        for id in edges.chain(fixed) {
            let user = UserInfo { id, ..UserInfo::default() };
            assert_eq!(AvatarName::new(id).as_str(), user.avatar_filename(), "{id}");
        }
    }

    /// Users with every field at ordinary and extreme values.
    fn users() -> Vec<UserInfo<'static>> {
        let mut users = Vec::new();
        let ids = [0, 7, -3, 1_000_000, i32::MIN, i32::MAX];
        let countries =
            [Country::UNKNOWN, Country::DE, Country::JP, Country::from_index(250).unwrap_or(Country::GB)];
        for (i, &id) in ids.iter().enumerate() {
            for (j, &country) in countries.iter().enumerate() {
                let k = i * countries.len() + j;
                let action = Status::try_from(u8::try_from(k % 14).unwrap()).unwrap_or(Status::Unknown);
                let mode = Mode::try_from(u8::try_from(k % 4).unwrap()).unwrap();
                users.push(UserInfo {
                    id,
                    name: if k.is_multiple_of(5) {
                        "".into()
                    } else {
                        format!("player {k} ").repeat(k % 20).into()
                    },
                    presence: Presence {
                        is_irc: k.is_multiple_of(3),
                        timezone: [0, -128, 127, 9, -5][k % 5],
                        country,
                        city: if k.is_multiple_of(2) { "".into() } else { "Berlin".into() },
                        permissions: Permissions::from_bits_retain([1, 0, 0x1f, 0xff, 0x1234][k % 5]),
                        longitude: k as f32 * 1.5 - 20.0,
                        latitude: -(k as f32) / 3.0,
                    },
                    status: Activity {
                        action,
                        text: "a map's name ".repeat(k % 13).into(),
                        beatmap_checksum: if k.is_multiple_of(4) {
                            "".into()
                        } else {
                            "0123456789abcdef0123456789abcdef".into()
                        },
                        mods: Mods::from_bits_retain([0, 0x48, 0x0010_0000, u32::MAX][k % 4]),
                        mode,
                        beatmap_id: [-1, 0, 75, i32::MAX][k % 4],
                        update_stats: k % 2 == 1,
                    },
                    stats: Stats {
                        rank: [0, 1, -5, 100_000, i32::MAX][k % 5],
                        ranked_score: [0, 1 << 40, u64::MAX][k % 3],
                        total_score: [0, 20_000_000_000, 30_000_000_000, u64::MAX][k % 4],
                        accuracy: [0.0, 0.987_654_321, 1.0][k % 3],
                        play_count: [0, 12_345, u32::MAX][k % 3],
                        pp: [0, 4_321, 32_767, 32_768, u16::MAX][k % 5],
                    },
                });
            }
        }
        users
    }

    /// What `event` gives as packets, each written through the packet set.
    fn written_as_packets(event: &ServerEvent<'_>, ctx: Context) -> Vec<u8> {
        let mut encoder = PacketEncoder::<FromServer>::new(ctx);
        let mut buf = Vec::new();
        for packet in event.packets(ctx) {
            encoder.write(&packet, &mut buf).unwrap();
        }
        buf
    }

    /// Writing presence and statistics straight from the user gives the bytes of the
    /// packets the layer builds, in every revision and at every protocol version around
    /// the protocol gates.
    #[test]
    fn direct_writes_match_the_packets() {
        let users = users();
        let mut events: Vec<ServerEvent<'_>> = Vec::new();
        for user in &users {
            events.push(ServerEvent::UserPresence(user.clone()));
            events.push(ServerEvent::UserStats(user.clone()));
            events.push(ServerEvent::UserPresenceSingle(user.clone()));
            events.push(ServerEvent::UserQuit { user: user.clone(), state: QuitState::Gone });
        }
        events.push(ServerEvent::UserPresenceBundle(users.clone()));
        let mut contexts = Vec::new();
        for revision in REVISIONS {
            contexts.push(Context::new(revision.build));
            for protocol in [0, 7, 8, 10, 11, 13, 19, 25] {
                contexts.push(Context::new(revision.build).with_protocol(protocol));
            }
        }
        for ctx in contexts {
            for event in &events {
                let mut written = Vec::new();
                match event.write(&mut written, ctx) {
                    Ok(()) => assert_eq!(written, written_as_packets(event, ctx), "{ctx:?}: {event:?}"),
                    Err(error) => {
                        // Then the packets do not encode either.
                        let mut encoder = PacketEncoder::<FromServer>::new(ctx);
                        let failed =
                            event.packets(ctx).iter().any(|p| encoder.write(p, &mut Vec::new()).is_err());
                        assert!(failed, "{ctx:?}: {event:?}: {error}");
                    }
                }
            }
        }
    }
}
