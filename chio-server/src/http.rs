//! The HTTP front door: the polling transport of modern clients (from about b20130815),
//! served with [axum](https://docs.rs/axum).
//!
//! A client logs in with a `POST /` whose body is the three login lines, gets a token in
//! the `cho-token` response header, and from then on polls: every `POST /` carries the
//! token in an `osu-token` header and its packets in the body, and the response body holds
//! the packets the server queued for it. [`router`] speaks that HTTP and leaves the bancho
//! part to a [`PollHandler`], so it does not depend on how sessions are kept.
//!
//! The rules (see `docs/design/server-research.md`, "HTTP response rules"):
//!
//! - `POST /` needs `User-Agent: osu!` (or the `x-mcosu-ver` header neosu and McOsu send),
//!   otherwise **403**.
//! - Without `osu-token` the body is a login, parsed with [`LoginRequest::parse`]: fewer
//!   than three lines, or lines that do not parse, are **400**. Otherwise
//!   [`PollHandler::login`] answers, and its [`LoginOutcome::token`] goes out as
//!   `cho-token` (`no` when there is none, the marker servers send on failure).
//! - With `osu-token` the body is a poll for [`PollHandler::poll`]. An unknown token is
//!   answered with status **200** and a `BanchoRestart` of 0 ms ([`restart_frame`]), so the
//!   client logs in again: a 401 or 404 would leave it stuck.
//! - A body larger than [`HttpLimits::max_body`] is **413**. A declared `Content-Length`
//!   over the limit is refused before any of the body is read, and a body without one is
//!   read only up to the limit (axum's [`DefaultBodyLimit`]).
//! - Every protocol answer is status 200 with `cho-protocol: 19`,
//!   `Content-Type: application/octet-stream` and `Connection: keep-alive`. Errors (400,
//!   403, 413) carry `Connection: close`.
//! - A [`PollHandler::login`] that panics is answered as anchor answers an internal error:
//!   `cho-token: no`, `Connection: close` and `BanchoLoginReply(-5)`
//!   ([`server_error_frame`]), which the client shows as a server error. A
//!   [`PollHandler::poll`] that panics is a **500** with `Connection: close`.
//! - `GET /` is a small `text/html` page naming the server.
//!
//! Serve the router with the peer's address so [`PollHandler::login`] receives it:
//!
//! ```no_run
//! # use std::net::SocketAddr;
//! # use std::sync::Arc;
//! # use chio_server::http::{router, HttpLimits, PollHandler};
//! # async fn run<H: PollHandler>(handler: Arc<H>) -> std::io::Result<()> {
//! let listener = chio_server::listen::bind("0.0.0.0:13381".parse().unwrap())?;
//! let app = router(handler, HttpLimits::default());
//! axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>()).await
//! # }
//! ```

use std::net::SocketAddr;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;

use axum::Router;
use axum::extract::connect_info::ConnectInfo;
use axum::extract::{DefaultBodyLimit, Extension, FromRequest, Request, State};
use axum::http::header::{CONNECTION, CONTENT_LENGTH, CONTENT_TYPE, USER_AGENT};
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use bytes::Bytes;
use chio_packets::login::BanchoLoginReply;
use chio_packets::login::request::LoginRequest;
use chio_packets::session::BanchoRestart;
use chio_packets::types::LoginError;
use chio_packets::wire::PacketEncoder;
use chio_packets::{Context, FromServer, ServerPacket};

use crate::tcp_login::OwnedLogin;

/// The protocol version sent in `cho-protocol`.
pub const CHO_PROTOCOL: u8 = 19;

/// The `cho-token` value of a failed login.
pub const NO_TOKEN: &str = "no";

/// The page served on `GET /`.
pub const INDEX_HTML: &str = "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>chio-rs</title></head>\
<body><p>This is a chio-rs bancho server. Point an osu! client at it to play.</p></body></html>\n";

/// The bounds on HTTP requests.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct HttpLimits {
    /// The largest request body accepted; larger bodies are answered with 413.
    pub max_body: usize,
}

impl HttpLimits {
    /// 1 MiB: far more than a login or a poll needs (peers allow 10–20 MiB).
    pub const DEFAULT: Self = Self { max_body: 1024 * 1024 };
}

