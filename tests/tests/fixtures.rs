//! Server events against what the reference (chio 1.1.21) sends for them, per revision.
//!
//! tests/fixtures/server/<build>.json is recorded by tests/reference/record_fixtures.py: for each of
//! the revisions, realistic events (in the JSON of [`ServerEvent`]) with the packets
//! the reference's writers produce (wire id and uncompressed payload). These tests check
//! that [`ServerEvent::packets`] gives exactly those packets, except for the two
//! departures documented in `chio_packets::events`, which are asserted byte for byte;
//! that every recorded payload decodes and re-encodes to itself; and they snapshot the
//! decoded values, one file per packet name (`snapshots/fixtures__<name>.snap`).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::PathBuf;

use chio_packets::build::REVISIONS;
use chio_packets::catalog::ServerPacket;
use chio_packets::events::ServerEvent;
use chio_packets::ids::canonical_id;
use chio_packets::presence::QuitState;
use chio_packets::{Context, FromServer, PacketSet, Reader};
use chio_tests::departures::{
    COMPACT_PRESENCE_BUILD, Departure, IRC_IN_PRESENCE_BUILD, Recorded, USER_PRESENCE, compare, encode,
};
use chio_tests::{hex, unhex};
use serde_json::Value;
/// One recorded case: the event's JSON and the reference's packets.
struct Case {
    event: Value,
    packets: Vec<Recorded>,
}

fn fixtures_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures").join("server")
}

/// Every fixture file, by build. Panics unless there is exactly one per revision.
fn load() -> BTreeMap<u32, Vec<Case>> {
    let dir = fixtures_dir();
    let entries = std::fs::read_dir(&dir)
        .unwrap_or_else(|error| panic!("{}: {error}; run tests/reference/record_fixtures.py", dir.display()));
    let mut all = BTreeMap::new();
    for entry in entries {
        let path = entry.expect("directory entry").path();
        let stem = path.file_stem().and_then(|stem| stem.to_str()).expect("file name");
        let build: u32 = stem.parse().unwrap_or_else(|_| panic!("unexpected fixture {}", path.display()));
        let text = std::fs::read_to_string(&path).expect("fixture text");
        let cases: Vec<Value> = serde_json::from_str(&text).expect("fixture JSON");
        let cases: Vec<Case> = cases
            .into_iter()
            .map(|case| Case {
                event: case["event"].clone(),
                packets: case["packets"]
                    .as_array()
                    .expect("packets")
                    .iter()
                    .map(|packet| Recorded {
                        wire_id: u16::try_from(packet["wire_id"].as_u64().expect("wire_id")).expect("u16"),
                        payload: unhex(packet["payload"].as_str().expect("payload")),
                    })
                    .collect(),
            })
            .collect();
        all.insert(build, cases);
    }
    let builds: Vec<u32> = all.keys().copied().collect();
    let revisions: Vec<u32> = REVISIONS.iter().map(|revision| revision.build).collect();
    assert_eq!(builds, revisions, "one fixture file per revision in {}", dir.display());
    for (build, cases) in &all {
        assert!(!cases.is_empty(), "b{build}: no cases");
    }
    all
}

/// A short name for a case in messages: its index and event variant.
fn case_name(index: usize, event: &Value) -> String {
    let variant = match event {
        Value::Object(map) => map.keys().next().cloned().unwrap_or_default(),
        other => other.as_str().unwrap_or_default().to_owned(),
    };
    format!("case {index} ({variant})")
}

fn event_of(value: &Value) -> ServerEvent<'static> {
    serde_json::from_value(value.clone()).unwrap_or_else(|error| panic!("event {value}: {error}"))
}

/// A list of revision builds as ranges of consecutive revisions: `b282–b320, b1788`.
fn build_ranges(builds: &[u32]) -> String {
    let index =
        |build: u32| REVISIONS.iter().position(|revision| revision.build == build).expect("a revision");
    let mut ranges: Vec<(u32, u32)> = Vec::new();
    for &build in builds {
        match ranges.last_mut() {
            Some((_, last)) if index(*last) + 1 == index(build) => *last = build,
            _ => ranges.push((build, build)),
        }
    }
    let text: Vec<String> = ranges
        .iter()
        .map(|&(first, last)| if first == last { format!("b{first}") } else { format!("b{first}–b{last}") })
        .collect();
    format!("{} ({} revision{})", text.join(", "), builds.len(), if builds.len() == 1 { "" } else { "s" })
}

#[test]
fn every_revision_has_a_fixture_file() {
    let all = load();
    let cases: usize = all.values().map(Vec::len).sum();
    let packets: usize = all.values().flatten().map(|case| case.packets.len()).sum();
    println!("{} revisions, {cases} cases, {packets} recorded packets", all.len());
    // Every case has the same events in every revision.
    let first: Vec<&Value> = all.values().next().unwrap().iter().map(|case| &case.event).collect();
    for (build, cases) in &all {
        let events: Vec<&Value> = cases.iter().map(|case| &case.event).collect();
        assert_eq!(events, first, "b{build}: the events differ from the first revision's");
    }
}

