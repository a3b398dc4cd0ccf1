//! Needs the pinned reference (`scripts/reference-env.sh`; see tests/README.md).
//!
//! The client direction of the event layer (`chio_packets::events::client`) against the
//! reference's readers (chio 1.1.21).
//!
//! Every payload here, written by hand or produced by [`ClientEvent::to_packet`], is
//! also read by the reference: `chio.select_client(build).read_<packet>(MemoryStream(..))`,
//! with the result turned into JSON (dataclasses as objects, enums and flags as their
//! values). Our [`ClientEvent`] is put into the same shape ([`shape`]) and must be equal,
//! and where the reference raises, [`ClientEvent::from_packet`] must fail too.
//!
//! The one ruling the comparison works around is spectate frames' `extra` (b20130418+),
//! which the reference reads back as `u32` and this layer keeps signed: the shape compares
//! `extra as u32` there.

use std::borrow::Cow;
use std::collections::BTreeSet;

use chio_packets::catalog::{self, ClientPacket};
use chio_packets::events::client::{ClientEvent, ClientEventError, LEGACY_MESSAGE_TARGET};
use chio_packets::events::{Activity, ChatMessage};
use chio_packets::multiplayer::{Match, MatchSlot, MatchType, ScoringType, SlotStatus, SlotTeam, TeamType};
use chio_packets::session::PresenceFilter;
use chio_packets::spectating::{ButtonState, ReplayAction, ReplayFrame, ReplayFrameBundle, ScoreFrame};
use chio_packets::types::{Mode, Mods, Status};
use chio_packets::{Context, Direction, Encode, FromClient, PacketSet};
use chio_tests::{hex, reference};
use serde_json::{Value, json};

/// Reads `[build, packet name, payload hex]` items with the reference's readers; each
/// result is `{"ok": value, "protocol": p}` or `{"error": text, "protocol": p}`.
const READ: &str = r#"
import json, dataclasses, enum
from chio.io import MemoryStream
out = []
for build, name, payload in json.load(sys.stdin):
    cls = chio.select_client(build)
    reader = getattr(cls, chio.PacketType[name].handler_name)
    try:
        out.append({"ok": norm(reader(MemoryStream(bytes.fromhex(payload)))), "protocol": cls.protocol_version})
    except Exception as e:
        out.append({"error": f"{type(e).__name__}: {e}", "protocol": cls.protocol_version})
print(json.dumps(out))
"#;

/// One payload to read: build, the reference's packet name, the bytes.
struct Case {
    build: u32,
    name: &'static str,
    payload: Vec<u8>,
}

/// Decodes a payload of the client packet `name` for `ctx`.
fn decode<'a>(name: &str, payload: &'a [u8], ctx: Context) -> ClientPacket<'a> {
    let info = catalog::find(name, ctx).unwrap_or_else(|| panic!("{name} is not in b{}", ctx.build()));
    assert_eq!(info.direction, Direction::ClientToServer, "{name}");
    FromClient::decode(info.id, &mut chio_packets::Reader::new(payload), ctx)
        .unwrap_or_else(|error| panic!("{name} in b{}: {error}", ctx.build()))
}

/// The event of a payload.
fn read<'a>(name: &str, payload: &'a [u8], ctx: Context) -> Result<ClientEvent<'a>, ClientEventError> {
    ClientEvent::from_packet(decode(name, payload, ctx), ctx)
}

/// Reads every case with the reference and with [`ClientEvent::from_packet`], and
/// asserts the results agree. Returns how many were compared.
fn compare_with_reference(cases: &[Case]) -> usize {
    let input: Vec<Value> = cases.iter().map(|c| json!([c.build, c.name, hex(&c.payload)])).collect();
    let output = reference::run_snippet(READ, serde_json::to_string(&input).unwrap().as_bytes());
    let results: Vec<Value> = serde_json::from_slice(&output).unwrap();
    assert_eq!(results.len(), cases.len());
    for (case, expected) in cases.iter().zip(&results) {
        let ctx = Context::new(case.build);
        let at = format!("{} in b{} ({})", case.name, case.build, hex(&case.payload));
        assert_eq!(expected["protocol"], json!(ctx.protocol()), "{at}: protocol version");
        match (read(case.name, &case.payload, ctx), expected.get("ok")) {
            (Ok(event), Some(value)) => assert_eq!(&shape(&event, ctx), value, "{at}"),
            (Err(_), None) => {}
            (ours, _) => panic!("{at}: we read {ours:?}, the reference {expected}"),
        }
    }
    cases.len()
}

