//! What a server does differently for each era of client: transport, pings, idle timeout,
//! presence bundles, stats pushes, match ids.
//!
//! [`ClientPolicy::for_context`] reads the build (and slot count) of a connection's
//! [`Context`] and returns the whole policy at once. Every rule, and the source it comes
//! from, is in this one table (letters as in `docs/design/server-research.md`):
//!
//! | Rule | Builds | Value | Source |
//! |------|--------|-------|--------|
//! | [`transport`](ClientPolicy::transport) | up to [`LAST_TCP_BUILD`] (b20130815) | [`Transport::Tcp`] | osuTitanic/deck `app/routes/web/connect.py` (`/web/bancho_connect.php`: "latest client version that supports TCP bancho") |
//! | | from b20130816 | [`Transport::Http`] | the same; Binato `README.md` ("2013 – Stable Fallback uses HTTP") |
//! | [`ping`](ClientPolicy::ping) | TCP builds | every [`PING_INTERVAL`] (12 s), at most one outstanding | anchor `app/tasks/pings.py` (`PING_INTERVAL_OSU`, `is_waiting_for_pong`) |
//! | | TCP builds | first ping only after a client packet that follows the login burst | osuTitanic/anchor#449 (2013 clients exit when pinged before applying LoginPermissions); applied to every TCP build, as the notes recommend |
//! | | HTTP builds | never | anchor `app/tasks/pings.py` (TCP and WS only); bancho.py and bancho-service-rs send none (notes §5) |
//! | [`idle_timeout`](ClientPolicy::idle_timeout) | TCP builds | [`TCP_IDLE_TIMEOUT`] (360 s without any packet) | anchor `Client.inactive`, checked on the `app/tasks/pings.py` tick (notes §5) |
//! | | HTTP builds | [`HTTP_IDLE_TIMEOUT`] (300 s without a poll) | bancho.py `app/bg_loops.py` (`OSU_CLIENT_MIN_PING_INTERVAL`); bancho-service-rs `cleanup_sessions.rs` (5 min) |
//! | [`presence_bundles`](ClientPolicy::presence_bundles) | from [`PRESENCE_BUNDLE_BUILD`] (b20121224) | `true` | chio.py `clients/b20121224.py`; anchor `supports_bundles = io.version >= 20121224` |
//! | [`pushes_stats`](ClientPolicy::pushes_stats) | before [`STATS_REQUEST_BUILD`] (b1800) | `true` | chio.py `requires_status_updates` (true before b1800); anchor pushes `UserStats` on every status change to them |
//! | [`max_match_id`](ClientPolicy::max_match_id) | before [`WIDE_MATCH_ID_BUILD`] (b1796) | 255 (a `u8` on the wire) | chio.py `clients/b298.py`, `b312.py`, `b334.py`; chio-packets `multiplayer` (`#[bancho(until = 1796, wire = u8)]`) |
//! | | from b1796 | 65535 (a `u16`) | the same |
//! | [`slots`](ClientPolicy::slots) | all | [`Context::slots`] | chio.py `slot_size` (notes §6: 16 for b20140528 at protocol 19, always from b20150915) |
//! | [`http_poll_cap`](ClientPolicy::http_poll_cap) | HTTP builds | [`HTTP_POLL_CAP`] (32 KiB of whole packets) | anchor's HTTP `dequeue(max_size=32 KiB)` (notes §3; anchor's cap is soft and may overshoot by one packet) |
//!
//! # Uncertainties
//!
//! - **The TCP/HTTP switch.** Titanic's `bancho_connect` names b20130815 as the last TCP
//!   build but answers with the raw bancho IP for any `v <= 20130915`, and its comments
//!   doubt which of the two is right. Builds b20130816 – b20130915 may still speak TCP;
//!   a server should listen on both transports and let the client pick. The policy's
//!   [`transport`](ClientPolicy::transport) is what the build is *expected* to use.
//! - **The ping gate.** Issue #449 confirms b20130303; no source pins the first affected
//!   build, so the gate is on for every TCP build (harmless for builds it does not need).
//! - **Stats pushes in b1788 – b1799.** Those builds already have `OsuUserStatsRequest`
//!   (b1788), but chio.py still marks them as needing pushed stats; pushing to a client that
//!   can also ask is harmless, so the policy follows chio.py.

