//! The server: its configuration, the approval callback, the listener, and the handle a host
//! uses to whitelist, blacklist, revoke and shut down.

use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::future::Future;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError, Weak};
use std::time::Duration;

use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Notify, Semaphore, watch};
use tokio::task::JoinSet;

use crate::auth::Scope;
use crate::auth::{GrantId, GrantInfo, GrantStore, IssueError, Token};
use crate::frame::DEFAULT_MAX_FRAME_LEN;
use crate::message::{DisconnectReason, MAX_NOTIFICATION_CHARS};
use crate::permission::Permissions;
use crate::session::{self, Admission, TcpWire};
use crate::source::StateSource;
use crate::store::{MemoryStore, Store, StoreError};
use crate::websocket;

/// The port the server listens on unless told otherwise.
pub const DEFAULT_PORT: u16 = 13381;

/// How long [`ApiServer::serve`] waits for sessions to say goodbye after a shutdown.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(2);
/// How long the accept loop pauses after an accept error (out of file descriptors...).
const ACCEPT_BACKOFF: Duration = Duration::from_millis(50);
/// Refused connections being answered at once; beyond it they are closed without a word.
const MAX_REFUSALS: usize = 16;

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
    /// `too_many_connections` at once. Default 1 s.
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

/// What the player is asked to approve.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApprovalRequest {
    /// The application's self-declared name.
    pub application: String,
    /// Its self-declared description.
    pub description: String,
    /// The permissions it asks for.
    pub permissions: Permissions,
    /// The scope it asks for.
    pub scope: Scope,
    /// The player the grant would be bound to (scope `user`).
    pub username: Option<String>,
    /// Where it connects from.
    pub peer: SocketAddr,
}

/// The player's answer to an [`ApprovalRequest`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Approval {
    /// Allow it: the application gets a token (`whitelisted`).
    Approve,
    /// Refuse it this time (`denied`).
    Deny,
    /// The player cannot answer now, for example while playing (`invalid_state`).
    Busy,
    /// Refuse it for good: the name is blacklisted (`blacklisted`).
    Blacklist,
}

/// The host's approval callback: asks the player, and answers asynchronously.
///
/// Any `Fn(ApprovalRequest) -> impl Future<Output = Approval>` closure is one. The server
/// stops waiting after [`ServerConfig::approval_timeout`] and drops the future.
pub trait Approver: Send + Sync + 'static {
    /// Asks the player about `request`.
    fn approve(&self, request: ApprovalRequest) -> Pin<Box<dyn Future<Output = Approval> + Send + 'static>>;
}

impl<F, Fut> Approver for F
where
    F: Fn(ApprovalRequest) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Approval> + Send + 'static,
{
    fn approve(&self, request: ApprovalRequest) -> Pin<Box<dyn Future<Output = Approval> + Send + 'static>> {
        Box::pin(self(request))
    }
}

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

/// Names one authenticated connection.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SessionId(pub u64);

/// An authenticated connection, as a host lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SessionInfo {
    /// The session's id.
    pub id: SessionId,
    /// The application's self-declared name.
    pub application: String,
    /// The permissions the session holds.
    pub permissions: Permissions,
    /// The grant it authenticated with.
    pub grant: GrantId,
    /// Where it connects from.
    pub peer: SocketAddr,
}

/// What every session and the handle share.
pub(crate) struct Shared {
    pub(crate) config: ServerConfig,
    pub(crate) source: Arc<dyn StateSource>,
    pub(crate) approver: Box<dyn Approver>,
    registry: Mutex<Registry>,
    /// The budget of authenticated sessions.
    pub(crate) sessions: Arc<Semaphore>,
    /// Bumped whenever a session may have to go: a revoke, a blacklisting, a shutdown.
    control: watch::Sender<u64>,
}

/// The server's mutable records; never locked across an await. Every change to grants,
/// whitelist and blacklist is written through to the [`Store`].
pub(crate) struct Registry {
    pub(crate) grants: GrantStore,
    pub(crate) whitelist: HashMap<String, Permissions>,
    pub(crate) blacklist: HashSet<String>,
    pub(crate) shutdown: Option<DisconnectReason>,
    sessions: BTreeMap<SessionId, SessionInfo>,
    next_session: u64,
    store: Arc<dyn Store>,
    store_error: Option<String>,
}

