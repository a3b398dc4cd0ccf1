//! [`ProxyConfig`]: what a proxy listens on, where it forwards to, and who observes.

use std::io::{self, Write};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::capture::CaptureWriter;
use crate::log::PacketLog;
use crate::tap::{Injector, NoTap, Tap};

/// A capture writer shared by every session of a proxy.
pub type SharedCapture = Arc<Mutex<CaptureWriter<Box<dyn Write + Send>>>>;

/// Opens a capture on `out` (writing its format line) for [`ProxyConfig::capture`].
///
/// # Errors
///
/// Writing the format line failed.
pub fn shared_capture(out: impl Write + Send + 'static) -> io::Result<SharedCapture> {
    Ok(Arc::new(Mutex::new(CaptureWriter::new(Box::new(out) as Box<dyn Write + Send>)?)))
}

/// What a [`Proxy`](crate::proxy::Proxy) listens on, where it forwards to, and who observes.
#[derive(Clone)]
pub struct ProxyConfig {
    /// Where TCP clients connect (used by the CLI; [`Proxy::serve_tcp`](crate::proxy::Proxy::serve_tcp) takes a listener).
    pub listen_tcp: Option<SocketAddr>,
    /// The bancho server's TCP address; needed by [`Proxy::serve_tcp`](crate::proxy::Proxy::serve_tcp).
    pub upstream_tcp: Option<SocketAddr>,
    /// Where HTTP clients connect (used by the CLI; [`Proxy::serve_http`](crate::proxy::Proxy::serve_http) takes a listener).
    pub listen_http: Option<SocketAddr>,
    /// The bancho server's HTTP base URL (`http://host:port`); needed by
    /// [`Proxy::serve_http`](crate::proxy::Proxy::serve_http). An `https://` URL is reached over TLS (rustls, trusting the
    /// Web PKI roots; SNI is the URL's host).
    pub upstream_http: Option<String>,
    /// PEM certificates trusted for an `https://` upstream besides the Web PKI roots (a
    /// test server's or a private CA's).
    pub upstream_roots_pem: Option<Vec<u8>>,
    /// The packet log, if any.
    pub log: Option<Arc<PacketLog>>,
    /// The capture, if any.
    pub capture: Option<SharedCapture>,
    /// Who is told of logins, packets and ends.
    pub tap: Arc<dyn Tap>,
    /// Where injected packets come from.
    pub injector: Injector,
    /// How long the upstream may take before the proxy gives up on it and answers the
    /// client as a dead server would (see [`DEFAULT_UPSTREAM_TIMEOUT`]): to accept a
    /// connection (and finish TLS), to send its first bytes after a TCP client's first
    /// bytes went up, to take a write, to answer an HTTP request whole, and to end its
    /// side once a TCP client has ended its own (a TCP client has as long to end its side
    /// once the upstream has ended its own).
    pub upstream_timeout: Duration,
}

/// The default [`ProxyConfig::upstream_timeout`]: 10 s. chio-server and bancho.py answer a
/// login or a poll in milliseconds; the osu! client itself gives up on a poll after about
/// 30 s, so a stalled upstream is noticed well before the client would.
pub const DEFAULT_UPSTREAM_TIMEOUT: Duration = Duration::from_secs(10);

impl std::fmt::Debug for ProxyConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProxyConfig")
            .field("listen_tcp", &self.listen_tcp)
            .field("upstream_tcp", &self.upstream_tcp)
            .field("listen_http", &self.listen_http)
            .field("upstream_http", &self.upstream_http)
            .field("log", &self.log.is_some())
            .field("capture", &self.capture.is_some())
            .field("upstream_timeout", &self.upstream_timeout)
            .finish_non_exhaustive()
    }
}

impl Default for ProxyConfig {
    /// No listeners, no upstreams, no log, no capture, [`NoTap`], a new [`Injector`],
    /// [`DEFAULT_UPSTREAM_TIMEOUT`].
    fn default() -> Self {
        Self {
            listen_tcp: None,
            upstream_tcp: None,
            listen_http: None,
            upstream_http: None,
            upstream_roots_pem: None,
            log: None,
            capture: None,
            tap: Arc::new(NoTap),
            injector: Injector::new(),
            upstream_timeout: DEFAULT_UPSTREAM_TIMEOUT,
        }
    }
}

impl ProxyConfig {
    /// Forwards TCP clients to `upstream`.
    #[must_use]
    pub fn with_upstream_tcp(mut self, upstream: SocketAddr) -> Self {
        self.upstream_tcp = Some(upstream);
        self
    }

    /// Forwards HTTP clients to `url`.
    #[must_use]
    pub fn with_upstream_http(mut self, url: impl Into<String>) -> Self {
        self.upstream_http = Some(url.into());
        self
    }

    /// Trusts the PEM certificates `pem` for an `https://` upstream, besides the Web PKI
    /// roots.
    #[must_use]
    pub fn with_upstream_roots_pem(mut self, pem: impl Into<Vec<u8>>) -> Self {
        self.upstream_roots_pem = Some(pem.into());
        self
    }

    /// Logs packets to `log`.
    #[must_use]
    pub fn with_log(mut self, log: Arc<PacketLog>) -> Self {
        self.log = Some(log);
        self
    }

    /// Records sessions in `capture`.
    #[must_use]
    pub fn with_capture(mut self, capture: SharedCapture) -> Self {
        self.capture = Some(capture);
        self
    }

    /// Tells `tap` of what passes.
    #[must_use]
    pub fn with_tap(mut self, tap: Arc<dyn Tap>) -> Self {
        self.tap = tap;
        self
    }

    /// Gives up on a silent upstream after `timeout` (see [`ProxyConfig::upstream_timeout`]).
    #[must_use]
    pub fn with_upstream_timeout(mut self, timeout: Duration) -> Self {
        self.upstream_timeout = timeout;
        self
    }

    /// Takes injected packets from `injector` (keep a clone to inject).
    #[must_use]
    pub fn with_injector(mut self, injector: Injector) -> Self {
        self.injector = injector;
        self
    }
}
