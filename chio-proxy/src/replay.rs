//! Replaying a captured session against a server, and comparing its answer with the
//! capture's.
//!
//! [`replay`] plays the client's side of one [`Session`] with the session's build: over
//! TCP the login lines then the stream bytes, chunk by chunk; over HTTP the login body
//! (the new `cho-token` is taken) then every poll body with that token. It collects what
//! the server answered and decodes it into packets.
//!
//! [`compare`] lines up the captured and the replayed packets (as JSON values of the form
//! `chio decode` prints: `{"packet", "id", "compressed", "data"}`) and lists each
//! [`Difference`]: a missing packet, an extra one, a changed field.

use std::fmt;
use std::net::SocketAddr;
use std::time::Duration;

use bytes::Bytes;
use chio_packets::wire::{Decoded, Strictness};
use chio_packets::{Context, Direction, FromClient, FromServer, PacketDecoder, PacketSet};
use hyper::header::HeaderValue;
use serde::Serialize;
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::time::Instant;

use crate::capture::{Dir, Kind, Session, Transport, hex};

/// Where to replay a session.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// A TCP bancho server.
    Tcp(SocketAddr),
    /// An HTTP bancho server: its base URL (`http://127.0.0.1:8080`).
    Http(String),
}

/// How the captured timing is kept.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Timing {
    /// A short pause ([`ReplayOptions::fast_gap`]) between chunks.
    #[default]
    Fast,
    /// The captured times: each chunk goes when it went in the capture.
    Real,
}

/// How to replay.
#[derive(Clone, Debug)]
pub struct ReplayOptions {
    /// How the captured timing is kept.
    pub timing: Timing,
    /// The pause between chunks with [`Timing::Fast`].
    pub fast_gap: Duration,
    /// TCP: how long the server may stay quiet after the last chunk was sent before the
    /// answer is taken as complete.
    pub quiet: Duration,
    /// How long connecting, and each HTTP request, may take.
    pub timeout: Duration,
}

impl Default for ReplayOptions {
    fn default() -> Self {
        Self {
            timing: Timing::Fast,
            fast_gap: Duration::from_millis(20),
            quiet: Duration::from_millis(500),
            timeout: Duration::from_secs(10),
        }
    }
}

/// What the server answered to a replay.
#[derive(Clone, Debug)]
pub struct ReplayOutcome {
    /// The session's build.
    pub build: u32,
    /// The server's bytes: the TCP stream, or the HTTP response bodies one after the other.
    pub answer: Vec<u8>,
    /// The answer decoded into packets (see [`packets`]).
    pub packets: Vec<Value>,
}

