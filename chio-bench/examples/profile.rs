//! Runs one benchmark's work in a loop, for profilers (`perf record`, `valgrind
//! --tool=callgrind`) and for quick comparisons on a busy machine: it prints the minimum
//! and the median time per iteration, and the minimum is robust to other processes.
//!
//! ```text
//! cargo run -p chio-bench --release --example profile -- login_decode 2000
//! valgrind --tool=callgrind target/release/examples/profile login_decode 20
//! ```
//!
//! Work names: `login_encode`, `login_events` (workload 1 written from its events),
//! `login_decode`, `login_frames` (workload 1 cut into frames, not decoded),
//! `floor_login_decode` (workload 1 read by `chio_bench::floor`), `login_stream`, `login_bytes_mut`, `client_encode`,
//! `client_decode`, `client_stream`, `b20120818_encode`, `b20120818_decode`,
//! `b1797_encode`, `b1797_decode`, `b282_encode`, `b282_decode`, `b20120818_events`,
//! `b1797_events`, `b282_events` (workload 1 for those builds from its events; and `b1797_encode_<level>`,
//! `b282_encode_<level>` for the gzip levels `fast`, `balanced`, `best`), `subset_encode`, `subset_decode` (the client upload's
//! peer subset), `bp_login_encode`, `bp_login_decode`, `bp_subset_encode`,
//! `bp_subset_decode` (the same with `bancho-packets`), or `all`.

#[path = "../peers/bancho_packets.rs"]
mod bancho_peer;

use std::hint::black_box;
use std::time::Instant;

use chio_bench::drive;
use chio_bench::workloads::{self, CHUNK, MODERN_BUILD, ctx};
use chio_packets::frame::{FrameWriter, GzipLevel};
use chio_packets::{FromClient, FromServer, PacketDecoder, PacketEncoder};

const WORK: &[&str] = &[
    "login_encode",
    "login_events",
    "login_decode",
    "login_stream",
    "floor_login_decode",
    "login_bytes_mut",
    "client_encode",
    "client_decode",
    "client_stream",
    "b20120818_encode",
    "b20120818_decode",
    "b1797_encode",
    "b1797_encode_fast",
    "b1797_encode_balanced",
    "b1797_encode_best",
    "b1797_decode",
    "b282_encode",
    "b282_encode_fast",
    "b282_encode_balanced",
    "b282_encode_best",
    "b282_decode",
    "b20120818_events",
    "b1797_events",
    "b282_events",
    "bp_login_encode",
    "bp_login_decode",
    "bp_subset_encode",
    "bp_subset_decode",
    "subset_encode",
    "subset_decode",
    "login_frames",
];

fn time(name: &str, iterations: usize, mut run: impl FnMut()) {
    let mut samples = Vec::with_capacity(iterations);
    for _ in 0..iterations {
        let start = Instant::now();
        run();
        samples.push(start.elapsed().as_nanos());
    }
    samples.sort_unstable();
    let min = samples.first().copied().unwrap_or(0);
    let median = samples.get(samples.len() / 2).copied().unwrap_or(0);
    println!("{name:>18}: min {:>10.1} µs, median {:>10.1} µs", min as f64 / 1e3, median as f64 / 1e3);
}

