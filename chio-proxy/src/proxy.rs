//! [`Proxy`]: the TCP and HTTP front doors, their upstreams, and what observes them.

use std::io;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

use tokio::net::TcpListener;
use tokio::sync::watch;

pub use crate::config::{DEFAULT_UPSTREAM_TIMEOUT, ProxyConfig, SharedCapture, shared_capture};
use crate::http::HttpShared;
use crate::shared::Shared;
use crate::tap::Injector;

/// A bancho-aware proxy: forwards clients' bytes unchanged to their server and back,
/// decoding them for its log, its capture and its [`Tap`](crate::tap::Tap), and putting injected packets
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
    /// The HTTP front door's own state (its sessions, its upstream client).
    http: Arc<HttpShared>,
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
        let shared = Arc::new(Shared {
            config,
            next_session: AtomicU64::new(1),
            live_tcp: AtomicUsize::new(0),
            shutdown,
        });
        let http = Arc::new(HttpShared { base: Arc::clone(&shared), http });
        Ok(Self { shared, http })
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
        crate::http::serve(Arc::clone(&self.http), listener).await
    }

    /// The sessions the proxy holds now: TCP connections being proxied (counted from
    /// accept until both directions have ended) and logged-in HTTP sessions (until their
    /// exit, a restart, an upstream failure or 300 s without a poll).
    /// Back to 0 once every client and upstream is gone.
    pub fn live_sessions(&self) -> usize {
        self.shared.live_tcp.load(Ordering::Acquire) + self.http.http.live()
    }

    /// Stops accepting and ends every proxied TCP connection.
    pub fn shutdown(&self) {
        self.shared.shutdown.send_replace(true);
    }
}
