//! Spectating packets against the reference.
//!
//! Every hex payload below was recorded from chio 1.1.21: the server writer's payload
//! (gunzipped before b334, header stripped). The same payloads were fed to the reference's
//! client readers, framed for each build, and decoded to the values used here (except for
//! `extra`, which the reference reads back as `u32`). Each case encodes the value for the
//! build, compares the bytes and `encoded_len`, and decodes back to the value.

use chio_packets::spectating::{
    BanchoFellowSpectatorJoined, BanchoFellowSpectatorLeft, BanchoMatchScoreUpdate, BanchoSpectateFrames,
    BanchoSpectatorCantSpectate, BanchoSpectatorJoined, BanchoSpectatorLeft, ButtonState, OsuCantSpectate,
    OsuMatchScoreUpdate, OsuSpectateFrames, OsuStartSpectating, OsuStopSpectating, ReplayAction, ReplayFrame,
    ReplayFrameBundle, ScoreFrame,
};
use chio_packets::{Context, Decode, DecodeErrorKind, Direction, Encode, Packet};

/// The checksum the reference computes for [`score`]'s counts.
const CHECKSUM: &str = "4f5815dcf2f141efa214179bee60b807";

/// [`chio_tests::check_reference`] with the payload given as hex.
macro_rules! check {
    ($value:expr, $build:expr, $hex:expr) => {
        chio_tests::check_reference($value, Context::new($build), None, &chio_tests::unhex($hex))
    };
}

/// The score frame the recordings carry, with the fields `build` does not send at their
/// defaults; `v2` adds the ScoreV2 portions.
fn score(build: u32, v2: bool) -> ScoreFrame<'static> {
    let mut frame = ScoreFrame {
        id: 3,
        total_300: 100,
        total_100: 20,
        total_50: 5,
        total_geki: 30,
        total_katu: 10,
        total_miss: 2,
        total_score: 1_234_567,
        max_combo: 150,
        current_combo: 42,
        perfect: false,
        hp: 200,
        ..ScoreFrame::default()
    };
    if (294..334).contains(&build) {
        frame.checksum = CHECKSUM.into();
    }
    if build >= 296 {
        frame.time = 12345;
    }
    if build >= 535 {
        frame.tag_byte = 1;
    }
    if v2 {
        frame.using_scorev2 = true;
        frame.combo_portion = 0.5;
        frame.bonus_portion = 0.25;
    }
    frame
}

/// Two replay frames: the first holds LEFT1 | RIGHT2 | SMOKE, which b282–b373 send as
/// "left and right held".
fn frames(build: u32) -> Vec<ReplayFrame> {
    let held = if build < 374 {
        ReplayFrame { left: true, right: true, ..ReplayFrame::default() }
    } else {
        ReplayFrame {
            button_state: ButtonState::LEFT1 | ButtonState::RIGHT2 | ButtonState::SMOKE,
            ..ReplayFrame::default()
        }
    };
    vec![
        ReplayFrame { x: 256.5, y: 192.25, time: 1000, ..held },
        ReplayFrame { x: -10.0, y: 400.0, time: 1016, ..ReplayFrame::default() },
    ]
}

/// Checks a packet's reference name, canonical id, direction and first build.
fn identity<T: Packet>(name: &str, id: u16, direction: Direction, first: u32) {
    assert_eq!((T::NAME, T::ID, T::DIRECTION), (name, id, direction));
    assert!(T::exists_in(Context::new(first)), "{name} in b{first}");
    assert!(T::exists_in(Context::NEWEST), "{name} in the newest build");
    assert!(first == 282 || !T::exists_in(Context::new(first - 1)), "{name} before b{first}");
}

#[test]
fn packet_identities() {
    use Direction::{ClientToServer as Client, ServerToClient as Server};
    identity::<BanchoSpectatorJoined>("BanchoSpectatorJoined", 13, Server, 282);
    identity::<BanchoSpectatorLeft>("BanchoSpectatorLeft", 14, Server, 282);
    identity::<BanchoSpectateFrames>("BanchoSpectateFrames", 15, Server, 282);
    identity::<OsuStartSpectating>("OsuStartSpectating", 16, Client, 282);
    identity::<OsuStopSpectating>("OsuStopSpectating", 17, Client, 282);
    identity::<OsuSpectateFrames>("OsuSpectateFrames", 18, Client, 282);
    identity::<OsuCantSpectate>("OsuCantSpectate", 21, Client, 282);
    identity::<BanchoSpectatorCantSpectate>("BanchoSpectatorCantSpectate", 22, Server, 282);
    identity::<BanchoFellowSpectatorJoined>("BanchoFellowSpectatorJoined", 42, Server, 298);
    identity::<BanchoFellowSpectatorLeft>("BanchoFellowSpectatorLeft", 43, Server, 298);
    identity::<OsuMatchScoreUpdate>("OsuMatchScoreUpdate", 47, Client, 312);
    identity::<BanchoMatchScoreUpdate>("BanchoMatchScoreUpdate", 48, Server, 312);
}

