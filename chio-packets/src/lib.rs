//! The osu! bancho protocol for every client build from b282 (2008) to b20250306, in both
//! directions: every packet of every build, written and read exactly as that build's
//! server and client do.
//!
//! This is the one crate to depend on. It re-exports the wire layer of `chio-core` (the
//! [`Context`], frames, readers, [`PacketDecoder`], [`PacketEncoder`], errors, limits) and
//! the derive macros of `chio-derive`, the way `serde` re-exports `serde_derive`.
//!
//! # Packets on the wire
//!
//! Write packets framed for a client's build, and read packets from bytes:
//!
//! ```
//! use chio_packets::login::BanchoLoginReply;
//! use chio_packets::session::BanchoPing;
//! use chio_packets::{Context, Decoded, FromServer, Packet, PacketDecoder, ServerPacket};
//!
//! let ctx = Context::new(20250306); // the client's build: protocol 19, 16 slots
//! let mut wire = Vec::new();
//! BanchoLoginReply(1000).write(&mut wire, ctx)?; // header, wire id and compression of the build
//! BanchoPing.write(&mut wire, ctx)?;
//! assert_eq!(wire, [5, 0, 0, 4, 0, 0, 0, 0xe8, 3, 0, 0, 8, 0, 0, 0, 0, 0, 0]);
//!
//! let mut packets = PacketDecoder::<FromServer>::new(ctx);
//! let mut names = Vec::new();
//! for frame in packets.frames(&wire) {
//!     let frame = frame?;
//!     match packets.decode(&frame)? {
//!         Decoded::Packet(ServerPacket::BanchoLoginReply(reply)) => assert_eq!(reply.0, 1000),
//!         Decoded::Packet(packet) => names.push(packet.name()),
//!         // A packet this build does not have passes through whole: `frame.write` puts it back.
//!         Decoded::Raw(frame) => panic!("unknown wire id {}", frame.wire_id),
//!     }
//! }
//! assert_eq!(names, ["BanchoPing"]);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Bytes that arrive in pieces go through a [`FrameDecoder`](wire::FrameDecoder) (a
//! `BytesMut`, the tokio codec contract; [`ServerCodec`](catalog::ServerCodec) and
//! [`ClientCodec`](catalog::ClientCodec) with the `tokio` feature) or a
//! [`FrameFeeder`](wire::FrameFeeder) (borrowed pieces); see [`wire`] for every reader.
//!
//! # Where to start
//!
//! - **A server** reads [`FromClient`] packets and writes [`FromServer`] ones. Describe
//!   what happens with [`events::ServerEvent`] and let it write the packets each client's
//!   build understands (`chio-server` builds the rest: transports, sessions, broadcast).
//!   [`login::request`] parses the login body, [`login::version`] the client's version
//!   string.
//! - **A bot, test client or proxy** reads [`FromServer`] packets and writes
//!   [`FromClient`] ones, as a real client writes them (empty strings as `0b 00`);
//!   [`events::client`] turns client packets into what the client meant and back. In
//!   lenient mode nothing is lost: a packet the build does not know is a
//!   [`Decoded::Raw`] frame that writes back byte for byte.
//! - **A tool** (a logger, a capture reader) uses [`catalog`] (every packet type, by name,
//!   id and build), the layouts of [`Describe`], and the JSON form of every packet (feature
//!   `serde`).
//!
//! # Payloads
//!
//! Under the frames, each packet's payload has a layout that changes with the build. The
//! payload functions say so in their names: [`Encode::encode_payload`] and
//! [`Decode::decode_payload`] take and give the bytes after a packet's header (a whole
//! framed packet passed to `decode_payload` is an error, not a wrong value):
//!
//! ```
//! use chio_packets::presence::{OsuUserStatus, UserStatus};
//! use chio_packets::types::{Mode, Mods, Status};
//! use chio_packets::{Context, Decode, Encode};
//!
//! let status = OsuUserStatus(UserStatus {
//!     action: Status::Playing,
//!     text: "Camellia - Exit This Earth's Atomosphere".into(),
//!     beatmap_checksum: "0f5cb5b3c4f1bb5ab6d1d5d3a6b4f9e2".into(),
//!     mods: Mods::HIDDEN | Mods::DOUBLE_TIME,
//!     mode: Mode::Osu,
//!     beatmap_id: 1_234_567,
//!     beatmap_update: true,
//! });
//!
//! // The same value is laid out differently for a 2012 client (16-bit mods, protocol 10)
//! // and a modern one (32-bit mods).
//! let old = status.encode_payload(Context::new(20120806))?;
//! let new = status.encode_payload(Context::new(20250306))?;
//! assert_eq!(new.len(), old.len() + 2);
//!
//! // Decoding borrows the strings from the input.
//! let decoded = OsuUserStatus::decode_payload(&new, Context::new(20250306))?;
//! assert_eq!(decoded, status);
//!
//! // `into_owned` detaches a decoded value from its input (see [`IntoOwned`]).
//! let owned: OsuUserStatus<'static> = decoded.into_owned();
//! drop(new);
//! assert_eq!(owned, status);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Naming
//!
//! One rule across the public surface: **encode/decode** work on payloads, **write/read**
//! on framed packets; arguments come as `(self, buf, ctx)`; everything that depends on the
//! build takes the [`Context`]; caps are set with `with_limits` on what applies them.
//!
//! # Map
//!
//! The modules fall in three groups.
//!
//! **Packets**, grouped by domain: [`login`] (the login packets, the plain-text
//! [`login::request`] and the [`login::version`] string), [`presence`] (status,
//! statistics, and the user-quit packets of every era), [`chat`], [`spectating`],
//! [`multiplayer`], [`beatmaps`] and [`session`] (pings, friends, server notices and other
//! small packets); [`types`] holds the enums and flag sets they share, [`country`] the
//! country codes. Packet structs carry the reference's packet names (`BanchoUserStats`,
//! `OsuMessage`); payload types have plain names (`Match`, `Message`). Above them,
//! [`events`] says what happens and writes the packets each build understands.
//!
//! **Wire**: [`wire`] (frames, readers, [`PacketDecoder`], [`PacketEncoder`]), [`frame`]
//! (headers and compression per era), [`ids`] (the packet id of each build), [`build`]
//! (the revision table), [`primitives`] and the [`Context`] every read and write takes.
//!
//! **Tools**: [`catalog`] (every packet type, by name, id and build, and the packet enums),
//! [`layout`] (the layouts of [`Describe`]), [`view`] (each build's packets flattened to
//! wire fields, and the diff between two builds), `json` (packets as JSON, feature
//! `serde`) and [`attributes`] (the derive attributes).

// Lets the derives' generated paths (`::chio_packets::...`) resolve inside this crate too.
extern crate self as chio_packets;

pub use chio_core::*;
pub use chio_derive::{BanchoEnum, BanchoFlags, BanchoPacket, BanchoPayload};

/// The `bitflags` crate, for declaring flag sets with `#[derive(BanchoFlags)]` without
/// another dependency.
pub use bitflags;

pub mod attributes;
pub mod beatmaps;
pub mod catalog;
pub use catalog::{ClientPacket, FromClient, FromServer, ServerPacket};
pub mod chat;
pub mod country;
pub mod events;
#[cfg(feature = "serde")]
pub mod json;
pub mod login;
pub mod multiplayer;
pub mod presence;
#[cfg(feature = "serde")]
mod serde_float;
pub mod session;
pub mod spectating;
pub mod types;
pub mod view;
