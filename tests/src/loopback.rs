//! A `chio-server` on loopback for end-to-end tests, and headless clients that log into it.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use chio_client::{Client, ClientConfig};
use chio_packets::Context;
use chio_server::era::ClientPolicy;
use chio_server::server::{Server, ServerConfig};
use chio_server::storage::{PasswordPolicy, SqliteStorage, Storage};

/// How long an end-to-end test waits for what should come.
pub const WAIT: Duration = Duration::from_secs(10);

/// A server with open registration, serving TCP and HTTP on ephemeral loopback ports.
#[derive(Debug)]
pub struct Loopback {
    /// The server, for its registry, stats and shutdown.
    pub server: Server,
    /// Where TCP clients connect.
    pub tcp: SocketAddr,
    /// Where HTTP clients connect.
    pub http: SocketAddr,
}

impl Loopback {
    /// Serves `storage` with `config`.
    pub async fn start(config: ServerConfig, storage: Arc<dyn Storage>) -> Self {
        let server = Server::builder(config, storage).open_registration(true).build().expect("a server");
        let tcp = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a TCP port");
        let http = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("an HTTP port");
        let (tcp_addr, http_addr) = (tcp.local_addr().expect("bound"), http.local_addr().expect("bound"));
        let serving = server.clone();
        tokio::spawn(async move { serving.serve_tcp(tcp).await });
        let serving = server.clone();
        tokio::spawn(async move { serving.serve_http(http).await });
        Self { server, tcp: tcp_addr, http: http_addr }
    }

    /// Serves an in-memory database with `config`.
    pub async fn with_config(config: ServerConfig) -> Self {
        Self::start(config, memory()).await
    }

    /// Serves an in-memory database with the default configuration.
    pub async fn in_memory() -> Self {
        Self::with_config(ServerConfig::default()).await
    }

    /// The HTTP base URL.
    pub fn http_url(&self) -> String {
        format!("http://{}", self.http)
    }

    /// A client of `build` for `user` (password `"<user> password"`), polling every 15 ms
    /// over HTTP.
    pub fn config(&self, build: u32, user: &str) -> ClientConfig {
        ClientConfig::new(build, user, format!("{user} password"))
            .with_tcp(self.tcp)
            .with_http(self.http_url())
            .with_poll_interval(Duration::from_millis(15))
            .with_login_timeout(WAIT)
    }

    /// Logs `user` in with a client of `build`; panics if the login fails.
    pub async fn login(&self, build: u32, user: &str) -> Client {
        match Client::login(self.config(build, user)).await {
            Ok(client) => client,
            Err(e) => panic!("b{build} {user}: login failed: {e}"),
        }
    }
}

/// An in-memory database with the fast password policy of tests.
pub fn memory() -> Arc<dyn Storage> {
    Arc::new(SqliteStorage::in_memory(PasswordPolicy::FAST_FOR_TESTS).expect("an in-memory database"))
}

/// The ping interval of [`quick_policy`].
pub const QUICK_PING_EVERY: Duration = Duration::from_millis(100);
/// The idle timeout of [`quick_policy`].
pub const QUICK_IDLE: Duration = Duration::from_millis(1500);

/// The era's client policy with pings every 100 ms and 1.5 s idle timeouts, so that
/// silence is noticed within a test (`ServerConfig::client_policy`).
pub fn quick_policy(ctx: Context) -> ClientPolicy {
    let mut policy = ClientPolicy::for_context(ctx);
    if let Some(ping) = &mut policy.ping {
        ping.interval = QUICK_PING_EVERY;
    }
    policy.idle_timeout = QUICK_IDLE;
    policy
}
