//! End-to-end tests of the `chio` binary: they run it as a user would and check its
//! output, error lines and exit status.

use std::io::Write;
use std::process::{Command, Output, Stdio};

use chio_packets::build::REVISIONS;
use chio_packets::catalog::{self, CLIENT_PACKETS, ClientPacket};
use chio_packets::spectating::{
    ButtonState, OsuSpectateFrames, ReplayAction, ReplayFrame, ReplayFrameBundle,
};
use chio_packets::{Context, Direction, FromServer, PacketSet, ids};
use chio_tests::wire_gen::WireGen;
use serde_json::Value;

/// Runs `chio args...` with `stdin`.
fn chio(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_chio"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the chio binary runs");
    // A command that fails early may close its input; what it printed is what counts.
    let _ = child.stdin.take().expect("stdin").write_all(stdin);
    child.wait_with_output().expect("chio finishes")
}

fn stdout(output: &Output) -> &str {
    std::str::from_utf8(&output.stdout).expect("UTF-8 output")
}

fn stderr(output: &Output) -> &str {
    std::str::from_utf8(&output.stderr).expect("UTF-8 errors")
}

/// Checks the run succeeded and said nothing on standard error.
fn ok(output: Output, what: &str) -> Output {
    assert!(output.status.success(), "{what}: {:?}\n{}", output.status, stderr(&output));
    assert_eq!(stderr(&output), "", "{what}");
    output
}

/// Checks the run failed with status 1 and one error line, and never panicked.
fn failed(output: &Output, what: &str) -> String {
    assert_eq!(output.status.code(), Some(1), "{what}: {}", stderr(output));
    let error = stderr(output);
    assert!(!error.contains("panicked"), "{what}: {error}");
    assert_eq!(error.lines().count(), 1, "{what}: one error line: {error}");
    error.trim_end().to_owned()
}

fn json_lines(text: &str) -> Vec<Value> {
    text.lines().map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}"))).collect()
}

/// Decodes `stream` and encodes the result again: the bytes must come back exactly, and
/// each line must name the packet its wire id names in the build.
fn round_trip(stream: &[u8], build: u32, from: &str) -> usize {
    let build_arg = build.to_string();
    let decoded = ok(chio(&["decode", "--build", &build_arg, "--from", from], stream), "decode");
    let lines = json_lines(stdout(&decoded));
    let direction = if from == "server" { Direction::ServerToClient } else { Direction::ClientToServer };
    for line in &lines {
        let wire_id = u16::try_from(line["id"].as_u64().expect("an id")).unwrap();
        let id = ids::canonical_id(wire_id, build).expect("a known wire id");
        let info = catalog::lookup(direction, id, Context::new(build)).expect("a packet of the build");
        assert_eq!(line["packet"], info.name, "b{build}: {line}");
        // serde_json's map sorts keys.
        let keys: Vec<_> = line.as_object().unwrap().keys().map(String::as_str).collect();
        assert!(
            keys == ["compressed", "data", "id", "packet"]
                || keys == ["compressed", "data", "id", "packet", "trailing"],
            "{line}"
        );
    }
    let encoded = ok(chio(&["encode", "--build", &build_arg, "--from", from], &decoded.stdout), "encode");
    assert!(encoded.stdout == stream, "b{build} {from}: decode | encode changed the bytes");
    lines.len()
}

#[test]
fn decode_then_encode_gives_back_every_fixture_stream() {
    let (mut packets, mut unreadable) = (0, 0);
    for revision in REVISIONS {
        let build = revision.build;
        let ctx = Context::new(build);
        // The reference's bare-name user quits before b1788 are unreadable by the clients of
        // those builds (a documented departure): they cannot decode, so they are left out.
        let (readable, bad): (Vec<_>, Vec<_>) =
            chio_tests::fixture_packets(build).into_iter().partition(|packet| {
                let id = ids::canonical_id(packet.wire_id, build).expect("a known wire id");
                FromServer::decode(id, &mut chio_packets::Reader::new(&packet.payload), ctx).is_ok()
            });
        for packet in &bad {
            let id = ids::canonical_id(packet.wire_id, build);
            assert!(
                build < 1788 && id == Some(12),
                "b{build}: only bare-name quits are unreadable: {packet}"
            );
        }
        unreadable += bad.len();
        packets += round_trip(&chio_tests::frame_stream(build, &readable), build, "server");
    }
    // Every packet the reference recorded for the revisions.
    assert_eq!((packets, unreadable), (4_977 - 35, 35));
}

