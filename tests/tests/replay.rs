//! Captures of real sessions (a b1000 TCP client and a b20250306 HTTP client, recorded by
//! a test relay) replayed against fresh servers: the same server answers the same, a
//! server configured otherwise answers with a readable difference.

use chio_proxy::capture::{self, Session, Transport};
use chio_proxy::replay::{self, ReplayOptions, Target, Timing};
use chio_server::server::{ServerConfig, standard_channels};
use chio_tests::loopback::Loopback;
use chio_tests::relay::capture_scenario;

async fn captured(build: u32) -> Session {
    let server = Loopback::in_memory().await;
    let capture = capture_scenario(&server, build, "replayer").await;
    server.server.shutdown();
    let mut sessions = capture::read(capture.as_slice()).expect("a capture");
    assert_eq!(sessions.len(), 1);
    sessions.remove(0)
}

fn target(server: &Loopback, session: &Session) -> Target {
    match session.start.transport {
        Transport::Tcp => Target::Tcp(server.tcp),
        Transport::Http => Target::Http(server.http_url()),
    }
}

/// Replays `session` against `server`: the differences, as lines. Nothing is ignored:
/// one client alone on a fresh server gets the same ids and the same answers.
async fn differences(server: &Loopback, session: &Session, options: &ReplayOptions) -> Vec<String> {
    let outcome = replay::replay(session, target(server, session), options).await.expect("a replay");
    let captured = replay::captured_packets(session);
    assert!(!captured.is_empty());
    replay::compare(&captured, &outcome.packets, &[]).iter().map(ToString::to_string).collect()
}

async fn replays_equal_then_differ(build: u32, transport: Transport) {
    let session = captured(build).await;
    assert_eq!(session.start.transport, transport);
    assert_eq!(session.start.build, build);
    assert!(session.ended);
    let names: Vec<String> = replay::captured_packets(&session)
        .iter()
        .filter_map(|p| p["packet"].as_str().map(str::to_owned))
        .collect();
    assert!(names.iter().any(|name| name == "BanchoLoginReply"), "{names:?}");

    let fresh = Loopback::in_memory().await;
    let diff = differences(&fresh, &session, &ReplayOptions::default()).await;
    assert!(diff.is_empty(), "b{build}: {diff:#?}");
    fresh.server.shutdown();

    // Real timing too.
    let fresh = Loopback::in_memory().await;
    let real = ReplayOptions { timing: Timing::Real, ..ReplayOptions::default() };
    let diff = differences(&fresh, &session, &real).await;
    assert!(diff.is_empty(), "b{build}, real timing: {diff:#?}");
    fresh.server.shutdown();

    let welcome =
        ServerConfig { welcome: Some("a server that greets".to_owned()), ..ServerConfig::default() };
    let altered = Loopback::with_config(welcome).await;
    let diff = differences(&altered, &session, &ReplayOptions::default()).await;
    assert!(!diff.is_empty(), "b{build}: the altered server answers the same");
    assert!(
        diff.iter().any(|line| line.starts_with("extra packet ") && line.ends_with(" BanchoAnnounce")),
        "b{build}: {diff:#?}"
    );
    altered.server.shutdown();

    let mut channels = standard_channels();
    channels[2].topic = "Another topic.".to_owned();
    let altered = Loopback::with_config(ServerConfig { channels, ..ServerConfig::default() }).await;
    let diff = differences(&altered, &session, &ReplayOptions::default()).await;
    if transport == Transport::Http {
        let line = "BanchoChannelAvailable: data.topic: captured \"Multiplayer lobby discussion.\" != replayed \"Another topic.\"";
        assert!(diff.iter().any(|l| l.starts_with("packet ") && l.ends_with(line)), "b{build}: {diff:#?}");
    }
    altered.server.shutdown();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tcp_capture_replays_equal_and_an_altered_server_differs() {
    replays_equal_then_differ(1000, Transport::Tcp).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_http_capture_replays_equal_and_an_altered_server_differs() {
    replays_equal_then_differ(20250306, Transport::Http).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_replays_only_over_its_transport() {
    let server = Loopback::in_memory().await;
    let session = captured(20250306).await;
    let error =
        replay::replay(&session, Target::Tcp(server.tcp), &ReplayOptions::default()).await.unwrap_err();
    assert!(error.to_string().contains("HTTP session"), "{error}");
}

/// A refused HTTP login (a taken name, a wrong password) replays as the refusal.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_http_login_replays_as_the_refusal() {
    use chio_client::Client;
    use chio_tests::relay::Recording;

    async fn taken() -> Loopback {
        let server = Loopback::in_memory().await;
        server.login(20250306, "taken").await.logout().await.expect("a logout");
        server
    }
    let server = taken().await;
    let recording = Recording::start(&server).await;
    let config = recording.through(server.config(20250306, "taken"));
    let config = chio_client::ClientConfig { password: "not the password".to_owned(), ..config };
    assert!(Client::login(config).await.is_err());
    let capture = recording.finish().await;
    server.server.shutdown();
    let session = capture::read(capture.as_slice()).expect("a capture").remove(0);
    let refusal = replay::captured_packets(&session);
    let reply = refusal.iter().find(|p| p["packet"] == "BanchoLoginReply").expect("a login reply");
    assert!(reply["data"].as_i64().is_some_and(|code| code < 0), "{refusal:?}");

    let again = taken().await;
    assert!(differences(&again, &session, &ReplayOptions::default()).await.is_empty());
    again.server.shutdown();
    // A server where the name is free logs the client in: a different answer.
    let free = Loopback::in_memory().await;
    let diff = differences(&free, &session, &ReplayOptions::default()).await;
    assert!(
        diff.iter()
            .any(|line| line.starts_with("packet ") && line.contains(" BanchoLoginReply: data: captured -")),
        "{diff:#?}"
    );
    free.server.shutdown();
}
