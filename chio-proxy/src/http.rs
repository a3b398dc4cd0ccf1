//! The HTTP side: a reverse proxy for the polling transport of modern clients.
//!
//! Every request is forwarded to the upstream with the headers bancho reads
//! (`User-Agent`, `osu-token`, `osu-version`, `Content-Type`, `Accept-Encoding`,
//! `x-mcosu-ver`), and the answer comes back with its status, `cho-token`, `cho-protocol`,
//! `Content-Type`, `Content-Encoding` and body unchanged. A `POST` without `osu-token` is
//! a login: its body is parsed for the build, and the `cho-token` of the answer is mapped
//! to a proxy session so that later polls are attributed. Queued injected frames are
//! appended to the end of a session's next poll answer.
//!
//! An upstream that fails (refuses the connection, resets it, or does not answer whole
//! within [`upstream_timeout`](crate::proxy::ProxyConfig::upstream_timeout)) is answered
//! as a bancho server answers what it cannot serve, so the client behaves as it would
//! with a real server: a login gets status 200, `cho-token: no` and
//! `BanchoLoginReply(-5)` (a server error, which the client shows and retries); a poll
//! gets status 200 and a `BanchoRestart` of [`RESTART_AFTER_MS`] (the client logs in again
//! after that delay), and the proxy's session for its token ends. Other requests get 502.
//!
//! An `https://` upstream is reached over TLS (rustls with the ring provider, the Web PKI
//! roots of webpki-roots, SNI the URL's host); the proxy's own listener speaks plain HTTP.

use std::collections::HashMap;
use std::io;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderName, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use chio_packets::login::request::LoginRequest;
use chio_packets::wire::PacketDecoder;
use chio_packets::{Context, FromClient, FromServer, PacketSet};
use chio_server::outbox::{Outbox, POLL_SOFT_CAP};
use http_body_util::{BodyExt, Full};
use hyper::client::conn::http1::SendRequest;
use hyper_util::rt::TokioIo;
use tokio::net::{TcpListener, TcpStream};

use crate::capture::{Dir, Kind, Transport};
use crate::session::Session;
use crate::shared::Shared;

/// The most idle upstream connections kept.
const MAX_IDLE_CONNECTIONS: usize = 32;

/// Request headers passed to the upstream.
const REQUEST_HEADERS: [&str; 6] =
    ["user-agent", "osu-token", "osu-version", "content-type", "accept-encoding", "x-mcosu-ver"];

/// Response headers passed back to the client.
const RESPONSE_HEADERS: [&str; 4] = ["cho-token", "cho-protocol", "content-type", "content-encoding"];

/// Where HTTP requests go.
struct Upstream {
    /// `host:port` to connect to.
    addr: String,
    /// The `Host` header.
    authority: String,
    /// The base path, without a trailing `/`.
    base: String,
    /// For `https://`: the TLS client and the name the server's certificate must have.
    tls: Option<(tokio_rustls::TlsConnector, rustls::pki_types::ServerName<'static>)>,
}

impl std::fmt::Debug for Upstream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Upstream")
            .field("addr", &self.addr)
            .field("base", &self.base)
            .field("tls", &self.tls.is_some())
            .finish()
    }
}

