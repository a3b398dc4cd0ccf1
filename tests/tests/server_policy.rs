//! The per-era client policy at work in `chio-server`: pings only after the client has
//! spoken, at most one outstanding, and idle clients dropped on both transports. The
//! intervals are shortened through `ServerConfig::client_policy`.

use std::time::Duration;

use chio_client::Client;
use chio_packets::Context;
use chio_packets::events::client::ClientEvent;
use chio_server::era::ClientPolicy;
use chio_server::server::ServerConfig;
use chio_tests::loopback::Loopback;

const PING_EVERY: Duration = Duration::from_millis(100);
const IDLE: Duration = Duration::from_millis(1500);

/// The era's policy, with pings every 100 ms and 1.5 s idle timeouts.
fn quick(ctx: Context) -> ClientPolicy {
    let mut policy = ClientPolicy::for_context(ctx);
    if let Some(ping) = &mut policy.ping {
        ping.interval = PING_EVERY;
    }
    policy.idle_timeout = IDLE;
    policy
}

async fn server() -> Loopback {
    let config = ServerConfig {
        client_policy: quick,
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
    assert_eq!(pings(&client.recv_for(PING_EVERY * 4).await), 0);
    // It speaks; a ping follows, and only one while it stays unanswered.
    client.send(&ClientEvent::StatusUpdateRequest).await.unwrap();
    client.recv_until(Duration::from_secs(2), |p| p.name() == "BanchoPing").await.unwrap();
    assert_eq!(pings(&client.recv_for(PING_EVERY * 4).await), 0);
    // Answered, the next one comes.
    client.send(&ClientEvent::Pong).await.unwrap();
    client.recv_until(Duration::from_secs(2), |p| p.name() == "BanchoPing").await.unwrap();
    // Silent from now on: dropped after the idle timeout.
    let started = tokio::time::Instant::now();
    while tokio::time::timeout(Duration::from_secs(10), client.recv()).await.unwrap().is_some() {}
    assert!(started.elapsed() >= IDLE - PING_EVERY * 2, "{:?}", started.elapsed());
    assert!(bench.server.registry().is_empty());
    assert!(bench.server.stats().dropped >= 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn http_sessions_that_stop_polling_are_swept_and_never_pinged() {
    let bench = server().await;
    // A client that polls: no ping ever comes over HTTP.
    let mut client = bench.login(20250306, "poller").await;
    client.send(&ClientEvent::StatusUpdateRequest).await.unwrap();
    assert_eq!(pings(&client.recv_for(PING_EVERY * 5).await), 0);
    assert_eq!(bench.server.registry().len(), 1);
    // A client that stops polling is swept out after the idle timeout.
    let quiet = Client::login(bench.config(20250306, "quiet").with_poll_interval(Duration::from_secs(600)))
        .await
        .unwrap();
    let id = quiet.user_id();
    tokio::time::sleep(IDLE + Duration::from_millis(500)).await;
    assert!(bench.server.registry().by_user(id).is_empty());
    assert_eq!(bench.server.registry().len(), 1, "the polling client stays");
}
