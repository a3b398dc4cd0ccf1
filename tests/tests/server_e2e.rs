//! `chio-server` end to end: headless clients of every revision log into a real server over
//! loopback, each over its build's transport, and play through it with clients of other
//! eras. Each client reads what it receives in its own build's form.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use chio_client::{Client, ClientConfig, ClientError};
use chio_packets::ServerPacket;
use chio_packets::build::REVISIONS;
use chio_packets::events::ChatMessage;
use chio_packets::events::client::ClientEvent;
use chio_packets::multiplayer::{MatchSlot, SlotStatus};
use chio_server::era::{ClientPolicy, Transport};
use chio_server::server::ServerConfig;
use chio_server::storage::{PasswordPolicy, SqliteStorage, Storage};
use chio_tests::loopback::{Loopback, WAIT};
use serde_json::Value;

/// The era pairs the issue names.
const ERAS: [u32; 6] = [282, 1788, 20121224, 20130815, 20150915, 20250306];

fn json(packet: &ServerPacket<'_>) -> Value {
    serde_json::to_value(packet).unwrap()
}

/// Whether `value` holds `key: wanted` at any depth.
fn holds(value: &Value, key: &str, wanted: &Value) -> bool {
    match value {
        Value::Object(map) => map.iter().any(|(k, v)| (k == key && v == wanted) || holds(v, key, wanted)),
        Value::Array(items) => items.iter().any(|v| holds(v, key, wanted)),
        _ => false,
    }
}

/// A chat message packet whose content contains `text`.
fn message_with(text: &str) -> impl FnMut(&ServerPacket<'static>) -> bool + '_ {
    move |p| p.name() == "BanchoMessage" && contains(&json(p), "content", text)
}

/// Whether `value` holds `key` with a string containing `text`, at any depth.
fn contains(value: &Value, key: &str, text: &str) -> bool {
    match value {
        Value::Object(map) => map.iter().any(|(k, v)| {
            (k == key && v.as_str().is_some_and(|s| s.contains(text))) || contains(v, key, text)
        }),
        Value::Array(items) => items.iter().any(|v| contains(v, key, text)),
        _ => false,
    }
}

fn named(name: &'static str) -> impl FnMut(&ServerPacket<'static>) -> bool {
    move |p| p.name() == name
}

fn say(target: &str, content: &str) -> ClientEvent<'static> {
    ClientEvent::Message(ChatMessage {
        content: content.to_owned().into(),
        target: target.to_owned().into(),
        ..ChatMessage::default()
    })
}

fn dm(target: &str, content: &str) -> ClientEvent<'static> {
    ClientEvent::PrivateMessage(ChatMessage {
        content: content.to_owned().into(),
        target: target.to_owned().into(),
        ..ChatMessage::default()
    })
}

/// Whether the build has a server packet of this name.
fn has_server_packet(build: u32, name: &str) -> bool {
    chio_packets::catalog::supports(name, chio_packets::Context::new(build))
}

