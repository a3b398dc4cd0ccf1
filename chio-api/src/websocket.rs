//! The API over WebSocket, for browser overlays: the same JSON messages, one per text
//! message (no ULEB128 prefix), with the same authentication and permissions.
//!
//! A browser page can open a WebSocket to any loopback port, so the endpoint checks the
//! `Origin` header every browser sends: a handshake whose `Origin` is not on
//! [`ws_allowed_origins`](crate::server::ServerConfig::ws_allowed_origins) is refused with
//! HTTP 403. A handshake without `Origin` comes from a native application and is allowed.
//! Responses carry `Access-Control-Allow-Private-Network: true`, which browsers require
//! before a public page may reach a private (loopback) address; an `OPTIONS` preflight is
//! answered with it for allowed origins (and 403 for others).

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use futures_util::{SinkExt, StreamExt};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::handshake::server::{ErrorResponse, Request, Response};
use tokio_tungstenite::tungstenite::http::{HeaderValue, StatusCode};
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::tungstenite::{Error as WsError, Message};

use crate::message::ServerMessage;
use crate::session::{ReadFailure, Wire};

/// The header browsers require on responses from a private-network address.
pub const PRIVATE_NETWORK_HEADER: &str = "access-control-allow-private-network";
/// Longest preflight request head read.
const MAX_PREFLIGHT: usize = 8 * 1024;
/// How long the close handshake may take.
const CLOSE_TIMEOUT: Duration = Duration::from_millis(250);

/// Whether `origin` may open the endpoint: no `Origin` (a native application), or one on
/// the allow-list (compared without regard to ASCII case).
pub fn origin_allowed(origin: Option<&str>, allowed: &[String]) -> bool {
    origin.is_none_or(|origin| allowed.iter().any(|entry| entry.eq_ignore_ascii_case(origin)))
}

/// Reads the opening of a connection to the WebSocket endpoint: a preflight is answered
/// and closed, a handshake checked against the allow-list and completed. The socket to
/// serve, or `None` when the connection was answered at the HTTP level (a preflight, a
/// refusal) or broke: nothing more to do.
// The callback's error type is tungstenite's, large or not.
#[allow(clippy::result_large_err)]
pub(crate) async fn open(stream: TcpStream, allowed: Arc<Vec<String>>, max_message: u32) -> Option<WsWire> {
    let _ = stream.set_nodelay(true);
    let mut start = [0u8; 8];
    let n = stream.peek(&mut start).await.ok()?;
    if start[..n].starts_with(b"OPTIONS ") {
        preflight(stream, &allowed).await;
        return None;
    }
    let callback = move |request: &Request, mut response: Response| -> Result<Response, ErrorResponse> {
        let origin = request.headers().get("origin").map(|value| value.to_str().unwrap_or("\u{0}"));
        if !origin_allowed(origin, &allowed) {
            let mut refusal = ErrorResponse::new(Some("origin not allowed".into()));
            *refusal.status_mut() = StatusCode::FORBIDDEN;
            return Err(refusal);
        }
        response.headers_mut().insert(PRIVATE_NETWORK_HEADER, HeaderValue::from_static("true"));
        Ok(response)
    };
    let max = usize::try_from(max_message).unwrap_or(usize::MAX);
    let config = WebSocketConfig::default().max_message_size(Some(max)).max_frame_size(Some(max));
    let socket =
        tokio_tungstenite::accept_hdr_async_with_config(stream, callback, Some(config)).await.ok()?;
    Some(WsWire(socket))
}

/// Answers a CORS preflight: 204 with the private-network header for an allowed origin,
/// 403 otherwise; then closes.
async fn preflight(mut stream: TcpStream, allowed: &[String]) {
    let mut head = Vec::new();
    let mut chunk = [0u8; 1024];
    while !head.windows(4).any(|window| window == b"\r\n\r\n") && head.len() < MAX_PREFLIGHT {
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => return,
            Ok(n) => head.extend_from_slice(&chunk[..n]),
        }
    }
    let text = String::from_utf8_lossy(&head);
    let origin = text.lines().skip(1).find_map(|line| {
        let (name, value) = line.split_once(':')?;
        name.trim().eq_ignore_ascii_case("origin").then(|| value.trim().to_owned())
    });
    let response = match origin {
        Some(origin) if origin_allowed(Some(&origin), allowed) && !origin.contains(['\r', '\n']) => format!(
            "HTTP/1.1 204 No Content\r\nAccess-Control-Allow-Origin: {origin}\r\n\
             Access-Control-Allow-Methods: GET\r\nAccess-Control-Allow-Headers: *\r\n\
             Access-Control-Allow-Private-Network: true\r\nVary: Origin\r\n\
             Content-Length: 0\r\nConnection: close\r\n\r\n"
        ),
        _ => "HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".to_owned(),
    };
    let _ = stream.write_all(response.as_bytes()).await;
    let _ = stream.shutdown().await;
}

/// A WebSocket carrying one JSON message per text message.
pub(crate) struct WsWire(WebSocketStream<TcpStream>);

impl Wire for WsWire {
    async fn read_payload(&mut self) -> Result<Option<Bytes>, ReadFailure> {
        loop {
            match self.0.next().await {
                None | Some(Ok(Message::Close(_))) => return Ok(None),
                Some(Ok(Message::Text(text))) => return Ok(Some(Bytes::from(text))),
                // JSON sent as binary is read the same.
                Some(Ok(Message::Binary(data))) => return Ok(Some(data)),
                // Pings are answered by the library; pongs and raw frames carry nothing.
                Some(Ok(_)) => {}
                // Too large, or a text message that is not UTF-8 (RFC 6455 §8.1: the
                // connection fails); the typed error still goes out before the close.
                Some(Err(WsError::Capacity(_) | WsError::Utf8(_))) => return Err(ReadFailure::Fatal),
                Some(Err(_)) => return Err(ReadFailure::Broken),
            }
        }
    }

    async fn write_message(&mut self, message: &ServerMessage) -> bool {
        let Ok(text) = serde_json::to_string(message) else { return false };
        self.0.send(Message::text(text)).await.is_ok()
    }

    async fn close(mut self) {
        let _ = tokio::time::timeout(CLOSE_TIMEOUT, async {
            let _ = self.0.close(None).await;
            // Read the peer's close so the last message is not lost to a reset.
            while let Some(Ok(_)) = self.0.next().await {}
        })
        .await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_are_checked_against_the_list() {
        let allowed = vec!["http://localhost:3000".to_owned()];
        assert!(origin_allowed(None, &allowed), "no Origin: a native application");
        assert!(origin_allowed(Some("http://localhost:3000"), &allowed));
        assert!(origin_allowed(Some("HTTP://LOCALHOST:3000"), &allowed));
        assert!(!origin_allowed(Some("https://evil.example"), &allowed));
        assert!(!origin_allowed(Some("null"), &allowed));
        assert!(!origin_allowed(Some("http://localhost:3000"), &[]));
    }
}
