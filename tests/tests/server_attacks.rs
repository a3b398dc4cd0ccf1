//! Bad input at every door of `chio-server`: each misbehaving client gets a clear error or
//! a disconnect, and the clients around it notice nothing.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use chio_client::{Client, ClientConfig, ClientError};
use chio_packets::events::ChatMessage;
use chio_packets::events::client::ClientEvent;
use chio_packets::session::OsuPong;
use chio_packets::{ClientPacket, Context};
use chio_server::outbox::OutboxLimits;
use chio_server::server::{PacketRate, ServerConfig};
use chio_server::throttle::ThrottlePolicy;
use chio_tests::loopback::{Loopback, WAIT};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Two healthy clients of different eras still trade a message: what the clients around a
/// misbehaving one must keep.
async fn still_serves(bench: &Loopback, tag: &str) {
    let a = bench.login(20250306, &format!("healthy a {tag}")).await;
    let mut b = bench.login(1000, &format!("healthy b {tag}")).await;
    let text = format!("still here after {tag}");
    a.send(&say(&text)).await.unwrap();
    b.recv_until(WAIT, |p| p.name() == "BanchoMessage" && format!("{p:?}").contains(&text)).await.unwrap();
    a.logout().await.unwrap();
    b.logout().await.unwrap();
}

fn say(content: &str) -> ClientEvent<'static> {
    ClientEvent::Message(ChatMessage {
        content: content.to_owned().into(),
        target: "#osu".into(),
        ..ChatMessage::default()
    })
}

