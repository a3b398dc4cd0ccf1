//! The HTTP transport: a login `POST`, then polls carrying the `osu-token`.

use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use bytes::Bytes;
use chio_packets::wire::PacketDecoder;
use chio_packets::{FromServer, ServerPacket};
use http_body_util::{BodyExt, Full};
use hyper::client::conn::http1::SendRequest;
use hyper::header::{CONTENT_TYPE, HOST, HeaderMap, HeaderValue, USER_AGENT};
use hyper::{Request, StatusCode};
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;
use tokio::sync::{Notify, mpsc};
use tokio::task::JoinHandle;

use crate::tcp::pong_bytes;
use crate::{ClientConfig, ClientError, Incoming, Protocol, decode_frames};

/// What the client and its poll task share: the packets waiting for the next poll.
#[derive(Debug, Default)]
pub(crate) struct Shared {
    queue: Mutex<Queue>,
    /// The sequence number of the last queued bytes a poll has answered.
    done: tokio::sync::watch::Sender<u64>,
    wake: Notify,
    stopping: AtomicBool,
    closed: AtomicBool,
}

impl Shared {
    /// Queues `bytes` for the next poll and makes it now.
    pub(crate) fn queue(&self, bytes: &[u8]) -> Result<(), ClientError> {
        if self.closed.load(Ordering::Acquire) {
            return Err(ClientError::Closed);
        }
        let mut queue = self.queue.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        queue.bytes.extend_from_slice(bytes);
        queue.seq += 1;
        drop(queue);
        self.wake.notify_one();
        Ok(())
    }

    /// Waits until a poll has carried everything queued so far (and been answered); an
    /// error once the session is closed.
    pub(crate) async fn flush(&self) -> Result<(), ClientError> {
        let target = self.queue.lock().unwrap_or_else(std::sync::PoisonError::into_inner).seq;
        let mut done = self.done.subscribe();
        loop {
            if self.closed.load(Ordering::Acquire) {
                return Err(ClientError::Closed);
            }
            if *done.borrow_and_update() >= target {
                return Ok(());
            }
            if done.changed().await.is_err() {
                return Err(ClientError::Closed);
            }
        }
    }

    /// Makes the poll task send what is queued and end.
    pub(crate) fn stop(&self) {
        self.stopping.store(true, Ordering::Release);
        self.wake.notify_one();
    }

    /// The queued bytes and the sequence number of the last of them.
    fn take(&self) -> (Vec<u8>, u64) {
        let mut queue = self.queue.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        (std::mem::take(&mut queue.bytes), queue.seq)
    }

    fn close(&self) {
        self.closed.store(true, Ordering::Release);
        // Wakes flushes waiting for a poll that will not come.
        self.done.send_modify(|_| {});
    }
}

/// Bytes waiting for the next poll.
#[derive(Debug, Default)]
struct Queue {
    bytes: Vec<u8>,
    /// How many sends were queued so far.
    seq: u64,
}

/// A keep-alive HTTP/1.1 connection to a bancho server, posting as an osu! client does
/// (`POST` to the URL's path with `osu-version`, the `osu-token` once logged in), made
/// again when the server closed it.
///
/// A request that a closing connection never took goes out once more on a new
/// connection; one that was sent is not repeated. The headless client polls with it, and
/// `chio-proxy`'s replay sends captured bodies with it.
#[derive(Debug)]
pub struct HttpConnection {
    /// `host:port` to connect to.
    addr: String,
    /// The `Host` header.
    authority: String,
    /// The request path.
    path: String,
    /// The `osu-version` header.
    version: String,
    sender: Option<SendRequest<Full<Bytes>>>,
}

/// A response: status, headers, body.
#[derive(Clone, Debug)]
pub struct HttpAnswer {
    /// The HTTP status.
    pub status: StatusCode,
    /// The response headers (`cho-token` among them after a login).
    pub headers: HeaderMap,
    /// The whole body.
    pub body: Bytes,
}

