//! The per-era client policy at work in `chio-server`: pings only after the client has
//! spoken, at most one outstanding, and idle clients dropped on both transports. The
//! intervals are shortened through `ServerConfig::client_policy`.

use std::time::Duration;

use chio_client::Client;
use chio_packets::events::client::ClientEvent;
use chio_server::server::ServerConfig;
use chio_tests::loopback::Loopback;

use chio_tests::loopback::{QUICK_IDLE, QUICK_PING_EVERY, quick_policy};

async fn server() -> Loopback {
    let config = ServerConfig {
        client_policy: quick_policy,
        sweep_interval: Duration::from_millis(100),
        ..ServerConfig::default()
    };
    Loopback::with_config(config).await
}

fn pings(packets: &[chio_packets::ServerPacket<'static>]) -> usize {
    packets.iter().filter(|p| p.name() == "BanchoPing").count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pings_wait_for_the_client_and_never_pile_up() {
    let bench = server().await;
    let config = bench.config(20130303, "pinged").with_auto_pong(false);
    let mut client = Client::login(config).await.unwrap();
    // Four intervals without a word from the client: no ping (osuTitanic/anchor#449).
    assert_eq!(pings(&client.recv_for(QUICK_PING_EVERY * 4).await), 0);
    // It speaks; a ping follows, and only one while it stays unanswered.
    client.send(&ClientEvent::StatusUpdateRequest).await.unwrap();
    client.recv_until(Duration::from_secs(2), |p| p.name() == "BanchoPing").await.unwrap();
    assert_eq!(pings(&client.recv_for(QUICK_PING_EVERY * 4).await), 0);
    // Answered, the next one comes.
    client.send(&ClientEvent::Pong).await.unwrap();
    client.recv_until(Duration::from_secs(2), |p| p.name() == "BanchoPing").await.unwrap();
    // Silent from now on: dropped after the idle timeout.
    let started = tokio::time::Instant::now();
    while tokio::time::timeout(Duration::from_secs(10), client.recv()).await.unwrap().is_some() {}
    assert!(started.elapsed() >= QUICK_IDLE - QUICK_PING_EVERY * 2, "{:?}", started.elapsed());
    assert!(bench.server.registry().is_empty());
    assert!(bench.server.stats().dropped >= 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn http_sessions_that_stop_polling_are_swept_and_never_pinged() {
    let bench = server().await;
    // A client that polls: no ping ever comes over HTTP.
    let mut client = bench.login(20250306, "poller").await;
    client.send(&ClientEvent::StatusUpdateRequest).await.unwrap();
    assert_eq!(pings(&client.recv_for(QUICK_PING_EVERY * 5).await), 0);
    assert_eq!(bench.server.registry().len(), 1);
    // A client that stops polling is swept out after the idle timeout.
    let quiet = Client::login(bench.config(20250306, "quiet").with_poll_interval(Duration::from_secs(600)))
        .await
        .unwrap();
    let id = quiet.user_id();
    tokio::time::sleep(QUICK_IDLE + Duration::from_millis(500)).await;
    assert!(bench.server.registry().by_user(id).is_empty());
    assert_eq!(bench.server.registry().len(), 1, "the polling client stays");
}
