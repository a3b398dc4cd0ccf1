//! Sessions and outbox readers for the unit tests of the building blocks.

use chio_packets::wire::{Decoded, PacketDecoder};
use chio_packets::{Context, FromServer, ServerPacket};

use crate::outbox::Outbox;
use crate::registry::{Session, SessionHandle};
use crate::session::SessionIds;

/// Makes sessions with distinct ids.
#[derive(Debug, Default)]
pub(crate) struct Kit {
    ids: SessionIds,
}

impl Kit {
    pub(crate) fn new() -> Self {
        Self::default()
    }

    /// A regular TCP-less session of `build` with a default outbox.
    pub(crate) fn session(&self, user_id: i32, name: &str, build: u32) -> SessionHandle {
        self.session_in(user_id, name, Context::new(build))
    }

    /// A session speaking `ctx`.
    pub(crate) fn session_in(&self, user_id: i32, name: &str, ctx: Context) -> SessionHandle {
        SessionHandle::new(Session {
            id: self.ids.next(),
            user_id,
            name: name.to_owned(),
            token: None,
            ctx,
            outbox: Outbox::default(),
            tournament: false,
        })
    }
}

/// Drains the session's outbox and decodes it for the session's build. Panics on bytes
/// that do not decode, which is a bug in what was queued.
pub(crate) fn received(session: &SessionHandle) -> Vec<ServerPacket<'static>> {
    let bytes = session.outbox().drain_up_to(usize::MAX).concat();
    let mut decoder = PacketDecoder::<FromServer>::new(session.ctx());
    let mut packets = Vec::new();
    for frame in decoder.frames(&bytes) {
        let frame = frame.expect("queued frames are whole");
        match decoder.decode(&frame).expect("queued packets decode") {
            Decoded::Packet(packet) => packets.push(packet.into_owned()),
            Decoded::Raw(raw) => {
                panic!("queued a packet build {} has no definition for: {raw:?}", session.ctx().build())
            }
        }
    }
    packets
}

/// The names of the packets queued for the session (draining its outbox).
pub(crate) fn names(session: &SessionHandle) -> Vec<&'static str> {
    received(session).iter().map(ServerPacket::name).collect()
}
