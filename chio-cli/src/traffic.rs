//! `chio decode` and `chio encode`: bancho byte streams to JSON lines and back, for either
//! direction through one generic path.
//!
//! One line per frame. A packet: `{"packet": <reference name>, "id": <wire id>,
//! "compressed": <bool>, "data": <payload>}`, the name being the reference's
//! (`BanchoUserStats`) whichever era type carries it, and `data` holding the fields the
//! build puts on the wire. A frame the build has no packet for: `{"raw": true, "id",
//! "compressed", "payload": <hex>}`. The plain-text login at the start of a TCP client's
//! stream: `{"login": {...}, "text": <the lines as sent>}`. `encode` reads all three.

use std::io::{self, BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use chio_packets::catalog::{self, PacketInfo};
use chio_packets::frame::{self, Compression, Header, HeaderFormat};
use chio_packets::login::request::LoginRequest;
use chio_packets::wire::{Decoded, Strictness};
use chio_packets::{
    BufMut, Context, DecodeError, Direction, Encode, EncodeError, Frame, FromClient, FromServer,
    PacketDecoder, PacketSet, PathSegment,
};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::args::{self, Build, From};

/// Arguments of `chio decode`.
#[derive(clap::Args, Debug)]
#[command(after_help = "\
Examples:
  chio decode --build 20250306 --from server --hex <<< '05 00 00 04 00 00 00 e8 03 00 00'
  chio decode --build b20140127.1cuttingedge --from client capture.bin
  chio decode --build 282 --from server body.bin | jq -c 'select(.packet == \"BanchoMessage\") | .data'
  chio decode --capture proxy.capture --session 2 --dir s2c

Output: one JSON object per frame per line, in stream order:
  {\"packet\":\"BanchoLoginReply\",\"id\":5,\"compressed\":false,\"data\":1000}
\"data\" holds the fields the build puts on the wire. Nothing is lost, so that
`chio encode` gives back the same bytes:
- bytes after a payload's last field (some servers pad payloads) are kept in
  \"trailing\": \"<hex>\";
- a frame the build has no packet for (an unknown wire id, or a packet of other
  builds) is a raw line: {\"raw\":true,\"id\":34,\"compressed\":false,\"payload\":\"<hex>\"};
- a frame whose bytes differ from how chio-rs writes the same packet (another
  writer's gzip, an empty string written as 0b 00 by a server) carries its bytes in
  \"wire\": \"<hex>\", which `encode` writes as long as \"data\" is unchanged.
A client stream that starts with the plain-text login of TCP clients (username,
password hash, client line) gives a first line {\"login\":{...},\"text\":\"...\"}
(see --login).
With --capture (a chio-proxy capture), each session is decoded with its own build and
every line also has \"session\", \"dir\" (c2s or s2c) and \"t_ms\" (when the record
holding the frame's first byte was captured), and \"injected\": true for frames the
proxy put into the client's stream; a login's password hash is \"<redacted>\". A stream
with bad bytes stops there (named on standard error, exit status 1); the others go on.
On bad input the frames before it are printed, then one line on standard error names
the byte offset (of the decoded bytes, also with --hex), the packet and the problem,
and the exit status is 1.")]
pub(crate) struct DecodeArgs {
    /// The client build: a number (20140127) or a version string (b20140127.1cuttingedge).
    #[arg(long, value_parser = args::parse_build, required_unless_present = "capture")]
    build: Option<Build>,
    /// Who sent the bytes.
    #[arg(long, value_enum, required_unless_present = "capture")]
    from: Option<From>,
    /// The input is hex text (whitespace between bytes is ignored).
    #[arg(long)]
    hex: bool,
    /// Decode a capture of `chio-proxy` (JSON lines) instead: every session with its own
    /// build, both directions, each line with "session", "dir" and "t_ms" (and
    /// "injected": true for frames the proxy put into the client's stream). The password
    /// hash of logins is printed as "<redacted>".
    #[arg(long, value_name = "CAPTURE", conflicts_with_all = ["build", "from", "hex", "login", "file"])]
    pub(crate) capture: Option<PathBuf>,
    /// With --capture: only this session.
    #[arg(long, requires = "capture")]
    pub(crate) session: Option<u64>,
    /// With --capture: only this direction (c2s: the client's, s2c: the server's).
    #[arg(long, value_enum, requires = "capture", default_value_t = CaptureDir::Both)]
    pub(crate) dir: CaptureDir,
    /// Stop at a frame the build has no packet for, and at bytes after a payload's last
    /// field, instead of keeping them.
    #[arg(long)]
    strict: bool,
    /// Whether a client stream starts with the plain-text login: detected by default
    /// (three text lines that parse as a login), or always, or never.
    #[arg(long, value_enum, default_value_t = LoginMode::Auto)]
    login: LoginMode,
    /// The file to read; standard input if absent or `-`.
    file: Option<PathBuf>,
}

impl DecodeArgs {
    /// Whether `--strict` was given.
    pub(crate) fn strictness(&self) -> Strictness {
        if self.strict { Strictness::Strict } else { Strictness::Lenient }
    }
}

/// Which directions of a capture to decode.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum CaptureDir {
    /// Client to server.
    C2s,
    /// Server to client.
    S2c,
    /// Both, in the order they were captured.
    Both,
}

/// Whether a stream starts with the plain-text login.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum LoginMode {
    /// A client stream whose first three lines parse as a login starts with one.
    Auto,
    /// The stream starts with a login (an error if it does not parse).
    Yes,
    /// The stream is frames only.
    No,
}

/// Arguments of `chio encode`.
#[derive(clap::Args, Debug)]
#[command(after_help = "\
Examples:
  echo '{\"packet\":\"BanchoLoginReply\",\"data\":1000}' | chio encode --build 20250306 --from server --hex
  chio decode --build 20120818 --from server body.bin | chio encode --build 20120818 --from server > same.bin

Input: JSON lines as `chio decode` prints them. \"id\" and \"compressed\" may be left out
(the build's wire id; the build's own compression rule); a given \"id\" must be the
packet's wire id in the build; \"compressed\": false is impossible before b334, whose
header has no flag. \"data\" needs only the fields the build puts on the wire; others
take their defaults. \"trailing\" (hex) is written after the payload's fields. A
\"wire\" (hex) is written as it is if \"data\" is what it decodes to. Raw lines and the
login line are written back as they are. Empty lines are skipped. On a bad line the
frames before it are written, one line on standard error names the line and the
problem, and the exit status is 1.")]
pub(crate) struct EncodeArgs {
    /// The client build: a number (20140127) or a version string (b20140127.1cuttingedge).
    #[arg(long, value_parser = args::parse_build)]
    build: Build,
    /// Who sends the packets.
    #[arg(long, value_enum)]
    from: From,
    /// Write hex text, one frame per line, instead of raw bytes.
    #[arg(long)]
    hex: bool,
    /// The file of JSON lines to read; standard input if absent or `-`.
    file: Option<PathBuf>,
}

/// A packet line of `decode`'s output.
#[derive(Serialize)]
pub(crate) struct PacketLineOut<'a> {
    packet: &'a str,
    id: u16,
    compressed: bool,
    data: Value,
    #[serde(skip_serializing_if = "String::is_empty")]
    trailing: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    wire: Option<String>,
}

/// A raw line: a frame kept as it came.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawLine {
    raw: bool,
    id: u16,
    compressed: bool,
    payload: String,
}

/// The login line.
#[derive(Serialize)]
pub(crate) struct LoginLineOut<'a> {
    pub(crate) login: LoginRequest<'a>,
    pub(crate) text: &'a str,
}

