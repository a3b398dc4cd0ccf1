//! `chio client` against a small fake TCP server on loopback.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::process::{Command, Stdio};
use std::thread;
use std::time::Duration;

use chio_packets::events::client::ClientEvent;
use chio_packets::events::{LoginResult, ServerEvent};
use chio_packets::login::request::LoginRequest;
use chio_packets::wire::{Decoded, PacketDecoder};
use chio_packets::{Context, FromClient};
use serde_json::Value;

const BUILD: u32 = 20121224;

#[test]
fn logs_in_prints_packets_and_sends_commands() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let server = thread::spawn(move || {
        let (mut stream, _) = listener.accept().unwrap();
        stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        let mut input = Vec::new();
        let mut chunk = [0; 4096];
        let login_len = loop {
            if let Some(len) = LoginRequest::body_len(&input) {
                break len;
            }
            let n = stream.read(&mut chunk).unwrap();
            assert!(n > 0, "closed during the login");
            input.extend_from_slice(&chunk[..n]);
        };
        let login = LoginRequest::parse(&input[..login_len]).unwrap();
        assert_eq!((login.username, login.version.build), ("peppy", BUILD));
        let ctx = Context::new(BUILD);
        let mut burst = Vec::new();
        for event in [
            ServerEvent::LoginReply(LoginResult::Success(1234)),
            ServerEvent::ChannelJoinSuccess("#osu".into()),
            ServerEvent::Ping,
        ] {
            event.write(&mut burst, ctx).unwrap();
        }
        stream.write_all(&burst).unwrap();
        // Everything the client sends until it closes.
        loop {
            let n = stream.read(&mut chunk).unwrap();
            if n == 0 {
                break;
            }
            input.extend_from_slice(&chunk[..n]);
        }
        let mut decoder = PacketDecoder::<FromClient>::new(ctx);
        let mut events = Vec::new();
        for frame in decoder.clone().frames(&input[login_len..]) {
            let frame = frame.unwrap();
            let Decoded::Packet(packet) = decoder.decode(&frame).unwrap() else { panic!("raw {frame:?}") };
            events.push(ClientEvent::from_packet(packet.into_owned(), ctx).unwrap());
        }
        events
    });

    let mut child = Command::new(env!("CARGO_BIN_EXE_chio"))
        .args(["client", "--server", &addr.to_string(), "--build", "20121224"])
        .args(["--user", "peppy", "--password", "password"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut printed = Vec::new();
    while printed.last().is_none_or(|line: &Value| line["packet"] != "BanchoPing") {
        let mut line = String::new();
        assert_ne!(stdout.read_line(&mut line).unwrap(), 0, "stdout closed early");
        printed.push(serde_json::from_str::<Value>(&line).unwrap());
    }
    assert_eq!(printed[0], serde_json::json!({"packet": "BanchoLoginReply", "id": 5, "data": 1234}));
    assert_eq!(printed[1]["packet"], "BanchoChannelJoinSuccess");

    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(b"join #lobby\nsay #osu hello there\ndance\n\nstatus afk brb\n").unwrap();
    drop(stdin);
    let output = child.wait_with_output().unwrap();
    let errors = String::from_utf8(output.stderr).unwrap();
    assert!(output.status.success(), "{errors}");
    assert!(errors.contains("logged in as user 1234"), "{errors}");
    assert!(errors.contains("unknown command \"dance\""), "{errors}");

    let events = server.join().unwrap();
    let names: Vec<_> = events
        .iter()
        .map(|event| format!("{event:?}").split(['(', ' ']).next().unwrap().to_owned())
        .collect();
    assert_eq!(names, ["Pong", "ChannelJoin", "Message", "UserStatus", "Exit"], "{events:?}");
    let ClientEvent::Message(message) = &events[2] else { unreachable!() };
    assert_eq!(message.content, "hello there");
}

#[test]
fn a_refused_login_fails() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    thread::spawn(move || {
        let (mut stream, _) = listener.accept().unwrap();
        let mut chunk = [0; 4096];
        let _ = stream.read(&mut chunk).unwrap();
        let mut reply = Vec::new();
        ServerEvent::LoginReply(LoginResult::Error(chio_packets::types::LoginError::InvalidLogin))
            .write(&mut reply, Context::new(1000))
            .unwrap();
        stream.write_all(&reply).unwrap();
    });
    let output = Command::new(env!("CARGO_BIN_EXE_chio"))
        .args(["client", "--server", &addr.to_string(), "--build", "1000", "--user", "u", "--password", "p"])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let errors = String::from_utf8(output.stderr).unwrap();
    assert_eq!(errors.trim_end(), "chio client: login: login refused: -1");
}

