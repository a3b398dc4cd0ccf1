//! A base for osu! bancho servers: transports, sessions, broadcast and storage, built on
//! `chio-packets`.
//!
//! - [`session`]: session ids.
//! - [`storage`]: accounts (names, password hashes, permissions, country) and friend lists
//!   behind the [`Storage`](storage::Storage) trait, with
//!   [`SqliteStorage`](storage::SqliteStorage) as the default implementation.
//! - [`outbox`]: each session's bounded queue of encoded frames, drained by a TCP writer
//!   task or an HTTP poll.

pub mod outbox;
pub mod session;
pub mod storage;
