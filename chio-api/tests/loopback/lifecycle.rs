//! Every way a connection begins and ends.

use std::time::Duration;

use chio_api::message::DisconnectReason;
use chio_api::server::{ApiServer, Approval, ServerConfig, ServerError};
use chio_api::source::SharedState;
use serde_json::json;

use crate::common::*;

#[tokio::test]
async fn connect_authenticate_request_and_leave() {
    let server = start(Answer::Now(Approval::Approve)).await;
    let mut raw = Raw::connect(server.addr).await;
    let answer = raw.auth("overlay", "read", "client", None).await;
    assert_eq!(answer["type"], "auth");
    assert_eq!(answer["state"], "whitelisted");
    assert_eq!(answer["token"].as_str().unwrap().len(), 64);
    eventually(|| server.handle.sessions().len() == 1).await;
    let session = &server.handle.sessions()[0];
    assert_eq!(session.application, "overlay");
    assert_eq!(session.permissions.to_string(), "read");

    raw.send(json!({"type": "status"})).await;
    let status = raw.recv().await;
    assert_eq!(status["type"], "status");
    assert_eq!(status["status"], "idle");

    raw.send(json!({"type": "disconnect", "reason": "shutdown"})).await;
    raw.expect_closed().await;
    eventually(|| server.handle.sessions().is_empty()).await;
}

#[tokio::test]
async fn a_hang_up_ends_the_session() {
    let server = start(Answer::Now(Approval::Approve)).await;
    let raw = authed(&server, "overlay", "read").await;
    eventually(|| server.handle.sessions().len() == 1).await;
    drop(raw);
    eventually(|| server.handle.sessions().is_empty()).await;
}

#[tokio::test]
async fn shutdown_disconnects_every_session_and_stops_serving() {
    let server = start(Answer::Now(Approval::Approve)).await;
    let mut first = authed(&server, "overlay", "read").await;
    let mut second = authed(&server, "tracker", "read|subscribe").await;
    // Connected and served, not yet authenticated.
    let mut waiting = Raw::connect(server.addr).await;
    waiting.send(json!({"type": "status"})).await;
    assert_eq!(waiting.recv().await["error"], "not_authentified");
    eventually(|| server.handle.sessions().len() == 2).await;

    server.handle.shutdown(DisconnectReason::Shutdown);
    for raw in [&mut first, &mut second, &mut waiting] {
        assert_eq!(raw.recv().await, json!({"type": "disconnect", "reason": "shutdown"}));
        raw.expect_closed().await;
    }
    tokio::time::timeout(PATIENCE, server.task).await.expect("serve did not return").unwrap();
    assert!(tokio::net::TcpStream::connect(server.addr).await.is_err(), "still accepting");
}

#[tokio::test]
async fn restart_is_announced_as_restart() {
    let server = start(Answer::Now(Approval::Approve)).await;
    let mut raw = authed(&server, "overlay", "read").await;
    server.handle.shutdown(DisconnectReason::Restart);
    assert_eq!(raw.recv().await, json!({"type": "disconnect", "reason": "restart"}));
    raw.expect_closed().await;
}

#[tokio::test]
async fn blacklisting_a_connected_application_disconnects_only_it() {
    let server = start(Answer::Now(Approval::Approve)).await;
    let mut bad = authed(&server, "spammer", "read|notify").await;
    let mut good = authed(&server, "overlay", "read").await;
    server.handle.blacklist("spammer");

    assert_eq!(bad.recv().await, json!({"type": "disconnect", "reason": "blacklisted"}));
    bad.expect_closed().await;
    assert!(server.handle.grants().iter().all(|grant| grant.application != "spammer"));
    good.send(json!({"type": "status"})).await;
    assert_eq!(good.recv().await["type"], "status");

    // It stays out, whitelisted or not, without the player being asked.
    let mut again = Raw::connect(server.addr).await;
    assert_eq!(again.auth("spammer", "read", "client", None).await["state"], "blacklisted");
    again.expect_closed().await;
    assert!(server.approvals.asked().is_empty());

    assert!(server.handle.unblacklist("spammer"));
    let mut forgiven = Raw::connect(server.addr).await;
    assert_eq!(forgiven.auth("spammer", "read", "client", None).await["state"], "whitelisted");
}

#[tokio::test]
async fn revoking_a_grant_disconnects_its_sessions_and_kills_the_token() {
    let server = start(Answer::Now(Approval::Approve)).await;
    let mut raw = Raw::connect(server.addr).await;
    let answer = raw.auth("overlay", "read", "client", None).await;
    let token = answer["token"].as_str().unwrap().to_owned();
    let grants = server.handle.grants();
    assert_eq!(grants.len(), 1);

    assert!(server.handle.revoke(grants[0].id));
    assert_eq!(raw.recv().await, json!({"type": "disconnect", "reason": "revoked"}));
    raw.expect_closed().await;
    assert!(!server.handle.revoke(grants[0].id));

    server.approvals.set(Answer::Now(Approval::Deny));
    let mut again = Raw::connect(server.addr).await;
    assert_eq!(again.auth("overlay", "read", "client", Some(&token)).await["state"], "denied");
    assert_eq!(server.approvals.asked().len(), 2, "a revoked token must not skip approval");
}