/// Why a replay failed.
#[derive(Debug, thiserror::Error)]
pub enum ReplayError {
    /// The session cannot be replayed against this target.
    #[error("{0}")]
    Session(String),
    /// Connecting, sending or receiving failed.
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// An HTTP request failed.
    #[error("HTTP: {0}")]
    Http(String),
    /// Something took longer than [`ReplayOptions::timeout`].
    #[error("timed out: {0}")]
    Timeout(&'static str),
}

/// The server's packets as captured in `session` (without injected frames), decoded
/// with the session's build.
pub fn captured_packets(session: &Session) -> Vec<Value> {
    let ctx = Context::new(session.start.build);
    match session.start.transport {
        Transport::Tcp => {
            packets(&session.bytes(Dir::ServerToClient, &[Kind::Data]), ctx, Direction::ServerToClient)
        }
        Transport::Http => {
            let bodies =
                session.records.iter().filter(|r| r.dir == Dir::ServerToClient && r.kind == Kind::Data);
            bodies.flat_map(|r| packets(&r.bytes, ctx, Direction::ServerToClient)).collect()
        }
    }
}

/// Decodes a stream of frames sent in `direction` into JSON values, one per frame, of the
/// form `chio decode` prints: `{"packet", "id", "compressed", "data"}` (with
/// `"trailing": <hex>` for bytes after the payload's fields), `{"raw": true, "id",
/// "compressed", "payload": <hex>}` for a frame the build has no packet for. Bytes that do
/// not frame or decode end the list with `{"undecodable": <why>, "offset": <byte>}`.
pub fn packets(bytes: &[u8], ctx: Context, direction: Direction) -> Vec<Value> {
    match direction {
        Direction::ServerToClient => packets_of::<FromServer>(bytes, ctx),
        Direction::ClientToServer => packets_of::<FromClient>(bytes, ctx),
    }
}

fn packets_of<S: PacketSet>(bytes: &[u8], ctx: Context) -> Vec<Value>
where
    for<'a> S::Packet<'a>: Serialize,
{
    let mut decoder = PacketDecoder::<S>::new(ctx).with_strictness(Strictness::Lenient);
    let mut frames = decoder.frames(bytes);
    let mut out = Vec::new();
    loop {
        let at = frames.position();
        let frame = match frames.next() {
            None => break,
            Some(Ok(frame)) => frame,
            Some(Err(error)) => {
                out.push(json!({ "undecodable": error.to_string(), "offset": at }));
                break;
            }
        };
        match decoder.decode(&frame) {
            Ok(Decoded::Packet(packet)) => {
                let name = S::name(&packet);
                let data = chio_packets::json::payload(&packet).unwrap_or(Value::Null);
                let data = chio_packets::json::on_the_wire(data, S::DIRECTION, name, ctx);
                let mut line = json!({
                    "packet": name,
                    "id": frame.wire_id,
                    "compressed": frame.compressed,
                    "data": data,
                });
                let trailing = &frame.payload[decoder.used()..];
                if !trailing.is_empty() {
                    line["trailing"] = Value::String(hex(trailing));
                }
                out.push(line);
            }
            Ok(Decoded::Raw(frame)) => out.push(json!({
                "raw": true,
                "id": frame.wire_id,
                "compressed": frame.compressed,
                "payload": hex(&frame.payload),
            })),
            Err(error) => {
                out.push(json!({ "undecodable": error.to_string(), "offset": at }));
                break;
            }
        }
    }
    out
}

/// Replays the client's side of `session` against `target` and decodes the answer.
///
/// # Errors
///
/// See [`ReplayError`]: a TCP session against an HTTP target (or the other way round), a
/// session without a login, a connection or request that failed or timed out, an HTTP
/// login the server refused (no `cho-token`) when the session went on to poll (a session
/// that is only a login gets the refusal as its answer).
pub async fn replay(
    session: &Session,
    target: Target,
    options: &ReplayOptions,
) -> Result<ReplayOutcome, ReplayError> {
    let ctx = Context::new(session.start.build);
    let (answer, packets) = match (session.start.transport, target) {
        (Transport::Tcp, Target::Tcp(addr)) => {
            let answer = replay_tcp(session, addr, options).await?;
            let packets = packets(&answer, ctx, Direction::ServerToClient);
            (answer, packets)
        }
        (Transport::Http, Target::Http(url)) => {
            let bodies = replay_http(session, &url, options).await?;
            let packets =
                bodies.iter().flat_map(|body| packets(body, ctx, Direction::ServerToClient)).collect();
            (bodies.concat(), packets)
        }
        (Transport::Tcp, Target::Http(url)) => {
            return Err(ReplayError::Session(format!(
                "session {} is a TCP session: replay it against a TCP address, not {url}",
                session.id
            )));
        }
        (Transport::Http, Target::Tcp(addr)) => {
            return Err(ReplayError::Session(format!(
                "session {} is an HTTP session: replay it against an http:// URL, not {addr}",
                session.id
            )));
        }
    };
    Ok(ReplayOutcome { build: session.start.build, answer, packets })
}

/// The client's records to send, with when to send each (relative to the replay's start).
fn schedule<'s>(session: &'s Session, kind: Kind, options: &ReplayOptions) -> Vec<(Duration, &'s [u8])> {
    let records = session.records.iter().filter(|r| r.dir == Dir::ClientToServer && r.kind == kind);
    records
        .enumerate()
        .map(|(index, record)| {
            let at = match options.timing {
                Timing::Real => Duration::from_millis(record.t_ms),
                Timing::Fast => options.fast_gap * u32::try_from(index).unwrap_or(u32::MAX),
            };
            (at, record.bytes.as_slice())
        })
        .collect()
}