use std::time::Duration;

use chio_packets::Context;

/// The last build expected to log in over TCP (Titanic's `bancho_connect`); later builds
/// poll over HTTP. See the module's uncertainties: b20130816 – b20130915 are unclear.
pub const LAST_TCP_BUILD: u32 = 20130815;

/// The first build that reads `BanchoUserPresenceBundle` (chio.py `clients/b20121224.py`).
pub const PRESENCE_BUNDLE_BUILD: u32 = 20121224;

/// The first build that needs no pushed `UserStats` (chio.py `requires_status_updates`).
pub const STATS_REQUEST_BUILD: u32 = 1800;

/// The first build with 16-bit match ids (chio.py `clients/b298.py` .. `b334.py`).
pub const WIDE_MATCH_ID_BUILD: u32 = 1796;

/// How often a TCP client is pinged (anchor `PING_INTERVAL_OSU`).
pub const PING_INTERVAL: Duration = Duration::from_secs(12);

/// How long a TCP client may send nothing before it is dropped (anchor `Client.inactive`).
pub const TCP_IDLE_TIMEOUT: Duration = Duration::from_secs(360);

/// How long an HTTP client may go without a poll before it is dropped (bancho.py).
pub const HTTP_IDLE_TIMEOUT: Duration = Duration::from_secs(300);

/// The most bytes of whole packets one HTTP poll answers with (anchor); the rest waits for
/// the next poll.
pub const HTTP_POLL_CAP: usize = 32 * 1024;

/// How a client talks to the server.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Transport {
    /// One long-lived TCP connection: three login lines, then packets both ways.
    Tcp,
    /// HTTP polling: a `POST` per round trip, the session named by the `osu-token` header.
    Http,
}

/// When and how a server pings a client.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct PingPolicy {
    /// How long between pings.
    pub interval: Duration,
    /// How many pings may be unanswered at once; no new ping until the count drops below.
    pub max_outstanding: u8,
    /// Whether the first ping must wait until the client has sent a packet after its login
    /// burst (osuTitanic/anchor#449: 2013 clients quit when pinged before they apply
    /// LoginPermissions). Never ping in the same flush as `LoginPermissions` either way.
    pub first_ping_after_client_packet: bool,
}

/// What a server does for one client, from its build: see the [module](self) table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ClientPolicy {
    /// The transport the build is expected to use.
    pub transport: Transport,
    /// The ping schedule; `None` if the server never pings (HTTP).
    pub ping: Option<PingPolicy>,
    /// How long the client may stay silent (TCP) or not poll (HTTP) before it is dropped.
    pub idle_timeout: Duration,
    /// Whether other players are announced with `BanchoUserPresenceBundle` (ids only, the
    /// client asks for the rest) rather than one full presence each.
    pub presence_bundles: bool,
    /// Whether the server must push `UserStats` on every status change, because the client
    /// does not request them.
    pub pushes_stats: bool,
    /// The largest match id the client can read; a match with a larger id is not shown.
    pub max_match_id: u16,
    /// The number of slots a match carries on the wire for this client.
    pub slots: u8,
    /// The most bytes of whole packets one HTTP poll answers with.
    pub http_poll_cap: usize,
}

