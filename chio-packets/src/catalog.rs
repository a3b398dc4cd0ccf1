//! Every packet type in one place: metadata tables, [`supports`], the [`ServerPacket`] /
//! [`ClientPacket`] enums that pick the right type for a packet id and build, and the two
//! packet sets, [`FromServer`] and [`FromClient`], that the wire layer reads and writes.
//!
//! Some packets changed layout so much that different builds need different Rust types
//! (for example `BanchoUserStats` is [`BanchoUserStatsB282`](crate::presence::BanchoUserStatsB282)
//! in b282–b322 and [`BanchoUserStats`](crate::presence::BanchoUserStats) from b1788).
//! Such types share the reference's packet name and id, and their build windows never
//! overlap, so `(direction, id, build)` always names at most one type.
//!
//! ```
//! use chio_packets::catalog::{self, FromServer, ServerPacket};
//! use chio_packets::{Context, PacketSet, Reader};
//!
//! let ctx = Context::new(20121224);
//! assert!(catalog::supports("BanchoUserPresenceBundle", ctx));
//! assert!(!catalog::supports("BanchoUserPresenceBundle", Context::new(20121223)));
//!
//! // The payload of a login reply (id 5) for a modern client: user id 1000.
//! let ctx = Context::new(20250306);
//! let packet = FromServer::decode(5, &mut Reader::new(&[0xe8, 3, 0, 0]), ctx).unwrap();
//! assert_eq!(packet.name(), "BanchoLoginReply");
//! ```
//!
//! # A packet set of your own
//!
//! A server or client with packets of its own (custom ids, or its own layout of a
//! standard packet) declares them with `#[derive(BanchoPacket)]`, then a set holding them
//! and the standard ones, and implements [`PacketSet`] for a marker type, delegating the
//! standard ids to [`FromServer`] or [`FromClient`]. Every reader, the packet decoder and
//! encoder, the `std::io` helpers and the tokio codec then take that set like the
//! standard ones. Custom ids go through each build's id translation like every other id
//! ([`ids`](crate::ids)): a custom id of 200 is 201 on the wire for b340–b1787 clients.
//! `tests/tests/downstream.rs` in the repository carries a whole example.

use crate::build::BuildRange;
use crate::{
    BufMut, Context, Decode, DecodeError, DecodeErrorKind, Direction, Encode, EncodeError, EncodeErrorKind,
    Layout, Packet, PacketSet, Reader,
};

/// What the catalog knows about one packet type.
#[derive(Clone, Copy, Debug)]
pub struct PacketInfo {
    /// The reference's packet name, such as `BanchoUserStats` (shared by era types).
    pub name: &'static str,
    /// The Rust type's name, such as `BanchoUserStatsB282`.
    pub type_name: &'static str,
    /// The canonical (modern) packet id.
    pub id: u16,
    /// Who sends it.
    pub direction: Direction,
    /// The builds whose packets this type carries.
    pub builds: BuildRange,
    /// Whether a client's frame of it may use the larger cap ([`Packet::LARGE`]).
    pub large: bool,
    /// The payload layout, field by field.
    pub layout: &'static Layout,
}

impl PacketInfo {
    /// The metadata of packet type `P`.
    pub const fn of<P: Packet>(type_name: &'static str) -> Self {
        Self {
            name: P::NAME,
            type_name,
            id: P::ID,
            direction: P::DIRECTION,
            builds: P::BUILDS,
            large: P::LARGE,
            layout: P::LAYOUT,
        }
    }

    /// Whether this type carries the packet for `ctx`.
    pub const fn exists_in(&self, ctx: Context) -> bool {
        self.builds.contains(ctx.build())
    }

    /// The id this packet has on the wire for `ctx`.
    pub const fn wire_id(&self, ctx: Context) -> u16 {
        crate::ids::wire_id(self.id, ctx.build())
    }
}