async fn replay_tcp(
    session: &Session,
    addr: SocketAddr,
    options: &ReplayOptions,
) -> Result<Vec<u8>, ReplayError> {
    let login = session.bytes(Dir::ClientToServer, &[Kind::Login]);
    if login.is_empty() {
        return Err(ReplayError::Session(format!("session {} has no login to replay", session.id)));
    }
    let stream = tokio::time::timeout(options.timeout, TcpStream::connect(addr))
        .await
        .map_err(|_| ReplayError::Timeout("connecting"))??;
    stream.set_nodelay(true)?;
    let (mut reader, mut writer) = stream.into_split();
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<Vec<u8>>();
    let reading = tokio::spawn(async move {
        let mut buf = vec![0; 16 * 1024];
        loop {
            match reader.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    if tx.send(buf[..n].to_vec()).is_err() {
                        break;
                    }
                }
            }
        }
    });
    let mut answer = Vec::new();
    let start = Instant::now();
    // The login goes first, as captured; then the stream, chunk by chunk.
    let login_t = session
        .records
        .iter()
        .find(|r| r.dir == Dir::ClientToServer && r.kind == Kind::Login)
        .map_or(0, |r| r.t_ms);
    if options.timing == Timing::Real {
        tokio::time::sleep_until(start + Duration::from_millis(login_t)).await;
    }
    writer.write_all(&login).await?;
    let offset = match options.timing {
        Timing::Fast => start.elapsed() + options.fast_gap,
        Timing::Real => Duration::ZERO,
    };
    for (at, bytes) in schedule(session, Kind::Data, options) {
        tokio::time::sleep_until(start + offset + at).await;
        while let Ok(chunk) = rx.try_recv() {
            answer.extend_from_slice(&chunk);
        }
        if writer.write_all(bytes).await.is_err() {
            // The server closed: what it sent is its answer.
            break;
        }
    }
    let _ = writer.flush().await;
    // Read until the server closes or stays quiet.
    let deadline = Instant::now() + options.timeout.max(options.quiet);
    loop {
        let until = (Instant::now() + options.quiet).min(deadline);
        match tokio::time::timeout_at(until, rx.recv()).await {
            Ok(Some(chunk)) => answer.extend_from_slice(&chunk),
            Ok(None) | Err(_) => break,
        }
    }
    reading.abort();
    drop(writer);
    Ok(answer)
}

async fn replay_http(
    session: &Session,
    url: &str,
    options: &ReplayOptions,
) -> Result<Vec<Vec<u8>>, ReplayError> {
    let login = session.bytes(Dir::ClientToServer, &[Kind::Login]);
    if login.is_empty() {
        return Err(ReplayError::Session(format!("session {} has no login to replay", session.id)));
    }
    let mut http = HttpTarget::new(url, &session.start.version, options.timeout)?;
    let start = Instant::now();
    let (token, body) = http.post(None, login).await?;
    let polls = schedule(session, Kind::Poll, options);
    let Some(token) = token.filter(|token| token != "no" && !token.is_empty()) else {
        // A refused login is an answer to compare if the capture's was refused too (it
        // polled no more).
        if polls.is_empty() {
            return Ok(vec![body]);
        }
        return Err(ReplayError::Http("the server refused the login: no cho-token".to_owned()));
    };
    let mut bodies = vec![body];
    let login_done = start.elapsed();
    for (at, bytes) in polls {
        let at = if options.timing == Timing::Fast { login_done + options.fast_gap + at } else { at };
        tokio::time::sleep_until(start + at).await;
        let (_, body) = http.post(Some(&token), bytes.to_vec()).await?;
        bodies.push(body);
    }
    Ok(bodies)
}

