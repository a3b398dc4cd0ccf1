//! Every auth state, and tokens reused across connections, scopes and players.

use std::time::Duration;

use chio_api::auth::Scope;
use chio_api::permission::Permissions;
use chio_api::server::Approval;
use serde_json::json;

use crate::common::*;

/// Authenticates on a fresh connection; returns the response and the still-open connection.
async fn auth(
    server: &TestServer,
    application: &str,
    permissions: &str,
    scope: &str,
    token: Option<&str>,
) -> (serde_json::Value, Raw) {
    let mut raw = Raw::connect(server.addr).await;
    let answer = raw.auth(application, permissions, scope, token).await;
    (answer, raw)
}

fn token_of(answer: &serde_json::Value) -> String {
    answer["token"].as_str().expect("no token").to_owned()
}

#[tokio::test]
async fn approval_is_whitelisted_with_a_fresh_token() {
    let server = start(Answer::Now(Approval::Approve)).await;
    let (answer, _raw) = auth(&server, "overlay", "read|notify", "user", None).await;
    assert_eq!(answer["state"], "whitelisted");
    let token = token_of(&answer);
    assert!(token.len() == 64 && token.bytes().all(|b| b.is_ascii_hexdigit()));

    let asked = server.approvals.asked();
    assert_eq!(asked.len(), 1);
    assert_eq!(asked[0].application, "overlay");
    assert_eq!(asked[0].description, "a test application");
    assert_eq!(asked[0].permissions, Permissions::READ | Permissions::NOTIFY);
    assert_eq!(asked[0].scope, Scope::User);
    assert_eq!(asked[0].username.as_deref(), Some(PLAYER));
    assert!(asked[0].peer.ip().is_loopback());

    let grants = server.handle.grants();
    assert_eq!(grants.len(), 1);
    assert_eq!(grants[0].username.as_deref(), Some(PLAYER));
    assert!(!format!("{grants:?}").contains(&token), "the store must not keep the token");
}

#[tokio::test]
async fn refusals_close_the_connection() {
    for (approval, state) in
        [(Approval::Deny, "denied"), (Approval::Busy, "invalid_state"), (Approval::Blacklist, "blacklisted")]
    {
        let server = start(Answer::Now(approval)).await;
        let (answer, mut raw) = auth(&server, "overlay", "read", "client", None).await;
        assert_eq!(answer, json!({"type": "auth", "state": state}));
        raw.expect_closed().await;
        assert!(server.handle.grants().is_empty());
        assert!(server.handle.sessions().is_empty());
    }
}

#[tokio::test]
async fn a_blacklist_answer_holds_for_later_connections() {
    let server = start(Answer::Now(Approval::Blacklist)).await;
    let (answer, _) = auth(&server, "spammer", "read", "client", None).await;
    assert_eq!(answer["state"], "blacklisted");
    assert!(server.handle.is_blacklisted("spammer"));
    server.approvals.set(Answer::Now(Approval::Approve));
    let (answer, _) = auth(&server, "spammer", "read", "client", None).await;
    assert_eq!(answer["state"], "blacklisted");
    assert_eq!(server.approvals.asked().len(), 1, "a blacklisted name is refused without asking");
}

#[tokio::test]
async fn blacklisting_while_the_player_is_asked_wins_over_the_approval() {
    let server = start(Answer::Later(Approval::Approve, Duration::from_millis(150))).await;
    let mut raw = Raw::connect(server.addr).await;
    raw.send(json!({"type": "auth", "application": "sneaky", "permissions": "read", "scope": "client"}))
        .await;
    eventually(|| server.approvals.asked().len() == 1).await;
    server.handle.blacklist("sneaky");
    assert_eq!(raw.recv().await, json!({"type": "auth", "state": "blacklisted"}));
    raw.expect_closed().await;
    assert!(server.handle.grants().is_empty());
}

#[tokio::test]
async fn scope_user_without_a_player_is_invalid_state() {
    let server = start(Answer::Now(Approval::Approve)).await;
    server.state.set_username(None);
    let (answer, mut raw) = auth(&server, "overlay", "read", "user", None).await;
    assert_eq!(answer["state"], "invalid_state");
    raw.expect_closed().await;
    assert!(server.approvals.asked().is_empty());
    // Scope client does not need a player.
    let (answer, _) = auth(&server, "overlay", "read", "client", None).await;
    assert_eq!(answer["state"], "whitelisted");
}

#[tokio::test]
async fn malformed_auth_requests_are_protocol_errors() {
    let server = start(Answer::Now(Approval::Approve)).await;
    let bad = [
        json!({"type": "auth", "application": "x", "permissions": "read|admin", "scope": "client"}),
        json!({"type": "auth", "application": "x", "permissions": "", "scope": "client"}),
        json!({"type": "auth", "application": "x", "permissions": "read", "scope": "everyone"}),
        json!({"type": "auth", "permissions": "read", "scope": "client"}),
        json!({"type": "auth", "application": "", "permissions": "read", "scope": "client"}),
        json!({"type": "auth", "application": "x".repeat(65), "permissions": "read", "scope": "client"}),
        json!({"type": "auth", "application": "x", "permissions": "read", "scope": "client", "token": 5}),
        json!({"type": "auth", "application": "x", "description": "\u{1b}[2J", "permissions": "read", "scope": "client"}),
    ];
    for request in bad {
        let mut raw = Raw::connect(server.addr).await;
        raw.send(request.clone()).await;
        assert_eq!(raw.recv().await, json!({"type": "auth", "state": "protocol_error"}), "{request}");
        raw.expect_closed().await;
    }
    assert!(server.approvals.asked().is_empty());
}