/// Every packet type, server packets first.
pub fn all() -> impl Iterator<Item = &'static PacketInfo> {
    SERVER_PACKETS.iter().chain(CLIENT_PACKETS)
}

/// The packet types of one direction.
pub fn of_direction(direction: Direction) -> &'static [PacketInfo] {
    match direction {
        Direction::ServerToClient => SERVER_PACKETS,
        Direction::ClientToServer => CLIENT_PACKETS,
    }
}

/// Whether `ctx`'s build has the packet the reference calls `name` (`BanchoUserStats`,
/// `OsuMatchChangeBeatmap`, ...), in any of its era types.
pub fn supports(name: &str, ctx: Context) -> bool {
    find(name, ctx).is_some()
}

/// The type carrying the packet called `name` for `ctx`.
pub fn find(name: &str, ctx: Context) -> Option<&'static PacketInfo> {
    all().find(|info| info.name == name && info.exists_in(ctx))
}

/// The type carrying packet `id` (canonical) from `direction` for `ctx`.
pub fn lookup(direction: Direction, id: u16, ctx: Context) -> Option<&'static PacketInfo> {
    of_direction(direction).iter().find(|info| info.id == id && info.exists_in(ctx))
}

/// The packets of `direction` that exist for `ctx`, in id order.
pub fn packets_in(direction: Direction, ctx: Context) -> Vec<&'static PacketInfo> {
    let mut packets: Vec<_> = of_direction(direction).iter().filter(|info| info.exists_in(ctx)).collect();
    packets.sort_by_key(|info| info.id);
    packets
}

/// The codec of a server: client packets in, server packets out (feature `tokio`).
#[cfg(feature = "tokio")]
pub type ServerCodec = crate::wire::codec::BanchoCodec<FromClient, FromServer>;

/// The codec of a client, bot or test client: server packets in, client packets out
/// (feature `tokio`).
#[cfg(feature = "tokio")]
pub type ClientCodec = crate::wire::codec::BanchoCodec<FromServer, FromClient>;

/// Slots of the per-id decode tables: the modern ids 0–109 and the two legacy ids.
const ID_SLOTS: usize = crate::ids::MAX_MODERN_ID as usize + 3;

/// Most types one id has across builds (`BanchoUserQuit` has five).
const MAX_TYPES_PER_ID: usize = 6;

/// The table slot of canonical id `id`, or `usize::MAX` (no slot) for any other number.
const fn id_slot(id: u16) -> usize {
    match id {
        0..=crate::ids::MAX_MODERN_ID => id as usize,
        crate::ids::IRC_JOIN => ID_SLOTS - 2,
        crate::ids::MATCH_CHANGE_BEATMAP => ID_SLOTS - 1,
        _ => usize::MAX,
    }
}

/// The error for a canonical id that no type of `direction` carries in `build`.
fn missing(direction: Direction, id: u16, build: u32) -> DecodeErrorKind {
    match of_direction(direction).iter().find(|info| info.id == id) {
        Some(info) => DecodeErrorKind::PacketNotInBuild { name: info.name, build },
        None => DecodeErrorKind::UnknownPacketId { id, build },
    }
}