/// Every revision logs in over its transport, sees its own user id, presence and stats,
/// is in #osu, and trades a message in #osu with a client of another era.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_revision_logs_in_and_chats_with_another_era() {
    let bench = Loopback::in_memory().await;
    let mut modern = bench.login(20250306, "modern partner").await;
    let mut old = bench.login(1788, "old partner").await;
    let mut matrix = Vec::new();
    for revision in REVISIONS {
        let build = revision.build;
        let name = format!("player b{build}");
        let mut client = bench.login(build, &name).await;
        let id = client.user_id();
        assert!(id >= 1000, "b{build}: user id {id}");
        let transport = ClientPolicy::for_context(client.ctx()).transport;
        assert_eq!(client.transport(), transport);

        // Its own presence and stats carry its id (old builds: inside the stats packet).
        let own = |p: &ServerPacket<'static>| holds(&json(p), "user_id", &Value::from(id));
        let history: Vec<_> = client.history().to_vec();
        let mut own_packets: Vec<&str> = history.iter().filter(|p| own(p)).map(ServerPacket::name).collect();
        if own_packets.is_empty() {
            own_packets.push(client.recv_until(WAIT, own).await.unwrap().name());
        }
        assert!(
            own_packets.iter().any(|n| n.contains("Presence") || n.contains("Stats")),
            "b{build}: no own presence or stats in {own_packets:?}"
        );
        // In #osu: told so where the build has channels.
        if has_server_packet(build, "BanchoChannelJoinSuccess") {
            let joined = |p: &ServerPacket<'static>| {
                p.name() == "BanchoChannelJoinSuccess" && json(p)["data"] == "#osu"
            };
            if !client.history().iter().any(joined) {
                client.recv_until(WAIT, joined).await.unwrap();
            }
        }

        // A partner of another era.
        let partner = if transport == Transport::Tcp { &mut modern } else { &mut old };
        let hello = format!("hello from b{build}");
        client.send(&say("#osu", &hello)).await.unwrap();
        let seen = partner.recv_until(WAIT, message_with(&hello)).await.unwrap();
        assert!(holds(&json(&seen), "sender", &Value::from(name.as_str())), "b{build}: {seen:?}");
        let reply = format!("hi b{build}, from b{}", partner.ctx().build());
        partner.send(&say("#osu", &reply)).await.unwrap();
        client.recv_until(WAIT, message_with(&reply)).await.unwrap();
        matrix.push((build, transport));
        client.logout().await.unwrap();
    }
    assert_eq!(matrix.len(), REVISIONS.len());
    let tcp = matrix.iter().filter(|(_, t)| *t == Transport::Tcp).count();
    eprintln!(
        "login matrix: {}/{} revisions ({tcp} over TCP, {} over HTTP)",
        matrix.len(),
        REVISIONS.len(),
        matrix.len() - tcp
    );
}

/// Across the eras, one spectates the other and gets the host's frames in its own form.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn spectators_get_frames_reencoded_for_their_build() {
    let bench = Loopback::in_memory().await;
    for host_build in ERAS {
        for spectator_build in ERAS {
            if host_build == spectator_build {
                continue;
            }
            let mut host = bench.login(host_build, &format!("host {host_build}")).await;
            let mut spectator = bench.login(spectator_build, &format!("spec {spectator_build}")).await;
            spectator.send(&ClientEvent::StartSpectating(host.user_id())).await.unwrap();
            let joined = host.recv_until(WAIT, named("BanchoSpectatorJoined")).await;
            assert!(joined.is_ok(), "b{spectator_build} spectating b{host_build}: {joined:?}");
            let bundle = chio_client::command::sample_frames();
            host.send(&ClientEvent::SpectateFrames(bundle.clone())).await.unwrap();
            let frames = spectator.recv_until(WAIT, named("BanchoSpectateFrames")).await.unwrap();
            // The spectator's own build decoded it; compare by meaning.
            let frames = json(&frames);
            let first_x = &frames["data"]["frames"][0]["x"];
            assert_eq!(first_x.as_f64().unwrap() as f32, bundle.frames[0].x, "{frames}");
            spectator.send(&ClientEvent::StopSpectating).await.unwrap();
            host.recv_until(WAIT, named("BanchoSpectatorLeft")).await.unwrap();
            host.logout().await.unwrap();
            spectator.logout().await.unwrap();
        }
    }
}

/// A direct message to an away user comes back with the away message.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dm_to_an_away_user_returns_the_away_message() {
    let bench = Loopback::in_memory().await;
    let mut away = bench.login(20250306, "away user").await;
    let mut sender = bench.login(1788, "sender").await;
    away.send(&ClientEvent::SetIrcAwayMessage(ChatMessage {
        content: "gone fishing".into(),
        ..ChatMessage::default()
    }))
    .await
    .unwrap();
    // Let the away message land before the DM (separate connections race otherwise).
    tokio::time::sleep(Duration::from_millis(200)).await;
    sender.send(&dm("away user", "are you there?")).await.unwrap();
    away.recv_until(WAIT, message_with("are you there?")).await.unwrap();
    let reply = sender.recv_until(WAIT, message_with("gone fishing")).await.unwrap();
    assert!(holds(&json(&reply), "sender", &Value::from("away user")), "{reply:?}");
}

