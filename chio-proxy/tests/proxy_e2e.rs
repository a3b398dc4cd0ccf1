//! The proxy end to end: headless clients of four eras log into a loopback chio-server
//! through it, and byte-recording relays on both sides of the proxy check that every byte
//! passed unchanged.
//!
//! ```text
//! client ── client relay ── proxy ── server relay ── chio-server
//! ```

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chio_client::{Client, ClientConfig};
use chio_packets::events::ChatMessage;
use chio_packets::events::ServerEvent;
use chio_packets::events::client::ClientEvent;
use chio_packets::multiplayer::{MatchSlot, SlotStatus};
use chio_packets::wire::PacketDecoder;
use chio_packets::{ClientPacket, Context, FromClient, FromServer, PacketSet, ServerPacket};
use chio_proxy::capture::{self, Dir, Kind, Transport};
use chio_proxy::log::PacketLog;
use chio_proxy::proxy::{Proxy, ProxyConfig, shared_capture};
use chio_proxy::tap::{Injector, SessionId, Tap};
use chio_server::tcp_login::OwnedLogin;
use chio_tests::loopback::{Loopback, WAIT};
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// One relayed connection's bytes.
#[derive(Clone, Debug, Default)]
struct Conn {
    c2s: Vec<u8>,
    s2c: Vec<u8>,
}

/// A TCP relay to `target` that records every connection's bytes both ways.
struct Relay {
    addr: SocketAddr,
    conns: Arc<Mutex<Vec<Arc<Mutex<Conn>>>>>,
}

async fn pump(
    mut from: tokio::net::tcp::OwnedReadHalf,
    mut to: tokio::net::tcp::OwnedWriteHalf,
    conn: Arc<Mutex<Conn>>,
    c2s: bool,
) {
    let mut buf = vec![0; 64 * 1024];
    loop {
        let n = match from.read(&mut buf).await {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        {
            let mut conn = conn.lock().unwrap();
            let side = if c2s { &mut conn.c2s } else { &mut conn.s2c };
            side.extend_from_slice(&buf[..n]);
        }
        if to.write_all(&buf[..n]).await.is_err() {
            break;
        }
    }
    let _ = to.shutdown().await;
}

impl Relay {
    async fn start(target: SocketAddr) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let conns: Arc<Mutex<Vec<Arc<Mutex<Conn>>>>> = Arc::default();
        let all = Arc::clone(&conns);
        tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let Ok(server) = TcpStream::connect(target).await else { continue };
                let _ = (client.set_nodelay(true), server.set_nodelay(true));
                let conn = Arc::new(Mutex::new(Conn::default()));
                all.lock().unwrap().push(Arc::clone(&conn));
                let (cr, cw) = client.into_split();
                let (sr, sw) = server.into_split();
                tokio::spawn(pump(cr, sw, Arc::clone(&conn), true));
                tokio::spawn(pump(sr, cw, conn, false));
            }
        });
        Self { addr, conns }
    }

    fn conns(&self) -> Vec<Conn> {
        self.conns.lock().unwrap().iter().map(|c| c.lock().unwrap().clone()).collect()
    }

    /// The connection whose client began with the login of `username`.
    fn tcp_of(&self, username: &str) -> Conn {
        let prefix = format!("{username}\n");
        let found: Vec<_> =
            self.conns().into_iter().filter(|c| c.c2s.starts_with(prefix.as_bytes())).collect();
        assert_eq!(found.len(), 1, "{username}: {} connections", found.len());
        found.into_iter().next().unwrap()
    }
}

/// One HTTP message: its headers (lowercase names) and body.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Message {
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Message {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }
}

