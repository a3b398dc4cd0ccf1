//! `chio load`: a load generator on the headless clients (`chio_client::load`): many
//! logins of mixed builds, chat, status changes and spectating, with the figures.

use std::io::Write as _;
use std::net::SocketAddr;
use std::process::ExitCode;
use std::time::Duration;

use chio_client::Transport;
use chio_client::load::{Latency, LoadConfig, LoadReport, run};
use chio_packets::Context;
use chio_packets::build::REVISIONS;
use chio_server::era::ClientPolicy;
use serde_json::{Value, json};

use crate::args;

/// Arguments of `chio load`.
#[derive(clap::Args, Debug)]
#[command(after_help = "\
Examples:
  chio serve --db :memory: --open-registration &
  chio load --tcp 127.0.0.1:13381 --http http://127.0.0.1:8080 --clients 1000 --builds all --duration 30
  chio load --http 127.0.0.1:8080 --clients 200 --builds 20250306 --rate 1 --json
  chio load --tcp 127.0.0.1:13381 --clients 50 --builds 282,1700,20121224 --spectate 0.2
  chio serve --db :memory: --open-registration --channel '#load0,#load1' &
  chio load --tcp 127.0.0.1:13381 --clients 100 --builds 1000,20121224 --channel '#load0,#load1'

Client i logs in as `<prefix><i>` (password the same) with the i-th build of --builds in
turn (`all`: every protocol revision, oldest first), over the build's transport:
TCP up to b20130815 (--tcp), HTTP after (--http). Logins are spread over --ramp seconds,
at most --in-flight at once. Once every login is done, each client acts --rate times a
second for --duration seconds: a chat message in #osu (with --channel: in the client's
group channel, or a private message in the group for builds before b452), or one time
in four a status change. Messages carry their send time; --samplers clients (polling every
--sample-poll-ms over HTTP) measure the delivery latency.

Exit status 1 when a login failed or an error happened.")]
pub(crate) struct LoadArgs {
    /// The server's TCP address (host:port), for b282 to b20130815.
    #[arg(long, visible_alias = "server")]
    tcp: Option<String>,
    /// The server's HTTP base URL (http://host:port, or host:port), for b20130816 on.
    #[arg(long)]
    http: Option<String>,
    /// How many clients log in.
    #[arg(long, default_value_t = 100)]
    clients: usize,
    /// `all` (every protocol revision) or a comma-separated list of builds.
    #[arg(long, default_value = "all")]
    builds: String,
    /// Seconds of activity once every client is in.
    #[arg(long, default_value_t = 10.0)]
    duration: f64,
    /// Actions per client per second.
    #[arg(long, default_value_t = 0.05)]
    rate: f64,
    /// Seconds over which the logins are spread.
    #[arg(long, default_value_t = 0.0)]
    ramp: f64,
    /// Most logins in flight at once.
    #[arg(long, default_value_t = 64)]
    in_flight: usize,
    /// The fraction of the clients (0 to 1) that spectate another one.
    #[arg(long, default_value_t = 0.0)]
    spectate: f64,
    /// How many clients measure the chat latency.
    #[arg(long, default_value_t = 32)]
    samplers: usize,
    /// Milliseconds between HTTP polls of most clients.
    #[arg(long, default_value_t = 1000)]
    poll_ms: u64,
    /// Milliseconds between HTTP polls of the latency samplers.
    #[arg(long, default_value_t = 20)]
    sample_poll_ms: u64,
    /// Seconds a login may take.
    #[arg(long, default_value_t = 60.0)]
    login_timeout: f64,
    /// Usernames are this followed by the client's number.
    #[arg(long, default_value = "load")]
    prefix: String,
    /// Chat groups: client i joins the i-th of these channels in turn and chats there
    /// (the server must list them: `chio serve --channel`); none: everyone in #osu.
    #[arg(long = "channel", value_name = "NAME", value_delimiter = ',')]
    channels: Vec<String>,
    /// The server's process id: its resident memory (/proc/PID/status) is reported.
    #[arg(long)]
    server_pid: Option<u32>,
    /// Print one JSON object instead of text.
    #[arg(long)]
    json: bool,
}

