//! The client API fed from real traffic: a player logs in through the proxy to a
//! `chio-server`, an application connected to the proxy's client API sees the player's
//! status, spectating and match as the player acts, and what the application asks for
//! (a notification, get_attention) reaches the player's client.

use std::sync::Arc;
use std::time::{Duration, Instant};

use chio_api::auth::Scope;
use chio_api::client::ApiClient;
use chio_api::message::{AuthRequest, ClientMessage, EventKind, ServerMessage};
use chio_api::permission::Permissions;
use chio_api::server::{ApiServer, Approval, ServerConfig as ApiConfig};
use chio_api::source::SharedState;
use chio_api::state::{HostStatus, UserStatus};
use chio_client::{Client, ClientConfig};
use chio_packets::ServerPacket;
use chio_packets::events::Activity;
use chio_packets::events::client::ClientEvent;
use chio_packets::multiplayer::{Match, MatchSlot, SlotStatus};
use chio_packets::spectating::{ReplayAction, ReplayFrameBundle};
use chio_packets::types::{Mode, Mods, Status as Action};
use chio_proxy::api::TrafficState;
use chio_proxy::tap::Injector;
use chio_proxy::{Proxy, ProxyConfig};
use chio_tests::loopback::{Loopback, WAIT};

/// The bound from a packet to the application's update.
const UPDATE_WITHIN: Duration = Duration::from_millis(100);

struct Rig {
    bench: Loopback,
    traffic: Arc<TrafficState>,
    proxy_tcp: std::net::SocketAddr,
    proxy_http: String,
    app: ApiClient,
}

async fn rig() -> Rig {
    let bench = Loopback::in_memory().await;
    let injector = Injector::new();
    let traffic = Arc::new(TrafficState::new(Arc::new(SharedState::new()), injector.clone()));
    let config = ProxyConfig::default()
        .with_upstream_tcp(bench.tcp)
        .with_upstream_http(bench.http_url())
        .with_tap(traffic.clone())
        .with_injector(injector);
    let proxy = Proxy::new(config).unwrap();
    let tcp = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let http = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let (proxy_tcp, proxy_http) = (tcp.local_addr().unwrap(), http.local_addr().unwrap());
    let p = proxy.clone();
    tokio::spawn(async move { p.serve_tcp(tcp).await });
    tokio::spawn(async move { proxy.serve_http(http).await });
    drop(traffic.spawn_write_side());

    let api_config = ApiConfig { listen: "127.0.0.1:0".parse().unwrap(), ..ApiConfig::default() };
    let api =
        ApiServer::bind(api_config, traffic.state().clone(), |_| async { Approval::Approve }).await.unwrap();
    let api_addr = api.local_addr();
    tokio::spawn(api.serve());
    let mut app = ApiClient::connect(api_addr).await.unwrap();
    app.authenticate(AuthRequest::new("overlay", "an end-to-end test", Permissions::FULL, Scope::Client))
        .await
        .unwrap();
    let events = [EventKind::Status, EventKind::SpectatingStatus, EventKind::MultiplayerStatus];
    app.subscribe(&events).await.unwrap();
    Rig { bench, traffic, proxy_tcp, proxy_http: format!("http://{proxy_http}"), app }
}

impl Rig {
    /// A client logging in through the proxy.
    async fn through_proxy(&self, build: u32, user: &str) -> Client {
        let config = ClientConfig {
            tcp: Some(self.proxy_tcp),
            http: Some(self.proxy_http.clone()),
            ..self.bench.config(build, user)
        };
        Client::login(config).await.unwrap()
    }

    /// The next pushed message for which `f` holds, and how long it took.
    async fn pushed(&mut self, mut f: impl FnMut(&ServerMessage) -> bool) -> (ServerMessage, Duration) {
        let started = Instant::now();
        loop {
            let message =
                tokio::time::timeout(WAIT, self.app.next_message()).await.expect("a push").unwrap().unwrap();
            if f(&message) {
                return (message, started.elapsed());
            }
        }
    }
}

