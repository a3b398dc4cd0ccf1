//! Turns the medians of a criterion run (`cargo bench -p chio-bench --bench codec`) and of
//! the reference timing script (`scripts/bench_reference.py`) into the tables of
//! BENCHMARKS.md: packets/s, MB/s (10^6 bytes of chio-rs's wire bytes for the workload)
//! and the ratios, and whether each target holds.
//!
//! ```text
//! cargo run -p chio-bench --release --bin bench-report -- [--python FILE] [CRITERION_DIR...]
//! cargo run -p chio-bench --release --bin bench-report -- --ratio GROUP/A GROUP/B [CRITERION_DIR...]
//! ```
//!
//! With several criterion directories (copies of `target/criterion` after each of several
//! runs), each benchmark's figure is the median of its medians across the runs, and the
//! spread across runs is printed. `--ratio` prints only each run's ratio of two
//! benchmarks' medians (B ÷ A), one figure per directory. Defaults:
//! `$CARGO_TARGET_DIR/criterion` (else `target/criterion`) and
//! `target/bench-workloads/python.json`.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use chio_bench::drive;
use chio_bench::workloads::{self, MODERN_BUILD, OLD_BUILDS, ctx};
use chio_packets::frame::{GzipLevel, UNCOMPRESSED_BUILD};
use chio_packets::{FromClient, FromServer, PacketEncoder};
use serde_json::Value;

/// Packets and bytes of each workload, by the names the benches and the script use.
fn sizes() -> BTreeMap<String, (usize, usize)> {
    let mut sizes = BTreeMap::new();
    let events = workloads::login_events();
    for build in [MODERN_BUILD].into_iter().chain(OLD_BUILDS) {
        let packets = workloads::login_burst(&events, ctx(build));
        let bytes = drive::bytes::<FromServer>(&packets, ctx(build));
        sizes.insert(format!("login_b{build}"), (packets.len(), bytes.len()));
        if build < UNCOMPRESSED_BUILD {
            for level in GzipLevel::ALL {
                let mut encoder = PacketEncoder::new(ctx(build)).with_gzip_level(level);
                let mut bytes = Vec::new();
                // The workloads are valid for their builds by construction.
                drive::encode::<FromServer>(&packets, &mut encoder, &mut bytes)
                    .expect("the workload encodes");
                sizes.insert(format!("login_b{build}_{}", level.name()), (packets.len(), bytes.len()));
            }
        }
    }
    let upload = workloads::client_upload();
    let bytes = drive::bytes::<FromClient>(&upload, ctx(MODERN_BUILD));
    sizes.insert("client_upload".into(), (upload.len(), bytes.len()));
    let subset = workloads::client_upload_peer_subset(&upload);
    let bytes = drive::bytes::<FromClient>(&subset, ctx(MODERN_BUILD));
    sizes.insert("client_upload_peer_subset".into(), (subset.len(), bytes.len()));
    sizes
}

/// Criterion's median (in seconds) of every benchmark under `dir`, by full id.
fn criterion_medians(dir: &Path) -> BTreeMap<String, f64> {
    let mut medians = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(path) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&path) else { continue };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                if path.file_name().is_some_and(|name| name == "new") {
                    let read = |file: &str| {
                        std::fs::read(path.join(file))
                            .ok()
                            .and_then(|bytes| serde_json::from_slice::<Value>(&bytes).ok())
                    };
                    if let (Some(benchmark), Some(estimates)) =
                        (read("benchmark.json"), read("estimates.json"))
                        && let (Some(id), Some(ns)) =
                            (benchmark["full_id"].as_str(), estimates["median"]["point_estimate"].as_f64())
                    {
                        medians.insert(id.to_owned(), ns / 1e9);
                    }
                } else {
                    stack.push(path);
                }
            }
        }
    }
    medians
}

/// One measured row: a median over a workload.
#[derive(Clone, Copy)]
struct Row {
    seconds: f64,
    packets: usize,
    bytes: usize,
}

impl Row {
    fn packets_per_s(self) -> f64 {
        self.packets as f64 / self.seconds
    }
    fn mb_per_s(self) -> f64 {
        self.bytes as f64 / self.seconds / 1e6
    }
}

fn time(seconds: f64) -> String {
    if seconds >= 1e-3 { format!("{:.2} ms", seconds * 1e3) } else { format!("{:.1} µs", seconds * 1e6) }
}

