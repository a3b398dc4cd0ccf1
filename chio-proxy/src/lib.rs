//! A bancho-aware proxy between an osu! client of any build and its server.
//!
//! - [`proxy`]: the [`Proxy`] and its [`ProxyConfig`]:
//!   TCP and HTTP front doors forwarding every byte unchanged, decoding on the side.
//! - [`tap`]: what the proxy sees (logins, packets both ways, ends) handed to observers,
//!   and the [`Injector`](tap::Injector) through which packets are put into a client's
//!   stream.
//! - [`log`]: the packet log, one JSON line per packet.
//! - [`capture`]: the capture file format: a session's bytes with direction and timing.

pub mod capture;
mod http;
pub mod log;
pub mod proxy;
mod session;
pub mod tap;
mod tcp;

pub use proxy::{Proxy, ProxyConfig};
