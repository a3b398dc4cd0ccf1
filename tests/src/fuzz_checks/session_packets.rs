//! The `session_packets` target, structure-aware: a logged-in session of one of four
//! builds sends a poll of client packets of any type its build has, with field values from
//! the seeded generator of the differential tests ([`WireGen`]), mixed with raw frames of
//! any id and payload. Through a whole chio-server `Server` as in `poll_body`: no panic,
//! 200, and a fresh login works.

use arbitrary::{Arbitrary, Unstructured};
use chio_packets::catalog;
use chio_packets::wire::PacketEncoder;
use chio_packets::{Context, Direction, FromClient};

use super::server::{HTTP_BUILDS, PollServer};
use crate::wire_gen::WireGen;

/// Checks one input against `server`; panics if it breaks what the target asserts.
pub fn check(server: &PollServer, data: &[u8]) {
    let mut u = Unstructured::new(data);
    let Ok(index) = u.choose_index(HTTP_BUILDS.len()) else { return };
    let ctx = Context::new(HTTP_BUILDS[index]);
    let types: Vec<_> =
        catalog::of_direction(Direction::ClientToServer).iter().filter(|info| info.exists_in(ctx)).collect();
    let mut encoder = PacketEncoder::<FromClient>::new(ctx);
    let mut body = Vec::new();
    for _ in 0..u.int_in_range(0..=24u8).unwrap_or(0) {
        if u.ratio(1, 8).unwrap_or(false) {
            // A raw frame: any id, any payload, 7-byte header.
            let id = u16::arbitrary(&mut u).unwrap_or(0);
            let payload = <&[u8]>::arbitrary(&mut u).unwrap_or(&[]);
            body.extend_from_slice(&id.to_le_bytes());
            body.push(0);
            body.extend_from_slice(&(payload.len() as u32).to_le_bytes());
            body.extend_from_slice(payload);
        } else {
            let Ok(info) = u.choose(&types) else { break };
            let seed = u64::arbitrary(&mut u).unwrap_or(0);
            let packet = WireGen::new(seed, ctx, info.type_name).packet(info);
            let _ = encoder.write(&packet, &mut body);
        }
    }
    server.poll(index, body);
}