fn playing(text: &str, mods: Mods) -> ClientEvent<'static> {
    ClientEvent::UserStatus(Activity {
        action: Action::Playing,
        text: text.to_owned().into(),
        beatmap_checksum: "0123456789abcdef0123456789abcdef".into(),
        mods,
        mode: Mode::Osu,
        beatmap_id: 1_234_567,
        update_stats: false,
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_application_follows_the_player_through_the_proxy() {
    let mut rig = rig().await;
    // The player on a modern HTTP build, through the proxy; a host on a 2009 TCP build.
    let mut player = rig.through_proxy(20250306, "player").await;
    let mut host = rig.bench.login(1000, "host").await;

    // Status: each change reaches the application within 100 ms of the client sending it.
    let mut latencies = Vec::new();
    for (i, mods) in [Mods::HIDDEN, Mods::HARD_ROCK, Mods::DOUBLE_TIME, Mods::FLASHLIGHT, Mods::EASY]
        .into_iter()
        .enumerate()
    {
        let text = format!("Camellia - Exit This Earth's Atomosphere [Take {i}]");
        player.send(&playing(&text, mods)).await.unwrap();
        let (_, took) = rig
            .pushed(|m| matches!(m, ServerMessage::Status(s) if s.beatmap.as_ref().is_some_and(|b| b.version == format!("Take {i}"))))
            .await;
        latencies.push(took);
    }
    let status = rig.app.status().await.unwrap();
    assert_eq!(status.status, UserStatus::Playing);
    assert_eq!(status.mods, Mods::EASY.bits());
    let map = status.beatmap.unwrap();
    assert_eq!((map.artist.as_str(), map.title.as_str()), ("Camellia", "Exit This Earth's Atomosphere"));
    assert_eq!(
        (map.beatmap_id, map.file_md5.as_str()),
        (Some(1_234_567), "0123456789abcdef0123456789abcdef")
    );
    latencies.sort();
    eprintln!("status → application latencies: {latencies:?}");
    assert!(latencies[latencies.len() / 2] < UPDATE_WITHIN, "median over 100 ms: {latencies:?}");

    // Spectating: whom, and the host's state from its frames.
    player.send(&ClientEvent::StartSpectating(host.user_id())).await.unwrap();
    let (message, took) =
        rig.pushed(|m| matches!(m, ServerMessage::SpectatingStatus(s) if s.is_spectating)).await;
    eprintln!("spectating push after {took:?}: {message:?}");
    // The push follows the player's own packet; frames reach the player only once the
    // server has taken it as a spectator, which the host learns.
    host.recv_until(WAIT, |p: &ServerPacket<'static>| p.name() == "BanchoSpectatorJoined").await.unwrap();
    let paused = ReplayFrameBundle { action: ReplayAction::Pause, ..ReplayFrameBundle::default() };
    host.send(&ClientEvent::SpectateFrames(paused)).await.unwrap();
    rig.pushed(
        |m| matches!(m, ServerMessage::SpectatingStatus(s) if s.host_status == Some(HostStatus::Paused)),
    )
    .await;
    player.send(&ClientEvent::StopSpectating).await.unwrap();
    rig.pushed(|m| matches!(m, ServerMessage::SpectatingStatus(s) if !s.is_spectating)).await;

    // The match the player creates.
    let room = Match {
        name: "overlay test room".into(),
        beatmap_text: "Camellia - Exit This Earth's Atomosphere [Evolution]".into(),
        beatmap_id: 1_234_567,
        beatmap_checksum: "0123456789abcdef0123456789abcdef".into(),
        slots: vec![MatchSlot { status: SlotStatus::OPEN, ..MatchSlot::default() }; 16],
        ..Match::default()
    };
    player.send(&ClientEvent::MatchCreate(room)).await.unwrap();
    let (message, _) =
        rig.pushed(|m| matches!(m, ServerMessage::MultiplayerStatus(s) if s.room.is_some())).await;
    let ServerMessage::MultiplayerStatus(multiplayer) = message else { unreachable!() };
    let room = multiplayer.room.unwrap();
    assert_eq!(room.name, "overlay test room");
    assert_eq!(room.users.len(), 1);
    assert_eq!(room.users[0].username, "player");
    player.send(&ClientEvent::MatchPart).await.unwrap();
    rig.pushed(|m| matches!(m, ServerMessage::MultiplayerStatus(s) if s.room.is_none())).await;

    // The write side: a notification and get_attention reach the player's client.
    rig.app.notify("stream is live").await.unwrap();
    let shown = player.recv_until(WAIT, |p| p.name() == "BanchoAnnounce").await.unwrap();
    let text = serde_json::to_value(&shown).unwrap()["data"].clone();
    assert_eq!(text, "overlay: stream is live");
    rig.app.send(&ClientMessage::GetAttention).await.unwrap();
    player.recv_until(WAIT, |p: &ServerPacket<'static>| p.name() == "BanchoGetAttention").await.unwrap();
    assert_eq!(rig.traffic.player_session(), Some(1));
}
