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

/// With chat groups a message reaches its group only: 12 clients in 3 channels of 4, of
/// builds without channels (b282: status changes only; b300: private messages in the
/// group) and with them (b1000, b20121224).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn chat_groups_keep_each_message_in_its_group() {
    use chio_server::blocks::channels::ChannelConfig;
    use chio_server::server::ServerConfig;

    let groups: Vec<String> = (0..3).map(|g| format!("#group{g}")).collect();
    let mut server_config = ServerConfig::default();
    for name in &groups {
        server_config.channels.push(ChannelConfig::new(name.as_str(), "a load group", false));
    }
    let server = Loopback::with_config(server_config).await;
    let mut config = LoadConfig::new(12, vec![282, 300, 1000, 20121224]);
    config.tcp = Some(server.tcp);
    config.http = Some(server.http_url());
    config.duration = Duration::from_secs(3);
    config.rate = 3.0;
    config.latency_samplers = 4;
    config.channels = groups;
    let report = run(config).await;

    assert_eq!(report.logged_in, 12, "{:?}", report.error_messages);
    assert_eq!(report.errors, 0, "{:?}", report.error_messages);
    assert!(report.messages_sent > 20, "{report:?}");
    // In #osu each message would reach the 11 others; in a group of 4, at most 3.
    assert!(report.messages_received > 0, "{report:?}");
    assert!(report.messages_received <= 3 * report.messages_sent, "{report:?}");
    assert!(report.statuses_sent > 0, "{report:?}");
}
