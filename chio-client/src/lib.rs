//! A headless osu! client of any build, b282 to b20250306: it logs in over the build's
//! transport (TCP up to b20130815, HTTP polling after), sends what a client of that build
//! sends for a [`ClientEvent`], and hands back the server's packets as they arrive.
//!
//! Made for end-to-end tests of servers, bots and load tools: no game, no UI, every
//! packet in sight.
//!
//! ```no_run
//! use std::time::Duration;
//! use chio_client::{Client, ClientConfig};
//! use chio_packets::ServerPacket;
//! use chio_packets::events::ChatMessage;
//! use chio_packets::events::client::ClientEvent;
//!
//! # async fn run() -> Result<(), chio_client::ClientError> {
//! let config = ClientConfig::new(20250306, "peppy", "hunter2").with_http("http://127.0.0.1:13381");
//! let mut client = Client::login(config).await?;
//! println!("logged in as user {}", client.user_id());
//! client.send(&ClientEvent::ChannelJoin("#osu".into())).await?;
//! let joined = client
//!     .recv_until(Duration::from_secs(5), |p| matches!(p, ServerPacket::BanchoChannelJoinSuccess(_)))
//!     .await?;
//! let hello = ChatMessage { content: "hello".into(), target: "#osu".into(), ..ChatMessage::default() };
//! client.send(&ClientEvent::Message(hello)).await?;
//! client.logout().await?;
//! # let _ = joined;
//! # Ok(())
//! # }
//! ```
//!
//! What the client does on its own, as the real one does:
//!
//! - the login lines of the build's era ([`ClientConfig::login_body`]): the password's MD5,
//!   UTC offset 0, plausible client hashes for builds that send them;
//! - a `BanchoPing` is answered with `OsuPong` ([`ClientConfig::auto_pong`]);
//! - over HTTP, a poll every [`ClientConfig::poll_interval`], and at once after a send;
//!   a `BanchoRestart` ends the session (it is returned, then [`Client::recv`] gives
//!   `None`).

pub mod command;
mod filter;
pub use filter::PacketFilter;
mod http;
pub use http::{HttpAnswer, HttpConnection, HttpUrl};
pub mod load;
mod tcp;

use std::collections::VecDeque;
use std::fmt::Write as _;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU8, Ordering};
use std::time::Duration;

use chio_packets::events::client::{ClientEvent, ClientEventError};
use chio_packets::login::request::{ClientHashes, LoginRequest};
use chio_packets::login::version::ClientVersion;
use chio_packets::wire::{Decoded, PacketDecoder};
use chio_packets::{ClientPacket, Context, DecodeError, EncodeError, Frame, FromServer, ServerPacket};
use chio_server::era::ClientPolicy;
pub use chio_server::era::Transport;
use md5::{Digest, Md5};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

/// The default time between HTTP polls.
pub const DEFAULT_POLL_INTERVAL: Duration = Duration::from_millis(500);

/// The default time a login may take, from connecting to the login reply.
pub const DEFAULT_LOGIN_TIMEOUT: Duration = Duration::from_secs(30);

/// The default number of received packets buffered before the connection is read no
/// further (until [`Client::recv`] takes some).
pub const DEFAULT_INBOX_CAPACITY: usize = 4096;

/// How to log in: the client's version, the account, the server and the transport.
#[derive(Clone, Debug)]
pub struct ClientConfig {
    /// The client version sent in the login (its build decides everything on the wire).
    pub version: ClientVersion,
    /// The username.
    pub username: String,
    /// The password in plain text; its MD5 is sent.
    pub password: String,
    /// The server's TCP address, for TCP builds.
    pub tcp: Option<SocketAddr>,
    /// The server's base URL (`http://127.0.0.1:8080`), for HTTP builds. Only `http://`.
    pub http: Option<String>,
    /// The transport; by default the build's ([`ClientPolicy::transport`]).
    pub transport: Option<Transport>,
    /// How often an HTTP client polls when it has nothing to send.
    pub poll_interval: Duration,
    /// How long the login may take, from connecting to the login reply.
    pub login_timeout: Duration,
    /// Whether a `BanchoPing` is answered with `OsuPong` automatically (as the real
    /// client does). The ping is returned by [`Client::recv`] either way.
    pub auto_pong: bool,
    /// The UTC offset sent in the login, in hours.
    pub utc_offset: i8,
    /// Whether received packets are kept in [`Client::history`].
    pub keep_history: bool,
    /// Whether a `BanchoProtocolNegotiation` sets the protocol version packets are read
    /// and written with from there on (as the server then writes them: 16 match slots
    /// for b20140528+ at protocol 19, ...). See [`Client::ctx`].
    pub follow_negotiation: bool,
    /// How many received packets are buffered before the connection is read no further.
    pub inbox_capacity: usize,
    /// Which packets are decoded and handed back (by default every one).
    pub filter: PacketFilter,
}