/// The event in the shape of the reference's reader result.
fn shape(event: &ClientEvent<'_>, ctx: Context) -> Value {
    use ClientEvent as E;
    match event {
        E::UserStatus(a) => json!({
            "action": a.action as u8,
            "text": a.text,
            "mods": a.mods.bits(),
            "mode": a.mode as u8,
            "beatmap_checksum": a.beatmap_checksum,
            "beatmap_id": a.beatmap_id,
            "update_stats": a.update_stats,
        }),
        E::Message(m) | E::PrivateMessage(m) | E::SetIrcAwayMessage(m) => json!({
            "sender": m.sender,
            "content": m.content,
            "target": m.target,
            "sender_id": m.sender_id,
        }),
        E::Exit(b) | E::ChangeFriendOnlyDms(b) => json!(b),
        E::StatusUpdateRequest
        | E::Pong
        | E::StopSpectating
        | E::CantSpectate
        | E::LobbyPart
        | E::LobbyJoin
        | E::MatchPart
        | E::MatchReady
        | E::MatchStart
        | E::MatchComplete
        | E::MatchLoadComplete
        | E::MatchNoBeatmap
        | E::MatchNotReady
        | E::MatchFailed
        | E::MatchHasBeatmap
        | E::MatchSkipRequest
        | E::MatchChangeTeam
        | E::PresenceRequestAll => Value::Null,
        E::StartSpectating(n)
        | E::MatchChangeSlot(n)
        | E::MatchLock(n)
        | E::MatchTransferHost(n)
        | E::FriendsAdd(n)
        | E::FriendsRemove(n)
        | E::Invite(n)
        | E::TournamentMatchInfo(n)
        | E::TournamentJoinMatchChannel(n)
        | E::TournamentLeaveMatchChannel(n) => json!(n),
        E::ErrorReport(text) | E::ChannelJoin(text) | E::ChannelLeave(text) => json!(text),
        E::SpectateFrames(bundle) => bundle_shape(bundle, ctx),
        E::MatchCreate(m)
        | E::MatchChangeSettings(m)
        | E::MatchChangePassword(m)
        | E::MatchChangeBeatmap(m) => match_shape(m),
        E::MatchJoin { match_id, password } => json!({"match_id": match_id, "password": password}),
        E::MatchScoreUpdate(frame) => score_shape(frame),
        E::MatchChangeMods(mods) => json!(mods.bits()),
        E::BeatmapInfoRequest { filenames, ids } => json!({"filenames": filenames, "ids": ids}),
        E::ReceiveUpdates(filter) => json!(*filter as i32),
        E::UserStatsRequest(ids) | E::PresenceRequest(ids) => json!(ids),
    }
}

fn bundle_shape(bundle: &ReplayFrameBundle<'_>, ctx: Context) -> Value {
    let frames: Vec<Value> = bundle
        .frames
        .iter()
        .map(|frame| {
            // Events hold the buttons in the state alone.
            assert!(!frame.left && !frame.right && frame.legacy_right == 0, "unfolded frame {frame:?}");
            json!({
                "button_state": frame.button_state.bits(),
                "legacy_byte": 0,
                "mouse_x": f64::from(frame.x),
                "mouse_y": f64::from(frame.y),
                "time": frame.time,
            })
        })
        .collect();
    // The ruling: the reference reads the signed `extra` as `u32`.
    let extra = if ctx.build() >= 20130418 && ctx.protocol() >= 18 {
        json!(bundle.extra as u32)
    } else {
        json!(bundle.extra)
    };
    json!({
        "action": bundle.action as u8,
        "frames": frames,
        "frame": bundle.score_frame.as_ref().map(score_shape),
        "extra": extra,
        // The reference's `None` before b20160404.
        "sequence": if ctx.build() >= 20160404 { json!(bundle.sequence) } else { Value::Null },
    })
}

fn score_shape(frame: &ScoreFrame<'_>) -> Value {
    assert_eq!(frame.checksum, "", "events carry no score-frame checksum");
    json!({
        "time": frame.time,
        "id": frame.id,
        "total_300": frame.total_300,
        "total_100": frame.total_100,
        "total_50": frame.total_50,
        "total_geki": frame.total_geki,
        "total_katu": frame.total_katu,
        "total_miss": frame.total_miss,
        "total_score": frame.total_score,
        "max_combo": frame.max_combo,
        "current_combo": frame.current_combo,
        "perfect": frame.perfect,
        "hp": frame.hp,
        "tag_byte": frame.tag_byte,
        "using_scorev2": frame.using_scorev2,
        "combo_portion": frame.combo_portion,
        "bonus_portion": frame.bonus_portion,
    })
}

fn match_shape(m: &Match<'_>) -> Value {
    let slots: Vec<Value> = m
        .slots
        .iter()
        .enumerate()
        .map(|(i, slot)| {
            json!({
                "user_id": slot.user_id,
                "status": slot.status.bits(),
                "team": slot.team as u8,
                "mods": m.slot_mods.get(i).map_or(0, |mods| mods.bits()),
            })
        })
        .collect();
    json!({
        "id": m.id,
        "in_progress": m.in_progress,
        "type": m.match_type as u8,
        "mods": m.mods.bits(),
        "name": m.name,
        "password": m.password,
        "beatmap_text": m.beatmap_text,
        "beatmap_id": m.beatmap_id,
        "beatmap_checksum": m.beatmap_checksum,
        "slots": slots,
        "host_id": m.host_id,
        "mode": m.mode as u8,
        "scoring_type": m.scoring_type as u8,
        "team_type": m.team_type as u8,
        "freemod": m.freemod,
        "seed": m.seed,
    })
}

/// A payload written by hand.
#[derive(Default)]
struct Bytes(Vec<u8>);

impl Bytes {
    fn u8(mut self, v: u8) -> Self {
        self.0.push(v);
        self
    }
    fn u16(mut self, v: u16) -> Self {
        self.0.extend_from_slice(&v.to_le_bytes());
        self
    }
    fn i32(mut self, v: i32) -> Self {
        self.0.extend_from_slice(&v.to_le_bytes());
        self
    }
    fn u32(mut self, v: u32) -> Self {
        self.0.extend_from_slice(&v.to_le_bytes());
        self
    }
    fn f32(mut self, v: f32) -> Self {
        self.0.extend_from_slice(&v.to_le_bytes());
        self
    }
    /// A string: `0x00` when empty, else `0x0b`, ULEB128 length (< 128 here), bytes.
    fn str(mut self, v: &str) -> Self {
        if v.is_empty() {
            self.0.push(0);
        } else {
            assert!(v.len() < 128);
            self.0.push(0x0b);
            self.0.push(v.len() as u8);
            self.0.extend_from_slice(v.as_bytes());
        }
        self
    }
}