impl Registry {
    fn load(store: Arc<dyn Store>) -> Result<Self, StoreError> {
        let stored = store.load()?;
        Ok(Self {
            grants: GrantStore::from_stored(stored.grants, stored.last_grant_id),
            whitelist: stored.whitelist.into_iter().collect(),
            blacklist: stored.blacklist.into_iter().collect(),
            shutdown: None,
            sessions: BTreeMap::new(),
            next_session: 0,
            store,
            store_error: None,
        })
    }

    /// Remembers a failed write; memory keeps the change.
    fn stored(&mut self, written: Result<(), StoreError>) {
        if let Err(error) = written {
            self.store_error = Some(error.to_string());
        }
    }

    /// Blacklists `application`: its grants go and its whitelisting with them.
    pub(crate) fn blacklist(&mut self, application: &str) {
        self.blacklist.insert(application.to_owned());
        self.whitelist.remove(application);
        self.grants.revoke_application(application);
        let written = self.store.blacklist(application);
        self.stored(written);
    }

    /// Issues a grant, replacing `replacing`, in memory and in the store: both or neither.
    pub(crate) fn issue(
        &mut self,
        application: &str,
        scope: Scope,
        username: Option<&str>,
        permissions: Permissions,
        replacing: Option<GrantId>,
    ) -> Result<(GrantId, Token), IssueError> {
        let (id, token) = self.grants.issue(application, scope, username, permissions)?;
        let record = self.grants.stored(id).expect("the grant just issued");
        if let Err(error) = self.store.put_grant(&record, replacing) {
            self.grants.revoke(id);
            self.store_error = Some(error.to_string());
            return Err(IssueError::Store(error.to_string()));
        }
        if let Some(old) = replacing {
            self.grants.revoke(old);
        }
        Ok((id, token))
    }

    /// Why a session of `application` on `grant` must end now, if it must.
    pub(crate) fn disconnect_reason(&self, application: &str, grant: GrantId) -> Option<DisconnectReason> {
        if let Some(reason) = self.shutdown {
            Some(reason)
        } else if self.blacklist.contains(application) {
            Some(DisconnectReason::Blacklisted)
        } else if !self.grants.contains(grant) {
            Some(DisconnectReason::Revoked)
        } else {
            None
        }
    }
}

impl Shared {
    pub(crate) fn registry(&self) -> MutexGuard<'_, Registry> {
        self.registry.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub(crate) fn control(&self) -> watch::Receiver<u64> {
        self.control.subscribe()
    }

    pub(crate) fn wake_sessions(&self) {
        self.control.send_modify(|generation| *generation = generation.wrapping_add(1));
    }

    /// Records a newly authenticated session; the guard forgets it when dropped.
    pub(crate) fn register(self: &Arc<Self>, info: impl FnOnce(SessionId) -> SessionInfo) -> SessionGuard {
        let mut registry = self.registry();
        registry.next_session += 1;
        let id = SessionId(registry.next_session);
        registry.sessions.insert(id, info(id));
        SessionGuard { shared: Arc::clone(self), id }
    }
}

/// Removes a session from the registry when the session ends, however it ends.
pub(crate) struct SessionGuard {
    shared: Arc<Shared>,
    id: SessionId,
}

impl Drop for SessionGuard {
    fn drop(&mut self) {
        self.shared.registry().sessions.remove(&self.id);
    }
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
        let listener = TcpListener::bind(addr).await.map_err(|source| ServerError::Bind { addr, source })?;
        let local_addr = listener.local_addr().map_err(|source| ServerError::Bind { addr, source })?;
        let (ws_listener, ws_local_addr) = match config.ws_listen {
            Some(addr) => {
                if !addr.ip().is_loopback() && !config.allow_non_loopback {
                    return Err(ServerError::NonLoopback(addr));
                }
                let listener =
                    TcpListener::bind(addr).await.map_err(|source| ServerError::Bind { addr, source })?;
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