impl ClientConfig {
    /// A configuration for a stable client of `build`, logging in as `username` with
    /// `password` (plain text). Set the server with [`with_tcp`](Self::with_tcp) or
    /// [`with_http`](Self::with_http).
    pub fn new(build: u32, username: impl Into<String>, password: impl Into<String>) -> Self {
        Self::with_version(ClientVersion::new(build), username, password)
    }

    /// A configuration for the client version `version` (a stream, a hotfix number).
    pub fn with_version(
        version: ClientVersion,
        username: impl Into<String>,
        password: impl Into<String>,
    ) -> Self {
        Self {
            version,
            username: username.into(),
            password: password.into(),
            tcp: None,
            http: None,
            transport: None,
            poll_interval: DEFAULT_POLL_INTERVAL,
            login_timeout: DEFAULT_LOGIN_TIMEOUT,
            auto_pong: true,
            utc_offset: 0,
            keep_history: true,
            follow_negotiation: true,
            inbox_capacity: DEFAULT_INBOX_CAPACITY,
            filter: PacketFilter::all(),
        }
    }

    /// The same configuration with the server's TCP address.
    #[must_use]
    pub fn with_tcp(self, addr: SocketAddr) -> Self {
        Self { tcp: Some(addr), ..self }
    }

    /// The same configuration with the server's base URL (`http://host:port`).
    #[must_use]
    pub fn with_http(self, url: impl Into<String>) -> Self {
        Self { http: Some(url.into()), ..self }
    }

    /// The same configuration with the transport forced.
    #[must_use]
    pub fn with_transport(self, transport: Transport) -> Self {
        Self { transport: Some(transport), ..self }
    }

    /// The same configuration with another HTTP poll interval.
    #[must_use]
    pub fn with_poll_interval(self, poll_interval: Duration) -> Self {
        Self { poll_interval, ..self }
    }

    /// The same configuration with another login timeout.
    #[must_use]
    pub fn with_login_timeout(self, login_timeout: Duration) -> Self {
        Self { login_timeout, ..self }
    }

    /// The same configuration answering pings automatically or not.
    #[must_use]
    pub fn with_auto_pong(self, auto_pong: bool) -> Self {
        Self { auto_pong, ..self }
    }

    /// The same configuration keeping a history of received packets or not.
    #[must_use]
    pub fn with_keep_history(self, keep_history: bool) -> Self {
        Self { keep_history, ..self }
    }

    /// The same configuration decoding and handing back only the packets `filter` admits.
    #[must_use]
    pub fn with_filter(self, filter: PacketFilter) -> Self {
        Self { filter, ..self }
    }

    /// The context of the build.
    pub fn ctx(&self) -> Context {
        self.version.context()
    }

    /// The transport used: the one set, or the build's.
    pub fn transport(&self) -> Transport {
        self.transport.unwrap_or_else(|| ClientPolicy::for_context(self.ctx()).transport)
    }

    /// The login lines sent: username, the password's MD5, and the client line of the
    /// build's era (see [`LoginRequest`]): UTC offset, display city off, client hashes
    /// (three from b1661, five from b20120506; made up but well formed), and the PM flag
    /// from b20130303.
    pub fn login_body(&self) -> String {
        let password_md5 = md5_hex(self.password.as_bytes());
        let executable_md5 = md5_hex(b"chio-client osu!.exe");
        let adapters = "0A0027000001";
        let adapters_md5 = md5_hex(adapters.as_bytes());
        let uninstall_md5 = md5_hex(b"chio-client uninstall id");
        let disk_md5 = md5_hex(b"chio-client disk signature");
        let build = self.version.build;
        let client_hashes = if build >= 20120506 {
            Some(ClientHashes {
                executable_md5: &executable_md5,
                adapters: Some(adapters),
                adapters_md5: Some(&adapters_md5),
                uninstall_md5: Some(&uninstall_md5),
                disk_md5: Some(&disk_md5),
            })
        } else if build >= 1661 {
            Some(ClientHashes {
                executable_md5: &executable_md5,
                adapters: Some(adapters),
                adapters_md5: Some(&adapters_md5),
                uninstall_md5: None,
                disk_md5: None,
            })
        } else {
            None
        };
        LoginRequest {
            username: &self.username,
            password_md5: &password_md5,
            version: self.version,
            utc_offset: self.utc_offset,
            display_city: false,
            client_hashes,
            block_non_friend_dms: false,
        }
        .to_body()
    }
}

