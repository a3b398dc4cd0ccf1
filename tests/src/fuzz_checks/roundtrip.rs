//! The `roundtrip` target, structure-aware: a packet of a random type for a random build,
//! written with `PacketEncoder` and read back with `PacketDecoder`, must read as a packet
//! that writes the same bytes again; a value the build cannot hold is an encode error,
//! never a panic.
//!
//! Client packets: every type of the build, values from the differential tests' seeded
//! generator ([`WireGen`]). Server packets: messages, stats (with status), from arbitrary
//! field values.

use std::borrow::Cow;

use arbitrary::{Arbitrary, Result, Unstructured};
use chio_packets::build::{NEWEST_BUILD, OLDEST_BUILD};
use chio_packets::chat::{BanchoMessage, Message};
use chio_packets::presence::{BanchoUserStats, UserStats, UserStatus};
use chio_packets::types::{Mode, Mods, Status};
use chio_packets::wire::{PacketDecoder, PacketEncoder};
use chio_packets::{Context, Direction, FromClient, FromServer, PacketSet, ServerPacket, catalog};

use crate::wire_gen::WireGen;

/// Builds at the eras' edges, or any build.
fn build(u: &mut Unstructured<'_>) -> Result<u32> {
    const EDGES: [u32; 14] = [
        282, 294, 320, 338, 489, 1787, 1788, 20120722, 20120723, 20120818, 20121224, 20121225, 20250305,
        20250306,
    ];
    if u.arbitrary()? { Ok(*u.choose(&EDGES)?) } else { u.int_in_range(OLDEST_BUILD..=NEWEST_BUILD) }
}

fn text<'a>(u: &mut Unstructured<'a>) -> Result<Cow<'a, str>> {
    Ok(Cow::Borrowed(<&str>::arbitrary(u)?))
}

fn status<'a>(u: &mut Unstructured<'a>) -> Result<UserStatus<'a>> {
    Ok(UserStatus {
        action: Status::try_from(u.int_in_range(0u8..=13)?).unwrap_or(Status::Idle),
        beatmap_update: u.arbitrary()?,
        text: text(u)?,
        beatmap_checksum: text(u)?,
        mods: Mods::from_bits_retain(u.arbitrary()?),
        mode: Mode::try_from(u.int_in_range(0u8..=3)?).unwrap_or(Mode::Osu),
        beatmap_id: u.arbitrary()?,
    })
}

fn server_packet<'a>(u: &mut Unstructured<'a>) -> Result<ServerPacket<'a>> {
    Ok(if u.arbitrary()? {
        ServerPacket::from(BanchoMessage(Message {
            sender: text(u)?,
            content: text(u)?,
            is_dm: u.arbitrary()?,
            target: text(u)?,
            sender_id: u.arbitrary()?,
        }))
    } else {
        ServerPacket::from(BanchoUserStats(UserStats {
            user_id: u.arbitrary()?,
            status: status(u)?,
            ranked_score: u.arbitrary()?,
            accuracy: u.arbitrary()?,
            play_count: u.arbitrary()?,
            total_score: u.arbitrary()?,
            rank: u.arbitrary()?,
            pp: u.arbitrary()?,
        }))
    })
}

/// `packet` written for `ctx` reads back as a packet that writes the same bytes.
fn round_trip<S: PacketSet>(packet: &S::Packet<'_>, ctx: Context) {
    let mut wire = Vec::new();
    if PacketEncoder::<S>::new(ctx).write(packet, &mut wire).is_err() {
        return;
    }
    let mut decoder = PacketDecoder::<S>::new(ctx);
    let frame = decoder.frames(&wire).next().expect("one frame").expect("a frame that reads");
    let decoded = decoder.decode(&frame).unwrap_or_else(|e| panic!("written bytes decode: {e} ({packet:?})"));
    let again = decoded.packet().expect("a known packet");
    let mut rewritten = Vec::new();
    PacketEncoder::<S>::new(ctx).write(again, &mut rewritten).expect("a decoded packet writes");
    assert_eq!(rewritten, wire, "{packet:?} → {again:?}");
}

/// Checks one input; panics if it breaks what the target asserts.
pub fn check(data: &[u8]) {
    let mut u = Unstructured::new(data);
    let Ok(build) = build(&mut u) else { return };
    let ctx = Context::new(build);
    if u.arbitrary().unwrap_or(false) {
        let Ok(packet) = server_packet(&mut u) else { return };
        round_trip::<FromServer>(&packet, ctx);
    } else {
        let types: Vec<_> = catalog::of_direction(Direction::ClientToServer)
            .iter()
            .filter(|info| info.exists_in(ctx))
            .collect();
        let (Ok(info), Ok(seed)) = (u.choose(&types), u64::arbitrary(&mut u)) else { return };
        let packet = WireGen::new(seed, ctx, info.type_name).packet(info);
        round_trip::<FromClient>(&packet, ctx);
    }
}
