//! Logging in: the packets of the login exchange, the plain-text login [`request`] a
//! client sends before any packet, and the client [`version`] string in its third line.

use crate::BanchoPacket;

pub use chio_core::version;

pub mod request;

/// The server's answer to a login: the user id (positive) or a
/// [`LoginError`](crate::types::LoginError) value (negative).
///
/// Kept as the raw `i32` because both meanings share the field; use
/// [`BanchoLoginReply::error`] to read it as an error.
#[derive(Clone, Copy, Debug, PartialEq, Eq, BanchoPacket)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[bancho(id = 5, from = server, name = "BanchoLoginReply")]
pub struct BanchoLoginReply(pub i32);

impl BanchoLoginReply {
    /// The error this reply reports, if it is a known one.
    pub fn error(self) -> Option<crate::types::LoginError> {
        crate::types::LoginError::try_from(self.0).ok()
    }
}

/// The server refuses a request the client is not authorised for (id 62).
///
/// The reference lists the id but never writes it, and no client layout with a payload
/// is known: it is an empty packet, and a payload a server sends anyway is tolerated as
/// trailing bytes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, BanchoPacket)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[bancho(id = 62, from = server, name = "BanchoUnauthorized")]
pub struct BanchoUnauthorized;
