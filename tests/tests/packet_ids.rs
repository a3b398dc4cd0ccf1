//! Packet id translation against the reference: tests/fixtures/packet-ids.json is
//! recorded from chio 1.1.21 by tests/reference/record_packet_ids.py.

use chio_packets::build::REVISIONS;
use chio_packets::ids::{canonical_id, wire_id};
use serde_json::Value;

fn fixture() -> Value {
    let text = include_str!("../fixtures/packet-ids.json");
    serde_json::from_str(text).expect("packet-ids.json is JSON")
}

fn canonical_ids(fixture: &Value) -> Vec<(String, u16)> {
    let ids = fixture["canonical_ids"].as_object().expect("canonical_ids");
    ids.iter().map(|(name, id)| (name.clone(), u16::try_from(id.as_u64().unwrap()).unwrap())).collect()
}

#[test]
fn wire_ids_match_the_reference_in_every_revision() {
    let fixture = fixture();
    let ids = canonical_ids(&fixture);
    let mut checked = 0;
    for era in fixture["eras"].as_array().unwrap() {
        for build in era["builds"].as_array().unwrap() {
            let build = u32::try_from(build.as_u64().unwrap()).unwrap();
            for (name, id) in &ids {
                let expected = era["wire_ids"][name].as_u64().unwrap();
                assert_eq!(u64::from(wire_id(*id, build)), expected, "{name} in b{build}");
                checked += 1;
            }
        }
    }
    // Every revision × every canonical id.
    assert_eq!(checked, REVISIONS.len() * ids.len());
}

/// Reading agrees with the reference wherever the reference reads a wire id as the packet
/// that is written with it. The reference also maps a few ids that no packet is written
/// as onto neighbours; those read as unknown here, and the test pins the exact list.
#[test]
fn reads_match_the_reference_except_its_neighbour_mappings() {
    let fixture = fixture();
    let ids: std::collections::HashMap<String, u16> = canonical_ids(&fixture).into_iter().collect();
    let mut agreed = 0;
    let mut neighbour_mappings = Vec::new();
    for era in fixture["eras"].as_array().unwrap() {
        let first = u32::try_from(era["builds"][0].as_u64().unwrap()).unwrap();
        for (raw, read) in era["reads"].as_object().unwrap() {
            let raw: u16 = raw.parse().unwrap();
            let ours = canonical_id(raw, first);
            match read.as_str() {
                Some(name) if era["wire_ids"][name].as_u64() == Some(u64::from(raw)) => {
                    assert_eq!(ours, Some(ids[name]), "b{first}: wire {raw} should read as {name}");
                    agreed += 1;
                }
                Some(name) => {
                    assert_eq!(ours, None, "b{first}: wire {raw}");
                    neighbour_mappings.push(format!("b{first}: {raw} -> {name}"));
                }
                // Unknown to the reference: no standard packet here, at most an id above the
                // standard ones (a downstream packet's), which maps back to this wire id.
                None => match ours {
                    None => {}
                    Some(id) => {
                        assert!(id > chio_packets::ids::MAX_MODERN_ID, "b{first}: wire {raw} reads as {id}");
                        assert_eq!(chio_packets::ids::wire_id(id, first), raw, "b{first}: custom id {id}");
                    }
                },
            }
        }
    }
    assert!(agreed > 5 * 100, "only {agreed} ids agreed");
    insta::assert_snapshot!(neighbour_mappings.join("\n"));
}
