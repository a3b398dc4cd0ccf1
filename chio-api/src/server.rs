//! The server: the listener and the handle a host uses to whitelist, blacklist, revoke and
//! shut down, with its configuration and the approval callback.

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, Weak};
use std::time::Duration;

use tokio::net::{TcpListener, TcpSocket, TcpStream};
use tokio::sync::{Notify, Semaphore, watch};
use tokio::task::JoinSet;

use crate::auth::{GrantId, GrantInfo};
use crate::message::DisconnectReason;
use crate::permission::Permissions;
use crate::session::{self, Admission, TcpWire};
use crate::source::StateSource;
use crate::store::{MemoryStore, Store, StoreError};
use crate::websocket;

pub use crate::approval::{Approval, ApprovalRequest, Approver};
pub use crate::config::{DEFAULT_PORT, ServerConfig};
use crate::registry::{Registry, Shared};
pub use crate::registry::{SessionId, SessionInfo};

/// How long [`ApiServer::serve`] waits for sessions to say goodbye after a shutdown.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(2);
/// How long the accept loop pauses after an accept error (out of file descriptors...).
const ACCEPT_BACKOFF: Duration = Duration::from_millis(50);
/// Refused connections being answered at once; beyond it they are closed without a word.
const MAX_REFUSALS: usize = 16;

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    /// The address is not loopback and [`ServerConfig::allow_non_loopback`] is off.
    #[error("refusing to listen on non-loopback address {0} (allow_non_loopback is off)")]
    NonLoopback(SocketAddr),
    /// The grant store could not be read.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Binding the listener failed.
    #[error("binding {addr}: {source}")]
    Bind {
        /// The address.
        addr: SocketAddr,
        /// The failure.
        source: std::io::Error,
    },
}

/// A bound server, ready to [`serve`](Self::serve).
pub struct ApiServer {
    listener: TcpListener,
    local_addr: SocketAddr,
    ws_listener: Option<TcpListener>,
    ws_local_addr: Option<SocketAddr>,
    shared: Arc<Shared>,
}

impl ApiServer {
    /// Binds `config.listen`, serving `source`'s state and asking `approver` about new
    /// applications; grants are kept in memory ([`MemoryStore`]).
    pub async fn bind(
        config: ServerConfig,
        source: Arc<dyn StateSource>,
        approver: impl Approver,
    ) -> Result<Self, ServerError> {
        Self::bind_with_store(config, source, approver, Arc::new(MemoryStore::new())).await
    }

    /// As [`bind`](Self::bind), with grants, whitelist and blacklist read from and kept in
    /// `store` (a [`SqliteStore`](crate::store::SqliteStore) to survive restarts).
    pub async fn bind_with_store(
        config: ServerConfig,
        source: Arc<dyn StateSource>,
        approver: impl Approver,
        store: Arc<dyn Store>,
    ) -> Result<Self, ServerError> {
        let registry = Registry::load(store)?;
        let addr = config.listen;
        if !addr.ip().is_loopback() && !config.allow_non_loopback {
            return Err(ServerError::NonLoopback(addr));
        }
        let listener = bind(addr).map_err(|source| ServerError::Bind { addr, source })?;
        let local_addr = listener.local_addr().map_err(|source| ServerError::Bind { addr, source })?;
        let (ws_listener, ws_local_addr) = match config.ws_listen {
            Some(addr) => {
                if !addr.ip().is_loopback() && !config.allow_non_loopback {
                    return Err(ServerError::NonLoopback(addr));
                }
                let listener = bind(addr).map_err(|source| ServerError::Bind { addr, source })?;
                let local = listener.local_addr().map_err(|source| ServerError::Bind { addr, source })?;
                (Some(listener), Some(local))
            }
            None => (None, None),
        };
        let shared = Arc::new(Shared {
            sessions: Arc::new(Semaphore::new(config.max_sessions)),
            config,
            source,
            approver: Box::new(approver),
            registry: Mutex::new(registry),
            control: watch::channel(0).0,
        });
        Ok(Self { listener, local_addr, ws_listener, ws_local_addr, shared })
    }