/// A second login of a user replaces the first, which is told and disconnected.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_login_replaces_the_first() {
    let bench = Loopback::in_memory().await;
    let mut first = bench.login(20121224, "twice").await;
    let second = bench.login(20250306, "twice").await;
    assert_eq!(first.user_id(), second.user_id());
    // Told with LoginReply(-1) (after its own burst's reply of its id).
    first.recv_until(WAIT, |p| p.name() == "BanchoLoginReply" && json(p)["data"] == -1).await.unwrap();
    // Then the connection closes.
    while first.recv().await.is_some() {}
    assert_eq!(bench.server.registry().by_user(second.user_id()).len(), 1);
}

/// Logging out tells the others.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logout_tells_the_others() {
    let bench = Loopback::in_memory().await;
    let mut watcher = bench.login(20250306, "watcher").await;
    let leaver = bench.login(1000, "leaver").await;
    let id = leaver.user_id();
    leaver.logout().await.unwrap();
    let quit = watcher.recv_until(WAIT, named("BanchoUserQuit")).await.unwrap();
    assert!(holds(&json(&quit), "user_id", &Value::from(id)), "{quit:?}");
}

/// Accounts and friends survive a restart of the server on the same database.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restart_keeps_accounts_and_friends() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("bancho.db");
    let open = |path: &Path| -> Arc<dyn Storage> {
        Arc::new(SqliteStorage::open(path, PasswordPolicy::FAST_FOR_TESTS).unwrap())
    };
    let (alice_id, bob_id);
    {
        let bench = Loopback::start(ServerConfig::default(), open(&db)).await;
        let alice = bench.login(20250306, "alice").await;
        let bob = bench.login(1000, "bob").await;
        (alice_id, bob_id) = (alice.user_id(), bob.user_id());
        alice.send(&ClientEvent::FriendsAdd(bob_id)).await.unwrap();
        tokio::time::sleep(Duration::from_millis(200)).await;
        alice.logout().await.unwrap();
        bob.logout().await.unwrap();
        bench.server.shutdown();
    }
    let bench = Loopback::start(ServerConfig::default(), open(&db)).await;
    let mut alice = bench.login(20250306, "alice").await;
    assert_eq!(alice.user_id(), alice_id);
    let friends = match alice.history().iter().find(|p| p.name() == "BanchoFriendsList") {
        Some(p) => p.clone(),
        None => alice.recv_until(WAIT, named("BanchoFriendsList")).await.unwrap(),
    };
    assert_eq!(json(&friends)["data"]["ids"], serde_json::json!([bob_id]));
    // The password is checked: a wrong one is refused.
    let wrong = ClientConfig::new(20250306, "alice", "not the password").with_http(bench.http_url());
    assert!(matches!(Client::login(wrong).await, Err(ClientError::LoginRefused(-1))));
}

