//! [`Proxy`]: the TCP and HTTP front doors, their upstreams, and what observes them.

use std::io::{self, Write};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::watch;

use crate::capture::CaptureWriter;
use crate::log::PacketLog;
use crate::tap::{Injector, NoTap, SessionId, Tap};

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

/// What a [`Proxy`] listens on, where it forwards to, and who observes.
#[derive(Clone)]
pub struct ProxyConfig {
    /// Where TCP clients connect (used by the CLI; [`Proxy::serve_tcp`] takes a listener).
    pub listen_tcp: Option<SocketAddr>,
    /// The bancho server's TCP address; needed by [`Proxy::serve_tcp`].
    pub upstream_tcp: Option<SocketAddr>,
    /// Where HTTP clients connect (used by the CLI; [`Proxy::serve_http`] takes a listener).
    pub listen_http: Option<SocketAddr>,
    /// The bancho server's HTTP base URL (`http://host:port`); needed by
    /// [`Proxy::serve_http`]. An `https://` URL is reached over TLS (rustls, trusting the
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

/// What every connection of a proxy shares.
pub(crate) struct Shared {
    pub(crate) config: ProxyConfig,
    next_session: AtomicU64,
    /// TCP connections being proxied (from accept to the end of both directions).
    pub(crate) live_tcp: AtomicUsize,
    pub(crate) shutdown: watch::Sender<bool>,
    pub(crate) http: crate::http::HttpState,
}

impl Shared {
    pub(crate) fn next_session(&self) -> SessionId {
        self.next_session.fetch_add(1, Ordering::Relaxed)
    }

    /// Resolves when the proxy shuts down.
    pub(crate) async fn stopped(&self) {
        let mut rx = self.shutdown.subscribe();
        let _ = rx.wait_for(|stop| *stop).await;
    }
}

/// A bancho-aware proxy: forwards clients' bytes unchanged to their server and back,
/// decoding them for its log, its capture and its [`Tap`], and putting injected packets
/// into clients' streams. Cheap to clone; every clone is the same proxy.
///
/// ```no_run
/// # use std::sync::Arc;
/// # use chio_proxy::proxy::{Proxy, ProxyConfig};
/// # use chio_proxy::tap::{Injector, NoTap};
/// # async fn run() -> std::io::Result<()> {
/// let injector = Injector::new();
/// let config = ProxyConfig::default()
///     .with_upstream_tcp("127.0.0.1:13382".parse().unwrap())
///     .with_upstream_http("http://127.0.0.1:13381")
///     .with_tap(Arc::new(NoTap))
///     .with_injector(injector.clone());
/// let proxy = Proxy::new(config)?;
/// let tcp = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
/// let http = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
/// let (a, b) = (proxy.clone(), proxy.clone());
/// tokio::spawn(async move { a.serve_tcp(tcp).await });
/// tokio::spawn(async move { b.serve_http(http).await });
/// // ... later: proxy.shutdown();
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct Proxy {
    pub(crate) shared: Arc<Shared>,
}

impl std::fmt::Debug for Proxy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Proxy").field("config", &self.shared.config).finish_non_exhaustive()
    }
}

impl Proxy {
    /// A proxy for `config`.
    ///
    /// # Errors
    ///
    /// `upstream_http` is not an `http://` or `https://` URL, or `upstream_roots_pem` holds
    /// no certificate.
    pub fn new(config: ProxyConfig) -> io::Result<Self> {
        let http = crate::http::HttpState::new(
            config.upstream_http.as_deref(),
            config.upstream_roots_pem.as_deref(),
        )?;
        let (shutdown, _) = watch::channel(false);
        Ok(Self {
            shared: Arc::new(Shared {
                config,
                next_session: AtomicU64::new(1),
                live_tcp: AtomicUsize::new(0),
                shutdown,
                http,
            }),
        })
    }

    /// The injector the proxy takes injected packets from.
    pub fn injector(&self) -> &Injector {
        &self.shared.config.injector
    }

    /// The configuration.
    pub fn config(&self) -> &ProxyConfig {
        &self.shared.config
    }

    /// Accepts TCP clients on `listener` until [`shutdown`](Self::shutdown), each proxied
    /// to [`ProxyConfig::upstream_tcp`].
    ///
    /// # Errors
    ///
    /// No upstream TCP address is configured.
    pub async fn serve_tcp(&self, listener: TcpListener) -> io::Result<()> {
        crate::tcp::serve(Arc::clone(&self.shared), listener).await
    }

    /// Serves HTTP clients on `listener` until [`shutdown`](Self::shutdown), each request
    /// forwarded to [`ProxyConfig::upstream_http`].
    ///
    /// # Errors
    ///
    /// No upstream URL is configured, or serving failed.
    pub async fn serve_http(&self, listener: TcpListener) -> io::Result<()> {
        crate::http::serve(Arc::clone(&self.shared), listener).await
    }

    /// The sessions the proxy holds now: TCP connections being proxied (counted from
    /// accept until both directions have ended) and logged-in HTTP sessions (until their
    /// exit, a restart, an upstream failure or 300 s without a poll).
    /// Back to 0 once every client and upstream is gone.
    pub fn live_sessions(&self) -> usize {
        self.shared.live_tcp.load(Ordering::Acquire) + self.shared.http.live()
    }

    /// Stops accepting and ends every proxied TCP connection.
    pub fn shutdown(&self) {
        self.shared.shutdown.send_replace(true);
    }
}
