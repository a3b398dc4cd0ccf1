//! `chio decode` and `chio encode`: bancho byte streams to JSON lines and back.
//!
//! One line per wire packet: `{"packet": <reference name>, "id": <wire id>, "compressed":
//! <bool>, "data": <payload>}`. The name is the reference's (`BanchoUserStats`), whichever
//! era type carries it in the build; `encode` maps it back through the catalog.

use std::io::{self, BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use chio_packets::catalog::{self, ClientPacket, PacketInfo, ServerPacket};
use chio_packets::frame::{Header, HeaderFormat};
use chio_packets::framing::{self, CompressionChoice, Frame, Frames};
use chio_packets::{
    BufMut, Context, DecodeError, DecodeErrorKind, Direction, Encode, EncodeError, Limits, PathSegment,
    Reader,
};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::args::{self, Build, From};

/// Arguments of `chio decode`.
#[derive(clap::Args, Debug)]
#[command(after_help = "\
Examples:
  chio decode --build 20250306 --from server --hex <<< '05 00 00 04 00 00 00 e8 03 00 00'
  chio decode --build b20140127.1cuttingedge --from client capture.bin
  chio decode --build 282 --from server body.bin | jq -c 'select(.packet == \"BanchoMessage\") | .data'

Output: one JSON object per packet per line, in stream order:
  {\"packet\":\"BanchoLoginReply\",\"id\":5,\"compressed\":false,\"data\":1000}
Bytes after a payload's last field (some servers send them; the reference's presence
packets from b20121203 carry one) are kept in a fifth key, \"trailing\": \"<hex>\", so
that `chio encode` gives back the same bytes.
On bad input the packets before it are printed, then one line on standard error names
the byte offset (of the decoded bytes, also with --hex), the packet and the problem,
and the exit status is 1.")]
pub(crate) struct DecodeArgs {
    /// The client build: a number (20140127) or a version string (b20140127.1cuttingedge).
    #[arg(long, value_parser = args::parse_build)]
    build: Build,
    /// Who sent the bytes.
    #[arg(long, value_enum)]
    from: From,
    /// The input is hex text (whitespace between bytes is ignored).
    #[arg(long)]
    hex: bool,
    /// Skip packets the build does not have, as clients do, instead of stopping at them
    /// (a count goes to standard error; `encode` cannot give them back).
    #[arg(long, conflicts_with = "strict")]
    lenient: bool,
    /// Treat bytes after a payload's last field as an error instead of printing them
    /// as "trailing" (hex), which `encode` writes back.
    #[arg(long)]
    strict: bool,
    /// The file to read; standard input if absent or `-`.
    file: Option<PathBuf>,
}

/// Arguments of `chio encode`.
#[derive(clap::Args, Debug)]
#[command(after_help = "\
Examples:
  echo '{\"packet\":\"BanchoLoginReply\",\"id\":5,\"compressed\":false,\"data\":1000}' \\
    | chio encode --build 20250306 --from server --hex
  chio decode --build 20120818 --from server body.bin | chio encode --build 20120818 --from server > same.bin

Input: JSON lines as `chio decode` prints them. \"id\" and \"compressed\" may be left out
(the build's wire id; the build's own compression rule); \"trailing\" (hex) is written
after the payload's fields. \"data\" names every field of the packet's type, also those
the build does not send (they are ignored). A given \"id\" must be the
packet's wire id in the build; \"compressed\": false is impossible before b334, whose
header has no flag. Empty lines are skipped. On a bad line the frames before it are
written, one line on standard error names the line and the problem, and the exit
status is 1.")]
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

/// A line of `decode`'s output.
#[derive(Serialize)]
struct DecodedLine<'a> {
    packet: &'a str,
    id: u16,
    compressed: bool,
    data: Value,
    #[serde(skip_serializing_if = "str::is_empty")]
    trailing: &'a str,
}

/// A line of `encode`'s input.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PacketLine {
    packet: String,
    #[serde(default)]
    id: Option<u16>,
    #[serde(default)]
    compressed: Option<bool>,
    #[serde(default)]
    data: Value,
    #[serde(default)]
    trailing: String,
}