/// The line of one frame: a packet, or a raw frame.
#[derive(Serialize)]
#[serde(untagged)]
pub(crate) enum FrameLine<'a> {
    /// A decoded packet.
    Packet(PacketLineOut<'a>),
    /// A frame the build has no packet for.
    Raw(RawLine),
}

/// A packet line of `encode`'s input.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PacketLineIn {
    packet: String,
    #[serde(default)]
    id: Option<u16>,
    #[serde(default)]
    compressed: Option<bool>,
    #[serde(default)]
    data: Value,
    #[serde(default)]
    trailing: String,
    #[serde(default)]
    wire: Option<String>,
}

/// The login line as `encode` reads it: only the text is written.
#[derive(Deserialize)]
struct LoginLineIn {
    #[allow(dead_code)] // Read for the shape; the text is what goes on the wire.
    login: Value,
    text: String,
}

/// What the two standard packet sets need to go to JSON and back.
pub(crate) trait JsonSet: PacketSet
where
    for<'a> Self::Packet<'a>: Serialize,
    Self::Packet<'static>: DeserializeOwned,
{
}

impl JsonSet for FromServer {}
impl JsonSet for FromClient {}

/// Runs `chio decode` on a stream (a capture file is `capture::decode`'s).
pub(crate) fn decode(args: &DecodeArgs) -> ExitCode {
    let (Some(build), Some(from)) = (args.build, args.from) else {
        return crate::output::fail("decode", "--build and --from are needed (or --capture)");
    };
    let input = match args::read_input(args.file.as_ref()) {
        Ok(input) if args.hex => args::unhex(&input),
        other => other,
    };
    let input = match input {
        Ok(input) => input,
        Err(message) => return crate::output::fail("decode", &message),
    };
    let result = match from {
        From::Server => decode_stream::<FromServer>(&input, build, args),
        From::Client => decode_stream::<FromClient>(&input, build, args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Output(error)) => crate::output::output_failed(&error),
        Err(Failure::Input(message)) => crate::output::fail("decode", &message),
    }
}