#[test]
fn events_give_the_recorded_packets() {
    let mut failures = Vec::new();
    let mut departures: BTreeMap<Departure, usize> = BTreeMap::new();
    let mut checked = 0;
    for (build, cases) in load() {
        let ctx = Context::new(build);
        for (index, case) in cases.iter().enumerate() {
            let event = event_of(&case.event);
            let ours = event.packets(ctx);
            match compare(&event, ctx, &ours, &case.packets) {
                Ok(applied) => {
                    applied.into_iter().for_each(|departure| *departures.entry(departure).or_default() += 1)
                }
                Err(error) => failures.push(format!("b{build} {}: {error}", case_name(index, &case.event))),
            }
            checked += 1;
        }
    }
    println!("{checked} cases; departures applied: {departures:?}");
    assert!(failures.is_empty(), "{} of {checked} cases differ:\n{}", failures.len(), failures.join("\n"));
    // The fixtures exercise each departure.
    assert_eq!(departures.len(), 3, "departures exercised: {departures:?}");
}

#[test]
fn recorded_payloads_decode_and_reencode() {
    let mut failures = Vec::new();
    let mut checked = 0;
    for (build, cases) in load() {
        let ctx = Context::new(build);
        for (index, case) in cases.iter().enumerate() {
            let event = event_of(&case.event);
            let ours = event.packets(ctx);
            for (position, recorded) in case.packets.iter().enumerate() {
                checked += 1;
                let at = format!(
                    "b{build} {} packet {position} (wire {})",
                    case_name(index, &case.event),
                    recorded.wire_id
                );
                let Some(id) = canonical_id(recorded.wire_id, build) else {
                    failures.push(format!("{at}: unknown wire id"));
                    continue;
                };
                let decoded = FromServer::decode(id, &mut Reader::new(&recorded.payload), ctx);
                if let ServerEvent::UserQuit { user, state: QuitState::IrcRemaining } = &event
                    && user.presence.is_irc
                    && build < IRC_IN_PRESENCE_BUILD
                {
                    // Departure 2: the bare-name UserQuit cannot be read as the statistics
                    // these builds expect in a UserQuit.
                    if let Ok(packet) = decoded {
                        failures.push(format!("{at}: the bare-name UserQuit decoded as {packet:?}"));
                    }
                    continue;
                }
                let packet = match decoded {
                    Ok(packet) => packet,
                    Err(error) => {
                        failures.push(format!("{at}: does not decode: {error}"));
                        continue;
                    }
                };
                let mut expected = recorded.payload.clone();
                if id == USER_PRESENCE && build >= COMPACT_PRESENCE_BUILD {
                    // Departure 1: decoding ignores the trailing byte, which must be the user's
                    // mode (as in our presence packet for the same user).
                    let Some(ServerPacket::BanchoUserPresence(presence)) = ours.get(position) else {
                        failures.push(format!("{at}: we send no presence here"));
                        continue;
                    };
                    if expected.pop() != Some(presence.mode as u8) {
                        failures.push(format!("{at}: the trailing byte is not the mode {:?}", presence.mode));
                    }
                }
                match encode(&packet, ctx) {
                    Ok(bytes) if bytes == expected => {}
                    Ok(bytes) => failures.push(format!("{at}: re-encodes as {}", hex(&bytes))),
                    Err(error) => failures.push(format!("{at}: does not re-encode: {error}")),
                }
            }
        }
    }
    println!("{checked} recorded payloads");
    assert!(failures.is_empty(), "{} of {checked} payloads fail:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn decoded_values() {
    // Packet name -> distinct decoded values (as JSON) in order of first appearance, with
    // the revisions each occurs in.
    let mut by_name: BTreeMap<&'static str, Vec<(String, Vec<u32>)>> = BTreeMap::new();
    let all = load();
    for (build, cases) in &all {
        let ctx = Context::new(*build);
        for case in cases {
            for recorded in &case.packets {
                let Some(id) = canonical_id(recorded.wire_id, *build) else { continue };
                // Payloads that do not decode fail `recorded_payloads_decode_and_reencode`.
                let Ok(packet) = FromServer::decode(id, &mut Reader::new(&recorded.payload), ctx) else {
                    continue;
                };
                let json = serde_json::to_string(&packet).expect("packet JSON");
                let values = by_name.entry(packet.name()).or_default();
                match values.iter_mut().find(|(value, _)| *value == json) {
                    Some((_, builds)) => {
                        if builds.last() != Some(build) {
                            builds.push(*build);
                        }
                    }
                    None => values.push((json, vec![*build])),
                }
            }
        }
    }
    assert!(!by_name.is_empty());
    for (name, values) in by_name {
        let mut text = String::from(
            "Every distinct payload the reference sends as this packet in the fixtures, decoded, with the\n\
             revisions it occurs in. Values are as on the wire (b282-b337 status bytes use the legacy\n\
             numbering, shown by the modern name of the same number; fields a revision lacks keep defaults).\n\n",
        );
        for (json, builds) in values {
            // `{"packet":"<type>","data":<value>}`, printed as `<type> in <builds>:` and the
            // value (field order kept).
            let rest = json.strip_prefix(r#"{"packet":""#).expect("tagged packet JSON");
            let (type_name, rest) = rest.split_once('"').expect("type name");
            let data =
                rest.strip_prefix(r#","data":"#).and_then(|data| data.strip_suffix('}')).expect("data");
            writeln!(text, "{type_name} in {}:\n  {data}", build_ranges(&builds)).unwrap();
        }
        insta::assert_snapshot!(name, text);
    }
}
