//! A bancho-aware proxy between an osu! client of any build and its server.
//!
//! - [`tap`]: what the proxy sees (logins, packets both ways, ends) handed to observers,
//!   and the [`Injector`](tap::Injector) through which packets are put into a client's
//!   stream.
//! - [`api`]: the osu! client API fed from the traffic: [`TrafficState`](api::TrafficState)
//!   follows the player and injects applications' notifications.
//! - [`capture`]: the capture file format: a session's bytes with direction and timing.
//! - [`replay`]: a captured session played again against a server, and the server's
//!   answer compared with the capture's, packet by packet.

pub mod api;
pub mod capture;
pub mod replay;
pub mod tap;