#[test]
fn decode_then_encode_gives_back_random_client_streams() {
    let mut packets = 0;
    for revision in REVISIONS {
        let ctx = Context::new(revision.build);
        let mut stream = Vec::new();
        for info in CLIENT_PACKETS.iter().filter(|info| info.exists_in(ctx)) {
            let mut generator = WireGen::new(0x00c1_1e47, ctx, info.type_name);
            for _ in 0..4 {
                generator.packet(info).write(&mut stream, ctx).unwrap();
                packets += 1;
            }
        }
        assert_eq!(round_trip(&stream, revision.build, "client"), packets);
        packets = 0;
    }
}

#[test]
fn floats_of_any_bit_pattern_survive_the_round_trip() {
    // A spectate frame whose cursor is a signalling NaN and negative infinity.
    let frame = ReplayFrame {
        left: false,
        right: false,
        button_state: ButtonState::empty(),
        legacy_right: 0,
        x: f32::from_bits(0x7fa0_0001),
        y: f32::NEG_INFINITY,
        time: 1234,
    };
    let bundle = ReplayFrameBundle {
        extra: -1,
        frames: vec![frame],
        action: ReplayAction::Standard,
        score_frame: None,
        sequence: 7,
    };
    let ctx = Context::new(20250306);
    let mut stream = Vec::new();
    ClientPacket::OsuSpectateFrames(OsuSpectateFrames(bundle)).write(&mut stream, ctx).unwrap();
    let decoded = ok(chio(&["decode", "--build", "20250306", "--from", "client"], &stream), "decode");
    let line = &json_lines(stdout(&decoded))[0];
    assert_eq!(line["data"]["frames"][0]["x"], "nan:0x7fa00001", "{line}");
    assert_eq!(line["data"]["frames"][0]["y"], "-inf", "{line}");
    let encoded = ok(chio(&["encode", "--build", "20250306", "--from", "client"], &decoded.stdout), "encode");
    assert_eq!(encoded.stdout, stream);
}

#[test]
fn trailing_bytes_are_kept_or_refused_with_strict() {
    // A login reply with two bytes after its i32.
    let hex = "05 00 00 06 00 00 00 e8 03 00 00 ab cd";
    let decoded =
        ok(chio(&["decode", "--build", "20250306", "--from", "server", "--hex"], hex.as_bytes()), "decode");
    assert_eq!(
        stdout(&decoded),
        "{\"packet\":\"BanchoLoginReply\",\"id\":5,\"compressed\":false,\"data\":1000,\"trailing\":\"abcd\"}\n"
    );
    let encoded =
        ok(chio(&["encode", "--build", "20250306", "--from", "server", "--hex"], &decoded.stdout), "encode");
    assert_eq!(stdout(&encoded), "05000006000000e8030000abcd\n");
    let output =
        chio(&["decode", "--build", "20250306", "--from", "server", "--hex", "--strict"], hex.as_bytes());
    assert_eq!(
        failed(&output, "strict"),
        "chio decode: byte 11: BanchoLoginReply (wire id 5): 2 trailing bytes after the payload"
    );
}

