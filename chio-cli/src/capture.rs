//! `chio decode --capture`: a `chio-proxy` capture's sessions as JSON lines, each session
//! decoded with its own build.

use std::fs::File;
use std::io::{self, BufReader, BufWriter, Write};
use std::path::Path;
use std::process::ExitCode;

use chio_packets::login::request::LoginRequest;
use chio_packets::wire::Strictness;
use chio_packets::{Context, FromClient, FromServer};
use chio_proxy::capture::{self, Dir, Kind, Record, Session, Transport};
use serde::Serialize;

use crate::traffic::{self, CaptureDir, Failure, FrameLine, JsonSet, LoginLineOut};

/// What hides the password hash of a login.
const REDACTED: &str = "<redacted>";

/// One output line: where it comes from, then the line as `chio decode` prints it.
#[derive(Serialize)]
struct CaptureLine<T> {
    session: u64,
    dir: Dir,
    t_ms: u64,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    injected: bool,
    #[serde(flatten)]
    line: T,
}

/// A decoded line, serialized, and the record it belongs to (for the order of output).
struct Out {
    record: usize,
    text: String,
}

/// Reads the capture at `path`.
pub(crate) fn read(path: &Path) -> Result<Vec<Session>, String> {
    let file = File::open(path).map_err(|error| format!("{}: {error}", path.display()))?;
    capture::read(BufReader::new(file)).map_err(|error| format!("{}: {error}", path.display()))
}

/// Runs `chio decode --capture`.
pub(crate) fn decode(path: &Path, only: Option<u64>, dir: CaptureDir, strictness: Strictness) -> ExitCode {
    let sessions = match read(path) {
        Ok(sessions) => sessions,
        Err(message) => return crate::output::fail("decode", &message),
    };
    if let Some(id) = only.filter(|id| !sessions.iter().any(|s| s.id == *id)) {
        let known: Vec<String> = sessions.iter().map(|s| s.id.to_string()).collect();
        return crate::output::fail(
            "decode",
            &format!("no session {id} in the capture (sessions: {})", known.join(", ")),
        );
    }
    let mut out = BufWriter::new(io::stdout().lock());
    let mut failed = false;
    for session in sessions.iter().filter(|s| only.is_none_or(|id| s.id == id)) {
        let (lines, errors) = decode_session(session, dir, strictness);
        for line in lines {
            if let Err(error) = out.write_all(line.text.as_bytes()).and_then(|()| out.write_all(b"\n")) {
                return crate::output::output_failed(&error);
            }
        }
        for error in errors {
            failed = true;
            eprintln!("chio decode: session {}: {error}", session.id);
        }
    }
    if let Err(error) = out.flush() {
        return crate::output::output_failed(&error);
    }
    if failed { ExitCode::FAILURE } else { ExitCode::SUCCESS }
}

/// The lines of one session in capture order, and the problems met (each stream stops at
/// bytes that do not decode; the other streams go on).
fn decode_session(session: &Session, dir: CaptureDir, strictness: Strictness) -> (Vec<Out>, Vec<String>) {
    let mut lines = Vec::new();
    let mut errors = Vec::new();
    let wanted = |d: Dir| match dir {
        CaptureDir::Both => true,
        CaptureDir::C2s => d == Dir::ClientToServer,
        CaptureDir::S2c => d == Dir::ServerToClient,
    };
    let ctx = Context::new(session.start.build);
    let records: Vec<(usize, &Record)> = session.records.iter().enumerate().collect();
    let pick = |d: Dir, kinds: &[Kind]| -> Vec<(usize, &Record)> {
        records.iter().copied().filter(|(_, r)| r.dir == d && kinds.contains(&r.kind)).collect()
    };
    let mut run = |d: Dir, streams: Vec<Vec<(usize, &Record)>>, lines: &mut Vec<Out>| {
        for stream in streams.into_iter().filter(|stream| !stream.is_empty()) {
            let result = match d {
                Dir::ClientToServer => stream_lines::<FromClient>(session, &stream, ctx, strictness, lines),
                Dir::ServerToClient => stream_lines::<FromServer>(session, &stream, ctx, strictness, lines),
            };
            if let Err(message) = result {
                let way = if d == Dir::ClientToServer { "c2s" } else { "s2c" };
                errors.push(format!("{way}: {message}"));
            }
        }
    };
    if wanted(Dir::ClientToServer) {
        let logins = pick(Dir::ClientToServer, &[Kind::Login]);
        match session.start.transport {
            Transport::Tcp => {
                // The login lines, whichever records carried them; then one stream.
                if let Some(&(first, record)) = logins.first() {
                    let text: Vec<u8> = logins.iter().flat_map(|(_, r)| r.bytes.iter().copied()).collect();
                    lines.push(login_line(session, first, record.t_ms, &text));
                }
                run(Dir::ClientToServer, vec![pick(Dir::ClientToServer, &[Kind::Data])], &mut lines);
            }
            Transport::Http => {
                for &(index, record) in &logins {
                    lines.push(login_line(session, index, record.t_ms, &record.bytes));
                }
                let polls = pick(Dir::ClientToServer, &[Kind::Poll, Kind::Data]);
                run(Dir::ClientToServer, polls.into_iter().map(|r| vec![r]).collect(), &mut lines);
            }
        }
    }
    if wanted(Dir::ServerToClient) {
        let data = pick(Dir::ServerToClient, &[Kind::Data]);
        let mut streams: Vec<Vec<(usize, &Record)>> = match session.start.transport {
            Transport::Tcp => vec![data],
            Transport::Http => data.into_iter().map(|r| vec![r]).collect(),
        };
        // Injected frames are whole frames put between the server's.
        streams.extend(pick(Dir::ServerToClient, &[Kind::Injected]).into_iter().map(|r| vec![r]));
        run(Dir::ServerToClient, streams, &mut lines);
    }
    lines.sort_by_key(|line| line.record);
    (lines, errors)
}