/// The HTTP/1.1 messages of one direction (bodies by `Content-Length`); with `strict`,
/// nothing may follow the last whole one.
fn messages(mut bytes: &[u8], strict: bool) -> Vec<Message> {
    let mut out = Vec::new();
    while let Some(end) = bytes.windows(4).position(|w| w == b"\r\n\r\n") {
        let head = std::str::from_utf8(&bytes[..end]).unwrap();
        let headers: Vec<(String, String)> = head
            .split("\r\n")
            .skip(1)
            .filter_map(|l| l.split_once(':'))
            .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
            .collect();
        let len: usize =
            headers.iter().find(|(n, _)| n == "content-length").map_or(0, |(_, v)| v.parse().unwrap());
        assert!(!headers.iter().any(|(n, v)| n == "transfer-encoding" && v.contains("chunked")), "chunked");
        if bytes.len() < end + 4 + len {
            break;
        }
        let body = bytes[end + 4..end + 4 + len].to_vec();
        bytes = &bytes[end + 4 + len..];
        out.push(Message { headers, body });
    }
    assert!(!strict || bytes.is_empty(), "an incomplete HTTP message");
    out
}

/// Every (request body, response body) of a relay's HTTP connections, sorted. With
/// `strict` (traffic is over), every request must have its response.
fn exchanges(relay: &Relay, strict: bool) -> Vec<(Option<String>, Vec<u8>, Vec<u8>)> {
    let mut all = Vec::new();
    for conn in relay.conns() {
        let requests = messages(&conn.c2s, strict);
        let responses = messages(&conn.s2c, strict);
        if strict {
            assert_eq!(requests.len(), responses.len());
        }
        for (request, response) in requests.into_iter().zip(responses) {
            let token = request.header("osu-token").map(str::to_owned);
            all.push((token, request.body, response.body));
        }
    }
    all.sort();
    all
}

fn frames<S: PacketSet>(ctx: Context, bytes: &[u8]) -> usize {
    let mut count = 0;
    for frame in PacketDecoder::<S>::new(ctx).frames(bytes) {
        frame.expect("whole frames");
        count += 1;
    }
    count
}

/// A tap that remembers what it saw.
#[derive(Default)]
struct Recorder {
    logins: Mutex<Vec<(SessionId, String, u32)>>,
    client_packets: Mutex<HashMap<SessionId, usize>>,
    server_packets: Mutex<HashMap<SessionId, usize>>,
    closed: Mutex<Vec<SessionId>>,
}

impl Tap for Recorder {
    fn login(&self, session: SessionId, login: &OwnedLogin, ctx: Context) {
        self.logins.lock().unwrap().push((session, login.username.clone(), ctx.build()));
    }
    fn client_packet(&self, session: SessionId, _: Context, _: &ClientPacket<'_>) {
        *self.client_packets.lock().unwrap().entry(session).or_default() += 1;
    }
    fn server_packet(&self, session: SessionId, _: Context, _: &ServerPacket<'_>) {
        *self.server_packets.lock().unwrap().entry(session).or_default() += 1;
    }
    fn closed(&self, session: SessionId) {
        self.closed.lock().unwrap().push(session);
    }
}

impl Recorder {
    fn session_of(&self, username: &str) -> SessionId {
        self.logins.lock().unwrap().iter().find(|(_, u, _)| u == username).expect("logged in").0
    }
}

/// The whole chain.
struct Bench {
    server: Loopback,
    server_tcp: Relay,
    server_http: Relay,
    client_tcp: Relay,
    client_http: Relay,
    proxy: Proxy,
    injector: Injector,
    tap: Arc<Recorder>,
    log: PathBuf,
    capture: PathBuf,
    _dir: tempfile::TempDir,
}

impl Bench {
    async fn start() -> Self {
        let server = Loopback::in_memory().await;
        let server_tcp = Relay::start(server.tcp).await;
        let server_http = Relay::start(server.http).await;
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("log.jsonl");
        let capture = dir.path().join("capture.jsonl");
        let tap = Arc::new(Recorder::default());
        let injector = Injector::new();
        let config = ProxyConfig::default()
            .with_upstream_tcp(server_tcp.addr)
            .with_upstream_http(format!("http://{}", server_http.addr))
            .with_log(Arc::new(PacketLog::new(std::fs::File::create(&log).unwrap())))
            .with_capture(shared_capture(std::fs::File::create(&capture).unwrap()).unwrap())
            .with_tap(Arc::clone(&tap) as Arc<dyn Tap>)
            .with_injector(injector.clone());
        let proxy = Proxy::new(config).unwrap();
        let tcp = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let http = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let (tcp_addr, http_addr) = (tcp.local_addr().unwrap(), http.local_addr().unwrap());
        let serving = proxy.clone();
        tokio::spawn(async move { serving.serve_tcp(tcp).await.unwrap() });
        let serving = proxy.clone();
        tokio::spawn(async move { serving.serve_http(http).await.unwrap() });
        let client_tcp = Relay::start(tcp_addr).await;
        let client_http = Relay::start(http_addr).await;
        Self {
            server,
            server_tcp,
            server_http,
            client_tcp,
            client_http,
            proxy,
            injector,
            tap,
            log,
            capture,
            _dir: dir,
        }
    }

