//! Shared by the targets: arbitrary bytes as a stream of one packet set, read in pieces.
#![allow(dead_code)]

use chio_packets::wire::{Decoded, FrameDecoder, PacketDecoder};
use chio_packets::{BytesMut, Context, PacketSet};

/// One build per framing era: 6-byte header with gzip on everything, 7-byte header with
/// compression above 150 bytes, 7-byte header uncompressed; plus a modern one with
/// 16 slots and a large protocol.
pub const BUILDS: [u32; 4] = [282, 1000, 20121224, 20250306];

/// Reads `stream` as packets of set `S` for `ctx`, in pieces of `chunk` bytes through a
/// `FrameDecoder`: nothing may panic, and every packet that decodes must write back to a
/// frame that decodes to the same packet (compared through `Debug`, which equates NaNs).
pub fn read_stream<S: PacketSet>(stream: &[u8], ctx: Context, chunk: usize) {
    let mut frames = FrameDecoder::<S>::new(ctx);
    let mut packets = PacketDecoder::<S>::new(ctx);
    let mut buffer = BytesMut::new();
    for piece in stream.chunks(chunk.max(1)) {
        buffer.extend_from_slice(piece);
        loop {
            match frames.decode(&mut buffer) {
                Ok(Some(batch)) => {
                    for frame in &batch {
                        let Ok(frame) = frame else { return };
                        if let Ok(Decoded::Packet(packet)) = packets.decode(&frame) {
                            check_round_trip::<S>(&packet, ctx);
                        }
                    }
                }
                Ok(None) => break,
                Err(_) => return,
            }
        }
    }
    let _ = frames.decode_eof(&mut buffer);
}

/// `packet` written for `ctx` reads back as itself.
fn check_round_trip<S: PacketSet>(packet: &S::Packet<'_>, ctx: Context) {
    let mut wire = Vec::new();
    if S::write(packet, &mut wire, ctx).is_err() {
        return;
    }
    let mut again = PacketDecoder::<S>::new(ctx);
    let frame = again.frames(&wire).next().expect("one frame").expect("a frame that reads");
    let decoded = again.decode(&frame).expect("re-written bytes decode");
    assert_eq!(format!("{:?}", decoded.packet().expect("a packet")), format!("{packet:?}"));
}

// ---------------------------------------------------------------------------------------
// Helpers of the server targets (`tcp_login`, `poll_body`, `session_packets`).

/// A current-thread runtime for one fuzzing process (timers on, so deadlines work).
pub fn runtime() -> &'static tokio::runtime::Runtime {
    static RUNTIME: std::sync::OnceLock<tokio::runtime::Runtime> = std::sync::OnceLock::new();
    RUNTIME.get_or_init(|| {
        tokio::runtime::Builder::new_current_thread().enable_time().build().expect("a runtime")
    })
}

/// An in-memory stream: reads hand out `data` in pieces of `piece` bytes, every other read
/// first answering `Pending` when `stall` is set; writes are kept in `written`.
pub struct Pieces<'a> {
    pub data: &'a [u8],
    pub piece: usize,
    pub stall: bool,
    stalled: bool,
    pub read: usize,
    pub written: Vec<u8>,
}

impl<'a> Pieces<'a> {
    pub fn new(data: &'a [u8], piece: usize, stall: bool) -> Self {
        Self { data, piece: piece.max(1), stall, stalled: false, read: 0, written: Vec::new() }
    }
}

impl tokio::io::AsyncRead for Pieces<'_> {
    fn poll_read(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
        buf: &mut tokio::io::ReadBuf<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        if self.stall && !self.stalled && !self.data.is_empty() {
            self.stalled = true;
            cx.waker().wake_by_ref();
            return std::task::Poll::Pending;
        }
        self.stalled = false;
        let n = self.piece.min(buf.remaining()).min(self.data.len());
        let (head, rest) = self.data.split_at(n);
        buf.put_slice(head);
        self.data = rest;
        self.read += n;
        std::task::Poll::Ready(Ok(()))
    }
}

impl tokio::io::AsyncWrite for Pieces<'_> {
    fn poll_write(
        mut self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
        buf: &[u8],
    ) -> std::task::Poll<std::io::Result<usize>> {
        self.written.extend_from_slice(buf);
        std::task::Poll::Ready(Ok(buf.len()))
    }

    fn poll_flush(
        self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::task::Poll::Ready(Ok(()))
    }

    fn poll_shutdown(
        self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::task::Poll::Ready(Ok(()))
    }
}

/// HTTP-era builds the server targets log in with (one account each).
pub const HTTP_BUILDS: [u32; 4] = [20130815, 20140127, 20190207, 20250306];

const PASSWORD: &str = "5f4dcc3b5aa765d61d8327deb882cf99";

/// A chio-server `Server` over in-memory SQLite, driven through its HTTP router, with an
/// account and a logged-in session per build of [`HTTP_BUILDS`].
pub struct Harness {
    app: axum::Router,
    tokens: std::sync::Mutex<[Option<String>; HTTP_BUILDS.len()]>,
}

/// The process's harness, made on first use.
pub fn harness() -> &'static Harness {
    static HARNESS: std::sync::OnceLock<Harness> = std::sync::OnceLock::new();
    HARNESS.get_or_init(|| {
        use chio_server::server::{PacketRate, Server, ServerConfig};
        use chio_server::storage::{PasswordPolicy, SqliteStorage, Storage};
        let storage = SqliteStorage::in_memory(PasswordPolicy::FAST_FOR_TESTS).expect("storage");
        for i in 0..HTTP_BUILDS.len() {
            storage.register(&format!("fuzz{i}"), PASSWORD).expect("an account");
        }
        // No flood limit: a fuzzing process sends millions of packets in a row.
        let config = ServerConfig {
            packet_rate: PacketRate { burst: u32::MAX, per_second: u32::MAX },
            ..ServerConfig::default()
        };
        let server = Server::new(config, std::sync::Arc::new(storage)).expect("a server");
        let app = server.http_router();
        Harness { app, tokens: std::sync::Mutex::new(Default::default()) }
    })
}

/// A response: status, `cho-token` header, body.
pub struct Answer {
    pub status: u16,
    pub token: Option<String>,
    pub body: bytes::Bytes,
}

impl Harness {
    async fn post(&self, token: Option<&str>, body: Vec<u8>) -> Answer {
        use tower::ServiceExt;
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
    /// must be 200. After every `RELOGIN_EVERY`-th poll, and whenever the session was
    /// ended (the answer is the restart frame), a fresh login of the account must succeed
    /// (it replaces the session). Logging in for every input would be more reproducible
    /// but costs about 10 ms an input.
    pub fn poll(&self, index: usize, body: Vec<u8>) -> Answer {
        const RELOGIN_EVERY: u64 = 64;
        static POLLS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        runtime().block_on(async {
            let token = self.tokens.lock().unwrap()[index].clone();
            let token = match token {
                Some(token) => token,
                None => self.login(index).await,
            };
            let answer = self.post(Some(&token), body).await;
            assert_eq!(answer.status, 200, "a poll is answered with 200");
            let polls = POLLS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let ended = answer.body == chio_server::http::restart_frame();
            let next = if ended || polls % RELOGIN_EVERY == 0 { self.login(index).await } else { token };
            self.tokens.lock().unwrap()[index] = Some(next);
            answer
        })
    }
}