#[test]
fn hex_in_and_hex_out() {
    let hex = "05 00 00 04 00 00 00 e8 03 00 00\n08 00 00 00 00 00 00\n";
    let decoded =
        ok(chio(&["decode", "--build", "b20250306", "--from", "server", "--hex"], hex.as_bytes()), "decode");
    assert_eq!(
        stdout(&decoded),
        "{\"packet\":\"BanchoLoginReply\",\"id\":5,\"compressed\":false,\"data\":1000}\n\
         {\"packet\":\"BanchoPing\",\"id\":8,\"compressed\":false,\"data\":null}\n"
    );
    let encoded =
        ok(chio(&["encode", "--build", "20250306", "--from", "server", "--hex"], &decoded.stdout), "encode");
    assert_eq!(stdout(&encoded), "05000004000000e8030000\n08000000000000\n");
}

#[test]
fn the_compressed_flag_is_honoured_where_the_header_has_one() {
    let line = |compressed: &str| {
        format!("{{\"packet\":\"BanchoLoginReply\",\"id\":5,\"compressed\":{compressed},\"data\":1000}}\n")
    };
    // b1799 compresses only long payloads; asked to, it compresses a short one too.
    let packed =
        ok(chio(&["encode", "--build", "1799", "--from", "server"], line("true").as_bytes()), "encode");
    assert_eq!(packed.stdout[2], 1, "the header's compression flag");
    let decoded = ok(chio(&["decode", "--build", "1799", "--from", "server"], &packed.stdout), "decode");
    assert_eq!(stdout(&decoded), line("true"));
    // b282's header has no flag: every payload is compressed, and raw is refused.
    let error =
        failed(&chio(&["encode", "--build", "282", "--from", "server"], line("false").as_bytes()), "raw");
    assert!(error.contains("line 1") && error.contains("before b334"), "{error}");
    // Left out: the build's own rule.
    let default = ok(
        chio(
            &["encode", "--build", "1799", "--from", "server"],
            b"{\"packet\":\"BanchoLoginReply\",\"data\":7}",
        ),
        "encode",
    );
    assert_eq!(default.stdout, [5, 0, 0, 4, 0, 0, 0, 7, 0, 0, 0]);
}

#[test]
fn truncated_input_prints_what_came_before_and_names_the_offset() {
    let stream = chio_tests::fixture_stream(20250306);
    let whole = ok(chio(&["decode", "--build", "20250306", "--from", "server"], &stream), "decode");
    let all = stdout(&whole).lines().count();
    // Cut inside the header, and inside the payload, of a frame in the middle.
    for cut in [stream.len() / 2, stream.len() - 3, 5] {
        let output = chio(&["decode", "--build", "20250306", "--from", "server"], &stream[..cut]);
        let error = failed(&output, "truncated");
        assert!(error.starts_with("chio decode: byte "), "{error}");
        assert!(error.contains("unexpected end of input"), "{error}");
        let printed = stdout(&output).lines().count();
        assert!(printed < all, "cut at {cut}: {printed} of {all}");
        // The lines printed are the first lines of the whole decode.
        assert!(stdout(&whole).starts_with(stdout(&output)));
        // The offset is where the cut frame starts, which is within the input.
        let offset: usize = error["chio decode: byte ".len()..].split(':').next().unwrap().parse().unwrap();
        assert!(offset < cut, "{error}");
    }
}

