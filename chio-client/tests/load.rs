//! A small load against a loopback server: mixed builds over both transports.

use std::time::Duration;

use chio_client::load::{LoadConfig, run};
use chio_packets::build::REVISIONS;
use chio_tests::loopback::Loopback;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forty_clients_of_mixed_builds_chat_without_errors() {
    let server = Loopback::in_memory().await;
    // Every other revision: both transports, the oldest and the newest builds.
    let builds: Vec<u32> = REVISIONS.iter().step_by(2).map(|r| r.build).chain([20250306]).collect();
    let mut config = LoadConfig::new(40, builds);
    config.tcp = Some(server.tcp);
    config.http = Some(server.http_url());
    config.ramp = Duration::from_millis(500);
    config.duration = Duration::from_secs(3);
    config.rate = 2.0;
    config.spectate_fraction = 0.2;
    config.latency_samplers = 8;
    config.poll_interval = Duration::from_millis(200);
    config.server_pid = Some(std::process::id());
    let report = run(config).await;

    assert_eq!(report.logged_in, 40, "{:?}", report.error_messages);
    assert_eq!(report.login_failures, 0);
    assert_eq!(report.errors, 0, "{:?}", report.error_messages);
    assert!(report.messages_sent > 100, "{report:?}");
    assert!(report.messages_received > report.messages_sent, "{report:?}");
    assert!(report.statuses_sent > 0 && report.spectators > 0, "{report:?}");
    let latency = report.latency.clone().expect("latency figures");
    assert!(latency.samples > 100, "{latency:?}");
    assert!(latency.p50_ms <= latency.p99_ms && latency.p99_ms <= latency.max_ms);
    assert!(report.latency_tcp.is_some() && report.latency_http.is_some(), "{report:?}");
    assert!(report.memory.start.is_some() && report.memory.per_session(40).is_some());
    assert!(report.logins_per_second() > 0.0);
}
