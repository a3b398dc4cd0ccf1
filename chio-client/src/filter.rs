//! [`PacketFilter`]: which server packets a client decodes and hands back.

use chio_packets::Packet;
use chio_packets::login::BanchoLoginReply;
use chio_packets::session::{BanchoPing, BanchoProtocolNegotiation, BanchoRestart};

/// The server packets a [`Client`](crate::Client) decodes and hands back, by canonical id.
///
/// By default every packet. A filter made with [`only`](Self::only) lets the client skip
/// every other frame without decoding it: the frame is framed (its header read, its
/// length checked) and dropped. A load generator's thousands of clients skip the presence
/// and statistics of every other user this way, which is most of what a server sends them.
///
/// The packets the client acts on itself are always decoded and handed back: the login
/// reply, `BanchoPing` (answered with a pong), `BanchoRestart` (ends an HTTP session) and
/// `BanchoProtocolNegotiation` (followed).
///
/// ```
/// use chio_client::PacketFilter;
/// use chio_packets::Packet;
/// use chio_packets::chat::BanchoMessage;
/// use chio_packets::presence::BanchoUserPresence;
///
/// let chat = PacketFilter::only([BanchoMessage::ID]);
/// assert!(chat.admits(BanchoMessage::ID));
/// assert!(!chat.admits(BanchoUserPresence::ID));
/// assert!(PacketFilter::all().admits(BanchoUserPresence::ID));
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PacketFilter {
    /// One bit per canonical id; `None` admits every id.
    admitted: Option<Box<[u64]>>,
}

/// What the client acts on itself, admitted by every filter.
const ALWAYS: [u16; 4] =
    [BanchoLoginReply::ID, BanchoPing::ID, BanchoRestart::ID, BanchoProtocolNegotiation::ID];

impl PacketFilter {
    /// Every packet (the default).
    pub const fn all() -> Self {
        Self { admitted: None }
    }

    /// The packets with canonical ids `ids`, and those the client acts on itself.
    pub fn only(ids: impl IntoIterator<Item = u16>) -> Self {
        let ids: Vec<u16> = ids.into_iter().chain(ALWAYS).collect();
        let words = ids.iter().map(|&id| usize::from(id) / 64 + 1).max().unwrap_or(1);
        let mut admitted = vec![0u64; words].into_boxed_slice();
        for id in ids {
            admitted[usize::from(id) / 64] |= 1 << (id % 64);
        }
        Self { admitted: Some(admitted) }
    }

    /// Whether the packet with canonical id `id` is decoded and handed back.
    #[inline]
    pub fn admits(&self, id: u16) -> bool {
        match &self.admitted {
            None => true,
            Some(words) => words.get(usize::from(id) / 64).is_some_and(|word| word & (1 << (id % 64)) != 0),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_admits_its_ids_and_the_client_s_own() {
        let filter = PacketFilter::only([7, 64, 300]);
        for id in [7, 64, 300].into_iter().chain(ALWAYS) {
            assert!(filter.admits(id), "id {id}");
        }
        for id in [0, 6, 8 + 64, 63, 65, 299, 301, 1000, u16::MAX] {
            assert_eq!(filter.admits(id), ALWAYS.contains(&id), "id {id}");
        }
        assert!(PacketFilter::default().admits(u16::MAX));
        assert!(PacketFilter::only([]).admits(BanchoPing::ID));
    }
}
