//! The WebSocket endpoint: the same messages, one per text message, with the same
//! authentication, an Origin allow-list and the private-network header.

use std::net::SocketAddr;

use chio_api::server::{Approval, ServerConfig};
use chio_api::source::StateSource;
use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::{Error as WsError, Message};
use tokio_tungstenite::{WebSocketStream, client_async};

use crate::common::*;

const ALLOWED: &str = "http://localhost:3000";

async fn ws_server() -> (TestServer, SocketAddr) {
    let config = ServerConfig {
        ws_listen: Some("127.0.0.1:0".parse().unwrap()),
        ws_allowed_origins: vec![ALLOWED.to_owned()],
        ..config()
    };
    let server = start_with(config, Answer::Now(Approval::Approve)).await;
    let ws = server.ws_addr.expect("a WebSocket endpoint");
    (server, ws)
}

type Ws = WebSocketStream<TcpStream>;

async fn connect(addr: SocketAddr, origin: Option<&str>) -> Result<(Ws, Option<String>), WsError> {
    let mut request = format!("ws://{addr}/").into_client_request().unwrap();
    if let Some(origin) = origin {
        request.headers_mut().insert("origin", origin.parse().unwrap());
    }
    let stream = TcpStream::connect(addr).await.unwrap();
    let (socket, response) = client_async(request, stream).await?;
    let header = response
        .headers()
        .get("access-control-allow-private-network")
        .map(|value| value.to_str().unwrap().to_owned());
    Ok((socket, header))
}

async fn send(socket: &mut Ws, value: Value) {
    socket.send(Message::text(value.to_string())).await.unwrap();
}

async fn recv(socket: &mut Ws) -> Value {
    loop {
        let message = tokio::time::timeout(PATIENCE, socket.next()).await.expect("no message in time");
        match message.expect("closed").expect("error") {
            Message::Text(text) => return serde_json::from_str(&text).unwrap(),
            Message::Ping(_) | Message::Pong(_) => {}
            other => panic!("unexpected {other:?}"),
        }
    }
}

#[tokio::test]
async fn a_websocket_client_authenticates_and_reads_the_status() {
    let (server, ws) = ws_server().await;
    let mut token = Value::Null;
    for origin in [None, Some(ALLOWED)] {
        let (mut socket, header) = connect(ws, origin).await.expect("handshake");
        assert_eq!(header.as_deref(), Some("true"), "the private-network header");
        // Before auth: the same errors as over TCP.
        send(&mut socket, json!({"type": "status"})).await;
        assert_eq!(recv(&mut socket).await["error"], "not_authentified");
        let auth = json!({"type": "auth", "application": "browser overlay", "permissions": "read",
            "scope": "client", "token": token});
        send(&mut socket, auth).await;
        let answer = recv(&mut socket).await;
        let expected = if token.is_null() { "whitelisted" } else { "ok" };
        assert_eq!(answer["state"], expected, "{answer}");
        token = answer["token"].clone();
        send(&mut socket, json!({"type": "status"})).await;
        assert_eq!(recv(&mut socket).await["status"], "idle");
        // Permissions hold as over TCP.
        send(&mut socket, json!({"type": "notification", "message": "hi"})).await;
        assert_eq!(recv(&mut socket).await["error"], "permission_error");
        // And asking once means changes are pushed.
        let mut status = server.state.status();
        status.mods = 8;
        server.state.set_status(status);
        assert_eq!(recv(&mut socket).await["mods"], 8);
        server.state.set_status(chio_api::state::Status { mods: 0, ..server.state.status() });
        assert_eq!(recv(&mut socket).await["mods"], 0);
    }
    // The token from the first approval opens the WebSocket too; the player was asked once.
    assert_eq!(server.approvals.asked().len(), 1);
}

#[tokio::test]
async fn a_disallowed_origin_is_refused_with_403() {
    let (server, ws) = ws_server().await;
    match connect(ws, Some("https://evil.example")).await {
        Err(WsError::Http(response)) => assert_eq!(response.status(), 403),
        Err(other) => panic!("expected HTTP 403, got {other:?}"),
        Ok(_) => panic!("a disallowed origin got in"),
    }
    assert!(server.approvals.asked().is_empty());
}

async fn preflight(addr: SocketAddr, origin: &str) -> String {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    let request = format!(
        "OPTIONS / HTTP/1.1\r\nHost: {addr}\r\nOrigin: {origin}\r\n\
         Access-Control-Request-Method: GET\r\nAccess-Control-Request-Private-Network: true\r\n\r\n"
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut response = String::new();
    tokio::time::timeout(PATIENCE, stream.read_to_string(&mut response)).await.unwrap().unwrap();
    response
}

#[tokio::test]
async fn preflights_carry_the_private_network_header_for_allowed_origins_only() {
    let (_server, ws) = ws_server().await;
    let allowed = preflight(ws, ALLOWED).await;
    assert!(allowed.starts_with("HTTP/1.1 204"), "{allowed}");
    assert!(allowed.contains("Access-Control-Allow-Private-Network: true"), "{allowed}");
    assert!(allowed.contains(&format!("Access-Control-Allow-Origin: {ALLOWED}")), "{allowed}");
    let refused = preflight(ws, "https://evil.example").await;
    assert!(refused.starts_with("HTTP/1.1 403"), "{refused}");
}

#[tokio::test]
async fn the_websocket_endpoint_is_loopback_unless_allowed() {
    let config = ServerConfig { ws_listen: Some("0.0.0.0:0".parse().unwrap()), ..config() };
    let refused = chio_api::server::ApiServer::bind(
        config,
        std::sync::Arc::new(chio_api::source::SharedState::new()),
        |_| async { Approval::Deny },
    )
    .await;
    assert!(matches!(refused, Err(chio_api::server::ServerError::NonLoopback(_))));
}

#[tokio::test]
async fn a_refused_websocket_gets_the_error_message_too() {
    // No room for unauthenticated connections at all: every connection is refused, with words.
    let config = ServerConfig { ws_listen: Some("127.0.0.1:0".parse().unwrap()), max_pending: 0, ..config() };
    let server = start_with(config, Answer::Now(Approval::Approve)).await;
    let (mut socket, _) = connect(server.ws_addr.unwrap(), None).await.expect("handshake");
    assert_eq!(recv(&mut socket).await, json!({"type": "error", "error": "too_many_connections"}));
    let end = tokio::time::timeout(PATIENCE, socket.next()).await.expect("the server closes");
    assert!(matches!(end, None | Some(Ok(Message::Close(_))) | Some(Err(_))), "{end:?}");

    let mut raw = Raw::connect(server.addr).await;
    assert_eq!(raw.recv().await, json!({"type": "error", "error": "too_many_connections"}));
    raw.expect_closed().await;
}
