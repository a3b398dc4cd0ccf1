//! The client over HTTP against chio-server's HTTP front door with a fake poll handler.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use chio_client::{Client, ClientConfig, ClientError, Transport};
use chio_packets::events::client::ClientEvent;
use chio_packets::events::{ChatMessage, LoginResult, ServerEvent};
use chio_packets::types::LoginError;
use chio_packets::wire::{Decoded, PacketDecoder};
use chio_packets::{Context, FromClient, ServerPacket};
use chio_server::http::{HttpLimits, LoginOutcome, PollHandler, PollOutcome, router};
use chio_server::tcp_login::OwnedLogin;
use tokio::net::TcpListener;

const WAIT: Duration = Duration::from_secs(5);
const TOKEN: &str = "3f2b8c1e-0d4a-4b6e-9a7f-5c1d2e3f4a5b";
const BUILD: u32 = 20250306;

/// Logs in anyone but `refused`; one session; what it is given is kept.
#[derive(Default)]
struct Fake {
    logins: Mutex<Vec<OwnedLogin>>,
    /// The client's packets from every poll, as events.
    received: Mutex<Vec<ClientEvent<'static>>>,
    polls: Mutex<usize>,
    /// Frames waiting for the next poll.
    queued: Mutex<Vec<u8>>,
    /// The session is gone: polls get a restart.
    forgotten: AtomicBool,
    /// Ping the client on its next poll.
    ping: AtomicBool,
}

fn ctx() -> Context {
    Context::new(BUILD)
}

fn write(events: &[ServerEvent<'_>]) -> Bytes {
    let mut buf = Vec::new();
    for event in events {
        event.write(&mut buf, ctx()).unwrap();
    }
    Bytes::from(buf)
}

impl PollHandler for Fake {
    async fn login(&self, login: OwnedLogin, _peer: Option<SocketAddr>) -> LoginOutcome {
        let refused = login.username == "refused";
        self.logins.lock().unwrap().push(login);
        if refused {
            let body = write(&[ServerEvent::LoginReply(LoginResult::Error(LoginError::InvalidLogin))]);
            return LoginOutcome { token: None, body };
        }
        let body = write(&[
            ServerEvent::ProtocolNegotiation(Some(19)),
            ServerEvent::LoginReply(LoginResult::Success(1234)),
            ServerEvent::ChannelJoinSuccess("#osu".into()),
        ]);
        LoginOutcome { token: Some(TOKEN.to_owned()), body }
    }

    fn poll(&self, token: &str, body: Bytes) -> PollOutcome {
        if token != TOKEN || self.forgotten.load(Ordering::SeqCst) {
            return PollOutcome::UnknownToken;
        }
        *self.polls.lock().unwrap() += 1;
        let mut decoder = PacketDecoder::<FromClient>::new(ctx());
        for frame in decoder.clone().frames(&body) {
            let frame = frame.unwrap();
            let Decoded::Packet(packet) = decoder.decode(&frame).unwrap() else { panic!("raw {frame:?}") };
            let event = ClientEvent::from_packet(packet.into_owned(), ctx()).unwrap();
            self.received.lock().unwrap().push(event);
        }
        let mut queued = std::mem::take(&mut *self.queued.lock().unwrap());
        if self.ping.swap(false, Ordering::SeqCst) {
            ServerEvent::Ping.write(&mut queued, ctx()).unwrap();
        }
        PollOutcome::Known(Bytes::from(queued))
    }
}

async fn serve() -> (String, Arc<Fake>) {
    let fake = Arc::new(Fake::default());
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = router(Arc::clone(&fake), HttpLimits::default());
    tokio::spawn(async move {
        axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>()).await.unwrap();
    });
    (format!("http://{addr}"), fake)
}

fn config(url: &str, username: &str) -> ClientConfig {
    ClientConfig::new(BUILD, username, "password")
        .with_http(url)
        .with_poll_interval(Duration::from_millis(20))
}