/// Why a command stopped.
pub(crate) enum Failure {
    /// Bad input: the message for standard error.
    Input(String),
    /// Standard output went away (a closed pipe) or failed.
    Output(io::Error),
}

impl std::convert::From<io::Error> for Failure {
    fn from(error: io::Error) -> Self {
        Self::Output(error)
    }
}

/// The plain-text login at the start of `input`, if `mode` says to read one: the parsed
/// request and its length in bytes.
fn login_at_start<'a>(
    input: &'a [u8],
    mode: LoginMode,
    direction: Direction,
) -> Result<Option<(LoginRequest<'a>, usize)>, String> {
    if mode == LoginMode::No {
        return Ok(None);
    }
    let body = LoginRequest::body_len(input).map(|len| (&input[..len], len));
    let parsed = body.map(|(body, len)| LoginRequest::parse(body).map(|request| (request, len)));
    match (mode, parsed) {
        (LoginMode::Auto, Some(Ok(found))) if direction == Direction::ClientToServer => Ok(Some(found)),
        (LoginMode::Auto, _) => Ok(None),
        (LoginMode::Yes, Some(Ok(found))) => Ok(Some(found)),
        (LoginMode::Yes, Some(Err(error))) => Err(format!("the login at the start: {error}")),
        (LoginMode::Yes, None) => Err("the login at the start: fewer than three lines".to_owned()),
        (LoginMode::No, _) => Ok(None),
    }
}

fn decode_stream<S: JsonSet>(input: &[u8], build: Build, args: &DecodeArgs) -> Result<(), Failure>
where
    for<'a> S::Packet<'a>: Serialize,
    S::Packet<'static>: DeserializeOwned,
{
    let ctx = build.context();
    let mut out = BufWriter::new(io::stdout().lock());
    let start = match login_at_start(input, args.login, S::DIRECTION).map_err(Failure::Input)? {
        Some((login, len)) => {
            let text = std::str::from_utf8(&input[..len]).unwrap_or_default();
            serde_json::to_writer(&mut out, &LoginLineOut { login, text }).map_err(io::Error::other)?;
            out.write_all(b"\n")?;
            len
        }
        None => 0,
    };
    let strictness = args.strictness();
    let result = decode_frames::<S>(input, start, ctx, strictness, &mut |_, line| {
        serde_json::to_writer(&mut out, &line).map_err(io::Error::other)?;
        out.write_all(b"\n")
    });
    out.flush()?;
    result
}

