//! Real captures for replay tests: `chio proxy` between a headless client and a server,
//! writing its capture to memory.

use std::io::{self, Write};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chio_client::{Client, ClientConfig};
use chio_packets::ServerPacket;
use chio_packets::events::ChatMessage;
use chio_packets::events::client::ClientEvent;
use chio_proxy::proxy::shared_capture;
use chio_proxy::{Proxy, ProxyConfig};
use tokio::net::TcpListener;

use crate::loopback::Loopback;

/// A capture being written to memory.
#[derive(Clone, Debug, Default)]
struct Buffer(Arc<Mutex<Vec<u8>>>);

impl Write for Buffer {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.0.lock().expect("the buffer").extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// A proxy in front of a [`Loopback`] server, capturing every session into memory.
#[derive(Debug)]
pub struct Recording {
    proxy: Proxy,
    buffer: Buffer,
    /// Where TCP clients connect.
    pub tcp: SocketAddr,
    /// Where HTTP clients connect.
    pub http: SocketAddr,
}

impl Recording {
    /// Starts a capturing proxy in front of `server`.
    pub async fn start(server: &Loopback) -> Self {
        let buffer = Buffer::default();
        let config = ProxyConfig::default()
            .with_upstream_tcp(server.tcp)
            .with_upstream_http(server.http_url())
            .with_capture(shared_capture(buffer.clone()).expect("the format line"));
        let proxy = Proxy::new(config).expect("a proxy");
        let tcp = TcpListener::bind("127.0.0.1:0").await.expect("a TCP port");
        let http = TcpListener::bind("127.0.0.1:0").await.expect("an HTTP port");
        let (tcp_addr, http_addr) = (tcp.local_addr().expect("bound"), http.local_addr().expect("bound"));
        let serving = proxy.clone();
        tokio::spawn(async move { serving.serve_tcp(tcp).await });
        let serving = proxy.clone();
        tokio::spawn(async move { serving.serve_http(http).await });
        Self { proxy, buffer, tcp: tcp_addr, http: http_addr }
    }

    /// `config` pointed at the proxy instead of the server.
    pub fn through(&self, config: ClientConfig) -> ClientConfig {
        config.with_tcp(self.tcp).with_http(format!("http://{}", self.http))
    }

    /// Stops the proxy (ending its sessions) and returns the capture.
    pub async fn finish(self) -> Vec<u8> {
        // Let the last answers and session ends reach the capture.
        tokio::time::sleep(Duration::from_millis(200)).await;
        self.proxy.shutdown();
        tokio::time::sleep(Duration::from_millis(50)).await;
        self.buffer.0.lock().expect("the buffer").clone()
    }
}

/// Plays the test scenario with `client`: waits for the login burst, joins `#lobby`,
/// says hello in `#osu`, asks for its own stats, and logs out. Events a build has no
/// packet for are skipped.
pub async fn play_scenario(mut client: Client) {
    let settle = Duration::from_millis(300);
    let _ = client.recv_for(settle).await;
    let _ = client.send(&ClientEvent::ChannelJoin("#lobby".into())).await;
    let message = ChatMessage {
        content: "hello from the capture".into(),
        target: "#osu".into(),
        ..ChatMessage::default()
    };
    let _ = client.send(&ClientEvent::Message(message)).await;
    let id = client.user_id();
    if client.send(&ClientEvent::UserStatsRequest(vec![id])).await.is_err() {
        let _ = client.send(&ClientEvent::StatusUpdateRequest).await;
    }
    let _ = client.flush().await;
    let _: Vec<ServerPacket<'static>> = client.recv_for(settle).await;
    client.logout().await.expect("a logout");
}

/// A capture, by `chio proxy`, of the scenario ([`play_scenario`]) played by a client of
/// `build` over its build's transport, against `server`.
pub async fn capture_scenario(server: &Loopback, build: u32, user: &str) -> Vec<u8> {
    let recording = Recording::start(server).await;
    let client = Client::login(recording.through(server.config(build, user)))
        .await
        .expect("a login through the proxy");
    play_scenario(client).await;
    recording.finish().await
}
