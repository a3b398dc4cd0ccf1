//! The API over real loopback TCP: one server per test on 127.0.0.1:0.

mod common;

mod attack;
mod auth;
mod client;
mod lifecycle;
mod permissions;
mod protocol;
mod subscribe;
mod websocket;
