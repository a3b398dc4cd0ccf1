//! Writes the benchmark workloads for the reference timing script
//! (`scripts/bench_reference.py`), which checks that the reference writes and reads the
//! same bytes:
//!
//! - `login_b<build>.bin`: the login burst as chio-rs writes it for builds 20250306,
//!   20120818, 1797 and 282, and `login_events.json`, its events (the JSON of
//!   `chio_packets::events::ServerEvent`, which `tests/reference/reference_model.py` turns into
//!   the reference's writer calls);
//! - `client_upload.bin`: the client upload as chio-rs writes it, and
//!   `client_upload.json`, the values each packet must decode to;
//! - `manifest.json`: packets and bytes of each.
//!
//! ```text
//! cargo run -p chio-bench --release --bin workload-bytes -- [DIR]   # default target/bench-workloads
//! ```

use std::path::PathBuf;

use chio_bench::drive;
use chio_bench::workloads::{self, MODERN_BUILD, OLD_BUILDS, ctx};
use chio_packets::catalog::ClientPacket;
use chio_packets::{FromClient, FromServer};
use serde_json::{Value, json};

/// The values the reference must read from one client packet.
fn expected(packet: &ClientPacket<'_>) -> Value {
    match packet {
        ClientPacket::OsuUserStatus(status) => {
            let s = &status.0;
            json!({
                "kind": "status",
                "action": u8::from(s.action),
                "text": s.text,
                "beatmap_checksum": s.beatmap_checksum,
                "mods": s.mods.bits(),
                "mode": u8::from(s.mode),
                "beatmap_id": s.beatmap_id,
            })
        }
        ClientPacket::OsuMessage(message) => {
            let m = &message.0;
            json!({
                "kind": "message",
                "sender": m.sender,
                "content": m.content,
                "target": m.target,
                "sender_id": m.sender_id,
            })
        }
        ClientPacket::OsuPong(_) => json!({ "kind": "pong" }),
        ClientPacket::OsuSpectateFrames(frames) => {
            let b = &frames.0;
            let score = b.score_frame.as_ref().map(|f| {
                json!([
                    f.time,
                    f.id,
                    f.total_300,
                    f.total_100,
                    f.total_50,
                    f.total_geki,
                    f.total_katu,
                    f.total_miss,
                    f.total_score,
                    f.max_combo,
                    f.current_combo,
                    f.perfect,
                    f.hp,
                    f.tag_byte,
                    f.using_scorev2,
                ])
            });
            json!({
                "kind": "frames",
                "extra": b.extra,
                "action": u8::from(b.action),
                "sequence": b.sequence,
                "frames": b
                    .frames
                    .iter()
                    .map(|f| json!([f.button_state.bits(), f.legacy_right, f.x, f.y, f.time]))
                    .collect::<Vec<_>>(),
                "score_frame": score,
            })
        }
        other => panic!("{} is not in the client upload", other.name()),
    }
}

fn main() -> std::io::Result<()> {
    let dir = std::env::args().nth(1).map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/bench-workloads"),
        PathBuf::from,
    );
    std::fs::create_dir_all(&dir)?;
    let events = workloads::login_events();
    let mut manifest = serde_json::Map::new();
    for build in [MODERN_BUILD].into_iter().chain(OLD_BUILDS) {
        let ctx = ctx(build);
        let packets = workloads::login_burst(&events, ctx);
        let bytes = drive::bytes::<FromServer>(&packets, ctx);
        std::fs::write(dir.join(format!("login_b{build}.bin")), &bytes)?;
        manifest.insert(
            format!("login_b{build}"),
            json!({ "build": build, "packets": packets.len(), "bytes": bytes.len() }),
        );
    }
    let events_json = serde_json::to_vec(&events).map_err(std::io::Error::other)?;
    std::fs::write(dir.join("login_events.json"), events_json)?;

    let modern = ctx(MODERN_BUILD);
    let upload = workloads::client_upload();
    let bytes = drive::bytes::<FromClient>(&upload, modern);
    std::fs::write(dir.join("client_upload.bin"), &bytes)?;
    let values: Vec<Value> = upload.iter().map(expected).collect();
    std::fs::write(
        dir.join("client_upload.json"),
        serde_json::to_vec(&values).map_err(std::io::Error::other)?,
    )?;
    manifest.insert(
        "client_upload".into(),
        json!({ "build": MODERN_BUILD, "packets": upload.len(), "bytes": bytes.len() }),
    );
    std::fs::write(
        dir.join("manifest.json"),
        serde_json::to_vec_pretty(&manifest).map_err(std::io::Error::other)?,
    )?;
    println!("{}", dir.display());
    Ok(())
}
