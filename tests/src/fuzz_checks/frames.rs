//! The `frames` target: arbitrary bytes as a stream of either direction: frames, then
//! typed packets, in every framing era and any chunking. Nothing may panic; whatever
//! decodes round-trips.
//!
//! The first byte picks the direction (bit 0), the era (bits 1–2) and the piece size
//! (bits 3–7); the rest is the stream.

use chio_packets::{Context, FromClient, FromServer};

use super::stream::{BUILDS, read_stream};

/// Checks one input; panics if it breaks what the target asserts.
pub fn check(data: &[u8]) {
    let Some((&selector, stream)) = data.split_first() else { return };
    let ctx = Context::new(BUILDS[usize::from((selector >> 1) & 3)]);
    let chunk = 1 + usize::from(selector >> 3);
    if selector & 1 == 0 {
        read_stream::<FromServer>(stream, ctx, chunk);
    } else {
        read_stream::<FromClient>(stream, ctx, chunk);
    }
}
