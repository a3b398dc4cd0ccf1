//! Subscriptions: pushes go to subscribers only, start from the current state, and stop on
//! unsubscribe.

use chio_api::server::Approval;
use chio_api::state::{HostStatus, SpectatingStatus, Status, UserStatus};
use serde_json::json;

use crate::common::*;

fn playing(mods: u32) -> Status {
    Status { status: UserStatus::Playing, gamemode: 0, mods, beatmap: None }
}

fn spectating() -> SpectatingStatus {
    SpectatingStatus {
        is_spectating: true,
        host_status: Some(HostStatus::Playing),
        other_spectators: vec!["a".into()],
        beatmap: None,
    }
}

#[tokio::test]
async fn subscribing_answers_the_list_then_the_current_state() {
    let server = start(Answer::Now(Approval::Approve)).await;
    let mut raw = authed(&server, "overlay", "subscribe").await;
    raw.send(json!({"type": "subscribe", "events": ["status"]})).await;
    assert_eq!(raw.recv().await, json!({"type": "subscribe", "events": ["status"]}));
    assert_eq!(raw.recv().await["status"], "idle");

    // The answer lists every subscribed event, in a fixed order; only new ones are pushed.
    raw.send(json!({"type": "subscribe", "events": ["multiplayer_status", "status", "multiplayer_status"]}))
        .await;
    assert_eq!(raw.recv().await, json!({"type": "subscribe", "events": ["status", "multiplayer_status"]}));
    assert_eq!(raw.recv().await["type"], "multiplayer_status");
    raw.expect_silence().await;
}

#[tokio::test]
async fn changes_reach_subscribers_of_that_event_only() {
    let server = start(Answer::Now(Approval::Approve)).await;
    let mut subscriber = authed(&server, "overlay", "read|subscribe").await;
    subscriber.send(json!({"type": "subscribe", "events": ["status"]})).await;
    assert_eq!(subscriber.recv().await["type"], "subscribe");
    assert_eq!(subscriber.recv().await["status"], "idle");
    let mut reader = authed(&server, "reader", "read").await;

    server.state.set_status(playing(8));
    let pushed = subscriber.recv().await;
    assert_eq!(pushed["type"], "status");
    assert_eq!(pushed["status"], "playing");
    assert_eq!(pushed["mods"], 8);

    // Not subscribed to spectating: no push.
    server.state.set_spectating_status(spectating());
    subscriber.expect_silence().await;
    // Not a subscriber at all: no push, but asking works.
    reader.expect_silence().await;
    reader.send(json!({"type": "spectating_status"})).await;
    let answer = reader.recv().await;
    assert_eq!(answer["is_spectating"], true);
    assert_eq!(answer["host_status"], "playing");
    assert_eq!(answer["other_spectators"], json!(["a"]));
}

#[tokio::test]
async fn unsubscribing_stops_the_pushes() {
    let server = start(Answer::Now(Approval::Approve)).await;
    let mut raw = authed(&server, "overlay", "subscribe").await;
    raw.send(json!({"type": "subscribe", "events": ["status", "spectating_status"]})).await;
    assert_eq!(raw.recv().await["events"], json!(["status", "spectating_status"]));
    raw.recv().await;
    raw.recv().await;

    raw.send(json!({"type": "unsubscribe", "events": ["spectating_status"]})).await;
    assert_eq!(raw.recv().await, json!({"type": "unsubscribe", "events": ["status"]}));
    server.state.set_spectating_status(spectating());
    raw.expect_silence().await;
    server.state.set_status(playing(0));
    assert_eq!(raw.recv().await["status"], "playing");

    raw.send(json!({"type": "unsubscribe", "events": ["status"]})).await;
    assert_eq!(raw.recv().await, json!({"type": "unsubscribe", "events": []}));
    server.state.set_status(playing(16));
    raw.expect_silence().await;
}

#[tokio::test]
async fn a_burst_of_changes_leaves_the_subscriber_current() {
    let server = start(Answer::Now(Approval::Approve)).await;
    let mut raw = authed(&server, "overlay", "subscribe").await;
    raw.send(json!({"type": "subscribe", "events": ["status"]})).await;
    raw.recv().await;
    raw.recv().await;
    // More changes than the announcement backlog holds.
    for mods in 1..=200 {
        server.state.set_status(playing(mods));
    }
    let mut last = None;
    while let Ok(Ok(Some(frame))) = tokio::time::timeout(QUIET, raw.io.read_frame()).await {
        last = Some(serde_json::from_slice::<serde_json::Value>(&frame).unwrap());
    }
    assert_eq!(last.expect("no push")["mods"], 200);
}
