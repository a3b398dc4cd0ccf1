//! What an operator sets: limits, version policy, channels, the bot, the welcome text.

use std::time::Duration;

use chio_packets::Context;
use chio_packets::frame::GzipLevel;

use crate::blocks::channels::ChannelConfig;
use crate::era::ClientPolicy;
use crate::http::HttpLimits;
use crate::login::VersionPolicy;
use crate::outbox::OutboxLimits;
use crate::tcp_login::LoginLimits;
use crate::throttle::ThrottlePolicy;

/// A bot user: always online, answers through [`Hooks::on_bot_message`](super::Hooks).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BotConfig {
    /// Its user id (below 1000, a system account; BanchoBot is 1).
    pub id: i32,
    /// Its name.
    pub name: String,
}

impl Default for BotConfig {
    /// BanchoBot, id 1.
    fn default() -> Self {
        Self { id: 1, name: "BanchoBot".to_owned() }
    }
}

/// How many packets a connection may send: a burst, then a steady rate. A client past it
/// is disconnected (a flood), without slowing anyone else.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct PacketRate {
    /// Packets that may arrive at once.
    pub burst: u32,
    /// Packets per second refilled.
    pub per_second: u32,
}

impl Default for PacketRate {
    /// A burst of 1,000 packets and 250 per second: a playing client sends a few per
    /// second, a spectated one a few more.
    fn default() -> Self {
        Self { burst: 1000, per_second: 250 }
    }
}

/// Everything a [`Server`](super::Server) is set up with.
#[derive(Clone, Debug)]
pub struct ServerConfig {
    /// Bounds on a TCP login.
    pub login: LoginLimits,
    /// Bounds on HTTP requests.
    pub http: HttpLimits,
    /// Bounds on each session's outbox.
    pub outbox: OutboxLimits,
    /// Which builds may log in.
    pub versions: VersionPolicy,
    /// The public channels.
    pub channels: Vec<ChannelConfig>,
    /// The bot user, if any.
    pub bot: Option<BotConfig>,
    /// Sent to every client after its login burst, as an announcement.
    pub welcome: Option<String>,
    /// The packet rate a TCP or HTTP client may not exceed.
    pub packet_rate: PacketRate,
    /// How often HTTP sessions are checked for having stopped polling.
    pub sweep_interval: Duration,
    /// The retry delay sent to every client when the server shuts down.
    pub restart_delay_ms: u32,
    /// How long a TCP write may stall (a client that stopped reading) before the
    /// connection is dropped.
    pub write_timeout: Duration,
    /// How payloads to clients before b1800 are gzipped. The default, stored deflate
    /// blocks, is the fastest by far and every client reads it; on the small payloads of
    /// those eras deflating saves about 1 % of the bytes for 100 times the time
    /// (BENCHMARKS.md, "The gzip eras").
    pub gzip_level: GzipLevel,
    /// The per-era policy (pings, idle timeouts, poll size) for a client's context:
    /// [`ClientPolicy::for_context`] unless an operator changes it.
    pub client_policy: fn(Context) -> ClientPolicy,
    /// Failed-login throttling per name and per address.
    pub throttle: ThrottlePolicy,
    /// How many password checks run at once. Each costs the password policy's memory
    /// (19 MiB by default), so a login flood must not run them all at once; the others
    /// wait their turn.
    pub concurrent_logins: usize,
}

impl Default for ServerConfig {
    fn default() -> Self {
        Self {
            login: LoginLimits::default(),
            http: HttpLimits::default(),
            outbox: OutboxLimits::default(),
            versions: VersionPolicy::default(),
            channels: standard_channels(),
            bot: Some(BotConfig::default()),
            welcome: None,
            packet_rate: PacketRate::default(),
            sweep_interval: Duration::from_secs(10),
            restart_delay_ms: 5000,
            write_timeout: Duration::from_secs(30),
            gzip_level: GzipLevel::default(),
            client_policy: ClientPolicy::for_context,
            throttle: ThrottlePolicy::default(),
            concurrent_logins: std::thread::available_parallelism().map_or(2, |n| n.get()).max(2),
        }
    }
}

/// `#osu` and `#announce` (joined at login) and `#lobby`, anchor's defaults.
pub fn standard_channels() -> Vec<ChannelConfig> {
    vec![
        ChannelConfig::new("#osu", "General discussion.", true),
        ChannelConfig::new("#announce", "Announcements and notable scores.", true),
        ChannelConfig::new("#lobby", "Multiplayer lobby discussion.", false),
    ]
}