/// The builds `all` or `LIST` names.
fn parse_builds(text: &str) -> Result<Vec<u32>, String> {
    if text == "all" {
        return Ok(REVISIONS.iter().map(|r| r.build).collect());
    }
    let builds = text
        .split(',')
        .map(|b| args::parse_build(b.trim()).map(|b| b.0))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| format!("--builds: {e}"))?;
    if builds.is_empty() { Err("--builds: no build".to_owned()) } else { Ok(builds) }
}

fn seconds(flag: &str, value: f64) -> Result<Duration, String> {
    Duration::try_from_secs_f64(value).map_err(|_| format!("--{flag}: {value} is not a number of seconds"))
}

fn http_url(text: &str) -> String {
    let url = if text.starts_with("http://") { text.to_owned() } else { format!("http://{text}") };
    url.trim_end_matches('/').to_owned()
}

fn config(args: &LoadArgs) -> Result<LoadConfig, String> {
    let builds = parse_builds(&args.builds)?;
    let transport = |b: u32| ClientPolicy::for_context(Context::new(b)).transport;
    if args.tcp.is_none() && builds.iter().any(|&b| transport(b) == Transport::Tcp) {
        return Err("TCP builds (b282 to b20130815) need --tcp host:port".to_owned());
    }
    if args.http.is_none() && builds.iter().any(|&b| transport(b) == Transport::Http) {
        return Err("HTTP builds (b20130816 on) need --http http://host:port".to_owned());
    }
    if !(args.rate >= 0.0 && args.rate.is_finite()) {
        return Err(format!("--rate: {} is not a rate", args.rate));
    }
    if !(0.0..=1.0).contains(&args.spectate) {
        return Err(format!("--spectate: {} is not a fraction from 0 to 1", args.spectate));
    }
    let tcp = match &args.tcp {
        Some(text) => Some(
            text.parse::<SocketAddr>()
                .map_err(|_| format!("--tcp: `{text}` is not an address like 127.0.0.1:13381"))?,
        ),
        None => None,
    };
    let mut config = LoadConfig::new(args.clients, builds);
    config.tcp = tcp;
    config.http = args.http.as_deref().map(http_url);
    config.duration = seconds("duration", args.duration)?;
    config.ramp = seconds("ramp", args.ramp)?;
    config.rate = args.rate;
    config.max_logins_in_flight = args.in_flight.max(1);
    config.spectate_fraction = args.spectate;
    config.latency_samplers = args.samplers;
    config.poll_interval = Duration::from_millis(args.poll_ms.max(1));
    config.sample_poll_interval = Duration::from_millis(args.sample_poll_ms.max(1));
    config.login_timeout = seconds("login-timeout", args.login_timeout)?;
    config.name_prefix.clone_from(&args.prefix);
    config.server_pid = args.server_pid;
    config.channels.clone_from(&args.channels);
    Ok(config)
}

/// Runs `chio load`.
pub(crate) fn load(args: &LoadArgs) -> ExitCode {
    let config = match config(args) {
        Ok(config) => config,
        Err(message) => return crate::output::fail("load", &message),
    };
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(error) => return crate::output::fail("load", &format!("starting the runtime: {error}")),
    };
    let report = runtime.block_on(run(config));
    let code =
        if report.errors == 0 && report.login_failures == 0 { ExitCode::SUCCESS } else { ExitCode::FAILURE };
    let printed = if args.json {
        crate::output::print(|out| {
            serde_json::to_writer(&mut *out, &report_json(&report)).map_err(std::io::Error::other)?;
            writeln!(out)
        })
    } else {
        crate::output::print(|out| out.write_all(report_text(&report).as_bytes()))
    };
    if printed == ExitCode::SUCCESS { code } else { printed }
}

fn latency_json(latency: Option<&Latency>) -> Value {
    latency.map_or(
        Value::Null,
        |l| json!({ "samples": l.samples, "p50_ms": l.p50_ms, "p99_ms": l.p99_ms, "max_ms": l.max_ms }),
    )
}

