//! A base for osu! bancho servers, built on the chio-rs protocol crates.
//!
//! It collects the building blocks a bancho server needs besides the protocol itself. So
//! far that is [`storage`]: accounts (names, password hashes, permissions, country) and
//! friend lists behind the [`Storage`](storage::Storage) trait, with
//! [`SqliteStorage`](storage::SqliteStorage) as the default implementation.

pub mod storage;
