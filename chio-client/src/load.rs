//! A load generator on headless clients: many logins spread over client builds (and so
//! over both transports), ramped, with a bounded number in flight; then chat in `#osu`
//! (or in groups, one channel each: [`LoadConfig::channels`]), status changes and, for a
//! fraction of the clients, spectating, at a per-client rate.
//!
//! Chat messages carry their send time and sender (`chio-load <sender> <micros>`); a
//! sampled subset of the receivers measures the delivery latency from them. Sampled HTTP
//! receivers poll every [`LoadConfig::sample_poll_interval`] (fast), so that their
//! figures measure the server rather than the poll interval; the others poll every
//! [`LoadConfig::poll_interval`] (realistic).
//!
//! Everything runs on the caller's tokio runtime, one task per client, without history.
//!
//! ```no_run
//! use std::time::Duration;
//! use chio_client::load::{LoadConfig, run};
//!
//! # async fn go() {
//! let mut config = LoadConfig::new(100, vec![20121224, 20250306]);
//! config.tcp = Some("127.0.0.1:13381".parse().unwrap());
//! config.http = Some("http://127.0.0.1:8080".to_owned());
//! config.duration = Duration::from_secs(10);
//! let report = run(config).await;
//! println!("{} logins, {} errors", report.logged_in, report.errors);
//! # }
//! ```

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chio_packets::events::client::ClientEvent;
use chio_packets::events::{Activity, ChatMessage};
use chio_packets::types::Status;
use chio_packets::{Packet, ServerPacket};
use tokio::sync::{Semaphore, watch};

use crate::{Client, ClientConfig, ClientError, PacketFilter, Transport};

/// What a chat message of the load starts with.
pub const MESSAGE_PREFIX: &str = "chio-load ";

/// The channel chatted in when [`LoadConfig::channels`] is empty (every client is in it
/// from its login).
pub const CHANNEL: &str = "#osu";

/// How many error messages a report keeps (the count goes on).
const KEPT_ERRORS: usize = 20;

/// What to run.
#[derive(Clone, Debug)]
pub struct LoadConfig {
    /// The server's TCP address, for TCP builds.
    pub tcp: Option<SocketAddr>,
    /// The server's base URL, for HTTP builds.
    pub http: Option<String>,
    /// How many clients log in.
    pub clients: usize,
    /// The builds, used in turn (client `i` is `builds[i % len]`).
    pub builds: Vec<u32>,
    /// Logins are spread over this time (client `i` starts at `ramp * i / clients`).
    pub ramp: Duration,
    /// Most logins in flight at once.
    pub max_logins_in_flight: usize,
    /// How long the clients act once every login is done.
    pub duration: Duration,
    /// Actions (a chat message, or one time in four a status change) per client per
    /// second.
    pub rate: f64,
    /// The fraction of the clients (0 to 1) that spectate another client.
    pub spectate_fraction: f64,
    /// How many clients measure the chat latency (spread over the builds).
    pub latency_samplers: usize,
    /// The HTTP poll interval of most clients.
    pub poll_interval: Duration,
    /// The HTTP poll interval of the clients measuring latency.
    pub sample_poll_interval: Duration,
    /// How long a login may take.
    pub login_timeout: Duration,
    /// Usernames are this followed by the client's number; passwords are the username.
    pub name_prefix: String,
    /// The server's process, whose resident memory is read from `/proc` (Linux) at the
    /// start, after the logins and at the end.
    pub server_pid: Option<u32>,
    /// Chat groups. Empty (the default): everyone chats in [`CHANNEL`], so every message
    /// goes to every client. Otherwise client `i` joins `channels[i % len]` after its login
    /// and chats there; a build without channel joins (before b452) sends its messages
    /// privately to client `i + len` of the same group instead. The server must list the
    /// channels (`chio serve --channel`).
    pub channels: Vec<String>,
}

impl LoadConfig {
    /// `clients` clients of `builds`, with defaults: no server set, 1 action per client
    /// every 20 s, 10 s of activity, no ramp, 64 logins in flight, 1 s polls (20 ms for
    /// the 32 latency samplers), no spectators.
    pub fn new(clients: usize, builds: Vec<u32>) -> Self {
        Self {
            tcp: None,
            http: None,
            clients,
            builds,
            ramp: Duration::ZERO,
            max_logins_in_flight: 64,
            duration: Duration::from_secs(10),
            rate: 0.05,
            spectate_fraction: 0.0,
            latency_samplers: 32,
            poll_interval: Duration::from_secs(1),
            sample_poll_interval: Duration::from_millis(20),
            login_timeout: Duration::from_secs(60),
            name_prefix: "load".to_owned(),
            server_pid: None,
            channels: Vec::new(),
        }
    }
}

