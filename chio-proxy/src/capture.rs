//! The capture file: every byte of proxied sessions, with direction and timing.
//!
//! # Format
//!
//! UTF-8 JSON lines, so that a capture is readable, diffable and appendable while the
//! proxy runs. The first line names the format; then each line belongs to one session:
//!
//! ```text
//! {"chio_capture":1}
//! {"session":1,"start":{"transport":"tcp","version":"b1000","build":1000,"unix_ms":1764669600000}}
//! {"session":1,"t_ms":0,"dir":"c2s","kind":"login","hex":"7065707079..."}
//! {"session":1,"t_ms":3,"dir":"s2c","kind":"data","hex":"050000040000..."}
//! {"session":1,"t_ms":950,"end":true}
//! ```
//!
//! - `start`: the session's transport (`tcp` or `http`), the client version as it logged
//!   in, its build, and the wall-clock start.
//! - `t_ms`: milliseconds since the session's start.
//! - `dir`: `c2s` (client to server) or `s2c` (server to client).
//! - `kind`: `login` (TCP: the three login lines; HTTP: the login request body), `data`
//!   (TCP: bytes as they were read; HTTP: a response body), `poll` (HTTP: a poll's request
//!   body), `injected` (frames the proxy put into the client's stream itself; they did not
//!   come from the server).
//! - `hex`: the bytes, lowercase hex. Login lines hold the password's MD5 as the client
//!   sent it: a capture is as sensitive as the traffic.
//! - `end`: the session ended.
//!
//! Lines of sessions that run at the same time interleave; a reader sorts them out by
//! `session`. `chio decode --capture` reads this format.

use std::io::{self, BufRead, Write};

use serde::{Deserialize, Serialize};

use crate::tap::SessionId;

/// The format's version, in the first line.
pub const FORMAT_VERSION: u32 = 1;

/// How a session talked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Transport {
    /// One TCP connection.
    Tcp,
    /// HTTP polling.
    Http,
}

/// Which way bytes went.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Dir {
    /// Client to server.
    #[serde(rename = "c2s")]
    ClientToServer,
    /// Server to client.
    #[serde(rename = "s2c")]
    ServerToClient,
}

/// What a record's bytes are.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// The login lines (TCP) or the login request body (HTTP).
    Login,
    /// Stream bytes (TCP) or a response body (HTTP).
    Data,
    /// A poll's request body (HTTP).
    Poll,
    /// Frames the proxy injected into the client's stream.
    Injected,
}

/// A session's first line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Start {
    /// How the client talked.
    pub transport: Transport,
    /// The client version as it logged in (`b20250306`).
    pub version: String,
    /// Its build.
    pub build: u32,
    /// When the session started, in milliseconds since the Unix epoch.
    pub unix_ms: u64,
}

/// Bytes of one session, one way.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Record {
    /// Milliseconds since the session started.
    pub t_ms: u64,
    /// Which way.
    pub dir: Dir,
    /// What they are.
    pub kind: Kind,
    /// The bytes.
    pub bytes: Vec<u8>,
}

/// One session of a capture.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Session {
    /// Its number in the capture.
    pub id: SessionId,
    /// Its first line.
    pub start: Start,
    /// Its bytes, in order.
    pub records: Vec<Record>,
    /// Whether its end was recorded.
    pub ended: bool,
}

impl Session {
    /// The bytes one way (for TCP, the stream; for HTTP, the bodies one after the other),
    /// without injected frames unless `injected`.
    pub fn bytes(&self, dir: Dir, kinds: &[Kind]) -> Vec<u8> {
        self.records
            .iter()
            .filter(|r| r.dir == dir && kinds.contains(&r.kind))
            .flat_map(|r| r.bytes.iter().copied())
            .collect()
    }
}

#[derive(Serialize, Deserialize)]
struct Line {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    chio_capture: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    session: Option<SessionId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    start: Option<Start>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    t_ms: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    dir: Option<Dir>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    kind: Option<Kind>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    hex: Option<String>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    end: bool,
}

impl Line {
    fn empty() -> Self {
        Self {
            chio_capture: None,
            session: None,
            start: None,
            t_ms: None,
            dir: None,
            kind: None,
            hex: None,
            end: false,
        }
    }
}

/// Writes a capture, one line at a time, flushing each.
#[derive(Debug)]
pub struct CaptureWriter<W: Write> {
    out: W,
}

impl<W: Write> CaptureWriter<W> {
    /// Starts a capture on `out` with the format line.
    ///
    /// # Errors
    ///
    /// Writing failed.
    pub fn new(mut out: W) -> io::Result<Self> {
        let line = Line { chio_capture: Some(FORMAT_VERSION), ..Line::empty() };
        write_line(&mut out, &line)?;
        Ok(Self { out })
    }

    /// Records a session's start.
    ///
    /// # Errors
    ///
    /// Writing failed.
    pub fn start(&mut self, session: SessionId, start: &Start) -> io::Result<()> {
        write_line(
            &mut self.out,
            &Line { session: Some(session), start: Some(start.clone()), ..Line::empty() },
        )
    }

    /// Records bytes of a session.
    ///
    /// # Errors
    ///
    /// Writing failed.
    pub fn record(
        &mut self,
        session: SessionId,
        t_ms: u64,
        dir: Dir,
        kind: Kind,
        bytes: &[u8],
    ) -> io::Result<()> {
        let line = Line {
            session: Some(session),
            t_ms: Some(t_ms),
            dir: Some(dir),
            kind: Some(kind),
            hex: Some(hex(bytes)),
            ..Line::empty()
        };
        write_line(&mut self.out, &line)
    }

