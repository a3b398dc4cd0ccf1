//! One proxied session's observers: the log, the capture and the tap, and the decoders
//! that feed them.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use chio_packets::login::request::LoginRequest;
use chio_packets::wire::{Decoded, FrameFeeder, PacketDecoder};
use chio_packets::{
    ClientPacket, Context, DecodeError, Frame, FromClient, FromServer, PacketSet, ServerPacket,
};
use serde_json::{Map, Value};

use crate::capture::{Dir, Kind, Start, Transport, hex};
use crate::log;
use crate::shared::Shared;
use crate::tap::{SessionId, Tap};

/// A direction's packet set, as the observers need it.
pub(crate) trait Side: PacketSet {
    const DIR: Dir;
    fn data(packet: &Self::Packet<'_>) -> serde_json::Result<Value>;
    fn tap(tap: &dyn Tap, session: SessionId, ctx: Context, packet: &Self::Packet<'_>);
}

/// The payload of a packet enum, which serializes as `{"packet": <type name>, "data": ...}`.
fn payload_json(packet: &impl serde::Serialize) -> serde_json::Result<Value> {
    let mut value = serde_json::to_value(packet)?;
    Ok(value.get_mut("data").map(Value::take).unwrap_or(Value::Null))
}

impl Side for FromClient {
    const DIR: Dir = Dir::ClientToServer;
    fn data(packet: &ClientPacket<'_>) -> serde_json::Result<Value> {
        payload_json(packet)
    }
    fn tap(tap: &dyn Tap, session: SessionId, ctx: Context, packet: &ClientPacket<'_>) {
        tap.client_packet(session, ctx, packet);
    }
}

impl Side for FromServer {
    const DIR: Dir = Dir::ServerToClient;
    fn data(packet: &ServerPacket<'_>) -> serde_json::Result<Value> {
        payload_json(packet)
    }
    fn tap(tap: &dyn Tap, session: SessionId, ctx: Context, packet: &ServerPacket<'_>) {
        tap.server_packet(session, ctx, packet);
    }
}

/// A session's observers.
pub(crate) struct Session {
    pub(crate) id: SessionId,
    pub(crate) shared: Arc<Shared>,
    pub(crate) transport: Transport,
    started: Instant,
    unix_ms: u64,
    capture_started: AtomicBool,
    capture_ended: AtomicBool,
}

impl Session {
    pub(crate) fn new(shared: Arc<Shared>, transport: Transport) -> Self {
        let id = shared.next_session();
        let unix_ms = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis() as u64);
        Self {
            id,
            shared,
            transport,
            started: Instant::now(),
            unix_ms,
            capture_started: AtomicBool::new(false),
            capture_ended: AtomicBool::new(false),
        }
    }

    fn t_ms(&self) -> u64 {
        self.started.elapsed().as_millis() as u64
    }

    /// Writes the capture's start line once (`version`, `build` as known).
    pub(crate) fn capture_start(&self, version: &str, build: u32) {
        let Some(capture) = &self.shared.config.capture else { return };
        if self.capture_started.swap(true, Ordering::AcqRel) {
            return;
        }
        let start =
            Start { transport: self.transport, version: version.to_owned(), build, unix_ms: self.unix_ms };
        let mut capture = capture.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let _ = capture.start(self.id, &start);
    }

    /// Records bytes in the capture (starting it as unknown if it was not).
    pub(crate) fn capture(&self, dir: Dir, kind: Kind, bytes: &[u8]) {
        let Some(capture) = &self.shared.config.capture else { return };
        if bytes.is_empty() {
            return;
        }
        self.capture_start("unknown", 0);
        let t_ms = self.t_ms();
        let mut capture = capture.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let _ = capture.record(self.id, t_ms, dir, kind, bytes);
    }

    /// The login: logged (redacted) and told to the tap.
    pub(crate) fn login(&self, login: &LoginRequest<'_>) {
        let ctx = login.version.context();
        self.capture_start(&login.version.to_string(), ctx.build());
        if let Some(log) = &self.shared.config.log {
            let _ = log.line(self.id, Dir::ClientToServer, log::login_fields(self.transport, login));
        }
        let owned = chio_server::tcp_login::OwnedLogin::from(*login);
        self.shared.config.tap.login(self.id, &owned, ctx);
    }

    /// A login that does not parse.
    pub(crate) fn bad_login(&self, bytes: &[u8], error: &str) {
        self.capture_start("unknown", 0);
        if let Some(log) = &self.shared.config.log {
            let _ =
                log.line(self.id, Dir::ClientToServer, log::bad_login_fields(self.transport, bytes, error));
        }
    }

    /// The session ended: the capture's end line (once); the tap is told by the caller.
    pub(crate) fn capture_end(&self) {
        let Some(capture) = &self.shared.config.capture else { return };
        if !self.capture_started.load(Ordering::Acquire) || self.capture_ended.swap(true, Ordering::AcqRel) {
            return;
        }
        let t_ms = self.t_ms();
        let mut capture = capture.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let _ = capture.end(self.id, t_ms);
    }

    /// One frame: to the tap (unless injected) and the log.
    pub(crate) fn frame<S: Side>(&self, packets: &mut PacketDecoder<S>, frame: &Frame<'_>, injected: bool) {
        let ctx = packets.context();
        let log = self.shared.config.log.as_deref();
        let mut fields = Map::new();
        fields.insert("build".into(), Value::from(ctx.build()));
        match packets.decode(frame) {
            Ok(Decoded::Packet(packet)) => {
                if !injected {
                    S::tap(&*self.shared.config.tap, self.id, ctx, &packet);
                }
                let Some(log) = log else { return };
                let name = S::name(&packet);
                let data = S::data(&packet).unwrap_or(Value::Null);
                fields.insert("packet".into(), Value::from(name));
                fields.insert("id".into(), Value::from(frame.wire_id));
                fields.insert("compressed".into(), Value::from(frame.compressed));
                fields.insert("data".into(), chio_packets::json::on_the_wire(data, S::DIRECTION, name, ctx));
                let trailing = &frame.payload[packets.used().min(frame.payload.len())..];
                if !trailing.is_empty() {
                    fields.insert("trailing".into(), Value::from(hex(trailing)));
                }
                if injected {
                    fields.insert("injected".into(), Value::Bool(true));
                }
                let _ = log.line(self.id, S::DIR, fields);
            }
            Ok(Decoded::Raw(_)) => self.raw(log, fields, frame, None, injected, S::DIR),
            Err(error) => self.raw(log, fields, frame, Some(&error), injected, S::DIR),
        }
    }

    fn raw(
        &self,
        log: Option<&log::PacketLog>,
        mut fields: Map<String, Value>,
        frame: &Frame<'_>,
        error: Option<&DecodeError>,
        injected: bool,
        dir: Dir,
    ) {
        let Some(log) = log else { return };
        fields.insert("raw".into(), Value::Bool(true));
        fields.insert("id".into(), Value::from(frame.wire_id));
        fields.insert("compressed".into(), Value::from(frame.compressed));
        fields.insert("payload".into(), Value::from(hex(&frame.payload)));
        if let Some(error) = error {
            fields.insert("error".into(), Value::from(error.to_string()));
        }
        if injected {
            fields.insert("injected".into(), Value::Bool(true));
        }
        let _ = log.line(self.id, dir, fields);
    }

    /// The framing of a stream is lost: one raw line, then no more decoding.
    pub(crate) fn framing_lost(&self, dir: Dir, ctx: Context, error: &DecodeError) {
        let Some(log) = &self.shared.config.log else { return };
        let mut fields = Map::new();
        fields.insert("build".into(), Value::from(ctx.build()));
        fields.insert("raw".into(), Value::Bool(true));
        fields.insert("framing".into(), Value::Bool(false));
        fields.insert("error".into(), Value::from(error.to_string()));
        let _ = log.line(self.id, dir, fields);
    }

    /// Decodes a buffer of whole frames (an HTTP body, an injected batch) for the
    /// observers.
    pub(crate) fn body<S: Side>(&self, ctx: Context, bytes: &[u8], injected: bool) {
        let mut decoder = StreamDecoder::<S>::new(ctx);
        decoder.feed(self, bytes, injected);
        if !decoder.lost
            && let Err(error) = decoder.feeder.finish()
        {
            self.framing_lost(S::DIR, ctx, &error);
        }
    }
}

/// One direction of a stream, decoded for the observers as its pieces pass.
pub(crate) struct StreamDecoder<S: PacketSet> {
    packets: PacketDecoder<S>,
    feeder: FrameFeeder<S>,
    /// Bytes fed so far.
    fed: u64,
    /// The framing was lost: nothing more is decoded.
    lost: bool,
}

impl<S: Side> StreamDecoder<S> {
    pub(crate) fn new(ctx: Context) -> Self {
        let packets = PacketDecoder::<S>::new(ctx);
        let feeder = packets.feeder();
        Self { packets, feeder, fed: 0, lost: false }
    }

    /// Decodes the next piece of the stream.
    pub(crate) fn feed(&mut self, session: &Session, piece: &[u8], injected: bool) {
        self.fed += piece.len() as u64;
        if self.lost {
            return;
        }
        let Self { packets, feeder, .. } = self;
        let result = feeder.feed(piece, |frame| {
            session.frame(packets, &frame, injected);
            Ok::<_, DecodeError>(())
        });
        if let Err(error) = result {
            self.lost = true;
            session.framing_lost(S::DIR, self.packets.context(), &error);
        }
    }

    /// Whether the bytes fed so far end with a whole frame (so frames may be put in
    /// here). Never once the framing is lost.
    pub(crate) fn at_boundary(&self) -> bool {
        !self.lost && self.feeder.position() == self.fed
    }

    /// Whether the framing was lost.
    pub(crate) fn lost(&self) -> bool {
        self.lost
    }
}