/// The frames of `input[start..]`, each handed to `emit` with the offset it starts at: on
/// bad bytes, the frames before them, then [`Failure::Input`] naming the offset.
pub(crate) fn decode_frames<S: JsonSet>(
    input: &[u8],
    start: usize,
    ctx: Context,
    strictness: Strictness,
    emit: &mut dyn FnMut(usize, FrameLine<'_>) -> io::Result<()>,
) -> Result<(), Failure>
where
    for<'a> S::Packet<'a>: Serialize,
    S::Packet<'static>: DeserializeOwned,
{
    let mut packets = PacketDecoder::<S>::new(ctx).with_strictness(strictness);
    // The whole input is at hand: frames are borrowed from it (inflated if compressed).
    let mut frames = packets.frames(&input[start..]).starting_at(start as u64);
    loop {
        // Where the next frame starts, to name it if it is broken.
        let at = start + frames.position();
        let frame = match frames.next() {
            Some(Ok(frame)) => frame,
            None => return Ok(()),
            Some(Err(error)) => {
                return Err(Failure::Input(describe(&error, &frame_name(input, at, S::DIRECTION, ctx))));
            }
        };
        let wire = &input[at..start + frames.position()];
        match packets.decode(&frame) {
            Ok(Decoded::Packet(packet)) => {
                let (used, trailing) = (packets.used(), &frame.payload[packets.used()..]);
                let line =
                    packet_line::<S>(&packet, used, trailing, &frame, wire, ctx).map_err(io::Error::other)?;
                emit(at, FrameLine::Packet(line))?;
            }
            Ok(Decoded::Raw(frame)) => {
                let line = RawLine {
                    raw: true,
                    id: frame.wire_id,
                    compressed: frame.compressed,
                    payload: args::hex(&frame.payload),
                };
                emit(at, FrameLine::Raw(line))?;
            }
            Err(error) => {
                return Err(Failure::Input(describe(&error, &wire_name(S::DIRECTION, frame.wire_id, ctx))));
            }
        }
    }
}

/// The line of a decoded packet: its fields on the wire, the bytes after them, and the
/// frame's own bytes if chio-rs would write the packet otherwise.
fn packet_line<'p, S: JsonSet>(
    packet: &S::Packet<'_>,
    used: usize,
    trailing: &[u8],
    frame: &Frame<'_>,
    wire: &[u8],
    ctx: Context,
) -> serde_json::Result<PacketLineOut<'p>>
where
    for<'a> S::Packet<'a>: Serialize,
    S::Packet<'static>: DeserializeOwned,
{
    let name = S::name(packet);
    let data = on_the_wire(payload_json(packet)?, S::DIRECTION, name, ctx);
    // The same packet as chio-rs writes it; if that differs, the frame keeps its bytes.
    let mut again = Vec::with_capacity(wire.len());
    let compression = if frame.compressed { Compression::Always } else { Compression::Never };
    let written =
        frame::write_frame(frame.wire_id, &WithTrailing { packet, trailing }, &mut again, ctx, compression);
    let wire = (written.is_err() || again != wire).then(|| args::hex(wire));
    debug_assert!(used + trailing.len() == frame.payload.len());
    Ok(PacketLineOut {
        packet: name,
        id: frame.wire_id,
        compressed: frame.compressed,
        data,
        trailing: args::hex(trailing),
        wire,
    })
}

pub(crate) use chio_packets::json::{on_the_wire, payload as payload_json};

/// A packet's payload followed by bytes after its fields.
struct WithTrailing<'p, P> {
    packet: &'p P,
    trailing: &'p [u8],
}

impl<P: Encode> Encode for WithTrailing<'_, P> {
    fn encoded_len(&self, ctx: Context) -> usize {
        self.packet.encoded_len(ctx) + self.trailing.len()
    }

    fn encode<B: BufMut + ?Sized>(&self, buf: &mut B, ctx: Context) -> Result<(), EncodeError> {
        self.packet.encode(buf, ctx)?;
        buf.put_slice(self.trailing);
        Ok(())
    }
}