fn main() {
    let mut args = std::env::args().skip(1);
    let which = args.next().unwrap_or_else(|| "all".to_owned());
    let iterations: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(1000);
    let events = workloads::login_events();
    let client = workloads::client_upload();
    let modern = ctx(MODERN_BUILD);
    let client_bytes = drive::bytes::<FromClient>(&client, modern);
    let subset = workloads::client_upload_peer_subset(&client);
    let subset_bytes = drive::bytes::<FromClient>(&subset, modern);
    let peer_subset = bancho_peer::client_packets(&subset);
    let mut buf = Vec::with_capacity(1 << 22);
    for work in WORK.iter().filter(|work| which == "all" || which == **work) {
        // `b<build>_<what>` is an old era's work; `bp_...` is the peer's.
        let era = work.strip_prefix('b').and_then(|rest| rest.split_once('_'));
        let (build, what) = match era.and_then(|(build, what)| Some((build.parse().ok()?, what))) {
            Some((build, what)) => (build, what),
            None => (MODERN_BUILD, *work),
        };
        let ctx = ctx(build);
        let server = workloads::login_burst(&events, ctx);
        let server_bytes = drive::bytes::<FromServer>(&server, ctx);
        match what {
            "login_encode" | "encode" => {
                let mut encoder = PacketEncoder::new(ctx);
                time(work, iterations, || {
                    buf.clear();
                    drive::encode::<FromServer>(black_box(&server), &mut encoder, &mut buf).unwrap();
                })
            }
            level if level.starts_with("encode_") => {
                let level = GzipLevel::from_name(&level["encode_".len()..]).expect("a gzip level");
                let mut encoder = PacketEncoder::new(ctx).with_gzip_level(level);
                time(work, iterations, || {
                    buf.clear();
                    drive::encode::<FromServer>(black_box(&server), &mut encoder, &mut buf).unwrap();
                })
            }
            "login_events" | "events" => {
                let mut writer = FrameWriter::new();
                time(work, iterations, || {
                    buf.clear();
                    drive::write_events(black_box(&events), ctx, &mut writer, &mut buf).unwrap();
                })
            }
            "login_decode" | "decode" => time(work, iterations, || {
                drive::decode::<FromServer>(black_box(&server_bytes), ctx, |p| {
                    black_box(p);
                })
                .unwrap();
            }),
            "login_frames" => {
                let packets = PacketDecoder::<FromServer>::new(ctx);
                time(work, iterations, || {
                    for frame in packets.frames(black_box(&server_bytes)) {
                        black_box(frame.unwrap());
                    }
                })
            }
            "floor_login_decode" => time(work, iterations, || {
                chio_bench::floor::decode(black_box(&server_bytes), |p| {
                    black_box(p);
                })
                .unwrap();
            }),
            "login_stream" => time(work, iterations, || {
                drive::feed::<FromServer>(black_box(&server_bytes), ctx, CHUNK, |p| {
                    black_box(p);
                })
                .unwrap();
            }),
            "login_bytes_mut" => time(work, iterations, || {
                drive::decode_bytes_mut::<FromServer>(black_box(&server_bytes), ctx, CHUNK, |p| {
                    black_box(p);
                })
                .unwrap();
            }),
            "client_encode" => {
                let mut encoder = PacketEncoder::new(ctx);
                time(work, iterations, || {
                    buf.clear();
                    drive::encode::<FromClient>(black_box(&client), &mut encoder, &mut buf).unwrap();
                })
            }
            "client_decode" => time(work, iterations, || {
                drive::decode::<FromClient>(black_box(&client_bytes), ctx, |p| {
                    black_box(p);
                })
                .unwrap();
            }),
            "client_stream" => time(work, iterations, || {
                drive::feed::<FromClient>(black_box(&client_bytes), ctx, CHUNK, |p| {
                    black_box(p);
                })
                .unwrap();
            }),
            "subset_encode" => {
                let mut encoder = PacketEncoder::new(ctx);
                time(work, iterations, || {
                    buf.clear();
                    drive::encode::<FromClient>(black_box(&subset), &mut encoder, &mut buf).unwrap();
                })
            }
            "subset_decode" => time(work, iterations, || {
                drive::decode::<FromClient>(black_box(&subset_bytes), ctx, |p| {
                    black_box(p);
                })
                .unwrap();
            }),
            "bp_login_encode" => {
                let peer = bancho_peer::server_packets(&server);
                time(work, iterations, || {
                    buf.clear();
                    bancho_peer::encode_server(black_box(&peer), &mut buf);
                })
            }
            "bp_login_decode" => time(work, iterations, || {
                bancho_peer::decode_server(black_box(&server_bytes), |p| {
                    black_box(p);
                })
                .unwrap();
            }),
            "bp_subset_encode" => time(work, iterations, || {
                buf.clear();
                bancho_peer::encode_client(black_box(&peer_subset), &mut buf);
            }),
            "bp_subset_decode" => time(work, iterations, || {
                bancho_peer::decode_client(black_box(&subset_bytes), |p| {
                    black_box(p);
                })
                .unwrap();
            }),
            _ => {}
        }
    }
}