/// A TLS client trusting the Web PKI roots (webpki-roots), with the ring provider.
fn tls_connector(extra_pem: Option<&[u8]>) -> io::Result<tokio_rustls::TlsConnector> {
    use rustls::pki_types::CertificateDer;
    use rustls::pki_types::pem::PemObject;
    let mut roots = rustls::RootCertStore::empty();
    roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    if let Some(pem) = extra_pem {
        let invalid = |why: String| io::Error::new(io::ErrorKind::InvalidInput, why);
        let mut added = 0;
        for cert in CertificateDer::pem_slice_iter(pem) {
            let cert = cert.map_err(|e| invalid(format!("the upstream roots: {e}")))?;
            roots.add(cert).map_err(|e| invalid(format!("the upstream roots: {e}")))?;
            added += 1;
        }
        if added == 0 {
            return Err(invalid("the upstream roots: no PEM certificate".to_owned()));
        }
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(io::Error::other)?
        .with_root_certificates(roots)
        .with_no_client_auth();
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(tokio_rustls::TlsConnector::from(Arc::new(config)))
}

impl Upstream {
    fn parse(url: &str, roots_pem: Option<&[u8]>) -> io::Result<Self> {
        let invalid = |why: String| io::Error::new(io::ErrorKind::InvalidInput, why);
        let (rest, secure) = if let Some(rest) = url.strip_prefix("https://") {
            (rest, true)
        } else if let Some(rest) = url.strip_prefix("http://") {
            (rest, false)
        } else {
            return Err(invalid(format!("{url}: not an http:// or https:// URL")));
        };
        let (authority, path) = match rest.find('/') {
            Some(at) => (&rest[..at], &rest[at..]),
            None => (rest, ""),
        };
        if authority.is_empty() {
            return Err(invalid(format!("{url}: no host")));
        }
        let port = authority.rsplit_once(':').filter(|(_, port)| !port.contains(']'));
        let host = port.map_or(authority, |(host, _)| host);
        let default_port = if secure { 443 } else { 80 };
        let addr = if port.is_some() { authority.to_owned() } else { format!("{authority}:{default_port}") };
        let tls = if secure {
            let name = host.trim_start_matches('[').trim_end_matches(']').to_owned();
            let name =
                rustls::pki_types::ServerName::try_from(name).map_err(|e| invalid(format!("{url}: {e}")))?;
            Some((tls_connector(roots_pem)?, name))
        } else {
            None
        };
        Ok(Self { addr, authority: authority.to_owned(), base: path.trim_end_matches('/').to_owned(), tls })
    }
}

/// The delay of the `BanchoRestart` a poll gets when the upstream fails: the client tries
/// again after it, not in a tight loop.
pub(crate) const RESTART_AFTER_MS: u32 = 5000;

/// The `BanchoRestart` of [`RESTART_AFTER_MS`], written for the newest build (every
/// HTTP-era client reads it).
fn restart_frame() -> Bytes {
    use chio_packets::wire::PacketEncoder;
    let mut buf = Vec::with_capacity(11);
    let restart = chio_packets::session::BanchoRestart { retry_after_ms: RESTART_AFTER_MS };
    PacketEncoder::<FromServer>::new(Context::NEWEST)
        .write(&chio_packets::ServerPacket::from(restart), &mut buf)
        .expect("BanchoRestart encodes for the newest build");
    Bytes::from(buf)
}

/// A bancho answer made by the proxy: status 200, `cho-protocol`, octet-stream, `body`.
fn own_answer(token: Option<&'static str>, body: Bytes, close: bool) -> Response {
    let mut response = Response::new(Body::from(body));
    let headers = response.headers_mut();
    if let Some(token) = token {
        headers.insert("cho-token", axum::http::HeaderValue::from_static(token));
    }
    headers.insert("cho-protocol", axum::http::HeaderValue::from(u16::from(chio_server::http::CHO_PROTOCOL)));
    headers.insert(
        axum::http::header::CONTENT_TYPE,
        axum::http::HeaderValue::from_static("application/octet-stream"),
    );
    if close {
        headers.insert(axum::http::header::CONNECTION, axum::http::HeaderValue::from_static("close"));
    }
    response
}

/// A login the upstream failed: `cho-token: no` and `BanchoLoginReply(-5)`.
fn login_failed() -> Response {
    own_answer(Some(chio_server::http::NO_TOKEN), chio_server::http::server_error_frame(), true)
}

/// A poll the upstream failed: a `BanchoRestart` of [`RESTART_AFTER_MS`].
fn poll_failed() -> Response {
    own_answer(None, restart_frame(), false)
}

/// How long an HTTP session may go without a poll before the proxy ends it (a client that
/// vanished without its exit).
const IDLE_END: Duration = Duration::from_secs(300);

/// A logged-in HTTP session.
struct HttpSession {
    session: Session,
    ctx: Context,
    outbox: Outbox,
    last_seen: Mutex<Instant>,
}

impl HttpSession {
    fn seen(&self) {
        *self.last_seen.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = Instant::now();
    }

    fn idle(&self) -> Duration {
        self.last_seen.lock().unwrap_or_else(std::sync::PoisonError::into_inner).elapsed()
    }
}

/// What the HTTP side keeps.
pub(crate) struct HttpState {
    upstream: Option<Upstream>,
    /// `cho-token` → session.
    sessions: Mutex<HashMap<String, Arc<HttpSession>>>,
    /// Idle upstream connections.
    pool: Mutex<Vec<SendRequest<Full<Bytes>>>>,
}

impl HttpState {
    pub(crate) fn new(upstream: Option<&str>, roots_pem: Option<&[u8]>) -> io::Result<Self> {
        Ok(Self {
            upstream: upstream.map(|url| Upstream::parse(url, roots_pem)).transpose()?,
            sessions: Mutex::default(),
            pool: Mutex::default(),
        })
    }

    fn sessions(&self) -> std::sync::MutexGuard<'_, HashMap<String, Arc<HttpSession>>> {
        self.sessions.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The logged-in sessions held.
    pub(crate) fn live(&self) -> usize {
        self.sessions().len()
    }
}

/// Ends the sessions that have not polled for [`IDLE_END`].
fn end_idle(shared: &HttpShared) {
    let mut idle = Vec::new();
    shared.http.sessions().retain(|_, session| {
        let keep = session.idle() < IDLE_END;
        if !keep {
            idle.push(Arc::clone(session));
        }
        keep
    });
    for session in idle {
        end(shared, &session);
    }
}

/// What the HTTP front door shares: the proxy's [`Shared`] (through `Deref`) and its own
/// state. Kept apart so that what TCP and HTTP share does not depend on HTTP.
pub(crate) struct HttpShared {
    pub(crate) base: Arc<Shared>,
    pub(crate) http: HttpState,
}

impl std::ops::Deref for HttpShared {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.base
    }
}

