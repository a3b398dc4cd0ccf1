//! The packet log: one JSON line per packet the proxy sees, flushed line by line.
//!
//! ```text
//! {"t_ms":12,"session":1,"dir":"c2s","transport":"tcp","build":1000,"login":{"username":"peppy","password_md5":"<redacted>",...}}
//! {"t_ms":15,"session":1,"dir":"s2c","build":1000,"packet":"BanchoLoginReply","id":5,"compressed":false,"data":1000}
//! {"t_ms":20,"session":1,"dir":"s2c","build":1000,"raw":true,"id":250,"compressed":false,"payload":"0102","error":"..."}
//! {"t_ms":21,"session":1,"dir":"s2c","build":1000,"packet":"BanchoAnnounce","id":25,"compressed":false,"data":"hi","injected":true}
//! ```
//!
//! - `t_ms`: milliseconds since the log was opened; `session`: the proxy's session number.
//! - A packet line is `chio decode`'s line (`packet`, `id` the wire id, `compressed`,
//!   `data` with the fields the build puts on the wire) plus those keys.
//! - A frame the build has no packet for, or whose payload does not decode, is a raw line:
//!   its payload in hex, and `error` when decoding failed. A stream whose framing is lost
//!   (a length over the limits) gets one raw line with `"framing":false` and is not decoded
//!   further; its bytes still pass unchanged.
//! - `injected: true` marks frames the proxy put into the client's stream itself.
//! - The login is one line whose `login` is the parsed login with the password hash
//!   replaced by `"<redacted>"`; a login that does not parse is a raw line with
//!   `login_error` and its bytes.

use std::io::{self, Write};
use std::sync::Mutex;
use std::time::Instant;

use chio_packets::login::request::LoginRequest;

use serde_json::{Map, Value};

use crate::capture::{Dir, Transport, hex};
use crate::tap::SessionId;

/// The packet log sink; see the [module documentation](self). Shared by every session.
pub struct PacketLog {
    out: Mutex<Box<dyn Write + Send>>,
    start: Instant,
}

impl std::fmt::Debug for PacketLog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PacketLog").finish_non_exhaustive()
    }
}

impl PacketLog {
    /// A log writing to `out` (a file, standard output, a buffer).
    pub fn new(out: impl Write + Send + 'static) -> Self {
        Self { out: Mutex::new(Box::new(out)), start: Instant::now() }
    }

    /// Writes one line: `fields` after `t_ms`, `session` and `dir`. Errors are returned, and
    /// the proxy ignores them (a full disk must not break sessions).
    pub(crate) fn line(&self, session: SessionId, dir: Dir, fields: Map<String, Value>) -> io::Result<()> {
        let mut line = Map::new();
        line.insert("t_ms".into(), Value::from(self.start.elapsed().as_millis() as u64));
        line.insert("session".into(), Value::from(session));
        line.insert("dir".into(), Value::from(dir_str(dir)));
        line.extend(fields);
        let mut text = serde_json::to_vec(&Value::Object(line)).map_err(io::Error::other)?;
        text.push(b'\n');
        let mut out = self.out.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        out.write_all(&text)?;
        out.flush()
    }
}

pub(crate) fn dir_str(dir: Dir) -> &'static str {
    match dir {
        Dir::ClientToServer => "c2s",
        Dir::ServerToClient => "s2c",
    }
}

/// The fields of a login line.
pub(crate) fn login_fields(transport: Transport, login: &LoginRequest<'_>) -> Map<String, Value> {
    let mut fields = Map::new();
    fields.insert("transport".into(), serde_json::to_value(transport).unwrap_or(Value::Null));
    fields.insert("build".into(), Value::from(login.version.context().build()));
    let mut value = serde_json::to_value(login).unwrap_or(Value::Null);
    if let Some(object) = value.as_object_mut() {
        object.insert("password_md5".into(), Value::from("<redacted>"));
    }
    fields.insert("login".into(), value);
    fields
}

/// The fields of a login that does not parse.
pub(crate) fn bad_login_fields(transport: Transport, bytes: &[u8], error: &str) -> Map<String, Value> {
    let mut fields = Map::new();
    fields.insert("transport".into(), serde_json::to_value(transport).unwrap_or(Value::Null));
    fields.insert("raw".into(), Value::Bool(true));
    fields.insert("login_error".into(), Value::from(error));
    fields.insert("payload".into(), Value::from(hex(bytes)));
    fields
}
