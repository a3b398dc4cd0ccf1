//! The osu! bancho protocol for every client build from b282 (2008) to b20250306: packet
//! and payload types with version-aware codecs, in both directions.
//!
//! This is the one crate to depend on. It re-exports the wire core (`chio-core`: the
//! [`Context`], the [`Encode`]/[`Decode`] traits, errors, limits) and the derive macros
//! (`chio-derive`), the way `serde` re-exports `serde_derive`.
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
//! let old = status.encode_payload(Context::new(20120806)).unwrap();
//! let new = status.encode_payload(Context::new(20250306)).unwrap();
//! assert_eq!(new.len(), old.len() + 2);
//!
//! // Decoding borrows the strings from the input.
//! let decoded = OsuUserStatus::decode_payload(&new, Context::new(20250306)).unwrap();
//! assert_eq!(decoded, status);
//!
//! // `into_owned` detaches a decoded value from its input (see [`IntoOwned`]).
//! let owned: OsuUserStatus<'static> = decoded.into_owned();
//! drop(new);
//! assert_eq!(owned, status);
//! ```
//!
//! Packets are grouped by domain: [`login`], [`presence`], [`chat`], [`spectating`],
//! [`multiplayer`], [`beatmaps`] and [`session`] (pings, friends, server notices and
//! other small packets); [`types`] holds the enums and flag sets they share, [`ids`]
//! the packet id of each build. Packet structs carry the reference's packet names
//! (`BanchoUserStats`, `OsuMessage`); payload types have plain names (`Match`, `Message`). The derive attributes are documented in [`attributes`].

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
pub mod chat;
pub mod country;
pub mod events;
pub mod framing;
pub mod login;
pub mod login_request;
pub mod multiplayer;
pub mod presence;
#[cfg(feature = "serde")]
mod serde_float;
pub mod session;
pub mod spectating;
pub mod stream;
pub mod types;
