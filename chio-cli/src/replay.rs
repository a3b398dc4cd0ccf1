//! `chio replay`: a captured session played again against a server, and the server's
//! answer compared with the captured one, packet by packet.

use std::net::ToSocketAddrs;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use chio_proxy::capture::Transport;
use chio_proxy::replay::{self, ReplayOptions, Target, Timing};

/// Arguments of `chio replay`.
#[derive(clap::Args, Debug)]
#[command(after_help = "\
Examples:
  chio replay session.capture --server 127.0.0.1:13381
  chio replay session.capture --session 2 --server http://127.0.0.1:8080 --ignore-ids
  chio replay session.capture --server 127.0.0.1:13381 --ignore timezone --ignore BanchoLoginReply.data

The session's client side is sent with the session's build: over TCP its login lines and
stream bytes, chunk by chunk, until the server closes or is quiet for --quiet-ms after the
last chunk; over HTTP its login body (the new cho-token is taken) and every poll body.
Then the server's packets are compared with the captured ones (injected frames left out)
as `chio decode` prints them, in order (or as multisets with --unordered). One line per
difference, on standard output:
  packet 7 BanchoMessage: data.content: captured \"hi\" != replayed \"ho\"
  missing packet 9 BanchoMatchUpdate
  extra packet 12 BanchoPing
Packets are numbered from 1: captured ones by their place in the capture, extra ones by
their place in the answer.

Nothing is ignored by default. --ignore FIELD (repeatable) leaves out a key at any depth
(user_id), or a dotted path from the packet line (data.topic), which may start with a
packet name (BanchoLoginReply.data) to apply to that packet only. --ignore-ids adds
user_id, user_ids, sender_id, host_id and BanchoLoginReply.data.

Exit status: 0 when the answer is the same, 1 when it differs (the differences on
standard output), 2 on errors.")]
pub(crate) struct ReplayArgs {
    /// The capture file (as the proxy writes it).
    capture: PathBuf,
    /// The server: host:port for a TCP session, http://host:port for an HTTP one.
    #[arg(long)]
    server: String,
    /// The session to replay; the capture's first by default.
    #[arg(long)]
    session: Option<u64>,
    /// A key (any depth) or dotted path to leave out of the comparison; repeatable.
    #[arg(long = "ignore", value_name = "FIELD")]
    ignore: Vec<String>,
    /// Leave out user ids (user_id, user_ids, sender_id, host_id, BanchoLoginReply.data).
    #[arg(long)]
    ignore_ids: bool,
    /// fast: a short pause between chunks; real: the captured times.
    #[arg(long, value_enum, default_value_t = TimingArg::Fast)]
    timing: TimingArg,
    /// Compare as multisets: the order packets came in does not matter.
    #[arg(long)]
    unordered: bool,
    /// TCP: how long the server may be quiet after the last chunk before its answer is
    /// taken as complete.
    #[arg(long, default_value_t = 500)]
    quiet_ms: u64,
}

/// How the captured timing is kept.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum TimingArg {
    /// A short pause between chunks.
    Fast,
    /// The captured times.
    Real,
}

/// Exit status 2: the replay could not be done.
fn error(message: &str) -> ExitCode {
    eprintln!("chio replay: {message}");
    ExitCode::from(2)
}

/// Runs `chio replay`.
pub(crate) fn replay(args: &ReplayArgs) -> ExitCode {
    let sessions = match crate::capture::read(&args.capture) {
        Ok(sessions) => sessions,
        Err(message) => return error(&message),
    };
    let session = match args.session {
        Some(id) => sessions.iter().find(|s| s.id == id),
        None => sessions.first(),
    };
    let Some(session) = session else {
        let known: Vec<String> = sessions.iter().map(|s| s.id.to_string()).collect();
        return match args.session {
            Some(id) => error(&format!("no session {id} in the capture (sessions: {})", known.join(", "))),
            None => error("the capture has no session"),
        };
    };
    let target = if args.server.starts_with("http://") {
        Target::Http(args.server.clone())
    } else {
        match args.server.to_socket_addrs().map(|mut addrs| addrs.next()) {
            Ok(Some(addr)) => Target::Tcp(addr),
            Ok(None) => return error(&format!("{}: no address", args.server)),
            Err(e) => return error(&format!("{}: not host:port or an http:// URL: {e}", args.server)),
        }
    };
    let options = ReplayOptions {
        timing: match args.timing {
            TimingArg::Fast => Timing::Fast,
            TimingArg::Real => Timing::Real,
        },
        quiet: Duration::from_millis(args.quiet_ms),
        ..ReplayOptions::default()
    };
    let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(e) => return error(&format!("starting the runtime: {e}")),
    };
    let outcome = match runtime.block_on(replay::replay(session, target, &options)) {
        Ok(outcome) => outcome,
        Err(e) => return error(&format!("session {}: {e}", session.id)),
    };
    let captured = replay::captured_packets(session);
    let ignore = if args.ignore_ids { replay::with_ids(&args.ignore) } else { args.ignore.clone() };
    let differences = if args.unordered {
        replay::compare_unordered(&captured, &outcome.packets, &ignore)
    } else {
        replay::compare(&captured, &outcome.packets, &ignore)
    };
    let transport = match session.start.transport {
        Transport::Tcp => "TCP",
        Transport::Http => "HTTP",
    };
    eprintln!(
        "chio replay: session {} ({}, {transport}): {} packets captured, {} replayed, {} differences",
        session.id,
        session.start.version,
        captured.len(),
        outcome.packets.len(),
        differences.len()
    );
    let status = crate::output::print(|out| {
        use std::io::Write;
        for difference in &differences {
            writeln!(out, "{difference}")?;
        }
        Ok(())
    });
    if status != ExitCode::SUCCESS {
        return error("writing the differences");
    }
    if differences.is_empty() { ExitCode::SUCCESS } else { ExitCode::FAILURE }
}
