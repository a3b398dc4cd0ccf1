//! The same workloads written and read with `bancho-packets` 5.3.1 (crates.io), the
//! Rust peer, through its public API: `packet_struct!` types packed one packet at a time
//! (`into_packet_data`, one `Vec<u8>` each, appended to the output buffer), and
//! `PacketReader` + `PayloadReader::read::<T>()` field by field for reading (its only
//! reader; strings come back as owned `String`s).
//!
//! Shared by the benches and the comparison test (`#[path]`-included: `bancho-packets` is
//! a dev-dependency of the bench crate only).

#![allow(dead_code)]

use std::borrow::Cow;

use bancho_packets::{
    BanchoMessage, BanchoPacket, ClientChangeAction, LoginResult, PacketId, PacketReader, PayloadReader,
    client, server,
};
use chio_packets::catalog::{ClientPacket, ServerPacket};

/// A server packet of the login burst as a `bancho-packets` value.
#[derive(Clone, Debug)]
pub(crate) enum Server<'a> {
    /// `BanchoLoginReply`.
    LoginReply(server::LoginReply),
    /// `BanchoProtocolNegotiation`.
    ProtocolVersion(server::ProtocolVersion),
    /// `BanchoLoginPermissions`.
    Privileges(server::BanchoPrivileges),
    /// `BanchoUserPresence`.
    UserPresence(server::UserPresence<'a>),
    /// `BanchoUserStats`.
    UserStats(server::UserStats<'a>),
    /// `BanchoChannelAvailable`.
    ChannelInfo(server::ChannelInfo<'a>),
    /// `BanchoChannelInfoComplete`.
    ChannelInfoEnd(server::ChannelInfoEnd),
    /// `BanchoMessage`.
    SendMessage(server::SendMessage<'a>),
}

/// The f32 that `bancho-packets` divides by 100 to get `accuracy` (it takes a percentage).
pub(crate) fn accuracy_percent(accuracy: f32) -> f32 {
    let mut candidate = accuracy * 100.0;
    for _ in 0..8 {
        let back = candidate / 100.0;
        if back == accuracy {
            return candidate;
        }
        candidate = if back < accuracy { candidate.next_up() } else { candidate.next_down() };
    }
    panic!("no f32 percentage gives accuracy {accuracy} exactly")
}

impl<'a> Server<'a> {
    /// The `bancho-packets` value for one of our packets, or `None` for a packet it does not
    /// model.
    pub(crate) fn from_ours(packet: &'a ServerPacket<'_>) -> Option<Self> {
        Some(match packet {
            ServerPacket::BanchoLoginReply(reply) => {
                Self::LoginReply(server::LoginReply::new(LoginResult::Success(reply.0)))
            }
            ServerPacket::BanchoProtocolNegotiation(p) => {
                Self::ProtocolVersion(server::ProtocolVersion::new(p.version))
            }
            ServerPacket::BanchoLoginPermissions(p) => {
                Self::Privileges(server::BanchoPrivileges::new(i32::try_from(p.0.bits()).ok()?))
            }
            ServerPacket::BanchoUserPresence(p) => Self::UserPresence(server::UserPresence::new(
                p.user_id,
                Cow::Borrowed(&p.name),
                p.timezone.checked_sub(24)?,
                p.country_index,
                i32::from(p.permissions),
                p.longitude,
                p.latitude,
                p.rank,
            )),
            ServerPacket::BanchoUserStats(s) => {
                let s = &s.0;
                Self::UserStats(server::UserStats::new(
                    s.user_id,
                    u8::from(s.status.action),
                    Cow::Borrowed(&s.status.text),
                    Cow::Borrowed(&s.status.beatmap_checksum),
                    s.status.mods.bits(),
                    u8::from(s.status.mode),
                    s.status.beatmap_id,
                    i64::try_from(s.ranked_score).ok()?,
                    accuracy_percent(s.accuracy),
                    i32::try_from(s.play_count).ok()?,
                    i64::try_from(s.total_score).ok()?,
                    s.rank,
                    i16::try_from(s.pp).ok()?,
                ))
            }
            ServerPacket::BanchoChannelAvailable(c) => Self::ChannelInfo(server::ChannelInfo::new(
                Cow::Borrowed(&c.0.name),
                Cow::Borrowed(&c.0.topic),
                c.0.user_count,
            )),
            ServerPacket::BanchoChannelInfoComplete(_) => Self::ChannelInfoEnd(server::ChannelInfoEnd::new()),
            ServerPacket::BanchoMessage(m) => Self::SendMessage(server::SendMessage::new(
                Cow::Borrowed(&m.0.sender),
                Cow::Borrowed(&m.0.content),
                Cow::Borrowed(&m.0.target),
                m.0.sender_id,
            )),
            _ => return None,
        })
    }

    /// Packs the packet (a new `Vec<u8>`, as the crate does) and appends it to `buf`.
    pub(crate) fn write(&self, buf: &mut Vec<u8>) {
        let packet = match self.clone() {
            Self::LoginReply(p) => p.into_packet_data(),
            Self::ProtocolVersion(p) => p.into_packet_data(),
            Self::Privileges(p) => p.into_packet_data(),
            Self::UserPresence(p) => p.into_packet_data(),
            Self::UserStats(p) => p.into_packet_data(),
            Self::ChannelInfo(p) => p.into_packet_data(),
            Self::ChannelInfoEnd(p) => p.into_packet_data(),
            Self::SendMessage(p) => p.into_packet_data(),
        };
        buf.extend_from_slice(&packet);
    }
}

/// The `bancho-packets` values for our packets; panics on a packet it does not model.
pub(crate) fn server_packets<'a>(packets: &'a [ServerPacket<'_>]) -> Vec<Server<'a>> {
    packets
        .iter()
        .map(|packet| {
            Server::from_ours(packet)
                .unwrap_or_else(|| panic!("{} has no bancho-packets form", packet.name()))
        })
        .collect()
}

/// Writes every packet into `buf`.
pub(crate) fn encode_server(packets: &[Server<'_>], buf: &mut Vec<u8>) {
    for packet in packets {
        packet.write(buf);
    }
}

/// A server packet as read back with `bancho-packets`.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum ServerRead {
    /// The login reply's user id.
    LoginReply(i32),
    /// The protocol version.
    ProtocolVersion(i32),
    /// The permission bits.
    Privileges(i32),
    /// A presence: id, name, timezone byte, country, permissions byte, longitude,
    /// latitude, rank.
    UserPresence(i32, String, u8, u8, u8, f32, f32, i32),
    /// Statistics: id, action, text, checksum, mods, mode, map id, ranked score,
    /// accuracy, plays, total score, rank, pp.
    UserStats(i32, u8, String, String, u32, u8, i32, i64, f32, i32, i64, i32, i16),
    /// A channel: name, topic, user count.
    ChannelInfo(String, String, i16),
    /// The end of the channel list.
    ChannelInfoEnd,
    /// A chat message: sender, content, target, sender id.
    Message(String, String, String, i32),
}

fn f32_of(reader: &mut PayloadReader<'_>) -> Option<f32> {
    reader.read::<u32>().map(f32::from_bits)
}

impl ServerRead {
    /// What reading our packet back with `bancho-packets` must give.
    pub(crate) fn expected(packet: &ServerPacket<'_>) -> Option<Self> {
        Some(match packet {
            ServerPacket::BanchoLoginReply(reply) => Self::LoginReply(reply.0),
            ServerPacket::BanchoProtocolNegotiation(p) => Self::ProtocolVersion(p.version),
            ServerPacket::BanchoLoginPermissions(p) => Self::Privileges(i32::try_from(p.0.bits()).ok()?),
            ServerPacket::BanchoUserPresence(p) => Self::UserPresence(
                p.user_id,
                p.name.to_string(),
                p.timezone,
                p.country_index,
                p.permissions,
                p.longitude,
                p.latitude,
                p.rank,
            ),
            ServerPacket::BanchoUserStats(s) => {
                let s = &s.0;
                Self::UserStats(
                    s.user_id,
                    u8::from(s.status.action),
                    s.status.text.to_string(),
                    s.status.beatmap_checksum.to_string(),
                    s.status.mods.bits(),
                    u8::from(s.status.mode),
                    s.status.beatmap_id,
                    i64::try_from(s.ranked_score).ok()?,
                    s.accuracy,
                    i32::try_from(s.play_count).ok()?,
                    i64::try_from(s.total_score).ok()?,
                    s.rank,
                    i16::try_from(s.pp).ok()?,
                )
            }
            ServerPacket::BanchoChannelAvailable(c) => {
                Self::ChannelInfo(c.0.name.to_string(), c.0.topic.to_string(), c.0.user_count)
            }
            ServerPacket::BanchoChannelInfoComplete(_) => Self::ChannelInfoEnd,
            ServerPacket::BanchoMessage(m) => Self::Message(
                m.0.sender.to_string(),
                m.0.content.to_string(),
                m.0.target.to_string(),
                m.0.sender_id,
            ),
            _ => return None,
        })
    }

    fn read(id: PacketId, r: &mut PayloadReader<'_>) -> Option<Self> {
        Some(match id {
            PacketId::BANCHO_USER_LOGIN_REPLY => Self::LoginReply(r.read()?),
            PacketId::BANCHO_PROTOCOL_VERSION => Self::ProtocolVersion(r.read()?),
            PacketId::BANCHO_PRIVILEGES => Self::Privileges(r.read()?),
            PacketId::BANCHO_USER_PRESENCE => Self::UserPresence(
                r.read()?,
                r.read()?,
                r.read()?,
                r.read()?,
                r.read()?,
                f32_of(r)?,
                f32_of(r)?,
                r.read()?,
            ),
            PacketId::BANCHO_USER_STATS => Self::UserStats(
                r.read()?,
                r.read()?,
                r.read()?,
                r.read()?,
                r.read()?,
                r.read()?,
                r.read()?,
                r.read()?,
                f32_of(r)?,
                r.read()?,
                r.read()?,
                r.read()?,
                r.read()?,
            ),
            PacketId::BANCHO_CHANNEL_INFO => Self::ChannelInfo(r.read()?, r.read()?, r.read()?),
            PacketId::BANCHO_CHANNEL_INFO_END => Self::ChannelInfoEnd,
            PacketId::BANCHO_SEND_MESSAGE => {
                let BanchoMessage { sender, content, target, sender_id } = r.read()?;
                Self::Message(sender, content, target, sender_id)
            }
            _ => return None,
        })
    }
}

/// Reads every server packet of `bytes` with `bancho-packets`; `None` if one fails.
pub(crate) fn decode_server(bytes: &[u8], mut each: impl FnMut(&ServerRead)) -> Option<usize> {
    let mut count = 0;
    for packet in PacketReader::new(bytes) {
        let mut reader = PayloadReader::new(packet.payload.unwrap_or_default());
        each(&ServerRead::read(packet.id, &mut reader)?);
        count += 1;
    }
    Some(count)
}

/// A client packet of the upload's peer subset as a `bancho-packets` value.
#[derive(Clone, Debug)]
pub(crate) enum Client<'a> {
    /// `OsuUserStatus`.
    ChangeAction(client::UserChangeAction<'a>),
    /// `OsuMessage`.
    Message(client::SendPublicMessage<'a>),
    /// `OsuPong`.
    Ping(client::Ping),
}

impl<'a> Client<'a> {
    /// The `bancho-packets` value for one of our client packets, or `None` for a packet it
    /// does not model.
    pub(crate) fn from_ours(packet: &'a ClientPacket<'_>) -> Option<Self> {
        Some(match packet {
            ClientPacket::OsuUserStatus(s) => Self::ChangeAction(client::UserChangeAction::new(
                u8::from(s.0.action),
                Cow::Borrowed(&s.0.text),
                Cow::Borrowed(&s.0.beatmap_checksum),
                s.0.mods.bits(),
                u8::from(s.0.mode),
                s.0.beatmap_id,
            )),
            ClientPacket::OsuMessage(m) => Self::Message(client::SendPublicMessage::new(
                Cow::Borrowed(&m.0.sender),
                Cow::Borrowed(&m.0.content),
                Cow::Borrowed(&m.0.target),
                m.0.sender_id,
            )),
            ClientPacket::OsuPong(_) => Self::Ping(client::Ping::new()),
            _ => return None,
        })
    }

    /// Packs the packet and appends it to `buf`.
    pub(crate) fn write(&self, buf: &mut Vec<u8>) {
        let packet = match self.clone() {
            Self::ChangeAction(p) => p.into_packet_data(),
            Self::Message(p) => p.into_packet_data(),
            Self::Ping(p) => p.into_packet_data(),
        };
        buf.extend_from_slice(&packet);
    }
}

/// The `bancho-packets` values for our client packets; panics on one it does not model.
pub(crate) fn client_packets<'a>(packets: &'a [ClientPacket<'_>]) -> Vec<Client<'a>> {
    packets
        .iter()
        .map(|packet| {
            Client::from_ours(packet)
                .unwrap_or_else(|| panic!("{} has no bancho-packets form", packet.name()))
        })
        .collect()
}

/// Writes every client packet into `buf`.
pub(crate) fn encode_client(packets: &[Client<'_>], buf: &mut Vec<u8>) {
    for packet in packets {
        packet.write(buf);
    }
}

/// A client packet as read back with `bancho-packets`.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum ClientRead {
    /// A status change: action, text, checksum, mods, mode, map id.
    ChangeAction(u8, String, String, u32, u8, i32),
    /// A chat message: sender, content, target, sender id.
    Message(String, String, String, i32),
    /// A pong.
    Ping,
}

impl ClientRead {
    /// What reading our client packet back with `bancho-packets` must give.
    pub(crate) fn expected(packet: &ClientPacket<'_>) -> Option<Self> {
        Some(match packet {
            ClientPacket::OsuUserStatus(s) => Self::ChangeAction(
                u8::from(s.0.action),
                s.0.text.to_string(),
                s.0.beatmap_checksum.to_string(),
                s.0.mods.bits(),
                u8::from(s.0.mode),
                s.0.beatmap_id,
            ),
            ClientPacket::OsuMessage(m) => Self::Message(
                m.0.sender.to_string(),
                m.0.content.to_string(),
                m.0.target.to_string(),
                m.0.sender_id,
            ),
            ClientPacket::OsuPong(_) => Self::Ping,
            _ => return None,
        })
    }
}

/// Reads every client packet of `bytes` with `bancho-packets`; `None` if one fails.
pub(crate) fn decode_client(bytes: &[u8], mut each: impl FnMut(&ClientRead)) -> Option<usize> {
    let mut count = 0;
    for packet in PacketReader::new(bytes) {
        let mut r = PayloadReader::new(packet.payload.unwrap_or_default());
        each(&match packet.id {
            PacketId::OSU_USER_CHANGE_ACTION => {
                let ClientChangeAction { online_status, description, beatmap_md5, mods, mode, beatmap_id } =
                    r.read()?;
                ClientRead::ChangeAction(online_status, description, beatmap_md5, mods, mode, beatmap_id)
            }
            PacketId::OSU_SEND_PUBLIC_MESSAGE => {
                let BanchoMessage { sender, content, target, sender_id } = r.read()?;
                ClientRead::Message(sender, content, target, sender_id)
            }
            PacketId::OSU_PING => ClientRead::Ping,
            _ => return None,
        });
        count += 1;
    }
    Some(count)
}
