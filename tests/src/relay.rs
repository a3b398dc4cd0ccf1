//! Relays between a headless client and a server that record the session into a
//! `chio-proxy` capture, so that replay tests have real captures without the proxy.

use std::io::{self, Write};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use chio_client::{Client, ClientConfig};
use chio_packets::ServerPacket;
use chio_packets::events::ChatMessage;
use chio_packets::events::client::ClientEvent;
use chio_packets::login_request::LoginRequest;
use chio_proxy::capture::{CaptureWriter, Dir, Kind, Start, Transport};
use http_body_util::{BodyExt, Full};
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

use crate::loopback::{Loopback, WAIT};

/// The session number the relays record under.
pub const SESSION: u64 = 1;

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

/// The capture of one session, shared by a relay's tasks.
#[derive(Clone, Debug)]
struct Recorder {
    buffer: Buffer,
    writer: Arc<Mutex<CaptureWriter<Buffer>>>,
    start: Instant,
}

impl Recorder {
    fn new() -> Self {
        let buffer = Buffer::default();
        let writer = CaptureWriter::new(buffer.clone()).expect("the format line");
        Self { buffer, writer: Arc::new(Mutex::new(writer)), start: Instant::now() }
    }

    fn t_ms(&self) -> u64 {
        u64::try_from(self.start.elapsed().as_millis()).unwrap_or(u64::MAX)
    }

    /// The session's start, from its login.
    fn start(&self, transport: Transport, login: &[u8]) {
        let login = LoginRequest::parse(login).expect("the client's login parses");
        let unix_ms = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis() as u64);
        let start =
            Start { transport, version: login.version.to_string(), build: login.version.build, unix_ms };
        self.writer.lock().expect("the writer").start(SESSION, &start).expect("recorded");
    }

    fn record(&self, dir: Dir, kind: Kind, bytes: &[u8]) {
        let t_ms = self.t_ms();
        self.writer.lock().expect("the writer").record(SESSION, t_ms, dir, kind, bytes).expect("recorded");
    }

    fn finish(&self) -> Vec<u8> {
        let t_ms = self.t_ms();
        self.writer.lock().expect("the writer").end(SESSION, t_ms).expect("recorded");
        self.buffer.0.lock().expect("the buffer").clone()
    }
}

/// A TCP relay for one connection: the client's login lines are recorded as `login`, the
/// rest of both directions as `data`.
#[derive(Debug)]
pub struct TcpRelay {
    /// Where the client connects.
    pub addr: SocketAddr,
    recorder: Recorder,
    task: JoinHandle<()>,
}

impl TcpRelay {
    /// Relays the next connection to `server`.
    pub async fn start(server: SocketAddr) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("a relay port");
        let addr = listener.local_addr().expect("bound");
        let recorder = Recorder::new();
        let recording = recorder.clone();
        let task = tokio::spawn(async move {
            let (client, _) = listener.accept().await.expect("a client");
            let upstream = TcpStream::connect(server).await.expect("the server");
            let (mut client_read, mut client_write) = client.into_split();
            let (mut server_read, mut server_write) = upstream.into_split();
            let up = recording.clone();
            let c2s = tokio::spawn(async move {
                let mut buf = vec![0; 16 * 1024];
                let mut pending: Option<Vec<u8>> = Some(Vec::new());
                loop {
                    let n = match client_read.read(&mut buf).await {
                        Ok(0) | Err(_) => break,
                        Ok(n) => n,
                    };
                    let bytes = &buf[..n];
                    if let Some(login) = pending.as_mut() {
                        login.extend_from_slice(bytes);
                        let Some(len) = LoginRequest::body_len(login) else { continue };
                        let login = pending.take().expect("the login");
                        up.start(Transport::Tcp, &login[..len]);
                        up.record(Dir::ClientToServer, Kind::Login, &login[..len]);
                        if server_write.write_all(&login[..len]).await.is_err() {
                            break;
                        }
                        let rest = login[len..].to_vec();
                        if !rest.is_empty() {
                            up.record(Dir::ClientToServer, Kind::Data, &rest);
                            if server_write.write_all(&rest).await.is_err() {
                                break;
                            }
                        }
                        continue;
                    }
                    up.record(Dir::ClientToServer, Kind::Data, bytes);
                    if server_write.write_all(bytes).await.is_err() {
                        break;
                    }
                }
                let _ = server_write.shutdown().await;
            });
            let mut buf = vec![0; 16 * 1024];
            loop {
                let n = match server_read.read(&mut buf).await {
                    Ok(0) | Err(_) => break,
                    Ok(n) => n,
                };
                recording.record(Dir::ServerToClient, Kind::Data, &buf[..n]);
                if client_write.write_all(&buf[..n]).await.is_err() {
                    break;
                }
            }
            let _ = client_write.shutdown().await;
            let _ = c2s.await;
        });
        Self { addr, recorder, task }
    }

    /// Waits (up to [`WAIT`]) for both sides to close; the capture.
    pub async fn finish(self) -> Vec<u8> {
        let _ = tokio::time::timeout(WAIT, self.task).await;
        self.recorder.finish()
    }
}