fn b() -> Bytes {
    Bytes::default()
}

const CHECKSUM: &str = "0123456789abcdef0123456789abcdef";

fn activity(action: Status, text: &'static str, checksum: &'static str, mods: u32) -> Activity<'static> {
    Activity {
        action,
        text: text.into(),
        beatmap_checksum: checksum.into(),
        mods: Mods::from_bits_retain(mods),
        mode: Mode::Osu,
        beatmap_id: -1,
        update_stats: false,
    }
}

fn message(
    sender: &'static str,
    content: &'static str,
    target: &'static str,
    sender_id: i32,
) -> ChatMessage<'static> {
    ChatMessage { sender: sender.into(), content: content.into(), target: target.into(), sender_id }
}

/// An empty bundle with the reference's defaults (`extra` −1).
fn no_frames() -> ReplayFrameBundle<'static> {
    let bundle = ReplayFrameBundle::default();
    assert_eq!(bundle.extra, -1);
    bundle
}

fn frame(button_state: ButtonState, x: f32, y: f32, time: i32) -> ReplayFrame {
    ReplayFrame { button_state, x, y, time, ..ReplayFrame::default() }
}

/// Hand-written payloads for each semantic, with the event we expect; each is also read
/// by the reference.
fn semantic_cases() -> Vec<(Case, Result<ClientEvent<'static>, ClientEventError>)> {
    use ClientEvent as E;
    let case = |build, name, bytes: Bytes| Case { build, name, payload: bytes.0 };
    let status = |build, bytes, expected| (case(build, "OsuUserStatus", bytes), Ok(E::UserStatus(expected)));
    vec![
        // Legacy numbering (b282–b337): 0–9 as today, 10 Unknown, above 10 one less.
        status(282, b().u8(0).str("menu").str("").u16(0), activity(Status::Idle, "menu", "", 0)),
        status(282, b().u8(9).str("t").str("").u16(0), activity(Status::Submitting, "t", "", 0)),
        status(282, b().u8(11).str("t").str("").u16(0), activity(Status::Paused, "t", "", 0)),
        status(300, b().u8(12).str("").str("").u16(0), activity(Status::Lobby, "", "", 0)),
        status(
            337,
            b().u8(13).str("x").str(CHECKSUM).u16(8),
            activity(Status::Multiplaying, "x", CHECKSUM, 8),
        ),
        // Unknown (raw 7) carries no map fields; raw 10 reads as Unknown and its fields
        // are the reference's defaults.
        status(282, b().u8(7), activity(Status::Unknown, "", "", 0)),
        status(320, b().u8(10).str("x").str(CHECKSUM).u16(8), activity(Status::Unknown, "", "", 0)),
        // Idle with a checksum is Playing up to b488.
        status(
            282,
            b().u8(0).str("song").str(CHECKSUM).u16(0),
            activity(Status::Playing, "song", CHECKSUM, 0),
        ),
        status(
            338,
            b().u8(0).u8(1).str("song").str(CHECKSUM).u16(0),
            activity(Status::Playing, "song", CHECKSUM, 0),
        ),
        status(
            488,
            b().u8(0).u8(1).str("song").str(CHECKSUM).u16(0),
            activity(Status::Playing, "song", CHECKSUM, 0),
        ),
        status(
            489,
            b().u8(0).u8(1).str("song").str(CHECKSUM).u16(0).u8(1),
            Activity { mode: Mode::Taiko, ..activity(Status::Idle, "song", CHECKSUM, 0) },
        ),
        // From b338 the modern numbering: 10 is Paused.
        status(338, b().u8(10).u8(1).str("p").str("").u16(16), activity(Status::Paused, "p", "", 16)),
        // Without beatmap_update the map fields are the defaults (beatmap id −1).
        status(400, b().u8(2).u8(0), activity(Status::Playing, "", "", 0)),
        status(1000, b().u8(5).u8(0), activity(Status::Multiplayer, "", "", 0)),
        status(
            1000,
            b().u8(2).u8(1).str("song").str(CHECKSUM).u16(72).u8(3).i32(4242),
            Activity {
                mode: Mode::OsuMania,
                beatmap_id: 4242,
                ..activity(Status::Playing, "song", CHECKSUM, 72)
            },
        ),
        status(
            1788,
            b().u8(0).str("").str(CHECKSUM).u16(0).u8(0).i32(0),
            Activity { beatmap_id: 0, ..activity(Status::Idle, "", CHECKSUM, 0) },
        ),
        status(
            20250306,
            b().u8(13).str("direct").str("").u32(1 << 20).u8(2).i32(-1),
            Activity { mode: Mode::CatchTheBeat, ..activity(Status::OsuDirect, "direct", "", 1 << 20) },
        ),
        // Messages of b282–b319: content only.
        (case(282, "OsuMessage", b().str("hello")), Ok(E::Message(message("", "hello", "#osu", -1)))),
        (case(319, "OsuMessage", b().str("hi")), Ok(E::Message(message("", "hi", "#osu", -1)))),
        (
            case(320, "OsuMessage", b().str("me").str("hi").str("#lobby")),
            Ok(E::Message(message("me", "hi", "#lobby", -1))),
        ),
        (
            case(20121225, "OsuMessage", b().str("").str("hi").str("#osu").i32(7)),
            Ok(E::Message(message("", "hi", "#osu", 7))),
        ),
        // Legacy private messages: the flag must be set (any non-zero byte).
        (
            case(294, "OsuPrivateMessage", b().str("peppy").str("hey").u8(1)),
            Ok(E::PrivateMessage(message("", "hey", "peppy", -1))),
        ),
        (
            case(319, "OsuPrivateMessage", b().str("peppy").str("hey").u8(2)),
            Ok(E::PrivateMessage(message("", "hey", "peppy", -1))),
        ),
        (
            case(300, "OsuPrivateMessage", b().str("peppy").str("hey").u8(0)),
            Err(ClientEventError::NotDirectMessage { target: "peppy".into() }),
        ),
        (
            case(320, "OsuPrivateMessage", b().str("").str("hey").str("peppy")),
            Ok(E::PrivateMessage(message("", "hey", "peppy", -1))),
        ),
        (
            case(1600, "OsuSetIrcAwayMessage", b().str("").str("brb").str("")),
            Ok(E::SetIrcAwayMessage(message("", "brb", "", -1))),
        ),
        // Exit: nothing before b1788, then `reason == 1`.
        (case(282, "OsuExit", b()), Ok(E::Exit(false))),
        (case(1787, "OsuExit", b()), Ok(E::Exit(false))),
        (case(1788, "OsuExit", b().i32(1)), Ok(E::Exit(true))),
        (case(20250306, "OsuExit", b().i32(0)), Ok(E::Exit(false))),
        (case(20250306, "OsuExit", b().i32(2)), Ok(E::Exit(false))),
        // Friend-only DMs: `value == 1`.
        (case(20130131, "OsuChangeFriendOnlyDms", b().i32(1)), Ok(E::ChangeFriendOnlyDms(true))),
        (case(20250306, "OsuChangeFriendOnlyDms", b().i32(0)), Ok(E::ChangeFriendOnlyDms(false))),
        (case(20250306, "OsuChangeFriendOnlyDms", b().i32(2)), Ok(E::ChangeFriendOnlyDms(false))),
        // Replay frames b282–b373: left → LEFT1, right → RIGHT1.
        (
            case(
                282,
                "OsuSpectateFrames",
                b().u16(4)
                    .u8(1)
                    .u8(0)
                    .f32(1.5)
                    .f32(2.5)
                    .i32(10)
                    .u8(0)
                    .u8(1)
                    .f32(3.0)
                    .f32(4.0)
                    .i32(20)
                    .u8(1)
                    .u8(1)
                    .f32(-1.0)
                    .f32(0.25)
                    .i32(30)
                    .u8(0)
                    .u8(0)
                    .f32(0.0)
                    .f32(0.0)
                    .i32(40)
                    .u8(1),
            ),
            Ok(E::SpectateFrames(ReplayFrameBundle {
                frames: vec![
                    frame(ButtonState::LEFT1, 1.5, 2.5, 10),
                    frame(ButtonState::RIGHT1, 3.0, 4.0, 20),
                    frame(ButtonState::LEFT1 | ButtonState::RIGHT1, -1.0, 0.25, 30),
                    frame(ButtonState::empty(), 0.0, 0.0, 40),
                ],
                action: ReplayAction::NewSong,
                ..no_frames()
            })),
        ),
        // b374+: a non-zero legacy byte ORs RIGHT1.
        (
            case(
                374,
                "OsuSpectateFrames",
                b().u16(3)
                    .u8(1)
                    .u8(1)
                    .f32(1.0)
                    .f32(2.0)
                    .i32(5)
                    .u8(4 | 16)
                    .u8(0)
                    .f32(1.0)
                    .f32(2.0)
                    .i32(6)
                    .u8(0)
                    .u8(7)
                    .f32(1.0)
                    .f32(2.0)
                    .i32(7)
                    .u8(0),
            ),
            Ok(E::SpectateFrames(ReplayFrameBundle {
                frames: vec![
                    frame(ButtonState::LEFT1 | ButtonState::RIGHT1, 1.0, 2.0, 5),
                    frame(ButtonState::LEFT2 | ButtonState::SMOKE, 1.0, 2.0, 6),
                    frame(ButtonState::RIGHT1, 1.0, 2.0, 7),
                ],
                ..no_frames()
            })),
        ),
        // A score frame with its checksum (b300): the event drops the checksum.
        (
            case(
                300,
                "OsuSpectateFrames",
                b().u16(0)
                    .u8(3)
                    .str(CHECKSUM)
                    .i32(777)
                    .u8(2)
                    .u16(10)
                    .u16(5)
                    .u16(1)
                    .u16(2)
                    .u16(3)
                    .u16(4)
                    .u32(99_999)
                    .u16(50)
                    .u16(20)
                    .u8(0)
                    .u8(254),
            ),
            Ok(E::SpectateFrames(ReplayFrameBundle {
                action: ReplayAction::Completion,
                score_frame: Some(ScoreFrame {
                    time: 777,
                    id: 2,
                    total_300: 10,
                    total_100: 5,
                    total_50: 1,
                    total_geki: 2,
                    total_katu: 3,
                    total_miss: 4,
                    total_score: 99_999,
                    max_combo: 50,
                    current_combo: 20,
                    hp: 254,
                    ..ScoreFrame::default()
                }),
                ..no_frames()
            })),
        ),
        // extra −1 (b20130418+): kept signed here, 4294967295 in the reference.
        (
            case(
                20130418,
                "OsuSpectateFrames",
                b().i32(-1).u16(1).u8(2).u8(0).f32(5.0).f32(6.0).i32(1).u8(0),
            ),
            Ok(E::SpectateFrames(ReplayFrameBundle {
                frames: vec![frame(ButtonState::RIGHT1, 5.0, 6.0, 1)],
                ..no_frames()
            })),
        ),
        (
            case(20250306, "OsuSpectateFrames", b().i32(-1).u16(0).u8(7).u16(513)),
            Ok(E::SpectateFrames(ReplayFrameBundle {
                action: ReplayAction::SongSelect,
                sequence: 513,
                ..no_frames()
            })),
        ),
        // Score updates drop the checksum too (b312–b333 send one).
        (
            case(
                312,
                "OsuMatchScoreUpdate",
                b().str(CHECKSUM)
                    .i32(1)
                    .u8(0)
                    .u16(1)
                    .u16(0)
                    .u16(0)
                    .u16(0)
                    .u16(0)
                    .u16(0)
                    .u32(300)
                    .u16(1)
                    .u16(1)
                    .u8(1)
                    .u8(200),
            ),
            Ok(E::MatchScoreUpdate(ScoreFrame {
                time: 1,
                total_300: 1,
                total_score: 300,
                max_combo: 1,
                current_combo: 1,
                perfect: true,
                hp: 200,
                ..ScoreFrame::default()
            })),
        ),
        // Presence filters.
        (case(634, "OsuReceiveUpdates", b().i32(0)), Ok(E::ReceiveUpdates(PresenceFilter::NoPlayers))),
        (case(20250306, "OsuReceiveUpdates", b().i32(2)), Ok(E::ReceiveUpdates(PresenceFilter::Friends))),
        // The reference's defaults for fields a build does not send.
        (case(298, "OsuMatchJoin", b().i32(5)), Ok(E::MatchJoin { match_id: 5, password: "".into() })),
        (
            case(591, "OsuMatchJoin", b().i32(5).str("pw")),
            Ok(E::MatchJoin { match_id: 5, password: "pw".into() }),
        ),
        (
            case(354, "OsuBeatmapInfoRequest", b().i32(2).str("a.osu").str("b.osu")),
            Ok(E::BeatmapInfoRequest { filenames: vec!["a.osu".into(), "b.osu".into()], ids: vec![] }),
        ),
        (
            case(490, "OsuBeatmapInfoRequest", b().i32(1).str("a.osu").i32(2).i32(10).i32(-3)),
            Ok(E::BeatmapInfoRequest { filenames: vec!["a.osu".into()], ids: vec![10, -3] }),
        ),
    ]
}