    /// The address actually bound (with the port the OS chose for port 0).
    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// The WebSocket endpoint's address, when [`ServerConfig::ws_listen`] asked for one.
    pub fn ws_local_addr(&self) -> Option<SocketAddr> {
        self.ws_local_addr
    }

    /// A handle to manage the server while it serves.
    pub fn handle(&self) -> ServerHandle {
        ServerHandle { shared: Arc::clone(&self.shared) }
    }

    /// Accepts and serves connections until [`ServerHandle::shutdown`]; then waits briefly
    /// for the sessions to send their `disconnect` and close.
    pub async fn serve(self) {
        let Self { listener, ws_listener, shared, .. } = self;
        let origins = Arc::new(shared.config.ws_allowed_origins.clone());
        let pending = Arc::new(Semaphore::new(shared.config.max_pending));
        let mut overflow = VecDeque::new();
        let refusals = Arc::new(Semaphore::new(MAX_REFUSALS));
        let mut control = shared.control();
        let mut sessions = JoinSet::new();
        loop {
            if shared.registry().shutdown.is_some() {
                break;
            }
            tokio::select! {
                accepted = listener.accept() => match accepted {
                    Ok((stream, peer)) => {
                        let wire = TcpWire::new(stream, shared.config.max_frame_len);
                        match admit(&pending, &mut overflow, shared.config.max_pending) {
                            Some(admission) => {
                                sessions.spawn(session::run(Arc::clone(&shared), wire, peer, admission));
                            }
                            // Over every budget: an error, then the close. Refusals in
                            // flight are bounded too; past that, the close alone.
                            None => {
                                if let Ok(permit) = Arc::clone(&refusals).try_acquire_owned() {
                                    sessions.spawn(async move {
                                        session::refuse(wire).await;
                                        drop(permit);
                                    });
                                }
                            }
                        }
                    }
                    Err(_) => tokio::time::sleep(ACCEPT_BACKOFF).await,
                },
                accepted = accept_on(ws_listener.as_ref()) => match accepted {
                    Ok((stream, peer)) => {
                        let admission = admit(&pending, &mut overflow, shared.config.max_pending);
                        let refusal = match admission {
                            Some(_) => None,
                            None => match Arc::clone(&refusals).try_acquire_owned() {
                                Ok(permit) => Some(permit),
                                Err(_) => continue,
                            },
                        };
                        let shared = Arc::clone(&shared);
                        let origins = Arc::clone(&origins);
                        sessions.spawn(async move {
                            let (timeout, max) = (shared.config.auth_timeout, shared.config.max_frame_len);
                            let opening = tokio::time::timeout(timeout, websocket::open(stream, origins, max)).await;
                            let Ok(Some(wire)) = opening else { return };
                            match admission {
                                Some(admission) => session::run(shared, wire, peer, admission).await,
                                None => session::refuse(wire).await,
                            }
                            drop(refusal);
                        });
                    }
                    Err(_) => tokio::time::sleep(ACCEPT_BACKOFF).await,
                },
                _ = control.changed() => {}
                Some(_) = sessions.join_next(), if !sessions.is_empty() => {}
            }
        }
        drop(listener);
        drop(ws_listener);
        let _ = tokio::time::timeout(SHUTDOWN_GRACE, async { while sessions.join_next().await.is_some() {} })
            .await;
    }
}

/// Binds `addr` with an accept queue of 4,096 (the kernel caps it at `somaxconn`).
/// `TcpListener::bind` asks for 128: a flood of silent connections overflows that, the
/// kernel drops the SYN of an application connecting meanwhile, and the application's
/// retry comes a second later.
fn bind(addr: SocketAddr) -> std::io::Result<TcpListener> {
    let socket = if addr.is_ipv4() { TcpSocket::new_v4()? } else { TcpSocket::new_v6()? };
    #[cfg(not(windows))]
    socket.set_reuseaddr(true)?;
    socket.bind(addr)?;
    socket.listen(4096)
}

/// The next connection on `listener`, or never without one.
async fn accept_on(listener: Option<&TcpListener>) -> std::io::Result<(TcpStream, SocketAddr)> {
    match listener {
        Some(listener) => listener.accept().await,
        None => std::future::pending().await,
    }
}