#[tokio::test]
async fn a_silent_connection_is_closed_after_the_auth_timeout() {
    let server = start(Answer::Now(Approval::Approve)).await;
    let mut raw = Raw::connect(server.addr).await;
    let started = tokio::time::Instant::now();
    raw.expect_closed().await;
    let waited = started.elapsed();
    assert!(waited >= Duration::from_millis(350), "closed after {waited:?}");
}

#[tokio::test]
async fn an_unanswered_approval_is_denied_after_its_timeout() {
    let server = start(Answer::Never).await;
    let mut raw = Raw::connect(server.addr).await;
    let started = tokio::time::Instant::now();
    let answer = raw.auth("overlay", "read", "client", None).await;
    assert_eq!(answer, json!({"type": "auth", "state": "denied"}));
    assert!(started.elapsed() >= Duration::from_millis(250));
    raw.expect_closed().await;
    assert_eq!(server.approvals.asked().len(), 1);
}

#[tokio::test]
async fn shutdown_while_the_player_is_asked_disconnects() {
    let server = start(Answer::Never).await;
    let mut raw = Raw::connect(server.addr).await;
    raw.send(json!({"type": "auth", "application": "overlay", "permissions": "read", "scope": "client"}))
        .await;
    eventually(|| server.approvals.asked().len() == 1).await;
    server.handle.shutdown(DisconnectReason::Shutdown);
    // The pending approval is dropped as a denial; the session ends either way.
    let answer = raw.recv().await;
    assert_eq!(answer, json!({"type": "auth", "state": "denied"}));
    raw.expect_closed().await;
}

#[tokio::test]
async fn silent_connections_cannot_lock_out_an_approved_application() {
    let config = ServerConfig {
        max_pending: 2,
        auth_timeout: Duration::from_millis(3000),
        overflow_auth_timeout: Duration::from_millis(800),
        ..config()
    };
    let server = start_with(config, Answer::Now(Approval::Approve)).await;
    // The player approved the overlay once; it keeps its token.
    let mut first = Raw::connect(server.addr).await;
    let token = first.auth("overlay", "read", "client", None).await["token"].as_str().unwrap().to_owned();
    first.send(json!({"type": "disconnect", "reason": "shutdown"})).await;
    first.expect_closed().await;

    // A program nobody approved fills the unauthenticated budget with silent connections.
    let started = tokio::time::Instant::now();
    let mut silent = Vec::new();
    for _ in 0..2 {
        silent.push(Raw::connect(server.addr).await);
    }
    tokio::time::sleep(QUIET).await;

    // The approved application still gets in with its token, without a prompt, and is served.
    let mut app = Raw::connect(server.addr).await;
    assert_eq!(app.auth("overlay", "read", "client", Some(&token)).await["state"], "ok");
    app.send(json!({"type": "status"})).await;
    assert_eq!(app.recv().await["type"], "status");
    assert_eq!(server.approvals.asked().len(), 1);

    // Over the budget, an application without a token is told why, not asked about.
    let mut newcomer = Raw::connect(server.addr).await;
    let answer = newcomer.auth("newcomer", "read", "client", None).await;
    assert_eq!(answer, json!({"type": "error", "error": "too_many_connections", "request": "auth"}));
    newcomer.expect_closed().await;
    assert_eq!(server.approvals.asked().len(), 1);

    // An extra silent connection gets an error message after the short overflow window...
    let mut extra = Raw::connect(server.addr).await;
    assert_eq!(extra.recv().await, json!({"type": "error", "error": "too_many_connections"}));
    extra.expect_closed().await;
    // When the overflow window is full of silent connections too, a newer connection takes
    // the place of the oldest, which is told at once: silence cannot hold the window.
    let mut overflowing = [Raw::connect(server.addr).await, Raw::connect(server.addr).await];
    tokio::time::sleep(QUIET).await;
    let evicting = tokio::time::Instant::now();
    let mut late = Raw::connect(server.addr).await;
    assert_eq!(overflowing[0].recv().await, json!({"type": "error", "error": "too_many_connections"}));
    assert!(evicting.elapsed() < Duration::from_millis(600), "evicted after {:?}", evicting.elapsed());
    overflowing[0].expect_closed().await;
    // So the approved application still gets in, with every window full of silence.
    assert_eq!(late.auth("overlay", "read", "client", Some(&token)).await["state"], "ok");
    late.send(json!({"type": "status"})).await;
    assert_eq!(late.recv().await["type"], "status");
    assert_eq!(overflowing[1].recv().await["error"], "too_many_connections");
    assert_eq!(server.approvals.asked().len(), 1);

    // The silent ones time out, without a word, after the auth timeout.
    for raw in &mut silent {
        raw.expect_closed().await;
    }
    assert!(started.elapsed() >= Duration::from_millis(2900), "closed after {:?}", started.elapsed());
    // The application was never disturbed.
    app.send(json!({"type": "status"})).await;
    assert_eq!(app.recv().await["type"], "status");
}

