//! Every [`GzipLevel`] writes frames that the game's era of builds can read: the pinned
//! reference's own packet reader (`read_packet`, which inflates with Python's
//! `gzip.decompress`) and zlib read every level's frames of b282 (gzip on every payload),
//! b334 and b1797 (gzip above 150 bytes) to the same values, and so does chio-rs.

use std::borrow::Cow;

use chio_packets::events::client::ClientEvent;
use chio_packets::events::{Activity, ChatMessage};
use chio_packets::frame::{Compression, GzipLevel, HeaderFormat};
use chio_packets::types::{Mode, Mods, Status};
use chio_packets::wire::Frames;
use chio_packets::{Context, FromClient, PacketDecoder, PacketEncoder};
use chio_tests::{hex, reference};
use serde_json::{Value, json};

/// Reads `[build, stream hex, [[compressed payload hex, raw payload hex], ...]]` items:
/// the stream with the reference's `read_packet` until its end, and each compressed
/// payload with `gzip.decompress` and `zlib.decompress` (gzip container), checked against
/// the raw payload. Prints `[[packet name, value], ...]` per item.
const READ: &str = r#"
import json, gzip, zlib
from chio.io import MemoryStream
out = []
for build, stream_hex, members in json.load(sys.stdin):
    for packed, raw in members:
        packed, raw = bytes.fromhex(packed), bytes.fromhex(raw)
        assert gzip.decompress(packed) == raw, (build, packed.hex())
        assert zlib.decompress(packed, 16 + zlib.MAX_WBITS) == raw, (build, packed.hex())
    data = bytes.fromhex(stream_hex)
    stream = MemoryStream(data)
    packets = []
    while stream.position < len(data):
        packet, value = chio.select_client(build).read_packet(stream)
        packets.append([packet.name, norm(value)])
    out.append(packets)
print(json.dumps(out))
"#;

/// A client's traffic with payloads on both sides of the 150-byte threshold.
fn events() -> Vec<ClientEvent<'static>> {
    let message = |content: String| {
        ClientEvent::Message(ChatMessage {
            sender: Cow::Borrowed("tester"),
            content: Cow::Owned(content),
            target: Cow::Borrowed("#osu"),
            sender_id: 0,
        })
    };
    vec![
        message("hi".to_owned()),
        message("a longer line that goes past the compression threshold ".repeat(4)),
        message("ありがとう 💀 Grüße ".repeat(12)),
        ClientEvent::UserStatus(Activity {
            action: Status::Playing,
            text: Cow::Borrowed("Artist - Title [Insane]"),
            beatmap_checksum: Cow::Borrowed("0123456789abcdef0123456789abcdef"),
            mods: Mods::HIDDEN | Mods::HARD_ROCK,
            mode: Mode::Osu,
            beatmap_id: 75,
            ..Activity::default()
        }),
        message(String::new() + "x"),
    ]
}

/// A compressed payload as on the wire, and as chio-rs inflated it.
type Member = (Vec<u8>, Vec<u8>);

/// The stream of `events` for `build` at `level`, and its compressed payloads.
fn stream(build: u32, level: GzipLevel) -> (Vec<u8>, Vec<Member>) {
    let ctx = Context::new(build);
    let mut encoder = PacketEncoder::<FromClient>::new(ctx).with_gzip_level(level);
    let mut wire = Vec::new();
    for event in events() {
        encoder.write(&event.to_packet(ctx).unwrap(), &mut wire).unwrap();
    }
    let header = HeaderFormat::for_build(build).size();
    let mut members = Vec::new();
    let mut at = 0;
    for frame in Frames::<FromClient>::new(&wire, ctx) {
        let frame = frame.unwrap();
        let len = u32::from_le_bytes(wire[at + header - 4..at + header].try_into().unwrap()) as usize;
        if frame.compressed {
            members.push((wire[at + header..at + header + len].to_vec(), frame.payload.to_vec()));
        }
        at += header + len;
    }
    (wire, members)
}

#[test]
fn every_gzip_level_is_read_by_the_reference_python_and_chio() {
    let builds = [282, 334, 1797];
    let mut cases = Vec::new();
    let mut input = Vec::new();
    for build in builds {
        for level in GzipLevel::ALL {
            let (wire, members) = stream(build, level);
            let compressed = members.len();
            // b282 compresses every payload, the others the two long messages.
            let expected = if build < 334 { events().len() } else { 2 };
            assert_eq!(compressed, expected, "b{build} {level:?}");
            let members: Vec<Value> =
                members.iter().map(|(packed, raw)| json!([hex(packed), hex(raw)])).collect();
            input.push(json!([build, hex(&wire), members]));
            cases.push((build, level, wire));
        }
    }
    let output = reference::run_snippet(READ, serde_json::to_string(&input).unwrap().as_bytes());
    let read: Vec<Value> = serde_json::from_slice(&output).unwrap();
    assert_eq!(read.len(), cases.len());
    for ((build, level, wire), by_reference) in cases.iter().zip(&read) {
        let stored = &read[cases.iter().position(|(b, l, _)| b == build && *l == GzipLevel::Stored).unwrap()];
        assert_eq!(by_reference.as_array().unwrap().len(), events().len(), "b{build} {level:?}");
        assert_eq!(by_reference, stored, "b{build}: {level:?} reads as stored does");
        // chio-rs reads the same packets back from every level.
        let ctx = Context::new(*build);
        let mut decoder = PacketDecoder::<FromClient>::new(ctx);
        let ours: Vec<String> = decoder
            .frames(wire)
            .map(|frame| format!("{:?}", decoder.decode(&frame.unwrap()).unwrap().into_packet().unwrap()))
            .collect();
        let (expected, _) = stream(*build, GzipLevel::Balanced);
        let theirs: Vec<String> = decoder
            .frames(&expected)
            .map(|frame| format!("{:?}", decoder.decode(&frame.unwrap()).unwrap().into_packet().unwrap()))
            .collect();
        assert_eq!(ours, theirs, "b{build} {level:?}");
    }
    // The reference read real values, not errors: the long message's text is there.
    let text = read[0].to_string();
    assert!(text.contains("compression threshold"), "{text}");
}

#[test]
fn stored_is_the_default_and_the_rule_still_decides_what_is_compressed() {
    let ctx = Context::new(1797);
    let mut encoder = PacketEncoder::<FromClient>::new(ctx);
    let mut default_wire = Vec::new();
    for event in events() {
        encoder.write(&event.to_packet(ctx).unwrap(), &mut default_wire).unwrap();
    }
    assert_eq!(default_wire, stream(1797, GzipLevel::Stored).0);
    // Compression::Never from b334 writes no gzip at any level.
    let mut encoder = PacketEncoder::<FromClient>::new(ctx)
        .with_gzip_level(GzipLevel::Best)
        .with_compression(Compression::Never);
    let mut wire = Vec::new();
    for event in events() {
        encoder.write(&event.to_packet(ctx).unwrap(), &mut wire).unwrap();
    }
    assert!(Frames::<FromClient>::new(&wire, ctx).all(|frame| !frame.unwrap().compressed));
}