/// `BanchoUserStats (wire id 11)`, or the bare wire id if the build has no such packet.
fn wire_name(direction: Direction, wire_id: u16, ctx: Context) -> String {
    let name = chio_packets::ids::canonical_id(wire_id, ctx.build())
        .and_then(|id| {
            catalog::lookup(direction, id, ctx)
                .or_else(|| catalog::of_direction(direction).iter().find(|info| info.id == id))
        })
        .map(|info| info.name);
    match name {
        Some(name) => format!("{name} (wire id {wire_id})"),
        None => format!("wire id {wire_id}"),
    }
}

/// The frame starting at `at` that failed to frame: named by its header if that is whole.
fn frame_name(input: &[u8], at: usize, direction: Direction, ctx: Context) -> String {
    let format = HeaderFormat::for_build(ctx.build());
    match input.get(at..).and_then(|rest| Header::parse(rest, format)) {
        Some(header) => format!("frame of {}", wire_name(direction, header.wire_id, ctx)),
        None => "frame header".to_owned(),
    }
}

/// `byte 41: BanchoMatchUpdate (wire id 26): slots[3].user_id: unexpected end of input`.
/// The decoders report stream offsets, so the offset is where the bad bytes are.
fn describe(error: &DecodeError, what: &str) -> String {
    let offset = error.offset();
    let path = field_path(error);
    if path.is_empty() {
        format!("byte {offset}: {what}: {}", error.kind())
    } else {
        format!("byte {offset}: {what}: {path}: {}", error.kind())
    }
}

/// The error's field path below the packet (`status.text`, `slots[3].user_id`): the
/// packet is already named.
fn field_path(error: &DecodeError) -> String {
    let mut path = String::new();
    for segment in error.path().segments() {
        match segment {
            PathSegment::Type(_) => {}
            PathSegment::Field(name) => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(name);
            }
            PathSegment::Index(i) => path.push_str(&format!("[{i}]")),
        }
    }
    path
}

/// Runs `chio encode`.
pub(crate) fn encode(args: &EncodeArgs) -> ExitCode {
    let input = match args::read_input(args.file.as_ref()) {
        Ok(input) => input,
        Err(message) => return crate::output::fail("encode", &message),
    };
    let Ok(text) = std::str::from_utf8(&input) else {
        return crate::output::fail("encode", "the input is not UTF-8 text");
    };
    let result = match args.from {
        From::Server => encode_lines::<FromServer>(text, args),
        From::Client => encode_lines::<FromClient>(text, args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Output(error)) => crate::output::output_failed(&error),
        Err(Failure::Input(message)) => crate::output::fail("encode", &message),
    }
}

fn encode_lines<S: JsonSet>(text: &str, args: &EncodeArgs) -> Result<(), Failure>
where
    for<'a> S::Packet<'a>: Serialize,
    S::Packet<'static>: DeserializeOwned,
{
    let ctx = args.build.context();
    let mut out = BufWriter::new(io::stdout().lock());
    let mut frame = Vec::new();
    let mut result = Ok(());
    for (index, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        frame.clear();
        if let Err(message) = encode_line::<S>(line, ctx, &mut frame) {
            result = Err(Failure::Input(format!("line {}: {message}", index + 1)));
            break;
        }
        if args.hex {
            out.write_all(args::hex(&frame).as_bytes())?;
            out.write_all(b"\n")?;
        } else {
            out.write_all(&frame)?;
        }
    }
    out.flush()?;
    result
}