/// A decoded packet: the reference's name, the payload as JSON, and how many bytes of the
/// payload its fields took.
type Decoded = (&'static str, serde_json::Result<Value>, usize);

/// Decodes the payload of one frame of a direction (canonical id known).
type DecodeOne = fn(u16, &[u8], Context) -> Result<Decoded, DecodeError>;

fn decode_server(id: u16, payload: &[u8], ctx: Context) -> Result<Decoded, DecodeError> {
    let mut reader = Reader::new(payload).with_limits(Limits::DEFAULT);
    let packet = ServerPacket::decode_from_reader(id, &mut reader, ctx)?;
    Ok((packet.name(), payload_json(&packet), reader.position()))
}

fn decode_client(id: u16, payload: &[u8], ctx: Context) -> Result<Decoded, DecodeError> {
    let mut reader = Reader::new(payload).with_limits(Limits::DEFAULT);
    let packet = ClientPacket::decode_from_reader(id, &mut reader, ctx)?;
    Ok((packet.name(), payload_json(&packet), reader.position()))
}

/// The payload of a packet enum, which serializes as `{"packet": <type name>, "data": ...}`.
fn payload_json(packet: &impl Serialize) -> serde_json::Result<Value> {
    let mut value = serde_json::to_value(packet)?;
    Ok(value.get_mut("data").map(Value::take).unwrap_or(Value::Null))
}

/// The two packet enums, as `encode` reads them.
trait AnyPacket: serde::de::DeserializeOwned + Encode {}

impl AnyPacket for ServerPacket<'static> {}

impl AnyPacket for ClientPacket<'static> {}

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

/// Runs `chio decode`.
pub(crate) fn decode(args: &DecodeArgs) -> ExitCode {
    let input = match args::read_input(args.file.as_ref()) {
        Ok(input) if args.hex => args::unhex(&input),
        other => other,
    };
    let input = match input {
        Ok(input) => input,
        Err(message) => return crate::fail("decode", &message),
    };
    let result = match args.from {
        From::Server => decode_stream(&input, args, decode_server),
        From::Client => decode_stream(&input, args, decode_client),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Output(error)) => crate::output_failed(&error),
        Err(Failure::Input(message)) => crate::fail("decode", &message),
    }
}