/// A match played through to completion by clients of two eras, 8-slot and 16-slot ones
/// among them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn clients_of_two_eras_play_a_match_to_the_end() {
    let bench = Loopback::in_memory().await;
    // (host, guest): a u8-match-id era with a modern one, an 8-slot HTTP client with a
    // 16-slot one, and two TCP eras.
    for (host_build, guest_build) in
        [(1788, 20250306), (20130815, 20150915), (20121224, 1788), (20250306, 20130815)]
    {
        let mut host = bench.login(host_build, &format!("mp host {host_build}")).await;
        let mut guest = bench.login(guest_build, &format!("mp guest {guest_build}")).await;
        let slots = (host.ctx().slots(), guest.ctx().slots());
        for client in [&host, &guest] {
            client.send(&ClientEvent::LobbyJoin).await.unwrap();
        }
        let settings = chio_packets::multiplayer::Match {
            name: format!("b{host_build} vs b{guest_build}").into(),
            beatmap_text: "Camellia - Exit This Earth's Atomosphere".into(),
            beatmap_id: 1_000_000,
            beatmap_checksum: "0123456789abcdef0123456789abcdef".into(),
            host_id: host.user_id(),
            // As a client creates a room: every slot open (a locked one stays locked).
            slots: vec![MatchSlot { status: SlotStatus::OPEN, ..MatchSlot::default() }; 16],
            ..chio_packets::multiplayer::Match::default()
        };
        host.send(&ClientEvent::MatchCreate(settings)).await.unwrap();
        let created = host.recv_until(WAIT, named("BanchoMatchJoinSuccess")).await.unwrap();
        let created = json(&created);
        let match_id = created["data"]["id"].as_i64().unwrap() as i32;
        assert_eq!(created["data"]["slots"].as_array().unwrap().len(), usize::from(slots.0), "{created}");

        guest.send(&ClientEvent::MatchJoin { match_id, password: "".into() }).await.unwrap();
        let joined = guest.recv_until(WAIT, named("BanchoMatchJoinSuccess")).await;
        let Ok(joined) = joined else {
            let seen: Vec<_> = guest.history().iter().map(|p| json(p).to_string()).collect();
            panic!("b{guest_build} joining b{host_build}'s match {match_id}: {joined:?}; got {seen:#?}");
        };
        let joined = json(&joined);
        assert_eq!(joined["data"]["slots"].as_array().unwrap().len(), usize::from(slots.1), "{joined}");
        // Both in the match channel, shown as #multiplayer.
        guest.send(&say("#multiplayer", "glhf")).await.unwrap();
        host.recv_until(WAIT, message_with("glhf")).await.unwrap();

        guest.send(&ClientEvent::MatchReady).await.unwrap();
        host.send(&ClientEvent::MatchReady).await.unwrap();
        guest.flush().await.unwrap();
        host.flush().await.unwrap();
        tokio::time::sleep(Duration::from_millis(100)).await;
        host.send(&ClientEvent::MatchStart).await.unwrap();
        for client in [&mut host, &mut guest] {
            client.recv_until(WAIT, named("BanchoMatchStart")).await.unwrap();
            client.send(&ClientEvent::MatchLoadComplete).await.unwrap();
        }
        for client in [&mut host, &mut guest] {
            if chio_packets::catalog::supports("BanchoMatchAllPlayersLoaded", client.ctx()) {
                client.recv_until(WAIT, named("BanchoMatchAllPlayersLoaded")).await.unwrap();
            }
        }
        // Scores are relayed, each read in the reader's build's form.
        let score = chio_client::command::sample_score();
        host.send(&ClientEvent::MatchScoreUpdate(score.clone())).await.unwrap();
        let relayed = json(&guest.recv_until(WAIT, named("BanchoMatchScoreUpdate")).await.unwrap());
        assert_eq!(relayed["data"]["total_score"], Value::from(score.total_score), "{relayed}");
        for client in [&host, &guest] {
            client.send(&ClientEvent::MatchComplete).await.unwrap();
        }
        for client in [&mut host, &mut guest] {
            client.recv_until(WAIT, named("BanchoMatchComplete")).await.unwrap();
        }
        host.logout().await.unwrap();
        guest.logout().await.unwrap();
    }
}

/// The operator's announce and silence reach clients of every era, and a silenced user's
/// messages go nowhere.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn announcements_and_silences() {
    let bench = Loopback::in_memory().await;
    let mut old = bench.login(1000, "old listener").await;
    let mut new = bench.login(20250306, "loud").await;
    bench.server.announce("maintenance at noon");
    for client in [&mut old, &mut new] {
        let seen = client.recv_until(WAIT, named("BanchoAnnounce")).await.unwrap();
        assert_eq!(json(&seen)["data"], "maintenance at noon");
    }
    bench.server.silence(new.user_id(), 60);
    let info = new.recv_until(WAIT, named("BanchoSilenceInfo")).await.unwrap();
    assert_eq!(json(&info)["data"]["seconds"], 60);
    new.send(&say("#osu", "can anyone hear me")).await.unwrap();
    new.flush().await.unwrap();
    let heard = old.recv_for(Duration::from_millis(300)).await;
    assert!(!heard.iter().any(message_with("can anyone hear me")), "{heard:?}");
    bench.server.silence(new.user_id(), 0);
    new.send(&say("#osu", "back again")).await.unwrap();
    old.recv_until(WAIT, message_with("back again")).await.unwrap();
}