/// Lowercase hex of the MD5 of `bytes`.
pub fn md5_hex(bytes: &[u8]) -> String {
    Md5::digest(bytes).iter().fold(String::with_capacity(32), |mut out, byte| {
        let _ = write!(out, "{byte:02x}");
        out
    })
}

/// What went wrong.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ClientError {
    /// The configuration cannot be used (no server address for the transport, a URL
    /// that is not `http://`).
    #[error("configuration: {0}")]
    Config(String),
    /// Connecting, reading or writing failed.
    #[error("I/O: {0}")]
    Io(#[from] std::io::Error),
    /// The HTTP exchange failed.
    #[error("HTTP: {0}")]
    Http(#[from] hyper::Error),
    /// The server answered with an HTTP status other than 200.
    #[error("HTTP status {0}")]
    HttpStatus(u16),
    /// The server's bytes do not decode for the build.
    #[error("decoding {}: {error}", frame_name(*.wire_id))]
    Decode {
        /// The wire id of the frame, if its header was read.
        wire_id: Option<u16>,
        /// What is wrong, at which stream offset.
        error: DecodeError,
    },
    /// A packet does not encode for the build.
    #[error("encoding: {0}")]
    Encode(#[from] EncodeError),
    /// The build has no packet for the event.
    #[error(transparent)]
    Event(#[from] ClientEventError),
    /// The server refused the login with this `BanchoLoginReply` code.
    #[error("login refused: {0}")]
    LoginRefused(i32),
    /// The login got no answer the client understands (no reply, no token).
    #[error("login failed: {0}")]
    LoginFailed(String),
    /// Nothing wanted arrived in time.
    #[error("timed out")]
    Timeout,
    /// The connection is closed.
    #[error("connection closed")]
    Closed,
}

fn frame_name(wire_id: Option<u16>) -> String {
    wire_id.map_or_else(|| "the frame header".to_owned(), |id| format!("wire id {id}"))
}

/// What the connection tasks hand to the client.
#[derive(Debug)]
pub(crate) enum Incoming {
    /// A packet.
    Packet(ServerPacket<'static>),
    /// The connection ended, cleanly (`None`) or not.
    Closed(Option<ClientError>),
}

/// The protocol version of a connection, shared by its sender and its reading task.
#[derive(Debug)]
pub(crate) struct Protocol {
    build: u32,
    version: AtomicU8,
    follow: bool,
    filter: PacketFilter,
}

impl Protocol {
    fn new(config: &ClientConfig) -> Self {
        let ctx = config.ctx();
        Self {
            build: ctx.build(),
            version: AtomicU8::new(ctx.protocol()),
            follow: config.follow_negotiation,
            filter: config.filter.clone(),
        }
    }

    /// The context in force.
    pub(crate) fn ctx(&self) -> Context {
        Context::new(self.build).with_protocol(self.version.load(Ordering::Acquire))
    }

    /// Applies `packet` if it is a negotiation to follow.
    fn apply(&self, packet: &ServerPacket<'_>, decoder: &mut PacketDecoder<FromServer>) {
        if let ServerPacket::BanchoProtocolNegotiation(negotiation) = packet
            && self.follow
            && let Ok(version) = u8::try_from(negotiation.version)
        {
            self.version.store(version, Ordering::Release);
            decoder.set_context(self.ctx());
        }
    }
}

/// Decodes `frames` into owned packets, in order; raw frames (packets the build does not
/// have) and frames the filter does not admit are skipped. A protocol negotiation applies
/// to the frames after it.
pub(crate) fn decode_frames<'b>(
    decoder: &mut PacketDecoder<FromServer>,
    protocol: &Protocol,
    frames: impl Iterator<Item = Result<Frame<'b>, DecodeError>>,
    out: &mut Vec<ServerPacket<'static>>,
) -> Result<(), ClientError> {
    for frame in frames {
        let frame = frame.map_err(|error| ClientError::Decode { wire_id: None, error })?;
        if frame.id.is_some_and(|id| !protocol.filter.admits(id)) {
            continue;
        }
        match decoder.decode(&frame) {
            Ok(Decoded::Packet(packet)) => {
                let packet = packet.into_owned();
                protocol.apply(&packet, decoder);
                out.push(packet);
            }
            Ok(Decoded::Raw(_)) => {}
            Err(error) => return Err(ClientError::Decode { wire_id: Some(frame.wire_id), error }),
        }
    }
    Ok(())
}

/// The framed bytes of `packet` for `ctx`'s build.
pub(crate) fn frame_bytes(packet: &ClientPacket<'_>, ctx: Context) -> Result<Vec<u8>, ClientError> {
    let mut buf = Vec::new();
    packet.write(&mut buf, ctx)?;
    Ok(buf)
}

/// The sending side of a [`Client`], to send from another task; cheap to clone.
#[derive(Clone, Debug)]
pub struct ClientSender {
    protocol: Arc<Protocol>,
    outlet: Outlet,
}

#[derive(Clone, Debug)]
enum Outlet {
    Tcp(Arc<tcp::Writer>),
    Http(Arc<http::Shared>),
}

impl ClientSender {
    /// The connection's context (see [`Client::ctx`]).
    pub fn ctx(&self) -> Context {
        self.protocol.ctx()
    }

    /// Sends what a client of the build sends for `event`.
    pub async fn send(&self, event: &ClientEvent<'_>) -> Result<(), ClientError> {
        let ctx = self.ctx();
        self.send_packet_for(event.to_packet(ctx)?, ctx).await
    }

    /// Sends `packet` as it is, framed for the build.
    pub async fn send_packet(&self, packet: ClientPacket<'_>) -> Result<(), ClientError> {
        self.send_packet_for(packet, self.ctx()).await
    }

    async fn send_packet_for(&self, packet: ClientPacket<'_>, ctx: Context) -> Result<(), ClientError> {
        let bytes = frame_bytes(&packet, ctx)?;
        self.send_raw(&bytes).await
    }

    /// Sends bytes as they are (whole frames, or anything else a test wants to try).
    pub async fn send_raw(&self, bytes: &[u8]) -> Result<(), ClientError> {
        match &self.outlet {
            Outlet::Tcp(writer) => writer.write(bytes).await,
            Outlet::Http(shared) => shared.queue(bytes),
        }
    }

    /// Waits until everything sent so far is with the server: over HTTP, until a poll
    /// carried it and was answered (its packets are then on their way to
    /// [`Client::recv`]); over TCP, at once (sends are written before they return).
    pub async fn flush(&self) -> Result<(), ClientError> {
        match &self.outlet {
            Outlet::Tcp(_) => Ok(()),
            Outlet::Http(shared) => shared.flush().await,
        }
    }
}

/// A logged-in client: see the [crate documentation](crate).
#[derive(Debug)]
pub struct Client {
    sender: ClientSender,
    transport: Transport,
    user_id: i32,
    inbox: mpsc::Receiver<Incoming>,
    pending: VecDeque<ServerPacket<'static>>,
    history: Vec<ServerPacket<'static>>,
    keep_history: bool,
    ended: bool,
    close_error: Option<ClientError>,
    tasks: Vec<JoinHandle<()>>,
}

impl Client {
    /// Connects over the build's transport (or the one set), sends the login and reads
    /// packets until `BanchoLoginReply`. A negative reply is
    /// [`ClientError::LoginRefused`]. Every packet received up to and including the reply
    /// is returned by [`recv`](Self::recv) first.
    pub async fn login(config: ClientConfig) -> Result<Self, ClientError> {
        let timeout = config.login_timeout;
        match tokio::time::timeout(timeout, Self::login_untimed(config)).await {
            Ok(result) => result,
            Err(_) => Err(ClientError::Timeout),
        }
    }

    async fn login_untimed(config: ClientConfig) -> Result<Self, ClientError> {
        let ctx = config.ctx();
        let transport = config.transport();
        let protocol = Arc::new(Protocol::new(&config));
        let (tx, inbox) = mpsc::channel(config.inbox_capacity.max(1));
        let (outlet, tasks, initial) = match transport {
            Transport::Tcp => {
                let addr = config.tcp.ok_or_else(|| {
                    ClientError::Config(format!("b{} logs in over TCP: no TCP address", ctx.build()))
                })?;
                let (writer, task) = tcp::connect(addr, &config, Arc::clone(&protocol), tx).await?;
                (Outlet::Tcp(writer), vec![task], Vec::new())
            }
            Transport::Http => {
                let url = config.http.as_deref().ok_or_else(|| {
                    ClientError::Config(format!("b{} logs in over HTTP: no HTTP URL", ctx.build()))
                })?;
                let (shared, task, initial) = http::login(url, &config, Arc::clone(&protocol), tx).await?;
                (Outlet::Http(shared), vec![task], initial)
            }
        };
        let mut client = Self {
            sender: ClientSender { protocol, outlet },
            transport,
            user_id: 0,
            inbox,
            pending: VecDeque::new(),
            history: Vec::new(),
            keep_history: config.keep_history,
            ended: false,
            close_error: None,
            tasks,
        };
        client.wait_for_reply(initial).await?;
        Ok(client)
    }

    /// Takes packets (first `initial`) until the login reply, keeping them for `recv`.
    async fn wait_for_reply(&mut self, initial: Vec<ServerPacket<'static>>) -> Result<(), ClientError> {
        let mut initial = initial.into_iter();
        loop {
            let packet = match initial.next() {
                Some(packet) => packet,
                None => match self.inbox.recv().await {
                    Some(Incoming::Packet(packet)) => packet,
                    Some(Incoming::Closed(Some(error))) => return Err(error),
                    Some(Incoming::Closed(None)) | None => {
                        return Err(ClientError::LoginFailed("closed before the login reply".to_owned()));
                    }
                },
            };
            let reply = match &packet {
                ServerPacket::BanchoLoginReply(reply) => Some(reply.0),
                _ => None,
            };
            self.pending.push_back(packet);
            if let Some(code) = reply {
                if code < 0 {
                    return Err(ClientError::LoginRefused(code));
                }
                self.user_id = code;
                self.pending.extend(initial);
                return Ok(());
            }
        }
    }

    /// The connection's context: the build's, with its default protocol version, or the
    /// one the server negotiated ([`ClientConfig::follow_negotiation`]).
    pub fn ctx(&self) -> Context {
        self.sender.ctx()
    }

    /// The user id the login reply gave.
    pub fn user_id(&self) -> i32 {
        self.user_id
    }

    /// The transport in use.
    pub fn transport(&self) -> Transport {
        self.transport
    }

    /// A handle to send from elsewhere (another task) while this one receives.
    pub fn sender(&self) -> ClientSender {
        self.sender.clone()
    }

    /// Sends what a client of the build sends for `event` (over HTTP: queued, and a poll
    /// made at once).
    pub async fn send(&self, event: &ClientEvent<'_>) -> Result<(), ClientError> {
        self.sender.send(event).await
    }

    /// Sends `packet` as it is, framed for the build.
    pub async fn send_packet(&self, packet: ClientPacket<'_>) -> Result<(), ClientError> {
        self.sender.send_packet(packet).await
    }

    /// Sends bytes as they are.
    pub async fn send_raw(&self, bytes: &[u8]) -> Result<(), ClientError> {
        self.sender.send_raw(bytes).await
    }

    /// Waits until everything sent so far is with the server (see
    /// [`ClientSender::flush`]).
    pub async fn flush(&self) -> Result<(), ClientError> {
        self.sender.flush().await
    }

    /// The next packet from the server, or `None` once the connection is closed (see
    /// [`close_error`](Self::close_error) for why).
    pub async fn recv(&mut self) -> Option<ServerPacket<'static>> {
        let packet = self.next().await?;
        self.remember(&packet);
        Some(packet)
    }

    /// The next packet already received, without waiting; `None` if there is none now.
    pub fn try_recv(&mut self) -> Option<ServerPacket<'static>> {
        let packet = match self.pending.pop_front() {
            Some(packet) => packet,
            None if self.ended => return None,
            None => match self.inbox.try_recv() {
                Ok(Incoming::Packet(packet)) => packet,
                Ok(Incoming::Closed(error)) => {
                    self.end(error);
                    return None;
                }
                Err(mpsc::error::TryRecvError::Empty) => return None,
                Err(mpsc::error::TryRecvError::Disconnected) => {
                    self.end(None);
                    return None;
                }
            },
        };
        self.remember(&packet);
        Some(packet)
    }

    /// The first packet for which `f` is true, within `timeout`. Packets before it are
    /// skipped (they stay in [`history`](Self::history)).
    pub async fn recv_until<F: FnMut(&ServerPacket<'static>) -> bool>(
        &mut self,
        timeout: Duration,
        mut f: F,
    ) -> Result<ServerPacket<'static>, ClientError> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            match tokio::time::timeout_at(deadline, self.next()).await {
                Err(_) => return Err(ClientError::Timeout),
                Ok(None) => return Err(ClientError::Closed),
                Ok(Some(packet)) => {
                    self.remember(&packet);
                    if f(&packet) {
                        return Ok(packet);
                    }
                }
            }
        }
    }

    /// Every packet received within `duration` (or until the connection closed).
    pub async fn recv_for(&mut self, duration: Duration) -> Vec<ServerPacket<'static>> {
        let deadline = tokio::time::Instant::now() + duration;
        let mut packets = Vec::new();
        while let Ok(Some(packet)) = tokio::time::timeout_at(deadline, self.next()).await {
            self.remember(&packet);
            packets.push(packet);
        }
        packets
    }

    /// Every packet received so far through [`recv`](Self::recv),
    /// [`recv_until`](Self::recv_until) (skipped ones included) and the others, in order
    /// (empty unless [`ClientConfig::keep_history`]).
    pub fn history(&self) -> &[ServerPacket<'static>] {
        &self.history
    }

    /// Takes the history, leaving it empty.
    pub fn take_history(&mut self) -> Vec<ServerPacket<'static>> {
        std::mem::take(&mut self.history)
    }

    /// Whether the connection is known to be closed (after `recv` returned `None`).
    pub fn is_closed(&self) -> bool {
        self.ended && self.pending.is_empty()
    }

    /// Why the connection closed, if it closed on an error.
    pub fn close_error(&self) -> Option<&ClientError> {
        self.close_error.as_ref()
    }

    /// Sends the build's exit packet (`ClientEvent::Exit(false)`) and closes: over TCP
    /// the connection is shut down, over HTTP the exit goes out with a last poll.
    pub async fn logout(mut self) -> Result<(), ClientError> {
        let exit = self.sender.send(&ClientEvent::Exit(false)).await;
        let closed = match &self.sender.outlet {
            Outlet::Tcp(writer) => writer.shutdown().await,
            Outlet::Http(shared) => {
                shared.stop();
                if let Some(task) = self.tasks.pop() {
                    let _ = tokio::time::timeout(Duration::from_secs(5), task).await;
                }
                Ok(())
            }
        };
        exit.and(closed)
    }

    async fn next(&mut self) -> Option<ServerPacket<'static>> {
        if let Some(packet) = self.pending.pop_front() {
            return Some(packet);
        }
        if self.ended {
            return None;
        }
        match self.inbox.recv().await {
            Some(Incoming::Packet(packet)) => Some(packet),
            Some(Incoming::Closed(error)) => {
                self.end(error);
                None
            }
            None => {
                self.end(None);
                None
            }
        }
    }

    fn end(&mut self, error: Option<ClientError>) {
        self.ended = true;
        if self.close_error.is_none() {
            self.close_error = error;
        }
    }

    fn remember(&mut self, packet: &ServerPacket<'static>) {
        if self.keep_history {
            self.history.push(packet.clone());
        }
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        for task in &self.tasks {
            task.abort();
        }
        if let Outlet::Http(shared) = &self.sender.outlet {
            shared.stop();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn login_bodies_follow_the_era() {
        for (build, fields, hashes) in
            [(282, 3, 0), (1660, 3, 0), (1661, 4, 3), (20120506, 4, 5), (20130303, 5, 5), (20250306, 5, 5)]
        {
            let config = ClientConfig::new(build, "peppy", "password");
            let body = config.login_body();
            let login = LoginRequest::parse_str(&body).unwrap();
            assert_eq!(login.username, "peppy");
            assert_eq!(login.password_md5, "5f4dcc3b5aa765d61d8327deb882cf99");
            assert_eq!(login.version.build, build);
            assert_eq!(login.utc_offset, 0);
            let line = body.lines().nth(2).unwrap();
            assert_eq!(line.split('|').count(), fields, "b{build}: {line}");
            let parts = login.client_hashes.map_or(0, |h| {
                [Some(h.executable_md5), h.adapters, h.adapters_md5, h.uninstall_md5, h.disk_md5]
                    .iter()
                    .flatten()
                    .count()
            });
            assert_eq!(parts, hashes, "b{build}");
        }
    }

    #[test]
    fn transport_follows_the_build() {
        assert_eq!(ClientConfig::new(20130815, "a", "b").transport(), Transport::Tcp);
        assert_eq!(ClientConfig::new(20130816, "a", "b").transport(), Transport::Http);
        let forced = ClientConfig::new(282, "a", "b").with_transport(Transport::Http);
        assert_eq!(forced.transport(), Transport::Http);
    }
}
