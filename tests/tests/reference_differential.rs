//! Needs the pinned reference (`scripts/reference-env.sh`; see tests/README.md).
//!
//! Differential tests against the reference (chio 1.1.21), run through
//! tests/reference/differential.py with the interpreter of scripts/reference-env.sh.
//!
//! - Server direction: the script generates seeded random events (the JSON of
//!   [`ServerEvent`]) for every server packet writer of every revision, with the
//!   reference's packets for each; [`ServerEvent::packets`] must give the same packets
//!   (only the documented departures allowed, each checked exactly), and every reference
//!   payload must decode to the packet we produce.
//! - Client direction: seeded random wire values of every client packet type in every
//!   revision are framed as the build's clients do ([`ClientPacket::write`]); the reference reads each frame and the
//!   script compares what it returns with [`ClientEvent::from_packet`].
//!
//! A missing reference fails the tests (run scripts/reference-env.sh); they never skip.

use std::collections::{BTreeMap, BTreeSet};

use chio_packets::build::REVISIONS;
use chio_packets::catalog::{CLIENT_PACKETS, ServerPacket};
use chio_packets::events::ServerEvent;
use chio_packets::events::client::ClientEvent;
use chio_packets::ids::canonical_id;
use chio_packets::{Context, FromClient, FromServer, PacketDecoder, PacketSet, Reader};
use chio_tests::wire_gen::WireGen;
use chio_tests::{hex, reference, unhex};
use serde_json::Value;

/// The seed of both directions (printed, so a failure can be reproduced with the script).
const SEED: u64 = 20250306;
/// Random cases per server writer and revision (unit events get one).
const SERVER_CASES_PER_PACKET: u32 = 24;

use chio_tests::departures::{COMPACT_PRESENCE_BUILD, Departure, Recorded, USER_PRESENCE, compare, encode};

/// How a reference payload decoded compared with the packet we produce.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Decoded {
    /// Exactly our packet.
    Exact,
    /// Our packet with the fields the build does not send at their defaults (the event
    /// layer fills some of those; they are not on the wire).
    ExactOnTheWire,
}