/// An HTTP relay: the login body is recorded as `login`, poll bodies as `poll`, response
/// bodies as `data`.
#[derive(Debug)]
pub struct HttpRelay {
    /// Where the client connects.
    pub addr: SocketAddr,
    recorder: Recorder,
    task: JoinHandle<()>,
}

#[derive(Clone)]
struct HttpState {
    server: SocketAddr,
    recorder: Recorder,
}

impl HttpRelay {
    /// Relays every request to the HTTP server at `server`.
    pub async fn start(server: SocketAddr) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("a relay port");
        let addr = listener.local_addr().expect("bound");
        let recorder = Recorder::new();
        let state = HttpState { server, recorder: recorder.clone() };
        let router = Router::new().route("/", post(relay_request)).with_state(state);
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, router).await;
        });
        Self { addr, recorder, task }
    }

    /// The base URL clients use.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The capture.
    pub fn finish(self) -> Vec<u8> {
        self.task.abort();
        self.recorder.finish()
    }
}

async fn relay_request(State(state): State<HttpState>, headers: HeaderMap, body: Bytes) -> Response {
    let token = headers.get("osu-token").cloned();
    match token {
        None => {
            state.recorder.start(Transport::Http, &body);
            state.recorder.record(Dir::ClientToServer, Kind::Login, &body);
        }
        Some(_) => state.recorder.record(Dir::ClientToServer, Kind::Poll, &body),
    }
    let stream = TcpStream::connect(state.server).await.expect("the server");
    let (mut sender, connection) =
        hyper::client::conn::http1::handshake(TokioIo::new(stream)).await.expect("an HTTP connection");
    tokio::spawn(connection);
    let mut request = hyper::Request::post("/").header("host", state.server.to_string());
    for name in ["user-agent", "osu-version", "osu-token", "content-type"] {
        if let Some(value) = headers.get(name) {
            request = request.header(name, value.clone());
        }
    }
    let request = request.body(Full::new(body)).expect("a request");
    let response = sender.send_request(request).await.expect("the server's response");
    let (parts, body) = response.into_parts();
    let body = body.collect().await.expect("the response body").to_bytes();
    state.recorder.record(Dir::ServerToClient, Kind::Data, &body);
    let mut answer = (StatusCode::from_u16(parts.status.as_u16()).expect("a status"), body).into_response();
    if let Some(token) =
        parts.headers.get("cho-token").and_then(|t| HeaderValue::from_bytes(t.as_bytes()).ok())
    {
        answer.headers_mut().insert("cho-token", token);
    }
    answer
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

/// A capture of the scenario ([`play_scenario`]) played by a client of `build` over its
/// build's transport (TCP before b20121203, HTTP from it), against `server`.
pub async fn capture_scenario(server: &Loopback, build: u32, user: &str) -> Vec<u8> {
    let config: ClientConfig = server.config(build, user);
    let tcp = matches!(config.transport(), chio_server::era::Transport::Tcp);
    if tcp {
        let relay = TcpRelay::start(server.tcp).await;
        let client = Client::login(config.with_tcp(relay.addr)).await.expect("a login through the relay");
        play_scenario(client).await;
        relay.finish().await
    } else {
        let relay = HttpRelay::start(server.http).await;
        let client = Client::login(config.with_http(relay.url())).await.expect("a login through the relay");
        play_scenario(client).await;
        relay.finish()
    }
}