/// Why a command stopped.
enum Failure {
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

fn decode_stream(input: &[u8], args: &DecodeArgs, decode_one: DecodeOne) -> Result<(), Failure> {
    let ctx = args.build.context();
    let direction = args.from.direction();
    // The whole input is at hand: frames are borrowed from it (inflated if compressed).
    let mut frames = match args.from {
        From::Server => Frames::new(input, ctx, Limits::DEFAULT),
        From::Client => Frames::for_client_stream(input, ctx, Limits::DEFAULT),
    };
    let header_len = HeaderFormat::for_build(ctx.build()).size();
    let mut out = BufWriter::new(io::stdout().lock());
    let mut skipped = 0_u64;
    let result = loop {
        // Where the next frame starts, to name it if it is broken.
        let at = frames.position();
        let frame = match frames.next() {
            Some(Ok(frame)) => frame,
            None => break Ok(()),
            Some(Err(error)) => break Err(describe(&error, &frame_name(input, at, direction, ctx))),
        };
        // Payload offsets count from the payload; report stream offsets.
        let base = frame.offset.saturating_add(header_len);
        let decoded = match frame.id {
            // A packet the build lacks is reported at its frame; a bad payload where it is bad.
            Some(id) => decode_one(id, &frame.payload, ctx).map_err(|error| {
                if is_unknown(&error) {
                    DecodeError::new(error.kind().clone(), frame.offset)
                } else {
                    error.shifted(base)
                }
            }),
            None => Err(DecodeError::new(
                DecodeErrorKind::UnknownPacketId { id: frame.wire_id, build: ctx.build() },
                frame.offset,
            )),
        };
        match decoded {
            Ok((name, data, used)) => {
                let trailing = &frame.payload[used..];
                if args.strict && !trailing.is_empty() {
                    let error = DecodeError::new(DecodeErrorKind::TrailingBytes(trailing.len()), base + used);
                    break Err(describe(&error, &wire_name(direction, frame.wire_id, ctx)));
                }
                let data = data.map_err(io::Error::other)?;
                write_line(&mut out, name, data, &args::hex(trailing), &frame)?;
            }
            Err(error) if args.lenient && is_unknown(&error) => skipped += 1,
            Err(error) => break Err(describe(&error, &wire_name(direction, frame.wire_id, ctx))),
        }
    };
    out.flush()?;
    if skipped > 0 {
        eprintln!("chio decode: skipped {skipped} packets b{} does not have (--lenient)", ctx.build());
    }
    result.map_err(Failure::Input)
}

/// Whether decoding failed because the build has no such packet.
fn is_unknown(error: &DecodeError) -> bool {
    matches!(error.kind(), DecodeErrorKind::UnknownPacketId { .. } | DecodeErrorKind::PacketNotInBuild { .. })
}

fn write_line(
    out: &mut impl Write,
    packet: &str,
    data: Value,
    trailing: &str,
    frame: &Frame<'_>,
) -> io::Result<()> {
    let line = DecodedLine { packet, id: frame.wire_id, compressed: frame.compressed, data, trailing };
    serde_json::to_writer(&mut *out, &line).map_err(io::Error::other)?;
    out.write_all(b"\n")
}

/// `BanchoUserStats (wire id 11)`, or the bare wire id if the build has no such packet.
fn wire_name(direction: Direction, wire_id: u16, ctx: Context) -> String {
    let build = ctx.build();
    let name = chio_packets::ids::canonical_id(wire_id, build)
        .and_then(|id| {
            catalog::lookup(direction, id, build)
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
        Err(message) => return crate::fail("encode", &message),
    };
    let Ok(text) = std::str::from_utf8(&input) else {
        return crate::fail("encode", "the input is not UTF-8 text");
    };
    let result = match args.from {
        From::Server => encode_lines::<ServerPacket<'static>>(text, args),
        From::Client => encode_lines::<ClientPacket<'static>>(text, args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Output(error)) => crate::output_failed(&error),
        Err(Failure::Input(message)) => crate::fail("encode", &message),
    }
}

fn encode_lines<P: AnyPacket>(text: &str, args: &EncodeArgs) -> Result<(), Failure> {
    let ctx = args.build.context();
    let mut out = BufWriter::new(io::stdout().lock());
    let mut frame = Vec::new();
    let mut result = Ok(());
    for (index, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        frame.clear();
        if let Err(message) = encode_line::<P>(line, ctx, args.from.direction(), &mut frame) {
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

fn encode_line<P: AnyPacket>(
    line: &str,
    ctx: Context,
    direction: Direction,
    frame: &mut Vec<u8>,
) -> Result<(), String> {
    let line: PacketLine =
        serde_json::from_str(line).map_err(|error| format!("not a packet line: {error}"))?;
    let build = ctx.build();
    let info = packet_type(&line.packet, direction, build)?;
    let wire_id = info.wire_id(build);
    if let Some(id) = line.id.filter(|&id| id != wire_id) {
        return Err(format!("{}: id {id} is not its wire id in b{build} ({wire_id})", line.packet));
    }
    let tagged = serde_json::json!({ "packet": info.type_name, "data": line.data });
    let packet = P::deserialize(tagged).map_err(|error| format!("{}: data: {error}", line.packet))?;
    let compression = match line.compressed {
        None => CompressionChoice::BuildDefault,
        Some(true) => CompressionChoice::Compress,
        Some(false) => CompressionChoice::Raw,
    };
    let trailing = args::unhex(line.trailing.as_bytes())
        .map_err(|error| format!("{}: trailing: {error}", line.packet))?;
    let payload = WithTrailing { packet: &packet, trailing: &trailing };
    framing::write_frame(wire_id, &payload, ctx, compression, frame)
        .map_err(|error| format!("{}: {error}", line.packet))
}

/// The type carrying the packet called `name` from `direction` in `build`.
fn packet_type(name: &str, direction: Direction, build: u32) -> Result<&'static PacketInfo, String> {
    let mut known = catalog::all().filter(|info| info.name == name).peekable();
    let Some(first) = known.peek().copied() else {
        return Err(format!("unknown packet {name:?}"));
    };
    if first.direction != direction {
        let sender = crate::layouts::sender(first.direction);
        return Err(format!("{name} is sent by the {sender}, not in this direction"));
    }
    let windows: Vec<String> = known.map(|info| info.builds.to_string()).collect();
    catalog::find(name, build)
        .ok_or_else(|| format!("{name} is not in b{build} (it is in {})", windows.join(", ")))
}