impl Default for HttpLimits {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// What a login answers.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LoginOutcome {
    /// The session's token, sent as `cho-token`; `None` for a failed login, sent as
    /// [`NO_TOKEN`]. It must be a valid header value (a uuid is); one that is not is sent
    /// as [`NO_TOKEN`] too.
    pub token: Option<String>,
    /// The response body: the login burst, or the `BanchoLoginReply` error (and any
    /// notification) of a failed login.
    pub body: Bytes,
}

/// What a poll answers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PollOutcome {
    /// The token is a session's: the body holds its queued frames (often empty).
    Known(Bytes),
    /// No session has this token (expired, or the server restarted): the client is told
    /// to log in again with [`restart_frame`].
    UnknownToken,
}

/// The bancho side of the HTTP transport: sessions, packets, queues.
///
/// A login is asynchronous, since checking a password is slow work for a blocking thread.
/// A poll is synchronous: the handler queues the work and answers with bytes that are
/// ready, such as a drain of the session's [`Outbox`](crate::outbox::Outbox). Both run on
/// the async runtime, so they must not block.
pub trait PollHandler: Send + Sync + 'static {
    /// A login: `login` is the parsed body, `peer` the client's address when the router is
    /// served with connect info (see the [module documentation](self)).
    fn login(&self, login: OwnedLogin, peer: Option<SocketAddr>)
    -> impl Future<Output = LoginOutcome> + Send;

    /// A poll from the session holding `token`; `body` is the client's packets, whole
    /// frames in the 7-byte-header framing (possibly none).
    fn poll(&self, token: &str, body: Bytes) -> PollOutcome;
}

/// The frame answering an unknown token: `BanchoRestart` of 0 ms, written for
/// [`Context::NEWEST`].
///
/// Only clients of the HTTP era have a token, and all of them read the 7-byte frame header
/// and know `BanchoRestart` (id 86), so the newest build's encoding fits every one of them:
/// `56 00 00 04 00 00 00 00 00 00 00`.
pub fn restart_frame() -> Bytes {
    let mut buf = Vec::with_capacity(11);
    PacketEncoder::<FromServer>::new(Context::NEWEST)
        .write(&ServerPacket::from(BanchoRestart { retry_after_ms: 0 }), &mut buf)
        .expect("BanchoRestart encodes for the newest build");
    Bytes::from(buf)
}

/// The login answer of an internal error: `BanchoLoginReply(-5)`
/// ([`LoginError::ServerError`]), written for [`Context::NEWEST`] (every HTTP-era client
/// reads it): `05 00 00 04 00 00 00 fb ff ff ff`.
pub fn server_error_frame() -> Bytes {
    let mut buf = Vec::with_capacity(11);
    PacketEncoder::<FromServer>::new(Context::NEWEST)
        .write(&ServerPacket::from(BanchoLoginReply(LoginError::ServerError as i32)), &mut buf)
        .expect("BanchoLoginReply encodes for every build");
    Bytes::from(buf)
}

struct Shared<H> {
    handler: Arc<H>,
    limits: HttpLimits,
    restart: Bytes,
    server_error: Bytes,
}

/// The HTTP front door for `handler`: `POST /` (logins and polls) and `GET /` (a page),
/// by the rules of the [module documentation](self).
pub fn router<H: PollHandler>(handler: Arc<H>, limits: HttpLimits) -> Router {
    let shared =
        Arc::new(Shared { handler, limits, restart: restart_frame(), server_error: server_error_frame() });
    Router::new()
        .route("/", get(index).post(post::<H>))
        .layer(DefaultBodyLimit::max(limits.max_body))
        .with_state(shared)
}

async fn index() -> Response {
    ([(CONTENT_TYPE, "text/html; charset=utf-8")], INDEX_HTML).into_response()
}

static CHO_TOKEN: HeaderName = HeaderName::from_static("cho-token");
static CHO_PROTOCOL_HEADER: HeaderName = HeaderName::from_static("cho-protocol");
static OSU_TOKEN: HeaderName = HeaderName::from_static("osu-token");
static MCOSU_VERSION: HeaderName = HeaderName::from_static("x-mcosu-ver");

fn error(status: StatusCode, message: &'static str) -> Response {
    (status, [(CONNECTION, "close"), (CONTENT_TYPE, "text/plain; charset=utf-8")], message).into_response()
}

fn bancho(token: Option<HeaderValue>, body: Bytes) -> Response {
    bancho_with(token, body, "keep-alive")
}

