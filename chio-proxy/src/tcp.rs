//! The TCP side: one upstream connection per client, bytes forwarded unchanged both ways
//! as they are read, decoded on the side for the observers.

use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use bytes::Bytes;
use chio_packets::login::request::LoginRequest;
use chio_packets::{Context, FromClient, FromServer};
use chio_server::outbox::Outbox;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

use crate::capture::{Dir, Kind, Transport};
use crate::session::{Session, StreamDecoder};
use crate::shared::Shared;

/// The most login bytes looked at for the three lines; past that the session is proxied
/// without decoding.
const MAX_LOGIN: usize = 4096;

/// The most injected bytes written at once.
const INJECT_BUDGET: usize = 64 * 1024;

pub(crate) async fn serve(shared: Arc<Shared>, listener: TcpListener) -> io::Result<()> {
    let upstream = shared
        .config
        .upstream_tcp
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "no upstream TCP address configured"))?;
    loop {
        tokio::select! {
            () = shared.stopped() => return Ok(()),
            accepted = listener.accept() => match accepted {
                Ok((client, _)) => {
                    tokio::spawn(connection(Arc::clone(&shared), client, upstream));
                }
                // Out of file descriptors and the like: wait, then go on.
                Err(_) => tokio::time::sleep(Duration::from_millis(50)).await,
            },
        }
    }
}

/// What the client-to-server side tells the other once the login is read.
type LoginState = Option<(Context, Outbox)>;

/// Counts a connection in [`Shared::live_tcp`] while it lives.
struct Live(Arc<Shared>);

impl Live {
    fn new(shared: &Arc<Shared>) -> Self {
        shared.live_tcp.fetch_add(1, Ordering::AcqRel);
        Self(Arc::clone(shared))
    }
}

impl Drop for Live {
    fn drop(&mut self) {
        self.0.live_tcp.fetch_sub(1, Ordering::AcqRel);
    }
}

fn timed_out(what: &str) -> io::Error {
    io::Error::new(io::ErrorKind::TimedOut, format!("the upstream {what}"))
}

/// Writes `bytes` to the upstream, failing if it takes them in no `within`.
async fn write_up(server: &mut OwnedWriteHalf, bytes: &[u8], within: Duration) -> io::Result<()> {
    tokio::time::timeout(within, server.write_all(bytes)).await.map_err(|_| timed_out("took no bytes"))?
}

/// One client: a dead upstream (refused, or not accepting in
/// [`upstream_timeout`](crate::proxy::ProxyConfig::upstream_timeout)) closes the client's
/// connection, as a dead server's would; so does an upstream that resets, ends its side,
/// sends nothing within the timeout after the client's first bytes, or does not take a
/// write within it. Once either side ends its stream, the other has the timeout to end
/// its own.
async fn connection(shared: Arc<Shared>, client: TcpStream, upstream: SocketAddr) {
    let _live = Live::new(&shared);
    let _ = client.set_nodelay(true);
    let timeout = shared.config.upstream_timeout;
    let Ok(Ok(server)) = tokio::time::timeout(timeout, TcpStream::connect(upstream)).await else { return };
    let _ = server.set_nodelay(true);
    let session = Session::new(Arc::clone(&shared), Transport::Tcp);
    let (login_tx, login_rx) = watch::channel::<LoginState>(None);
    let (sent_tx, sent_rx) = watch::channel::<Option<Instant>>(None);
    let (client_read, client_write) = client.into_split();
    let (server_read, server_write) = server.into_split();
    let pumps = async {
        let up = client_to_server(&session, client_read, server_write, &login_tx, &sent_tx);
        let down = server_to_client(&session, server_read, client_write, login_rx, sent_rx);
        tokio::pin!(up, down);
        // An error either way (a reset, a timeout) ends both. An end of stream is passed
        // on, and the other side has the timeout to end too (so that a client still
        // sending is not reset before it read the server's last bytes, and a peer that
        // never ends does not hold the session).
        tokio::select! {
            up = &mut up => if up.is_ok() {
                let _ = tokio::time::timeout(timeout, &mut down).await;
            },
            down = &mut down => if down.is_ok() {
                let _ = tokio::time::timeout(timeout, &mut up).await;
            },
        }
    };
    tokio::select! {
        () = pumps => {}
        () = shared.stopped() => {}
    }
    let logged_in = login_tx.borrow().is_some();
    if logged_in {
        shared.config.injector.close(session.id);
    }
    session.capture_end();
    if logged_in {
        shared.config.tap.closed(session.id);
    }
}