/// Waits until `check` holds for the fake, polling it.
async fn eventually(fake: &Fake, check: impl Fn(&Fake) -> bool) {
    let deadline = tokio::time::Instant::now() + WAIT;
    while !check(fake) {
        assert!(tokio::time::Instant::now() < deadline, "timed out");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

#[tokio::test]
async fn login_send_and_receive_by_polling() {
    let (url, fake) = serve().await;
    let config = config(&url, "peppy");
    assert_eq!(config.transport(), Transport::Http);
    let mut client = Client::login(config).await.unwrap();
    assert_eq!(client.user_id(), 1234);
    {
        let logins = fake.logins.lock().unwrap();
        assert_eq!(logins[0].username, "peppy");
        assert_eq!(logins[0].password_md5, "5f4dcc3b5aa765d61d8327deb882cf99");
        assert_eq!(logins[0].version.build, BUILD);
        assert!(logins[0].client_hashes.is_some());
    }
    // The login burst, whole and in order, the negotiation before the reply included.
    let names: Vec<_> =
        client.recv_for(Duration::from_millis(100)).await.iter().map(ServerPacket::name).collect();
    assert_eq!(names, ["BanchoProtocolNegotiation", "BanchoLoginReply", "BanchoChannelJoinSuccess"]);

    // A message goes out with the next poll (at once).
    let hello = ChatMessage { content: "hello".into(), target: "#osu".into(), ..ChatMessage::default() };
    client.send(&ClientEvent::Message(hello)).await.unwrap();
    client.flush().await.unwrap();
    assert!(!fake.received.lock().unwrap().is_empty());
    match &fake.received.lock().unwrap()[0] {
        ClientEvent::Message(message) => assert_eq!((&*message.content, &*message.target), ("hello", "#osu")),
        other => panic!("{other:?}"),
    }

    // Packets the server queues arrive with a poll.
    let news = ChatMessage {
        sender: "BanchoBot".into(),
        content: "welcome".into(),
        target: "#osu".into(),
        sender_id: 1,
    };
    fake.queued.lock().unwrap().extend_from_slice(&write(&[ServerEvent::Message(news)]));
    let message = client.recv_until(WAIT, |p| matches!(p, ServerPacket::BanchoMessage(_))).await.unwrap();
    let ServerPacket::BanchoMessage(message) = message else { unreachable!() };
    assert_eq!(message.0.content, "welcome");

    // A ping is answered with the next poll.
    fake.ping.store(true, Ordering::SeqCst);
    client.recv_until(WAIT, |p| matches!(p, ServerPacket::BanchoPing(_))).await.unwrap();
    eventually(&fake, |fake| fake.received.lock().unwrap().contains(&ClientEvent::Pong)).await;

    // Polls go on while idle.
    let before = *fake.polls.lock().unwrap();
    eventually(&fake, |fake| *fake.polls.lock().unwrap() > before + 2).await;

    client.logout().await.unwrap();
    assert_eq!(fake.received.lock().unwrap().last(), Some(&ClientEvent::Exit(false)));
}

#[tokio::test]
async fn an_unknown_token_ends_the_session() {
    let (url, fake) = serve().await;
    let mut client = Client::login(config(&url, "peppy")).await.unwrap();
    fake.forgotten.store(true, Ordering::SeqCst);
    let restart = client.recv_until(WAIT, |p| matches!(p, ServerPacket::BanchoRestart(_))).await.unwrap();
    assert_eq!(restart.name(), "BanchoRestart");
    assert_eq!(tokio::time::timeout(WAIT, client.recv()).await.unwrap(), None);
    assert!(client.is_closed());
    assert!(matches!(client.send(&ClientEvent::Pong).await, Err(ClientError::Closed)));
    assert!(matches!(client.flush().await, Err(ClientError::Closed)));
    assert!(matches!(client.recv_until(Duration::from_millis(50), |_| true).await, Err(ClientError::Closed)));
}

#[tokio::test]
async fn a_refused_login_is_an_error() {
    let (url, _fake) = serve().await;
    match Client::login(config(&url, "refused")).await {
        Err(ClientError::LoginRefused(-1)) => {}
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn bad_urls_and_statuses() {
    let bad = ClientConfig::new(BUILD, "peppy", "password").with_http("https://example.com");
    assert!(matches!(Client::login(bad).await, Err(ClientError::Config(_))));
    let missing = ClientConfig::new(BUILD, "peppy", "password");
    assert!(matches!(Client::login(missing).await, Err(ClientError::Config(_))));

    // A path the router does not serve: 404 (or 405).
    let (url, _fake) = serve().await;
    match Client::login(config(&format!("{url}/nowhere"), "peppy")).await {
        Err(ClientError::HttpStatus(status)) => assert!(status == 404 || status == 405, "{status}"),
        other => panic!("{other:?}"),
    }
}

/// A server that closes the connection after every answer: the client connects again
/// for each poll.
#[tokio::test]
async fn polls_go_on_when_the_server_closes_connections() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let polls = Arc::new(Mutex::new(Vec::<(bool, Vec<u8>)>::new()));
    let seen = Arc::clone(&polls);
    tokio::spawn(async move {
        loop {
            let (mut stream, _) = listener.accept().await.unwrap();
            let mut request = Vec::new();
            let mut chunk = [0; 4096];
            let head_end = loop {
                if let Some(end) = request.windows(4).position(|w| w == b"\r\n\r\n") {
                    break end + 4;
                }
                let n = stream.read(&mut chunk).await.unwrap();
                if n == 0 {
                    break 0;
                }
                request.extend_from_slice(&chunk[..n]);
            };
            if head_end == 0 {
                continue;
            }
            let head = String::from_utf8_lossy(&request[..head_end]).to_ascii_lowercase();
            let length: usize = head
                .lines()
                .find_map(|line| line.strip_prefix("content-length:"))
                .map_or(0, |len| len.trim().parse().unwrap());
            while request.len() < head_end + length {
                let n = stream.read(&mut chunk).await.unwrap();
                request.extend_from_slice(&chunk[..n]);
            }
            let body = request[head_end..].to_vec();
            let is_poll = head.contains("osu-token: t1");
            let answer = if is_poll {
                Bytes::new()
            } else {
                write(&[ServerEvent::LoginReply(LoginResult::Success(7))])
            };
            seen.lock().unwrap().push((is_poll, body));
            let head = format!(
                "HTTP/1.1 200 OK\r\ncho-token: t1\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                answer.len()
            );
            stream.write_all(head.as_bytes()).await.unwrap();
            stream.write_all(&answer).await.unwrap();
            stream.shutdown().await.unwrap();
        }
    });

    let client = Client::login(config(&format!("http://{addr}"), "peppy")).await.unwrap();
    assert_eq!(client.user_id(), 7);
    client.send(&ClientEvent::ChannelJoin("#osu".into())).await.unwrap();
    client.flush().await.unwrap();
    let deadline = tokio::time::Instant::now() + WAIT;
    while polls.lock().unwrap().len() <= 3 {
        assert!(tokio::time::Instant::now() < deadline, "timed out");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let polls = polls.lock().unwrap().clone();
    assert!(!polls[0].0, "the login first");
    assert!(polls.len() > 3, "{} requests", polls.len());
    assert!(polls[1..].iter().all(|(is_poll, _)| *is_poll));
    let sent: Vec<u8> = polls.iter().skip(1).flat_map(|(_, body)| body.clone()).collect();
    let mut expected = Vec::new();
    ClientEvent::ChannelJoin("#osu".into()).to_packet(ctx()).unwrap().write(&mut expected, ctx()).unwrap();
    assert_eq!(sent, expected, "the join, once");
}

/// Negotiates protocol 19 with a b20140528 client, then sends a 16-slot match.
struct Negotiating;

impl PollHandler for Negotiating {
    async fn login(&self, _login: OwnedLogin, _peer: Option<SocketAddr>) -> LoginOutcome {
        let ctx = Context::new(20140528);
        assert_eq!((ctx.protocol(), ctx.slots()), (18, 8));
        let negotiated = ctx.with_protocol(19);
        let mut body = Vec::new();
        ServerEvent::ProtocolNegotiation(Some(19)).write(&mut body, ctx).unwrap();
        ServerEvent::LoginReply(LoginResult::Success(3)).write(&mut body, negotiated).unwrap();
        let game = chio_packets::multiplayer::Match {
            id: 1,
            name: "sixteen".into(),
            slots: vec![chio_packets::multiplayer::MatchSlot::default(); 16],
            ..Default::default()
        };
        ServerEvent::MatchNew(game).write(&mut body, negotiated).unwrap();
        LoginOutcome { token: Some(TOKEN.to_owned()), body: Bytes::from(body) }
    }

    fn poll(&self, _token: &str, _body: Bytes) -> PollOutcome {
        PollOutcome::Known(Bytes::new())
    }
}

#[tokio::test]
async fn a_negotiated_protocol_is_followed() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = router(Arc::new(Negotiating), HttpLimits::default());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });

    let config = ClientConfig::new(20140528, "peppy", "password")
        .with_http(format!("http://{addr}"))
        .with_poll_interval(Duration::from_millis(20));
    let mut client = Client::login(config).await.unwrap();
    assert_eq!((client.ctx().protocol(), client.ctx().slots()), (19, 16));
    let game = client.recv_until(WAIT, |p| matches!(p, ServerPacket::BanchoMatchNew(_))).await.unwrap();
    let ServerPacket::BanchoMatchNew(game) = game else { unreachable!() };
    assert_eq!((game.0.name.as_ref(), game.0.slots.len()), ("sixteen", 16));
}
