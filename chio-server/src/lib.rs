//! A base for osu! bancho servers: transports, sessions, broadcast and storage, built on
//! `chio-packets`.
//!
//! - [`session`]: session ids.
//! - [`storage`]: accounts (names, password hashes, permissions, country) and friend lists
//!   behind the [`Storage`](storage::Storage) trait, with
//!   [`SqliteStorage`](storage::SqliteStorage) as the default implementation.
//! - [`outbox`]: each session's bounded queue of encoded frames, drained by a TCP writer
//!   task or an HTTP poll.
//! - [`layout`]: the wire layout of a connection, the key under which an event is encoded
//!   once for every client that reads the same bytes.
//! - [`broadcast`]: one event to many sessions, encoded once per wire layout.
//! - [`blocks`]: channels, chat, friends, presence, spectating, multiplayer: the game
//!   state a server composes, each block usable alone.
//! - [`mail`]: the [`Mailer`](mail::Mailer) every building block sends through: one
//!   session or many, closed outboxes collected for the server to end.
//! - [`registry`]: the sessions online, found by id, user, name or token, behind the
//!   [`Registry`](registry::Registry) trait with
//!   [`InProcessRegistry`](registry::InProcessRegistry) as the default; one regular
//!   session per account, tournament sessions alongside up to a bound.
//! - [`era`]: the per-era client policy (transport, pings, idle timeout, presence
//!   bundles, stats pushes, match ids), one table with its sources.
//! - [`login`]: who may log in: the operator's [`VersionPolicy`](login::VersionPolicy)
//!   and the [`Authenticator`](login::Authenticator) trait, with a storage-backed default.
//! - [`throttle`]: login throttling per name and per address, a stated policy against
//!   password guessing.
//! - [`tcp_login`]: the TCP front door: the three login lines, bounded in size and time,
//!   stray HTTP redirected, the first packet bytes kept.
//! - [`server`]: all of it composed: a [`Server`](server::Server) that every client build
//!   can log into over its transport, with game logic plugged in through
//!   [`Hooks`](server::Hooks).
//! - [`listen`]: binding a listener whose accept queue holds a burst of connections.
//! - [`http`]: the HTTP front door of modern clients (logins and polls on axum), behind the
//!   [`PollHandler`](http::PollHandler) trait; unknown tokens get `BanchoRestart`.

pub mod blocks;
pub mod broadcast;
pub mod era;
pub mod http;
pub mod layout;
pub mod listen;
pub mod login;
pub mod mail;
pub mod outbox;
pub mod registry;
pub mod server;
pub mod session;
pub mod storage;
pub mod tcp_login;
#[cfg(test)]
mod testkit;
pub mod throttle;
