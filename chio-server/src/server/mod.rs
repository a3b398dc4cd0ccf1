//! A bancho server composed of the crate's parts: TCP and HTTP transports, the login
//! flow, sessions, and the [blocks](crate::blocks) in one [`World`].
//!
//! A [`Server`] is a cheap handle (an `Arc`). Serve TCP with [`Server::serve_tcp`], HTTP
//! with [`Server::serve_http`] (or mount [`Server::http_router`] in a larger axum app), and
//! stop with [`Server::shutdown`]. Game logic plugs in through [`Hooks`]; the blocks'
//! state is in [`Server::world`].
//!
//! # Concurrency
//!
//! Each TCP connection is one task (plus a writer task draining its outbox); each HTTP
//! request is handled where axum runs it. All game state is in one [`World`] behind one
//! mutex, taken once per batch of packets read and never held across an `.await`: a
//! packet's handling is a few microseconds of map updates and encodings, and one lock
//! makes the blocks' interplay (a match creating a channel) free of lock-order bugs.
//! Password checks and storage reads at login run on blocking threads, outside the lock.
//!
//! # What a misbehaving client costs others
//!
//! Nothing beyond its own bounds: a login is bounded in size and time, a frame in length
//! before it is buffered, a connection in packet rate ([`PacketRate`]), an outbox in bytes
//! and frames (a client that does not read is dropped when its outbox overflows, or when
//! a write stalls for [`ServerConfig::write_timeout`]). A payload that does not decode is
//! skipped and counted; a frame header that cannot be read ends that connection.

mod budget;
mod config;
mod hooks;
mod poll;
mod tcp;
mod world;

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Instant;

use bytes::{Bytes, BytesMut};
use chio_packets::Context;
use chio_packets::build::{NEWEST_BUILD, OLDEST_BUILD};
use chio_packets::events::{LoginResult, ServerEvent};
use chio_packets::frame::FrameWriter;
use chio_packets::types::LoginError;
use tokio::net::TcpListener;
use tokio::sync::watch;

pub use config::{BotConfig, PacketRate, ServerConfig, standard_channels};
pub use hooks::{Flow, Hooks, NoHooks};
pub use world::World;

use crate::layout::encode_event;
use crate::login::{Authenticator, StorageAuthenticator};
use crate::outbox::Outbox;
use crate::registry::{InProcessRegistry, Registry, Session, SessionHandle};
use crate::session::{SessionId, SessionIds};
use crate::storage::{Storage, StorageError};
use crate::tcp_login::OwnedLogin;
use crate::throttle::Throttle;

/// Counters of what the server has seen, for operators and load tests.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ServerStats {
    /// Logins accepted.
    pub logins: u64,
    /// Logins refused (bad version, credentials, or a login that did not parse or end).
    pub refused: u64,
    /// Client packets handled.
    pub packets: u64,
    /// Client payloads that did not decode (skipped).
    pub bad_packets: u64,
    /// Sessions ended for cause: a flood, an unreadable stream, an overflowing outbox, a
    /// stalled write, or idleness.
    pub dropped: u64,
}

#[derive(Debug, Default)]
struct Counters {
    logins: AtomicU64,
    refused: AtomicU64,
    packets: AtomicU64,
    bad_packets: AtomicU64,
    dropped: AtomicU64,
}

impl Counters {
    fn add(counter: &AtomicU64, n: u64) {
        counter.fetch_add(n, Ordering::Relaxed);
    }
}

struct Shared {
    config: ServerConfig,
    storage: Arc<dyn Storage>,
    auth: Arc<dyn Authenticator>,
    hooks: Arc<dyn Hooks>,
    registry: Arc<dyn Registry>,
    ids: SessionIds,
    world: Mutex<World>,
    counters: Counters,
    shutdown: watch::Sender<bool>,
    /// HTTP sessions: when each last polled, and its packet allowance.
    polling: Mutex<HashMap<SessionId, poll::Polling>>,
    /// Whether the timer task runs (started by the first serve call).
    ticking: std::sync::atomic::AtomicBool,
    /// Woken when a session ends with its `UserQuit` left for the timer task, which sends
    /// the departures once they stop coming ([`QUITS_SETTLE`]).
    quits: tokio::sync::Notify,
    /// Failed logins per name and address.
    throttle: Mutex<Throttle>,
    /// Turns for password checks ([`ServerConfig::concurrent_logins`]).
    login_turns: tokio::sync::Semaphore,
}

