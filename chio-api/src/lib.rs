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
//! # Protocol
//!
//! **Transport.** TCP to `127.0.0.1:13381` ([`server::DEFAULT_PORT`]). Each message is one
//! frame: a ULEB128 length (chio-core's: at most 5 bytes, at most `u32::MAX`) and that many
//! bytes of UTF-8 JSON, one object with a string `type`. A frame over the maximum (64 KiB
//! by default, [`server::ServerConfig::max_frame_len`]) is refused from its length alone.
//!
//! **WebSocket.** With [`ws_listen`](server::ServerConfig::ws_listen) (`chio api serve --ws
//! ADDR`), the same messages also travel over WebSocket, one JSON object per text message
//! and no length prefix, with the same authentication, permissions, pushes and limits
//! (ruling 21).
//!
//! **Life cycle.**
//! 1. The application connects and sends `auth`:
//!    `{"type":"auth","application":"My overlay","description":"Shows pp","permissions":"read|subscribe","scope":"user","token":"…"}`
//!    (`description` and `token` may be left out). Frames before it get
//!    `{"type":"error","error":"not_authentified"}`; the connection stays open until the auth
//!    timeout (5 s by default) runs out.
//! 2. The server answers `{"type":"auth","state":"…","token":"…"}`, the token only on
//!    success. Without a valid token the player is asked first, through the host's
//!    [`Approver`](server::Approver), within the approval timeout.
//! 3. After success: requests, answers and pushes. After any other state the server closes.
//! 4. Either side may end it with `{"type":"disconnect","reason":"…"}`.
//!
//! | auth `state` | meaning |
//! |---|---|
//! | `whitelisted` | the player approved just now; a new token is issued |
//! | `ok` | no prompt was needed: a valid token, or a name the host whitelisted |
//! | `denied` | the player refused, or did not answer in time |
//! | `invalid_state` | the player cannot approve now (busy), or scope `user` with nobody logged in |
//! | `blacklisted` | the application's name is blacklisted |
//! | `protocol_error` | the first message was not a valid `auth` request (or not a frame at all) |
//!
//! | request | permission | answer |
//! |---|---|---|
//! | `{"type":"status"}` | `read` | `status`: `status`, `gamemode`, `mods`, `beatmap` |
//! | `{"type":"spectating_status"}` | `read` | `spectating_status`: `is_spectating`, `host_status`, `other_spectators`, `beatmap` |
//! | `{"type":"multiplayer_status"}` | `read` | `multiplayer_status`: `multiplayer_enabled`, `room` |
//! | `{"type":"subscribe","events":[…]}` | `subscribe` | `subscribe` with every event now pushed, then the current state of each new one |
//! | `{"type":"unsubscribe","events":[…]}` | none | `unsubscribe` with every event still pushed |
//! | `{"type":"notification","message":"…"}` | `notify` | none; `error` if refused |
//! | `{"type":"get_attention"}` | `interact` | none; `unsupported_feature` if the game cannot act (ruling 22) |
//! | `{"type":"disconnect","reason":"…"}` | none | the server closes |
//!
//! Events are the three read types; each change is pushed as the same message the request
//! answers, to sessions that subscribed to it or asked for it once (ruling 19). `full` is
//! all four permissions.
//!
//! **Errors.** `{"type":"error","error":"…","request":"…"}` with `not_authentified`,
//! `invalid_request` (malformed JSON, bad fields, a second `auth`, an oversize frame),
//! `permission_error`, `unsupported_feature` (a `type` the server does not know),
//! `rate_limited` or `too_many_connections` (ruling 18). **Disconnect reasons**: `shutdown`,
//! `restart`, `blacklisted`, `revoked`.
//!
//! # Rulings
//!
//! Where the concept is vague, this crate decides as follows; each ruling has tests.
//!
//! 1. **Token hash layout.** Tokens are 32 bytes from the OS RNG (256 bits), written as 64
//!    lowercase hex digits. A grant keeps only a hash: scope `client` hashes
//!    `sha512(token)`, scope `user` hashes `sha512(token || 0x00 || username)` (token as
//!    ASCII, username as UTF-8, as the host's [`StateSource::username`](source::StateSource::username)
//!    spells it). Tokens have a fixed length and the zero byte occurs in neither part, so
//!    no two (token, username) pairs hash the same bytes; each grant also records its scope and is compared only with
//!    tokens presented for that scope. Comparison is constant time (`subtle`) over every
//!    grant. *Tests*: `auth::tests` (the concept's own `sha512` example, a `sha512sum`
//!    vector for scope `user`), `loopback::auth::tokens_do_not_cross_scopes_players_or_applications`.
//! 2. **Port.** 13381 on loopback: below the OS ephemeral ranges (Linux 32768–60999,
//!    Windows 49152–65535) so it is never handed out as a client port, and clear of 24050,
//!    which memory readers use. Listening beyond loopback needs
//!    [`allow_non_loopback`](server::ServerConfig::allow_non_loopback): the API has no
//!    encryption. *Tests*: `loopback::lifecycle::the_default_listener_is_loopback_on_the_documented_port`,
//!    `binding_beyond_loopback_needs_consent`.
//! 3. **`whitelisted` vs `ok`.** `whitelisted`: the player approved the application just now
//!    (it joins the list of approved applications, with a new token). `ok`: no prompt was
//!    needed, because the token presented is valid (it is echoed back and stays valid) or
//!    the host whitelisted the name in advance (a new token is issued). *Tests*:
//!    `loopback::auth::approval_is_whitelisted_with_a_fresh_token`,
//!    `a_token_skips_approval_on_later_connections`,
//!    `a_whitelisted_name_is_ok_without_asking_within_its_permissions`.
//! 4. **Strict JSON.** The concept's examples carry comments, `...` and a missing comma;
//!    the wire takes RFC 8259 JSON only. Fields a message does not define are ignored.
//!    Malformed JSON before authentication is `protocol_error` (and the connection
//!    closes); after it, `invalid_request` (and the session goes on). *Tests*:
//!    `message::tests::the_concepts_commented_examples_are_not_json`,
//!    `loopback::protocol::malformed_first_frames_are_protocol_errors`,
//!    `malformed_json_after_auth_is_an_invalid_request_and_harmless`.
//! 5. **Room password.** Knowing it lets a reader join the room, an action on the
//!    player's behalf, and a read-only overlay on a stream would show it to every viewer.
//!    So `password` is sent only to sessions holding `interact`; everyone sees
//!    `has_password`. *Tests*: `loopback::permissions::only_interact_sees_the_room_password`.
//! 6. **HTTP-looking input.** A connection whose first bytes are an HTTP method and a
//!    space (`GET `, `POST `, … or the HTTP/2 preface) is closed without a byte written.
//!    Browsers can make web pages send exactly that to loopback ports; they can never
//!    complete a frame, and learn nothing. *Tests*:
//!    `loopback::protocol::http_requests_are_closed_without_a_byte`.
//! 7. **Scopes.** The concept's note "for every new user if scope client" contradicts
//!    its own hashes; this crate follows the hashes: a `user` grant is bound to the player
//!    logged in when it was approved (another player is asked again), a `client` grant holds
//!    for whoever is logged in. Scope `user` with nobody logged in is `invalid_state`.
//!    *Tests*: `loopback::auth::tokens_do_not_cross_scopes_players_or_applications`,
//!    `scope_user_without_a_player_is_invalid_state`.
//! 8. **Tokens and permissions.** A token is bound to the application name and scope it was
//!    issued for, and covers the permissions then granted. Asking for fewer is `ok` (the
//!    session holds only what it asked for); asking for more asks the player again, and
//!    approval replaces the old grant. An unknown, revoked or ill-formed token is not an
//!    error: the player is asked as if there were none. *Tests*:
//!    `loopback::auth::a_token_covers_fewer_permissions_but_not_more`,
//!    `an_unknown_or_odd_token_is_not_an_error_it_just_asks`.
//! 9. **Permission strings.** `|`-separated names from `read`, `subscribe`, `notify`,
//!    `interact`, `full`, exactly as written; an empty or unknown name is a
//!    `protocol_error`. *Tests*: `permission::tests`, `loopback::auth::malformed_auth_requests_are_protocol_errors`.
//! 10. **Subscriptions.** `subscribe` works without `read`: a new subscription is followed
//!     by the event's current state, so a subscriber starts from a known state. Answers list
//!     every event pushed to the session (subscribed, or asked for: ruling 19) in a fixed
//!     order (`status`, `spectating_status`, `multiplayer_status`). *Tests*: `loopback::subscribe`.
//! 11. **Unknown requests.** The server cannot know which permission an unknown `type`
//!     would need, so any unknown `type` is `unsupported_feature`, whatever the session
//!     holds. A known `type` is checked for
//!     permission before its fields. *Tests*: `loopback::permissions::every_permission_against_every_request`,
//!     `permission_is_checked_before_the_fields`.
//! 12. **Extensions.** Errors carry `request`, the `type` they answer, so an application can
//!     tell a late notification error from the answer it waits for. Notifications over the
//!     limit (3 at once, then one per 5 s by default) get `rate_limited`. Revoking a grant
//!     disconnects its sessions with reason `revoked`. *Tests*:
//!     `loopback::protocol::notifications_are_rate_limited_and_checked`,
//!     `loopback::lifecycle::revoking_a_grant_disconnects_its_sessions_and_kills_the_token`,
//!     `loopback::client::a_late_notification_error_does_not_confuse_the_next_request`.
//! 13. **Timeouts.** An approval not given within its timeout is `denied`. A connection
//!     that has not sent `auth` within the auth timeout (5 s) is closed without a word.
//!     *Tests*: `loopback::lifecycle::an_unanswered_approval_is_denied_after_its_timeout`,
//!     `a_silent_connection_is_closed_after_the_auth_timeout`.
//! 14. **Names are not identities.** Application names are self-declared: the blacklist
//!     and the whitelist act on names, which keeps honest applications in line but trusts
//!     any local program that borrows a name. Tokens are what authenticate.
//! 15. **`max_combo` is a number.** The concept allows `null` only for `beatmap_id` and
//!     `beatmapset_id`; `max_combo` is always a number, `0` when the game does not know it
//!     (an unsubmitted map): no playable map has a maximum combo of 0, so 0 cannot be
//!     mistaken for a real value. A `null` from another server reads as 0. *Tests*:
//!     `state::tests::max_combo_is_always_a_number`.
//! 16. **Field limits.** Counted in characters (Unicode scalar values), not bytes:
//!     `application` 1 to 64 ([`message::MAX_APPLICATION_CHARS`]) and `description` at most
//!     512 ([`message::MAX_DESCRIPTION_CHARS`]); over either, auth state `protocol_error` and
//!     the connection closes. A `notification`'s `message`, trimmed, 1 to 500
//!     ([`message::MAX_NOTIFICATION_CHARS`], [`server::ServerConfig::max_notification_chars`]);
//!     over it, `invalid_request` and the session goes on. *Tests*:
//!     `loopback::protocol::the_documented_field_limits_are_enforced`.
//! 17. **Tokens in memory.** A [`Token`](auth::Token) overwrites its text with zeroes when
//!     dropped (`zeroize`), and so do the buffers a frame carrying one is written from, and
//!     (over TCP, on both sides) the frame an `auth` request or answer was read into once
//!     parsed, when it owns its memory ([`transport::wipe`]): once a session ends, its token
//!     is not left in freed memory by this crate. Copies outside it (the kernel's socket
//!     buffers, the WebSocket library's buffers) are out of its reach. *Tests*:
//!     `auth::tests::tokens_are_zeroized_when_dropped`,
//!     `transport::tests::a_frame_read_alone_owns_its_memory_and_can_be_wiped`.
//! 18. **Connection budgets.** Unapproved programs must not keep approved applications out.
//!     Connections not yet authenticated (silent, or whose player is being asked) have a
//!     budget of their own, [`max_pending`](server::ServerConfig::max_pending) (8), and the
//!     auth timeout (5 s). Over it, a connection still gets a short window,
//!     [`overflow_auth_timeout`](server::ServerConfig::overflow_auth_timeout) (1 s), in which
//!     only an `auth` with a valid token admits it; anything else, silence included, is
//!     answered `{"type":"error","error":"too_many_connections"}` (with `"request":"auth"`
//!     when it sent one) and closed. At most 8 connections wait in that window; a newer one
//!     takes the place of the oldest (which gets the error at once), so silent connections
//!     cannot hold the window either: an application that sends its `auth` on connecting
//!     is read first. Authenticated sessions have their own
//!     limit, [`max_sessions`](server::ServerConfig::max_sessions) (64), which unauthenticated
//!     connections never take; over it, the same error answers the `auth`. A refused
//!     connection always gets that error before the close, never a silent close (a connection
//!     refused on arrival gets it at once, before anything is read, so ruling 6 applies
//!     to admitted connections only). *Tests*:
//!     `loopback::lifecycle::silent_connections_cannot_lock_out_an_approved_application`,
//!     `authenticated_sessions_have_their_own_limit`,
//!     `loopback::websocket::a_refused_websocket_gets_the_error_message_too`.
//! 19. **Pushes as the seeds describe them.** Both seed revisions say the `status`,
//!     `spectating_status` and `multiplayer_status` answers "should also be sent when a
//!     change happens". So besides `subscribe`, a session holding `read` that asked for a
//!     kind once is pushed its changes from then on; `unsubscribe` of that kind stops them,
//!     and needs no permission (stopping pushes harms nobody). Only the kind whose state
//!     changed is pushed, and only if it differs from what the session was last sent. Pushes
//!     are paced per session and kind: at most one per
//!     [`push_interval`](server::ServerConfig::push_interval) (50 ms); changes within it are
//!     coalesced and the latest state goes out when it ends, so the last change is never
//!     dropped. *Tests*: `loopback::subscribe::a_read_request_is_followed_by_its_changes_until_unsubscribed`,
//!     `only_the_kind_that_changed_is_pushed`, `pushes_are_coalesced_per_kind_the_latest_state_winning`,
//!     `subscribing_answers_the_list_then_the_current_state`.
//! 20. **Grants survive a restart.** Grants, the whitelist and the blacklist are written
//!     through a [`Store`](store::Store) as they change, one transaction per change (an
//!     escalated grant replaces the old one, and a blacklisting removes the name's grants
//!     and whitelisting, in the same transaction), and read once when the server starts.
//!     The default [`MemoryStore`](store::MemoryStore) lasts as long as the process;
//!     [`SqliteStore`](store::SqliteStore) (`chio api serve --grants PATH`; without the flag,
//!     in memory) keeps them in a SQLite file (created readable by its owner only), each
//!     grant with its token's SHA-512 hash (ruling 1), never the token. Grant ids are never reused, even after a revoke and a
//!     restart. A grant that cannot be stored is not issued (`invalid_state`); any other
//!     failed write keeps the change in memory and is reported by
//!     [`ServerHandle::store_error`](server::ServerHandle::store_error). *Tests*:
//!     `store::tests`, `loopback::lifecycle::grants_survive_a_restart_in_a_sqlite_store`,
//!     chio-cli's `api_cli::grants_in_a_file_survive_a_restart`.
//! 21. **Browser overlays.** The WebSocket endpoint is off unless configured, loopback
//!     unless [`allow_non_loopback`](server::ServerConfig::allow_non_loopback), and on its own
//!     port (the TCP port still closes HTTP without a byte, ruling 6). A handshake whose
//!     `Origin` is not on [`ws_allowed_origins`](server::ServerConfig::ws_allowed_origins)
//!     (exact `scheme://host[:port]`, ASCII case ignored; default empty) is refused with HTTP
//!     403 before any message: a web page the player merely visits cannot even ask for
//!     approval. A handshake without `Origin` is a native application and is allowed, since
//!     browsers always send one. The handshake response carries
//!     `Access-Control-Allow-Private-Network: true`, and an `OPTIONS` preflight from an
//!     allowed origin is answered `204` with it (403 otherwise), as browsers require before
//!     a public page reaches a loopback address. WebSocket connections share the connection
//!     budgets of ruling 18. *Tests*: `websocket::tests`, `loopback::websocket`.
//! 22. **Interactions.** The seeds name the `interact` permission but no request for it.
//!     `get_attention` is the first: it asks the game to flash its window
//!     ([`StateSource::interact`](source::StateSource::interact) with
//!     [`Interaction::GetAttention`](source::Interaction::GetAttention)). It needs
//!     `interact`; it has no answer when the game acted, and `unsupported_feature` when the
//!     game cannot (the simulation cannot; `chio proxy --api` injects `BanchoGetAttention`
//!     into the player's bancho stream). *Tests*:
//!     `loopback::permissions::get_attention_needs_interact_and_a_game_that_can`.
//!
//! # Example
//!
//! ```
//! use std::sync::Arc;
//! use chio_api::client::ApiClient;
//! use chio_api::message::{AuthRequest, AuthState, EventKind, Scope};
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

pub mod auth;
pub mod client;
pub mod frame;
pub mod message;
pub mod permission;
pub mod rate_limit;
pub mod server;
mod session;
pub mod sim;
pub mod source;
pub mod state;
pub mod store;
pub mod transport;
pub mod websocket;
