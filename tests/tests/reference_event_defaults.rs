//! Needs the pinned reference (`scripts/reference-env.sh`; see tests/README.md).
//!
//! The event layer's defaults against the reference's (chio 1.1.21): its dataclasses'
//! field defaults and its writers' default arguments, read from the reference itself.
//! The differences kept are asserted as such (each is documented where it is defined).

use chio_packets::Context;
use chio_packets::beatmaps::Rank;
use chio_packets::catalog::ServerPacket;
use chio_packets::events::{ChatMessage, ServerEvent, UserInfo};
use chio_packets::multiplayer::{Match, MatchSlot, SlotStatus};
use chio_packets::presence::QuitState;
use chio_packets::session::{BanchoRestart, BanchoSilenceInfo, BanchoSwitchServer};
use chio_packets::spectating::ReplayFrameBundle;
use chio_tests::reference;
use serde_json::{Value, json};

/// The reference's defaults as JSON (dataclasses as objects, enums and flags as values).
const DEFAULTS: &str = r#"
import json, dataclasses, enum, inspect
from chio.types import UserInfo, UserQuit, Message, ReplayFrameBundle, Match, MatchSlot, BeatmapInfo
client = chio.select_client(20250306)
def argument(method, name):
    return inspect.signature(getattr(client, method)).parameters[name].default
info = BeatmapInfo(0, 0, 0, 0, 0, "")
print(json.dumps({
    "user": norm(UserInfo()),
    "message_sender_id": Message("", "", "").sender_id,
    "quit_state": norm(UserQuit().state),
    "bundle": norm(ReplayFrameBundle()),
    "match": norm(Match()),
    "slot": norm(MatchSlot()),
    "padding": norm(chio.select_client(20121224).adjusted_match_slots(Match())),
    "ranks": [norm(info.osu_rank), norm(info.taiko_rank), norm(info.fruits_rank), norm(info.mania_rank)],
    "restart_ms": argument("write_restart", "retry_after_ms"),
    "switch_server_after": argument("write_switch_server", "after_idle_time"),
    "silence_seconds": argument("write_silence_info", "length_seconds"),
    "protocol_version": argument("write_protocol_negotiation", "version"),
}))
"#;

fn reference_defaults() -> Value {
    serde_json::from_slice(&reference::run_snippet(DEFAULTS, b"")).expect("the reference's JSON")
}

/// Our [`UserInfo`] in the shape of the reference's.
fn user_shape(user: &UserInfo<'_>) -> Value {
    let (presence, status, stats) = (&user.presence, &user.status, &user.stats);
    json!({
        "id": user.id,
        "name": user.name,
        "presence": {
            "is_irc": presence.is_irc,
            "timezone": presence.timezone,
            "country_index": presence.country.index(),
            "permissions": presence.permissions.bits(),
            "longitude": f64::from(presence.longitude),
            "latitude": f64::from(presence.latitude),
            "city": presence.city,
        },
        "status": {
            "action": status.action as u8,
            "text": status.text,
            "mods": status.mods.bits(),
            "mode": status.mode as u8,
            "beatmap_checksum": status.beatmap_checksum,
            "beatmap_id": status.beatmap_id,
            "update_stats": status.update_stats,
        },
        "stats": {
            "rank": stats.rank,
            "rscore": stats.ranked_score,
            "tscore": stats.total_score,
            "accuracy": stats.accuracy,
            "playcount": stats.play_count,
            "pp": stats.pp,
        },
    })
}

fn slot_shape(slot: &MatchSlot) -> Value {
    json!({"user_id": slot.user_id, "status": slot.status.bits(), "team": slot.team as u8})
}