#[test]
fn semantics_match_the_reference() {
    let cases = semantic_cases();
    for (case, expected) in &cases {
        let ctx = Context::new(case.build);
        let at = format!("{} in b{} ({})", case.name, case.build, hex(&case.payload));
        assert_eq!(&read(case.name, &case.payload, ctx), expected, "{at}");
    }
    let cases: Vec<Case> = cases.into_iter().map(|(case, _)| case).collect();
    assert_eq!(compare_with_reference(&cases), 46);
}

/// A score frame with the fields `build` sends.
fn score(build: u32) -> ScoreFrame<'static> {
    let v2 = build >= 20151106;
    ScoreFrame {
        checksum: "".into(),
        time: if build >= 296 { 12_345 } else { 0 },
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
        tag_byte: if build >= 535 { 1 } else { 0 },
        using_scorev2: v2,
        combo_portion: if v2 { 0.5 } else { 0.0 },
        bonus_portion: if v2 { 0.25 } else { 0.0 },
    }
}

/// A match with the fields `ctx`'s build sends.
fn sample_match(ctx: Context) -> Match<'static> {
    let build = ctx.build();
    let protocol = ctx.protocol();
    let teams = build >= 20120818 || (build >= 558 && protocol >= 4);
    let types = build >= 20120818 || (build >= 535 && protocol >= 3);
    let freemod = build >= 20130118 && protocol >= 16;
    let slots = usize::from(ctx.slots());
    let mut slot_list = vec![MatchSlot::default(); slots];
    slot_list[0] = MatchSlot {
        status: SlotStatus::NOT_READY,
        team: if teams { SlotTeam::Blue } else { SlotTeam::Neutral },
        user_id: 100,
    };
    slot_list[1] = MatchSlot {
        status: SlotStatus::READY,
        team: if teams { SlotTeam::Red } else { SlotTeam::Neutral },
        user_id: 101,
    };
    slot_list[2] = MatchSlot { status: SlotStatus::OPEN, team: SlotTeam::Neutral, user_id: -1 };
    Match {
        id: 42,
        in_progress: build >= 312,
        match_type: MatchType::Standard,
        mods: if build >= 334 { Mods::HIDDEN } else { Mods::empty() },
        name: "room".into(),
        password: if build >= 591 { "pw".into() } else { "".into() },
        beatmap_text: "map".into(),
        beatmap_id: 123,
        beatmap_checksum: CHECKSUM.into(),
        slots: slot_list,
        host_id: if build >= 402 { 100 } else { -1 },
        mode: if build >= 470 { Mode::Taiko } else { Mode::Osu },
        scoring_type: if types { ScoringType::Accuracy } else { ScoringType::Score },
        team_type: if types { TeamType::TeamVs } else { TeamType::HeadToHead },
        freemod,
        slot_mods: if freemod && build >= 20130303 { vec![Mods::HARD_ROCK; slots] } else { Vec::new() },
        seed: if build >= 20130418 && protocol >= 18 { 1337 } else { 0 },
    }
}