pub(crate) async fn serve(shared: Arc<HttpShared>, listener: TcpListener) -> io::Result<()> {
    if shared.http.upstream.is_none() {
        return Err(io::Error::new(io::ErrorKind::InvalidInput, "no upstream HTTP URL configured"));
    }
    let app = Router::new().fallback(handle).with_state(Arc::clone(&shared));
    let stopping = Arc::clone(&shared);
    let served =
        axum::serve(listener, app).with_graceful_shutdown(async move { stopping.stopped().await }).await;
    let ended: Vec<_> = shared.http.sessions().drain().map(|(_, s)| s).collect();
    for session in ended {
        end(&shared, &session);
    }
    served
}

/// Ends an HTTP session for the observers.
fn end(shared: &HttpShared, session: &HttpSession) {
    shared.config.injector.close(session.session.id);
    session.session.capture_end();
    shared.config.tap.closed(session.session.id);
}

/// An upstream answer.
struct Answer {
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
}

async fn connect(upstream: &Upstream) -> io::Result<SendRequest<Full<Bytes>>> {
    let stream = TcpStream::connect(&upstream.addr).await?;
    stream.set_nodelay(true)?;
    if let Some((connector, name)) = &upstream.tls {
        let stream = connector.connect(name.clone(), stream).await?;
        let (sender, connection) =
            hyper::client::conn::http1::handshake(TokioIo::new(stream)).await.map_err(io::Error::other)?;
        tokio::spawn(async move {
            let _ = connection.await;
        });
        return Ok(sender);
    }
    let (sender, connection) =
        hyper::client::conn::http1::handshake(TokioIo::new(stream)).await.map_err(io::Error::other)?;
    tokio::spawn(async move {
        let _ = connection.await;
    });
    Ok(sender)
}

