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

/// Every message that arrives within `window`.
async fn drain(raw: &mut Raw, window: std::time::Duration) -> Vec<(tokio::time::Instant, serde_json::Value)> {
    let mut seen = Vec::new();
    let deadline = tokio::time::Instant::now() + window;
    while let Ok(Ok(Some(frame))) = tokio::time::timeout_at(deadline, raw.io.read_frame()).await {
        seen.push((tokio::time::Instant::now(), serde_json::from_slice(&frame).unwrap()));
    }
    seen
}

#[tokio::test]
async fn a_read_request_is_followed_by_its_changes_until_unsubscribed() {
    // As both seed revisions say: the answer "should also be sent when a change happens",
    // to a client that never subscribes (and may not hold subscribe).
    let server = start(Answer::Now(Approval::Approve)).await;
    let mut reader = authed(&server, "reader", "read").await;
    server.state.set_status(playing(1));
    reader.expect_silence().await; // nothing asked yet, nothing pushed
    reader.send(json!({"type": "status"})).await;
    assert_eq!(reader.recv().await["mods"], 1);

    server.state.set_status(playing(2));
    let pushed = reader.recv().await;
    assert_eq!((pushed["type"].clone(), pushed["mods"].clone()), (json!("status"), json!(2)));
    // Only the kind asked for: spectating was never asked.
    server.state.set_spectating_status(spectating());
    reader.expect_silence().await;

    // unsubscribe (no permission needed) stops them.
    reader.send(json!({"type": "unsubscribe", "events": ["status"]})).await;
    assert_eq!(reader.recv().await, json!({"type": "unsubscribe", "events": []}));
    server.state.set_status(playing(3));
    reader.expect_silence().await;
}

#[tokio::test]
async fn only_the_kind_that_changed_is_pushed() {
    let server = start(Answer::Now(Approval::Approve)).await;
    let mut raw = authed(&server, "overlay", "read|subscribe").await;
    raw.send(json!({"type": "subscribe", "events": ["status", "spectating_status", "multiplayer_status"]}))
        .await;
    assert_eq!(raw.recv().await["type"], "subscribe");
    for _ in 0..3 {
        raw.recv().await;
    }
    tokio::time::sleep(QUIET).await;
    server.state.set_spectating_status(spectating());
    let pushes = drain(&mut raw, QUIET * 2).await;
    let types: Vec<_> = pushes.iter().map(|(_, message)| message["type"].clone()).collect();
    assert_eq!(types, [json!("spectating_status")]);
}

#[tokio::test]
async fn pushes_are_coalesced_per_kind_the_latest_state_winning() {
    let interval = std::time::Duration::from_millis(80);
    let config = chio_api::server::ServerConfig { push_interval: interval, ..config() };
    let server = start_with(config, Answer::Now(Approval::Approve)).await;
    let mut raw = authed(&server, "overlay", "subscribe").await;
    raw.send(json!({"type": "subscribe", "events": ["status"]})).await;
    raw.recv().await;
    raw.recv().await;

    // A burst within one interval: at most one push per interval, the last state at the end.
    for mods in 1..=30 {
        server.state.set_status(playing(mods));
    }
    let pushes = drain(&mut raw, std::time::Duration::from_millis(400)).await;
    assert!(!pushes.is_empty() && pushes.len() <= 2, "{} pushes", pushes.len());
    assert_eq!(pushes.last().unwrap().1["mods"], 30, "the last state is never dropped");

    // Steady changes every 10 ms for 400 ms: pushes come at most once per interval (the
    // count is bounded by the time taken, which holds however late the reader reads).
    let started = tokio::time::Instant::now();
    let changes = tokio::spawn({
        let state = server.state.clone();
        async move {
            for mods in 100..140 {
                state.set_status(playing(mods));
                tokio::time::sleep(std::time::Duration::from_millis(10)).await;
            }
        }
    });
    let mut pushes = 0u128;
    loop {
        let pushed = raw.recv().await;
        pushes += 1;
        if pushed["mods"] == 139 {
            break;
        }
    }
    let bound = started.elapsed().as_millis() / interval.as_millis() + 2;
    changes.await.unwrap();
    assert!((2..=bound).contains(&pushes), "{pushes} pushes, at most {bound} allowed");
    raw.expect_silence().await;

    // A change pushed at once, then a change and its undoing within the interval: the
    // deferred push would repeat what the session has, so it is not sent.
    tokio::time::sleep(interval * 2).await;
    server.state.set_status(playing(8));
    server.state.set_status(playing(9));
    server.state.set_status(playing(8));
    let pushes = drain(&mut raw, interval * 3).await;
    let mods: Vec<_> = pushes.iter().map(|(_, message)| message["mods"].clone()).collect();
    assert_eq!(mods, [json!(8)]);
}
