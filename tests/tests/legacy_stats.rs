//! `BanchoUserStats` before b1788 and `BanchoUserQuit` before b20121224, against bytes
//! recorded from the reference (chio 1.1.21).
//!
//! Every payload was recorded with `write_packet_to_bytes` (header stripped, gunzipped
//! before b334) for user 1000 "peppy": ranked score 0x1122334455, accuracy 0.9875, 321
//! plays, total score 123,456,789 (below the b365–b658 caps), rank 42 (70,000 from b695),
//! UTC+2, "Germany / Berlin", Regular|Supporter, (1.5, -2.0), playing "Ni" ("ab") with
//! HD+DT in taiko, map 0x01020304. Quits are for state `Gone`. The protocol-4 payload of
//! b1183 was recorded with the class's `protocol_version` set to 4 (the reference's
//! `set_protocol_version` has no effect on its writers).

use chio_packets::presence::{
    BanchoUserQuit, BanchoUserQuitB282, BanchoUserQuitB323, BanchoUserQuitB338, BanchoUserQuitB1788,
};
use chio_packets::presence::{
    BanchoUserStats, BanchoUserStatsB282, BanchoUserStatsB323, BanchoUserStatsB338, Completeness, UserStats,
    UserStatsB282, UserStatsB323, UserStatsB338, UserStatus,
};
use chio_packets::types::{Mode, Mods, Status};
use chio_packets::{Context, Decode, DecodeErrorKind, Direction, Encode, EncodeErrorKind, Packet};
use chio_tests::{check_reference, unhex};
use proptest::prelude::*;

// ---------------------------------------------------------------------------------------
// Recorded payloads.

/// b282–b322 (wire id 12): everything.
const B282: &str = "e80300000b05706570707955443322110000009a9999999999ef3f4101000015cd5b07000000002a0000000b0c313030305f3030302e706e67020b024e690b02616248001a0b104765726d616e79202f204265726c696e";
/// b323, `update_stats` set: full, and the action byte 10 (the stats-update marker).
const B323_FULL: &str = "e8030000010b0570657070795544332211000000cdcc7c3f4101000015cd5b07000000002a0000000b0c313030305f3030302e706e671a0b104765726d616e79202f204265726c696e0a0b024e690b0261624800";
/// b323, `update_stats` clear: the status only.
const B323_STATUS: &str = "e803000000020b024e690b0261624800";
/// b338–b488 stats writer: completeness 1, `u16` rank.
const B338_STATS: &str =
    "e80300000102010b024e690b02616248005544332211000000cdcc7c3f4101000015cd5b07000000002a00";
/// b338–b451 presence writer: completeness 2.
const B338_FULL: &str = "e80300000202010b024e690b02616248005544332211000000cdcc7c3f4101000015cd5b07000000002a000b0570657070790b0c313030305f3030302e706e671a0b104765726d616e79202f204265726c696e";
/// b452 presence writer: permissions at the end.
const B452_FULL: &str = "e80300000202010b024e690b02616248005544332211000000cdcc7c3f4101000015cd5b07000000002a000b0570657070790b0c313030305f3030302e706e671a0b104765726d616e79202f204265726c696e05";
/// b489 stats writer: the mode inside the status block.
const B489_STATS: &str =
    "e80300000102010b024e690b0261624800015544332211000000cdcc7c3f4101000015cd5b07000000002a00";
/// b695 stats writer: rank 70,000 as `u32`.
const B695_STATS: &str =
    "e80300000102010b024e690b026162480001040302015544332211000000cdcc7c3f4101000015cd5b070000000070110100";