/// One event of each kind, with the fields `ctx`'s build sends, so each round-trips
/// exactly where the build has its packet.
fn sample_events(ctx: Context) -> Vec<ClientEvent<'static>> {
    use ClientEvent as E;
    let build = ctx.build();
    let protocol = ctx.protocol();
    let legacy_chat = build < 320;
    let sender_id = if build >= 20121225 && protocol >= 15 { 1000 } else { -1 };
    let buttons = if build < 374 {
        [ButtonState::LEFT1, ButtonState::LEFT1 | ButtonState::RIGHT1]
    } else {
        [ButtonState::LEFT2 | ButtonState::SMOKE, ButtonState::RIGHT1 | ButtonState::RIGHT2]
    };
    let status = |action| Activity {
        action,
        text: "Artist - Title [Hard]".into(),
        beatmap_checksum: CHECKSUM.into(),
        mods: Mods::HIDDEN
            | Mods::DOUBLE_TIME
            | if build >= 20120818 && protocol >= 11 { Mods::KEY5 } else { Mods::empty() },
        mode: if build >= 490 || (build >= 489 && protocol >= 1) { Mode::Taiko } else { Mode::Osu },
        beatmap_id: if build >= 490 { 123_456 } else { -1 },
        update_stats: false,
    };
    let m = sample_match(ctx);
    vec![
        E::UserStatus(status(Status::Playing)),
        E::UserStatus(status(Status::Paused)),
        E::UserStatus(status(Status::Multiplaying)),
        E::UserStatus(Activity { action: Status::Unknown, beatmap_id: -1, ..Activity::default() }),
        E::Message(if legacy_chat {
            message("", "hello", LEGACY_MESSAGE_TARGET, -1)
        } else {
            ChatMessage { sender_id, ..message("", "hello", "#lobby", -1) }
        }),
        E::Exit(build >= 1788),
        E::StatusUpdateRequest,
        E::Pong,
        E::StartSpectating(1001),
        E::StopSpectating,
        E::SpectateFrames(ReplayFrameBundle {
            extra: if build >= 20130418 && protocol >= 18 { 7 } else { -1 },
            frames: vec![
                frame(buttons[0], 1.5, 2.25, 100),
                frame(buttons[1], -3.0, 400.5, 116),
                frame(ButtonState::empty(), 0.0, 0.0, 132),
            ],
            action: ReplayAction::NewSong,
            score_frame: if build >= 294 { Some(score(build)) } else { None },
            sequence: if build >= 20160404 { 9 } else { 0 },
        }),
        E::ErrorReport("boom".into()),
        E::CantSpectate,
        E::PrivateMessage(ChatMessage { sender_id, ..message("", "hi", "someone", -1) }),
        E::LobbyPart,
        E::LobbyJoin,
        E::MatchCreate(m.clone()),
        E::MatchJoin { match_id: 5, password: if build >= 591 { "pw".into() } else { "".into() } },
        E::MatchPart,
        E::MatchChangeSlot(3),
        E::MatchReady,
        E::MatchLock(4),
        E::MatchChangeSettings(m.clone()),
        E::MatchStart,
        E::MatchScoreUpdate(score(build)),
        E::MatchComplete,
        E::MatchChangeMods(Mods::HIDDEN | Mods::HARD_ROCK | Mods::MIRROR),
        E::MatchLoadComplete,
        E::MatchNoBeatmap,
        E::MatchNotReady,
        E::MatchFailed,
        E::MatchHasBeatmap,
        E::MatchSkipRequest,
        E::ChannelJoin("#lobby".into()),
        E::BeatmapInfoRequest {
            filenames: vec!["a.osu".into(), "b.osu".into()],
            ids: if build >= 490 { vec![1, 2] } else { Vec::new() },
        },
        E::MatchTransferHost(2),
        E::FriendsAdd(3),
        E::FriendsRemove(3),
        E::MatchChangeTeam,
        E::ChannelLeave("#lobby".into()),
        E::ReceiveUpdates(PresenceFilter::Friends),
        E::SetIrcAwayMessage(ChatMessage { sender_id, ..message("", "brb", "", -1) }),
        E::UserStatsRequest(vec![1, 2, 3]),
        E::Invite(7),
        E::MatchChangePassword(m.clone()),
        E::TournamentMatchInfo(8),
        E::PresenceRequest(vec![4, 5]),
        E::PresenceRequestAll,
        E::ChangeFriendOnlyDms(true),
        E::TournamentJoinMatchChannel(9),
        E::TournamentLeaveMatchChannel(10),
        E::MatchChangeBeatmap(m),
    ]
}

