//! What an idle session costs `chio serve`: 600 clients of every protocol revision (both
//! transports) log in, read their login bursts and sit idle; the server's resident memory
//! then has grown by at most 32 KiB per session (the target of RELIABILITY.md and
//! BENCHMARKS.md, "Load").
//!
//! The figure is the growth of the whole process from before the first login, divided by
//! the sessions, so it also carries what the first logins warm up (SQLite's cache, the
//! runtime's threads) and what the allocator keeps: an upper bound on the session itself.
//! `cargo test -p chio-cli --test serve_memory -- --nocapture` prints it.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use chio_client::load::{LoadConfig, run};
use chio_packets::build::REVISIONS;

/// The bound on an idle session.
const MAX_PER_SESSION: u64 = 32 * 1024;
const CLIENTS: usize = 600;

/// A running `chio serve`, killed on drop.
struct Serve(Child);

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_idle_session_costs_the_server_at_most_32_kib() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_chio"))
        .args(["serve", "--db", ":memory:", "--open-registration", "--insecure-fast-passwords"])
        .args(["--tcp", "127.0.0.1:0", "--http", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let pid = child.id();
    let _serve = Serve(child);
    let mut listening = |kind: &str| {
        let line = lines.next().unwrap().unwrap();
        line.strip_prefix(&format!("listening {kind} ")).unwrap_or_else(|| panic!("{line:?}")).to_owned()
    };
    let tcp = listening("tcp").parse().unwrap();
    let http = format!("http://{}", listening("http"));

    let mut config = LoadConfig::new(CLIENTS, REVISIONS.iter().map(|r| r.build).collect());
    config.tcp = Some(tcp);
    config.http = Some(http);
    config.duration = Duration::from_secs(2);
    config.rate = 0.0;
    config.latency_samplers = 0;
    config.server_pid = Some(pid);
    let report = run(config).await;

    assert_eq!(report.logged_in, CLIENTS, "{:?}", report.error_messages);
    assert_eq!(report.errors, 0, "{:?}", report.error_messages);
    let (start, end) = (report.memory.start.unwrap(), report.memory.end.unwrap());
    let per_session = end.saturating_sub(start) / CLIENTS as u64;
    println!("{CLIENTS} idle sessions: {start} B at start, {end} B idle, {per_session} B per session");
    assert!(per_session <= MAX_PER_SESSION, "{per_session} B per idle session");
}