impl ClientPolicy {
    /// The policy for a connection.
    ///
    /// ```
    /// use chio_packets::Context;
    /// use chio_server::era::{ClientPolicy, Transport};
    ///
    /// let old = ClientPolicy::for_context(Context::new(1700));
    /// assert_eq!(old.transport, Transport::Tcp);
    /// assert!(old.pushes_stats && !old.presence_bundles);
    /// assert_eq!(old.max_match_id, 255);
    ///
    /// let new = ClientPolicy::for_context(Context::new(20250306));
    /// assert_eq!((new.transport, new.ping), (Transport::Http, None));
    /// ```
    pub const fn for_context(ctx: Context) -> Self {
        let build = ctx.build();
        let tcp = build <= LAST_TCP_BUILD;
        Self {
            transport: if tcp { Transport::Tcp } else { Transport::Http },
            ping: if tcp {
                Some(PingPolicy {
                    interval: PING_INTERVAL,
                    max_outstanding: 1,
                    first_ping_after_client_packet: true,
                })
            } else {
                None
            },
            idle_timeout: if tcp { TCP_IDLE_TIMEOUT } else { HTTP_IDLE_TIMEOUT },
            presence_bundles: build >= PRESENCE_BUNDLE_BUILD,
            pushes_stats: build < STATS_REQUEST_BUILD,
            max_match_id: if build < WIDE_MATCH_ID_BUILD { u8::MAX as u16 } else { u16::MAX },
            slots: ctx.slots(),
            http_poll_cap: HTTP_POLL_CAP,
        }
    }
}

#[cfg(test)]
mod tests {
    use chio_packets::Packet;
    use chio_packets::session::{BanchoUserPresenceBundle, OsuUserStatsRequest};

    use super::*;

    fn policy(build: u32) -> ClientPolicy {
        ClientPolicy::for_context(Context::new(build))
    }

    #[test]
    fn transport_switches_after_b20130815() {
        for build in [282, 1800, 20121224, 20130303, 20130815] {
            let p = policy(build);
            assert_eq!(p.transport, Transport::Tcp, "b{build}");
            assert_eq!(p.idle_timeout, Duration::from_secs(360));
            let ping = p.ping.expect("TCP builds are pinged");
            assert_eq!(ping.interval, Duration::from_secs(12));
            assert_eq!(ping.max_outstanding, 1);
            assert!(ping.first_ping_after_client_packet, "b{build}");
        }
        for build in [20130816, 20130915, 20140528, 20250306] {
            let p = policy(build);
            assert_eq!(p.transport, Transport::Http, "b{build}");
            assert_eq!(p.ping, None);
            assert_eq!(p.idle_timeout, Duration::from_secs(300));
        }
    }

    #[test]
    fn presence_bundles_follow_the_packet_definition() {
        for build in [282, 1800, 20121223, 20121224, 20121225, 20130815, 20250306] {
            let ctx = Context::new(build);
            assert_eq!(
                ClientPolicy::for_context(ctx).presence_bundles,
                BanchoUserPresenceBundle::exists_in(ctx),
                "b{build}"
            );
        }
        assert!(!policy(20121223).presence_bundles);
        assert!(policy(20121224).presence_bundles);
    }

    #[test]
    fn stats_are_pushed_before_b1800() {
        assert!(policy(282).pushes_stats);
        assert!(policy(1799).pushes_stats);
        assert!(!policy(1800).pushes_stats);
        assert!(!policy(20250306).pushes_stats);
        // Every build that cannot ask for stats gets them pushed.
        for build in [282, 1000, 1787, 1788, 1799, 1800, 20121224] {
            let ctx = Context::new(build);
            if !OsuUserStatsRequest::exists_in(ctx) {
                assert!(ClientPolicy::for_context(ctx).pushes_stats, "b{build}");
            }
        }
    }

    #[test]
    fn match_ids_widen_at_b1796() {
        assert_eq!(policy(282).max_match_id, 255);
        assert_eq!(policy(1795).max_match_id, 255);
        assert_eq!(policy(1796).max_match_id, u16::MAX);
        assert_eq!(policy(20250306).max_match_id, u16::MAX);
    }

    #[test]
    fn slots_and_poll_cap() {
        let ctx = Context::new(20140528);
        assert_eq!(ClientPolicy::for_context(ctx).slots, 8);
        assert_eq!(ClientPolicy::for_context(ctx.with_protocol(19)).slots, 16);
        assert_eq!(ClientPolicy::for_context(ctx.with_slots(32)).slots, 32);
        assert_eq!(policy(20250306).http_poll_cap, 32 * 1024);
    }
}