macro_rules! packet_enum {
    (
        $(#[$doc:meta])*
        $name:ident, $table:ident, $direction:ident,
        $(#[$set_doc:meta])*
        $set:ident {
            $($variant:ident($($path:ident)::+ $(<$lt:lifetime>)?)),* $(,)?
        }
    ) => {
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq)]
        #[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
        #[cfg_attr(feature = "serde", serde(tag = "packet", content = "data"))]
        #[allow(missing_docs)] // Each variant is the packet type of the same name.
        pub enum $name<'a> {
            $($variant($($path)::+ $(<$lt>)?),)*
        }

        #[doc = concat!("Every packet type of [`", stringify!($name), "`].")]
        pub static $table: &[PacketInfo] = $name::TYPES;

        impl<'a> $name<'a> {
            /// Every packet type of this direction.
            pub const TYPES: &'static [PacketInfo] = &[
                $(PacketInfo::of::<$($path)::+ $(<$lt>)?>(stringify!($variant)),)*
            ];

            /// The index in [`TYPES`](Self::TYPES) of the type carrying packet `id`
            /// (canonical) in `build`: the one whose window holds the build (windows of one
            /// id never overlap), newest first, as modern traffic dominates.
            #[inline(always)]
            fn index_of(id: u16, build: u32) -> Option<usize> {
                let candidates = Self::BY_ID.get(id_slot(id))?;
                for &(entry, builds) in candidates {
                    let index = usize::from(entry).checked_sub(1)?;
                    if builds.contains(build) {
                        return Some(index);
                    }
                }
                None
            }

            /// Decodes the payload of packet `id` (canonical) from `reader` for `ctx`'s
            /// build, leaving any bytes after it ([`PacketSet::decode`]).
            #[inline(always)]
            fn decode_from_reader(id: u16, reader: &mut Reader<'a>, ctx: Context) -> Result<Self, DecodeError> {
                match Self::index_of(id, ctx.build()).and_then(|index| Self::DECODERS.get(index)) {
                    Some(decode) => decode(reader, ctx),
                    None => Err(reader.error(missing(Direction::$direction, id, ctx.build()))),
                }
            }

            /// The decoder of each type, in [`TYPES`](Self::TYPES) order.
            const DECODERS: &'static [for<'r> fn(&mut Reader<'r>, Context) -> Result<$name<'r>, DecodeError>] = &[
                $(|reader, ctx| <$($path)::+ as Decode<'_>>::decode(reader, ctx).map($name::$variant),)*
            ];

            /// [`DECODERS`](Self::DECODERS), each result kept from being dropped
            /// ([`PacketSet::LENDERS`]).
            const LENDERS: &'static [for<'r> fn(&mut Reader<'r>, Context) -> core::mem::ManuallyDrop<Result<$name<'r>, DecodeError>>] = &[
                $(|reader, ctx| core::mem::ManuallyDrop::new(<$($path)::+ as Decode<'_>>::decode(reader, ctx).map($name::$variant)),)*
            ];

            /// For each type, in [`TYPES`](Self::TYPES) order, whether its values decoded
            /// for a build free nothing when dropped ([`PacketSet::drops_nothing`]).
            const DROPS_NOTHING: &'static [fn(u32) -> bool] = &[
                $(crate::drops_nothing::<$($path)::+ $(<$lt>)?>,)*
            ];

            /// For each id slot ([`id_slot`]), the types carrying that id as indices into
            /// [`TYPES`](Self::TYPES) plus one, with their builds, the last declared (the
            /// newest) first; index 0 ends the list.
            const BY_ID: [[(u8, BuildRange); MAX_TYPES_PER_ID]; ID_SLOTS] = {
                let mut table = [[(0u8, BuildRange::ALL); MAX_TYPES_PER_ID]; ID_SLOTS];
                let mut index = 0;
                while index < Self::TYPES.len() {
                    let slot = id_slot(Self::TYPES[index].id);
                    let mut k = 0;
                    // Out of range at compile time if an id ever gains too many types.
                    while table[slot][k].0 != 0 {
                        k += 1;
                    }
                    assert!(index < u8::MAX as usize, "too many packet types for the id table");
                    // Shift the list right and put this (later) type first.
                    while k > 0 {
                        table[slot][k] = table[slot][k - 1];
                        k -= 1;
                    }
                    table[slot][0] = ((index + 1) as u8, Self::TYPES[index].builds);
                    index += 1;
                }
                table
            };

            /// The metadata of this packet's type.
            pub fn info(&self) -> &'static PacketInfo {
                match self {
                    $(Self::$variant(_) => &const {
                        PacketInfo::of::<$($path)::+ $(<$lt>)?>(stringify!($variant))
                    },)*
                }
            }

            /// The reference's packet name.
            pub fn name(&self) -> &'static str {
                self.info().name
            }

            /// The canonical packet id.
            pub fn id(&self) -> u16 {
                self.info().id
            }

            /// The builds this packet's type is for.
            pub fn builds(&self) -> BuildRange {
                self.info().builds
            }

        }

        impl Encode for $name<'_> {
            fn encoded_len(&self, ctx: Context) -> usize {
                match self {
                    $(Self::$variant(packet) => packet.encoded_len(ctx),)*
                }
            }

            /// Encodes the payload (no header) for `ctx`. A packet whose type is not for
            /// `ctx`'s build is an error.
            fn encode<B: BufMut + ?Sized>(&self, buf: &mut B, ctx: Context) -> Result<(), EncodeError> {
                if !self.builds().contains(ctx.build()) {
                    return Err(EncodeError::new(EncodeErrorKind::PacketNotInBuild {
                        name: self.name(),
                        build: ctx.build(),
                    }));
                }
                match self {
                    $(Self::$variant(packet) => packet.encode(buf, ctx),)*
                }
            }
        }

        impl $name<'_> {
            /// Writes the packet, header and payload, for `ctx`'s build, as its sender does
            /// (the build's wire id, header and compression). A packet whose type is not
            /// for the build is an error.
            #[inline]
            pub fn write<B: BufMut + ?Sized>(&self, buf: &mut B, ctx: Context) -> Result<(), EncodeError> {
                <$set as PacketSet>::write(self, buf, ctx)
            }

            /// The wire id of this packet for `ctx`.
            pub fn wire_id(&self, ctx: Context) -> u16 {
                crate::ids::wire_id(self.id(), ctx.build())
            }

            /// The packet detached from its input: every borrow made owned, so that it can
            /// be queued or sent to another task.
            pub fn into_owned(self) -> $name<'static> {
                match self {
                    $(Self::$variant(packet) => $name::$variant(packet.into_owned()),)*
                }
            }
        }

        $(#[$set_doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum $set {}

        impl PacketSet for $set {
            const DIRECTION: Direction = Direction::$direction;
            type Packet<'a> = $name<'a>;

            #[inline(always)]
            fn decode<'a>(id: u16, reader: &mut Reader<'a>, ctx: Context) -> Result<$name<'a>, DecodeError> {
                $name::decode_from_reader(id, reader, ctx)
            }

            #[inline]
            fn id(packet: &$name<'_>) -> u16 {
                packet.id()
            }

            #[inline]
            fn name(packet: &$name<'_>) -> &'static str {
                packet.name()
            }

            fn into_owned(packet: $name<'_>) -> $name<'static> {
                packet.into_owned()
            }

            #[inline]
            fn write_with<B: BufMut + ?Sized>(
                packet: &$name<'_>,
                buf: &mut B,
                ctx: Context,
                writer: &mut crate::frame::FrameWriter,
            ) -> Result<(), EncodeError> {
                match packet {
                    $($name::$variant(packet) => Packet::write_with(packet, buf, ctx, writer),)*
                }
            }

            const DECODERS: &'static [crate::DecodeFn<Self>] = $name::DECODERS;
            const LENDERS: &'static [crate::LendFn<Self>] = $name::LENDERS;

            #[inline]
            fn drops_nothing(index: usize, build: u32) -> bool {
                $name::DROPS_NOTHING.get(index).is_some_and(|drops_nothing| drops_nothing(build))
            }

            #[inline]
            fn decoder_index(id: u16, build: u32) -> Option<usize> {
                $name::index_of(id, build)
            }

            #[inline]
            fn is_large(id: u16) -> bool {
                /// For each id slot, whether a type carrying that id is large.
                const LARGE: [bool; ID_SLOTS] = {
                    let mut table = [false; ID_SLOTS];
                    let mut index = 0;
                    while index < $name::TYPES.len() {
                        if $name::TYPES[index].large {
                            table[id_slot($name::TYPES[index].id)] = true;
                        }
                        index += 1;
                    }
                    table
                };
                LARGE.get(id_slot(id)).copied().unwrap_or(false)
            }
        }

        $(
            impl<'a> From<$($path)::+ $(<$lt>)?> for $name<'a> {
                fn from(packet: $($path)::+ $(<$lt>)?) -> Self {
                    Self::$variant(packet)
                }
            }
        )*
    };
}

