//! Runs one benchmark's work in a loop, for profilers (`perf record`, `valgrind
//! --tool=callgrind`) and for quick comparisons on a busy machine: it prints the minimum
//! and the median time per iteration, and the minimum is robust to other processes.
//!
//! ```text
//! cargo run -p chio-bench --release --example profile -- login_decode 2000
//! valgrind --tool=callgrind target/release/examples/profile login_decode 20
//! cargo run -p chio-bench --release --example profile -- pair login_decode bp_login_decode 3000
//! ```
//!
//! `pair A B` runs two works by turns, one iteration of each, in the same process: both
//! meet the same load from one moment to the next, so the ratio of their times holds
//! where separate runs (criterion's benches run one after another, minutes apart) see
//! different loads. It prints both works' times and the ratio B ÷ A of their minimums,
//! of their medians and the median of the ratios of each turn.
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
use chio_packets::events::ServerEvent;
use chio_packets::frame::{FrameWriter, GzipLevel};
use chio_packets::{
    ClientPacket, Context, FromClient, FromServer, PacketDecoder, PacketEncoder, ServerPacket,
};

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

/// The minimum and the median of `samples` (nanoseconds), sorting them.
fn min_median(samples: &mut [u128]) -> (f64, f64) {
    samples.sort_unstable();
    let min = samples.first().copied().unwrap_or(0);
    let median = samples.get(samples.len() / 2).copied().unwrap_or(0);
    (min as f64, median as f64)
}

/// Nanoseconds one call of `run` takes.
fn once(run: &mut dyn FnMut()) -> u128 {
    let start = Instant::now();
    run();
    start.elapsed().as_nanos()
}

fn time(name: &str, iterations: usize, run: &mut dyn FnMut()) {
    let mut samples: Vec<u128> = (0..iterations).map(|_| once(run)).collect();
    let (min, median) = min_median(&mut samples);
    println!("{name:>18}: min {:>10.1} µs, median {:>10.1} µs", min / 1e3, median / 1e3);
}

/// Runs `a` and `b` by turns (which goes first alternates), `iterations` times each.
fn pair(names: (&str, &str), iterations: usize, a: &mut dyn FnMut(), b: &mut dyn FnMut()) {
    let (mut times_a, mut times_b, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
    for turn in 0..iterations {
        let (ta, tb) = if turn % 2 == 0 {
            let ta = once(a);
            (ta, once(b))
        } else {
            let tb = once(b);
            (once(a), tb)
        };
        times_a.push(ta);
        times_b.push(tb);
        ratios.push(tb as f64 / ta.max(1) as f64);
    }
    let (min_a, median_a) = min_median(&mut times_a);
    let (min_b, median_b) = min_median(&mut times_b);
    ratios.sort_by(f64::total_cmp);
    let ratio = ratios.get(ratios.len() / 2).copied().unwrap_or(0.0);
    println!("{:>18}: min {:>10.1} µs, median {:>10.1} µs", names.0, min_a / 1e3, median_a / 1e3);
    println!("{:>18}: min {:>10.1} µs, median {:>10.1} µs", names.1, min_b / 1e3, median_b / 1e3);
    println!(
        "{:>18}  {} ÷ {}: {:.2}× in minimums, {:.2}× in medians, {:.2}× the median of each turn's ratio",
        "",
        names.1,
        names.0,
        min_b / min_a.max(1.0),
        median_b / median_a.max(1.0),
        ratio
    );
}

/// What the works share: the workloads, built once.
struct Shared<'s> {
    events: &'s [ServerEvent<'static>],
    client: &'s [ClientPacket<'static>],
    client_bytes: &'s [u8],
    subset: &'s [ClientPacket<'static>],
    subset_bytes: &'s [u8],
    peer_subset: &'s [bancho_peer::Client<'s>],
}

/// A work's own input: workload 1 for its build, as packets and on the wire.
struct Input<'e> {
    ctx: Context,
    what: String,
    server: Vec<ServerPacket<'e>>,
    server_bytes: Vec<u8>,
}

impl<'e> Input<'e> {
    fn new(work: &str, events: &'e [ServerEvent<'static>]) -> Self {
        // `b<build>_<what>` is an old era's work; `bp_...` is the peer's.
        let era = work.strip_prefix('b').and_then(|rest| rest.split_once('_'));
        let (build, what) = match era.and_then(|(build, what)| Some((build.parse().ok()?, what))) {
            Some((build, what)) => (build, what),
            None => (MODERN_BUILD, work),
        };
        let ctx = ctx(build);
        let server = workloads::login_burst(events, ctx);
        let server_bytes = drive::bytes::<FromServer>(&server, ctx);
        Self { ctx, what: what.to_owned(), server, server_bytes }
    }
}