/// An HTTP bancho server, one keep-alive connection at a time (the headless client's
/// [`chio_client::HttpConnection`]), each request under the replay's timeout.
struct HttpTarget {
    connection: chio_client::HttpConnection,
    timeout: Duration,
}

impl HttpTarget {
    fn new(url: &str, version: &str, timeout: Duration) -> Result<Self, ReplayError> {
        let connection = chio_client::HttpConnection::new(url, version)
            .map_err(|error| ReplayError::Session(error.to_string()))?;
        Ok(Self { connection, timeout })
    }

    /// `POST`s `body` (with `token` as `osu-token`): the `cho-token` answered, and the body.
    async fn post(
        &mut self,
        token: Option<&str>,
        body: Vec<u8>,
    ) -> Result<(Option<String>, Vec<u8>), ReplayError> {
        let token = token
            .map(HeaderValue::from_str)
            .transpose()
            .map_err(|error| ReplayError::Session(format!("the token is no header value: {error}")))?;
        let answer =
            tokio::time::timeout(self.timeout, self.connection.post(token.as_ref(), Bytes::from(body)))
                .await
                .map_err(|_| ReplayError::Timeout("an HTTP request"))?
                .map_err(|error| match error {
                    chio_client::ClientError::Io(error) => ReplayError::Io(error),
                    error => ReplayError::Http(error.to_string()),
                })?;
        if !answer.status.is_success() {
            return Err(ReplayError::Http(format!("the server answered {}", answer.status)));
        }
        let token = answer.headers.get("cho-token").and_then(|token| token.to_str().ok()).map(str::to_owned);
        Ok((token, answer.body.to_vec()))
    }
}

/// A difference between the captured packets and the replayed ones.
///
/// Packets are numbered from 1 in their stream (the line of `chio decode`'s output):
/// a missing or changed packet by its number in the capture, an extra one by its
/// number in the replay.
#[derive(Clone, Debug, PartialEq)]
pub enum Difference {
    /// The capture has the packet; the replay does not.
    Missing {
        /// Its number in the capture.
        index: usize,
        /// Its name.
        name: String,
    },
    /// The replay has a packet the capture does not.
    Extra {
        /// Its number in the replay.
        index: usize,
        /// Its name.
        name: String,
    },
    /// A field of a packet both have differs.
    Changed {
        /// Its number in the capture.
        index: usize,
        /// Its name.
        name: String,
        /// The field's path from the packet line (`data.content`, `data.slots[3].user_id`).
        path: String,
        /// The captured value (`None`: absent).
        captured: Option<Value>,
        /// The replayed value (`None`: absent).
        replayed: Option<Value>,
    },
}

impl fmt::Display for Difference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let show =
            |value: &Option<Value>| value.as_ref().map_or_else(|| "absent".to_owned(), Value::to_string);
        match self {
            Self::Missing { index, name } => write!(f, "missing packet {index} {name}"),
            Self::Extra { index, name } => write!(f, "extra packet {index} {name}"),
            Self::Changed { index, name, path, captured, replayed } => {
                write!(
                    f,
                    "packet {index} {name}: {path}: captured {} != replayed {}",
                    show(captured),
                    show(replayed)
                )
            }
        }
    }
}

/// A packet line's name: its packet, `raw frame (id N)`, or `undecodable`.
fn name_of(value: &Value) -> String {
    if let Some(name) = value.get("packet").and_then(Value::as_str) {
        return name.to_owned();
    }
    if value.get("raw").is_some() {
        return format!("raw frame (id {})", value.get("id").unwrap_or(&Value::Null));
    }
    if value.get("undecodable").is_some() {
        return "undecodable bytes".to_owned();
    }
    value.to_string()
}