/// b695 presence writer.
const B695_FULL: &str = "e80300000202010b024e690b026162480001040302015544332211000000cdcc7c3f4101000015cd5b0700000000701101000b0570657070790b0c313030305f3030302e706e671a0b104765726d616e79202f204265726c696e05";
/// b1183 presence writer at protocol 5: coordinates at the end.
const B1183_FULL_P5: &str = "e80300000202010b024e690b026162480001040302015544332211000000cdcc7c3f4101000015cd5b0700000000701101000b0570657070790b0c313030305f3030302e706e671a0b104765726d616e79202f204265726c696e050000c03f000000c0";
/// b1183 presence writer at protocol 4: no coordinates.
const B1183_FULL_P4: &str = B695_FULL;
/// b1787 (the b1600 writer) stats, in the lobby.
const B1787_STATS_LOBBY: &str =
    "e8030000010b010b024e690b026162480001040302015544332211000000cdcc7c3f4101000015cd5b070000000070110100";

/// `BanchoUserQuit` in b300 (wire id 13): the b282 stats payload.
const QUIT_B300: &str = B282;
/// `BanchoUserQuit` in b500 (wire id 13): the b490 stats writer's payload.
const QUIT_B500: &str =
    "e80300000102010b024e690b026162480001040302015544332211000000cdcc7c3f4101000015cd5b07000000002a00";
/// `BanchoUserQuit` in b1800 (wire id 12): the b1788 stats payload.
const QUIT_B1800: &str =
    "e8030000020b024e690b026162480001040302015544332211000000cdcc7c3f4101000015cd5b07000000002a000000";
/// `BanchoUserQuit` in b20121223: `u32` mods (protocol 12) and 1234 pp as `i16`.
const QUIT_B20121223: &str = "e8030000020b024e690b0261624800000001040302015544332211000000cdcc7c3f4101000015cd5b07000000002a000000d204";

// ---------------------------------------------------------------------------------------
// The recorded user, as each layout holds it.

/// The status as the layout of `build` (default protocol) carries it: the fields it does
/// not send hold their defaults.
fn status(build: u32) -> UserStatus<'static> {
    UserStatus {
        action: Status::Playing,
        beatmap_update: true,
        text: "Ni".into(),
        beatmap_checksum: "ab".into(),
        mods: Mods::HIDDEN | Mods::DOUBLE_TIME,
        mode: if build >= 489 { Mode::Taiko } else { Mode::Osu },
        beatmap_id: if build >= 490 { 0x0102_0304 } else { 0 },
    }
}

fn b282() -> UserStatsB282<'static> {
    UserStatsB282 {
        user_id: 1000,
        name: "peppy".into(),
        ranked_score: 0x11_2233_4455,
        accuracy: 0.9875,
        play_count: 321,
        total_score: 123_456_789,
        rank: 42,
        avatar_filename: "1000_000.png".into(),
        status: status(282),
        timezone: 26,
        country_name: "Germany / Berlin".into(),
    }
}

fn b323_full() -> UserStatsB323<'static> {
    UserStatsB323 {
        user_id: 1000,
        full: true,
        name: "peppy".into(),
        ranked_score: 0x11_2233_4455,
        accuracy: 0.9875,
        play_count: 321,
        total_score: 123_456_789,
        rank: 42,
        avatar_filename: "1000_000.png".into(),
        timezone: 26,
        country_name: "Germany / Berlin".into(),
        // The byte the reference sends for a stats update, held as sent.
        status: UserStatus { action: Status::Paused, ..status(323) },
    }
}

fn b323_status_only() -> UserStatsB323<'static> {
    UserStatsB323 {
        user_id: 1000,
        full: false,
        name: "".into(),
        ranked_score: 0,
        accuracy: 0.0,
        play_count: 0,
        total_score: 0,
        rank: 0,
        avatar_filename: "".into(),
        timezone: 0,
        country_name: "".into(),
        status: status(323),
    }
}

