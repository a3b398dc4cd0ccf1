//! Needs the pinned reference (`scripts/reference-env.sh`): the catalog's `supports`
//! against the reference's handlers in every revision.

use std::collections::BTreeMap;

use chio_packets::Context;
use chio_packets::build::REVISIONS;
use chio_packets::catalog;
use chio_tests::reference;

/// For each revision build, the packets whose handler the reference's class has.
const PRINT_HANDLERS: &str = r#"
import json
from chio.constants import PacketType
builds = json.load(sys.stdin)
out = {}
for build in builds:
    cls = chio.select_client(build)
    out[build] = [p.name for p in PacketType if getattr(cls, p.handler_name, None) is not None]
json.dump(out, sys.stdout)
"#;

/// Why the reference has a handler where the wire has no such packet (or the reverse).
/// Each of these is an adaptation of the event layer (`chio_packets::events`).
fn expected_difference(name: &str, build: u32) -> Option<&'static str> {
    Some(match name {
        "BanchoIrcJoin" | "BanchoIrcQuit" if build >= 1788 => "writer kept but emits nothing from b1788",
        "BanchoLobbyJoin" | "BanchoLobbyPart" if build >= 20121211 => "writer kept but emits nothing",
        "OsuMatchChangeBeatmap" if build >= 340 => "reader kept as a stub that reads nothing",
        "BanchoUserPresence" if build < 1788 => "sent as BanchoUserStats",
        "BanchoUserPresenceSingle" | "BanchoUserPresenceBundle" if build < 20121224 => {
            "sent as the presence of each user"
        }
        "BanchoRestart" if build < 1788 => "sent as BanchoAnnounce",
        "BanchoInvite" if build < 1817 => "sent as BanchoMessage",
        "BanchoCommandError" | "BanchoUnauthorized" => "listed by the reference but never written",
        _ => return None,
    })
}

#[test]
fn supports_matches_the_reference_in_every_revision() {
    let builds: Vec<u32> = REVISIONS.iter().map(|revision| revision.build).collect();
    let output = reference::run_snippet(PRINT_HANDLERS, serde_json::to_string(&builds).unwrap().as_bytes());
    let handlers: BTreeMap<String, Vec<String>> = serde_json::from_slice(&output).unwrap();
    assert_eq!(handlers.len(), REVISIONS.len(), "revisions");
    let names: Vec<&str> = catalog::all().map(|info| info.name).collect();
    let mut compared = 0;
    let mut explained = 0;
    for build in builds {
        let implemented = &handlers[&build.to_string()];
        for name in implemented.iter().map(String::as_str).chain(names.iter().copied()) {
            let theirs = implemented.iter().any(|n| n == name);
            let ours = catalog::supports(name, Context::new(build));
            compared += 1;
            if theirs != ours {
                assert!(
                    expected_difference(name, build).is_some(),
                    "b{build} {name}: reference {theirs}, catalog {ours}"
                );
                explained += 1;
            }
        }
    }
    assert!(compared > 10_000, "{compared}");
    assert!(explained > 0 && explained < compared / 10, "{explained} of {compared}");
}