/// `value` without the keys `ignore` names. An entry is a key, ignored at any depth
/// (`user_id`), or a dotted path from the packet line (`data.id`), which may start with a
/// packet name (`BanchoLoginReply.data`) to apply to that packet only.
fn without_ignored(value: &Value, ignore: &[String]) -> Value {
    let mut value = value.clone();
    let name = name_of(&value);
    for rule in ignore {
        if !rule.contains('.') {
            remove_key(&mut value, rule);
            continue;
        }
        let mut segments: Vec<&str> = rule.split('.').collect();
        if segments[0].starts_with(|c: char| c.is_ascii_uppercase()) {
            if segments[0] != name {
                continue;
            }
            segments.remove(0);
        }
        remove_path(&mut value, &segments);
    }
    value
}

fn remove_key(value: &mut Value, key: &str) {
    match value {
        Value::Object(map) => {
            map.remove(key);
            map.values_mut().for_each(|v| remove_key(v, key));
        }
        Value::Array(items) => items.iter_mut().for_each(|v| remove_key(v, key)),
        _ => {}
    }
}

fn remove_path(value: &mut Value, path: &[&str]) {
    match (value, path) {
        (_, []) => {}
        (Value::Object(map), [last]) => {
            map.remove(*last);
        }
        (Value::Object(map), [first, rest @ ..]) => {
            if let Some(inner) = map.get_mut(*first) {
                remove_path(inner, rest);
            }
        }
        // A path goes through every item of a list.
        (Value::Array(items), path) => items.iter_mut().for_each(|item| remove_path(item, path)),
        _ => {}
    }
}

/// Compares the captured packets with the replayed ones, in order: the two lists are
/// lined up (a longest common subsequence of packet names), then each pair is compared
/// field by field. Keys named in `ignore` are left out of both. An empty list: equal.
///
/// # Ignoring
///
/// An `ignore` entry is a key, ignored at any depth (`user_id`), or a dotted path from the
/// packet line (`data.id`), which may start with a packet name (`BanchoLoginReply.data`)
/// to apply to that packet only.
pub fn compare(captured: &[Value], replayed: &[Value], ignore: &[String]) -> Vec<Difference> {
    let captured: Vec<Value> = captured.iter().map(|v| without_ignored(v, ignore)).collect();
    let replayed: Vec<Value> = replayed.iter().map(|v| without_ignored(v, ignore)).collect();
    let names_a: Vec<String> = captured.iter().map(name_of).collect();
    let names_b: Vec<String> = replayed.iter().map(name_of).collect();
    let mut differences = Vec::new();
    for step in align(&names_a, &names_b, &captured, &replayed) {
        match step {
            Step::Pair(i, j) => {
                field_differences(i + 1, &names_a[i], &captured[i], &replayed[j], &mut differences)
            }
            Step::Missing(i) => {
                differences.push(Difference::Missing { index: i + 1, name: names_a[i].clone() })
            }
            Step::Extra(j) => differences.push(Difference::Extra { index: j + 1, name: names_b[j].clone() }),
        }
    }
    differences
}

/// The most cells of the alignment table; a longer differing middle is lined up greedily.
const MAX_CELLS: usize = 4_000_000;

/// How far ahead the greedy alignment looks for a packet of the same name.
const LOOKAHEAD: usize = 64;

/// One step of an alignment of two packet lists.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Step {
    /// Captured packet `i` lines up with replayed packet `j`.
    Pair(usize, usize),
    /// Captured packet `i` has no counterpart.
    Missing(usize),
    /// Replayed packet `j` has no counterpart.
    Extra(usize),
}