#[tokio::test]
async fn authenticated_sessions_have_their_own_limit() {
    let config = ServerConfig { max_sessions: 1, ..config() };
    let server = start_with(config, Answer::Now(Approval::Approve)).await;
    let mut first = authed(&server, "overlay", "read").await;
    server.handle.whitelist("tracker", "read".parse().unwrap());
    let mut second = Raw::connect(server.addr).await;
    let answer = second.auth("tracker", "read", "client", None).await;
    assert_eq!(answer, json!({"type": "error", "error": "too_many_connections", "request": "auth"}));
    second.expect_closed().await;
    first.send(json!({"type": "status"})).await;
    assert_eq!(first.recv().await["type"], "status");
    // A place frees when a session ends.
    drop(first);
    eventually(|| server.handle.sessions().is_empty()).await;
    let mut third = Raw::connect(server.addr).await;
    assert_eq!(third.auth("tracker", "read", "client", None).await["state"], "ok");
}

#[tokio::test]
async fn binding_beyond_loopback_needs_consent() {
    let config = ServerConfig { listen: "0.0.0.0:0".parse().unwrap(), ..config() };
    let refused =
        ApiServer::bind(config, std::sync::Arc::new(SharedState::new()), |_| async { Approval::Deny }).await;
    assert!(matches!(refused, Err(ServerError::NonLoopback(_))));
}

#[test]
fn the_default_listener_is_loopback_on_the_documented_port() {
    let config = ServerConfig::default();
    assert!(config.listen.ip().is_loopback());
    assert_eq!((config.max_pending, config.max_sessions), (8, 64));
    assert_eq!(config.auth_timeout, Duration::from_secs(5));
    assert_eq!(config.listen.port(), chio_api::server::DEFAULT_PORT);
    assert_eq!(chio_api::server::DEFAULT_PORT, 13381);
    assert!(!config.allow_non_loopback);
}

#[tokio::test]
async fn grants_survive_a_restart_in_a_sqlite_store() {
    use chio_api::store::SqliteStore;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("grants.sqlite3");
    let open = || std::sync::Arc::new(SqliteStore::open(&path).unwrap());

    // The player approves an overlay (scope user), whitelists a bot, blacklists a spammer.
    let server = start_with_store(config(), Answer::Now(Approval::Approve), open()).await;
    let mut raw = Raw::connect(server.addr).await;
    let answer = raw.auth("overlay", "read|subscribe", "user", None).await;
    assert_eq!(answer["state"], "whitelisted");
    let token = answer["token"].as_str().unwrap().to_owned();
    server.handle.whitelist("bot", "read".parse().unwrap());
    server.handle.blacklist("spammer");
    server.handle.shutdown(DisconnectReason::Restart);
    assert_eq!(raw.recv().await["reason"], "restart");
    tokio::time::timeout(PATIENCE, server.task).await.unwrap().unwrap();
    assert_eq!(server.handle.store_error(), None);

    // The file holds the token's hash, never the token.
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        assert!(!bytes.windows(token.len()).any(|window| window == token.as_bytes()));
    }

    // A new server on the same file: the token opens without asking; the lists hold.
    let server = start_with_store(config(), Answer::Now(Approval::Deny), open()).await;
    assert_eq!(server.handle.grants().len(), 1);
    let mut again = Raw::connect(server.addr).await;
    let answer = again.auth("overlay", "read", "user", Some(&token)).await;
    assert_eq!(answer, json!({"type": "auth", "state": "ok", "token": token}));
    again.send(json!({"type": "status"})).await;
    assert_eq!(again.recv().await["type"], "status");
    assert!(server.approvals.asked().is_empty(), "the approval callback was called");
    let mut bot = Raw::connect(server.addr).await;
    assert_eq!(bot.auth("bot", "read", "client", None).await["state"], "ok");
    let mut spammer = Raw::connect(server.addr).await;
    assert_eq!(spammer.auth("spammer", "read", "client", None).await["state"], "blacklisted");
    assert!(server.approvals.asked().is_empty());

    // A revoke is kept too: after another restart the token no longer opens.
    let id = server.handle.grants().iter().map(|grant| grant.id).max().unwrap();
    let overlay = server.handle.grants()[0].id;
    assert!(server.handle.revoke(overlay));
    assert!(server.handle.revoke(id));
    server.handle.shutdown(DisconnectReason::Shutdown);
    tokio::time::timeout(PATIENCE, server.task).await.unwrap().unwrap();
    let server = start_with_store(config(), Answer::Now(Approval::Deny), open()).await;
    let mut revoked = Raw::connect(server.addr).await;
    assert_eq!(revoked.auth("overlay", "read", "user", Some(&token)).await["state"], "denied");
    assert!(server.handle.grants().iter().all(|grant| grant.application != "overlay"));
    // New grants continue the ids: an old id never names a new grant.
    server.approvals.set(Answer::Now(Approval::Approve));
    let mut fresh = Raw::connect(server.addr).await;
    assert_eq!(fresh.auth("overlay", "read", "user", None).await["state"], "whitelisted");
    assert!(server.handle.grants().iter().all(|grant| grant.id != id));
}
