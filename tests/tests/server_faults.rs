//! Faults at the edges of `chio-server`: a connection that goes silent without closing, a
//! client that vanishes mid-login or mid-frame (with a FIN or a reset), a session whose
//! connection lingers after the server ended it, and an HTTP token polled from two places
//! at once. In each case the server keeps serving the others, and what the session held
//! (its registry entry, presence, channel seats, lobby seat, match) is freed: the
//! [`Footprint`] of the world returns to its baseline.
//!
//! The figures in RELIABILITY.md ("Faults: the server") come from
//! `cargo test -p chio-tests --test server_faults -- --nocapture`.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use chio_packets::events::ChatMessage;
use chio_packets::events::client::ClientEvent;
use chio_packets::multiplayer::{Match, MatchSlot, SlotStatus};
use chio_packets::{Context, ServerPacket};
use chio_server::server::{PacketRate, Server, ServerConfig};
use chio_tests::loopback::{Loopback, WAIT};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// What sessions hold in the world, summed over every session: it must come back to its
/// baseline once faulty clients are gone.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Footprint {
    /// Sessions in the registry.
    sessions: usize,
    /// Sessions with a presence (shown to others as online).
    presences: usize,
    /// Seats in `#osu`, `#announce` and `#lobby`.
    seats: [usize; 3],
    /// Sessions in the multiplayer lobby.
    lobby: usize,
    /// Open matches.
    matches: usize,
}

fn footprint(server: &Server) -> Footprint {
    let sessions = server.registry().len();
    let world = server.world();
    Footprint {
        sessions,
        presences: world.presences.len(),
        seats: ["#osu", "#announce", "#lobby"].map(|c| world.channels.members(c).count()),
        lobby: world.multiplayer.lobby().len(),
        matches: world.multiplayer.len(),
    }
}