/// How a [`Server`] is put together; from [`Server::builder`].
pub struct ServerBuilder {
    config: ServerConfig,
    storage: Arc<dyn Storage>,
    auth: Option<Arc<dyn Authenticator>>,
    open_registration: bool,
    hooks: Arc<dyn Hooks>,
    registry: Arc<dyn Registry>,
}

impl std::fmt::Debug for ServerBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServerBuilder").field("config", &self.config).finish_non_exhaustive()
    }
}

impl ServerBuilder {
    /// Checks logins with `auth` instead of the storage.
    pub fn authenticator(mut self, auth: impl Authenticator) -> Self {
        self.auth = Some(Arc::new(auth));
        self
    }

    /// With the storage's authenticator: whether an unknown name logs in and is
    /// registered with the password it sent (off by default).
    pub fn open_registration(mut self, open: bool) -> Self {
        self.open_registration = open;
        self
    }

    /// The game logic.
    pub fn hooks(mut self, hooks: impl Hooks) -> Self {
        self.hooks = Arc::new(hooks);
        self
    }

    /// Keeps sessions in `registry` instead of the in-process default (the seam for a
    /// registry shared by several processes).
    pub fn registry(mut self, registry: impl Registry + 'static) -> Self {
        self.registry = Arc::new(registry);
        self
    }

    /// The server. Registers the bot's system account if there is a bot.
    ///
    /// # Errors
    ///
    /// A storage error registering the bot.
    pub fn build(self) -> Result<Server, StorageError> {
        let Self { config, storage, auth, open_registration, hooks, registry } = self;
        if let Some(bot) = &config.bot {
            storage.register_system(bot.id, &bot.name)?;
        }
        let auth = auth
            .unwrap_or_else(|| Arc::new(StorageAuthenticator::new(Arc::clone(&storage), open_registration)));
        let world = World::new(&config);
        let config_throttle = config.throttle;
        let config_logins = config.concurrent_logins;
        let (shutdown, _) = watch::channel(false);
        let shared = Shared {
            config,
            storage,
            auth,
            hooks,
            registry,
            ids: SessionIds::new(),
            world: Mutex::new(world),
            counters: Counters::default(),
            shutdown,
            polling: Mutex::new(HashMap::new()),
            ticking: std::sync::atomic::AtomicBool::new(false),
            quits: tokio::sync::Notify::new(),
            throttle: Mutex::new(Throttle::new(config_throttle)),
            login_turns: tokio::sync::Semaphore::new(config_logins.max(1)),
        };
        Ok(Server { shared: Arc::new(shared) })
    }
}

/// A bancho server; see the [module documentation](self).
///
/// ```no_run
/// use std::sync::Arc;
/// use chio_server::server::{Server, ServerConfig};
/// use chio_server::storage::{PasswordPolicy, SqliteStorage};
///
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// let storage = Arc::new(SqliteStorage::open("bancho.db", PasswordPolicy::default())?);
/// let server = Server::builder(ServerConfig::default(), storage).open_registration(true).build()?;
/// let tcp = chio_server::listen::bind("127.0.0.1:13381".parse()?)?;
/// let http = chio_server::listen::bind("127.0.0.1:8080".parse()?)?;
/// tokio::try_join!(server.serve_tcp(tcp), server.serve_http(http))?;
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Server {
    shared: Arc<Shared>,
}

impl std::fmt::Debug for Server {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Server").field("sessions", &self.shared.registry.len()).finish_non_exhaustive()
    }
}

impl Server {
    /// A server over `storage`, authenticating against it (registration closed), with no
    /// hooks and the in-process registry; [`builder`](Self::builder) sets the rest.
    ///
    /// # Errors
    ///
    /// A storage error registering the bot's system account.
    pub fn new(config: ServerConfig, storage: Arc<dyn Storage>) -> Result<Self, StorageError> {
        Self::builder(config, storage).build()
    }