const ROUND_TRIP_BUILDS: [u32; 24] = [
    282, 294, 296, 298, 300, 312, 320, 323, 334, 338, 374, 400, 489, 490, 535, 591, 1000, 1788, 20121225,
    20130303, 20130418, 20151106, 20160404, 20250306,
];

#[test]
fn to_packet_round_trips_and_the_reference_agrees() {
    let mut reference_cases = Vec::new();
    for build in ROUND_TRIP_BUILDS {
        let ctx = Context::new(build);
        let mut sent = BTreeSet::new();
        for event in sample_events(ctx) {
            let packet = match event.to_packet(ctx) {
                Ok(packet) => packet,
                Err(ClientEventError::NotInBuild { name, build: b }) => {
                    assert_eq!(b, build);
                    assert!(!catalog::supports(name, Context::new(build)), "{name} exists in b{build}");
                    continue;
                }
                Err(error) => panic!("{event:?} in b{build}: {error}"),
            };
            let name = packet.name();
            sent.insert(name);
            let payload = packet.encode_payload(ctx).unwrap_or_else(|e| panic!("{name} in b{build}: {e}"));
            assert_eq!(read(name, &payload, ctx).as_ref(), Ok(&event), "{name} in b{build}");
            reference_cases.push(Case { build, name, payload });
        }
        // Every client packet of the build is covered.
        let expected: BTreeSet<&str> = catalog::packets_in(Direction::ClientToServer, Context::new(build))
            .iter()
            .map(|info| info.name)
            .collect();
        assert_eq!(sent, expected, "b{build}");
    }
    let compared = compare_with_reference(&reference_cases);
    assert_eq!(compared, 834);
}

