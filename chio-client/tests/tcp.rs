//! The client over TCP against a small fake server on loopback.

use std::net::SocketAddr;
use std::time::Duration;

use bytes::BytesMut;
use chio_client::{Client, ClientConfig, ClientError, Transport};
use chio_packets::events::client::ClientEvent;
use chio_packets::events::{ChatMessage, LoginResult, ServerEvent};
use chio_packets::types::LoginError;
use chio_packets::wire::{Decoded, PacketDecoder};
use chio_packets::{ClientPacket, Context, FromClient, ServerPacket};
use chio_server::tcp_login::{LoginLimits, OwnedLogin, read_login};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

const WAIT: Duration = Duration::from_secs(5);

/// What the fake server saw: the login and the client's packets as events.
struct Seen {
    login: OwnedLogin,
    events: Vec<ClientEvent<'static>>,
}

/// A server that logs in anyone with `reply`, sends a channel join and a ping, then
/// collects the client's packets until `wanted` have arrived or the client closes.
async fn fake_server(reply: LoginResult, wanted: usize) -> (SocketAddr, JoinHandle<Seen>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let task = tokio::spawn(async move {
        let (mut stream, _) = listener.accept().await.unwrap();
        let login = read_login(&mut stream, &LoginLimits::default()).await.unwrap();
        let ctx = login.request.version.context();
        let mut burst = Vec::new();
        ServerEvent::LoginReply(reply).write(&mut burst, ctx).unwrap();
        if matches!(reply, LoginResult::Success(_)) {
            ServerEvent::ChannelJoinSuccess("#osu".into()).write(&mut burst, ctx).unwrap();
            ServerEvent::Ping.write(&mut burst, ctx).unwrap();
        }
        stream.write_all(&burst).await.unwrap();

        let mut decoder = PacketDecoder::<FromClient>::new(ctx);
        let mut frames = decoder.frame_decoder();
        let mut buffer: BytesMut = login.leftover;
        let mut events = Vec::new();
        while events.len() < wanted {
            if let Some(batch) = frames.decode(&mut buffer).unwrap() {
                for frame in &batch {
                    let frame = frame.unwrap();
                    let Decoded::Packet(packet) = decoder.decode(&frame).unwrap() else {
                        panic!("raw frame {frame:?}")
                    };
                    let packet: ClientPacket<'static> = packet.into_owned();
                    events.push(ClientEvent::from_packet(packet, ctx).unwrap());
                }
                continue;
            }
            match tokio::time::timeout(WAIT, stream.read_buf(&mut buffer)).await {
                Ok(Ok(0)) | Err(_) => break,
                Ok(read) => {
                    read.unwrap();
                }
            }
        }
        Seen { login: login.request, events }
    });
    (addr, task)
}

async fn login_chat_and_pong(build: u32) {
    let (addr, server) = fake_server(LoginResult::Success(1234), 3).await;
    let config = ClientConfig::new(build, "peppy", "password").with_tcp(addr);
    assert_eq!(config.transport(), Transport::Tcp);
    let mut client = Client::login(config).await.unwrap();
    assert_eq!(client.user_id(), 1234);
    assert_eq!(client.ctx(), Context::new(build));

    // The reply comes first; then the rest of the burst (the ping ends it for every build).
    assert_eq!(
        client.recv().await,
        Some(ServerPacket::BanchoLoginReply(chio_packets::login::BanchoLoginReply(1234)))
    );
    let ping = client.recv_until(WAIT, |p| matches!(p, ServerPacket::BanchoPing(_))).await.unwrap();
    assert_eq!(ping.name(), "BanchoPing");
    let names: Vec<_> = client.history().iter().map(ServerPacket::name).collect();
    assert_eq!(names.first(), Some(&"BanchoLoginReply"));
    assert_eq!(names.last(), Some(&"BanchoPing"));

    let hello = ChatMessage { content: "hello".into(), target: "#osu".into(), ..ChatMessage::default() };
    client.send(&ClientEvent::Message(hello.clone())).await.unwrap();
    client.logout().await.unwrap();

    let seen = tokio::time::timeout(WAIT, server).await.unwrap().unwrap();
    assert_eq!(seen.login.username, "peppy");
    assert_eq!(seen.login.password_md5, "5f4dcc3b5aa765d61d8327deb882cf99");
    assert_eq!(seen.login.version.build, build);
    assert_eq!(seen.events.len(), 3, "b{build}: {:?}", seen.events);
    assert_eq!(seen.events[0], ClientEvent::Pong, "b{build}");
    let ClientEvent::Message(message) = &seen.events[1] else { panic!("b{build}: {:?}", seen.events[1]) };
    assert_eq!((message.content.as_ref(), message.target.as_ref()), ("hello", "#osu"), "b{build}");
    assert_eq!(seen.events[2], ClientEvent::Exit(false), "b{build}");
}