/// Sends one request upstream (see [`forward_once`]), failing if the answer is not whole
/// within the proxy's upstream timeout; the connection is then dropped.
async fn forward(
    shared: &HttpShared,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    body: Bytes,
) -> io::Result<Answer> {
    let timeout = shared.config.upstream_timeout;
    tokio::time::timeout(timeout, forward_once(&shared.http, method, uri, headers, body))
        .await
        .map_err(|_| io::Error::new(io::ErrorKind::TimedOut, "the upstream did not answer in time"))?
}

/// Sends one request upstream, on an idle connection if there is one (else, or if that one
/// was closed before the request went out, on a new one).
async fn forward_once(
    state: &HttpState,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    body: Bytes,
) -> io::Result<Answer> {
    let upstream = state.upstream.as_ref().ok_or_else(|| io::Error::other("no upstream"))?;
    let path = uri.path_and_query().map_or("/", |p| p.as_str());
    let target = format!("{}{path}", upstream.base);
    let build = || {
        let mut request = hyper::Request::builder().method(method.clone()).uri(target.as_str());
        request = request.header(hyper::header::HOST, upstream.authority.as_str());
        for name in REQUEST_HEADERS {
            for value in headers.get_all(name) {
                request = request.header(name, value.clone());
            }
        }
        request.body(Full::new(body.clone())).map_err(io::Error::other)
    };
    let mut sender = {
        let mut pool = state.pool.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        std::iter::from_fn(|| pool.pop()).find(|sender| !sender.is_closed())
    };
    loop {
        let fresh = sender.is_none();
        let mut current = match sender.take() {
            Some(sender) => sender,
            None => connect(upstream).await?,
        };
        // A request goes out once: an idle connection the server closed is replaced only
        // when the request was not sent on it (a poll sent twice would repeat packets).
        let response = match current.ready().await {
            Ok(()) => match current.try_send_request(build()?).await {
                Ok(response) => response,
                Err(mut error) => {
                    if !fresh && error.take_message().is_some() {
                        continue;
                    }
                    return Err(io::Error::other(error.into_error()));
                }
            },
            Err(_) if !fresh => continue,
            Err(error) => return Err(io::Error::other(error)),
        };
        let (parts, body) = response.into_parts();
        let body = body.collect().await.map_err(io::Error::other)?.to_bytes();
        let answer = Answer { status: parts.status, headers: parts.headers, body };
        let close =
            answer.headers.get("connection").is_some_and(|c| c.as_bytes().eq_ignore_ascii_case(b"close"));
        let mut pool = state.pool.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if !close && !current.is_closed() && pool.len() < MAX_IDLE_CONNECTIONS {
            pool.push(current);
        }
        return Ok(answer);
    }
}

fn respond(answer: &Answer, body: Bytes) -> Response {
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = answer.status;
    for name in RESPONSE_HEADERS {
        for value in answer.headers.get_all(name) {
            response.headers_mut().append(HeaderName::from_static(name), value.clone());
        }
    }
    response
}

fn bad_gateway(error: &io::Error) -> Response {
    (StatusCode::BAD_GATEWAY, format!("chio proxy: the upstream failed: {error}\n")).into_response()
}

async fn handle(
    State(shared): State<Arc<HttpShared>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let is_post = method == Method::POST && uri.path() == "/";
    if !is_post {
        return match forward(&shared, &method, &uri, &headers, body).await {
            Ok(answer) => {
                let body = answer.body.clone();
                respond(&answer, body)
            }
            Err(error) => bad_gateway(&error),
        };
    }
    end_idle(&shared);
    let token = headers.get("osu-token").and_then(|t| t.to_str().ok()).map(str::to_owned);
    match token {
        None => login(&shared, &method, &uri, &headers, body).await,
        Some(token) => poll(&shared, &token, &method, &uri, &headers, body).await,
    }
}

