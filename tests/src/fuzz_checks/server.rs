//! The harness of the server targets (`poll_body`, `session_packets`): a whole chio-server
//! `Server` over in-memory SQLite, driven through its HTTP router in-process (no socket),
//! with an account and a logged-in session per build of [`HTTP_BUILDS`].

use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use chio_server::server::{PacketRate, Server, ServerConfig};
use chio_server::storage::{PasswordPolicy, SqliteStorage, Storage};
use tower::ServiceExt;

/// HTTP-era builds the server targets log in with (one account each).
pub const HTTP_BUILDS: [u32; 4] = [20130815, 20140127, 20190207, 20250306];

const PASSWORD: &str = "5f4dcc3b5aa765d61d8327deb882cf99";

/// After how many polls (of any build) the next poll is followed by a fresh login even
/// when its session was not ended. Logging in for every input would be more reproducible
/// but costs a login an input.
pub const RELOGIN_EVERY: u64 = 64;

/// A chio-server `Server` behind its HTTP router, with a session per build of
/// [`HTTP_BUILDS`] (logged in on first use), and the runtime that drives it.
pub struct PollServer {
    runtime: tokio::runtime::Runtime,
    app: axum::Router,
    tokens: Mutex<[Option<String>; HTTP_BUILDS.len()]>,
    polls: AtomicU64,
}

/// A response: status, `cho-token` header, body.
pub struct Answer {
    /// The HTTP status.
    pub status: u16,
    /// The `cho-token` header, if any.
    pub token: Option<String>,
    /// The body.
    pub body: bytes::Bytes,
}

impl Default for PollServer {
    fn default() -> Self {
        Self::new()
    }
}

impl PollServer {
    /// A fresh server (no flood limit: a fuzzing process sends millions of packets in a
    /// row) with one account per build; nobody is logged in yet.
    pub fn new() -> Self {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_time().build().expect("a runtime");
        let storage = SqliteStorage::in_memory(PasswordPolicy::FAST_FOR_TESTS).expect("storage");
        for i in 0..HTTP_BUILDS.len() {
            storage.register(&format!("fuzz{i}"), PASSWORD).expect("an account");
        }
        let config = ServerConfig {
            packet_rate: PacketRate { burst: u32::MAX, per_second: u32::MAX },
            ..ServerConfig::default()
        };
        let server = Server::new(config, std::sync::Arc::new(storage)).expect("a server");
        let app = server.http_router();
        Self { runtime, app, tokens: Mutex::new(Default::default()), polls: AtomicU64::new(0) }
    }

    async fn post(&self, token: Option<&str>, body: Vec<u8>) -> Answer {
        let mut request = axum::http::Request::builder().method("POST").uri("/").header("user-agent", "osu!");
        if let Some(token) = token {
            request = request.header("osu-token", token);
        }
        let request = request.body(axum::body::Body::from(body)).expect("a request");
        let response = self.app.clone().oneshot(request).await.expect("the router answers");
        let status = response.status().as_u16();
        let token = response.headers().get("cho-token").and_then(|v| v.to_str().ok()).map(str::to_owned);
        let body = axum::body::to_bytes(response.into_body(), usize::MAX).await.expect("a body");
        Answer { status, token, body }
    }

    /// Logs account `fuzz{index}` in with build `HTTP_BUILDS[index]`; panics unless it works.
    async fn login(&self, index: usize) -> String {
        let body = format!(
            "fuzz{index}\n{PASSWORD}\nb{}|1|0|0e3f1a7b5d8c2e4f6a9b1c3d5e7f9a2b:runningunderwine:\
             d41d8cd98f00b204e9800998ecf8427e:ad921d60486366258809553a3db49a4a:\
             ad921d60486366258809553a3db49a4a:|0\n",
            HTTP_BUILDS[index]
        );
        let answer = self.post(None, body.into_bytes()).await;
        assert_eq!(answer.status, 200, "a login is answered with 200");
        let token = answer.token.expect("a cho-token");
        assert_ne!(token, "no", "the server refused a valid login");
        token
    }

    /// Posts `body` as a poll of the session of build `HTTP_BUILDS[index]`: the answer
    /// must be 200. After every [`RELOGIN_EVERY`]-th poll, and whenever the session was
    /// ended (the answer is the restart frame), a fresh login of the account must succeed
    /// (it replaces the session).
    pub fn poll(&self, index: usize, body: Vec<u8>) -> Answer {
        self.runtime.block_on(async {
            let token = self.tokens.lock().expect("not poisoned")[index].clone();
            let token = match token {
                Some(token) => token,
                None => self.login(index).await,
            };
            let answer = self.post(Some(&token), body).await;
            assert_eq!(answer.status, 200, "a poll is answered with 200");
            let polls = self.polls.fetch_add(1, Ordering::Relaxed);
            let ended = answer.body == chio_server::http::restart_frame();
            let next =
                if ended || polls.is_multiple_of(RELOGIN_EVERY) { self.login(index).await } else { token };
            self.tokens.lock().expect("not poisoned")[index] = Some(next);
            answer
        })
    }
}