    fn config(&self, build: u32, user: &str) -> ClientConfig {
        self.server
            .config(build, user)
            .with_tcp(self.client_tcp.addr)
            .with_http(format!("http://{}", self.client_http.addr))
    }

    async fn login(&self, build: u32, user: &str) -> Client {
        match Client::login(self.config(build, user)).await {
            Ok(client) => client,
            Err(e) => panic!("b{build} {user}: login through the proxy failed: {e}"),
        }
    }

    fn log_lines(&self) -> Vec<Value> {
        std::fs::read_to_string(&self.log)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }

    fn capture(&self) -> Vec<capture::Session> {
        capture::read(std::io::BufReader::new(std::fs::File::open(&self.capture).unwrap())).unwrap()
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

fn message_with(text: &str) -> impl FnMut(&ServerPacket<'static>) -> bool + '_ {
    move |p| p.name() == "BanchoMessage" && serde_json::to_string(p).unwrap().contains(text)
}

/// Log lines of `session` one way that are packets or raw frames (not the login).
fn frame_lines(lines: &[Value], session: SessionId, dir: &str) -> usize {
    lines
        .iter()
        .filter(|l| l["session"] == session && l["dir"] == dir && l.get("login").is_none())
        .filter(|l| l.get("packet").is_some() || l.get("id").is_some())
        .count()
}

const BUILDS: [(u32, &str); 4] =
    [(1000, "gzip era"), (20130815, "late tcp"), (20130816, "first http"), (20250306, "modern")];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn four_eras_chat_spectate_and_play_through_the_proxy_unchanged() {
    let bench = Bench::start().await;
    let mut clients = Vec::new();
    for (build, name) in BUILDS {
        clients.push(bench.login(build, name).await);
    }
    // Chat: each says hello in #osu, the modern client hears everyone, everyone hears it.
    for i in 0..3 {
        let text = format!("hello from {}", BUILDS[i].1);
        clients[i].send(&say("#osu", &text)).await.unwrap();
        clients[3].recv_until(WAIT, message_with(&text)).await.unwrap();
    }
    clients[3].send(&say("#osu", "hi all")).await.unwrap();
    for client in &mut clients[..3] {
        client.recv_until(WAIT, message_with("hi all")).await.unwrap();
    }

    // Spectating: the modern client watches the gzip-era one.
    let (left, right) = clients.split_at_mut(3);
    let (host, spectator) = (&mut left[0], &mut right[0]);
    spectator.send(&ClientEvent::StartSpectating(host.user_id())).await.unwrap();
    host.recv_until(WAIT, named("BanchoSpectatorJoined")).await.unwrap();
    host.send(&ClientEvent::SpectateFrames(chio_client::command::sample_frames())).await.unwrap();
    spectator.recv_until(WAIT, named("BanchoSpectateFrames")).await.unwrap();
    spectator.send(&ClientEvent::StopSpectating).await.unwrap();
    host.recv_until(WAIT, named("BanchoSpectatorLeft")).await.unwrap();

    // A match: the late TCP client hosts, the first HTTP client joins.
    let (left, right) = clients.split_at_mut(2);
    let (host, guest) = (&mut left[1], &mut right[0]);
    for client in [&*host, &*guest] {
        client.send(&ClientEvent::LobbyJoin).await.unwrap();
    }
    let settings = chio_packets::multiplayer::Match {
        name: "through the proxy".into(),
        beatmap_text: "Camellia - Exit This Earth's Atomosphere".into(),
        beatmap_id: 1_000_000,
        beatmap_checksum: "0123456789abcdef0123456789abcdef".into(),
        host_id: host.user_id(),
        slots: vec![MatchSlot { status: SlotStatus::OPEN, ..MatchSlot::default() }; 16],
        ..chio_packets::multiplayer::Match::default()
    };
    host.send(&ClientEvent::MatchCreate(settings)).await.unwrap();
    let created = host.recv_until(WAIT, named("BanchoMatchJoinSuccess")).await.unwrap();
    let match_id = serde_json::to_value(&created).unwrap()["data"]["id"].as_i64().unwrap() as i32;
    guest.send(&ClientEvent::MatchJoin { match_id, password: "".into() }).await.unwrap();
    guest.recv_until(WAIT, named("BanchoMatchJoinSuccess")).await.unwrap();
    guest.send(&ClientEvent::MatchReady).await.unwrap();
    host.send(&ClientEvent::MatchReady).await.unwrap();
    guest.flush().await.unwrap();
    host.flush().await.unwrap();
    tokio::time::sleep(Duration::from_millis(100)).await;
    host.send(&ClientEvent::MatchStart).await.unwrap();
    for client in [&mut *host, &mut *guest] {
        client.recv_until(WAIT, named("BanchoMatchStart")).await.unwrap();
        client.send(&ClientEvent::MatchLoadComplete).await.unwrap();
    }
    let score = chio_client::command::sample_score();
    host.send(&ClientEvent::MatchScoreUpdate(score)).await.unwrap();
    guest.recv_until(WAIT, named("BanchoMatchScoreUpdate")).await.unwrap();
    for client in [&*host, &*guest] {
        client.send(&ClientEvent::MatchComplete).await.unwrap();
    }
    for client in [&mut *host, &mut *guest] {
        client.recv_until(WAIT, named("BanchoMatchComplete")).await.unwrap();
    }

    for client in clients {
        client.logout().await.unwrap();
    }
    tokio::time::sleep(Duration::from_millis(300)).await;

    let lines = bench.log_lines();
    let captured = bench.capture();
    // TCP: the same bytes on both sides of the proxy, both ways; one log line per frame.
    for (build, name) in &BUILDS[..2] {
        let ctx = Context::new(*build);
        let client_side = bench.client_tcp.tcp_of(name);
        let server_side = bench.server_tcp.tcp_of(name);
        assert_eq!(client_side.c2s, server_side.c2s, "{name}: client to server");
        assert_eq!(client_side.s2c, server_side.s2c, "{name}: server to client");
        let session = bench.tap.session_of(name);
        let login_len = chio_packets::login::request::LoginRequest::body_len(&server_side.c2s).unwrap();
        let c2s = frames::<FromClient>(ctx, &server_side.c2s[login_len..]);
        let s2c = frames::<FromServer>(ctx, &server_side.s2c);
        assert!(c2s >= 3 && s2c > 3, "{name}: {c2s} and {s2c} frames");
        assert_eq!(frame_lines(&lines, session, "c2s"), c2s, "{name}: c2s log lines");
        assert_eq!(frame_lines(&lines, session, "s2c"), s2c, "{name}: s2c log lines");
        assert_eq!(bench.tap.client_packets.lock().unwrap()[&session], c2s, "{name}: tap");
        // The capture holds the same bytes.
        let recorded = captured.iter().find(|s| s.id == session).unwrap();
        assert_eq!(recorded.start.transport, Transport::Tcp);
        assert_eq!(recorded.start.build, *build);
        assert!(recorded.ended);
        assert_eq!(recorded.bytes(Dir::ClientToServer, &[Kind::Login, Kind::Data]), server_side.c2s);
        assert_eq!(recorded.bytes(Dir::ServerToClient, &[Kind::Data]), server_side.s2c);
    }
    // HTTP: the same request and response bodies on both sides.
    let client_side = exchanges(&bench.client_http, true);
    let server_side = exchanges(&bench.server_http, true);
    assert_eq!(client_side, server_side);
    let (mut c2s, mut s2c) = (0, 0);
    // Both HTTP builds frame alike (7-byte headers): counting needs no build.
    let ctx = Context::new(20250306);
    for (token, request, response) in &server_side {
        if token.is_some() {
            c2s += frames::<FromClient>(ctx, request);
        }
        s2c += frames::<FromServer>(ctx, response);
    }
    let http_sessions: Vec<SessionId> =
        BUILDS[2..].iter().map(|(_, name)| bench.tap.session_of(name)).collect();
    let logged = |dir| http_sessions.iter().map(|s| frame_lines(&lines, *s, dir)).sum::<usize>();
    assert_eq!(logged("c2s"), c2s);
    assert_eq!(logged("s2c"), s2c);
    for session in &http_sessions {
        let recorded = captured.iter().find(|s| s.id == *session).unwrap();
        assert_eq!(recorded.start.transport, Transport::Http);
        assert!(recorded.ended, "an HTTP session ends with the client's exit");
        let ctx = Context::new(recorded.start.build);
        let polls = recorded.bytes(Dir::ClientToServer, &[Kind::Poll]);
        let answers = recorded.bytes(Dir::ServerToClient, &[Kind::Data]);
        assert!(frames::<FromClient>(ctx, &polls) > 0);
        assert!(frames::<FromServer>(ctx, &answers) > 0);
    }
    // A packet line is `chio decode`'s line plus where and when.
    let reply = lines.iter().find(|l| l["packet"] == "BanchoLoginReply").unwrap();
    for key in ["t_ms", "session", "dir", "build", "packet", "id", "compressed", "data"] {
        assert!(reply.get(key).is_some(), "{key} in {reply}");
    }
    assert_eq!(reply["dir"], "s2c");
    // Every login was told, redacted in the log, and every session closed.
    let logins: Vec<_> = lines.iter().filter(|l| l.get("login").is_some()).collect();
    assert_eq!(logins.len(), 4);
    assert!(logins.iter().all(|l| l["login"]["password_md5"] == "<redacted>"));
    assert_eq!(bench.tap.closed.lock().unwrap().len(), 4);
    bench.proxy.shutdown();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn frames_that_do_not_decode_pass_unchanged_and_are_logged_raw() {
    let bench = Bench::start().await;
    let mut partner = bench.login(20250306, "partner").await;
    let odd = bench.login(20130815, "odd").await;
    // An unknown packet id (250), then a known one (a chat message, id 1) whose payload
    // ends inside its first string.
    let unknown = [250, 0, 0, 3, 0, 0, 0, 1, 2, 3];
    let truncated = [1, 0, 0, 2, 0, 0, 0, 0x0b, 0x05];
    odd.send_raw(&unknown).await.unwrap();
    odd.send_raw(&truncated).await.unwrap();
    // The session goes on.
    odd.send(&say("#osu", "still here")).await.unwrap();
    partner.recv_until(WAIT, message_with("still here")).await.unwrap();
    tokio::time::sleep(Duration::from_millis(100)).await;
    let server_side = bench.server_tcp.tcp_of("odd");
    let mut both = unknown.to_vec();
    both.extend_from_slice(&truncated);
    assert!(server_side.c2s.windows(both.len()).any(|w| w == both), "the odd frames reached the server");
    assert_eq!(bench.client_tcp.tcp_of("odd").c2s, server_side.c2s);
    let session = bench.tap.session_of("odd");
    let lines = bench.log_lines();
    let raw: Vec<_> = lines.iter().filter(|l| l["session"] == session && l["raw"] == true).collect();
    assert_eq!(raw.len(), 2, "{raw:?}");
    assert_eq!(raw[0]["id"], 250);
    assert_eq!(raw[0]["payload"], "010203");
    assert_eq!(raw[1]["id"], 1);
    assert!(raw[1]["error"].is_string(), "{}", raw[1]);
    assert!(
        lines
            .iter()
            .any(|l| l["session"] == session && l["packet"].as_str().is_some_and(|p| p.contains("Message")))
    );
    drop(odd);
    drop(partner);
    bench.proxy.shutdown();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn injected_packets_reach_tcp_and_http_clients() {
    let bench = Bench::start().await;
    let mut tcp = bench.login(20130815, "tcp one").await;
    let mut http = bench.login(20250306, "http one").await;
    let (tcp_session, http_session) = (bench.tap.session_of("tcp one"), bench.tap.session_of("http one"));
    assert_eq!(
        bench.injector.sessions().iter().map(|(id, _)| *id).collect::<Vec<_>>(),
        [tcp_session, http_session]
    );
    for (session, client, text) in [(tcp_session, &mut tcp, "to tcp"), (http_session, &mut http, "to http")] {
        bench.injector.inject(session, &ServerEvent::Announce(text.into())).unwrap();
        let got = client
            .recv_until(WAIT, |p| {
                p.name() == "BanchoAnnounce" && serde_json::to_string(p).unwrap().contains(text)
            })
            .await;
        assert!(got.is_ok(), "{text}: {got:?}");
    }
    // The TCP client saw the server's bytes plus the injected frame, between whole frames.
    tokio::time::sleep(Duration::from_millis(100)).await;
    let (client_side, server_side) = (bench.client_tcp.tcp_of("tcp one"), bench.server_tcp.tcp_of("tcp one"));
    assert_eq!(client_side.c2s, server_side.c2s);
    let ctx = Context::new(20130815);
    assert_eq!(frames::<FromServer>(ctx, &client_side.s2c), frames::<FromServer>(ctx, &server_side.s2c) + 1);
    let lines = bench.log_lines();
    for (session, text) in [(tcp_session, "to tcp"), (http_session, "to http")] {
        let injected: Vec<_> =
            lines.iter().filter(|l| l["session"] == session && l["injected"] == true).collect();
        assert_eq!(injected.len(), 1, "{injected:?}");
        assert_eq!(injected[0]["packet"], "BanchoAnnounce");
        assert_eq!(injected[0]["data"], text);
    }
    let captured = bench.capture();
    for session in [tcp_session, http_session] {
        let recorded = captured.iter().find(|s| s.id == session).unwrap();
        let injected = recorded.bytes(Dir::ServerToClient, &[Kind::Injected]);
        let ctx = Context::new(recorded.start.build);
        assert_eq!(frames::<FromServer>(ctx, &injected), 1);
    }
    tcp.logout().await.unwrap();
    http.logout().await.unwrap();
    bench.proxy.shutdown();
}

/// An injected frame is held while the server's stream is inside a frame, and written
/// right after that frame ends.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn injection_waits_for_the_end_of_a_server_frame() {
    let upstream = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let upstream_addr = upstream.local_addr().unwrap();
    // A login reply (user 1000), sent in two pieces.
    let reply = [5, 0, 0, 4, 0, 0, 0, 0xe8, 3, 0, 0];
    let (go, wait) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(async move {
        let (mut server, _) = upstream.accept().await.unwrap();
        let mut login = Vec::new();
        let mut buf = [0; 1024];
        while login.iter().filter(|b| **b == b'\n').count() < 3 {
            let n = server.read(&mut buf).await.unwrap();
            assert!(n > 0);
            login.extend_from_slice(&buf[..n]);
        }
        server.write_all(&reply[..5]).await.unwrap();
        wait.await.unwrap();
        server.write_all(&reply[5..]).await.unwrap();
        while server.read(&mut buf).await.is_ok_and(|n| n > 0) {}
    });
    let injector = Injector::new();
    let proxy =
        Proxy::new(ProxyConfig::default().with_upstream_tcp(upstream_addr).with_injector(injector.clone()))
            .unwrap();
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let serving = proxy.clone();
    tokio::spawn(async move { serving.serve_tcp(listener).await.unwrap() });

    let mut client = TcpStream::connect(addr).await.unwrap();
    client.write_all(ClientConfig::new(20130815, "edge", "pw").login_body().as_bytes()).await.unwrap();
    let mut half = [0; 5];
    tokio::time::timeout(WAIT, client.read_exact(&mut half)).await.unwrap().unwrap();
    assert_eq!(half, reply[..5]);
    let sessions = injector.sessions();
    assert_eq!(sessions.len(), 1);
    injector.inject(sessions[0].0, &ServerEvent::Announce("between".into())).unwrap();
    // Held: nothing comes while the server's frame is unfinished.
    let mut more = [0; 64];
    let early = tokio::time::timeout(Duration::from_millis(200), client.read(&mut more)).await;
    assert!(early.is_err(), "bytes came in the middle of a frame: {early:?}");
    go.send(()).unwrap();
    let mut rest = [0; 6];
    tokio::time::timeout(WAIT, client.read_exact(&mut rest)).await.unwrap().unwrap();
    assert_eq!(rest, reply[5..]);
    let mut header = [0; 7];
    tokio::time::timeout(WAIT, client.read_exact(&mut header)).await.unwrap().unwrap();
    let len = u32::from_le_bytes(header[3..7].try_into().unwrap()) as usize;
    let mut frame = header.to_vec();
    frame.resize(7 + len, 0);
    tokio::time::timeout(WAIT, client.read_exact(&mut frame[7..])).await.unwrap().unwrap();
    let ctx = Context::new(20130815);
    let mut decoder = PacketDecoder::<FromServer>::new(ctx);
    let whole = decoder.frames(&frame).next().unwrap().unwrap();
    let packet = decoder.decode(&whole).unwrap().into_packet().unwrap();
    assert_eq!(packet.name(), "BanchoAnnounce");
    proxy.shutdown();
}

/// Over HTTP too: an unknown frame in a poll reaches the server unchanged and is logged
/// raw, and the session goes on.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_frame_in_a_poll_passes_and_is_logged_raw() {
    let bench = Bench::start().await;
    let mut partner = bench.login(20130815, "partner").await;
    let odd = bench.login(20250306, "odd poller").await;
    let unknown = [251, 0, 0, 2, 0, 0, 0, 0xab, 0xcd];
    odd.send_raw(&unknown).await.unwrap();
    odd.flush().await.unwrap();
    odd.send(&say("#osu", "polls go on")).await.unwrap();
    partner.recv_until(WAIT, message_with("polls go on")).await.unwrap();
    let server_side = exchanges(&bench.server_http, false);
    assert!(server_side.iter().any(|(_, request, _)| request.windows(unknown.len()).any(|w| w == unknown)));
    let session = bench.tap.session_of("odd poller");
    let lines = bench.log_lines();
    let raw: Vec<_> = lines.iter().filter(|l| l["session"] == session && l["raw"] == true).collect();
    assert_eq!(raw.len(), 1, "{raw:?}");
    assert_eq!((raw[0]["id"].clone(), raw[0]["payload"].clone()), (Value::from(251), Value::from("abcd")));
    odd.logout().await.unwrap();
    bench.proxy.shutdown();
}

/// A login that does not parse is still forwarded, byte for byte, and logged raw.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_login_that_does_not_parse_is_forwarded_and_logged_raw() {
    let bench = Bench::start().await;
    let mut client = TcpStream::connect(bench.client_tcp.addr).await.unwrap();
    let garbage = b"nobody\nnot a hash\nnot|a|client|line\n";
    client.write_all(garbage).await.unwrap();
    // The server refuses and closes; the proxy passes that on.
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(WAIT, client.read_to_end(&mut answer)).await.unwrap();
    tokio::time::sleep(Duration::from_millis(100)).await;
    let server_side = bench.server_tcp.tcp_of("nobody");
    assert_eq!(server_side.c2s, garbage);
    assert_eq!(bench.client_tcp.tcp_of("nobody").s2c, server_side.s2c);
    let lines = bench.log_lines();
    let bad: Vec<_> = lines.iter().filter(|l| l.get("login_error").is_some()).collect();
    assert_eq!(bad.len(), 1, "{lines:?}");
    assert_eq!(bad[0]["raw"], true);
    assert!(bench.tap.logins.lock().unwrap().is_empty());
    let captured = bench.capture();
    assert_eq!(captured.len(), 1);
    assert_eq!(captured[0].start.build, 0);
    assert_eq!(captured[0].bytes(Dir::ClientToServer, &[Kind::Login]), garbage);
    bench.proxy.shutdown();
}