#[tokio::test]
async fn b282_logs_in_pongs_and_chats() {
    login_chat_and_pong(282).await;
}

#[tokio::test]
async fn b1000_logs_in_pongs_and_chats() {
    login_chat_and_pong(1000).await;
}

#[tokio::test]
async fn b20121224_logs_in_pongs_and_chats() {
    login_chat_and_pong(20121224).await;
}

#[tokio::test]
async fn refused_login_is_an_error() {
    let (addr, _server) = fake_server(LoginResult::Error(LoginError::InvalidLogin), 0).await;
    let config = ClientConfig::new(20121224, "peppy", "wrong").with_tcp(addr);
    match Client::login(config).await {
        Err(ClientError::LoginRefused(-1)) => {}
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn pongs_can_be_left_to_the_caller() {
    let (addr, server) = fake_server(LoginResult::Success(5), 1).await;
    let config = ClientConfig::new(20121224, "peppy", "password").with_tcp(addr).with_auto_pong(false);
    let mut client = Client::login(config).await.unwrap();
    client.recv_until(WAIT, |p| matches!(p, ServerPacket::BanchoPing(_))).await.unwrap();
    client.send(&ClientEvent::ChannelJoin("#lobby".into())).await.unwrap();
    let seen = tokio::time::timeout(WAIT, server).await.unwrap().unwrap();
    assert_eq!(seen.events, [ClientEvent::ChannelJoin("#lobby".into())]);
    // The server closed: the client sees the end.
    assert_eq!(tokio::time::timeout(WAIT, client.recv()).await.unwrap(), None);
    assert!(client.close_error().is_none());
}

#[tokio::test]
async fn missing_address_and_silence_are_errors() {
    let config = ClientConfig::new(1000, "peppy", "password");
    assert!(matches!(Client::login(config).await, Err(ClientError::Config(_))));

    // A server that reads the login and says nothing.
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let _server = tokio::spawn(async move {
        let (mut stream, _) = listener.accept().await.unwrap();
        let _login = read_login(&mut stream, &LoginLimits::default()).await.unwrap();
        tokio::time::sleep(Duration::from_secs(10)).await;
    });
    let config = ClientConfig::new(1000, "peppy", "password")
        .with_tcp(addr)
        .with_login_timeout(Duration::from_millis(200));
    assert!(matches!(Client::login(config).await, Err(ClientError::Timeout)));
}

#[tokio::test]
async fn a_filter_skips_what_it_does_not_admit_but_still_pongs() {
    use chio_client::PacketFilter;
    use chio_packets::Packet;
    use chio_packets::chat::BanchoMessage;

    let (addr, server) = fake_server(LoginResult::Success(77), 1).await;
    let config = ClientConfig::new(20121224, "peppy", "password")
        .with_tcp(addr)
        .with_filter(PacketFilter::only([BanchoMessage::ID]));
    let mut client = Client::login(config).await.unwrap();
    client.recv_until(WAIT, |p| matches!(p, ServerPacket::BanchoPing(_))).await.unwrap();
    // The channel join between the reply and the ping was framed and skipped.
    let names: Vec<_> = client.history().iter().map(ServerPacket::name).collect();
    assert_eq!(names, ["BanchoLoginReply", "BanchoPing"]);
    let seen = tokio::time::timeout(WAIT, server).await.unwrap().unwrap();
    assert_eq!(seen.events, [ClientEvent::Pong]);
}
