//! The HTTP transport: the login and poll handler behind [`crate::http::router`], and
//! the sweep that ends sessions which stop polling.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Instant;

use bytes::Bytes;
use chio_packets::FromClient;
use chio_packets::events::client::ClientEvent;
use chio_packets::wire::{Decoded, PacketDecoder};
use tokio::net::TcpListener;

use super::budget::Budget;
use super::{Counters, Shared, stopped};
use crate::http::{LoginOutcome, PollHandler, PollOutcome, router as http_router};
use crate::registry::SessionHandle;
use crate::session::SessionId;
use crate::tcp_login::OwnedLogin;

/// What the HTTP side keeps per session between polls.
pub(super) struct Polling {
    last_poll: Instant,
    budget: Budget,
}

/// The server's [`PollHandler`].
pub(super) struct Handler {
    shared: Arc<Shared>,
}

impl Shared {
    fn polling(&self) -> std::sync::MutexGuard<'_, HashMap<SessionId, Polling>> {
        self.polling.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Ends HTTP sessions that have not polled within their idle timeout.
    pub(super) fn sweep_http(&self) {
        let now = Instant::now();
        let stale: Vec<SessionId> = {
            let mut polling = self.polling();
            let registry = &self.registry;
            polling.retain(|id, _| registry.by_id(*id).is_some());
            polling
                .iter()
                .filter(|(id, p)| {
                    let timeout = registry.by_id(**id).map_or(std::time::Duration::ZERO, |s| {
                        (self.config.client_policy)(s.ctx()).idle_timeout
                    });
                    now.duration_since(p.last_poll) > timeout
                })
                .map(|(id, _)| *id)
                .collect()
        };
        for id in stale {
            self.polling().remove(&id);
            if self.end(id) {
                Counters::add(&self.counters.dropped, 1);
            }
        }
    }
}

impl Handler {
    /// Whole frames queued for `session`, up to its poll cap.
    fn drain(&self, session: &SessionHandle) -> Bytes {
        let cap = (self.shared.config.client_policy)(session.ctx()).http_poll_cap;
        let frames = session.outbox().drain_up_to(cap);
        match frames.len() {
            0 => Bytes::new(),
            1 => frames.into_iter().next().unwrap_or_default(),
            _ => Bytes::from(frames.concat()),
        }
    }
}

impl PollHandler for Handler {
    async fn login(&self, login: OwnedLogin, peer: Option<SocketAddr>) -> LoginOutcome {
        let token = new_token();
        match self.shared.admit(login, Some(token.clone()), peer.map(|p| p.ip())).await {
            Ok(session) => {
                let budget = Budget::new(self.shared.config.packet_rate);
                self.shared.polling().insert(session.id(), Polling { last_poll: Instant::now(), budget });
                LoginOutcome { token: Some(token), body: self.drain(&session) }
            }
            Err(refusal) => LoginOutcome { token: None, body: refusal },
        }
    }

    fn poll(&self, token: &str, body: Bytes) -> PollOutcome {
        let shared = &self.shared;
        let Some(session) = shared.registry.by_token(token) else { return PollOutcome::UnknownToken };
        let ctx = session.ctx();
        // The frames this poll carries, against the session's allowance.
        let mut decoder = PacketDecoder::<FromClient>::new(ctx);
        let frames: Vec<_> = decoder.frames(&body).collect();
        let allowed = {
            let mut polling = self.shared.polling();
            let entry = polling.entry(session.id()).or_insert_with(|| Polling {
                last_poll: Instant::now(),
                budget: Budget::new(shared.config.packet_rate),
            });
            entry.last_poll = Instant::now();
            entry.budget.take(u32::try_from(frames.len()).unwrap_or(u32::MAX))
        };
        let unreadable = frames.iter().any(Result::is_err);
        if !allowed || unreadable {
            // A flood, or a body that is not bancho frames: this session is done.
            self.shared.polling().remove(&session.id());
            if shared.end(session.id()) {
                Counters::add(&shared.counters.dropped, 1);
            }
            return PollOutcome::UnknownToken;
        }
        let mut bad = 0;
        let mut exited = false;
        {
            let mut world = shared.world();
            for frame in frames.iter().flatten() {
                let event = match decoder.decode(frame) {
                    Ok(Decoded::Packet(packet)) => ClientEvent::from_packet(packet, ctx),
                    Ok(Decoded::Raw(_)) => continue,
                    Err(_) => {
                        bad += 1;
                        continue;
                    }
                };
                match event {
                    Ok(ClientEvent::Exit(_)) => {
                        exited = true;
                        break;
                    }
                    Ok(event) => {
                        world.handle(&*shared.registry, &*shared.storage, &*shared.hooks, &session, &event)
                    }
                    Err(_) => bad += 1,
                }
            }
            let closed = world.mail.take_closed();
            drop(world);
            shared.end_all(closed);
        }
        Counters::add(&shared.counters.packets, frames.len() as u64);
        Counters::add(&shared.counters.bad_packets, bad);
        let answer = self.drain(&session);
        if exited {
            self.shared.polling().remove(&session.id());
            shared.end(session.id());
        }
        PollOutcome::Known(answer)
    }
}

/// A new `cho-token`: 128 random bits as a uuid-shaped string.
fn new_token() -> String {
    let mut bytes = [0u8; 16];
    // The OS generator failing is not recoverable here; a token must not be guessable.
    getrandom::fill(&mut bytes).expect("the OS random generator works");
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("{}-{}-{}-{}-{}", &hex[..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..])
}

fn handler(shared: Arc<Shared>) -> Arc<Handler> {
    Arc::new(Handler { shared })
}

pub(super) fn router(shared: Arc<Shared>) -> axum::Router {
    let limits = shared.config.http;
    http_router(handler(shared), limits)
}

pub(super) async fn serve(shared: Arc<Shared>, listener: TcpListener) -> std::io::Result<()> {
    let handler = handler(Arc::clone(&shared));
    let app = http_router(Arc::clone(&handler), shared.config.http);
    let mut shutdown = shared.shutdown_signal();
    let sweeper = {
        let shared = Arc::clone(&shared);
        let every = shared.config.sweep_interval;
        let mut shutdown = shared.shutdown_signal();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(every);
            loop {
                tokio::select! {
                    _ = tick.tick() => shared.sweep_http(),
                    () = stopped(&mut shutdown) => return,
                }
            }
        })
    };
    let served = axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(async move {
            stopped(&mut shutdown).await;
        })
        .await;
    sweeper.abort();
    served
}