/// The b338–b1787 payload with the given completeness, as `build` carries it.
fn b338(build: u32, completeness: Completeness, rank: u32) -> UserStatsB338<'static> {
    let stats = completeness != Completeness::StatusOnly;
    let full = completeness == Completeness::Full;
    let pick = |on: bool, value: &'static str| if on { value.into() } else { "".into() };
    UserStatsB338 {
        user_id: 1000,
        completeness,
        status: status(build),
        ranked_score: if stats { 0x11_2233_4455 } else { 0 },
        accuracy: if stats { 0.9875 } else { 0.0 },
        play_count: if stats { 321 } else { 0 },
        total_score: if stats { 123_456_789 } else { 0 },
        rank: if stats { rank } else { 0 },
        name: pick(full, "peppy"),
        avatar_filename: pick(full, "1000_000.png"),
        timezone: if full { 26 } else { 0 },
        country_name: pick(full, "Germany / Berlin"),
        permissions: if full && build >= 452 { 5 } else { 0 },
        longitude: if full && build >= 1183 { 1.5 } else { 0.0 },
        latitude: if full && build >= 1183 { -2.0 } else { 0.0 },
    }
}

fn b1788(build: u32, pp: u16) -> UserStats<'static> {
    UserStats {
        user_id: 1000,
        status: status(build),
        ranked_score: 0x11_2233_4455,
        accuracy: 0.9875,
        play_count: 321,
        total_score: 123_456_789,
        rank: 42,
        pp,
    }
}

// ---------------------------------------------------------------------------------------
// Identity and windows.

#[test]
fn packet_identities_and_windows() {
    fn check<T: Packet>(id: u16, name: &str, since: u32, until: u32) {
        assert_eq!(T::ID, id, "{name}");
        assert_eq!(T::NAME, name);
        assert_eq!(T::DIRECTION, Direction::ServerToClient, "{name}");
        assert!(T::exists_in(Context::new(since)), "{name} in b{since}");
        assert!(T::exists_in(Context::new(until - 1)), "{name} in b{}", until - 1);
        assert!(!T::exists_in(Context::new(until)), "{name} in b{until}");
        if since > 282 {
            assert!(!T::exists_in(Context::new(since - 1)), "{name} in b{}", since - 1);
        }
    }
    check::<BanchoUserStatsB282>(11, "BanchoUserStats", 282, 323);
    check::<BanchoUserStatsB323>(11, "BanchoUserStats", 323, 338);
    check::<BanchoUserStatsB338>(11, "BanchoUserStats", 338, 1788);
    check::<BanchoUserQuitB282>(12, "BanchoUserQuit", 282, 323);
    check::<BanchoUserQuitB323>(12, "BanchoUserQuit", 323, 338);
    check::<BanchoUserQuitB338>(12, "BanchoUserQuit", 338, 1788);
    check::<BanchoUserQuitB1788>(12, "BanchoUserQuit", 1788, 20121224);
    assert!(BanchoUserStats::exists_in(Context::new(1788)));
    assert!(!BanchoUserStats::exists_in(Context::new(1787)));
    assert!(BanchoUserQuit::exists_in(Context::new(20121224)));

    // Exactly one type of each packet in every build at and around a boundary.
    for build in [282, 322, 323, 337, 338, 694, 695, 1787, 1788, 20121223, 20121224, 20250306] {
        let ctx = Context::new(build);
        let stats = [
            BanchoUserStatsB282::exists_in(ctx),
            BanchoUserStatsB323::exists_in(ctx),
            BanchoUserStatsB338::exists_in(ctx),
            BanchoUserStats::exists_in(ctx),
        ];
        let quits = [
            BanchoUserQuitB282::exists_in(ctx),
            BanchoUserQuitB323::exists_in(ctx),
            BanchoUserQuitB338::exists_in(ctx),
            BanchoUserQuitB1788::exists_in(ctx),
            BanchoUserQuit::exists_in(ctx),
        ];
        assert_eq!(stats.iter().filter(|&&e| e).count(), 1, "stats in b{build}");
        assert_eq!(quits.iter().filter(|&&e| e).count(), 1, "quit in b{build}");
    }
}

#[test]
fn completeness_values() {
    assert_eq!(u8::from(Completeness::StatusOnly), 0);
    assert_eq!(u8::from(Completeness::Statistics), 1);
    assert_eq!(u8::from(Completeness::Full), 2);
    assert_eq!(Completeness::try_from(2u8).unwrap(), Completeness::Full);
    assert!(Completeness::try_from(3u8).is_err());
}