/// An `http://` URL as a bancho client dials it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HttpUrl {
    /// `host:port` to connect to (port 80 when the URL names none).
    pub addr: String,
    /// The `Host` header: the URL's authority as written.
    pub authority: String,
    /// The request path (`/` when the URL names none).
    pub path: String,
}

impl HttpUrl {
    /// Splits `url`; only `http://` URLs with a host are accepted.
    ///
    /// # Errors
    ///
    /// What is wrong with the URL, as text.
    pub fn parse(url: &str) -> Result<Self, String> {
        let rest =
            url.strip_prefix("http://").ok_or_else(|| format!("{url:?}: only http:// URLs are supported"))?;
        let (authority, path) = match rest.find('/') {
            Some(at) => (&rest[..at], &rest[at..]),
            None => (rest, "/"),
        };
        if authority.is_empty() {
            return Err(format!("{url:?}: no host"));
        }
        let has_port = authority.rsplit_once(':').is_some_and(|(_, port)| !port.contains(']'));
        let addr = if has_port { authority.to_owned() } else { format!("{authority}:80") };
        Ok(Self { addr, authority: authority.to_owned(), path: path.to_owned() })
    }
}

impl HttpConnection {
    /// A connection to `url` (`http://host[:port][/path]`) for a client of `version`
    /// (the version string, `b20250306` or `20250306`; sent without the `b`). Nothing
    /// is dialled until the first [`post`](Self::post).
    ///
    /// # Errors
    ///
    /// [`ClientError::Config`] for a URL [`HttpUrl::parse`] refuses.
    pub fn new(url: &str, version: &str) -> Result<Self, ClientError> {
        let HttpUrl { addr, authority, path } = HttpUrl::parse(url).map_err(ClientError::Config)?;
        Ok(Self {
            addr,
            authority,
            path,
            version: version.strip_prefix('b').unwrap_or(version).to_owned(),
            sender: None,
        })
    }

    async fn connect(&mut self) -> Result<&mut SendRequest<Full<Bytes>>, ClientError> {
        let stream = TcpStream::connect(&self.addr).await?;
        stream.set_nodelay(true)?;
        let (sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream)).await?;
        tokio::spawn(async move {
            let _ = connection.await;
        });
        Ok(self.sender.insert(sender))
    }

    /// `POST`s `body`, with `token` as `osu-token` if given, and reads the whole answer
    /// (whatever its status).
    ///
    /// # Errors
    ///
    /// [`ClientError::Io`] when connecting fails, [`ClientError::Http`] when the
    /// exchange does.
    pub async fn post(
        &mut self,
        token: Option<&HeaderValue>,
        body: Bytes,
    ) -> Result<HttpAnswer, ClientError> {
        let mut request = Request::post(self.path.as_str())
            .header(HOST, self.authority.as_str())
            .header(USER_AGENT, "osu!")
            .header("osu-version", self.version.as_str())
            .header(CONTENT_TYPE, "application/octet-stream");
        if let Some(token) = token {
            request = request.header("osu-token", token.clone());
        }
        let request = request
            .body(Full::new(body))
            .map_err(|error| ClientError::Config(format!("building the request: {error}")))?;
        let mut request = Some(request);
        let mut fresh = false;
        let response = loop {
            let reusable = match self.sender.as_mut() {
                Some(sender) if !fresh && !sender.is_closed() => sender.ready().await.is_ok(),
                _ => false,
            };
            let sender = match self.sender.as_mut() {
                Some(sender) if reusable || fresh => sender,
                _ => {
                    fresh = true;
                    self.connect().await?
                }
            };
            sender.ready().await?;
            let Some(next) = request.take() else { unreachable!("a request is left to send") };
            match sender.try_send_request(next).await {
                Ok(response) => break response,
                Err(mut error) => {
                    self.sender = None;
                    // A request the closing connection never took goes out once more on
                    // a new connection; one that was sent is not repeated.
                    match error.take_message() {
                        Some(unsent) if !fresh => {
                            request = Some(unsent);
                            fresh = true;
                            self.connect().await?;
                        }
                        _ => return Err(error.into_error().into()),
                    }
                }
            }
        };
        let (parts, body) = response.into_parts();
        let body = body.collect().await?.to_bytes();
        Ok(HttpAnswer { status: parts.status, headers: parts.headers, body })
    }
}

