//! The osu! client API: a local, authenticated TCP (and optionally WebSocket) API through
//! which desktop applications and browser overlays (overlays, stream tools, trackers) read state from, and send notifications to, a running
//! osu! client.
//!
//! It builds the "osu! client API" concept (ekgame/osu-client-api-concept), in its later
//! revision with the `subscribe` permission and messages. Applications today read the game's
//! memory, or a local socket, with no authentication and no permissions; here the player
//! approves each application, which then holds a token and only the permissions it was
//! granted.
//!
//! # Layout
//!
//! - [`frame`]: the frame codec, `[ULEB128 length][payload]`, with a maximum checked
//!   before anything is reserved.
//! - [`transport`]: a TCP stream read and written as frames of JSON.
//! - [`message`]: the typed messages in both directions, and the parser that tells
//!   malformed JSON, unknown types and bad fields apart.
//! - [`state`]: status, spectating and multiplayer state with the beatmap object.
//! - [`permission`]: permission sets and which one each request needs.
//! - [`auth`]: tokens, their hashes, and the grants the player made.
//! - [`store`]: where grants, whitelist and blacklist are kept: the [`Store`](store::Store)
//!   trait, [`MemoryStore`](store::MemoryStore) (the default) and
//!   [`SqliteStore`](store::SqliteStore), which survives restarts.
//! - [`rate_limit`]: the token bucket that limits notifications.
//! - [`source`]: the [`StateSource`](source::StateSource) trait a host implements, and
//!   [`SharedState`](source::SharedState), a ready-made one.
//! - [`server`]: configuration, the approval callback, the listener and its handle (whitelist,
//!   blacklist, revoke, shutdown). Each connection runs a private session state machine.
//! - [`websocket`]: the same API over WebSocket for browser overlays, with the Origin
//!   allow-list and the private-network header.
//! - [`client`]: the application's side.
//! - [`sim`]: a simulated osu! client for building applications without the game.
//!
#![doc = include_str!("../docs/protocol.md")]
//!
//! # Example
//!
//! ```
//! use std::sync::Arc;
//! use chio_api::client::ApiClient;
//! use chio_api::auth::Scope;
//! use chio_api::message::{AuthRequest, AuthState, EventKind};
//! use chio_api::permission::Permissions;
//! use chio_api::server::{ApiServer, Approval, ServerConfig};
//! use chio_api::source::SharedState;
//!
//! # tokio::runtime::Runtime::new().unwrap().block_on(async {
//! // The host: the game's state, and a player who approves everything.
//! let state = Arc::new(SharedState::new());
//! let config = ServerConfig { listen: "127.0.0.1:0".parse().unwrap(), ..ServerConfig::default() };
//! let server = ApiServer::bind(config, state.clone(), |_| async { Approval::Approve }).await.unwrap();
//! let addr = server.local_addr();
//! tokio::spawn(server.serve());
//!
//! // The application.
//! let mut client = ApiClient::connect(addr).await.unwrap();
//! let request = AuthRequest::new("overlay", "shows the map", Permissions::READ | Permissions::SUBSCRIBE, Scope::Client);
//! assert_eq!(client.authenticate(request).await.unwrap(), AuthState::Whitelisted);
//! let token = client.token().cloned(); // keep it to skip the prompt next time
//! assert!(token.is_some());
//! client.subscribe(&[EventKind::Status]).await.unwrap();
//! let current = client.next_message().await.unwrap(); // the current status, then each change
//! assert!(current.is_some());
//! # });
//! ```

mod approval;
pub mod auth;
pub mod client;
mod config;
pub mod frame;
pub mod message;
pub mod permission;
pub mod rate_limit;
mod registry;
pub mod server;
mod session;
pub mod sim;
pub mod source;
pub mod state;
pub mod store;
pub mod transport;
pub mod websocket;