fn bancho_with(token: Option<HeaderValue>, body: Bytes, connection: &'static str) -> Response {
    let mut headers = HeaderMap::with_capacity(4);
    if let Some(token) = token {
        headers.insert(CHO_TOKEN.clone(), token);
    }
    headers.insert(CHO_PROTOCOL_HEADER.clone(), HeaderValue::from(u16::from(CHO_PROTOCOL)));
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/octet-stream"));
    headers.insert(CONNECTION, HeaderValue::from_static(connection));
    (StatusCode::OK, headers, body).into_response()
}

fn is_osu_client(headers: &HeaderMap) -> bool {
    headers.get(USER_AGENT).is_some_and(|ua| ua == "osu!") || headers.contains_key(&MCOSU_VERSION)
}

fn declared_too_long(headers: &HeaderMap, max: usize) -> bool {
    let declared = headers.get(CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
    declared.is_some_and(|len| len > max as u64)
}

async fn post<H: PollHandler>(
    State(shared): State<Arc<Shared<H>>>,
    connect_info: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    request: Request,
) -> Response {
    // The header checks come before any of the body is read.
    if !is_osu_client(&headers) {
        return error(StatusCode::FORBIDDEN, "not an osu! client\n");
    }
    if declared_too_long(&headers, shared.limits.max_body) {
        return error(StatusCode::PAYLOAD_TOO_LARGE, "request body too large\n");
    }
    let body = match Bytes::from_request(request, &()).await {
        Ok(body) => body,
        Err(rejection) if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            return error(StatusCode::PAYLOAD_TOO_LARGE, "request body too large\n");
        }
        Err(_) => return error(StatusCode::BAD_REQUEST, "unreadable request body\n"),
    };
    match headers.get(&OSU_TOKEN) {
        None => {
            let login = match LoginRequest::parse(&body) {
                Ok(login) => OwnedLogin::from(login),
                Err(_) => return error(StatusCode::BAD_REQUEST, "invalid login\n"),
            };
            let peer = connect_info.map(|Extension(ConnectInfo(addr))| addr);
            // A task of its own, so that a panicking handler is answered, not propagated.
            let handler = Arc::clone(&shared.handler);
            let Ok(outcome) = tokio::spawn(async move { handler.login(login, peer).await }).await else {
                let no = HeaderValue::from_static(NO_TOKEN);
                return bancho_with(Some(no), shared.server_error.clone(), "close");
            };
            let token = outcome
                .token
                .and_then(|t| HeaderValue::try_from(t).ok())
                .unwrap_or_else(|| HeaderValue::from_static(NO_TOKEN));
            bancho(Some(token), outcome.body)
        }
        Some(token) => {
            let outcome = match token.to_str() {
                Ok(token) => {
                    let handler = &shared.handler;
                    match catch_unwind(AssertUnwindSafe(|| handler.poll(token, body))) {
                        Ok(outcome) => outcome,
                        Err(_) => return error(StatusCode::INTERNAL_SERVER_ERROR, "internal error\n"),
                    }
                }
                Err(_) => PollOutcome::UnknownToken,
            };
            match outcome {
                PollOutcome::Known(body) => bancho(None, body),
                PollOutcome::UnknownToken => bancho(None, shared.restart.clone()),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;
    use std::time::Duration;

    use chio_packets::session::OsuPong;
    use chio_packets::wire::PacketDecoder;
    use chio_packets::{Direction, Packet};
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::{TcpListener, TcpStream};

    use super::*;

    const PASSWORD: &str = "5f4dcc3b5aa765d61d8327deb882cf99";
    const TOKEN: &str = "0b7e1c2a-4f5d-4e6a-9b8c-1d2e3f4a5b6c";

    /// Logs in `peppy` only, has one session (`TOKEN`), records what it was given.
    #[derive(Default)]
    struct Mock {
        logins: Mutex<Vec<(OwnedLogin, Option<SocketAddr>)>>,
        polls: Mutex<Vec<(String, Bytes)>>,
    }

    impl PollHandler for Mock {
        async fn login(&self, login: OwnedLogin, peer: Option<SocketAddr>) -> LoginOutcome {
            assert_ne!(login.username, "crash", "a handler bug");
            let ok = login.username == "peppy";
            self.logins.lock().unwrap().push((login, peer));
            if ok {
                LoginOutcome { token: Some(TOKEN.to_owned()), body: Bytes::from_static(b"burst") }
            } else {
                LoginOutcome { token: None, body: Bytes::from_static(b"denied") }
            }
        }

        fn poll(&self, token: &str, body: Bytes) -> PollOutcome {
            assert_ne!(token, "crash", "a handler bug");
            self.polls.lock().unwrap().push((token.to_owned(), body));
            if token == TOKEN {
                PollOutcome::Known(Bytes::from_static(b"queued"))
            } else {
                PollOutcome::UnknownToken
            }
        }
    }

    /// A server on loopback, served the way the module documentation says.
    async fn serve(limits: HttpLimits) -> (SocketAddr, Arc<Mock>) {
        let handler = Arc::new(Mock::default());
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let app = router(Arc::clone(&handler), limits);
        tokio::spawn(async move {
            axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>()).await.unwrap();
        });
        (addr, handler)
    }

    struct Reply {
        status: u16,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
    }

    impl Reply {
        fn header(&self, name: &str) -> Option<&str> {
            self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
        }
    }

    /// A plain HTTP/1.1 client: one request with `headers` and `body`, one response read
    /// by its `Content-Length`.
    async fn request(stream: &mut TcpStream, method: &str, headers: &[(&str, &str)], body: &[u8]) -> Reply {
        let mut wire = format!("{method} / HTTP/1.1\r\nHost: c.localhost\r\n");
        for (name, value) in headers {
            wire.push_str(&format!("{name}: {value}\r\n"));
        }
        wire.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
        let mut wire = wire.into_bytes();
        wire.extend_from_slice(body);
        stream.write_all(&wire).await.unwrap();
        read_reply(stream).await
    }

    async fn read_reply(stream: &mut TcpStream) -> Reply {
        let mut buf = Vec::new();
        let head_end = loop {
            if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                break end + 4;
            }
            let mut chunk = [0; 4096];
            let n =
                tokio::time::timeout(Duration::from_secs(5), stream.read(&mut chunk)).await.unwrap().unwrap();
            assert!(n > 0, "closed before the response head: {:?}", String::from_utf8_lossy(&buf));
            buf.extend_from_slice(&chunk[..n]);
        };
        let head = std::str::from_utf8(&buf[..head_end]).unwrap().to_owned();
        let mut lines = head.split("\r\n");
        let status = lines.next().unwrap().split(' ').nth(1).unwrap().parse().unwrap();
        let headers: Vec<(String, String)> = lines
            .filter(|l| !l.is_empty())
            .map(|l| {
                let (n, v) = l.split_once(':').unwrap();
                (n.trim().to_owned(), v.trim().to_owned())
            })
            .collect();
        let mut reply = Reply { status, headers, body: buf[head_end..].to_vec() };
        let len: usize = reply.header("content-length").expect("a Content-Length").parse().unwrap();
        while reply.body.len() < len {
            let mut chunk = [0; 4096];
            let n = stream.read(&mut chunk).await.unwrap();
            assert!(n > 0, "closed mid-body");
            reply.body.extend_from_slice(&chunk[..n]);
        }
        assert_eq!(reply.body.len(), len);
        reply
    }

    fn login_body(username: &str) -> String {
        format!(
            "{username}\n{PASSWORD}\nb20250306.1|1|0|0e3f1a7b5d8c2e4f6a9b1c3d5e7f9a2b:runningunderwine:\
             d41d8cd98f00b204e9800998ecf8427e:ad921d60486366258809553a3db49a4a:\
             ad921d60486366258809553a3db49a4a:|0\n"
        )
    }

    const OSU: (&str, &str) = ("User-Agent", "osu!");

    fn assert_bancho_headers(reply: &Reply) {
        assert_eq!(reply.status, 200);
        assert_eq!(reply.header("cho-protocol"), Some("19"));
        assert_eq!(reply.header("content-type"), Some("application/octet-stream"));
        assert_eq!(reply.header("connection"), Some("keep-alive"));
    }

    #[tokio::test]
    async fn login_then_polls_on_one_connection() {
        let (addr, handler) = serve(HttpLimits::default()).await;
        let mut client = TcpStream::connect(addr).await.unwrap();
        let login = request(
            &mut client,
            "POST",
            &[OSU, ("osu-version", "20250306.1")],
            login_body("peppy").as_bytes(),
        )
        .await;
        assert_bancho_headers(&login);
        assert_eq!(login.header("cho-token"), Some(TOKEN));
        assert_eq!(login.body, b"burst");
        {
            let logins = handler.logins.lock().unwrap();
            let (request, peer) = &logins[0];
            assert_eq!(request.as_request(), LoginRequest::parse_str(&login_body("peppy")).unwrap());
            assert_eq!(peer.unwrap().ip(), client.local_addr().unwrap().ip());
            assert_eq!(peer.unwrap().port(), client.local_addr().unwrap().port());
        }

        let ctx = Context::NEWEST.sent_by(Direction::ClientToServer);
        let mut packets = Vec::new();
        OsuPong.write(&mut packets, ctx).unwrap();
        OsuPong.write(&mut packets, ctx).unwrap();
        for body in [&packets[..], b""] {
            let poll = request(&mut client, "POST", &[OSU, ("osu-token", TOKEN)], body).await;
            assert_bancho_headers(&poll);
            assert_eq!(poll.header("cho-token"), None);
            assert_eq!(poll.body, b"queued");
        }
        let polls = handler.polls.lock().unwrap();
        assert_eq!(*polls, [(TOKEN.to_owned(), Bytes::from(packets)), (TOKEN.to_owned(), Bytes::new())]);
    }

    #[tokio::test]
    async fn failed_login_sends_token_no() {
        let (addr, _) = serve(HttpLimits::default()).await;
        let mut client = TcpStream::connect(addr).await.unwrap();
        let reply = request(&mut client, "POST", &[OSU], login_body("someone").as_bytes()).await;
        assert_bancho_headers(&reply);
        assert_eq!(reply.header("cho-token"), Some("no"));
        assert_eq!(reply.body, b"denied");
    }

    #[tokio::test]
    async fn unknown_token_is_told_to_restart() {
        let (addr, handler) = serve(HttpLimits::default()).await;
        let mut client = TcpStream::connect(addr).await.unwrap();
        let reply = request(&mut client, "POST", &[OSU, ("osu-token", "expired")], b"").await;
        assert_bancho_headers(&reply);
        assert_eq!(reply.body, [0x56, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0]);
        assert_eq!(reply.body, restart_frame());
        let mut decoder = PacketDecoder::<FromServer>::new(Context::NEWEST);
        let frames: Vec<_> = decoder.frames(&reply.body).collect::<Result<_, _>>().unwrap();
        assert_eq!(frames.len(), 1);
        match decoder.decode(&frames[0]).unwrap().into_packet() {
            Some(ServerPacket::BanchoRestart(restart)) => assert_eq!(restart.retry_after_ms, 0),
            other => panic!("{other:?}"),
        }
        assert_eq!(handler.polls.lock().unwrap()[0].0, "expired");
    }

    #[tokio::test]
    async fn clients_other_than_osu_are_forbidden() {
        let (addr, handler) = serve(HttpLimits::default()).await;
        for headers in [&[][..], &[("User-Agent", "curl/8.0")]] {
            let mut client = TcpStream::connect(addr).await.unwrap();
            let reply = request(&mut client, "POST", headers, login_body("peppy").as_bytes()).await;
            assert_eq!(reply.status, 403);
            assert_eq!(reply.header("connection"), Some("close"));
        }
        assert!(handler.logins.lock().unwrap().is_empty());
        // neosu and McOsu identify themselves with their own header.
        let mut client = TcpStream::connect(addr).await.unwrap();
        let reply = request(
            &mut client,
            "POST",
            &[("User-Agent", "neosu"), ("x-mcosu-ver", "40.0")],
            login_body("peppy").as_bytes(),
        )
        .await;
        assert_eq!(reply.header("cho-token"), Some(TOKEN));
    }

    #[tokio::test]
    async fn bad_logins_are_400() {
        let (addr, handler) = serve(HttpLimits::default()).await;
        let short = format!("peppy\n{PASSWORD}\n");
        let bad_hash = "peppy\nhunter2\nb20250306|0|0\n";
        let bad_utf8 = b"\xff\xfe\n5f4dcc3b5aa765d61d8327deb882cf99\nb20250306|0|0\n";
        for body in [b"".as_slice(), b"peppy\n", short.as_bytes(), bad_hash.as_bytes(), bad_utf8] {
            let mut client = TcpStream::connect(addr).await.unwrap();
            let reply = request(&mut client, "POST", &[OSU], body).await;
            assert_eq!(reply.status, 400, "{body:?}");
            assert_eq!(reply.header("connection"), Some("close"));
        }
        assert!(handler.logins.lock().unwrap().is_empty());
    }

    #[tokio::test]
    async fn oversized_bodies_are_413_and_the_server_goes_on() {
        let limits = HttpLimits { max_body: 1024 };
        let (addr, handler) = serve(limits).await;
        // Over the limit by one byte.
        let mut client = TcpStream::connect(addr).await.unwrap();
        let reply = request(&mut client, "POST", &[OSU, ("osu-token", TOKEN)], &[0; 1025]).await;
        assert_eq!(reply.status, 413);
        // A declared length far over the limit is refused before the body is sent.
        let mut client = TcpStream::connect(addr).await.unwrap();
        client
            .write_all(b"POST / HTTP/1.1\r\nHost: c\r\nUser-Agent: osu!\r\nosu-token: x\r\nContent-Length: 1000000000\r\n\r\n")
            .await
            .unwrap();
        assert_eq!(read_reply(&mut client).await.status, 413);
        // A chunked body (no Content-Length) is cut off at the limit too.
        let mut client = TcpStream::connect(addr).await.unwrap();
        let mut chunked =
            b"POST / HTTP/1.1\r\nHost: c\r\nUser-Agent: osu!\r\nosu-token: x\r\nTransfer-Encoding: chunked\r\n\r\n".to_vec();
        for _ in 0..3 {
            chunked.extend_from_slice(b"200\r\n");
            chunked.extend_from_slice(&[0; 0x200]);
            chunked.extend_from_slice(b"\r\n");
        }
        chunked.extend_from_slice(b"0\r\n\r\n");
        client.write_all(&chunked).await.unwrap();
        assert_eq!(read_reply(&mut client).await.status, 413);
        assert!(handler.polls.lock().unwrap().is_empty());

        // The server still answers, and a body exactly at the limit is fine.
        let mut client = TcpStream::connect(addr).await.unwrap();
        let reply = request(&mut client, "POST", &[OSU, ("osu-token", TOKEN)], &[0; 1024]).await;
        assert_eq!(reply.status, 200);
        assert_eq!(handler.polls.lock().unwrap()[0].1.len(), 1024);
    }

    #[tokio::test]
    async fn a_panicking_handler_is_a_server_error() {
        let (addr, _) = serve(HttpLimits::default()).await;
        let mut client = TcpStream::connect(addr).await.unwrap();
        let reply = request(&mut client, "POST", &[OSU], login_body("crash").as_bytes()).await;
        assert_eq!(reply.status, 200);
        assert_eq!(reply.header("cho-token"), Some("no"));
        assert_eq!(reply.header("connection"), Some("close"));
        assert_eq!(reply.body, [5, 0, 0, 4, 0, 0, 0, 0xfb, 0xff, 0xff, 0xff]);
        let mut decoder = PacketDecoder::<FromServer>::new(Context::NEWEST);
        let frame = decoder.frames(&reply.body).next().unwrap().unwrap();
        match decoder.decode(&frame).unwrap().into_packet() {
            Some(ServerPacket::BanchoLoginReply(reply)) => {
                assert_eq!(reply.error(), Some(LoginError::ServerError))
            }
            other => panic!("{other:?}"),
        }

        let mut client = TcpStream::connect(addr).await.unwrap();
        let reply = request(&mut client, "POST", &[OSU, ("osu-token", "crash")], b"").await;
        assert_eq!(reply.status, 500);
        // The server goes on.
        let mut client = TcpStream::connect(addr).await.unwrap();
        let reply = request(&mut client, "POST", &[OSU], login_body("peppy").as_bytes()).await;
        assert_eq!(reply.header("cho-token"), Some(TOKEN));
    }

    #[tokio::test]
    async fn get_is_a_page() {
        let (addr, _) = serve(HttpLimits::default()).await;
        let mut client = TcpStream::connect(addr).await.unwrap();
        let reply = request(&mut client, "GET", &[], b"").await;
        assert_eq!(reply.status, 200);
        assert_eq!(reply.header("content-type"), Some("text/html; charset=utf-8"));
        assert!(std::str::from_utf8(&reply.body).unwrap().contains("chio-rs bancho server"));
    }

    #[test]
    fn defaults() {
        assert_eq!(HttpLimits::default().max_body, 1024 * 1024);
        assert_eq!(restart_frame().len(), 11);
    }
}