#[test]
fn bad_payloads_are_named_with_packet_and_field() {
    // A stats packet that ends inside the status text.
    let hex = "0b 00 00 05 00 00 00 e8 03 00 00 00";
    let output = chio(&["decode", "--build", "20250306", "--from", "server", "--hex"], hex.as_bytes());
    assert_eq!(
        failed(&output, "short stats"),
        "chio decode: byte 12: BanchoUserStats (wire id 11): status.text: unexpected end of input: needed 1 bytes, 0 left"
    );
    // A frame length over the limit fails at its header.
    let hex = "05 00 00 ff ff ff 7f";
    let output = chio(&["decode", "--build", "20250306", "--from", "server", "--hex"], hex.as_bytes());
    let error = failed(&output, "oversize");
    assert!(error.contains("byte 0: frame of BanchoLoginReply (wire id 5): frame length"), "{error}");
    // A packet the build does not have: kept raw by default, an error with --strict.
    let hex = "60 00 00 00 00 00 00 05 00 00 04 00 00 00 01 00 00 00";
    let output = ok(chio(&["decode", "--build", "1788", "--from", "server", "--hex"], hex.as_bytes()), "raw");
    let lines = json_lines(stdout(&output));
    assert_eq!(lines[0], serde_json::json!({"raw": true, "id": 96, "compressed": false, "payload": ""}));
    assert_eq!(lines[1]["packet"], "BanchoLoginReply");
    let output =
        chio(&["decode", "--build", "1788", "--from", "server", "--hex", "--strict"], hex.as_bytes());
    assert!(failed(&output, "absent").contains("byte 0: BanchoUserPresenceBundle (wire id 96)"));
    // Bad hex.
    let output = chio(&["decode", "--build", "20250306", "--from", "server", "--hex"], b"05 0g");
    assert!(failed(&output, "hex").contains("'g' at character 4 is not a hex digit"));
}

#[test]
fn garbage_never_crashes_the_decoder() {
    let mut state = 0x9e37_79b9_7f4a_7c15_u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut failures = 0;
    for round in 0..40 {
        let build = REVISIONS[round % REVISIONS.len()].build.to_string();
        let len = (next() % 300) as usize;
        // Small ids and lengths, so that some frames parse and their payloads are garbage.
        let input: Vec<u8> =
            (0..len).map(|i| if i % 7 < 3 { (next() % 4) as u8 } else { next() as u8 }).collect();
        let from = if round % 2 == 0 { "server" } else { "client" };
        let output = chio(&["decode", "--build", &build, "--from", from], &input);
        match output.status.code() {
            Some(0) => json_lines(stdout(&output)).len(),
            Some(1) => {
                failed(&output, "garbage");
                failures += 1;
                0
            }
            other => panic!("b{build} {from}: status {other:?}: {}", stderr(&output)),
        };
    }
    assert!(failures > 0, "garbage should mostly fail");
}

#[test]
fn encode_errors_name_the_line() {
    let cases: &[(&str, &str)] = &[
        ("{\"packet\":\"BanchoNope\",\"data\":null}", "line 1: unknown packet \"BanchoNope\""),
        ("{\"packet\":\"OsuPong\",\"data\":null}", "line 1: OsuPong is sent by the client"),
        (
            "{\"packet\":\"BanchoUserPresenceBundle\",\"data\":[]}",
            "line 1: BanchoUserPresenceBundle is not in b1788",
        ),
        (
            "{\"packet\":\"BanchoLoginReply\",\"id\":6,\"data\":1}",
            "line 1: BanchoLoginReply: id 6 is not its wire id",
        ),
        ("{\"packet\":\"BanchoLoginReply\",\"data\":\"x\"}", "line 1: BanchoLoginReply: data: invalid type"),
        (
            "{\"packet\":\"BanchoLoginReply\",\"data\":1,\"extra\":2}",
            "line 1: not a packet line: unknown field",
        ),
        ("\n{\"packet\":\"BanchoPing\"}\nnot json", "line 3: not a JSON line"),
    ];
    for (input, expected) in cases {
        let output = chio(&["encode", "--build", "1788", "--from", "server"], input.as_bytes());
        let error = failed(&output, input);
        assert!(error.starts_with(&format!("chio encode: {expected}")), "{input}: {error}");
    }
    // Frames before the bad line are written.
    let output = chio(&["encode", "--build", "1788", "--from", "server"], b"{\"packet\":\"BanchoPing\"}\n{}");
    assert_eq!(output.stdout, [8, 0, 0, 0, 0, 0, 0]);
}

