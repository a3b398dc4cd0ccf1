//! A bancho-aware proxy between an osu! client of any build and its server.
//!
//! - [`proxy`]: the [`Proxy`] and its [`ProxyConfig`]:
//!   TCP and HTTP front doors forwarding every byte unchanged, decoding on the side.
//! - [`tap`]: what the proxy sees (logins, packets both ways, ends) handed to observers,
//!   and the [`Injector`](tap::Injector) through which packets are put into a client's
//!   stream.
//! - [`api`]: the osu! client API fed from the traffic: [`TrafficState`](api::TrafficState)
//!   follows the player and injects applications' notifications.
//! - [`log`]: the packet log, one JSON line per packet.
//! - [`capture`]: the capture file format: a session's bytes with direction and timing.
//! - [`replay`]: a captured session played again against a server, and the server's
//!   answer compared with the capture's, packet by packet.

pub mod api;
pub mod capture;
mod config;
mod http;
pub mod log;
pub mod proxy;
pub mod replay;
mod session;
mod shared;
pub mod tap;
mod tcp;

pub use proxy::{Proxy, ProxyConfig};