/// Reads until the server closes the connection; panics if it does not within `WAIT`.
async fn closed_by_server(stream: &mut TcpStream) -> Vec<u8> {
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match tokio::time::timeout(WAIT, stream.read(&mut buf)).await {
            Err(_) => panic!("the server kept the connection open; read so far: {got:?}"),
            Ok(Ok(0) | Err(_)) => return got,
            Ok(Ok(n)) => got.extend_from_slice(&buf[..n]),
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_logins_are_closed_and_harm_no_one() {
    let mut config = ServerConfig::default();
    config.login.timeout = Duration::from_millis(300);
    let bench = Loopback::with_config(config).await;
    let mut bystander = bench.login(20121224, "bystander").await;

    // Garbage lines.
    let mut s = TcpStream::connect(bench.tcp).await.unwrap();
    s.write_all(b"\x00\xff\xfe garbage\n\x01\x02\n\x03 not a client line\n").await.unwrap();
    closed_by_server(&mut s).await;

    // A login over the size bound, never ending in a newline.
    let mut s = TcpStream::connect(bench.tcp).await.unwrap();
    let _ = s.write_all(&vec![b'a'; 64 * 1024]).await;
    closed_by_server(&mut s).await;

    // A login that never ends: cut off at the login timeout.
    let mut s = TcpStream::connect(bench.tcp).await.unwrap();
    s.write_all(b"slow user\n").await.unwrap();
    let started = std::time::Instant::now();
    closed_by_server(&mut s).await;
    assert!(started.elapsed() < Duration::from_secs(5));

    // Packets before any login.
    let mut s = TcpStream::connect(bench.tcp).await.unwrap();
    let mut pong = Vec::new();
    ClientPacket::from(OsuPong).write(&mut pong, Context::new(1000)).unwrap();
    for _ in 0..3 {
        s.write_all(&pong).await.unwrap();
    }
    s.write_all(b"\n\n\n").await.unwrap();
    closed_by_server(&mut s).await;

    // A wrong password for a registered name: LoginReply(-1), then closed.
    let _registered = bench.login(1000, "taken name").await;
    let mut s = TcpStream::connect(bench.tcp).await.unwrap();
    s.write_all(b"taken name\n00000000000000000000000000000000\nb1000|0\n").await.unwrap();
    let reply = closed_by_server(&mut s).await;
    assert!(reply.windows(4).any(|w| w == (-1i32).to_le_bytes()), "{reply:?}");

    assert!(bench.server.stats().refused >= 5, "{:?}", bench.server.stats());
    still_serves(&bench, "bad logins").await;
    // The bystander saw the healthy clients come and go, and nothing else went wrong.
    bystander.recv_until(WAIT, |p| p.name() == "BanchoMessage").await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_packet_flood_drops_only_the_flooder() {
    let config =
        ServerConfig { packet_rate: PacketRate { burst: 500, per_second: 100 }, ..ServerConfig::default() };
    let bench = Loopback::with_config(config).await;
    let mut flooder = bench.login(1000, "flooder").await;
    let mut pong = Vec::new();
    ClientPacket::from(OsuPong).write(&mut pong, flooder.ctx()).unwrap();
    let flood = pong.repeat(5000);
    let _ = flooder.send_raw(&flood).await;
    // The server hangs up on it.
    while tokio::time::timeout(WAIT, flooder.recv()).await.expect("flooder not dropped").is_some() {}
    assert!(bench.server.stats().dropped >= 1);
    still_serves(&bench, "a flood").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn undecodable_packets_are_skipped() {
    let bench = Loopback::in_memory().await;
    let client = bench.login(20250306, "sloppy").await;
    // A status update (id 0) whose payload is cut short, then a real message.
    client.send_raw(&[0, 0, 0, 2, 0, 0, 0, 0xff, 0xff]).await.unwrap();
    let mut other = bench.login(1000, "reader").await;
    client.send(&say("after a bad packet")).await.unwrap();
    other
        .recv_until(WAIT, |p| p.name() == "BanchoMessage" && format!("{p:?}").contains("after a bad packet"))
        .await
        .unwrap();
    assert!(bench.server.stats().bad_packets >= 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_that_never_reads_is_dropped() {
    let config = ServerConfig {
        outbox: OutboxLimits { max_bytes: 64 * 1024, ..OutboxLimits::default() },
        write_timeout: Duration::from_millis(500),
        packet_rate: PacketRate { burst: 1_000_000, per_second: 1_000_000 },
        ..ServerConfig::default()
    };
    let bench = Loopback::with_config(config).await;
    // Logs in over raw TCP and never reads again.
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.set_recv_buffer_size(4096).unwrap();
    let mut deaf = socket.connect(bench.tcp).await.unwrap();
    deaf.write_all(b"deaf\n5f4dcc3b5aa765d61d8327deb882cf99\nb1000|0\n").await.unwrap();
    let deadline = tokio::time::Instant::now() + WAIT;
    while bench.server.registry().by_name("deaf").is_none() {
        assert!(tokio::time::Instant::now() < deadline, "deaf never logged in");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    // A TCP talker, so nothing waits on polls: it takes some megabytes to fill the
    // kernel's socket buffers before the server's writes to the deaf client stall.
    let talker = bench.login(20130815, "talker").await;
    let long = "x".repeat(2000);
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    while bench.server.registry().by_name("deaf").is_some() {
        assert!(tokio::time::Instant::now() < deadline, "the deaf client was never dropped");
        for _ in 0..100 {
            talker.send(&say(&long)).await.unwrap();
        }
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    talker.logout().await.unwrap();
    // The talker's backlog is handled before its exit: wait for it, so that the healthy
    // clients below (with this test's small outboxes) are not flooded by it.
    while bench.server.registry().by_name("talker").is_some() {
        assert!(tokio::time::Instant::now() < deadline, "the talker never left");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    still_serves(&bench, "a deaf client").await;
}

/// Sends one HTTP/1.1 request and returns the response head and body.
async fn http(addr: SocketAddr, headers: &str, body: &[u8]) -> (String, Vec<u8>) {
    let mut s = TcpStream::connect(addr).await.unwrap();
    let head = format!(
        "POST / HTTP/1.1\r\nHost: c.localhost\r\nConnection: close\r\n{headers}Content-Length: {}\r\n\r\n",
        body.len()
    );
    s.write_all(head.as_bytes()).await.unwrap();
    let _ = s.write_all(body).await;
    let response = closed_by_server(&mut s).await;
    let split = response.windows(4).position(|w| w == b"\r\n\r\n").expect("a response head");
    (String::from_utf8_lossy(&response[..split]).into_owned(), response[split + 4..].to_vec())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_http_requests_get_clear_answers() {
    let bench = Loopback::in_memory().await;
    let mut bystander = bench.login(20250306, "http bystander").await;
    // An unknown token: 200 and a restart packet, so the client logs in again.
    let (head, body) = http(bench.http, "User-Agent: osu!\r\nosu-token: not-a-session\r\n", b"").await;
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    assert_eq!(body, [0x56, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0]);
    // No token and a body that is no login: 400.
    let (head, _) = http(bench.http, "User-Agent: osu!\r\n", b"\x04\x00\x00\x00\x00\x00\x00").await;
    assert!(head.starts_with("HTTP/1.1 400"), "{head}");
    // Not an osu! client: 403.
    let (head, _) = http(bench.http, "User-Agent: curl\r\n", b"").await;
    assert!(head.starts_with("HTTP/1.1 403"), "{head}");
    // A huge body: 413 before it is read.
    let (head, _) =
        http(bench.http, "User-Agent: osu!\r\nosu-token: x\r\n", &vec![0u8; 4 * 1024 * 1024]).await;
    assert!(head.starts_with("HTTP/1.1 413"), "{head}");
    // A valid token with garbage frames: that session ends, answered with a restart.
    let victim = bench.login(20250306, "garbage poster").await;
    let token = bench.server.registry().by_user(victim.user_id())[0].token().unwrap().to_owned();
    let (head, body) =
        http(bench.http, &format!("User-Agent: osu!\r\nosu-token: {token}\r\n"), &[0xff; 64]).await;
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    assert_eq!(body, [0x56, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0]);
    assert!(bench.server.registry().by_user(victim.user_id()).is_empty());
    still_serves(&bench, "bad HTTP").await;
    bystander.recv_until(WAIT, |p| p.name() == "BanchoMessage").await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn password_guessing_is_throttled_per_name() {
    let throttle =
        ThrottlePolicy { per_name: 3, per_address: 50, window: Duration::from_secs(2), max_tracked: 1000 };
    let bench = Loopback::with_config(ServerConfig { throttle, ..ServerConfig::default() }).await;
    let victim = bench.login(20250306, "victim").await; // registers "victim password"
    victim.logout().await.unwrap();
    let guess =
        |password: &str| ClientConfig { password: password.to_owned(), ..bench.config(1000, "victim") };
    for attempt in 0..3 {
        let refused = Client::login(guess(&format!("guess {attempt}"))).await;
        assert!(matches!(refused, Err(ClientError::LoginRefused(-1))), "{refused:?}");
    }
    // Locked: even the right password is refused, with the reason.
    let mut s = TcpStream::connect(bench.tcp).await.unwrap();
    s.write_all(bench.config(1000, "victim").login_body().as_bytes()).await.unwrap();
    let answer = closed_by_server(&mut s).await;
    assert!(String::from_utf8_lossy(&answer).contains("Too many failed logins"), "{answer:?}");
    // Other names from the same address are not locked out.
    bench.login(1000, "bystander").await.logout().await.unwrap();
    // Once the failures leave the window, the right password works again.
    tokio::time::sleep(Duration::from_secs(2)).await;
    Client::login(bench.config(1000, "victim")).await.unwrap().logout().await.unwrap();
}

/// Checks every login after a pause, counting how many run at once.
struct SlowCounting {
    inner: chio_server::login::StorageAuthenticator,
    running: std::sync::atomic::AtomicUsize,
    most: std::sync::atomic::AtomicUsize,
}

impl chio_server::login::Authenticator for SlowCounting {
    fn authenticate(
        &self,
        login: &chio_server::tcp_login::OwnedLogin,
    ) -> Result<chio_server::storage::Account, chio_packets::types::LoginError> {
        use std::sync::atomic::Ordering::SeqCst;
        let now = self.running.fetch_add(1, SeqCst) + 1;
        self.most.fetch_max(now, SeqCst);
        std::thread::sleep(Duration::from_millis(30));
        let result = self.inner.authenticate(login);
        self.running.fetch_sub(1, SeqCst);
        result
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_login_flood_checks_passwords_a_few_at_a_time() {
    let storage = chio_tests::loopback::memory();
    let auth = Arc::new(SlowCounting {
        inner: chio_server::login::StorageAuthenticator::new(Arc::clone(&storage), true),
        running: 0.into(),
        most: 0.into(),
    });
    let config = ServerConfig { concurrent_logins: 2, ..ServerConfig::default() };
    let server = chio_server::server::Server::builder(config, storage)
        .authenticator(SharedAuth(Arc::clone(&auth)))
        .build()
        .unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let serving = server.clone();
    tokio::spawn(async move { serving.serve_tcp(listener).await });
    let logins = (0..12).map(|i| {
        let config =
            ClientConfig::new(1000, format!("flood {i}"), "pw").with_tcp(addr).with_login_timeout(WAIT);
        tokio::spawn(Client::login(config))
    });
    for login in futures_util::future::join_all(logins).await {
        login.unwrap().unwrap();
    }
    assert_eq!(auth.most.load(std::sync::atomic::Ordering::SeqCst), 2, "at most two checks at once");
}

/// An `Arc`'d authenticator, so the test keeps a handle on its counters.
struct SharedAuth(Arc<SlowCounting>);

impl chio_server::login::Authenticator for SharedAuth {
    fn authenticate(
        &self,
        login: &chio_server::tcp_login::OwnedLogin,
    ) -> Result<chio_server::storage::Account, chio_packets::types::LoginError> {
        self.0.authenticate(login)
    }
}