    /// Records a session's end.
    ///
    /// # Errors
    ///
    /// Writing failed.
    pub fn end(&mut self, session: SessionId, t_ms: u64) -> io::Result<()> {
        write_line(
            &mut self.out,
            &Line { session: Some(session), t_ms: Some(t_ms), end: true, ..Line::empty() },
        )
    }
}

fn write_line<W: Write>(out: &mut W, line: &Line) -> io::Result<()> {
    serde_json::to_writer(&mut *out, line)?;
    out.write_all(b"\n")?;
    out.flush()
}

/// Lowercase hex, as captures and logs write bytes.
pub(crate) fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 15)]));
    }
    out
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    let digit = |c: u8| char::from(c).to_digit(16).map(|d| d as u8);
    let text = text.as_bytes();
    if !text.len().is_multiple_of(2) {
        return None;
    }
    text.chunks(2).map(|pair| Some(digit(pair[0])? << 4 | digit(pair[1])?)).collect()
}

/// Why a capture could not be read.
#[derive(Debug, thiserror::Error)]
pub enum CaptureError {
    /// Reading failed.
    #[error("reading the capture: {0}")]
    Io(#[from] io::Error),
    /// The first line is not a chio capture of a known version.
    #[error("not a chio capture (version {FORMAT_VERSION}): the first line is {0}")]
    NotACapture(String),
    /// A line is not what the format says.
    #[error("line {line}: {reason}")]
    Line {
        /// The line number, from 1.
        line: usize,
        /// What is wrong.
        reason: String,
    },
}

/// Reads a whole capture: its sessions in the order they started.
///
/// # Errors
///
/// See [`CaptureError`]; nothing in the input makes this panic.
pub fn read(input: impl BufRead) -> Result<Vec<Session>, CaptureError> {
    let mut lines = input.lines();
    let first = lines.next().transpose()?.unwrap_or_default();
    match serde_json::from_str::<Line>(&first) {
        Ok(Line { chio_capture: Some(FORMAT_VERSION), .. }) => {}
        _ => return Err(CaptureError::NotACapture(first.chars().take(80).collect())),
    }
    let mut sessions: Vec<Session> = Vec::new();
    for (index, line) in lines.enumerate() {
        let number = index + 2;
        let text = line?;
        if text.trim().is_empty() {
            continue;
        }
        let bad = |reason: &str| CaptureError::Line { line: number, reason: reason.to_owned() };
        let line: Line = serde_json::from_str(&text).map_err(|e| bad(&e.to_string()))?;
        let id = line.session.ok_or_else(|| bad("no session"))?;
        if let Some(start) = line.start {
            if sessions.iter().any(|s| s.id == id) {
                return Err(bad("a session started twice"));
            }
            sessions.push(Session { id, start, records: Vec::new(), ended: false });
            continue;
        }
        let session =
            sessions.iter_mut().find(|s| s.id == id).ok_or_else(|| bad("a session before its start"))?;
        if line.end {
            session.ended = true;
            continue;
        }
        let (Some(t_ms), Some(dir), Some(kind), Some(hex)) = (line.t_ms, line.dir, line.kind, line.hex)
        else {
            return Err(bad("a record needs t_ms, dir, kind and hex"));
        };
        let bytes = unhex(&hex).ok_or_else(|| bad("hex is not an even number of hex digits"))?;
        session.records.push(Record { t_ms, dir, kind, bytes });
    }
    Ok(sessions)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_capture_reads_back_as_written() {
        let mut out = Vec::new();
        let mut writer = CaptureWriter::new(&mut out).unwrap();
        let start = Start { transport: Transport::Tcp, version: "b1000".into(), build: 1000, unix_ms: 7 };
        writer.start(1, &start).unwrap();
        writer.start(2, &Start { transport: Transport::Http, ..start.clone() }).unwrap();
        writer.record(1, 0, Dir::ClientToServer, Kind::Login, b"peppy\n").unwrap();
        writer.record(2, 1, Dir::ServerToClient, Kind::Data, &[5, 0, 0, 4, 0, 0, 0, 0xe8, 3, 0, 0]).unwrap();
        writer.record(1, 2, Dir::ServerToClient, Kind::Injected, &[0xff]).unwrap();
        writer.end(1, 9).unwrap();
        let sessions = read(out.as_slice()).unwrap();
        assert_eq!(sessions.len(), 2);
        assert_eq!(sessions[0].start, start);
        assert!(sessions[0].ended && !sessions[1].ended);
        assert_eq!(sessions[0].bytes(Dir::ClientToServer, &[Kind::Login]), b"peppy\n");
        assert_eq!(sessions[0].bytes(Dir::ServerToClient, &[Kind::Data]), b"");
        assert_eq!(sessions[1].records[0].bytes[7], 0xe8);
    }

    #[test]
    fn bad_captures_are_errors_not_panics() {
        assert!(matches!(read(&b"hello\n"[..]), Err(CaptureError::NotACapture(_))));
        for body in [
            "{\"session\":1,\"t_ms\":0,\"dir\":\"c2s\",\"kind\":\"data\",\"hex\":\"00\"}",
            "{\"session\":1,\"start\":{\"transport\":\"tcp\",\"version\":\"b1\",\"build\":1,\"unix_ms\":0}}\n{\"session\":1,\"t_ms\":0,\"dir\":\"c2s\",\"kind\":\"data\",\"hex\":\"0\"}",
            "{\"session\":1,\"start\":{\"transport\":\"tcp\",\"version\":\"b1\",\"build\":1,\"unix_ms\":0}}\n{\"session\":1,\"t_ms\":0,\"dir\":\"up\",\"kind\":\"data\",\"hex\":\"00\"}",
            "not json",
        ] {
            let text = format!("{{\"chio_capture\":1}}\n{body}\n");
            assert!(matches!(read(text.as_bytes()), Err(CaptureError::Line { .. })), "{body}");
        }
    }
}