/// The lines of the frames of `records` (one stream, in order), each placed at the record
/// its first byte came in.
fn stream_lines<S: JsonSet>(
    session: &Session,
    records: &[(usize, &Record)],
    ctx: Context,
    strictness: Strictness,
    lines: &mut Vec<Out>,
) -> Result<(), String>
where
    for<'a> S::Packet<'a>: Serialize,
    S::Packet<'static>: serde::de::DeserializeOwned,
{
    let input: Vec<u8> = records.iter().flat_map(|(_, r)| r.bytes.iter().copied()).collect();
    // Where each record starts in `input`.
    let starts: Vec<usize> = records
        .iter()
        .scan(0, |at, (_, r)| {
            let start = *at;
            *at += r.bytes.len();
            Some(start)
        })
        .collect();
    let result =
        traffic::decode_frames::<S>(&input, 0, ctx, strictness, &mut |offset, line: FrameLine<'_>| {
            let which = starts.partition_point(|&start| start <= offset).saturating_sub(1);
            let (index, record) = records[which];
            let line = CaptureLine {
                session: session.id,
                dir: record.dir,
                t_ms: record.t_ms,
                injected: record.kind == Kind::Injected,
                line,
            };
            let text = serde_json::to_string(&line).map_err(io::Error::other)?;
            lines.push(Out { record: index, text });
            Ok(())
        });
    match result {
        Ok(()) => Ok(()),
        Err(Failure::Input(message)) => Err(message),
        Err(Failure::Output(error)) => Err(error.to_string()),
    }
}

/// The line of a login, its password hash redacted; a login that does not parse is
/// printed as its text (redacted the same way) with the problem.
fn login_line(session: &Session, record: usize, t_ms: u64, bytes: &[u8]) -> Out {
    let text = String::from_utf8_lossy(bytes);
    let redacted = redact(&text);
    fn base<T>(session: &Session, t_ms: u64, line: T) -> CaptureLine<T> {
        CaptureLine { session: session.id, dir: Dir::ClientToServer, t_ms, injected: false, line }
    }
    let text = match LoginRequest::parse(bytes) {
        Ok(mut login) => {
            login.password_md5 = REDACTED;
            serde_json::to_string(&base(session, t_ms, LoginLineOut { login, text: &redacted }))
        }
        Err(error) => {
            #[derive(Serialize)]
            struct Unparsed<'a> {
                login: Option<()>,
                error: String,
                text: &'a str,
            }
            serde_json::to_string(&base(
                session,
                t_ms,
                Unparsed { login: None, error: error.to_string(), text: &redacted },
            ))
        }
    };
    Out { record, text: text.unwrap_or_default() }
}