#[test]
fn to_packet_uses_the_era_types_and_numbering() {
    use ClientEvent as E;
    let dm = E::PrivateMessage(message("", "hey", "peppy", -1));
    assert_eq!(
        dm.to_packet(Context::new(300)).unwrap(),
        ClientPacket::OsuLegacyPrivateMessage(chio_packets::chat::OsuLegacyPrivateMessage {
            target: "peppy".into(),
            content: "hey".into(),
            is_dm: true,
        })
    );
    assert!(matches!(dm.to_packet(Context::new(320)).unwrap(), ClientPacket::OsuPrivateMessage(_)));

    // Legacy numbering: above 9 one more; 7 (Unknown) is sent without map fields.
    let legacy = |action| {
        let event = E::UserStatus(activity(action, "t", CHECKSUM, 0));
        let ctx = Context::new(300);
        event.to_packet(ctx).unwrap().encode_payload(ctx).unwrap()[0]
    };
    assert_eq!(
        [Status::Idle, Status::Submitting, Status::Paused, Status::Lobby, Status::Multiplaying].map(legacy),
        [0, 9, 11, 12, 13]
    );
    let unknown = E::UserStatus(activity(Status::Unknown, "t", CHECKSUM, 8));
    let ctx = Context::new(300);
    assert_eq!(unknown.to_packet(ctx).unwrap().encode_payload(ctx).unwrap(), [7]);

    // The modern numbering from b338.
    let ctx = Context::new(338);
    let paused = E::UserStatus(activity(Status::Paused, "", "", 0));
    assert_eq!(paused.to_packet(ctx).unwrap().encode_payload(ctx).unwrap()[..2], [10, 1]);

    // Buttons as b282–b373 send them: either left or right button.
    let bundle = E::SpectateFrames(ReplayFrameBundle {
        frames: vec![frame(ButtonState::LEFT2 | ButtonState::RIGHT2 | ButtonState::SMOKE, 0.0, 0.0, 0)],
        ..no_frames()
    });
    let ctx = Context::new(373);
    let ClientPacket::OsuSpectateFrames(packet) = bundle.to_packet(ctx).unwrap() else { panic!() };
    assert_eq!(
        packet.0.frames[0],
        ReplayFrame { left: true, right: true, ..ReplayFrame::default() },
        "the state is not on the wire before b374"
    );
    let ctx = Context::new(374);
    let ClientPacket::OsuSpectateFrames(packet) = bundle.to_packet(ctx).unwrap() else { panic!() };
    assert_eq!(packet.0.frames[0].legacy_right, 0);
    assert_eq!(
        packet.0.frames[0].button_state,
        ButtonState::LEFT2 | ButtonState::RIGHT2 | ButtonState::SMOKE
    );

    // Score frames get the checksum b294–b333 expect.
    let update = E::MatchScoreUpdate(score(312));
    let ClientPacket::OsuMatchScoreUpdate(packet) = update.to_packet(Context::new(312)).unwrap() else {
        panic!()
    };
    assert_eq!(packet.0.checksum, chio_packets::events::score_frame_checksum(&score(312)));
    let ClientPacket::OsuMatchScoreUpdate(packet) = update.to_packet(Context::new(334)).unwrap() else {
        panic!()
    };
    assert_eq!(packet.0.checksum, "");

    // Booleans as the reference reads them back.
    let exit = E::Exit(true).to_packet(Context::new(1788)).unwrap();
    assert_eq!(exit, ClientPacket::OsuExit(chio_packets::session::OsuExit { reason: 1 }));
    let dms = E::ChangeFriendOnlyDms(false).to_packet(Context::NEWEST).unwrap();
    assert_eq!(dms, ClientPacket::OsuChangeFriendOnlyDms(chio_packets::chat::OsuChangeFriendOnlyDms(0)));
}