fn encode_line<S: JsonSet>(line: &str, ctx: Context, out: &mut Vec<u8>) -> Result<(), String>
where
    for<'a> S::Packet<'a>: Serialize,
    S::Packet<'static>: DeserializeOwned,
{
    let value: Value = serde_json::from_str(line).map_err(|error| format!("not a JSON line: {error}"))?;
    let keys = value.as_object().map(Map::len).unwrap_or_default();
    if value.get("login").is_some() && keys == 2 {
        let login: LoginLineIn =
            serde_json::from_value(value).map_err(|error| format!("login line: {error}"))?;
        out.extend_from_slice(login.text.as_bytes());
        return Ok(());
    }
    if value.get("raw").is_some() {
        let raw: RawLine = serde_json::from_value(value).map_err(|error| format!("raw line: {error}"))?;
        let payload =
            args::unhex(raw.payload.as_bytes()).map_err(|error| format!("raw line: payload: {error}"))?;
        let frame = Frame {
            offset: 0,
            wire_id: raw.id,
            id: None,
            compressed: raw.compressed,
            payload: payload.into(),
        };
        return frame.write(out, ctx).map_err(|error| format!("raw line: {error}"));
    }
    let line: PacketLineIn =
        serde_json::from_value(value).map_err(|error| format!("not a packet line: {error}"))?;
    let info = packet_type(&line.packet, S::DIRECTION, ctx)?;
    let wire_id = info.wire_id(ctx);
    if let Some(id) = line.id.filter(|&id| id != wire_id) {
        return Err(format!("{}: id {id} is not its wire id in b{} ({wire_id})", line.packet, ctx.build()));
    }
    let trailing = args::unhex(line.trailing.as_bytes())
        .map_err(|error| format!("{}: trailing: {error}", line.packet))?;
    if let Some(wire) = &line.wire {
        let wire = args::unhex(wire.as_bytes()).map_err(|error| format!("{}: wire: {error}", line.packet))?;
        if decodes_to::<S>(&wire, ctx, &line, &trailing) {
            out.extend_from_slice(&wire);
            return Ok(());
        }
    }
    let tagged = serde_json::json!({ "packet": info.type_name, "data": line.data });
    let packet = S::Packet::<'static>::deserialize(tagged)
        .map_err(|error| format!("{}: data: {error}", line.packet))?;
    let compression = match line.compressed {
        None => Compression::for_build(ctx.build()),
        Some(true) => Compression::Always,
        Some(false) => Compression::Never,
    };
    let payload = WithTrailing { packet: &packet, trailing: &trailing };
    frame::write_frame(wire_id, &payload, out, ctx, compression)
        .map_err(|error| format!("{}: {error}", line.packet))
}

/// Whether `wire` (one frame) decodes to the packet, data and trailing bytes of `line`,
/// so that writing it keeps the line's meaning.
fn decodes_to<S: JsonSet>(wire: &[u8], ctx: Context, line: &PacketLineIn, trailing: &[u8]) -> bool
where
    for<'a> S::Packet<'a>: Serialize,
    S::Packet<'static>: DeserializeOwned,
{
    let mut packets = PacketDecoder::<S>::new(ctx);
    let mut frames = packets.frames(wire);
    let (Some(Ok(frame)), None) = (frames.next(), frames.next()) else {
        return false;
    };
    match packets.decode(&frame) {
        Ok(Decoded::Packet(packet)) => {
            let left = &frame.payload[packets.used()..];
            let name = S::name(&packet);
            let data = payload_json(&packet).map(|data| on_the_wire(data, S::DIRECTION, name, ctx));
            name == line.packet
                && left == trailing
                && line.compressed.is_none_or(|compressed| compressed == frame.compressed)
                && data.is_ok_and(|data| data == line.data)
        }
        _ => false,
    }
}

/// The type carrying the packet called `name` from `direction` for `ctx`.
fn packet_type(name: &str, direction: Direction, ctx: Context) -> Result<&'static PacketInfo, String> {
    let mut known = catalog::all().filter(|info| info.name == name).peekable();
    let Some(first) = known.peek().copied() else {
        return Err(format!("unknown packet {name:?}"));
    };
    if first.direction != direction {
        let sender = chio_packets::view::sender(first.direction);
        return Err(format!("{name} is sent by the {sender}, not in this direction"));
    }
    let windows: Vec<String> = known.map(|info| info.builds.to_string()).collect();
    catalog::find(name, ctx)
        .ok_or_else(|| format!("{name} is not in b{} (it is in {})", ctx.build(), windows.join(", ")))
}