/// Latency figures, in milliseconds.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Latency {
    /// How many deliveries were measured.
    pub samples: usize,
    /// The median.
    pub p50_ms: f64,
    /// The 99th percentile.
    pub p99_ms: f64,
    /// The largest.
    pub max_ms: f64,
}

impl Latency {
    /// The figures of `micros` (unsorted), `None` when empty.
    pub fn of(mut micros: Vec<u64>) -> Option<Self> {
        if micros.is_empty() {
            return None;
        }
        micros.sort_unstable();
        let at = |p: usize| micros[(micros.len() - 1) * p / 100] as f64 / 1000.0;
        Some(Self { samples: micros.len(), p50_ms: at(50), p99_ms: at(99), max_ms: at(100) })
    }
}

/// The server's resident memory, in bytes, at three points.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Memory {
    /// Before the first login.
    pub start: Option<u64>,
    /// Once every login is done.
    pub after_logins: Option<u64>,
    /// At the end of the activity (before the logouts).
    pub end: Option<u64>,
}

impl Memory {
    /// `(after_logins - start) / sessions`: what an idle session costs the server.
    pub fn per_session(&self, sessions: usize) -> Option<u64> {
        let (start, after) = (self.start?, self.after_logins?);
        (sessions > 0).then(|| after.saturating_sub(start) / sessions as u64)
    }
}

/// What a run measured.
#[derive(Clone, Debug, Default)]
pub struct LoadReport {
    /// Clients started.
    pub clients: usize,
    /// Logins accepted.
    pub logged_in: usize,
    /// Logins refused or failed.
    pub login_failures: usize,
    /// From the first login to the last one done.
    pub login_time: Duration,
    /// How long the clients acted.
    pub active_time: Duration,
    /// Errors after the login: failed sends, connections lost, failed logouts.
    pub errors: u64,
    /// The first error messages (logins included).
    pub error_messages: Vec<String>,
    /// Chat messages sent.
    pub messages_sent: u64,
    /// Chat messages of the load received (by every client).
    pub messages_received: u64,
    /// Status changes sent.
    pub statuses_sent: u64,
    /// Clients that started spectating.
    pub spectators: u64,
    /// Chat latency measured by TCP receivers.
    pub latency_tcp: Option<Latency>,
    /// Chat latency measured by HTTP receivers (polling fast).
    pub latency_http: Option<Latency>,
    /// Chat latency over every sampled receiver.
    pub latency: Option<Latency>,
    /// The server's memory, if its pid was given.
    pub memory: Memory,
}

impl LoadReport {
    /// Logins per second over the login phase.
    pub fn logins_per_second(&self) -> f64 {
        let secs = self.login_time.as_secs_f64();
        if secs > 0.0 { self.logged_in as f64 / secs } else { 0.0 }
    }
}