#[test]
fn user_id_packets() {
    // One layout in every build; checked in the gzip era, the flagged-header era and now.
    for build in [282, 334, 20250306] {
        check!(&BanchoSpectatorJoined { user_id: 5 }, build, "05000000");
        check!(&BanchoSpectatorLeft { user_id: 5 }, build, "05000000");
        check!(&BanchoSpectatorCantSpectate { user_id: 5 }, build, "05000000");
        check!(&OsuStartSpectating { user_id: 5 }, build, "05000000");
        check!(&OsuStopSpectating, build, "");
        check!(&OsuCantSpectate, build, "");
    }
    for build in [298, 20250306] {
        check!(&BanchoFellowSpectatorJoined { user_id: 1001 }, build, "e9030000");
        check!(&BanchoFellowSpectatorLeft { user_id: 1001 }, build, "e9030000");
        // The fellow-spectator id is signed: the reference writes −7 as f9ffffff.
        check!(&BanchoFellowSpectatorJoined { user_id: -7 }, build, "f9ffffff");
    }
}

/// Score frames in each window, as BanchoMatchScoreUpdate payloads: (build, ScoreV2, hex).
const SCORE_UPDATES: &[(u32, bool, &str)] = &[
    // b312–b333: checksum, time.
    (
        312,
        false,
        "0b20346635383135646366326631343165666132313431373962656536306238303739300000036400140005001e000a00020087d6120096002a0000c8",
    ),
    // b334–b534: no checksum.
    (334, false, "39300000036400140005001e000a00020087d6120096002a0000c8"),
    // b535–b20151105: tag byte.
    (535, false, "39300000036400140005001e000a00020087d6120096002a0000c801"),
    (20151105, false, "39300000036400140005001e000a00020087d6120096002a0000c801"),
    // b20151106+: ScoreV2 flag, then the portions when it is set.
    (20151106, false, "39300000036400140005001e000a00020087d6120096002a0000c80100"),
    (
        20151106,
        true,
        "39300000036400140005001e000a00020087d6120096002a0000c80101000000000000e03f000000000000d03f",
    ),
    (
        20250306,
        true,
        "39300000036400140005001e000a00020087d6120096002a0000c80101000000000000e03f000000000000d03f",
    ),
];

#[test]
fn match_score_updates() {
    for &(build, v2, expected) in SCORE_UPDATES {
        check!(&BanchoMatchScoreUpdate(score(build, v2)), build, expected);
        check!(&OsuMatchScoreUpdate(score(build, v2)), build, expected);
    }
}