    /// A builder for a server over `storage`, to set its authenticator, hooks and
    /// registry.
    pub fn builder(config: ServerConfig, storage: Arc<dyn Storage>) -> ServerBuilder {
        ServerBuilder {
            config,
            storage,
            auth: None,
            open_registration: false,
            hooks: Arc::new(NoHooks),
            registry: Arc::new(InProcessRegistry::new()),
        }
    }

    /// The game state, locked. Hold it briefly and never across an `.await`.
    pub fn world(&self) -> MutexGuard<'_, World> {
        self.shared.world()
    }

    /// The sessions online.
    pub fn registry(&self) -> &dyn Registry {
        &*self.shared.registry
    }

    /// The storage the server was made with.
    pub fn storage(&self) -> &Arc<dyn Storage> {
        &self.shared.storage
    }

    /// What the server has counted so far.
    pub fn stats(&self) -> ServerStats {
        let c = &self.shared.counters;
        ServerStats {
            logins: c.logins.load(Ordering::Relaxed),
            refused: c.refused.load(Ordering::Relaxed),
            packets: c.packets.load(Ordering::Relaxed),
            bad_packets: c.bad_packets.load(Ordering::Relaxed),
            dropped: c.dropped.load(Ordering::Relaxed),
        }
    }

    /// Accepts TCP clients on `listener` until [`shutdown`](Self::shutdown).
    ///
    /// # Errors
    ///
    /// Never for a client's fault; only if accepting itself fails for good.
    pub async fn serve_tcp(&self, listener: TcpListener) -> std::io::Result<()> {
        self.shared.start_ticking();
        tcp::serve(Arc::clone(&self.shared), listener).await
    }

    /// The HTTP front door (logins and polls) as an axum router, to mount in a larger
    /// app; call [`sweep_http`](Self::sweep_http) periodically then, as
    /// [`serve_http`](Self::serve_http) does.
    pub fn http_router(&self) -> axum::Router {
        poll::router(Arc::clone(&self.shared))
    }

    /// Serves HTTP clients on `listener` until [`shutdown`](Self::shutdown), sweeping out
    /// sessions that stop polling.
    ///
    /// # Errors
    ///
    /// If serving fails for good.
    pub async fn serve_http(&self, listener: TcpListener) -> std::io::Result<()> {
        self.shared.start_ticking();
        poll::serve(Arc::clone(&self.shared), listener).await
    }

    /// Ends HTTP sessions that have stopped polling (past their build's idle timeout).
    pub fn sweep_http(&self) {
        self.shared.sweep_http();
    }

    /// Stops the server: every client is told to reconnect after
    /// [`ServerConfig::restart_delay_ms`], TCP connections end once their outbox is
    /// written, and the serve futures return.
    pub fn shutdown(&self) {
        let shared = &self.shared;
        {
            let mut world = shared.world();
            let sessions = shared.registry.sessions();
            let restart = ServerEvent::Restart { retry_after_ms: shared.config.restart_delay_ms };
            world.mail.send_all(&sessions, &restart, &[]);
        }
        for session in shared.registry.sessions() {
            session.outbox().close();
        }
        shared.shutdown.send_replace(true);
    }

    /// Shows `text` to every client as an announcement.
    pub fn announce(&self, text: &str) {
        let closed = {
            let mut world = self.shared.world();
            let sessions = self.shared.registry.sessions();
            crate::blocks::chat::announce(&mut world.mail, &sessions, text);
            world.mail.take_closed()
        };
        self.shared.end_all(closed);
    }

    /// Silences a user for `seconds` (0 or less lifts it): their clients are told, and so is
    /// everyone else (`UserSilenced`); their messages are refused until it ends.
    pub fn silence(&self, user_id: i32, seconds: i32) {
        let closed = {
            let mut guard = self.shared.world();
            let world = &mut *guard;
            world.chat.silence(
                &mut world.mail,
                &*self.shared.registry,
                user_id,
                seconds,
                std::time::Instant::now(),
            );
            world.mail.take_closed()
        };
        self.shared.end_all(closed);
    }

    /// Ends a session now (a kick): it is logged out and its connection closes once what
    /// is queued is written.
    pub fn kick(&self, id: SessionId) -> bool {
        self.shared.end(id)
    }
}