/// The resident memory of process `pid` (`VmRSS` of `/proc/<pid>/status`), in bytes.
pub fn rss_bytes(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|line| line.starts_with("VmRSS:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    Login,
    Active,
    Stop,
}

#[derive(Default)]
struct Counters {
    errors: AtomicU64,
    sent: AtomicU64,
    received: AtomicU64,
    statuses: AtomicU64,
    spectators: AtomicU64,
}

struct Shared {
    config: LoadConfig,
    start: Instant,
    logins: Semaphore,
    counters: Counters,
    logged_in: Mutex<Vec<i32>>,
    login_failures: AtomicU64,
    logins_done: AtomicU64,
    all_logins_done: tokio::sync::Notify,
    latency: [Mutex<Vec<u64>>; 2],
    errors: Mutex<Vec<String>>,
}

impl Shared {
    fn error(&self, message: String) {
        let mut errors = self.errors.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if errors.len() < KEPT_ERRORS {
            errors.push(message);
        }
    }

    fn login_done(&self) {
        if self.logins_done.fetch_add(1, Ordering::AcqRel) + 1 == self.config.clients as u64 {
            self.all_logins_done.notify_one();
        }
    }

    fn micros(&self) -> u64 {
        u64::try_from(self.start.elapsed().as_micros()).unwrap_or(u64::MAX)
    }
}

/// A deterministic spread of numbers (splitmix64).
fn mix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// A fraction in [0, 1) from `x`.
fn unit(x: u64) -> f64 {
    (mix(x) >> 11) as f64 / (1u64 << 53) as f64
}

/// Runs the load: every login, then `duration` of activity, then the logouts.
pub async fn run(config: LoadConfig) -> LoadReport {
    let clients = config.clients;
    let (phase_tx, phase_rx) = watch::channel(Phase::Login);
    let memory_start = config.server_pid.and_then(rss_bytes);
    let shared = Arc::new(Shared {
        logins: Semaphore::new(config.max_logins_in_flight.max(1)),
        config,
        start: Instant::now(),
        counters: Counters::default(),
        logged_in: Mutex::new(Vec::new()),
        login_failures: AtomicU64::new(0),
        logins_done: AtomicU64::new(0),
        all_logins_done: tokio::sync::Notify::new(),
        latency: [Mutex::new(Vec::new()), Mutex::new(Vec::new())],
        errors: Mutex::new(Vec::new()),
    });
    let mut tasks = Vec::with_capacity(clients);
    for index in 0..clients {
        tasks.push(tokio::spawn(client_task(index, Arc::clone(&shared), phase_rx.clone())));
    }
    drop(phase_rx);
    if clients > 0 {
        shared.all_logins_done.notified().await;
    }
    let login_time = shared.start.elapsed();
    let memory_after_logins = shared.config.server_pid.and_then(rss_bytes);
    let _ = phase_tx.send(Phase::Active);
    let active_start = Instant::now();
    tokio::time::sleep(shared.config.duration).await;
    let active_time = active_start.elapsed();
    let memory_end = shared.config.server_pid.and_then(rss_bytes);
    let _ = phase_tx.send(Phase::Stop);
    for task in tasks {
        if let Err(error) = task.await {
            shared.counters.errors.fetch_add(1, Ordering::Relaxed);
            shared.error(format!("a client task failed: {error}"));
        }
    }
    let take = |i: usize| {
        std::mem::take(&mut *shared.latency[i].lock().unwrap_or_else(std::sync::PoisonError::into_inner))
    };
    let (tcp, http) = (take(0), take(1));
    let all: Vec<u64> = tcp.iter().chain(&http).copied().collect();
    let counters = &shared.counters;
    LoadReport {
        clients,
        logged_in: shared.logged_in.lock().map_or(0, |ids| ids.len()),
        login_failures: usize::try_from(shared.login_failures.load(Ordering::Acquire)).unwrap_or(usize::MAX),
        login_time,
        active_time,
        errors: counters.errors.load(Ordering::Acquire),
        error_messages: shared.errors.lock().map(|e| e.clone()).unwrap_or_default(),
        messages_sent: counters.sent.load(Ordering::Acquire),
        messages_received: counters.received.load(Ordering::Acquire),
        statuses_sent: counters.statuses.load(Ordering::Acquire),
        spectators: counters.spectators.load(Ordering::Acquire),
        latency_tcp: Latency::of(tcp),
        latency_http: Latency::of(http),
        latency: Latency::of(all),
        memory: Memory { start: memory_start, after_logins: memory_after_logins, end: memory_end },
    }
}

/// Whether client `index` of `clients` measures latency: every `clients / samplers`-th
/// (so spread over the builds used in turn, unless the counts line up).
fn is_sampler(index: usize, clients: usize, samplers: usize) -> bool {
    samplers > 0 && index.is_multiple_of((clients / samplers).max(1))
}

async fn client_task(index: usize, shared: Arc<Shared>, mut phase: watch::Receiver<Phase>) {
    let config = &shared.config;
    let build = config.builds[index % config.builds.len().max(1)];
    let name = format!("{}{index}", config.name_prefix);
    let sampler = is_sampler(index, config.clients, config.latency_samplers);
    let mut login = ClientConfig::new(build, name.as_str(), name.as_str())
        .with_keep_history(false)
        // Only chat is measured: the presence and statistics of thousands of users are
        // framed and skipped, not decoded, so the load generator leaves the server the CPU.
        .with_filter(PacketFilter::only([chio_packets::chat::BanchoMessage::ID]))
        .with_login_timeout(config.login_timeout)
        .with_poll_interval(if sampler { config.sample_poll_interval } else { config.poll_interval });
    if let Some(tcp) = config.tcp {
        login = login.with_tcp(tcp);
    }
    if let Some(http) = &config.http {
        login = login.with_http(http.as_str());
    }
    let clients = u32::try_from(config.clients.max(1)).unwrap_or(u32::MAX);
    let offset = config.ramp.mul_f64(index as f64 / f64::from(clients));
    tokio::time::sleep_until((shared.start + offset).into()).await;
    let result = {
        let _permit = shared.logins.acquire().await;
        Client::login(login).await
    };
    let mut client = match result {
        Ok(client) => client,
        Err(error) => {
            shared.login_failures.fetch_add(1, Ordering::AcqRel);
            shared.error(format!("{name} (b{build}): login: {error}"));
            shared.login_done();
            return;
        }
    };
    if let Ok(mut ids) = shared.logged_in.lock() {
        ids.push(client.user_id());
    }
    shared.login_done();
    let mut chat = match chat_group(config, index) {
        None => Chat::Channel(CHANNEL.to_owned()),
        Some(channel) => match client.send(&ClientEvent::ChannelJoin(channel.into())).await {
            Ok(()) => Chat::Channel(channel.to_owned()),
            // No channels but #osu in this build: a private message within the group.
            Err(ClientError::Event(_)) => Chat::Private(format!(
                "{}{}",
                config.name_prefix,
                (index + config.channels.len()) % config.clients.max(1)
            )),
            Err(error) => {
                send_failed(&shared, &name, build, &error);
                Chat::Channel(CHANNEL.to_owned())
            }
        },
    };
    let latency = usize::from(client.transport() == Transport::Http);
    let on_packet = |packet: &ServerPacket<'static>| {
        if let ServerPacket::BanchoMessage(message) = packet
            && let Some(rest) = message.0.content.strip_prefix(MESSAGE_PREFIX)
        {
            shared.counters.received.fetch_add(1, Ordering::Relaxed);
            if sampler && let Some(sent) = rest.split(' ').nth(1).and_then(|t| t.parse::<u64>().ok()) {
                let delay = shared.micros().saturating_sub(sent);
                if let Ok(mut samples) = shared.latency[latency].lock() {
                    samples.push(delay);
                }
            }
        }
    };
    // Until every client is in: read what comes.
    while *phase.borrow_and_update() == Phase::Login {
        tokio::select! {
            packet = client.recv() => match packet {
                Some(packet) => on_packet(&packet),
                None => return lost(&shared, &name, build, &client),
            },
            _ = phase.changed() => {}
        }
    }
    // Activity: actions at the rate, the first at a spread offset.
    let period = if config.rate > 0.0 { Duration::from_secs_f64(1.0 / config.rate) } else { Duration::MAX };
    let seed = mix(index as u64);
    let mut next = tokio::time::Instant::now()
        .checked_add(period.mul_f64(unit(seed)))
        .unwrap_or_else(|| tokio::time::Instant::now() + Duration::from_secs(86_400 * 365));
    let spectate = unit(seed ^ 0x5bec) < config.spectate_fraction;
    if spectate && let Some(target) = spectate_target(&shared, client.user_id(), seed) {
        match client.send(&ClientEvent::StartSpectating(target)).await {
            Ok(()) => {
                shared.counters.spectators.fetch_add(1, Ordering::Relaxed);
            }
            Err(error) => send_failed(&shared, &name, build, &error),
        }
    }
    let mut action = 0u64;
    while *phase.borrow_and_update() == Phase::Active {
        tokio::select! {
            packet = client.recv() => match packet {
                Some(packet) => on_packet(&packet),
                None => return lost(&shared, &name, build, &client),
            },
            () = tokio::time::sleep_until(next) => {
                next += period;
                action += 1;
                let message = |target: &str| ChatMessage {
                    content: format!("{MESSAGE_PREFIX}{index} {}", shared.micros()).into(),
                    target: target.to_owned().into(),
                    ..ChatMessage::default()
                };
                let (event, counter) = match &chat {
                    _ if mix(seed ^ action).is_multiple_of(4) => {
                        (ClientEvent::UserStatus(status(action)), &shared.counters.statuses)
                    }
                    Chat::Channel(channel) => (ClientEvent::Message(message(channel)), &shared.counters.sent),
                    Chat::Private(peer) => (ClientEvent::PrivateMessage(message(peer)), &shared.counters.sent),
                    Chat::Silent => (ClientEvent::UserStatus(status(action)), &shared.counters.statuses),
                };
                match client.send(&event).await {
                    Ok(()) => {
                        counter.fetch_add(1, Ordering::Relaxed);
                    }
                    // Neither channels nor private messages (before b294): status changes only.
                    Err(ClientError::Event(_)) if matches!(chat, Chat::Private(_)) => chat = Chat::Silent,
                    Err(error) => send_failed(&shared, &name, build, &error),
                }
            }
            _ = phase.changed() => {}
        }
    }
    match tokio::time::timeout(Duration::from_secs(10), client.logout()).await {
        Ok(Ok(())) => {}
        Ok(Err(error)) => {
            shared.counters.errors.fetch_add(1, Ordering::Relaxed);
            shared.error(format!("{name} (b{build}): logout: {error}"));
        }
        Err(_) => {
            shared.counters.errors.fetch_add(1, Ordering::Relaxed);
            shared.error(format!("{name} (b{build}): logout timed out"));
        }
    }
}

