//! Helpers shared by the loopback tests: a server on 127.0.0.1:0 with short timeouts, an
//! approver whose answer a test sets, and a raw client that speaks frames and JSON values.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chio_api::frame::{FrameCodec, FrameError};
use chio_api::server::{ApiServer, Approval, ApprovalRequest, ServerConfig, ServerHandle};
use chio_api::source::SharedState;
use chio_api::transport::FramedStream;
use serde_json::{Value, json};
use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;
use tokio::task::JoinHandle;

/// How long a test waits for something that should happen.
pub(crate) const PATIENCE: Duration = Duration::from_secs(3);
/// How long a test waits to be sure something does not happen.
pub(crate) const QUIET: Duration = Duration::from_millis(100);
/// The username the test state is logged in as.
pub(crate) const PLAYER: &str = "test_player";

/// Short timeouts and a small frame limit, so every path runs fast.
pub(crate) fn config() -> ServerConfig {
    ServerConfig {
        listen: "127.0.0.1:0".parse().unwrap(),
        max_frame_len: 4096,
        auth_timeout: Duration::from_millis(400),
        approval_timeout: Duration::from_millis(300),
        notification_burst: 2,
        notification_interval: Duration::from_secs(60),
        max_notification_chars: 100,
        ..ServerConfig::default()
    }
}

/// What the test approver does when asked.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Answer {
    Now(Approval),
    /// Answers after a pause.
    Later(Approval, Duration),
    /// Never answers (the server's timeout decides).
    Never,
}

/// An approver that records every question and answers as the test says.
#[derive(Default)]
pub(crate) struct Approvals {
    answer: Mutex<Option<Answer>>,
    asked: Mutex<Vec<ApprovalRequest>>,
}

impl Approvals {
    pub(crate) fn set(&self, answer: Answer) {
        *self.answer.lock().unwrap() = Some(answer);
    }

    pub(crate) fn asked(&self) -> Vec<ApprovalRequest> {
        self.asked.lock().unwrap().clone()
    }
}

pub(crate) struct TestServer {
    pub(crate) addr: SocketAddr,
    pub(crate) ws_addr: Option<SocketAddr>,
    pub(crate) handle: ServerHandle,
    pub(crate) state: Arc<SharedState>,
    pub(crate) approvals: Arc<Approvals>,
    pub(crate) task: JoinHandle<()>,
}

/// A server whose approver answers `answer`, with [`config`].
pub(crate) async fn start(answer: Answer) -> TestServer {
    start_with(config(), answer).await
}

pub(crate) async fn start_with(config: ServerConfig, answer: Answer) -> TestServer {
    start_with_store(config, answer, Arc::new(chio_api::store::MemoryStore::new())).await
}

/// A server keeping its grants in `store`.
pub(crate) async fn start_with_store(
    config: ServerConfig,
    answer: Answer,
    store: Arc<dyn chio_api::store::Store>,
) -> TestServer {
    let state = Arc::new(SharedState::new());
    state.set_username(Some(PLAYER.into()));
    let approvals = Arc::new(Approvals::default());
    approvals.set(answer);
    let recorder = Arc::clone(&approvals);
    let approver = move |request: ApprovalRequest| {
        let recorder = Arc::clone(&recorder);
        async move {
            recorder.asked.lock().unwrap().push(request);
            let answer = *recorder.answer.lock().unwrap();
            match answer {
                Some(Answer::Now(approval)) => approval,
                Some(Answer::Later(approval, pause)) => {
                    tokio::time::sleep(pause).await;
                    approval
                }
                Some(Answer::Never) | None => std::future::pending().await,
            }
        }
    };
    let server = ApiServer::bind_with_store(config, state.clone(), approver, store).await.unwrap();
    let addr = server.local_addr();
    let ws_addr = server.ws_local_addr();
    let handle = server.handle();
    let task = tokio::spawn(server.serve());
    TestServer { addr, ws_addr, handle, state, approvals, task }
}

/// A client that speaks raw frames, so tests can send anything.
pub(crate) struct Raw {
    pub(crate) io: FramedStream<TcpStream>,
}

impl Raw {
    pub(crate) async fn connect(addr: SocketAddr) -> Self {
        let stream = TcpStream::connect(addr).await.unwrap();
        stream.set_nodelay(true).unwrap();
        Self { io: FramedStream::new(stream, FrameCodec::new(1 << 20)) }
    }

    pub(crate) async fn send(&mut self, value: Value) {
        self.io.write_frame(value.to_string().as_bytes()).await.unwrap();
    }

    pub(crate) async fn send_payload(&mut self, payload: &[u8]) {
        self.io.write_frame(payload).await.unwrap();
    }

    /// Writes raw bytes, no framing.
    pub(crate) async fn send_bytes(&mut self, bytes: &[u8]) {
        let stream = self.io.get_mut();
        stream.write_all(bytes).await.unwrap();
        stream.flush().await.unwrap();
    }

    /// The next message, within [`PATIENCE`].
    pub(crate) async fn recv(&mut self) -> Value {
        let frame = tokio::time::timeout(PATIENCE, self.io.read_frame())
            .await
            .expect("no message in time")
            .expect("transport error")
            .expect("connection closed");
        serde_json::from_slice(&frame).unwrap()
    }

    /// Asserts that nothing arrives for [`QUIET`].
    pub(crate) async fn expect_silence(&mut self) {
        if let Ok(frame) = tokio::time::timeout(QUIET, self.io.read_frame()).await {
            panic!("expected silence, got {frame:?}");
        }
    }

    /// Asserts that the server closes the connection (cleanly or by reset) without sending more.
    pub(crate) async fn expect_closed(&mut self) {
        match tokio::time::timeout(PATIENCE, self.io.read_frame()).await {
            Ok(Ok(None)) | Ok(Err(FrameError::Io(_))) => {}
            other => panic!("expected the connection to close, got {other:?}"),
        }
    }

    /// Authenticates with `permissions` and `scope`, expecting `state`; returns the response.
    pub(crate) async fn auth(
        &mut self,
        application: &str,
        permissions: &str,
        scope: &str,
        token: Option<&str>,
    ) -> Value {
        let mut request = json!({
            "type": "auth",
            "application": application,
            "description": "a test application",
            "permissions": permissions,
            "scope": scope,
        });
        if let Some(token) = token {
            request["token"] = json!(token);
        }
        self.send(request).await;
        self.recv().await
    }
}

/// Connects and authenticates `application` with `permissions` (scope client), whitelisting
/// it first so no prompt is needed.
pub(crate) async fn authed(server: &TestServer, application: &str, permissions: &str) -> Raw {
    server.handle.whitelist(application, permissions.parse().unwrap());
    let mut raw = Raw::connect(server.addr).await;
    let answer = raw.auth(application, permissions, "client", None).await;
    assert_eq!(answer["state"], "ok", "{answer}");
    raw
}

/// Waits until `condition` holds, within [`PATIENCE`].
pub(crate) async fn eventually(mut condition: impl FnMut() -> bool) {
    let deadline = tokio::time::Instant::now() + PATIENCE;
    while !condition() {
        assert!(tokio::time::Instant::now() < deadline, "condition never held");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}