async fn login(
    shared: &Arc<HttpShared>,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    body: Bytes,
) -> Response {
    let session = Session::new(Arc::clone(&shared.base), Transport::Http);
    let ctx = match LoginRequest::parse(&body) {
        Ok(request) => {
            session.login(&request);
            Some(request.version.context())
        }
        Err(error) => {
            session.bad_login(&body, &error.to_string());
            None
        }
    };
    session.capture(Dir::ClientToServer, Kind::Login, &body);
    let answer = match forward(shared, method, uri, headers, body).await {
        Ok(answer) => answer,
        Err(_) => {
            session.capture_end();
            if ctx.is_some() {
                shared.config.tap.closed(session.id);
            }
            return login_failed();
        }
    };
    session.capture(Dir::ServerToClient, Kind::Data, &answer.body);
    let plain = !answer.headers.contains_key("content-encoding");
    if let Some(ctx) = ctx
        && plain
    {
        session.body::<FromServer>(ctx, &answer.body, false);
    }
    let token = answer
        .headers
        .get("cho-token")
        .and_then(|t| t.to_str().ok())
        .filter(|t| !t.is_empty() && *t != chio_server::http::NO_TOKEN);
    match (ctx, token) {
        (Some(ctx), Some(token)) => {
            let outbox = shared.config.injector.open(session.id, ctx);
            let replaced = shared.http.sessions().insert(
                token.to_owned(),
                Arc::new(HttpSession { session, ctx, outbox, last_seen: Mutex::new(Instant::now()) }),
            );
            if let Some(old) = replaced {
                end(shared, &old);
            }
        }
        (ctx, _) => {
            session.capture_end();
            if ctx.is_some() {
                shared.config.tap.closed(session.id);
            }
        }
    }
    let body = answer.body.clone();
    respond(&answer, body)
}

/// Whether `body`, frames of set `S`, holds the packet `name`.
fn holds<S: PacketSet>(ctx: Context, body: &[u8], name: &str) -> bool {
    let Some(id) = chio_packets::catalog::find(name, ctx).map(|info| info.id) else { return false };
    PacketDecoder::<S>::new(ctx).frames(body).map_while(Result::ok).any(|frame| frame.id == Some(id))
}

async fn poll(
    shared: &Arc<HttpShared>,
    token: &str,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    body: Bytes,
) -> Response {
    let known = shared.http.sessions().get(token).cloned();
    let Some(known) = known else {
        // Not a session of this proxy (it restarted, say): passed on, not decoded.
        return match forward(shared, method, uri, headers, body).await {
            Ok(answer) => {
                let body = answer.body.clone();
                respond(&answer, body)
            }
            Err(_) => poll_failed(),
        };
    };
    let session = &known.session;
    session.capture(Dir::ClientToServer, Kind::Poll, &body);
    session.body::<FromClient>(known.ctx, &body, false);
    known.seen();
    let exiting = holds::<FromClient>(known.ctx, &body, "OsuExit");
    let answer = match forward(shared, method, uri, headers, body).await {
        Ok(answer) => answer,
        Err(_) => {
            // The session is lost with its upstream: the client is told to log in again.
            let removed = shared.http.sessions().remove(token);
            if let Some(removed) = removed {
                end(shared, &removed);
            }
            return poll_failed();
        }
    };
    session.capture(Dir::ServerToClient, Kind::Data, &answer.body);
    let plain = !answer.headers.contains_key("content-encoding");
    // The server forgot the session (a restart tells the client to log in again).
    let mut ending = exiting;
    if plain {
        session.body::<FromServer>(known.ctx, &answer.body, false);
        ending |= holds::<FromServer>(known.ctx, &answer.body, "BanchoRestart");
    }
    let mut body = answer.body.clone();
    if plain && answer.status == StatusCode::OK && !ending {
        let injected = known.outbox.drain_up_to(POLL_SOFT_CAP).concat();
        if !injected.is_empty() {
            session.capture(Dir::ServerToClient, Kind::Injected, &injected);
            session.body::<FromServer>(known.ctx, &injected, true);
            let mut joined = Vec::with_capacity(body.len() + injected.len());
            joined.extend_from_slice(&body);
            joined.extend_from_slice(&injected);
            body = Bytes::from(joined);
        }
    }
    if ending {
        let removed = shared.http.sessions().remove(token);
        if let Some(removed) = removed {
            end(shared, &removed);
        }
    }
    respond(&answer, body)
}