#[test]
fn builds_lists_every_revision() {
    let output = ok(chio(&["builds", "--json"], b""), "builds");
    let lines = json_lines(stdout(&output));
    assert_eq!(lines.len(), REVISIONS.len());
    for (line, revision) in lines.iter().zip(REVISIONS) {
        assert_eq!(line["build"], revision.build);
        assert_eq!(line["protocol"], revision.protocol);
        assert_eq!(line["summary"], revision.summary);
    }
    let text = ok(chio(&["builds"], b""), "builds");
    let text: Vec<&str> = stdout(&text).lines().collect();
    assert_eq!(text.len(), REVISIONS.len());
    let newest = REVISIONS.last().unwrap();
    let build = format!("b{}", newest.build);
    let expected = format!("{build:<10} protocol {:>2}  {}", newest.protocol, newest.summary);
    assert!(text.last().unwrap().starts_with(&expected), "{:?}", text.last());
}

#[test]
fn packets_lists_the_build_s_packets_with_their_fields() {
    for build in [282, 1788, 20121224, 20250306] {
        let output = ok(chio(&["packets", "--build", &build.to_string(), "--json"], b""), "packets");
        let lines = json_lines(stdout(&output));
        let expected: Vec<_> = [Direction::ServerToClient, Direction::ClientToServer]
            .into_iter()
            .flat_map(|direction| catalog::packets_in(direction, Context::new(build)))
            .map(|info| (info.name, info.wire_id(Context::new(build))))
            .collect();
        let listed: Vec<_> = lines
            .iter()
            .map(|line| (line["packet"].as_str().unwrap(), line["wire_id"].as_u64().unwrap()))
            .collect();
        assert_eq!(listed.len(), expected.len(), "b{build}");
        for ((name, wire), (listed_name, listed_wire)) in expected.iter().zip(&listed) {
            assert_eq!((name, u64::from(*wire)), (listed_name, *listed_wire), "b{build}");
        }
    }
    let output = ok(chio(&["packets", "--build", "20250306", "--from", "server"], b""), "packets");
    let text = stdout(&output);
    assert!(text.contains("   11  BanchoUserStats  (canonical id 11)\n         user_id"), "{text}");
    assert!(text.contains("         status.mods                  u32\n"), "{text}");
    assert!(!text.contains("OsuPong"));
    let old = ok(chio(&["packets", "--build", "282", "--from", "server"], b""), "packets");
    assert!(stdout(&old).contains("   12  BanchoUserStats as BanchoUserStatsB282  (canonical id 11)"));
}

#[test]
fn diff_names_added_packets_and_changed_fields() {
    let output = ok(chio(&["diff", "20121223", "b20121224", "--json"], b""), "diff");
    let diff: Value = serde_json::from_str(stdout(&output)).unwrap();
    let added: Vec<_> =
        diff["added"].as_array().unwrap().iter().map(|p| p["packet"].as_str().unwrap()).collect();
    assert_eq!(
        added,
        [
            "BanchoUserPresenceSingle",
            "BanchoUserPresenceBundle",
            "OsuPresenceRequest",
            "OsuPresenceRequestAll"
        ]
    );
    let quit = &diff["changed"][0];
    assert_eq!(quit["packet"], "BanchoUserQuit");
    assert_eq!(quit["types"], serde_json::json!(["BanchoUserQuitB1788", "BanchoUserQuit"]));
    assert_eq!(quit["fields_added"][0]["name"], "state");

    let output = ok(chio(&["diff", "20120723", "20250306"], b""), "diff");
    let text = stdout(&output);
    assert!(text.contains("  - wire type of pp: i16 -> u16\n"), "{text}");
    assert!(text.contains("  - wire type of status.mods: u16 -> u32\n"), "{text}");

    // A field that becomes conditional changes its condition, not its wire type.
    let output = ok(chio(&["diff", "282", "323", "--json"], b""), "diff");
    let diff: Value = serde_json::from_str(stdout(&output)).unwrap();
    let stats =
        diff["changed"].as_array().unwrap().iter().find(|c| c["packet"] == "BanchoUserStats").unwrap();
    assert_eq!(stats["wire_changed"], serde_json::json!([{"name": "accuracy", "old": "f64", "new": "f32"}]));
    assert_eq!(
        stats["condition_changed"][0],
        serde_json::json!({"name": "name", "old": null, "new": "*full"})
    );
    let output = ok(chio(&["diff", "282", "323"], b""), "diff");
    assert!(stdout(&output).contains("  - condition of rank: always -> when *full\n"), "{}", stdout(&output));

    let same = ok(chio(&["diff", "1797", "1800"], b""), "diff");
    assert!(stdout(&same).starts_with("b1797 and b1800 have the same packets and field layouts"));
}