/// Waits until the world's footprint is `baseline` again; how long that took.
async fn back_to(server: &Server, baseline: Footprint) -> Duration {
    let started = Instant::now();
    loop {
        let now = footprint(server);
        if now == baseline {
            return started.elapsed();
        }
        assert!(started.elapsed() < WAIT, "not freed: {now:?}, baseline {baseline:?}");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

/// Waits for `cond`, panicking with `what` after `WAIT`.
async fn until(what: &str, mut cond: impl FnMut() -> bool) {
    let started = Instant::now();
    while !cond() {
        assert!(started.elapsed() < WAIT, "{what}");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

fn say(content: &str) -> ClientEvent<'static> {
    ClientEvent::Message(ChatMessage {
        content: content.to_owned().into(),
        target: "#osu".into(),
        ..ChatMessage::default()
    })
}

/// Two healthy clients of different eras still trade a message.
async fn still_serves(bench: &Loopback, tag: &str) {
    let a = bench.login(20250306, &format!("healthy a {tag}")).await;
    let mut b = bench.login(20121224, &format!("healthy b {tag}")).await;
    let text = format!("still here after {tag}");
    a.send(&say(&text)).await.unwrap();
    b.recv_until(WAIT, |p| p.name() == "BanchoMessage" && format!("{p:?}").contains(&text)).await.unwrap();
    a.logout().await.unwrap();
    b.logout().await.unwrap();
}

/// Frames of `events` for `build`.
fn frames(build: u32, events: &[ClientEvent<'_>]) -> Vec<u8> {
    let ctx = Context::new(build);
    let mut buf = Vec::new();
    for event in events {
        event.to_packet(ctx).unwrap().write(&mut buf, ctx).unwrap();
    }
    buf
}

/// A match as a client creates it: every slot open.
fn room(host_id: i32) -> Match<'static> {
    Match {
        name: "fault room".into(),
        beatmap_text: "a map".into(),
        beatmap_id: 1,
        beatmap_checksum: "0123456789abcdef0123456789abcdef".into(),
        host_id,
        slots: vec![MatchSlot { status: SlotStatus::OPEN, ..MatchSlot::default() }; 16],
        ..Match::default()
    }
}

/// What a session can take hold of: a lobby seat, a `#lobby` seat, a match.
fn grab(build: u32, user_id: i32) -> Vec<u8> {
    frames(
        build,
        &[
            ClientEvent::LobbyJoin,
            ClientEvent::ChannelJoin("#lobby".into()),
            ClientEvent::MatchCreate(room(user_id)),
        ],
    )
}

/// Logs `name` in over raw TCP and waits until the server has registered it; its user id.
async fn raw_login(bench: &Loopback, stream: &mut TcpStream, build: u32, name: &str) -> i32 {
    stream.write_all(bench.config(build, name).login_body().as_bytes()).await.unwrap();
    let mut id = None;
    until(&format!("{name} never logged in"), || {
        id = bench.server.registry().by_name(name).map(|s| s.user_id());
        id.is_some()
    })
    .await;
    id.unwrap_or_default()
}

/// Reads until the server closes the connection (or resets it).
async fn closed_by_server(stream: &mut TcpStream) {
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        match tokio::time::timeout(WAIT, stream.read(&mut buf)).await {
            Err(_) => panic!("the server kept the connection open"),
            Ok(Ok(0) | Err(_)) => return,
            Ok(Ok(_)) => {}
        }
    }
}

use chio_tests::loopback::{QUICK_IDLE, QUICK_PING_EVERY, quick_policy};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_silent_half_open_connection_is_freed_after_the_idle_timeout() {
    let config = ServerConfig {
        client_policy: quick_policy,
        sweep_interval: Duration::from_millis(100),
        ..ServerConfig::default()
    };
    let bench = Loopback::with_config(config).await;
    // A bystander over HTTP: it polls every 15 ms, so it is never idle.
    let mut bystander = bench.login(20250306, "bystander").await;
    let baseline = footprint(&bench.server);
    // Logs in, holds a lobby seat, `#lobby` and a match, then neither reads, writes nor
    // closes: what the server sees of a peer whose machine vanished (no FIN, no RST).
    let mut silent = TcpStream::connect(bench.tcp).await.unwrap();
    let id = raw_login(&bench, &mut silent, 20121224, "half open").await;
    silent.write_all(&grab(20121224, id)).await.unwrap();
    until("the match was never created", || bench.server.world().multiplayer.len() == 1).await;
    let silent_since = Instant::now();
    back_to(&bench.server, baseline).await;
    let freed = silent_since.elapsed();
    assert!(freed >= QUICK_IDLE - QUICK_PING_EVERY * 2, "freed before the idle timeout: {freed:?}");
    assert!(bench.server.registry().by_name("half open").is_none());
    // The others were told it left.
    bystander
        .recv_until(WAIT, |p| matches!(p, ServerPacket::BanchoUserQuit(q) if q.user_id == id))
        .await
        .unwrap();
    assert!(bench.server.stats().dropped >= 1);
    eprintln!("half-open TCP session (idle timeout {QUICK_IDLE:?}): freed {freed:?} after its last packet");
    still_serves(&bench, "a half-open connection").await;
    closed_by_server(&mut silent).await;
}

/// How a faulty client leaves.
#[derive(Clone, Copy, Debug)]
enum Leave {
    /// Closes its side (FIN).
    Close,
    /// Resets the connection (RST, from a zero linger).
    Reset,
}

fn leave(stream: TcpStream, how: Leave) {
    if let Leave::Reset = how {
        stream.set_zero_linger().unwrap();
    }
    drop(stream);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn clients_that_vanish_mid_login_or_mid_frame_are_freed() {
    const ROUNDS: usize = 10;
    let mut config = ServerConfig::default();
    config.login.timeout = Duration::from_secs(2);
    let bench = Loopback::with_config(config).await;
    let mut bystander = bench.login(20250306, "bystander").await;
    let baseline = footprint(&bench.server);
    let before = bench.server.stats();
    let started = Instant::now();
    let mut cases = 0;
    for round in 0..ROUNDS {
        for how in [Leave::Close, Leave::Reset] {
            let name = format!("gone {round} {how:?}");
            let login = bench.config(20121224, &name).login_body();
            let outcomes = |server: &Server| server.stats().logins + server.stats().refused;
            let settled = outcomes(&bench.server) + 2;
            // Half of the login lines.
            let mut s = TcpStream::connect(bench.tcp).await.unwrap();
            s.write_all(&login.as_bytes()[..login.len() / 2]).await.unwrap();
            leave(s, how);
            // The whole login, gone before the answer (during the password check).
            let mut s = TcpStream::connect(bench.tcp).await.unwrap();
            s.write_all(login.as_bytes()).await.unwrap();
            leave(s, how);
            // Both answered (refused, or admitted and then ended), so that the login below
            // is the last of its name.
            until("a vanished login was never settled", || outcomes(&bench.server) >= settled).await;
            // Logged in, holding a lobby seat, a channel and a match, then half a frame.
            let mut s = TcpStream::connect(bench.tcp).await.unwrap();
            let id = raw_login(&bench, &mut s, 20121224, &name).await;
            let mut bytes = grab(20121224, id);
            let whole = bytes.len();
            bytes.extend_from_slice(&frames(20121224, &[say("a message cut short")]));
            bytes.truncate(whole + 9);
            s.write_all(&bytes).await.unwrap();
            until("the match was never created", || bench.server.world().multiplayer.len() == 1).await;
            leave(s, how);
            back_to(&bench.server, baseline).await;
            cases += 3;
        }
    }
    let elapsed = started.elapsed();
    let after = bench.server.stats();
    // Each half login was refused; each whole one may have been admitted (then ended) or
    // seen cut short; every logged-in vanisher ended without being counted a drop.
    assert!(after.refused - before.refused >= ROUNDS as u64 * 2, "{before:?} -> {after:?}");
    assert!(after.logins - before.logins >= ROUNDS as u64 * 2, "{before:?} -> {after:?}");
    assert_eq!(after.dropped, before.dropped, "{before:?} -> {after:?}");
    // The bystander saw each logged-in vanisher leave, and still chats.
    let quits = bystander.recv_for(Duration::from_millis(200)).await;
    let quits = quits.iter().filter(|p| p.name() == "BanchoUserQuit").count();
    assert!(quits >= ROUNDS * 2, "{quits} quits seen");
    eprintln!(
        "{cases} vanishing clients (FIN and RST, mid-login and mid-frame): footprint back to baseline, \
         {elapsed:?} in all"
    );
    still_serves(&bench, "vanishing clients").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn packets_from_an_ended_session_change_nothing() {
    // A kicked (or overflowed) session's connection lives on while its writer flushes:
    // up to `write_timeout` when the client does not read. What it sends meanwhile must
    // not seat a session that is already logged out.
    //
    // The writer's stall is timed from when its write blocked, before the chat below has
    // filled the outbox and the kick: a minute is far beyond that on a loaded machine,
    // and costs nothing (reading the socket at the end lets the writer finish at once).
    let config = ServerConfig {
        write_timeout: Duration::from_secs(60),
        packet_rate: PacketRate { burst: 1_000_000, per_second: 1_000_000 },
        ..ServerConfig::default()
    };
    let bench = Loopback::with_config(config).await;
    let host = bench.login(20130815, "spectated host").await;
    let host_session = bench.server.registry().by_name("spectated host").unwrap();
    let baseline = footprint(&bench.server);
    // Logs in over raw TCP with a small receive buffer and never reads.
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.set_recv_buffer_size(4096).unwrap();
    let mut deaf = socket.connect(bench.tcp).await.unwrap();
    let id = raw_login(&bench, &mut deaf, 20121224, "lingering").await;
    let session = bench.server.registry().by_name("lingering").unwrap();
    // Chat until its writer is stuck: the kernel's buffers are full and the outbox grows.
    // A full outbox alone does not show that: on a loaded machine the writer may not have
    // run yet, and then drains it all into the kernel's send buffer (which grows to
    // megabytes) after the kick, ends the connection, and the packets below are never
    // read. So the outbox must also hold still, with nothing sent, for a quarter second.
    let long = "x".repeat(2000);
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut last = 0;
    loop {
        let queued = session.outbox().queued_bytes();
        if queued >= 256 * 1024 && queued == last {
            break;
        }
        assert!(Instant::now() < deadline, "the writer never stalled");
        last = queued;
        if queued < 256 * 1024 {
            for _ in 0..50 {
                host.send(&say(&long)).await.unwrap();
            }
            tokio::time::sleep(Duration::from_millis(2)).await;
        } else {
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
    }
    assert!(bench.server.kick(session.id()));
    let before = bench.server.stats().packets;
    let sent = [
        ClientEvent::LobbyJoin,
        ClientEvent::ChannelJoin("#lobby".into()),
        ClientEvent::MatchCreate(room(id)),
        ClientEvent::StartSpectating(host.user_id()),
        ClientEvent::FriendsAdd(host.user_id()),
    ];
    deaf.write_all(&frames(20121224, &sent)).await.unwrap();
    until("the packets were never read", || bench.server.stats().packets >= before + sent.len() as u64).await;
    let after = footprint(&bench.server);
    assert_eq!(after, baseline, "an ended session took hold of something");
    assert!(bench.server.world().spectating.spectators_of(host_session.id()).is_empty());
    host.logout().await.unwrap();
    closed_by_server(&mut deaf).await;
}

/// Sends one HTTP/1.1 request; the status line and headers, and the body.
async fn http(addr: SocketAddr, headers: &str, body: &[u8]) -> (String, Vec<u8>) {
    let mut s = TcpStream::connect(addr).await.unwrap();
    let head = format!(
        "POST / HTTP/1.1\r\nHost: c.localhost\r\nConnection: close\r\nUser-Agent: osu!\r\n{headers}\
         Content-Length: {}\r\n\r\n",
        body.len()
    );
    s.write_all(head.as_bytes()).await.unwrap();
    s.write_all(body).await.unwrap();
    let mut response = Vec::new();
    tokio::time::timeout(WAIT, s.read_to_end(&mut response)).await.unwrap().unwrap();
    let split = response.windows(4).position(|w| w == b"\r\n\r\n").expect("a response head");
    (String::from_utf8_lossy(&response[..split]).into_owned(), response[split + 4..].to_vec())
}

/// Logs `name` in over raw HTTP; its token.
async fn http_login(bench: &Loopback, name: &str) -> String {
    let (head, _) = http(bench.http, "", bench.config(20250306, name).login_body().as_bytes()).await;
    let token = head.lines().find_map(|l| l.strip_prefix("cho-token: ")).expect("a cho-token");
    assert_ne!(token, "no", "{head}");
    token.trim().to_owned()
}

/// Checks that a poll's body is whole frames (modern layout: id, compression flag,
/// length, payload); how many.
fn count_frames(mut body: &[u8]) -> usize {
    let mut count = 0;
    while !body.is_empty() {
        assert!(body.len() >= 7, "a torn frame header: {body:?}");
        let len = u32::from_le_bytes([body[3], body[4], body[5], body[6]]) as usize;
        assert!(body.len() >= 7 + len, "a torn frame payload");
        body = &body[7 + len..];
        count += 1;
    }
    count
}

/// The restart frame an unknown token is answered with.
const RESTART: [u8; 11] = [0x56, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_token_polled_from_two_places_gets_each_packet_once() {
    const MESSAGES: usize = 300;
    let bench = Loopback::in_memory().await;
    let baseline = footprint(&bench.server);
    let token = http_login(&bench, "two places").await;
    let talker = bench.login(20130815, "talker").await;
    let header = format!("osu-token: {token}\r\n");
    let done = Arc::new(AtomicBool::new(false));
    let seen = Arc::new(AtomicUsize::new(0));
    let poller = || {
        let (header, addr) = (header.clone(), bench.http);
        let (done, seen) = (Arc::clone(&done), Arc::clone(&seen));
        tokio::spawn(async move {
            let mut got = Vec::new();
            let mut polls = 0;
            while !done.load(Ordering::Relaxed) {
                let (head, body) = http(addr, &header, b"").await;
                assert!(head.starts_with("HTTP/1.1 200"), "{head}");
                count_frames(&body);
                seen.fetch_add(String::from_utf8_lossy(&body).matches("<msg ").count(), Ordering::Relaxed);
                got.extend(body);
                polls += 1;
            }
            (got, polls)
        })
    };
    let (a, b) = (poller(), poller());
    let marker = |i: usize| format!("<msg {i:04}>");
    // In small bursts, so that both poll loops get some of them.
    for i in 0..MESSAGES {
        talker.send(&say(&marker(i))).await.unwrap();
        if i % 5 == 4 {
            tokio::time::sleep(Duration::from_millis(3)).await;
        }
    }
    until("the pollers never got every message", || seen.load(Ordering::Relaxed) >= MESSAGES).await;
    // A few more polls each: a duplicate would show up in them.
    tokio::time::sleep(Duration::from_millis(100)).await;
    done.store(true, Ordering::Relaxed);
    let (got_a, polls_a) = a.await.unwrap();
    let (got_b, polls_b) = b.await.unwrap();
    let text = |bytes: &[u8]| String::from_utf8_lossy(bytes).into_owned();
    let (text_a, text_b) = (text(&got_a), text(&got_b));
    let mut in_b_total = 0;
    for i in 0..MESSAGES {
        let m = marker(i);
        let (in_a, in_b) = (text_a.matches(&m).count(), text_b.matches(&m).count());
        assert_eq!(in_a + in_b, 1, "{m}: {in_a} times in one poll loop, {in_b} in the other");
        in_b_total += in_b;
    }
    eprintln!(
        "one token, two poll loops: {MESSAGES} messages each delivered exactly once \
         ({} / {in_b_total} over {polls_a} / {polls_b} polls)",
        MESSAGES - in_b_total
    );
    // An exit from one place ends the session; the other is told to log in again.
    let (head, _) = http(bench.http, &header, &frames(20250306, &[ClientEvent::Exit(false)])).await;
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    let (_, body) = http(bench.http, &header, b"").await;
    assert_eq!(body, RESTART);
    talker.logout().await.unwrap();
    back_to(&bench.server, baseline).await;
    still_serves(&bench, "two pollers").await;
}

/// The HTTP face of `packets_from_an_ended_session_change_nothing`: polls that grab a
/// lobby seat, `#lobby` and a match race an exit posted with the same token. The window
/// (a poll that looked the token up before the exit ended the session, and takes the
/// world lock after) is narrow, so this is a stress check; the TCP test above is the
/// deterministic regression test.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_exit_racing_a_poll_from_elsewhere_leaves_nothing_behind() {
    const ROUNDS: usize = 30;
    let bench = Loopback::in_memory().await;
    let baseline = footprint(&bench.server);
    let exit = frames(20250306, &[ClientEvent::Exit(false)]);
    for round in 0..ROUNDS {
        let name = format!("racer {round}");
        let token = http_login(&bench, &name).await;
        let id = bench.server.registry().by_token(&token).unwrap().user_id();
        let header = format!("osu-token: {token}\r\n");
        let held = grab(20250306, id);
        let (a, b, c, exited) = tokio::join!(
            http(bench.http, &header, &held),
            http(bench.http, &header, &held),
            http(bench.http, &header, &held),
            http(bench.http, &header, &exit),
        );
        for (head, _) in [a, b, c, exited] {
            assert!(head.starts_with("HTTP/1.1 200"), "{head}");
        }
        back_to(&bench.server, baseline).await;
    }
    still_serves(&bench, "racing exits").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn http_logins_cut_short_are_freed() {
    let config = ServerConfig {
        client_policy: quick_policy,
        sweep_interval: Duration::from_millis(100),
        ..ServerConfig::default()
    };
    let bench = Loopback::with_config(config).await;
    let mut bystander = bench.login(20250306, "bystander").await;
    let baseline = footprint(&bench.server);
    let started = Instant::now();
    for round in 0..5 {
        let body = bench.config(20250306, &format!("http gone {round}")).login_body();
        let head = format!(
            "POST / HTTP/1.1\r\nHost: c.localhost\r\nUser-Agent: osu!\r\nContent-Length: {}\r\n\r\n",
            body.len()
        );
        // Half the body, then a reset: no session.
        let mut s = TcpStream::connect(bench.http).await.unwrap();
        s.write_all(head.as_bytes()).await.unwrap();
        s.write_all(&body.as_bytes()[..body.len() / 2]).await.unwrap();
        leave(s, Leave::Reset);
        // The whole login, then a reset before the answer: the session may be admitted
        // with a token nobody received, and is swept once it has not polled for its
        // idle timeout.
        let mut s = TcpStream::connect(bench.http).await.unwrap();
        s.write_all(head.as_bytes()).await.unwrap();
        s.write_all(body.as_bytes()).await.unwrap();
        leave(s, Leave::Reset);
    }
    back_to(&bench.server, baseline).await;
    let freed = started.elapsed();
    eprintln!(
        "10 HTTP logins cut short (idle timeout {QUICK_IDLE:?}): footprint back to baseline after {freed:?}"
    );
    // The bystander kept polling all along.
    bystander.send(&ClientEvent::StatusUpdateRequest).await.unwrap();
    bystander.recv_until(WAIT, |p| p.name() == "BanchoUserStats").await.unwrap();
    still_serves(&bench, "HTTP logins cut short").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_that_stops_reading_is_freed() {
    // `server_attacks::a_client_that_never_reads_is_dropped` checks the drop; this one
    // checks that what the session held goes with it.
    let config = ServerConfig {
        outbox: chio_server::outbox::OutboxLimits { max_bytes: 64 * 1024, ..Default::default() },
        write_timeout: Duration::from_millis(500),
        packet_rate: PacketRate { burst: 1_000_000, per_second: 1_000_000 },
        ..ServerConfig::default()
    };
    let bench = Loopback::with_config(config).await;
    let talker = bench.login(20130815, "talker").await;
    let baseline = footprint(&bench.server);
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.set_recv_buffer_size(4096).unwrap();
    let mut deaf = socket.connect(bench.tcp).await.unwrap();
    let id = raw_login(&bench, &mut deaf, 20121224, "stops reading").await;
    deaf.write_all(&grab(20121224, id)).await.unwrap();
    until("the match was never created", || bench.server.world().multiplayer.len() == 1).await;
    let started = Instant::now();
    let long = "x".repeat(2000);
    while bench.server.registry().by_name("stops reading").is_some() {
        assert!(started.elapsed() < Duration::from_secs(60), "never dropped");
        for _ in 0..50 {
            talker.send(&say(&long)).await.unwrap();
        }
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    back_to(&bench.server, baseline).await;
    eprintln!("a client that stops reading: dropped and freed {:?} after the flood began", started.elapsed());
    assert!(bench.server.stats().dropped >= 1);
    talker.logout().await.unwrap();
}

/// 120 TCP clients of one build vanish at once (all with a reset, as when a network cut
/// or a proxy restart drops them): the survivor hears of every one of them, and the
/// departures go out batched, a few encodings in all rather than one per departure, so
/// the sessions still to be found gone are not sent about N²/2 `UserQuit` frames.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_mass_disconnect_is_told_in_a_batch() {
    const GONE: usize = 120;
    let bench = Loopback::in_memory().await;
    let mut survivor = bench.login(20121224, "survivor").await;
    let mut streams = Vec::new();
    let mut ids = std::collections::BTreeSet::new();
    for i in 0..GONE {
        let mut stream = TcpStream::connect(bench.tcp).await.unwrap();
        ids.insert(raw_login(&bench, &mut stream, 20121224, &format!("gone {i}")).await);
        streams.push(stream);
    }
    let baseline = footprint(&bench.server);
    let encodings = bench.server.world().mail.encodings();
    for stream in streams {
        leave(stream, Leave::Reset);
    }
    let mut told = std::collections::BTreeSet::new();
    let started = Instant::now();
    while told.len() < GONE {
        assert!(started.elapsed() < WAIT, "told {} of {GONE} departures", told.len());
        match survivor.recv_until(WAIT, |p| p.name() == "BanchoUserQuit").await {
            Ok(ServerPacket::BanchoUserQuit(quit)) => {
                told.insert(quit.user_id);
            }
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(told, ids);
    let spent = bench.server.world().mail.encodings() - encodings;
    println!("{GONE} departures told in {:?} with {spent} encodings", started.elapsed());
    assert!(spent < 10, "{spent} encodings for {GONE} departures");
    assert_eq!(footprint(&bench.server).sessions, baseline.sessions - GONE);
    still_serves(&bench, "a mass disconnect").await;
}