// ---------------------------------------------------------------------------------------
// Against the reference.

#[test]
fn b282_stats_match_the_reference() {
    let ctx = Context::new(282);
    check_reference(&BanchoUserStatsB282(b282()), ctx, Some(12), &unhex(B282));
    check_reference(&BanchoUserStatsB282(b282()), Context::new(322), Some(12), &unhex(B282));
}

#[test]
fn b323_stats_match_the_reference() {
    let ctx = Context::new(323);
    check_reference(&BanchoUserStatsB323(b323_full()), ctx, Some(12), &unhex(B323_FULL));
    check_reference(&BanchoUserStatsB323(b323_status_only()), ctx, Some(12), &unhex(B323_STATUS));
}

#[test]
fn b338_stats_match_the_reference() {
    use Completeness::{Full, Statistics};
    let cases: &[(u32, u8, UserStatsB338<'static>, &str)] = &[
        (338, 0, b338(338, Statistics, 42), B338_STATS),
        (338, 0, b338(338, Full, 42), B338_FULL),
        // b365–b658 cap the total score in the layer above; 123,456,789 is below the caps.
        (400, 0, b338(400, Statistics, 42), B338_STATS),
        (400, 0, b338(400, Full, 42), B338_FULL),
        (452, 0, b338(452, Statistics, 42), B338_STATS),
        (452, 0, b338(452, Full, 42), B452_FULL),
        (489, 1, b338(489, Statistics, 42), B489_STATS),
        (695, 4, b338(695, Statistics, 70_000), B695_STATS),
        (695, 4, b338(695, Full, 70_000), B695_FULL),
        (1183, 5, b338(1183, Full, 70_000), B1183_FULL_P5),
    ];
    for (build, protocol, value, hex) in cases {
        let ctx = Context::new(*build);
        assert_eq!(ctx.protocol(), *protocol, "default protocol of b{build}");
        check_reference(&BanchoUserStatsB338(value.clone()), ctx, Some(12), &unhex(hex));
    }

    // Protocol 4 in b1183: no coordinates.
    let p4 = UserStatsB338 { longitude: 0.0, latitude: 0.0, ..b338(1183, Full, 70_000) };
    let ctx = Context::new(1183).with_protocol(4);
    check_reference(&BanchoUserStatsB338(p4), ctx, Some(12), &unhex(B1183_FULL_P4));

    // The last build of the layout; the lobby action goes out as it is from b338.
    let lobby = UserStatsB338 {
        status: UserStatus { action: Status::Lobby, ..status(1787) },
        ..b338(1787, Statistics, 70_000)
    };
    check_reference(&BanchoUserStatsB338(lobby), Context::new(1787), Some(12), &unhex(B1787_STATS_LOBBY));
}

#[test]
fn user_quit_before_b20121224_matches_the_reference() {
    check_reference(&BanchoUserQuitB282(b282()), Context::new(300), Some(13), &unhex(QUIT_B300));
    // The status-only packet is what the b323 stats writer sends without a stats update.
    check_reference(
        &BanchoUserQuitB323(b323_status_only()),
        Context::new(323),
        Some(13),
        &unhex(B323_STATUS),
    );
    let b500 = b338(500, Completeness::Statistics, 42);
    check_reference(&BanchoUserQuitB338(b500), Context::new(500), Some(13), &unhex(QUIT_B500));
    check_reference(&BanchoUserQuitB1788(b1788(1800, 0)), Context::new(1800), Some(12), &unhex(QUIT_B1800));
    let late = b1788(20121223, 1234);
    check_reference(&BanchoUserQuitB1788(late), Context::new(20121223), Some(12), &unhex(QUIT_B20121223));
    // The b1788+ stats packet carries the same payload.
    check_reference(&BanchoUserStats(b1788(1800, 0)), Context::new(1800), Some(11), &unhex(QUIT_B1800));
}

#[test]
fn status_only_completeness_carries_the_status_alone() {
    // The reference never writes completeness 0; the client reads it as "status only".
    let ctx = Context::new(695);
    let value = b338(695, Completeness::StatusOnly, 0);
    let bytes = BanchoUserStatsB338(value.clone()).encode_payload(ctx).unwrap();
    let mut expected = unhex("e803000000");
    expected.extend(status(695).encode_payload(ctx).unwrap());
    assert_eq!(bytes, expected);
    let decoded = BanchoUserStatsB338::decode_payload(&bytes, ctx).unwrap();
    assert_eq!(decoded, BanchoUserStatsB338(value));
}

// ---------------------------------------------------------------------------------------
// Errors.

#[test]
fn truncated_payloads_report_the_field() {
    /// The path of the error decoding the first `len` bytes.
    fn path_of<'a, T: Decode<'a> + std::fmt::Debug>(bytes: &'a [u8], len: usize, ctx: Context) -> String {
        let err = T::decode_payload(&bytes[..len], ctx).unwrap_err();
        assert!(matches!(err.kind(), DecodeErrorKind::UnexpectedEnd { .. }), "{err}");
        err.path().to_string()
    }
    // id 0..4, name 4..11, ranked score 11..19, accuracy 19..27, ..., country 69..87.
    let b282 = unhex(B282);
    assert_eq!(b282.len(), 87);
    assert_eq!(path_of::<BanchoUserStatsB282>(&b282, 86, Context::new(282)), "BanchoUserStats.country_name");
    assert_eq!(path_of::<BanchoUserStatsB282>(&b282, 23, Context::new(282)), "BanchoUserStats.accuracy");
    assert_eq!(path_of::<BanchoUserQuitB282>(&b282, 86, Context::new(300)), "BanchoUserQuit.country_name");

    // id, full, name 5..12, ..., status 73..84 with its mods last.
    let full = unhex(B323_FULL);
    assert_eq!(full.len(), 84);
    assert_eq!(path_of::<BanchoUserStatsB323>(&full, 83, Context::new(323)), "BanchoUserStats.status.mods");
    assert_eq!(path_of::<BanchoUserStatsB323>(&full, 8, Context::new(323)), "BanchoUserStats.name");

    // id, completeness, status 5..17 (text 7..11), statistics 17..41, rank 41..43.
    let stats = unhex(B338_STATS);
    assert_eq!(stats.len(), 43);
    assert_eq!(path_of::<BanchoUserStatsB338>(&stats, 42, Context::new(338)), "BanchoUserStats.rank");
    assert_eq!(path_of::<BanchoUserStatsB338>(&stats, 9, Context::new(338)), "BanchoUserStats.status.text");
    // ..., permissions, longitude, latitude.
    let p5 = unhex(B1183_FULL_P5);
    let at = p5.len();
    assert_eq!(path_of::<BanchoUserStatsB338>(&p5, at - 1, Context::new(1183)), "BanchoUserStats.latitude");
    assert_eq!(path_of::<BanchoUserQuitB338>(&p5, at - 9, Context::new(1183)), "BanchoUserQuit.permissions");

    let err = BanchoUserStatsB338::decode_payload(&stats[..5], Context::new(338)).unwrap_err();
    assert_eq!(
        err.to_string(),
        "BanchoUserStats.status.action at byte 5: unexpected end of input: needed 1 bytes, 0 left"
    );
}

#[test]
fn unknown_completeness_is_an_error() {
    let mut bytes = unhex(B338_STATS);
    bytes[4] = 3;
    let err = BanchoUserStatsB338::decode_payload(&bytes, Context::new(338)).unwrap_err();
    assert_eq!(err.kind(), &DecodeErrorKind::InvalidEnum { ty: "Completeness", value: 3 });
    assert_eq!(err.path().to_string(), "BanchoUserStats.completeness");
}

#[test]
fn a_rank_too_large_for_u16_is_refused_not_clamped() {
    let value = BanchoUserStatsB338(b338(694, Completeness::Statistics, 70_000));
    let err = value.encode_payload(Context::new(694)).unwrap_err();
    assert_eq!(err.kind(), &EncodeErrorKind::OutOfRange { value: 70_000, wire: "u16" });
    assert_eq!(err.path().to_string(), "BanchoUserStats.rank");
    assert!(value.encode_payload(Context::new(695)).is_ok());
    // The wire structs never cap the total score either.
    let big = UserStatsB338 { total_score: u64::MAX, ..b338(400, Completeness::Statistics, 42) };
    let bytes = big.encode_payload(Context::new(400)).unwrap();
    assert_eq!(UserStatsB338::decode_payload(&bytes, Context::new(400)).unwrap().total_score, u64::MAX);
}

// ---------------------------------------------------------------------------------------
// Round trips of random values.

/// A random status; `normalize` brings it to what the layout of a build carries.
fn any_status() -> impl Strategy<Value = UserStatus<'static>> {
    (0u8..=13, any::<bool>(), ".{0,12}", "[0-9a-f]{0,32}", any::<u16>(), 0u8..=3, any::<i32>()).prop_map(
        |(action, beatmap_update, text, checksum, mods, mode, beatmap_id)| UserStatus {
            action: Status::try_from(action).unwrap(),
            beatmap_update,
            text: text.into(),
            beatmap_checksum: checksum.into(),
            mods: Mods::from_bits_retain(u32::from(mods)),
            mode: Mode::try_from(mode).unwrap(),
            beatmap_id,
        },
    )
}

