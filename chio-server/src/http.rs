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
//! - `GET /` is a small `text/html` page naming the server.
//!
//! Serve the router with the peer's address so [`PollHandler::login`] receives it:
//!
//! ```no_run
//! # use std::net::SocketAddr;
//! # use std::sync::Arc;
//! # use chio_server::http::{router, HttpLimits, PollHandler};
//! # async fn run<H: PollHandler>(handler: Arc<H>) -> std::io::Result<()> {
//! let listener = tokio::net::TcpListener::bind("0.0.0.0:13381").await?;
//! let app = router(handler, HttpLimits::default());
//! axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>()).await
//! # }
//! ```

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::extract::connect_info::ConnectInfo;
use axum::extract::{DefaultBodyLimit, Extension, FromRequest, Request, State};
use axum::http::header::{CONNECTION, CONTENT_LENGTH, CONTENT_TYPE, USER_AGENT};
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use bytes::Bytes;
use chio_packets::login_request::LoginRequest;
use chio_packets::session::BanchoRestart;
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
/// The methods are synchronous: a handler queues the work and answers with bytes that are
/// ready, such as a drain of the session's [`Outbox`](crate::outbox::Outbox). They run on
/// the async runtime, so they must not block.
pub trait PollHandler: Send + Sync + 'static {
    /// A login: `login` is the parsed body, `peer` the client's address when the router is
    /// served with connect info (see the [module documentation](self)).
    fn login(&self, login: OwnedLogin, peer: Option<SocketAddr>) -> LoginOutcome;

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

struct Shared<H> {
    handler: Arc<H>,
    limits: HttpLimits,
    restart: Bytes,
}

/// The HTTP front door for `handler`: `POST /` (logins and polls) and `GET /` (a page),
/// by the rules of the [module documentation](self).
pub fn router<H: PollHandler>(handler: Arc<H>, limits: HttpLimits) -> Router {
    let shared = Arc::new(Shared { handler, limits, restart: restart_frame() });
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
    let mut headers = HeaderMap::with_capacity(4);
    if let Some(token) = token {
        headers.insert(CHO_TOKEN.clone(), token);
    }
    headers.insert(CHO_PROTOCOL_HEADER.clone(), HeaderValue::from(u16::from(CHO_PROTOCOL)));
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/octet-stream"));
    headers.insert(CONNECTION, HeaderValue::from_static("keep-alive"));
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
            let outcome = shared.handler.login(login, peer);
            let token = outcome
                .token
                .and_then(|t| HeaderValue::try_from(t).ok())
                .unwrap_or_else(|| HeaderValue::from_static(NO_TOKEN));
            bancho(Some(token), outcome.body)
        }
        Some(token) => {
            let outcome = match token.to_str() {
                Ok(token) => shared.handler.poll(token, body),
                Err(_) => PollOutcome::UnknownToken,
            };
            match outcome {
                PollOutcome::Known(body) => bancho(None, body),
                PollOutcome::UnknownToken => bancho(None, shared.restart.clone()),
            }
        }
    }
}