fn report_json(report: &LoadReport) -> Value {
    let memory = &report.memory;
    json!({
        "clients": report.clients,
        "logged_in": report.logged_in,
        "login_failures": report.login_failures,
        "login_seconds": report.login_time.as_secs_f64(),
        "logins_per_second": report.logins_per_second(),
        "active_seconds": report.active_time.as_secs_f64(),
        "errors": report.errors,
        "error_messages": report.error_messages,
        "messages_sent": report.messages_sent,
        "messages_received": report.messages_received,
        "statuses_sent": report.statuses_sent,
        "spectators": report.spectators,
        "latency": latency_json(report.latency.as_ref()),
        "latency_tcp": latency_json(report.latency_tcp.as_ref()),
        "latency_http": latency_json(report.latency_http.as_ref()),
        "server_rss_bytes": {
            "start": memory.start,
            "after_logins": memory.after_logins,
            "end": memory.end,
            "per_session": memory.per_session(report.logged_in),
        },
    })
}

fn latency_text(latency: Option<&Latency>) -> String {
    latency.map_or_else(
        || "no samples".to_owned(),
        |l| {
            format!(
                "p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms ({} samples)",
                l.p50_ms, l.p99_ms, l.max_ms, l.samples
            )
        },
    )
}

fn mib(bytes: Option<u64>) -> String {
    bytes.map_or_else(|| "?".to_owned(), |b| format!("{:.1} MiB", b as f64 / (1024.0 * 1024.0)))
}

fn report_text(report: &LoadReport) -> String {
    let mut text = format!(
        "logins: {} of {} in {:.1} s ({:.0}/s), {} failed\n\
         activity: {:.1} s, {} messages sent, {} received, {} status changes, {} spectators\n\
         errors: {}\n\
         chat latency: {}\n  TCP receivers: {}\n  HTTP receivers: {}\n",
        report.logged_in,
        report.clients,
        report.login_time.as_secs_f64(),
        report.logins_per_second(),
        report.login_failures,
        report.active_time.as_secs_f64(),
        report.messages_sent,
        report.messages_received,
        report.statuses_sent,
        report.spectators,
        report.errors,
        latency_text(report.latency.as_ref()),
        latency_text(report.latency_tcp.as_ref()),
        latency_text(report.latency_http.as_ref()),
    );
    let memory = &report.memory;
    if memory.start.is_some() {
        text.push_str(&format!(
            "server memory: {} at start, {} after logins, {} at the end; {} per session\n",
            mib(memory.start),
            mib(memory.after_logins),
            mib(memory.end),
            memory.per_session(report.logged_in).map_or_else(|| "?".to_owned(), |b| format!("{b} bytes")),
        ));
    }
    for message in &report.error_messages {
        text.push_str(&format!("  {message}\n"));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_are_all_or_a_list() {
        assert_eq!(parse_builds("all").unwrap().len(), REVISIONS.len());
        assert_eq!(parse_builds("282, 20250306").unwrap(), [282, 20250306]);
        assert!(parse_builds("12").is_err());
    }

    #[test]
    fn transports_need_their_address() {
        use clap::Parser;
        #[derive(clap::Parser)]
        struct Cli {
            #[command(flatten)]
            load: LoadArgs,
        }
        let parse = |line: &[&str]| config(&Cli::parse_from([&["chio"], line].concat()).load);
        assert!(parse(&["--builds", "282"]).unwrap_err().contains("--tcp"));
        assert!(parse(&["--builds", "20250306"]).unwrap_err().contains("--http"));
        let config = parse(&["--server", "127.0.0.1:13381", "--http", "127.0.0.1:8080/"]).unwrap();
        assert_eq!(config.tcp, Some("127.0.0.1:13381".parse().unwrap()));
        assert_eq!(config.http.as_deref(), Some("http://127.0.0.1:8080"));
        assert!(parse(&["--http", "h:1", "--builds", "20250306", "--spectate", "2"]).is_err());
    }
}