impl Shared {
    fn world(&self) -> MutexGuard<'_, World> {
        // A panic while the world was locked is a bug already reported; the state itself
        // is maps that stay consistent per call, so keep serving.
        self.world.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The frames that refuse a login, for the client's build as far as it is known.
    fn refusal(build: u32, error: LoginError) -> Bytes {
        let ctx = Context::new(build.clamp(OLDEST_BUILD, NEWEST_BUILD));
        let mut buf = BytesMut::new();
        let mut events = vec![ServerEvent::ProtocolNegotiation(None)];
        if error == LoginError::InvalidVersion {
            events.push(ServerEvent::VersionUpdate);
        }
        events.push(ServerEvent::LoginReply(LoginResult::Error(error)));
        for event in &events {
            // Every build can carry these; one that could not gets the rest.
            let _ = encode_event(event, ctx, &mut buf, &mut FrameWriter::new());
        }
        buf.freeze()
    }

    fn throttle(&self) -> MutexGuard<'_, Throttle> {
        self.throttle.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The frames that refuse a throttled login: when to retry, then `LoginReply(-1)`.
    fn throttled(build: u32, wait: std::time::Duration) -> Bytes {
        let ctx = Context::new(build.clamp(OLDEST_BUILD, NEWEST_BUILD));
        let mut buf = BytesMut::new();
        let text = format!("Too many failed logins: try again in {} s.", wait.as_secs().max(1));
        for event in [
            ServerEvent::Announce(text.into()),
            ServerEvent::LoginReply(LoginResult::Error(LoginError::InvalidLogin)),
        ] {
            let _ = encode_event(&event, ctx, &mut buf, &mut FrameWriter::new());
        }
        buf.freeze()
    }

    /// Logs a client in: version, credentials, session, login burst. On success the
    /// session is registered with its burst queued; on refusal the bytes to send before
    /// closing.
    async fn admit(
        self: &Arc<Self>,
        login: OwnedLogin,
        token: Option<String>,
        peer: Option<IpAddr>,
    ) -> Result<SessionHandle, Bytes> {
        let build = login.version.build;
        let refuse = |error| {
            Counters::add(&self.counters.refused, 1);
            Self::refusal(build, error)
        };
        let ctx = self.config.versions.resolve(&login.version).map_err(refuse)?;
        let name = login.username.clone();
        if let Err(wait) = self.throttle().check(&name, peer, Instant::now()) {
            Counters::add(&self.counters.refused, 1);
            return Err(Self::throttled(build, wait));
        }
        // The semaphore is never closed, so acquiring only waits.
        let Ok(_turn) = self.login_turns.acquire().await else {
            return Err(refuse(LoginError::ServerError));
        };
        let shared = Arc::clone(self);
        let checked = tokio::task::spawn_blocking(move || {
            let account = shared.auth.authenticate(&login)?;
            let friends = shared.storage.friends(account.id).map_err(|_| LoginError::ServerError)?;
            Ok::<_, LoginError>((login, account, friends))
        })
        .await;
        let (login, account, friends) = match checked {
            Ok(Ok(checked)) => checked,
            Ok(Err(error)) => {
                if error == LoginError::InvalidLogin {
                    self.throttle().failed(&name, peer, Instant::now());
                }
                return Err(refuse(error));
            }
            Err(_) => return Err(refuse(LoginError::ServerError)),
        };
        self.throttle().succeeded(&name);
        let session = SessionHandle::new(Session {
            id: self.ids.next(),
            user_id: account.id,
            name: account.name.clone(),
            token,
            ctx,
            outbox: Outbox::new(self.config.outbox),
            tournament: login.version.stream == chio_packets::login::version::ReleaseStream::Tourney,
        });
        let closed = {
            let mut world = self.world();
            let inserted = self.registry.insert(session.clone());
            for old in &inserted.replaced {
                world.replaced(&*self.registry, old);
            }
            world.login(&*self.hooks, &session, &account, &login, friends);
            world.mail.take_closed()
        };
        self.end_all(closed);
        Counters::add(&self.counters.logins, 1);
        Ok(session)
    }