/// Lines up `a` and `b` (packets and their names): the equal head and tail pair up, the
/// middle by a longest common subsequence of names (equal packets weighing more than
/// packets of one name), or greedily if it is too long for the table.
fn align(names_a: &[String], names_b: &[String], a: &[Value], b: &[Value]) -> Vec<Step> {
    let (n, m) = (a.len(), b.len());
    let head = (0..n.min(m)).take_while(|&k| a[k] == b[k]).count();
    let tail = (0..(n - head).min(m - head)).take_while(|&k| a[n - 1 - k] == b[m - 1 - k]).count();
    let mut steps: Vec<Step> = (0..head).map(|k| Step::Pair(k, k)).collect();
    let (a_end, b_end) = (n - tail, m - tail);
    let (la, lb) = (a_end - head, b_end - head);
    if (la + 1).saturating_mul(lb + 1) <= MAX_CELLS {
        let score = |i: usize, j: usize| -> usize {
            let (i, j) = (head + i, head + j);
            if names_a[i] != names_b[j] {
                0
            } else if a[i] == b[j] {
                3
            } else {
                2
            }
        };
        // table[i * (lb + 1) + j]: the best score of the middle's a[i..] and b[j..].
        let width = lb + 1;
        let mut table = vec![0usize; (la + 1) * width];
        for i in (0..la).rev() {
            for j in (0..lb).rev() {
                let pair = match score(i, j) {
                    0 => 0,
                    s => s + table[(i + 1) * width + j + 1],
                };
                table[i * width + j] = pair.max(table[(i + 1) * width + j]).max(table[i * width + j + 1]);
            }
        }
        let (mut i, mut j) = (0, 0);
        while i < la || j < lb {
            if i < la && j < lb {
                let s = score(i, j);
                if s > 0 && table[i * width + j] == s + table[(i + 1) * width + j + 1] {
                    steps.push(Step::Pair(head + i, head + j));
                    (i, j) = (i + 1, j + 1);
                } else if table[i * width + j] == table[(i + 1) * width + j] {
                    steps.push(Step::Missing(head + i));
                    i += 1;
                } else {
                    steps.push(Step::Extra(head + j));
                    j += 1;
                }
            } else if i < la {
                steps.push(Step::Missing(head + i));
                i += 1;
            } else {
                steps.push(Step::Extra(head + j));
                j += 1;
            }
        }
    } else {
        let (mut i, mut j) = (head, head);
        while i < a_end && j < b_end {
            if names_a[i] == names_b[j] {
                steps.push(Step::Pair(i, j));
                (i, j) = (i + 1, j + 1);
            } else if let Some(k) = (j + 1..b_end.min(j + LOOKAHEAD)).find(|&k| names_b[k] == names_a[i]) {
                steps.extend((j..k).map(Step::Extra));
                j = k;
            } else {
                steps.push(Step::Missing(i));
                i += 1;
            }
        }
        steps.extend((i..a_end).map(Step::Missing));
        steps.extend((j..b_end).map(Step::Extra));
    }
    steps.extend((0..tail).map(|k| Step::Pair(a_end + k, b_end + k)));
    steps
}

/// Compares as [`compare`] does, but as multisets: the order packets came in does not
/// matter (concurrent broadcasts may legitimately come in another order). Equal packets
/// pair up first; what is left pairs up by name, in order, for field differences.
pub fn compare_unordered(captured: &[Value], replayed: &[Value], ignore: &[String]) -> Vec<Difference> {
    let captured: Vec<Value> = captured.iter().map(|v| without_ignored(v, ignore)).collect();
    let replayed: Vec<Value> = replayed.iter().map(|v| without_ignored(v, ignore)).collect();
    let mut used = vec![false; replayed.len()];
    let mut left = Vec::new();
    for (i, packet) in captured.iter().enumerate() {
        match (0..replayed.len()).find(|&j| !used[j] && replayed[j] == *packet) {
            Some(j) => used[j] = true,
            None => left.push(i),
        }
    }
    let mut differences = Vec::new();
    for i in left {
        let name = name_of(&captured[i]);
        match (0..replayed.len()).find(|&j| !used[j] && name_of(&replayed[j]) == name) {
            Some(j) => {
                used[j] = true;
                field_differences(i + 1, &name, &captured[i], &replayed[j], &mut differences);
            }
            None => differences.push(Difference::Missing { index: i + 1, name }),
        }
    }
    for (j, packet) in replayed.iter().enumerate() {
        if !used[j] {
            differences.push(Difference::Extra { index: j + 1, name: name_of(packet) });
        }
    }
    differences
}