/// Decodes each reference payload and checks it is the packet we produce (same order as
/// checked by [`compare`]), and that it re-encodes to the reference's bytes.
fn decode_check(
    ours: &[ServerPacket<'_>],
    reference: &[Recorded],
    ctx: Context,
) -> Result<Vec<Decoded>, String> {
    let mut outcomes = Vec::new();
    for (packet, recorded) in ours.iter().zip(reference) {
        let id = canonical_id(recorded.wire_id, ctx.build()).ok_or("unknown wire id")?;
        let decoded = FromServer::decode(id, &mut Reader::new(&recorded.payload), ctx)
            .map_err(|error| format!("{recorded} does not decode: {error}"))?;
        let mut expected_bytes = recorded.payload.clone();
        if id == USER_PRESENCE && ctx.build() >= COMPACT_PRESENCE_BUILD {
            // Departure 1: the extra mode byte is left unread.
            expected_bytes.pop();
        }
        if encode(&decoded, ctx)? != expected_bytes {
            return Err(format!("{recorded} decodes as {decoded:?}, which re-encodes differently"));
        }
        if decoded == *packet {
            outcomes.push(Decoded::Exact);
            continue;
        }
        let ours_bytes = encode(packet, ctx)?;
        let on_the_wire = FromServer::decode_payload(id, &ours_bytes, ctx)
            .map_err(|error| format!("our {} does not decode: {error}", packet.name()))?;
        if decoded != on_the_wire {
            return Err(format!("{recorded} decodes as\n  {decoded:?}\nwe produce\n  {packet:?}"));
        }
        outcomes.push(Decoded::ExactOnTheWire);
    }
    Ok(outcomes)
}

/// The random server cases of the script, as (build, event JSON, reference packets).
fn server_cases() -> Vec<(u32, Value, Vec<Recorded>)> {
    let seed = SEED.to_string();
    let cases = SERVER_CASES_PER_PACKET.to_string();
    println!("server direction: tests/reference/differential.py --seed {seed} --cases-per-packet {cases}");
    let output = reference::run(
        &["tests/reference/differential.py", "--seed", &seed, "--cases-per-packet", &cases],
        b"",
    );
    let text = String::from_utf8(output).expect("UTF-8 output");
    text.lines()
        .map(|line| {
            let mut value: Value = serde_json::from_str(line).expect("a JSON line");
            let build = u32::try_from(value["build"].as_u64().expect("build")).expect("u32 build");
            let packets = value["packets"]
                .as_array()
                .expect("packets")
                .iter()
                .map(|packet| Recorded {
                    wire_id: u16::try_from(packet["wire_id"].as_u64().expect("wire_id")).expect("u16"),
                    payload: unhex(packet["payload"].as_str().expect("payload")),
                })
                .collect();
            (build, value["event"].take(), packets)
        })
        .collect()
}

fn variant_name(event: &Value) -> String {
    match event {
        Value::Object(map) => map.keys().next().cloned().unwrap_or_default(),
        other => other.as_str().unwrap_or_default().to_owned(),
    }
}

#[test]
fn server_events_match_the_reference() {
    let cases = server_cases();
    let mut failures: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut departures: BTreeMap<Departure, usize> = BTreeMap::new();
    let mut decoded: BTreeMap<Decoded, usize> = BTreeMap::new();
    let mut builds = BTreeSet::new();
    let mut variants = BTreeSet::new();
    let mut packets = 0;
    for (build, event_json, reference) in &cases {
        builds.insert(*build);
        let variant = variant_name(event_json);
        variants.insert(variant.clone());
        packets += reference.len();
        let event: ServerEvent<'_> = serde_json::from_value(event_json.clone())
            .unwrap_or_else(|error| panic!("{event_json}: {error}"));
        let ctx = Context::new(*build);
        let ours = event.packets(ctx);
        let result = compare(&event, ctx, &ours, reference).and_then(|applied| {
            // The IRC-quit departures have no packet pairs to decode (one side is empty).
            if applied.iter().all(|departure| *departure == Departure::PresenceModeByte) {
                for outcome in decode_check(&ours, reference, ctx)? {
                    *decoded.entry(outcome).or_default() += 1;
                }
            }
            Ok(applied)
        });
        match result {
            Ok(applied) => {
                applied.into_iter().for_each(|departure| *departures.entry(departure).or_default() += 1)
            }
            Err(error) => failures
                .entry(format!("{variant} b{build}"))
                .or_default()
                .push(format!("{event_json}\n{error}")),
        }
    }
    let failed: usize = failures.values().map(Vec::len).sum();
    println!(
        "server direction: {} revisions, {} event kinds, {} cases, {packets} reference packets, {failed} mismatches; departures applied: {departures:?}; reference payloads decoded as our packets: {decoded:?}",
        builds.len(),
        variants.len(),
        cases.len(),
    );
    // The reference's revisions are ours, and every one has cases.
    let revisions: BTreeSet<u32> = REVISIONS.iter().map(|revision| revision.build).collect();
    assert_eq!(builds, revisions, "the reference's revisions with cases");
    if !failures.is_empty() {
        // Per event kind and kind of difference (its message with the digits blanked): the
        // revisions, and the first case.
        let mut groups: BTreeMap<(String, String), (BTreeSet<u32>, usize, String)> = BTreeMap::new();
        for (at, cases) in &failures {
            let (variant, build) = at.split_once(" b").unwrap();
            for case in cases {
                let message = case.lines().nth(1).unwrap_or_default();
                let kind: String =
                    message.chars().map(|c| if c.is_ascii_digit() { '#' } else { c }).collect();
                let group = groups
                    .entry((variant.to_owned(), kind))
                    .or_insert_with(|| (Default::default(), 0, case.clone()));
                group.0.insert(build.parse().unwrap());
                group.1 += 1;
            }
        }
        let report: Vec<String> = groups
            .iter()
            .map(|((variant, _), (builds, count, example))| {
                let builds: Vec<String> = builds.iter().map(|build| format!("b{build}")).collect();
                format!("{variant}: {count} cases in {}; e.g.:\n{example}", builds.join(" "))
            })
            .collect();
        panic!("{failed} of {} cases differ from the reference:\n\n{}", cases.len(), report.join("\n\n"));
    }
}

// ---------------------------------------------------------------------------------------
// Client direction

/// Our event as JSON for the script: `f32` fields are written as the `f64` of the same
/// value (the reference reads them into Python floats, which are doubles).
fn event_json(event: &ClientEvent<'_>) -> Value {
    let mut value = serde_json::to_value(event).expect("event JSON");
    if let ClientEvent::SpectateFrames(bundle) = event {
        for (frame, json) in
            bundle.frames.iter().zip(value["SpectateFrames"]["frames"].as_array_mut().unwrap())
        {
            json["x"] = serde_json::json!(f64::from(frame.x));
            json["y"] = serde_json::json!(f64::from(frame.y));
        }
    }
    value
}

/// Random frames per client packet type and revision (packets without a payload get one).
const CLIENT_CASES_PER_PACKET: u32 = 32;

#[test]
fn client_packets_read_as_the_reference_reads_them() {
    let mut lines = String::new();
    let mut types = BTreeSet::new();
    let mut frames = 0;
    let mut rejected = 0;
    for revision in REVISIONS {
        let ctx = Context::new(revision.build);
        for info in CLIENT_PACKETS.iter().filter(|info| info.exists_in(ctx)) {
            types.insert(info.type_name);
            let mut generator = WireGen::new(SEED, ctx, info.type_name);
            let cases = if info.layout.fields_in(ctx).next().is_none() { 1 } else { CLIENT_CASES_PER_PACKET };
            for _ in 0..cases {
                let packet = generator.packet(info);
                let mut frame = Vec::new();
                packet.write(&mut frame, ctx).unwrap_or_else(|error| {
                    panic!("b{} {}: {error}: {packet:?}", revision.build, info.type_name)
                });
                // What we read back from our own frame, and what it means.
                let mut reader = PacketDecoder::<FromClient>::new(ctx);
                let read = reader.frames(&frame).next().expect("one frame").expect("a frame");
                let decoded =
                    reader.decode(&read).expect("our frame decodes").into_packet().expect("a known packet");
                let mut line = serde_json::json!({
                    "build": revision.build,
                    "packet": info.name,
                    "hex": hex(&frame),
                });
                match ClientEvent::from_packet(decoded, ctx) {
                    Ok(event) => line["expected"] = event_json(&event),
                    Err(error) => {
                        // The variant name (`NotDirectMessage`), which the script maps to the
                        // reference's error.
                        let debug = format!("{error:?}");
                        let kind = debug.split([' ', '{', '(']).next().unwrap_or_default();
                        line["expected_error"] =
                            serde_json::json!({"kind": kind, "message": error.to_string()});
                        rejected += 1;
                    }
                }
                lines.push_str(&line.to_string());
                lines.push('\n');
                frames += 1;
            }
        }
    }
    // Kept when the check fails, to rerun the script on it.
    let path = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("differential-client-{}.jsonl", std::process::id()));
    std::fs::write(&path, &lines).expect("writing the client frames");
    let python = reference::python();
    println!("client direction: tests/reference/differential.py --check-client {}", path.display());
    let output = std::process::Command::new(&python)
        .arg("tests/reference/differential.py")
        .arg("--check-client")
        .arg(&path)
        .current_dir(reference::workspace())
        .output()
        .unwrap_or_else(|error| panic!("cannot run {}: {error}; {}", python.display(), reference::SETUP));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    let mismatches: Vec<&str> = stdout.lines().collect();
    println!(
        "client direction: {} revisions, {} packet types, {frames} frames ({rejected} that both sides must reject), {} mismatches\n{stderr}",
        REVISIONS.len(),
        types.len(),
        mismatches.len(),
    );
    if output.status.success() && mismatches.is_empty() {
        let _ = std::fs::remove_file(&path);
    }
    assert!(
        output.status.success() && mismatches.is_empty(),
        "the reference reads {} of {frames} frames differently ({}):\n{}\n{stderr}",
        mismatches.len(),
        output.status,
        mismatches.iter().take(40).copied().collect::<Vec<_>>().join("\n"),
    );
}