#[test]
fn login_bodies_parse_to_json() {
    let body = "peppy\n5f4dcc3b5aa765d61d8327deb882cf99\nb20130303.2cuttingedge|-5|1|\
                a:runningunderwine:b:c:d:|1\n";
    let output = ok(chio(&["login"], body.as_bytes()), "login");
    let login: Value = serde_json::from_str(stdout(&output)).unwrap();
    assert_eq!(login["username"], "peppy");
    assert_eq!(login["version"], "b20130303.2cuttingedge");
    assert_eq!((login["build"].clone(), login["protocol"].clone()), (20130303.into(), 17.into()));
    assert_eq!(login["utc_offset"], -5);
    assert_eq!(login["block_non_friend_dms"], true);
    let output = chio(&["login"], b"peppy\nnot-a-hash\nb20130303|0|0\n");
    let error = failed(&output, "bad hash");
    assert!(error.starts_with("chio login: ") && error.contains("line 2"), "{error}");
}

#[test]
fn help_has_examples_everywhere() {
    let top = ok(chio(&["--help"], b""), "help");
    assert!(stdout(&top).contains("Examples:"));
    for command in ["decode", "encode", "builds", "packets", "diff", "login", "reference"] {
        let help = ok(chio(&[command, "--help"], b""), command);
        assert!(stdout(&help).contains("Examples:"), "{command}");
        assert!(stdout(&help).contains(&format!("chio {command}")), "{command}");
    }
    let bad = chio(&["decode", "--build", "100", "--from", "server"], b"");
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("older than the oldest client"));
}

#[test]
fn the_protocol_reference_is_up_to_date() {
    let output = ok(chio(&["reference"], b""), "reference");
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/PROTOCOL.md");
    let committed = std::fs::read_to_string(&path).expect("docs/PROTOCOL.md exists");
    assert!(
        committed == stdout(&output),
        "docs/PROTOCOL.md is stale: regenerate it with `cargo run -p chio-cli -- reference > docs/PROTOCOL.md`"
    );
}

#[test]
fn the_readme_sample_decodes_to_its_json_lines() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/samples");
    let hex = std::fs::read(dir.join("login-b20250306.hex")).unwrap();
    let expected = std::fs::read_to_string(dir.join("login-b20250306.jsonl")).unwrap();
    let decoded = ok(chio(&["decode", "--build", "20250306", "--from", "server", "--hex"], &hex), "decode");
    assert_eq!(stdout(&decoded), expected);
    let encoded = ok(
        chio(&["encode", "--build", "20250306", "--from", "server", "--hex"], expected.as_bytes()),
        "encode",
    );
    assert_eq!(encoded.stdout, hex);
}