/// The fields of `a` and `b` (one packet) that differ, each as a [`Difference::Changed`].
fn field_differences(index: usize, name: &str, a: &Value, b: &Value, out: &mut Vec<Difference>) {
    let mut changed = Vec::new();
    walk("", Some(a), Some(b), &mut changed);
    out.extend(changed.into_iter().map(|(path, captured, replayed)| Difference::Changed {
        index,
        name: name.to_owned(),
        path,
        captured,
        replayed,
    }));
}

type Change = (String, Option<Value>, Option<Value>);

fn walk(path: &str, a: Option<&Value>, b: Option<&Value>, out: &mut Vec<Change>) {
    match (a, b) {
        (Some(Value::Object(a)), Some(Value::Object(b))) => {
            let keys: Vec<&String> = a.keys().chain(b.keys().filter(|key| !a.contains_key(*key))).collect();
            for key in keys {
                let inner = if path.is_empty() { key.clone() } else { format!("{path}.{key}") };
                walk(&inner, a.get(key), b.get(key), out);
            }
        }
        (Some(Value::Array(a)), Some(Value::Array(b))) if a.len() == b.len() => {
            for (index, (a, b)) in a.iter().zip(b).enumerate() {
                walk(&format!("{path}[{index}]"), Some(a), Some(b), out);
            }
        }
        (a, b) if a != b => {
            let path = if path.is_empty() { "(the packet)".to_owned() } else { path.to_owned() };
            out.push((path, a.cloned(), b.cloned()));
        }
        _ => {}
    }
}

/// `ignore` with the keys that hold user ids, for `--ignore-ids`: `user_id`, `user_ids`,
/// `sender_id`, `host_id`, and the id in `BanchoLoginReply`'s data.
pub fn with_ids(ignore: &[String]) -> Vec<String> {
    let mut all = ignore.to_vec();
    for key in ID_KEYS {
        if !all.iter().any(|known| known == key) {
            all.push((*key).to_owned());
        }
    }
    all
}

/// The keys [`with_ids`] adds.
pub const ID_KEYS: &[&str] = &["user_id", "user_ids", "sender_id", "host_id", "BanchoLoginReply.data"];

#[cfg(test)]
mod tests {
    use super::*;

    fn packet(name: &str, data: Value) -> Value {
        json!({ "packet": name, "id": 7, "compressed": false, "data": data })
    }

