//! The permission matrix: each permission against each request.

use chio_api::server::Approval;
use chio_api::state::{MatchType, MultiplayerStatus, Room, ScoringType, TeamType};
use serde_json::{Value, json};

use crate::common::*;

/// What a request gets with enough permission.
#[derive(Clone, Copy, Debug)]
enum Allowed {
    /// An answer of this `type`.
    Answer(&'static str),
    /// Nothing (a notification).
    Silence,
    /// `unsupported_feature`: the game cannot do it (no host carries interactions out).
    Unsupported,
}

/// Each request, the permission it needs (`None`: no request defines it; `""`: none), and
/// its answer.
fn requests() -> Vec<(Value, Option<&'static str>, Allowed)> {
    vec![
        (json!({"type": "status"}), Some("read"), Allowed::Answer("status")),
        (json!({"type": "spectating_status"}), Some("read"), Allowed::Answer("spectating_status")),
        (json!({"type": "multiplayer_status"}), Some("read"), Allowed::Answer("multiplayer_status")),
        (json!({"type": "subscribe", "events": []}), Some("subscribe"), Allowed::Answer("subscribe")),
        // Stopping pushes needs no permission ("": none).
        (json!({"type": "unsubscribe", "events": ["status"]}), Some(""), Allowed::Answer("unsubscribe")),
        (json!({"type": "notification", "message": "hello"}), Some("notify"), Allowed::Silence),
        // With interact, but no host that carries it out here: unsupported (see below).
        (json!({"type": "get_attention"}), Some("interact"), Allowed::Unsupported),
        // A request no revision defines.
        (json!({"type": "open_beatmap", "beatmap_id": 1}), None, Allowed::Silence),
    ]
}

const PERMISSIONS: [&str; 5] = ["read", "subscribe", "notify", "interact", "full"];

#[tokio::test]
async fn every_permission_against_every_request() {
    let server = start(Answer::Now(Approval::Deny)).await;
    let mut notifications = server.state.notifications();
    let mut cases = 0;
    for (p, permission) in PERMISSIONS.into_iter().enumerate() {
        for (r, (request, needs, allowed)) in requests().into_iter().enumerate() {
            let application = format!("app-{p}-{r}");
            let mut raw = authed(&server, &application, permission).await;
            raw.send(request.clone()).await;
            let request_type = request["type"].as_str().unwrap();
            let holds =
                needs.is_some_and(|needed| needed.is_empty() || permission == "full" || permission == needed);
            match (needs, holds, allowed) {
                (None, _, _) => assert_eq!(
                    raw.recv().await,
                    json!({"type": "error", "error": "unsupported_feature", "request": request_type}),
                    "{permission} × {request}"
                ),
                (Some(_), false, _) => assert_eq!(
                    raw.recv().await,
                    json!({"type": "error", "error": "permission_error", "request": request_type}),
                    "{permission} × {request}"
                ),
                (Some(_), true, Allowed::Unsupported) => assert_eq!(
                    raw.recv().await,
                    json!({"type": "error", "error": "unsupported_feature", "request": request_type}),
                    "{permission} × {request}"
                ),
                (Some(_), true, Allowed::Answer(kind)) => {
                    assert_eq!(raw.recv().await["type"], kind, "{permission} × {request}");
                }
                (Some(_), true, Allowed::Silence) => {
                    let shown = notifications.recv().await.unwrap();
                    assert_eq!(
                        (shown.application.as_str(), shown.message.as_str()),
                        (application.as_str(), "hello")
                    );
                }
            }
            // A probe: its answer must come next, so nothing else was sent.
            raw.send(json!({"type": "probe"})).await;
            assert_eq!(
                raw.recv().await,
                json!({"type": "error", "error": "unsupported_feature", "request": "probe"}),
                "{permission} × {request}: an unexpected message came first"
            );
            cases += 1;
        }
    }
    assert_eq!(cases, PERMISSIONS.len() * requests().len());
    assert!(notifications.try_recv().is_err(), "only permitted notifications are shown");
}

#[tokio::test]
async fn disconnect_needs_no_permission() {
    let server = start(Answer::Now(Approval::Deny)).await;
    for permission in PERMISSIONS {
        let mut raw = authed(&server, "overlay", permission).await;
        raw.send(json!({"type": "disconnect", "reason": "shutdown"})).await;
        raw.expect_closed().await;
    }
}

#[tokio::test]
async fn permission_is_checked_before_the_fields() {
    let server = start(Answer::Now(Approval::Deny)).await;
    let mut reader = authed(&server, "reader", "read").await;
    reader.send(json!({"type": "notification"})).await;
    assert_eq!(reader.recv().await["error"], "permission_error");
    let mut notifier = authed(&server, "notifier", "notify").await;
    notifier.send(json!({"type": "notification"})).await;
    assert_eq!(notifier.recv().await["error"], "invalid_request");
}

#[tokio::test]
async fn only_interact_sees_the_room_password() {
    let server = start(Answer::Now(Approval::Deny)).await;
    server.state.set_multiplayer_status(MultiplayerStatus {
        multiplayer_enabled: true,
        room: Some(Room {
            matchtype: MatchType::Standard,
            scoring_type: ScoringType::Accuracy,
            team_type: TeamType::HeadToHead,
            name: "secret room".into(),
            has_password: true,
            password: Some("hunter2".into()),
            max_slots: 16,
            mods: 0,
            specials: None,
            users: Vec::new(),
        }),
    });
    for (permission, sees) in
        [("read", false), ("read|subscribe|notify", false), ("read|interact", true), ("full", true)]
    {
        let mut raw = authed(&server, "overlay", permission).await;
        raw.send(json!({"type": "multiplayer_status"})).await;
        let room = raw.recv().await["room"].clone();
        assert_eq!(room["name"], "secret room");
        assert_eq!(room["has_password"], true);
        assert_eq!(room.get("password").is_some(), sees, "{permission}: {room}");
        if sees {
            assert_eq!(room["password"], "hunter2");
        }
    }
    // Pushes are redacted the same way.
    let mut subscriber = authed(&server, "subscriber", "subscribe").await;
    subscriber.send(json!({"type": "subscribe", "events": ["multiplayer_status"]})).await;
    assert_eq!(subscriber.recv().await["type"], "subscribe");
    let pushed = subscriber.recv().await;
    assert_eq!(pushed["type"], "multiplayer_status");
    assert!(pushed["room"].get("password").is_none());
}

#[tokio::test]
async fn get_attention_needs_interact_and_a_game_that_can() {
    let server = start(Answer::Now(Approval::Deny)).await;
    // Without interact: refused, whatever else the session holds.
    let mut reader = authed(&server, "reader", "read|subscribe|notify").await;
    reader.send(json!({"type": "get_attention"})).await;
    assert_eq!(
        reader.recv().await,
        json!({"type": "error", "error": "permission_error", "request": "get_attention"})
    );
    // With interact but nothing that can carry it out (a simulation): unsupported.
    let mut app = authed(&server, "alerts", "interact").await;
    app.send(json!({"type": "get_attention"})).await;
    assert_eq!(
        app.recv().await,
        json!({"type": "error", "error": "unsupported_feature", "request": "get_attention"})
    );
    // A host that carries interactions out (the proxy) sees it; the app gets no answer.
    let mut interactions = server.state.interactions();
    app.send(json!({"type": "get_attention"})).await;
    let requested = interactions.recv().await.unwrap();
    assert_eq!(requested.application, "alerts");
    assert_eq!(requested.interaction, chio_api::source::Interaction::GetAttention);
    app.send(json!({"type": "probe"})).await;
    assert_eq!(app.recv().await["request"], "probe", "no answer came before the probe's");
}

#[tokio::test]
async fn get_attention_needs_a_logged_in_player() {
    let server = start(Answer::Now(Approval::Deny)).await;
    let _interactions = server.state.interactions();
    server.state.set_username(None);
    let mut app = authed(&server, "alerts", "interact").await;
    app.send(json!({"type": "get_attention"})).await;
    assert_eq!(
        app.recv().await,
        json!({"type": "error", "error": "unsupported_feature", "request": "get_attention"})
    );
}
