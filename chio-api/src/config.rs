//! What the server accepts and how long it waits: [`ServerConfig`].

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::time::Duration;

use crate::frame::DEFAULT_MAX_FRAME_LEN;
use crate::message::MAX_NOTIFICATION_CHARS;

/// The port the server listens on unless told otherwise.
pub const DEFAULT_PORT: u16 = 13381;

/// What the server accepts and how long it waits.
#[derive(Clone, Debug)]
pub struct ServerConfig {
    /// Where to listen. Default `127.0.0.1:13381`.
    pub listen: SocketAddr,
    /// Whether an address other than loopback may be used. Default `false`: the API has no
    /// transport encryption and is meant for applications on the same machine.
    pub allow_non_loopback: bool,
    /// Largest frame payload accepted and sent. Default 64 KiB.
    pub max_frame_len: u32,
    /// Time from connecting to sending the `auth` request; a connection silent that long
    /// is closed. Default 5 s.
    pub auth_timeout: Duration,
    /// Time the approval callback has to answer; silence is a denial. Default 60 s.
    pub approval_timeout: Duration,
    /// Notifications a session may send at once. Default 3.
    pub notification_burst: u32,
    /// Time in which a session regains one notification. Default 5 s.
    pub notification_interval: Duration,
    /// Longest notification text, in characters, after trimming; longer ones are answered
    /// `invalid_request`. Default [`MAX_NOTIFICATION_CHARS`] (500).
    pub max_notification_chars: usize,
    /// Connections not yet authenticated (including those whose player is being asked).
    /// Default 8. Over it, a connection is admitted only with a valid token (see
    /// [`overflow_auth_timeout`](Self::overflow_auth_timeout)).
    pub max_pending: usize,
    /// Time a connection over [`max_pending`](Self::max_pending) has to authenticate with a
    /// valid token; otherwise it gets `too_many_connections`. At most `max_pending` such
    /// connections wait at once: a newer one takes the place of the oldest, which gets
    /// `too_many_connections` unless it delivers the `auth` it already sent within a
    /// 100 ms grace. Default 1 s.
    pub overflow_auth_timeout: Duration,
    /// Where to serve the WebSocket endpoint for browser overlays, if anywhere (default
    /// none). Loopback only unless [`allow_non_loopback`](Self::allow_non_loopback).
    pub ws_listen: Option<SocketAddr>,
    /// Origins (`scheme://host[:port]`, compared without regard to ASCII case) whose pages
    /// may open the WebSocket endpoint. A handshake with another `Origin` is refused with
    /// HTTP 403; one without `Origin` (a native application) is allowed. Default empty.
    pub ws_allowed_origins: Vec<String>,
    /// Shortest time between two pushes of one kind to one session; changes within it are
    /// coalesced, the latest state going out when it ends. Default 50 ms.
    pub push_interval: Duration,
    /// Authenticated sessions at once; unauthenticated connections never count here.
    /// Default 64.
    pub max_sessions: usize,
}

impl Default for ServerConfig {
    fn default() -> Self {
        Self {
            listen: SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), DEFAULT_PORT),
            allow_non_loopback: false,
            max_frame_len: DEFAULT_MAX_FRAME_LEN,
            auth_timeout: Duration::from_secs(5),
            approval_timeout: Duration::from_secs(60),
            notification_burst: 3,
            notification_interval: Duration::from_secs(5),
            max_notification_chars: MAX_NOTIFICATION_CHARS,
            max_pending: 8,
            overflow_auth_timeout: Duration::from_secs(1),
            max_sessions: 64,
            push_interval: Duration::from_millis(50),
            ws_listen: None,
            ws_allowed_origins: Vec::new(),
        }
    }
}