async fn client_to_server(
    session: &Session,
    mut client: OwnedReadHalf,
    mut server: OwnedWriteHalf,
    login_tx: &watch::Sender<LoginState>,
    sent_tx: &watch::Sender<Option<Instant>>,
) -> io::Result<()> {
    let timeout = session.shared.config.upstream_timeout;
    let mut buf = vec![0; 16 * 1024];
    let mut login: Option<Vec<u8>> = Some(Vec::new());
    let mut decoder: Option<StreamDecoder<FromClient>> = None;
    loop {
        let n = client.read(&mut buf).await?;
        if n == 0 {
            if let Some(partial) = login.take().filter(|partial| !partial.is_empty()) {
                session.bad_login(&partial, "the stream ended before the third login line");
                session.capture(Dir::ClientToServer, Kind::Login, &partial);
            }
            tokio::time::timeout(timeout, server.shutdown())
                .await
                .map_err(|_| timed_out("took no end"))??;
            return Ok(());
        }
        let piece = &buf[..n];
        match login.as_mut() {
            Some(lines) => {
                lines.extend_from_slice(piece);
                if let Some(len) = LoginRequest::body_len(lines) {
                    let (body, rest) = lines.split_at(len);
                    match LoginRequest::parse(body) {
                        Ok(request) => {
                            let ctx = request.version.context();
                            // Told before the bytes go on, so the answer is read for the build.
                            session.login(&request);
                            session.capture(Dir::ClientToServer, Kind::Login, body);
                            let outbox = session.shared.config.injector.open(session.id, ctx);
                            login_tx.send_replace(Some((ctx, outbox)));
                            session.capture(Dir::ClientToServer, Kind::Data, rest);
                            let mut stream = StreamDecoder::new(ctx);
                            stream.feed(session, rest, false);
                            decoder = Some(stream);
                        }
                        Err(error) => {
                            session.bad_login(body, &error.to_string());
                            session.capture(Dir::ClientToServer, Kind::Login, body);
                            session.capture(Dir::ClientToServer, Kind::Data, rest);
                        }
                    }
                    login = None;
                } else if lines.len() > MAX_LOGIN {
                    session.bad_login(lines, &format!("no login in the first {MAX_LOGIN} bytes"));
                    session.capture(Dir::ClientToServer, Kind::Login, lines);
                    login = None;
                }
            }
            None => {
                session.capture(Dir::ClientToServer, Kind::Data, piece);
                if let Some(stream) = decoder.as_mut() {
                    stream.feed(session, piece, false);
                }
            }
        }
        write_up(&mut server, piece, timeout).await?;
        if sent_tx.borrow().is_none() {
            sent_tx.send_replace(Some(Instant::now()));
        }
    }
}

/// Sleeps until `deadline`, or forever without one.
async fn sleep_until_some(deadline: Option<tokio::time::Instant>) {
    match deadline {
        Some(deadline) => tokio::time::sleep_until(deadline).await,
        None => std::future::pending().await,
    }
}

/// The next injected batch, or never if there is no queue.
async fn next_injected(outbox: Option<&Outbox>) -> Option<Vec<Bytes>> {
    match outbox {
        Some(outbox) => outbox.next_batch(INJECT_BUDGET).await,
        None => std::future::pending().await,
    }
}

async fn server_to_client(
    session: &Session,
    mut server: OwnedReadHalf,
    mut client: OwnedWriteHalf,
    mut login_rx: watch::Receiver<LoginState>,
    mut sent_rx: watch::Receiver<Option<Instant>>,
) -> io::Result<()> {
    let timeout = session.shared.config.upstream_timeout;
    // Whether the upstream has sent anything yet; until it has, it must within the timeout
    // of the client's first bytes going up.
    let mut heard = false;
    let mut buf = vec![0; 64 * 1024];
    let mut state: Option<(Context, Outbox, StreamDecoder<FromServer>)> = None;
    let mut watching = true;
    let mut injecting = true;
    loop {
        if state.is_none()
            && let Some((ctx, outbox)) = login_rx.borrow_and_update().clone()
        {
            state = Some((ctx, outbox, StreamDecoder::new(ctx)));
        }
        if injecting && state.as_ref().is_some_and(|(_, _, stream)| stream.lost()) {
            // Frame boundaries are unknown from here on: nothing can be put in.
            injecting = false;
            session.shared.config.injector.close(session.id);
        }
        let at_boundary = injecting && state.as_ref().is_some_and(|(_, _, stream)| stream.at_boundary());
        let outbox = state.as_ref().map(|(_, outbox, _)| outbox.clone());
        let sent_at = if heard { None } else { *sent_rx.borrow_and_update() };
        let deadline = sent_at.map(|at| tokio::time::Instant::from_std(at + timeout));
        tokio::select! {
            read = server.read(&mut buf) => {
                let n = read?;
                if n == 0 {
                    client.shutdown().await?;
                    return Ok(());
                }
                heard = true;
                if state.is_none()
                    && let Some((ctx, outbox)) = login_rx.borrow_and_update().clone()
                {
                    state = Some((ctx, outbox, StreamDecoder::new(ctx)));
                }
                let piece = &buf[..n];
                session.capture(Dir::ServerToClient, Kind::Data, piece);
                if let Some((_, _, stream)) = state.as_mut() {
                    stream.feed(session, piece, false);
                }
                client.write_all(piece).await?;
            }
            batch = next_injected(outbox.as_ref()), if at_boundary => match batch {
                Some(frames) => {
                    let bytes = frames.concat();
                    if let Some((ctx, _, _)) = &state {
                        session.capture(Dir::ServerToClient, Kind::Injected, &bytes);
                        session.body::<FromServer>(*ctx, &bytes, true);
                    }
                    client.write_all(&bytes).await?;
                }
                None => injecting = false,
            },
            changed = login_rx.changed(), if watching && state.is_none() => {
                if changed.is_err() {
                    watching = false;
                }
            }
            changed = sent_rx.changed(), if !heard && sent_at.is_none() => {
                if changed.is_err() {
                    // The client side ended before sending anything: nothing is awaited.
                    heard = true;
                }
            }
            () = sleep_until_some(deadline), if deadline.is_some() => {
                return Err(timed_out("sent nothing"));
            }
        }
    }
}