/// One iteration of a work, with its own output buffer, encoder or writer.
fn routine<'a>(input: &'a Input<'_>, shared: &'a Shared<'_>) -> Option<Box<dyn FnMut() + 'a>> {
    let Input { ctx, ref server, ref server_bytes, .. } = *input;
    let mut buf = Vec::with_capacity(1 << 22);
    let what = input.what.as_str();
    // The client upload whole, or its peer subset (`subset_...`).
    let (client, client_bytes) = match what.strip_prefix("subset_") {
        Some(_) => (shared.subset, shared.subset_bytes),
        None => (shared.client, shared.client_bytes),
    };
    Some(match what {
        "login_encode" | "encode" => {
            let mut encoder = PacketEncoder::new(ctx);
            Box::new(move || {
                buf.clear();
                drive::encode::<FromServer>(black_box(server), &mut encoder, &mut buf).unwrap();
            })
        }
        level if level.starts_with("encode_") => {
            let level = GzipLevel::from_name(&level["encode_".len()..]).expect("a gzip level");
            let mut encoder = PacketEncoder::new(ctx).with_gzip_level(level);
            Box::new(move || {
                buf.clear();
                drive::encode::<FromServer>(black_box(server), &mut encoder, &mut buf).unwrap();
            })
        }
        "login_events" | "events" => {
            let mut writer = FrameWriter::new();
            Box::new(move || {
                buf.clear();
                drive::write_events(black_box(shared.events), ctx, &mut writer, &mut buf).unwrap();
            })
        }
        "login_decode" | "decode" => Box::new(move || {
            drive::decode::<FromServer>(black_box(server_bytes), ctx, |p| {
                black_box(p);
            })
            .unwrap();
        }),
        "login_frames" => {
            let packets = PacketDecoder::<FromServer>::new(ctx);
            Box::new(move || {
                for frame in packets.frames(black_box(server_bytes)) {
                    black_box(frame.unwrap());
                }
            })
        }
        "floor_login_decode" => Box::new(move || {
            chio_bench::floor::decode(black_box(server_bytes), |p| {
                black_box(p);
            })
            .unwrap();
        }),
        "login_stream" => Box::new(move || {
            drive::feed::<FromServer>(black_box(server_bytes), ctx, CHUNK, |p| {
                black_box(p);
            })
            .unwrap();
        }),
        "login_bytes_mut" => Box::new(move || {
            drive::decode_bytes_mut::<FromServer>(black_box(server_bytes), ctx, CHUNK, |p| {
                black_box(p);
            })
            .unwrap();
        }),
        "client_encode" | "subset_encode" => {
            let mut encoder = PacketEncoder::new(ctx);
            Box::new(move || {
                buf.clear();
                drive::encode::<FromClient>(black_box(client), &mut encoder, &mut buf).unwrap();
            })
        }
        "client_decode" | "subset_decode" => Box::new(move || {
            drive::decode::<FromClient>(black_box(client_bytes), ctx, |p| {
                black_box(p);
            })
            .unwrap();
        }),
        "client_stream" => Box::new(move || {
            drive::feed::<FromClient>(black_box(client_bytes), ctx, CHUNK, |p| {
                black_box(p);
            })
            .unwrap();
        }),
        "bp_login_encode" => {
            let peer = bancho_peer::server_packets(server);
            Box::new(move || {
                buf.clear();
                bancho_peer::encode_server(black_box(&peer), &mut buf);
            })
        }
        "bp_login_decode" => Box::new(move || {
            bancho_peer::decode_server(black_box(server_bytes), |p| {
                black_box(p);
            })
            .unwrap();
        }),
        "bp_subset_encode" => Box::new(move || {
            buf.clear();
            bancho_peer::encode_client(black_box(shared.peer_subset), &mut buf);
        }),
        "bp_subset_decode" => Box::new(move || {
            bancho_peer::decode_client(black_box(shared.subset_bytes), |p| {
                black_box(p);
            })
            .unwrap();
        }),
        _ => return None,
    })
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let events = workloads::login_events();
    let client = workloads::client_upload();
    let modern = ctx(MODERN_BUILD);
    let client_bytes = drive::bytes::<FromClient>(&client, modern);
    let subset = workloads::client_upload_peer_subset(&client);
    let subset_bytes = drive::bytes::<FromClient>(&subset, modern);
    let peer_subset = bancho_peer::client_packets(&subset);
    let shared = Shared {
        events: &events,
        client: &client,
        client_bytes: &client_bytes,
        subset: &subset,
        subset_bytes: &subset_bytes,
        peer_subset: &peer_subset,
    };
    let iterations = |at: usize| args.get(at).and_then(|n| n.parse().ok()).unwrap_or(1000);
    if args.first().map(String::as_str) == Some("pair") {
        let (Some(a), Some(b)) = (args.get(1), args.get(2)) else {
            panic!("pair needs two work names");
        };
        let (input_a, input_b) = (Input::new(a, &events), Input::new(b, &events));
        let mut run_a = routine(&input_a, &shared).unwrap_or_else(|| panic!("no work {a}"));
        let mut run_b = routine(&input_b, &shared).unwrap_or_else(|| panic!("no work {b}"));
        pair((a, b), iterations(3), &mut run_a, &mut run_b);
        return;
    }
    let which = args.first().map_or("all", String::as_str);
    for work in WORK.iter().filter(|work| which == "all" || which == **work) {
        let input = Input::new(work, &events);
        if let Some(mut run) = routine(&input, &shared) {
            time(work, iterations(1), &mut run);
        }
    }
}