/// The status as decoded in `ctx` (b282–b1787 only).
fn normalize(mut s: UserStatus<'static>, ctx: Context) -> UserStatus<'static> {
    let build = ctx.build();
    let block = if build < 338 {
        s.beatmap_update = true;
        s.action != Status::Unknown
    } else {
        s.beatmap_update
    };
    if !block {
        s.text = "".into();
        s.beatmap_checksum = "".into();
        s.mods = Mods::empty();
    }
    if !block || build < 489 || (build == 489 && ctx.protocol() < 1) {
        s.mode = Mode::Osu;
    }
    if !block || build < 490 {
        s.beatmap_id = 0;
    }
    s
}

fn context(builds: std::ops::Range<u32>) -> impl Strategy<Value = Context> {
    (builds, prop::option::of(0u8..=8)).prop_map(|(build, protocol)| match protocol {
        Some(p) => Context::new(build).with_protocol(p),
        None => Context::new(build),
    })
}

/// Asserts the round trip of packet `$ty`: exact length, decodes to `$expected`,
/// re-encodes to the same bytes.
macro_rules! round_trip {
    ($ty:ident, $sent:expr, $expected:expr, $ctx:expr) => {{
        let (sent, expected, ctx) = ($ty($sent), $ty($expected), $ctx);
        prop_assert!($ty::exists_in(ctx));
        let bytes = sent.encode_payload(ctx).unwrap();
        prop_assert_eq!(bytes.len(), sent.encoded_len(ctx));
        let decoded = $ty::decode_payload(&bytes, ctx).unwrap();
        prop_assert_eq!(&decoded.encode_payload(ctx).unwrap(), &bytes);
        prop_assert_eq!(decoded, expected);
    }};
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    #[test]
    fn b282_round_trips(
        ctx in context(282..323),
        status in any_status(),
        (user_id, ranked_score, accuracy, play_count, total_score, rank, timezone) in
            (any::<u32>(), any::<u64>(), -1e9f64..1e9, any::<u32>(), any::<u64>(), any::<u32>(), any::<u8>()),
        (name, avatar_filename, country_name) in (".{0,12}", ".{0,12}", ".{0,20}"),
    ) {
        let value = |status| UserStatsB282 {
            user_id, name: name.clone().into(), ranked_score, accuracy, play_count, total_score, rank,
            avatar_filename: avatar_filename.clone().into(), status, timezone, country_name: country_name.clone().into(),
        };
        let (sent, expected) = (value(status.clone()), value(normalize(status, ctx)));
        round_trip!(BanchoUserStatsB282, sent, expected, ctx);
    }

    #[test]
    fn b323_round_trips(
        ctx in context(323..338),
        full in any::<bool>(),
        status in any_status(),
        (user_id, ranked_score, accuracy, play_count, total_score, rank, timezone) in
            (any::<u32>(), any::<u64>(), -1e9f32..1e9, any::<u32>(), any::<u64>(), any::<u32>(), any::<u8>()),
        (name, avatar_filename, country_name) in (".{0,12}", ".{0,12}", ".{0,20}"),
    ) {
        let sent = UserStatsB323 {
            user_id, full, name: name.into(), ranked_score, accuracy, play_count, total_score, rank,
            avatar_filename: avatar_filename.into(), timezone, country_name: country_name.into(),
            status: status.clone(),
        };
        let expected = if full {
            UserStatsB323 { status: normalize(status, ctx), ..sent.clone() }
        } else {
            UserStatsB323 { status: normalize(status, ctx), ..b323_status_only() }
        };
        let expected = UserStatsB323 { user_id, ..expected };
        round_trip!(BanchoUserQuitB323, sent, expected, ctx);
    }

    #[test]
    fn b338_round_trips(
        ctx in context(338..1788),
        completeness in prop::sample::select(vec![Completeness::StatusOnly, Completeness::Statistics, Completeness::Full]),
        status in any_status(),
        (user_id, ranked_score, accuracy, play_count, total_score, rank) in
            (any::<u32>(), any::<u64>(), -1e9f32..1e9, any::<u32>(), any::<u64>(), any::<u32>()),
        (name, avatar_filename, country_name) in (".{0,12}", ".{0,12}", ".{0,20}"),
        (timezone, permissions, longitude, latitude) in (any::<u8>(), any::<u8>(), -180f32..180.0, -90f32..90.0),
    ) {
        let rank = if ctx.build() < 695 { rank & 0xffff } else { rank };
        let sent = UserStatsB338 {
            user_id, completeness, status: status.clone(), ranked_score, accuracy, play_count, total_score, rank,
            name: name.into(), avatar_filename: avatar_filename.into(), timezone, country_name: country_name.into(),
            permissions, longitude, latitude,
        };
        let stats = completeness != Completeness::StatusOnly;
        let full = completeness == Completeness::Full;
        let coordinates = full && ctx.build() >= 1183 && ctx.protocol() >= 5;
        let expected = UserStatsB338 {
            status: normalize(status, ctx),
            ranked_score: if stats { ranked_score } else { 0 },
            accuracy: if stats { accuracy } else { 0.0 },
            play_count: if stats { play_count } else { 0 },
            total_score: if stats { total_score } else { 0 },
            rank: if stats { rank } else { 0 },
            name: if full { sent.name.clone() } else { "".into() },
            avatar_filename: if full { sent.avatar_filename.clone() } else { "".into() },
            timezone: if full { timezone } else { 0 },
            country_name: if full { sent.country_name.clone() } else { "".into() },
            permissions: if full && ctx.build() >= 452 { permissions } else { 0 },
            longitude: if coordinates { longitude } else { 0.0 },
            latitude: if coordinates { latitude } else { 0.0 },
            ..sent.clone()
        };
        round_trip!(BanchoUserStatsB338, sent.clone(), expected.clone(), ctx);
        round_trip!(BanchoUserQuitB338, sent, expected, ctx);
    }

    #[test]
    fn legacy_decoders_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..96), build in 0u32..1788) {
        let ctx = Context::new(build);
        let _ = BanchoUserStatsB282::decode_payload(&bytes, ctx);
        let _ = BanchoUserStatsB323::decode_payload(&bytes, ctx);
        let _ = BanchoUserStatsB338::decode_payload(&bytes, ctx);
        let _ = BanchoUserQuitB1788::decode_payload(&bytes, ctx);
    }
}