fn count(value: f64) -> String {
    let digits = format!("{value:.0}");
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

struct Report {
    criterion: BTreeMap<String, f64>,
    python: Value,
    sizes: BTreeMap<String, (usize, usize)>,
    out: String,
    verdicts: Vec<String>,
}

impl Report {
    fn ours(&self, id: &str, workload: &str) -> Option<Row> {
        let (packets, bytes) = *self.sizes.get(workload)?;
        Some(Row { seconds: *self.criterion.get(id)?, packets, bytes })
    }

    fn python(&self, name: &str, workload: &str) -> Option<Row> {
        let (packets, bytes) = *self.sizes.get(workload)?;
        Some(Row { seconds: self.python[name]["median_s"].as_f64()?, packets, bytes })
    }

    fn table(&mut self, title: &str, rows: &[(&str, Option<Row>, Option<Row>)]) {
        let _ = writeln!(self.out, "\n{title}\n");
        let _ = writeln!(self.out, "| what | median | packets/s | MB/s | chio-rs ÷ this |");
        let _ = writeln!(self.out, "|---|---:|---:|---:|---:|");
        for (label, row, ours) in rows {
            match row {
                Some(row) => {
                    let ratio = match ours {
                        Some(ours) => format!("{:.2}×", row.seconds / ours.seconds),
                        None => "—".into(),
                    };
                    let _ = writeln!(
                        self.out,
                        "| {label} | {} | {} | {:.1} | {ratio} |",
                        time(row.seconds),
                        count(row.packets_per_s()),
                        row.mb_per_s()
                    );
                }
                None => {
                    let _ = writeln!(self.out, "| {label} | not measured | | | |");
                }
            }
        }
    }

    /// A target that holds when `value` is at most `goal`.
    fn target_at_most(&mut self, what: &str, value: Option<f64>, goal: f64, unit: &str) {
        let line = match value {
            Some(v) if v <= goal => format!("- [x] {what}: {v:.2}{unit} (target ≤ {goal}{unit})"),
            Some(v) => format!("- [ ] {what}: {v:.2}{unit} (target ≤ {goal}{unit}) — **not met**"),
            None => format!("- [ ] {what}: not measured"),
        };
        self.verdicts.push(line);
    }

    fn target(&mut self, what: &str, value: Option<f64>, goal: f64, unit: &str) {
        let line = match value {
            Some(v) if v >= goal => format!("- [x] {what}: {v:.2}{unit} (target ≥ {goal}{unit})"),
            Some(v) => format!("- [ ] {what}: {v:.2}{unit} (target ≥ {goal}{unit}) — **not met**"),
            None => format!("- [ ] {what}: not measured"),
        };
        self.verdicts.push(line);
    }
}

/// The median of each benchmark's medians across runs, and the largest relative spread
/// (max ÷ min − 1) of any benchmark.
fn across_runs(runs: &[BTreeMap<String, f64>]) -> (BTreeMap<String, f64>, Vec<(String, f64)>) {
    let mut all: BTreeMap<String, Vec<f64>> = BTreeMap::new();
    for run in runs {
        for (id, seconds) in run {
            all.entry(id.clone()).or_default().push(*seconds);
        }
    }
    let mut spreads = Vec::new();
    let medians = all
        .into_iter()
        .map(|(id, mut values)| {
            values.sort_by(f64::total_cmp);
            let (min, max) = (values[0], values[values.len() - 1]);
            spreads.push((id.clone(), max / min - 1.0));
            (id, values[values.len() / 2])
        })
        .collect();
    (medians, spreads)
}

/// `--ratio A B`: each run's median of benchmark `B` over its median of `A` (full
/// criterion ids, `group/function`), on one line; exits with 1 if a run lacks either.
fn print_ratios(runs: &[BTreeMap<String, f64>], a: &str, b: &str) {
    let mut ratios = Vec::new();
    for run in runs {
        let (Some(a_seconds), Some(b_seconds)) = (run.get(a), run.get(b)) else {
            eprintln!("bench-report: a run has no median for {a} or {b}");
            std::process::exit(1);
        };
        ratios.push(format!("{:.2}", b_seconds / a_seconds));
    }
    println!("{}", ratios.join(" "));
}

/// How many times faster `ours` is than `peer`.
fn ratio_of(peer: Option<Row>, ours: Option<Row>) -> Option<f64> {
    Some(peer?.seconds / ours?.seconds)
}

fn main() {
    let mut python_file =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/bench-workloads/python.json");
    let mut dirs = Vec::new();
    let mut ratio = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        if arg == "--python" {
            python_file = args.next().map_or(python_file, PathBuf::from);
        } else if arg == "--ratio" {
            ratio = args.next().zip(args.next());
        } else {
            dirs.push(PathBuf::from(arg));
        }
    }
    if dirs.is_empty() {
        let target = std::env::var_os("CARGO_TARGET_DIR")
            .map_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target"), PathBuf::from);
        dirs.push(target.join("criterion"));
    }
    let runs: Vec<_> = dirs.iter().map(|dir| criterion_medians(dir)).collect();
    if let Some((a, b)) = ratio {
        print_ratios(&runs, &a, &b);
        return;
    }
    let (criterion, spreads) = across_runs(&runs);
    let python = std::fs::read(&python_file)
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .unwrap_or(Value::Null);
    let mut r = Report { criterion, python, sizes: sizes(), out: String::new(), verdicts: Vec::new() };
    let login = format!("login_b{MODERN_BUILD}");

    let enc = r.ours("login_burst/chio/encode", &login);
    let dec = r.ours("login_burst/chio/decode", &login);
    let bp_enc = r.ours("login_burst/bancho-packets/encode", &login);
    let bp_dec = r.ours("login_burst/bancho-packets/decode", &login);
    let py_enc = r.python(&format!("{login}/encode"), &login);
    let events = r.ours("login_burst/chio/write_events", &login);
    let memcpy = r.ours("login_burst/memcpy", &login);
    r.table(
        "Workload 1: login burst, b20250306, server → client",
        &[
            ("memcpy of the same bytes", memcpy, enc),
            ("chio-rs encode", enc, enc),
            ("chio-rs write from `ServerEvent`s", events, enc),
            ("bancho-packets encode", bp_enc, enc),
            ("Python reference encode", py_enc, enc),
            ("chio-rs decode", dec, dec),
            ("bancho-packets decode", bp_dec, dec),
        ],
    );

    let up = "client_upload";
    let sub = "client_upload_peer_subset";
    let up_enc = r.ours("client_upload/chio/encode", up);
    let up_dec = r.ours("client_upload/chio/decode", up);
    let py_dec = r.python("client_upload/decode", up);
    let sub_enc = r.ours("client_upload_peer_subset/chio/encode", sub);
    let sub_dec = r.ours("client_upload_peer_subset/chio/decode", sub);
    let bp_sub_enc = r.ours("client_upload_peer_subset/bancho-packets/encode", sub);
    let bp_sub_dec = r.ours("client_upload_peer_subset/bancho-packets/decode", sub);
    let sub_memcpy = r.ours("client_upload_peer_subset/memcpy", sub);
    r.table(
        "Workload 2: client upload, b20250306, client → server",
        &[
            ("chio-rs encode (all 10,000)", up_enc, up_enc),
            ("chio-rs decode (all 10,000)", up_dec, up_dec),
            ("Python reference decode (all 10,000)", py_dec, up_dec),
            ("memcpy of the peer subset's bytes", sub_memcpy, sub_enc),
            ("chio-rs encode (peer subset)", sub_enc, sub_enc),
            ("bancho-packets encode (peer subset)", bp_sub_enc, sub_enc),
            ("chio-rs decode (peer subset)", sub_dec, sub_dec),
            ("bancho-packets decode (peer subset)", bp_sub_dec, sub_dec),
        ],
    );

    let mut old_rows = Vec::new();
    for build in OLD_BUILDS {
        let workload = format!("login_b{build}");
        let enc = r.ours(&format!("old_eras/b{build}/encode"), &workload);
        let dec = r.ours(&format!("old_eras/b{build}/decode"), &workload);
        let py = r.python(&format!("{workload}/encode"), &workload);
        old_rows.push((build, enc, dec, py));
    }
    let labels: Vec<(String, String, String)> = OLD_BUILDS
        .iter()
        .map(|b| {
            (
                format!("b{b} chio-rs encode"),
                format!("b{b} Python reference encode"),
                format!("b{b} chio-rs decode"),
            )
        })
        .collect();
    let rows: Vec<(&str, Option<Row>, Option<Row>)> = old_rows
        .iter()
        .zip(&labels)
        .flat_map(|((_, enc, dec, py), (l1, l2, l3))| {
            [(l1.as_str(), *enc, *enc), (l2.as_str(), *py, *enc), (l3.as_str(), *dec, *dec)]
        })
        .collect();
    r.table("Workload 3: login burst, old eras", &rows);

    // The gzip eras at every level: time, bytes on the wire, and against the reference.
    let _ = writeln!(
        r.out,
        "\nWorkload 3, the gzip eras by level (the default, stored, is the `encode` row above)\n"
    );
    let _ = writeln!(r.out, "| build | level | median | bytes on the wire | Python reference ÷ this |");
    let _ = writeln!(r.out, "|---|---|---:|---:|---:|");
    for build in OLD_BUILDS.into_iter().filter(|build| *build < UNCOMPRESSED_BUILD) {
        let py = r.python(&format!("login_b{build}/encode"), &format!("login_b{build}"));
        for level in GzipLevel::ALL {
            let id = match level {
                GzipLevel::Stored => format!("old_eras/b{build}/encode"),
                other => format!("old_eras/b{build}/encode_{}", other.name()),
            };
            let workload = format!("login_b{build}_{}", level.name());
            let row = r.ours(&id, &workload);
            let ratio = ratio_of(py, row).map_or_else(|| "—".to_owned(), |x| format!("{x:.1}×"));
            let median = row.map_or_else(|| "not measured".to_owned(), |row| time(row.seconds));
            let bytes = r.sizes.get(&workload).map_or(0, |size| size.1);
            let _ = writeln!(
                r.out,
                "| b{build} | {} | {median} | {} | {ratio} |",
                level.name(),
                count(bytes as f64)
            );
        }
    }

    let whole = r.ours("streaming/login_burst/whole", &login);
    let chunks = r.ours("streaming/login_burst/chunks_1460", &login);
    let bytes_mut = r.ours("streaming/login_burst/bytes_mut_1460", &login);
    let c_whole = r.ours("streaming/client_upload/whole", up);
    let c_chunks = r.ours("streaming/client_upload/chunks_1460", up);
    let c_bytes_mut = r.ours("streaming/client_upload/bytes_mut_1460", up);
    r.table(
        "Workload 4: streaming in 1,460-byte pieces against the whole buffer, each through a `PacketDecoder` (last column: this ÷ whole buffer, in time)",
        &[
            ("login burst, whole buffer (`Frames`)", whole, whole),
            ("login burst, `FrameFeeder` 1,460-byte pieces", chunks, whole),
            ("login burst, `FrameDecoder` batches off a `BytesMut` (tokio codec)", bytes_mut, whole),
            ("client upload, whole buffer (`Frames`)", c_whole, c_whole),
            ("client upload, `FrameFeeder` 1,460-byte pieces", c_chunks, c_whole),
            ("client upload, `FrameDecoder` batches off a `BytesMut` (tokio codec)", c_bytes_mut, c_whole),
        ],
    );

    let ratio = ratio_of;
    r.target("decode vs bancho-packets, login burst", ratio(bp_dec, dec), 3.0, "×");
    r.target("decode vs bancho-packets, client peer subset", ratio(bp_sub_dec, sub_dec), 3.0, "×");
    r.target("encode vs bancho-packets, login burst", ratio(bp_enc, enc), 2.0, "×");
    r.target("encode vs bancho-packets, client peer subset", ratio(bp_sub_enc, sub_enc), 2.0, "×");
    r.target("vs the Python reference, login burst encode", ratio(py_enc, enc), 200.0, "×");
    r.target("vs the Python reference, client upload decode", ratio(py_dec, up_dec), 200.0, "×");
    for (build, enc, _, py) in &old_rows {
        r.target(&format!("vs the Python reference, b{build} encode"), ratio(*py, *enc), 200.0, "×");
    }
    r.target_at_most(
        "writing the login burst from events vs prebuilt packets (time ratio)",
        ratio(events, enc),
        1.3,
        "×",
    );
    r.target("uncompressed modern decode, login burst", dec.map(|d| d.mb_per_s() / 1e3), 1.5, " GB/s");
    let overhead =
        |whole: Option<Row>, stream: Option<Row>| Some(100.0 * (1.0 - stream?.seconds / whole?.seconds));
    // "within 10 %": the streaming time is at most 110 % of the whole-buffer time.
    r.target(
        "streaming within 10 %, login burst (100 − overhead %)",
        overhead(whole, chunks).map(|o| 100.0 + o),
        90.0,
        "",
    );
    r.target(
        "streaming within 10 %, client upload (100 − overhead %)",
        overhead(c_whole, c_chunks).map(|o| 100.0 + o),
        90.0,
        "",
    );
    // "within 15 %": the tokio path's time is at most 115 % of the whole-buffer time.
    r.target(
        "tokio path within 15 %, login burst (100 − overhead %)",
        overhead(whole, bytes_mut).map(|o| 100.0 + o),
        85.0,
        "",
    );
    r.target(
        "tokio path within 15 %, client upload (100 − overhead %)",
        overhead(c_whole, c_bytes_mut).map(|o| 100.0 + o),
        85.0,
        "",
    );

    println!("{}", r.out.trim_start());
    println!("\nTargets\n");
    for line in &r.verdicts {
        println!("{line}");
    }
    if let Some(env) = r.python.get("_environment") {
        println!("\nPython reference: {env}");
    }
    if runs.len() > 1 {
        println!("\nSpread across the {} criterion runs (max ÷ min − 1), per benchmark\n", runs.len());
        for (id, spread) in &spreads {
            println!("- {id}: {:.0} %", spread * 100.0);
        }
    }
}