/// Logs in: the login `POST`, its packets decoded; on success the poll task is started.
pub(crate) async fn login(
    url: &str,
    config: &ClientConfig,
    protocol: Arc<Protocol>,
    tx: mpsc::Sender<Incoming>,
) -> Result<(Arc<Shared>, JoinHandle<()>, Vec<ServerPacket<'static>>), ClientError> {
    let ctx = config.ctx();
    let mut connection = HttpConnection::new(url, &config.version.to_string())?;
    let answer = connection.post(None, Bytes::from(config.login_body())).await?;
    if answer.status != StatusCode::OK {
        return Err(ClientError::HttpStatus(answer.status.as_u16()));
    }
    let mut decoder = PacketDecoder::<FromServer>::new(ctx);
    let mut packets = Vec::new();
    let frames = decoder.frames(&answer.body);
    decode_frames(&mut decoder, &protocol, frames, &mut packets)?;
    let token = answer.headers.get("cho-token").filter(|token| *token != "no" && !token.is_empty()).cloned();
    let Some(token) = token else {
        let code = packets.iter().find_map(|packet| match packet {
            ServerPacket::BanchoLoginReply(reply) => Some(reply.0),
            _ => None,
        });
        return Err(match code {
            Some(code) if code < 0 => ClientError::LoginRefused(code),
            _ => ClientError::LoginFailed("no cho-token in the login response".to_owned()),
        });
    };
    let shared = Arc::new(Shared::default());
    let pong = if config.auto_pong { pong_bytes(ctx) } else { None };
    let poller = Poller {
        connection,
        token,
        decoder,
        protocol,
        interval: config.poll_interval,
        pong,
        shared: Arc::clone(&shared),
        tx,
    };
    let task = tokio::spawn(poller.run());
    Ok((shared, task, packets))
}

struct Poller {
    connection: HttpConnection,
    token: HeaderValue,
    decoder: PacketDecoder<FromServer>,
    protocol: Arc<Protocol>,
    interval: Duration,
    pong: Option<Vec<u8>>,
    shared: Arc<Shared>,
    tx: mpsc::Sender<Incoming>,
}

impl Poller {
    async fn run(mut self) {
        let error = self.poll_loop().await.err();
        self.shared.close();
        let _ = self.tx.send(Incoming::Closed(error)).await;
    }

    async fn poll_loop(&mut self) -> Result<(), ClientError> {
        let mut packets = Vec::new();
        loop {
            let stopping = self.shared.stopping.load(Ordering::Acquire);
            let (body, seq) = self.shared.take();
            if stopping && body.is_empty() {
                return Ok(());
            }
            let answer = self.connection.post(Some(&self.token), Bytes::from(body)).await?;
            if answer.status != StatusCode::OK {
                return Err(ClientError::HttpStatus(answer.status.as_u16()));
            }
            let frames = self.decoder.frames(&answer.body);
            decode_frames(&mut self.decoder, &self.protocol, frames, &mut packets)?;
            self.shared.done.send_replace(seq);
            let mut restart = false;
            for packet in packets.drain(..) {
                match (&packet, &self.pong) {
                    (ServerPacket::BanchoPing(_), Some(pong)) => {
                        let _ = self.shared.queue(pong);
                    }
                    (ServerPacket::BanchoRestart(_), _) => restart = true,
                    _ => {}
                }
                if self.tx.send(Incoming::Packet(packet)).await.is_err() {
                    return Ok(());
                }
            }
            if restart || stopping {
                return Ok(());
            }
            tokio::select! {
                () = tokio::time::sleep(self.interval) => {}
                () = self.shared.wake.notified() => {}
            }
        }
    }
}