/// Where a client's chat messages go.
enum Chat {
    /// A channel: `#osu`, or the client's group channel.
    Channel(String),
    /// A private message to another client of the group (builds without channel joins).
    Private(String),
    /// Nowhere: the build has neither channel joins nor private messages.
    Silent,
}

/// The channel client `index` chats in, if the load has groups.
fn chat_group(config: &LoadConfig, index: usize) -> Option<&str> {
    let count = config.channels.len();
    (count > 0).then(|| config.channels[index % count].as_str())
}

/// Another logged-in client to watch.
fn spectate_target(shared: &Shared, own: i32, seed: u64) -> Option<i32> {
    let ids = shared.logged_in.lock().ok()?;
    let others = ids.len().checked_sub(1).filter(|n| *n > 0)?;
    let pick = usize::try_from(mix(seed ^ 0x7a7a) % others as u64).ok()?;
    let candidate = ids[pick];
    Some(if candidate == own { ids[others] } else { candidate })
}

/// A status every build can send: idle, or playing a map.
fn status(action: u64) -> Activity<'static> {
    if action.is_multiple_of(2) {
        Activity::default()
    } else {
        Activity {
            action: Status::Playing,
            text: "chio load - test map [insane]".into(),
            beatmap_checksum: "0123456789abcdef0123456789abcdef".into(),
            beatmap_id: 1,
            ..Activity::default()
        }
    }
}