/// Replay frame bundles in each window: (build, action, score frame (`Some(v2)`), sequence, hex).
/// `extra` is the default −1 throughout.
type BundleCase = (u32, ReplayAction, Option<bool>, u16, &'static str);

const BUNDLES: &[BundleCase] = &[
    // b282–b293: boolean buttons, no score frame.
    (282, ReplayAction::Pause, None, 0, "020001010040804300404043e80300000000000020c10000c843f803000005"),
    (293, ReplayAction::Standard, None, 0, "020001010040804300404043e80300000000000020c10000c843f803000000"),
    // b294–b295: score frame with checksum, without time.
    (
        294,
        ReplayAction::Pause,
        Some(false),
        0,
        "020001010040804300404043e80300000000000020c10000c843f8030000050b203466353831356463663266313431656661323134313739626565363062383037036400140005001e000a00020087d6120096002a0000c8",
    ),
    // b296–b333: checksum and time.
    (
        296,
        ReplayAction::Pause,
        Some(false),
        0,
        "020001010040804300404043e80300000000000020c10000c843f8030000050b20346635383135646366326631343165666132313431373962656536306238303739300000036400140005001e000a00020087d6120096002a0000c8",
    ),
    // b334–b373: no checksum, boolean buttons still.
    (
        334,
        ReplayAction::Pause,
        Some(false),
        0,
        "020001010040804300404043e80300000000000020c10000c843f80300000539300000036400140005001e000a00020087d6120096002a0000c8",
    ),
    (
        373,
        ReplayAction::Pause,
        Some(false),
        0,
        "020001010040804300404043e80300000000000020c10000c843f80300000539300000036400140005001e000a00020087d6120096002a0000c8",
    ),
    // b374+: button state byte and the legacy byte.
    (
        374,
        ReplayAction::Pause,
        Some(false),
        0,
        "020019000040804300404043e80300000000000020c10000c843f80300000539300000036400140005001e000a00020087d6120096002a0000c8",
    ),
    // b535+: score frame tag byte.
    (
        535,
        ReplayAction::Pause,
        Some(false),
        0,
        "020019000040804300404043e80300000000000020c10000c843f80300000539300000036400140005001e000a00020087d6120096002a0000c801",
    ),
    (1800, ReplayAction::Standard, None, 0, "020019000040804300404043e80300000000000020c10000c843f803000000"),
    // b20130418–b20160403: leading extra.
    (
        20130418,
        ReplayAction::Pause,
        Some(false),
        0,
        "ffffffff020019000040804300404043e80300000000000020c10000c843f80300000539300000036400140005001e000a00020087d6120096002a0000c801",
    ),
    (
        20130418,
        ReplayAction::Standard,
        None,
        0,
        "ffffffff020019000040804300404043e80300000000000020c10000c843f803000000",
    ),
    (
        20151106,
        ReplayAction::Pause,
        Some(true),
        0,
        "ffffffff020019000040804300404043e80300000000000020c10000c843f80300000539300000036400140005001e000a00020087d6120096002a0000c80101000000000000e03f000000000000d03f",
    ),
    // b20160404+: trailing sequence.
    (
        20160404,
        ReplayAction::Pause,
        Some(false),
        77,
        "ffffffff020019000040804300404043e80300000000000020c10000c843f80300000539300000036400140005001e000a00020087d6120096002a0000c801004d00",
    ),
    (
        20160404,
        ReplayAction::Standard,
        None,
        78,
        "ffffffff020019000040804300404043e80300000000000020c10000c843f8030000004e00",
    ),
    (
        20250306,
        ReplayAction::Pause,
        Some(false),
        79,
        "ffffffff020019000040804300404043e80300000000000020c10000c843f80300000539300000036400140005001e000a00020087d6120096002a0000c801004f00",
    ),
];

fn bundle(&(build, action, score_frame, sequence, _): &BundleCase) -> ReplayFrameBundle<'static> {
    ReplayFrameBundle {
        extra: -1,
        frames: frames(build),
        action,
        score_frame: score_frame.map(|v2| score(build, v2)),
        sequence,
    }
}

#[test]
fn spectate_frames() {
    for case in BUNDLES {
        let (build, expected) = (case.0, case.4);
        check!(&BanchoSpectateFrames(bundle(case)), build, expected);
        check!(&OsuSpectateFrames(bundle(case)), build, expected);
    }
}

#[test]
fn bundle_extra_is_signed_and_needs_protocol_18() {
    let ctx = Context::new(20130418);
    let bytes = [0xff, 0xff, 0xff, 0xff, 0, 0, 0];
    let decoded = ReplayFrameBundle::decode_payload(&bytes, ctx).unwrap();
    assert_eq!(decoded.extra, -1);
    // Below protocol 18 the field is absent (the reference cannot be patched to check this).
    let value = ReplayFrameBundle::default();
    assert_eq!(value.encode_payload(ctx.with_protocol(17)).unwrap(), [0, 0, 0]);
    assert_eq!(value.encode_payload(ctx).unwrap(), [0xff, 0xff, 0xff, 0xff, 0, 0, 0]);
}

#[test]
fn legacy_right_byte_and_unknown_buttons_are_kept() {
    let ctx = Context::NEWEST;
    let frame = ReplayFrame {
        button_state: ButtonState::from_bits_retain(0xe1),
        legacy_right: 7,
        ..ReplayFrame::default()
    };
    let bytes = frame.encode_payload(ctx).unwrap();
    assert_eq!(&bytes[..2], [0xe1, 7]);
    assert_eq!(ReplayFrame::decode_payload(&bytes, ctx).unwrap(), frame);
}

#[test]
fn unknown_replay_action_is_an_error() {
    let err = ReplayFrameBundle::decode_payload(&[0, 0, 9], Context::new(282)).unwrap_err();
    assert_eq!(err.kind(), &DecodeErrorKind::InvalidEnum { ty: "ReplayAction", value: 9 });
    assert_eq!(err.offset(), 2, "the offset of the value, not after it");
}
