//! The building blocks of a bancho server, each usable alone.
//!
//! A block is plain state with methods that take the session acting and a
//! [`Mailer`](crate::mail::Mailer) to send through: no sockets, no tasks, no locks. A
//! server holds its blocks behind whatever synchronisation it likes (`chio-server`'s own
//! server keeps them in one `Mutex`) and calls them from its packet handler. Where one
//! block's action needs another (a match creates a channel), the method says so in its
//! return value and the server wires the two.

pub mod channels;
pub mod chat;
pub mod friends;
pub mod multiplayer;
pub mod presence;
pub mod spectating;