/// Nothing is lost: a TCP client's capture that starts with its plain-text login, a
/// packet the build does not have, a server's `0b 00` empty string and another writer's
/// gzip all come back byte for byte through `decode | encode`.
#[test]
fn decode_then_encode_keeps_logins_raw_frames_and_foreign_bytes() {
    // A 2012 TCP client: the login lines, then a status request (id 3) and a pong (id 4).
    let mut capture =
        b"nobbele\r\n967ef2eb34634ba418db94dab610ba6f\r\nb20121203|2|1|75a97a5cf087c3dce41479536ebd2466\r\n"
            .to_vec();
    capture.extend_from_slice(&[3, 0, 0, 0, 0, 0, 0, 4, 0, 0, 0, 0, 0, 0]);
    let decoded = ok(chio(&["decode", "--build", "20121203", "--from", "client"], &capture), "decode");
    let lines = json_lines(stdout(&decoded));
    assert_eq!(lines[0]["login"]["username"], "nobbele", "{}", lines[0]);
    assert_eq!(lines[0]["login"]["utc_offset"], 2);
    assert_eq!(lines[1]["packet"], "OsuStatusUpdateRequest");
    assert_eq!(lines[2]["packet"], "OsuPong");
    let encoded = ok(chio(&["encode", "--build", "20121203", "--from", "client"], &decoded.stdout), "encode");
    assert_eq!(encoded.stdout, capture);
    // Read as frames only, the login is what the old tool saw: an impossible frame length.
    let output = chio(&["decode", "--build", "20121203", "--from", "client", "--login", "no"], &capture);
    assert!(failed(&output, "no login").contains("frame length"));

    // A modern server that writes packet 34 (no server packet has it), a message whose
    // empty target is written `0b 00`, and a b1797 frame compressed by another gzip.
    let mut stream = vec![34, 0, 0, 2, 0, 0, 0, 0xaa, 0xbb];
    let message = [0x0b, 0x01, b'a', 0x0b, 0x01, b'b', 0x0b, 0x00, 1, 0, 0, 0];
    stream.extend_from_slice(&[7, 0, 0, message.len() as u8, 0, 0, 0]);
    stream.extend_from_slice(&message);
    let decoded = ok(chio(&["decode", "--build", "20250306", "--from", "server"], &stream), "decode");
    let lines = json_lines(stdout(&decoded));
    assert_eq!(lines[0], serde_json::json!({"raw": true, "id": 34, "compressed": false, "payload": "aabb"}));
    assert_eq!(lines[1]["data"]["target"], "");
    assert!(lines[1]["wire"].is_string(), "the server's own bytes are kept: {}", lines[1]);
    let encoded = ok(chio(&["encode", "--build", "20250306", "--from", "server"], &decoded.stdout), "encode");
    assert_eq!(encoded.stdout, stream);
    // Changing the data writes the data, not the kept bytes.
    let edited = stdout(&decoded).replace("\"content\":\"b\"", "\"content\":\"c\"");
    let encoded =
        ok(chio(&["encode", "--build", "20250306", "--from", "server"], edited.as_bytes()), "edited");
    assert_ne!(encoded.stdout, stream);
    assert!(encoded.stdout.ends_with(&[0x0b, 0x01, b'c', 0x00, 1, 0, 0, 0]));

    let long = "x".repeat(200);
    let mut foreign = Vec::new();
    {
        use std::io::Write as _;
        // Level 9 and a non-zero time in the header: not the bytes chio-rs writes.
        let mut payload = vec![0x0b, 200, 1];
        payload.extend_from_slice(long.as_bytes());
        let mut gz =
            flate2::GzBuilder::new().mtime(1_700_000_000).write(Vec::new(), flate2::Compression::best());
        gz.write_all(&payload).unwrap();
        let packed = gz.finish().unwrap();
        foreign.extend_from_slice(&[24, 0, 1]);
        foreign.extend_from_slice(&u32::try_from(packed.len()).unwrap().to_le_bytes());
        foreign.extend_from_slice(&packed);
    }
    let decoded = ok(chio(&["decode", "--build", "1797", "--from", "server"], &foreign), "decode");
    let line = &json_lines(stdout(&decoded))[0];
    assert_eq!(line["packet"], "BanchoAnnounce");
    assert!(line["wire"].is_string(), "{line}");
    let encoded = ok(chio(&["encode", "--build", "1797", "--from", "server"], &decoded.stdout), "encode");
    assert_eq!(encoded.stdout, foreign);
}