/// The login text with its second line (the password hash) replaced by `<redacted>`.
fn redact(text: &str) -> String {
    let mut lines: Vec<String> = text.split('\n').map(str::to_owned).collect();
    if let Some(line) = lines.get_mut(1) {
        let cr = if line.ends_with('\r') { "\r" } else { "" };
        *line = format!("{REDACTED}{cr}");
    }
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    use chio_proxy::capture::{CaptureWriter, Start};
    use serde_json::Value;

    use super::*;

    const REPLY: [u8; 11] = [5, 0, 0, 4, 0, 0, 0, 0xe8, 3, 0, 0];
    const PING: [u8; 7] = [8, 0, 0, 0, 0, 0, 0];

    fn sessions() -> Vec<Session> {
        let login = chio_client::ClientConfig::new(20250306, "peppy", "pw").login_body().into_bytes();
        let mut out = Vec::new();
        let mut w = CaptureWriter::new(&mut out).unwrap();
        let start =
            Start { transport: Transport::Tcp, version: "b20250306".into(), build: 20250306, unix_ms: 0 };
        w.start(1, &start).unwrap();
        w.start(2, &Start { transport: Transport::Http, ..start.clone() }).unwrap();
        // A TCP login in two records, a frame across two records, an injected frame.
        w.record(1, 0, Dir::ClientToServer, Kind::Login, &login[..5]).unwrap();
        w.record(2, 1, Dir::ClientToServer, Kind::Login, &login).unwrap();
        w.record(1, 2, Dir::ClientToServer, Kind::Login, &login[5..]).unwrap();
        w.record(1, 3, Dir::ServerToClient, Kind::Data, &[&PING[..], &REPLY[..4]].concat()).unwrap();
        w.record(2, 4, Dir::ServerToClient, Kind::Data, &REPLY).unwrap();
        w.record(1, 5, Dir::ServerToClient, Kind::Injected, &PING).unwrap();
        w.record(1, 6, Dir::ServerToClient, Kind::Data, &REPLY[4..]).unwrap();
        w.record(2, 7, Dir::ClientToServer, Kind::Poll, &[4, 0, 0, 0, 0, 0, 0]).unwrap();
        w.record(2, 8, Dir::ServerToClient, Kind::Data, &REPLY[..3]).unwrap();
        w.end(1, 9).unwrap();
        capture::read(out.as_slice()).unwrap()
    }

    fn lines(session: &Session, dir: CaptureDir) -> (Vec<Value>, Vec<String>) {
        let (lines, errors) = decode_session(session, dir, Strictness::Lenient);
        (lines.iter().map(|line| serde_json::from_str(&line.text).unwrap()).collect(), errors)
    }

    #[test]
    fn a_tcp_session_decodes_as_streams_with_times_and_injected_frames() {
        let sessions = sessions();
        let (tcp, errors) = lines(&sessions[0], CaptureDir::Both);
        assert!(errors.is_empty(), "{errors:?}");
        let summary: Vec<(String, u64, String, bool)> = tcp
            .iter()
            .map(|l| {
                let what = l["packet"].as_str().map_or_else(|| "login".to_owned(), str::to_owned);
                (
                    l["dir"].as_str().unwrap().to_owned(),
                    l["t_ms"].as_u64().unwrap(),
                    what,
                    l.get("injected").is_some(),
                )
            })
            .collect();
        let line =
            |dir: &str, t: u64, what: &str, injected: bool| (dir.to_owned(), t, what.to_owned(), injected);
        assert_eq!(
            summary,
            [
                line("c2s", 0, "login", false),
                line("s2c", 3, "BanchoPing", false),
                // The reply starts in the record of t_ms 3 and ends in that of 6.
                line("s2c", 3, "BanchoLoginReply", false),
                line("s2c", 5, "BanchoPing", true),
            ]
        );
        assert_eq!(tcp[0]["login"]["username"], "peppy");
        assert_eq!(tcp[0]["login"]["password_md5"], REDACTED);
        assert_eq!(tcp[2]["data"], 1000);
        assert_eq!(tcp[0]["session"], 1);
        let (s2c, _) = lines(&sessions[0], CaptureDir::S2c);
        assert_eq!(s2c.len(), 3);
        let (c2s, _) = lines(&sessions[0], CaptureDir::C2s);
        assert_eq!(c2s.len(), 1);
    }

    #[test]
    fn an_http_session_decodes_body_by_body() {
        let sessions = sessions();
        let (http, errors) = lines(&sessions[1], CaptureDir::Both);
        let names: Vec<&str> = http.iter().map(|l| l["packet"].as_str().unwrap_or("login")).collect();
        assert_eq!(names, ["login", "BanchoLoginReply", "OsuPong"]);
        assert!(http.iter().all(|l| l["session"] == 2));
        // The last body is cut short: the problem is named, the rest is printed.
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(errors[0].starts_with("s2c: byte 0"), "{errors:?}");
    }

    #[test]
    fn the_password_line_is_redacted() {
        assert_eq!(redact("peppy\n0123\nb1000|0\n"), "peppy\n<redacted>\nb1000|0\n");
        assert_eq!(redact("peppy\r\n0123\r\nx\r\n"), "peppy\r\n<redacted>\r\nx\r\n");
        assert_eq!(redact("peppy"), "peppy");
    }
}