/// What the build's layout does not carry is dropped, and reads back as the reference's
/// defaults.
#[test]
fn to_packet_drops_what_the_build_does_not_carry() {
    use ClientEvent as E;
    let round_trip = |event: &E<'_>, build| {
        let ctx = Context::new(build);
        let packet = event.to_packet(ctx).unwrap();
        let payload = packet.encode_payload(ctx).unwrap();
        let name = packet.name();
        read(name, &payload, ctx).map(|event| format!("{event:?}")).unwrap()
    };
    let debug = |event: E<'_>| format!("{event:?}");

    let full = Activity {
        mode: Mode::OsuMania,
        beatmap_id: 99,
        mods: Mods::HIDDEN | Mods::KEY5,
        ..activity(Status::Playing, "song", CHECKSUM, 0)
    };
    let event = E::UserStatus(full.clone());
    assert_eq!(
        round_trip(&event, 400),
        debug(E::UserStatus(Activity {
            mode: Mode::Osu,
            beatmap_id: -1,
            mods: Mods::HIDDEN,
            ..full.clone()
        }))
    );
    assert_eq!(
        round_trip(&event, 1000),
        debug(E::UserStatus(Activity { mods: Mods::HIDDEN, ..full.clone() }))
    );
    assert_eq!(round_trip(&event, 20250306), debug(event.clone()));

    // Unknown loses its map before b338; Idle with a checksum reads as Playing before b489.
    let unknown = E::UserStatus(activity(Status::Unknown, "t", CHECKSUM, 8));
    assert_eq!(round_trip(&unknown, 300), debug(E::UserStatus(activity(Status::Unknown, "", "", 0))));
    let idle = E::UserStatus(activity(Status::Idle, "t", CHECKSUM, 0));
    assert_eq!(round_trip(&idle, 300), debug(E::UserStatus(activity(Status::Playing, "t", CHECKSUM, 0))));
    assert_eq!(round_trip(&idle, 488), debug(E::UserStatus(activity(Status::Playing, "t", CHECKSUM, 0))));
    assert_eq!(round_trip(&idle, 489), debug(idle.clone()));

    // update_stats is the server's marker.
    let marked = E::UserStatus(Activity { update_stats: true, ..activity(Status::Idle, "", "", 0) });
    assert_eq!(round_trip(&marked, 300), debug(E::UserStatus(activity(Status::Idle, "", "", 0))));

    // Second buttons and smoke fold to LEFT1/RIGHT1 before b374.
    let frames = E::SpectateFrames(ReplayFrameBundle {
        extra: 7,
        frames: vec![frame(ButtonState::LEFT2 | ButtonState::RIGHT2 | ButtonState::SMOKE, 1.0, 1.0, 1)],
        score_frame: Some(score(20250306)),
        sequence: 3,
        ..no_frames()
    });
    assert_eq!(
        round_trip(&frames, 300),
        debug(E::SpectateFrames(ReplayFrameBundle {
            frames: vec![frame(ButtonState::LEFT1 | ButtonState::RIGHT1, 1.0, 1.0, 1)],
            score_frame: Some(ScoreFrame { tag_byte: 0, ..score(300) }),
            ..no_frames()
        }))
    );
    assert_eq!(round_trip(&frames, 20250306), debug(frames.clone()));

    // Sender and sender id are not sent before b320; a match's password not before b591.
    let said = E::Message(message("peppy", "hi", "#osu", 2));
    assert_eq!(round_trip(&said, 300), debug(E::Message(message("", "hi", "#osu", -1))));
    let join = E::MatchJoin { match_id: 1, password: "pw".into() };
    assert_eq!(round_trip(&join, 590), debug(E::MatchJoin { match_id: 1, password: "".into() }));
    assert_eq!(
        E::Exit(true).to_packet(Context::new(1000)).unwrap().encode_payload(Context::new(1000)).unwrap(),
        Vec::<u8>::new()
    );

    // Matches are adapted like the server's: padded to the slot count, id saturated.
    let mut m = sample_match(Context::new(20250306));
    m.id = 300;
    let ctx = Context::new(1000);
    let create = E::MatchCreate(m);
    let ClientPacket::OsuMatchCreate(packet) = create.to_packet(ctx).unwrap() else { panic!() };
    assert_eq!((packet.0.id, packet.0.slots.len()), (255, 8));
    assert!(packet.encode_payload(ctx).is_ok());
}

#[test]
fn errors() {
    use ClientEvent as E;
    // Packets the build does not have, both ways.
    assert_eq!(
        E::PrivateMessage(message("", "hey", "peppy", -1)).to_packet(Context::new(293)),
        Err(ClientEventError::NotInBuild { name: "OsuPrivateMessage", build: 293 })
    );
    assert_eq!(
        E::MatchChangeBeatmap(Match::default()).to_packet(Context::new(340)),
        Err(ClientEventError::NotInBuild { name: "OsuMatchChangeBeatmap", build: 340 })
    );
    assert_eq!(
        E::ChangeFriendOnlyDms(true).to_packet(Context::new(20130130)),
        Err(ClientEventError::NotInBuild { name: "OsuChangeFriendOnlyDms", build: 20130130 })
    );
    let legacy = ClientPacket::OsuLegacyPrivateMessage(chio_packets::chat::OsuLegacyPrivateMessage {
        target: "a".into(),
        content: "b".into(),
        is_dm: true,
    });
    assert_eq!(
        ClientEvent::from_packet(legacy, Context::NEWEST),
        Err(ClientEventError::NotInBuild { name: "OsuPrivateMessage", build: Context::NEWEST.build() })
    );

    // osu!direct has no legacy number the wire can hold.
    let direct = E::UserStatus(activity(Status::OsuDirect, "", "", 0));
    assert_eq!(
        direct.to_packet(Context::new(337)),
        Err(ClientEventError::StatusNotInBuild { status: Status::OsuDirect, build: 337 })
    );
    assert!(direct.to_packet(Context::new(338)).is_ok());

    // Before b320 a client's messages go to #osu.
    let lobby = E::Message(message("", "hi", "#lobby", -1));
    assert_eq!(
        lobby.to_packet(Context::new(319)),
        Err(ClientEventError::TargetNotInBuild { target: "#lobby".into(), build: 319 })
    );
    assert!(lobby.to_packet(Context::new(320)).is_ok());

    // Messages for the errors.
    assert_eq!(
        ClientEventError::NotDirectMessage { target: "peppy".into() }.to_string(),
        "private message to \"peppy\" is not flagged as a direct message"
    );
    assert_eq!(
        ClientEventError::NotInBuild { name: "OsuInvite", build: 1000 }.to_string(),
        "b1000 has no OsuInvite packet"
    );
    let error: Box<dyn std::error::Error> =
        Box::new(ClientEventError::StatusNotInBuild { status: Status::OsuDirect, build: 300 });
    assert_eq!(error.to_string(), "b300 clients cannot send the status OsuDirect");
}

#[test]
fn events_borrow_from_the_payload() {
    let payload = Bytes::default().str("").str("borrowed").str("#osu").0;
    let ctx = Context::new(1000);
    let Ok(ClientEvent::Message(message)) = read("OsuMessage", &payload, ctx) else { panic!() };
    assert!(matches!(message.content, Cow::Borrowed("borrowed")));
}

#[test]
fn serde_round_trip() {
    let ctx = Context::NEWEST;
    let events = sample_events(ctx);
    let text = serde_json::to_string(&events).unwrap();
    let back: Vec<ClientEvent<'_>> = serde_json::from_str(&text).unwrap();
    assert_eq!(back, events);
}