/// The HTTP front door of chio-server with a handler that logs in anyone and echoes each
/// message back as a server message.
mod http {
    use std::net::SocketAddr;
    use std::sync::{Arc, Mutex};

    use bytes::Bytes;
    use chio_packets::events::ChatMessage;
    use chio_server::http::{HttpLimits, LoginOutcome, PollHandler, PollOutcome, router};
    use chio_server::tcp_login::OwnedLogin;

    use super::*;

    const BUILD: u32 = 20250306;

    #[derive(Default)]
    struct Echo {
        queued: Mutex<Vec<u8>>,
        received: Mutex<Vec<ClientEvent<'static>>>,
    }

    impl PollHandler for Echo {
        async fn login(&self, _login: OwnedLogin, _peer: Option<SocketAddr>) -> LoginOutcome {
            let mut body = Vec::new();
            ServerEvent::LoginReply(LoginResult::Success(55)).write(&mut body, Context::new(BUILD)).unwrap();
            LoginOutcome { token: Some("token".to_owned()), body: Bytes::from(body) }
        }

        fn poll(&self, _token: &str, body: Bytes) -> PollOutcome {
            let ctx = Context::new(BUILD);
            let mut decoder = PacketDecoder::<FromClient>::new(ctx);
            let mut queued = self.queued.lock().unwrap();
            for frame in decoder.clone().frames(&body) {
                let frame = frame.unwrap();
                let Decoded::Packet(packet) = decoder.decode(&frame).unwrap() else { panic!() };
                let event = ClientEvent::from_packet(packet.into_owned(), ctx).unwrap();
                if let ClientEvent::Message(message) = &event {
                    let echo = ChatMessage { sender: "echo".into(), sender_id: 2, ..message.clone() };
                    ServerEvent::Message(echo).write(&mut *queued, ctx).unwrap();
                }
                self.received.lock().unwrap().push(event);
            }
            PollOutcome::Known(Bytes::from(std::mem::take(&mut *queued)))
        }
    }

    #[test]
    fn http_builds_poll() {
        let runtime =
            tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
        let echo = Arc::new(Echo::default());
        let listener = runtime.block_on(tokio::net::TcpListener::bind("127.0.0.1:0")).unwrap();
        let addr = listener.local_addr().unwrap();
        let app = router(Arc::clone(&echo), HttpLimits::default());
        runtime.spawn(async move { axum::serve(listener, app).await.unwrap() });

        let mut child = Command::new(env!("CARGO_BIN_EXE_chio"))
            .args(["client", "--server", &format!("http://{addr}"), "--build", "20250306"])
            .args(["--user", "peppy", "--password", "password", "--poll-ms", "20"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stdin = child.stdin.take().unwrap();
        stdin.write_all(b"say #osu ping?\n").unwrap();
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let mut printed = Vec::new();
        while printed.last().is_none_or(|line: &Value| line["packet"] != "BanchoMessage") {
            let mut line = String::new();
            assert_ne!(stdout.read_line(&mut line).unwrap(), 0, "stdout closed early");
            printed.push(serde_json::from_str::<Value>(&line).unwrap());
        }
        assert_eq!(printed[0]["data"], 55);
        let message = &printed.last().unwrap()["data"];
        assert_eq!((&message["sender"], &message["content"]), (&"echo".into(), &"ping?".into()));
        drop(stdin);
        let output = child.wait_with_output().unwrap();
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        let received = echo.received.lock().unwrap();
        assert_eq!(received.last(), Some(&ClientEvent::Exit(false)), "{received:?}");
    }
}