#[test]
fn defaults_are_the_references() {
    let reference = reference_defaults();

    // A user: presence (permissions Regular), status (Idle, osu!, map id -1), stats.
    assert_eq!(user_shape(&UserInfo::default()), reference["user"]);
    assert_eq!(reference["user"]["presence"]["permissions"], 1);
    assert_eq!(reference["user"]["status"]["beatmap_id"], -1);

    assert_eq!(json!(ChatMessage::default().sender_id), reference["message_sender_id"]);
    assert_eq!(json!(QuitState::default() as u8), reference["quit_state"]);
    for (rank, expected) in [Rank::default(); 4].iter().zip(reference["ranks"].as_array().unwrap()) {
        assert_eq!(json!(*rank as i8), *expected);
    }

    // The writers' default arguments.
    assert_eq!(json!(BanchoRestart::default().retry_after_ms), reference["restart_ms"]);
    assert_eq!(json!(BanchoSwitchServer::default().after_idle_time), reference["switch_server_after"]);
    assert_eq!(json!(BanchoSilenceInfo::default().seconds), reference["silence_seconds"]);
    // No version: the connection's, as the reference's `version or protocol_version`.
    assert_eq!(reference["protocol_version"], Value::Null);
    for ctx in [Context::new(20121224), Context::new(20121224).with_protocol(19), Context::NEWEST] {
        match &ServerEvent::ProtocolNegotiation(None).packets(ctx)[..] {
            [ServerPacket::BanchoProtocolNegotiation(p)] => assert_eq!(p.version, i32::from(ctx.protocol())),
            other => panic!("{other:?}"),
        }
    }
}

/// Spectate frames: the reference's `sequence` is `None` where ours is 0 (documented on
/// `ReplayFrameBundle::sequence` and in `events::client`); the rest agrees.
#[test]
fn replay_bundle_defaults_differ_only_in_the_sequence() {
    let reference = &reference_defaults()["bundle"];
    let ours = ReplayFrameBundle::default();
    assert_eq!(json!(ours.action as u8), reference["action"]);
    assert_eq!(json!(ours.extra), reference["extra"]);
    assert!(ours.frames.is_empty() && reference["frames"] == json!([]));
    assert!(ours.score_frame.is_none() && reference["frame"].is_null());
    assert_eq!((ours.sequence, &reference["sequence"]), (0, &Value::Null));
}

/// Matches: the fields agree; the slots are the ones the reference sends for its empty
/// match (its `Match()` has none, and its writers pad with locked slots), and the
/// default slot is that padding slot, where the reference's `MatchSlot()` is open.
#[test]
fn match_defaults_are_what_the_reference_sends() {
    let reference = reference_defaults();
    let ours = Match::default();
    let fields = json!({
        "id": ours.id,
        "in_progress": ours.in_progress,
        "type": ours.match_type as u8,
        "mods": ours.mods.bits(),
        "name": ours.name,
        "password": ours.password,
        "beatmap_text": ours.beatmap_text,
        "beatmap_id": ours.beatmap_id,
        "beatmap_checksum": ours.beatmap_checksum,
        "slots": [],
        "host_id": ours.host_id,
        "mode": ours.mode as u8,
        "scoring_type": ours.scoring_type as u8,
        "team_type": ours.team_type as u8,
        "freemod": ours.freemod,
        "seed": ours.seed,
    });
    assert_eq!(fields, reference["match"]);
    let padding: Vec<Value> = reference["padding"]
        .as_array()
        .unwrap()
        .iter()
        .map(|slot| json!({"user_id": slot["user_id"], "status": slot["status"], "team": slot["team"]}))
        .collect();
    assert_eq!(ours.slots.iter().map(slot_shape).collect::<Vec<_>>(), padding);
    assert_eq!(slot_shape(&MatchSlot::default()), padding[0]);
    let open = MatchSlot { status: SlotStatus::OPEN, ..MatchSlot::default() };
    let slot = &reference["slot"];
    assert_eq!(
        slot_shape(&open),
        json!({"user_id": slot["user_id"], "status": slot["status"], "team": slot["team"]})
    );
}