fn send_failed(shared: &Shared, name: &str, build: u32, error: &ClientError) {
    shared.counters.errors.fetch_add(1, Ordering::Relaxed);
    shared.error(format!("{name} (b{build}): send: {error}"));
}

fn lost(shared: &Shared, name: &str, build: u32, client: &Client) {
    shared.counters.errors.fetch_add(1, Ordering::Relaxed);
    let why = client.close_error().map_or_else(|| "closed by the server".to_owned(), ToString::to_string);
    shared.error(format!("{name} (b{build}): connection lost: {why}"));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn samplers_are_spread() {
        let picked: Vec<usize> = (0..100).filter(|&i| is_sampler(i, 100, 10)).collect();
        assert_eq!(picked, [0, 10, 20, 30, 40, 50, 60, 70, 80, 90]);
        assert_eq!((0..5).filter(|&i| is_sampler(i, 5, 10)).count(), 5);
        assert_eq!((0..5).filter(|&i| is_sampler(i, 5, 0)).count(), 0);
    }

    #[test]
    fn percentiles() {
        let latency = Latency::of((1..=100).map(|ms| ms * 1000).collect()).unwrap();
        assert_eq!(latency.samples, 100);
        assert!((latency.p50_ms - 50.0).abs() < 1e-9);
        assert!((latency.p99_ms - 99.0).abs() < 1e-9);
        assert!((latency.max_ms - 100.0).abs() < 1e-9);
        assert_eq!(Latency::of(Vec::new()), None);
    }

    #[test]
    fn memory_per_session() {
        let memory = Memory { start: Some(1000), after_logins: Some(5000), end: None };
        assert_eq!(memory.per_session(4), Some(1000));
        assert_eq!(Memory::default().per_session(4), None);
    }
}