/// How a new connection is admitted: within the unauthenticated budget, or over it into the
/// overflow window (token only), where it takes the place of the oldest waiter when the
/// window is full; with no budget at all, not at all.
///
/// Evicting the oldest rather than refusing the newest means silent connections cannot fill
/// the window for long: an application that sends its `auth` at once is read before
/// `max_pending` newer connections push it out.
fn admit(
    pending: &Arc<Semaphore>,
    overflow: &mut VecDeque<Weak<Notify>>,
    max_pending: usize,
) -> Option<Admission> {
    if let Ok(permit) = Arc::clone(pending).try_acquire_owned() {
        return Some(Admission { token_only: false, evicted: None, _permit: Some(permit) });
    }
    if max_pending == 0 {
        return None;
    }
    overflow.retain(|waiter| waiter.strong_count() > 0);
    while overflow.len() >= max_pending {
        if let Some(oldest) = overflow.pop_front().and_then(|waiter| waiter.upgrade()) {
            oldest.notify_one();
        }
    }
    let signal = Arc::new(Notify::new());
    overflow.push_back(Arc::downgrade(&signal));
    Some(Admission { token_only: true, evicted: Some(signal), _permit: None })
}

/// Manages a running server; cheap to clone.
#[derive(Clone)]
pub struct ServerHandle {
    shared: Arc<Shared>,
}

impl ServerHandle {
    /// Lets `application` authenticate without asking, for requests within `permissions`
    /// (state `ok`).
    ///
    /// Names are self-declared: this trusts any local program that uses the name.
    pub fn whitelist(&self, application: &str, permissions: Permissions) {
        let mut registry = self.shared.registry();
        registry.whitelist.insert(application.to_owned(), permissions);
        let written = registry.store.set_whitelist(application, Some(permissions));
        registry.stored(written);
    }

    /// Takes `application` off the whitelist; whether it was on it.
    pub fn unwhitelist(&self, application: &str) -> bool {
        let mut registry = self.shared.registry();
        let was = registry.whitelist.remove(application).is_some();
        let written = registry.store.set_whitelist(application, None);
        registry.stored(written);
        was
    }

    /// Refuses `application` from now on, revokes its grants, and disconnects its sessions
    /// with reason `blacklisted`.
    pub fn blacklist(&self, application: &str) {
        self.shared.registry().blacklist(application);
        self.shared.wake_sessions();
    }

    /// Takes `application` off the blacklist; whether it was on it.
    pub fn unblacklist(&self, application: &str) -> bool {
        let mut registry = self.shared.registry();
        let was = registry.blacklist.remove(application);
        let written = registry.store.unblacklist(application);
        registry.stored(written);
        was
    }

    /// Whether `application` is blacklisted.
    pub fn is_blacklisted(&self, application: &str) -> bool {
        self.shared.registry().blacklist.contains(application)
    }

    /// Every grant in force.
    pub fn grants(&self) -> Vec<GrantInfo> {
        self.shared.registry().grants.list()
    }

    /// Revokes grant `id` and disconnects its sessions with reason `revoked`; whether it existed.
    pub fn revoke(&self, id: GrantId) -> bool {
        let revoked = {
            let mut registry = self.shared.registry();
            let revoked = registry.grants.revoke(id);
            let written = registry.store.remove_grant(id);
            registry.stored(written);
            revoked
        };
        if revoked {
            self.shared.wake_sessions();
        }
        revoked
    }

    /// The last write to the grant store that failed, if any. The change it carried holds
    /// in memory, but will not survive a restart.
    pub fn store_error(&self) -> Option<String> {
        self.shared.registry().store_error.clone()
    }

    /// Every authenticated session.
    pub fn sessions(&self) -> Vec<SessionInfo> {
        self.shared.registry().sessions.values().cloned().collect()
    }

    /// Stops accepting, and disconnects every session with `reason`.
    pub fn shutdown(&self, reason: DisconnectReason) {
        self.shared.registry().shutdown.get_or_insert(reason);
        self.shared.wake_sessions();
    }
}
