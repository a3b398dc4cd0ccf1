//! [`Shared`]: what every connection of a proxy shares, TCP and HTTP alike.

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

use tokio::sync::watch;

use crate::config::ProxyConfig;
use crate::tap::SessionId;

/// What every connection of a proxy shares.
pub(crate) struct Shared {
    pub(crate) config: ProxyConfig,
    pub(crate) next_session: AtomicU64,
    /// TCP connections being proxied (from accept to the end of both directions).
    pub(crate) live_tcp: AtomicUsize,
    pub(crate) shutdown: watch::Sender<bool>,
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