#[tokio::test]
async fn a_token_skips_approval_on_later_connections() {
    let server = start(Answer::Now(Approval::Approve)).await;
    let (answer, first) = auth(&server, "overlay", "read|subscribe", "client", None).await;
    let token = token_of(&answer);
    drop(first);

    server.approvals.set(Answer::Now(Approval::Deny));
    // Several connections at once, each with the same token.
    let mut connections = Vec::new();
    for _ in 0..3 {
        let (answer, raw) = auth(&server, "overlay", "read|subscribe", "client", Some(&token)).await;
        // `ok` echoes the token presented: it stays valid.
        assert_eq!(answer, json!({"type": "auth", "state": "ok", "token": token}));
        connections.push(raw);
    }
    eventually(|| server.handle.sessions().len() == 3).await;
    assert_eq!(server.approvals.asked().len(), 1, "the token must skip the prompt");
    assert_eq!(server.handle.grants().len(), 1);
}

#[tokio::test]
async fn a_token_covers_fewer_permissions_but_not_more() {
    let server = start(Answer::Now(Approval::Approve)).await;
    let (answer, _) = auth(&server, "overlay", "read|notify", "client", None).await;
    let token = token_of(&answer);

    // Fewer: ok, and the session holds only what it asked for.
    let (answer, mut narrow) = auth(&server, "overlay", "read", "client", Some(&token)).await;
    assert_eq!(answer["state"], "ok");
    narrow.send(json!({"type": "notification", "message": "hi"})).await;
    assert_eq!(narrow.recv().await["error"], "permission_error");

    // More: the player is asked again; approval replaces the old grant with a new token.
    let (answer, _) = auth(&server, "overlay", "full", "client", Some(&token)).await;
    assert_eq!(answer["state"], "whitelisted");
    let wider = token_of(&answer);
    assert_ne!(wider, token);
    assert_eq!(server.approvals.asked().len(), 2);
    let grants = server.handle.grants();
    assert_eq!(grants.len(), 1);
    assert_eq!(grants[0].permissions, Permissions::FULL);

    server.approvals.set(Answer::Now(Approval::Deny));
    let (answer, _) = auth(&server, "overlay", "read", "client", Some(&token)).await;
    assert_eq!(answer["state"], "denied", "the replaced token must be dead");
    let (answer, _) = auth(&server, "overlay", "read", "client", Some(&wider)).await;
    assert_eq!(answer["state"], "ok");
}

#[tokio::test]
async fn tokens_do_not_cross_scopes_players_or_applications() {
    let server = start(Answer::Now(Approval::Approve)).await;
    let (answer, _) = auth(&server, "overlay", "read", "client", None).await;
    let client_token = token_of(&answer);
    let (answer, _) = auth(&server, "overlay", "read", "user", None).await;
    let user_token = token_of(&answer);
    assert_eq!(server.approvals.asked().len(), 2);

    server.approvals.set(Answer::Now(Approval::Deny));
    let refused = [
        ("overlay", "user", &client_token),
        ("overlay", "client", &user_token),
        ("impostor", "client", &client_token),
    ];
    for (application, scope, token) in refused {
        let (answer, _) = auth(&server, application, "read", scope, Some(token)).await;
        assert_eq!(answer["state"], "denied", "{application} {scope}");
    }
    assert_eq!(server.approvals.asked().len(), 5);

    // Scope user is bound to the player: another player is asked again, the same one is not.
    let (answer, _) = auth(&server, "overlay", "read", "user", Some(&user_token)).await;
    assert_eq!(answer["state"], "ok");
    server.state.set_username(Some("someone_else".into()));
    let (answer, _) = auth(&server, "overlay", "read", "user", Some(&user_token)).await;
    assert_eq!(answer["state"], "denied");
    // Scope client holds for whoever is logged in.
    let (answer, _) = auth(&server, "overlay", "read", "client", Some(&client_token)).await;
    assert_eq!(answer["state"], "ok");
}

#[tokio::test]
async fn an_unknown_or_odd_token_is_not_an_error_it_just_asks() {
    let server = start(Answer::Now(Approval::Approve)).await;
    for token in ["HHWnH0XpdWzej7Ir", &"0".repeat(64), ""] {
        let (answer, _) = auth(&server, "overlay", "read", "client", Some(token)).await;
        assert_eq!(answer["state"], "whitelisted", "{token:?}");
        assert_ne!(answer["token"], json!(token));
    }
    assert_eq!(server.approvals.asked().len(), 3);
}

#[tokio::test]
async fn a_whitelisted_name_is_ok_without_asking_within_its_permissions() {
    let server = start(Answer::Now(Approval::Deny)).await;
    server.handle.whitelist("obs overlay", "read|subscribe".parse().unwrap());
    let (answer, _) = auth(&server, "obs overlay", "read", "client", None).await;
    assert_eq!(answer["state"], "ok");
    let token = token_of(&answer);
    assert!(server.approvals.asked().is_empty());

    // Beyond the whitelisted permissions, the player decides.
    let (answer, _) = auth(&server, "obs overlay", "read|notify", "client", None).await;
    assert_eq!(answer["state"], "denied");
    assert_eq!(server.approvals.asked().len(), 1);

    // The token issued through the whitelist outlives the whitelisting.
    assert!(server.handle.unwhitelist("obs overlay"));
    let (answer, _) = auth(&server, "obs overlay", "read", "client", Some(&token)).await;
    assert_eq!(answer["state"], "ok");
}