    fn lines(differences: &[Difference]) -> Vec<String> {
        differences.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn equal_streams_have_no_difference() {
        let a = vec![packet("BanchoLoginReply", json!(3)), packet("BanchoPing", Value::Null)];
        assert!(compare(&a, &a, &[]).is_empty());
        assert!(compare_unordered(&a, &a, &[]).is_empty());
        assert!(compare(&[], &[], &[]).is_empty());
    }

    #[test]
    fn a_changed_field_names_its_path() {
        let a = vec![
            packet("BanchoPing", Value::Null),
            packet("BanchoMessage", json!({ "content": "hi", "sender": "x" })),
        ];
        let b = vec![
            packet("BanchoPing", Value::Null),
            packet("BanchoMessage", json!({ "content": "ho", "sender": "x" })),
        ];
        assert_eq!(
            lines(&compare(&a, &b, &[])),
            ["packet 2 BanchoMessage: data.content: captured \"hi\" != replayed \"ho\""]
        );
        let a = vec![packet("BanchoChannels", json!({ "slots": [{ "user_id": 1 }, { "user_id": 2 }] }))];
        let b = vec![packet(
            "BanchoChannels",
            json!({ "slots": [{ "user_id": 1 }, { "user_id": 5 }], "more": 1 }),
        )];
        assert_eq!(
            lines(&compare(&a, &b, &[])),
            [
                "packet 1 BanchoChannels: data.slots[1].user_id: captured 2 != replayed 5",
                "packet 1 BanchoChannels: data.more: captured absent != replayed 1"
            ]
        );
    }

    #[test]
    fn missing_and_extra_packets_do_not_shift_the_rest() {
        let ping = packet("BanchoPing", Value::Null);
        let msg = |text: &str| packet("BanchoMessage", json!({ "content": text }));
        let a = vec![ping.clone(), msg("a"), packet("BanchoMatchUpdate", json!({})), msg("b")];
        let b = vec![ping.clone(), msg("a"), msg("b"), ping.clone()];
        assert_eq!(
            lines(&compare(&a, &b, &[])),
            ["missing packet 3 BanchoMatchUpdate", "extra packet 4 BanchoPing"]
        );
        let raw = json!({ "raw": true, "id": 99, "compressed": false, "payload": "" });
        assert_eq!(lines(&compare(&[], &[raw], &[])), ["extra packet 1 raw frame (id 99)"]);
    }

    #[test]
    fn ignored_keys_at_any_depth_and_paths() {
        let a = vec![
            packet("BanchoLoginReply", json!(3)),
            packet("BanchoUserPresence", json!({ "user_id": 3, "inner": { "user_id": 3, "timezone": 1 } })),
        ];
        let b = vec![
            packet("BanchoLoginReply", json!(4)),
            packet("BanchoUserPresence", json!({ "user_id": 4, "inner": { "user_id": 4, "timezone": 2 } })),
        ];
        assert_eq!(compare(&a, &b, &[]).len(), 4);
        let ignore = vec!["user_id".to_owned(), "BanchoLoginReply.data".to_owned()];
        assert_eq!(
            lines(&compare(&a, &b, &ignore)),
            ["packet 2 BanchoUserPresence: data.inner.timezone: captured 1 != replayed 2"]
        );
        let ignore = with_ids(&["data.inner.timezone".to_owned()]);
        assert!(compare(&a, &b, &ignore).is_empty());
        // A packet name limits a path to that packet.
        let ignore = vec!["BanchoOther.data".to_owned()];
        assert_eq!(compare(&a, &b, &ignore).len(), 4);
    }

    #[test]
    fn long_lists_line_up_without_a_huge_table() {
        let msg = |k: usize| packet("BanchoMessage", json!({ "content": k.to_string() }));
        let ping = packet("BanchoPing", Value::Null);
        let a: Vec<Value> = (0..5000).map(msg).collect();
        let mut b = a.clone();
        b.insert(2500, ping.clone());
        b[10] = msg(99_999);
        assert_eq!(
            lines(&compare(&a, &b, &[])),
            [
                "packet 11 BanchoMessage: data.content: captured \"10\" != replayed \"99999\"",
                "extra packet 2501 BanchoPing"
            ]
        );
        // Different all through: the greedy alignment.
        let c: Vec<Value> = (0..5000).map(|k| if k % 2 == 0 { ping.clone() } else { msg(k) }).collect();
        let differences = compare(&a, &c, &[]);
        assert!(differences.iter().any(|d| matches!(d, Difference::Changed { .. })));
        assert!(differences.iter().any(|d| matches!(d, Difference::Extra { .. })));
    }

    #[test]
    fn unordered_compares_multisets() {
        let msg = |text: &str| packet("BanchoMessage", json!({ "content": text }));
        let a = vec![msg("a"), msg("b"), msg("c")];
        let b = vec![msg("c"), msg("a"), msg("b")];
        assert!(!compare(&a, &b, &[]).is_empty());
        assert!(compare_unordered(&a, &b, &[]).is_empty());
        let b = vec![msg("c"), msg("x"), packet("BanchoPing", Value::Null)];
        assert_eq!(
            lines(&compare_unordered(&a, &b, &[])),
            [
                "packet 1 BanchoMessage: data.content: captured \"a\" != replayed \"x\"",
                "missing packet 2 BanchoMessage",
                "extra packet 3 BanchoPing"
            ]
        );
    }

    #[test]
    fn packets_decode_as_chio_decode_prints_them() {
        let ctx = Context::new(20250306);
        let values = packets(&[5, 0, 0, 4, 0, 0, 0, 0xe8, 3, 0, 0, 5, 0], ctx, Direction::ServerToClient);
        assert_eq!(
            values[0],
            json!({ "packet": "BanchoLoginReply", "id": 5, "compressed": false, "data": 1000 })
        );
        assert!(values[1].get("undecodable").is_some());
    }
}