packet_enum! {
    /// A packet the server sends, of any type and build.
    ///
    /// With the `serde` feature it (de)serializes as `{"packet": "<type name>", "data": ...}`.
    ServerPacket, SERVER_PACKETS, ServerToClient,
    /// The packets servers send, as a set: `PacketDecoder<FromServer>` reads them (a bot,
    /// a test client, a proxy), `PacketEncoder<FromServer>` writes them (a server).
    FromServer {
        BanchoLoginReply(crate::login::BanchoLoginReply),
        BanchoCommandError(crate::chat::BanchoCommandError),
        BanchoMessage(crate::chat::BanchoMessage<'a>),
        BanchoPing(crate::session::BanchoPing),
        BanchoIrcChangeUsername(crate::chat::BanchoIrcChangeUsername<'a>),
        BanchoIrcQuit(crate::chat::BanchoIrcQuit<'a>),
        BanchoUserStatsB282(crate::presence::BanchoUserStatsB282<'a>),
        BanchoUserStatsB323(crate::presence::BanchoUserStatsB323<'a>),
        BanchoUserStatsB338(crate::presence::BanchoUserStatsB338<'a>),
        BanchoUserStats(crate::presence::BanchoUserStats<'a>),
        BanchoUserQuitB282(crate::presence::BanchoUserQuitB282<'a>),
        BanchoUserQuitB323(crate::presence::BanchoUserQuitB323<'a>),
        BanchoUserQuitB338(crate::presence::BanchoUserQuitB338<'a>),
        BanchoUserQuitB1788(crate::presence::BanchoUserQuitB1788<'a>),
        BanchoUserQuit(crate::presence::BanchoUserQuit),
        BanchoSpectatorJoined(crate::spectating::BanchoSpectatorJoined),
        BanchoSpectatorLeft(crate::spectating::BanchoSpectatorLeft),
        BanchoSpectateFrames(crate::spectating::BanchoSpectateFrames<'a>),
        BanchoVersionUpdate(crate::session::BanchoVersionUpdate),
        BanchoSpectatorCantSpectate(crate::spectating::BanchoSpectatorCantSpectate),
        BanchoGetAttention(crate::session::BanchoGetAttention),
        BanchoAnnounce(crate::chat::BanchoAnnounce<'a>),
        BanchoMatchUpdate(crate::multiplayer::BanchoMatchUpdate<'a>),
        BanchoMatchNew(crate::multiplayer::BanchoMatchNew<'a>),
        BanchoMatchDisband(crate::multiplayer::BanchoMatchDisband),
        BanchoLobbyJoin(crate::multiplayer::BanchoLobbyJoin),
        BanchoLobbyPart(crate::multiplayer::BanchoLobbyPart),
        BanchoMatchJoinSuccess(crate::multiplayer::BanchoMatchJoinSuccess<'a>),
        BanchoMatchJoinFail(crate::multiplayer::BanchoMatchJoinFail),
        BanchoFellowSpectatorJoined(crate::spectating::BanchoFellowSpectatorJoined),
        BanchoFellowSpectatorLeft(crate::spectating::BanchoFellowSpectatorLeft),
        BanchoMatchStart(crate::multiplayer::BanchoMatchStart<'a>),
        BanchoMatchScoreUpdate(crate::spectating::BanchoMatchScoreUpdate<'a>),
        BanchoMatchTransferHost(crate::multiplayer::BanchoMatchTransferHost),
        BanchoMatchAllPlayersLoaded(crate::multiplayer::BanchoMatchAllPlayersLoaded),
        BanchoMatchPlayerFailed(crate::multiplayer::BanchoMatchPlayerFailed),
        BanchoMatchComplete(crate::multiplayer::BanchoMatchComplete),
        BanchoMatchSkip(crate::multiplayer::BanchoMatchSkip),
        BanchoUnauthorized(crate::login::BanchoUnauthorized),
        BanchoChannelJoinSuccess(crate::chat::BanchoChannelJoinSuccess<'a>),
        BanchoChannelAvailable(crate::chat::BanchoChannelAvailable<'a>),
        BanchoChannelRevoked(crate::chat::BanchoChannelRevoked<'a>),
        BanchoChannelAvailableAutojoin(crate::chat::BanchoChannelAvailableAutojoin<'a>),
        BanchoBeatmapInfoReply(crate::beatmaps::BanchoBeatmapInfoReply<'a>),
        BanchoLoginPermissions(crate::session::BanchoLoginPermissions),
        BanchoFriendsList(crate::session::BanchoFriendsList),
        BanchoProtocolNegotiation(crate::session::BanchoProtocolNegotiation),
        BanchoTitleUpdate(crate::session::BanchoTitleUpdate<'a>),
        BanchoMonitor(crate::session::BanchoMonitor),
        BanchoMatchPlayerSkipped(crate::multiplayer::BanchoMatchPlayerSkipped),
        BanchoUserPresence(crate::presence::BanchoUserPresence<'a>),
        BanchoRestart(crate::session::BanchoRestart),
        BanchoInvite(crate::chat::BanchoInvite<'a>),
        BanchoChannelInfoComplete(crate::chat::BanchoChannelInfoComplete),
        BanchoMatchChangePassword(crate::multiplayer::BanchoMatchChangePassword<'a>),
        BanchoSilenceInfo(crate::session::BanchoSilenceInfo),
        BanchoUserSilenced(crate::session::BanchoUserSilenced),
        BanchoUserPresenceSingle(crate::session::BanchoUserPresenceSingle),
        BanchoUserPresenceBundle(crate::session::BanchoUserPresenceBundle),
        BanchoUserDmsBlocked(crate::chat::BanchoUserDmsBlocked<'a>),
        BanchoTargetIsSilenced(crate::chat::BanchoTargetIsSilenced<'a>),
        BanchoVersionUpdateForced(crate::session::BanchoVersionUpdateForced),
        BanchoSwitchServer(crate::session::BanchoSwitchServer),
        BanchoAccountRestricted(crate::session::BanchoAccountRestricted),
        BanchoRTX(crate::chat::BanchoRTX<'a>),
        BanchoMatchAbort(crate::multiplayer::BanchoMatchAbort),
        BanchoSwitchTournamentServer(crate::session::BanchoSwitchTournamentServer<'a>),
        BanchoIrcJoin(crate::chat::BanchoIrcJoin<'a>),
    }
}

packet_enum! {
    /// A packet the client sends, of any type and build.
    ///
    /// With the `serde` feature it (de)serializes as `{"packet": "<type name>", "data": ...}`.
    ClientPacket, CLIENT_PACKETS, ClientToServer,
    /// The packets clients send, as a set: `PacketDecoder<FromClient>` reads them (a
    /// server, a proxy), `PacketEncoder<FromClient>` writes them (a bot, a test client).
    FromClient {
        OsuUserStatus(crate::presence::OsuUserStatus<'a>),
        OsuMessage(crate::chat::OsuMessage<'a>),
        OsuExit(crate::session::OsuExit),
        OsuStatusUpdateRequest(crate::session::OsuStatusUpdateRequest),
        OsuPong(crate::session::OsuPong),
        OsuStartSpectating(crate::spectating::OsuStartSpectating),
        OsuStopSpectating(crate::spectating::OsuStopSpectating),
        OsuSpectateFrames(crate::spectating::OsuSpectateFrames<'a>),
        OsuErrorReport(crate::session::OsuErrorReport<'a>),
        OsuCantSpectate(crate::spectating::OsuCantSpectate),
        OsuLegacyPrivateMessage(crate::chat::OsuLegacyPrivateMessage<'a>),
        OsuPrivateMessage(crate::chat::OsuPrivateMessage<'a>),
        OsuLobbyPart(crate::multiplayer::OsuLobbyPart),
        OsuLobbyJoin(crate::multiplayer::OsuLobbyJoin),
        OsuMatchCreate(crate::multiplayer::OsuMatchCreate<'a>),
        OsuMatchJoin(crate::multiplayer::OsuMatchJoin<'a>),
        OsuMatchPart(crate::multiplayer::OsuMatchPart),
        OsuMatchChangeSlot(crate::multiplayer::OsuMatchChangeSlot),
        OsuMatchReady(crate::multiplayer::OsuMatchReady),
        OsuMatchLock(crate::multiplayer::OsuMatchLock),
        OsuMatchChangeSettings(crate::multiplayer::OsuMatchChangeSettings<'a>),
        OsuMatchStart(crate::multiplayer::OsuMatchStart),
        OsuMatchScoreUpdate(crate::spectating::OsuMatchScoreUpdate<'a>),
        OsuMatchComplete(crate::multiplayer::OsuMatchComplete),
        OsuMatchChangeMods(crate::multiplayer::OsuMatchChangeMods),
        OsuMatchLoadComplete(crate::multiplayer::OsuMatchLoadComplete),
        OsuMatchNoBeatmap(crate::multiplayer::OsuMatchNoBeatmap),
        OsuMatchNotReady(crate::multiplayer::OsuMatchNotReady),
        OsuMatchFailed(crate::multiplayer::OsuMatchFailed),
        OsuMatchHasBeatmap(crate::multiplayer::OsuMatchHasBeatmap),
        OsuMatchSkipRequest(crate::multiplayer::OsuMatchSkipRequest),
        OsuChannelJoin(crate::chat::OsuChannelJoin<'a>),
        OsuBeatmapInfoRequest(crate::beatmaps::OsuBeatmapInfoRequest<'a>),
        OsuMatchTransferHost(crate::multiplayer::OsuMatchTransferHost),
        OsuFriendsAdd(crate::session::OsuFriendsAdd),
        OsuFriendsRemove(crate::session::OsuFriendsRemove),
        OsuMatchChangeTeam(crate::multiplayer::OsuMatchChangeTeam),
        OsuChannelLeave(crate::chat::OsuChannelLeave<'a>),
        OsuReceiveUpdates(crate::session::OsuReceiveUpdates),
        OsuSetIrcAwayMessage(crate::chat::OsuSetIrcAwayMessage<'a>),
        OsuUserStatsRequest(crate::session::OsuUserStatsRequest),
        OsuInvite(crate::chat::OsuInvite),
        OsuMatchChangePassword(crate::multiplayer::OsuMatchChangePassword<'a>),
        OsuTournamentMatchInfo(crate::multiplayer::OsuTournamentMatchInfo),
        OsuPresenceRequest(crate::session::OsuPresenceRequest),
        OsuPresenceRequestAll(crate::session::OsuPresenceRequestAll),
        OsuChangeFriendOnlyDms(crate::chat::OsuChangeFriendOnlyDms),
        OsuTournamentJoinMatchChannel(crate::multiplayer::OsuTournamentJoinMatchChannel),
        OsuTournamentLeaveMatchChannel(crate::multiplayer::OsuTournamentLeaveMatchChannel),
        OsuMatchChangeBeatmap(crate::multiplayer::OsuMatchChangeBeatmap<'a>),
    }
}