    /// Ends the session `id` if it is still registered: logs it out of every block and
    /// closes its outbox (what is queued is still written). Whether it was registered.
    fn end(&self, id: SessionId) -> bool {
        let Some(session) = self.registry.remove(id) else { return false };
        let closed = {
            let mut world = self.world();
            self.logout(&mut world, &session);
            world.mail.take_closed()
        };
        session.outbox().close();
        self.end_all(closed);
        true
    }

    /// Logs a session out; when the world batches departures, wakes the timer task that
    /// tells them once they stop coming.
    fn logout(&self, world: &mut World, session: &SessionHandle) {
        world.logout(&*self.registry, session);
        if world.presences.has_quits() {
            self.quits.notify_one();
        }
    }

    /// Ends the sessions a send found closed (their outbox overflowed).
    fn end_all(&self, ids: Vec<SessionId>) {
        // Ending one may find others closed; a worklist keeps this iterative.
        let mut work = ids;
        while let Some(id) = work.pop() {
            let Some(session) = self.registry.remove(id) else { continue };
            Counters::add(&self.counters.dropped, 1);
            let mut world = self.world();
            self.logout(&mut world, &session);
            work.extend(world.mail.take_closed());
            drop(world);
            session.outbox().close();
        }
    }

    /// Starts the task that runs the world's timers once a second, once.
    fn start_ticking(self: &Arc<Self>) {
        if self.ticking.swap(true, Ordering::Relaxed) {
            return;
        }
        self.world().batched = true;
        let shared = Arc::clone(self);
        tokio::spawn(async move {
            let mut shutdown = shared.shutdown_signal();
            let mut tick = tokio::time::interval(std::time::Duration::from_secs(1));
            let mut stats = tokio::time::interval(STATS_EVERY);
            stats.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tokio::select! {
                    _ = stats.tick() => {
                        let closed = {
                            let mut world = shared.world();
                            if !world.presences.has_stats_due() {
                                continue;
                            }
                            world.flush_stats();
                            world.mail.take_closed()
                        };
                        shared.end_all(closed);
                    }
                    _ = tick.tick() => {
                        let closed = {
                            let mut world = shared.world();
                            world.tick(std::time::Instant::now());
                            world.mail.take_closed()
                        };
                        shared.end_all(closed);
                    }
                    () = shared.quits.notified() => {
                        // Wait for the departures to stop (at most QUITS_MAX_WAIT), then
                        // tell the sessions still online about all of them at once.
                        let first = tokio::time::Instant::now();
                        while first.elapsed() < QUITS_MAX_WAIT
                            && tokio::time::timeout(QUITS_SETTLE, shared.quits.notified()).await.is_ok()
                        {}
                        let closed = {
                            let mut world = shared.world();
                            world.flush_quits();
                            world.mail.take_closed()
                        };
                        shared.end_all(closed);
                    }
                    () = stopped(&mut shutdown) => return,
                }
            }
        });
    }

    fn shutdown_signal(&self) -> watch::Receiver<bool> {
        self.shutdown.subscribe()
    }
}

/// How often the status changes of the users are pushed to the builds that need them
/// (see `Presences::status_later`): the most a status push waits.
const STATS_EVERY: std::time::Duration = std::time::Duration::from_millis(50);

/// How long no session may end before the departures are told (see `Shared::quits`).
const QUITS_SETTLE: std::time::Duration = std::time::Duration::from_millis(50);

/// The longest a departure waits to be told, however many follow it.
const QUITS_MAX_WAIT: std::time::Duration = std::time::Duration::from_secs(1);

/// Resolves once the server is shut down. (The guard `wait_for` returns is dropped here,
/// so the futures awaiting this stay `Send`.)
async fn stopped(shutdown: &mut watch::Receiver<bool>) {
    let _ = shutdown.wait_for(|stopped| *stopped).await;
}

/// Where a server binds by default: loopback only.
pub const DEFAULT_TCP_ADDR: SocketAddr =
    SocketAddr::new(std::net::IpAddr::V4(std::net::Ipv4Addr::LOCALHOST), 13381);

/// Where a server's HTTP side binds by default: loopback only.
pub const DEFAULT_HTTP_ADDR: SocketAddr =
    SocketAddr::new(std::net::IpAddr::V4(std::net::Ipv4Addr::LOCALHOST), 8080);
