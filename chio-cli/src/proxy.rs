//! `chio proxy`: a bancho-aware proxy between osu! clients and their server, logging every
//! packet both ways and capturing every byte.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use chio_api::message::DisconnectReason;
use chio_api::server::{ApiServer, ServerConfig as ApiConfig};
use chio_api::source::SharedState;
use chio_proxy::api::TrafficState;
use chio_proxy::log::PacketLog;
use chio_proxy::proxy::{Proxy, ProxyConfig, shared_capture};
use chio_proxy::tap::{FanOut, Injector, Tap};

use crate::api::{ApproveMode, DemoApprover, grant_store};
use crate::output::fail;

/// The TCP address listened on when `--upstream-tcp` is given without `--listen-tcp`.
const DEFAULT_LISTEN_TCP: &str = "127.0.0.1:13382";
/// The HTTP address listened on when `--upstream-http` is given without `--listen-http`.
const DEFAULT_LISTEN_HTTP: &str = "127.0.0.1:8081";

/// The arguments of `chio proxy`.
#[derive(clap::Args, Debug)]
#[command(after_help = "\
Examples:
  chio serve --open-registration &               # a server: TCP :13381, HTTP :8080
  chio proxy --upstream-tcp 127.0.0.1:13381 --upstream-http http://127.0.0.1:8080 \\
             --log packets.jsonl --capture session.capture
  chio proxy --upstream-http http://127.0.0.1:8080 --listen-http 127.0.0.1:0

Every byte passes unchanged both ways; the proxy decodes a copy for its log and capture.
It listens on TCP (default 127.0.0.1:13382) only with --upstream-tcp, and on HTTP
(default 127.0.0.1:8081) only with --upstream-http. Once listening it prints:
  listening tcp 127.0.0.1:13382
  listening http 127.0.0.1:8081

--log writes one JSON line per packet, as `chio decode` prints it plus t_ms, session,
dir (c2s or s2c) and build; frames that do not decode are raw lines; the login line has
the password hash redacted. --capture writes every byte with direction and timing
(the chio-proxy crate's capture::read reads it). A capture holds the password hash as
sent: keep it private.

Pointing real clients at the proxy:
- TCP builds (up to b20130815): the client connects to a hardcoded bancho IP. Patch it
  (dnSpy), use a connect hook (Titanic's), or redirect that IP to the proxy's TCP port
  at the network level.
- 2013-2016 HTTP builds: map c.ppy.sh, c1.ppy.sh (and osu.ppy.sh) to the proxy in the
  hosts file; they speak plain HTTP to port 80, so listen there or forward 80 to
  --listen-http.
- Modern builds: run `osu!.exe -devserver <domain>`; the client then speaks HTTPS to
  c.<domain>. Put a TLS-terminating reverse proxy (Caddy, nginx) with a certificate the
  client trusts in front of --listen-http, and point --upstream-http at the server.
Bind to loopback (the default) unless other machines must reach the proxy.")]
pub(crate) struct ProxyArgs {
    /// Address for TCP clients [default: 127.0.0.1:13382 when --upstream-tcp is given].
    #[arg(long)]
    listen_tcp: Option<SocketAddr>,
    /// The server's TCP bancho address (b282 to b20130815 clients).
    #[arg(long)]
    upstream_tcp: Option<SocketAddr>,
    /// Address for HTTP clients [default: 127.0.0.1:8081 when --upstream-http is given].
    #[arg(long)]
    listen_http: Option<SocketAddr>,
    /// The server's HTTP base URL, such as http://127.0.0.1:8080 or https://c.example.com
    /// (TLS checked against the Web PKI roots).
    #[arg(long)]
    upstream_http: Option<String>,
    /// PEM certificates to trust for an https:// upstream besides the Web PKI roots (a
    /// private CA, or a test server's self-signed certificate).
    #[arg(long, requires = "upstream_http")]
    upstream_ca: Option<PathBuf>,
    /// Seconds the upstream may take (to accept, to answer a login or a poll, to take a
    /// write) before the proxy answers the client as a dead server would: TCP closed, HTTP
    /// `BanchoLoginReply(-5)` or `BanchoRestart`.
    #[arg(long, value_name = "SECS", default_value_t = chio_proxy::proxy::DEFAULT_UPSTREAM_TIMEOUT.as_secs_f64())]
    upstream_timeout: f64,
    /// Write one JSON line per packet to this file (`-` for standard error).
    #[arg(long)]
    log: Option<PathBuf>,
    /// Write a capture of every session's bytes to this file.
    #[arg(long)]
    capture: Option<PathBuf>,
    /// Serve the osu! client API from the traffic of the player who logs in through the
    /// proxy, on this address [default when given without one: 127.0.0.1:13381, the
    /// concept's port]. Applications' notifications and get_attention requests are
    /// injected into the player's stream.
    #[arg(long, num_args = 0..=1, default_missing_value = "127.0.0.1:13381", value_name = "ADDR")]
    api: Option<SocketAddr>,
    /// How the client API answers applications that ask for approval.
    #[arg(long, value_enum, default_value_t = ApproveMode::Prompt, requires = "api")]
    api_approve: ApproveMode,
    /// Keep the client API's grants in this SQLite file (tokens only as their hashes), so
    /// approved applications reconnect after a restart; in memory otherwise.
    #[arg(long, value_name = "PATH", requires = "api")]
    api_grants: Option<PathBuf>,
}

/// What `chio proxy` serves: the listeners resolved from the arguments.
struct Plan {
    config: ProxyConfig,
    tcp: Option<SocketAddr>,
    http: Option<SocketAddr>,
}

fn plan(args: &ProxyArgs, tap: Arc<dyn Tap>) -> Result<Plan, String> {
    if args.listen_tcp.is_some() && args.upstream_tcp.is_none() {
        return Err("--listen-tcp needs --upstream-tcp".to_owned());
    }
    if args.listen_http.is_some() && args.upstream_http.is_none() {
        return Err("--listen-http needs --upstream-http".to_owned());
    }
    let default = |text: &str| text.parse::<SocketAddr>().expect("a valid default address");
    let tcp = args.upstream_tcp.map(|_| args.listen_tcp.unwrap_or_else(|| default(DEFAULT_LISTEN_TCP)));
    let http =
        args.upstream_http.as_ref().map(|_| args.listen_http.unwrap_or_else(|| default(DEFAULT_LISTEN_HTTP)));
    if tcp.is_none() && http.is_none() {
        return Err("nothing to proxy: give --upstream-tcp and/or --upstream-http".to_owned());
    }
    let mut config = ProxyConfig {
        listen_tcp: tcp,
        upstream_tcp: args.upstream_tcp,
        listen_http: http,
        upstream_http: args.upstream_http.clone(),
        tap,
        ..ProxyConfig::default()
    };
    if !(args.upstream_timeout.is_finite() && args.upstream_timeout > 0.0) {
        return Err("--upstream-timeout must be a positive number of seconds".to_owned());
    }
    config.upstream_timeout = std::time::Duration::from_secs_f64(args.upstream_timeout);
    if let Some(path) = &args.upstream_ca {
        let pem = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        config.upstream_roots_pem = Some(pem);
    }
    if let Some(path) = &args.log {
        let log = if path.as_os_str() == "-" {
            PacketLog::new(std::io::stderr())
        } else {
            let file =
                std::fs::File::create(path).map_err(|e| format!("cannot create {}: {e}", path.display()))?;
            PacketLog::new(file)
        };
        config.log = Some(Arc::new(log));
    }
    if let Some(path) = &args.capture {
        let file =
            std::fs::File::create(path).map_err(|e| format!("cannot create {}: {e}", path.display()))?;
        config.capture =
            Some(shared_capture(file).map_err(|e| format!("cannot write {}: {e}", path.display()))?);
    }
    Ok(Plan { config, tcp, http })
}

/// The client API side of the proxy: the state the traffic feeds and its server's settings.
struct Api {
    traffic: Arc<TrafficState>,
    listen: SocketAddr,
    approve: ApproveMode,
    grants: Option<PathBuf>,
}

pub(crate) fn proxy(args: &ProxyArgs) -> ExitCode {
    let injector = Injector::new();
    // What observes the traffic besides the log and the capture: the client API's state.
    let api = args.api.map(|listen| Api {
        traffic: Arc::new(TrafficState::new(Arc::new(SharedState::new()), injector.clone())),
        listen,
        approve: args.api_approve,
        grants: args.api_grants.clone(),
    });
    let taps: Vec<Arc<dyn Tap>> = api.iter().map(|api| Arc::clone(&api.traffic) as Arc<dyn Tap>).collect();
    let mut plan = match plan(args, Arc::new(FanOut(taps))) {
        Ok(plan) => plan,
        Err(e) => return fail("proxy", &e),
    };
    plan.config.injector = injector;
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(e) => return fail("proxy", &format!("cannot start the runtime: {e}")),
    };
    match runtime.block_on(run(plan, api)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail("proxy", &e),
    }
}

/// Serves the client API from the traffic until the proxy stops.
async fn serve_api(api: Api) -> Result<chio_api::server::ServerHandle, String> {
    let store = grant_store(api.grants.as_deref())?;
    let config = ApiConfig { listen: api.listen, ..ApiConfig::default() };
    let state = Arc::clone(api.traffic.state());
    let server = ApiServer::bind_with_store(config, state, DemoApprover::new(api.approve), store)
        .await
        .map_err(|e| format!("client API: {e}"))?;
    println!("listening api {}", server.local_addr());
    let handle = server.handle();
    tokio::spawn(server.serve());
    // Notifications and interactions go into the player's stream.
    drop(api.traffic.spawn_write_side());
    Ok(handle)
}

async fn run(plan: Plan, api: Option<Api>) -> Result<(), String> {
    let proxy = Proxy::new(plan.config).map_err(|e| e.to_string())?;
    let api = match api {
        Some(api) => Some(serve_api(api).await?),
        None => None,
    };
    let mut tasks = tokio::task::JoinSet::new();
    for (name, addr) in [("tcp", plan.tcp), ("http", plan.http)] {
        let Some(addr) = addr else { continue };
        let listener =
            chio_server::listen::bind(addr).map_err(|e| format!("cannot listen on {addr}: {e}"))?;
        let local = listener.local_addr().map_err(|e| e.to_string())?;
        println!("listening {name} {local}");
        let proxy = proxy.clone();
        tasks.spawn(async move {
            if name == "tcp" { proxy.serve_tcp(listener).await } else { proxy.serve_http(listener).await }
        });
    }
    tokio::select! {
        _ = tokio::signal::ctrl_c() => proxy.shutdown(),
        Some(ended) = tasks.join_next() => {
            proxy.shutdown();
            if let Ok(Err(e)) = ended {
                return Err(format!("proxying failed: {e}"));
            }
        }
    }
    if let Some(api) = api {
        api.shutdown(DisconnectReason::Shutdown);
    }
    while tasks.join_next().await.is_some() {}
    Ok(())
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        args: ProxyArgs,
    }

    fn planned(argv: &[&str]) -> Result<Plan, String> {
        let cli = Cli::try_parse_from(std::iter::once("chio-proxy").chain(argv.iter().copied())).unwrap();
        plan(&cli.args, Arc::new(chio_proxy::tap::NoTap))
    }

    #[test]
    fn listeners_default_to_loopback_only_for_given_upstreams() {
        let plan = planned(&["--upstream-tcp", "127.0.0.1:13381"]).unwrap();
        assert_eq!(plan.tcp, Some(DEFAULT_LISTEN_TCP.parse().unwrap()));
        assert_eq!(plan.http, None);
        let plan =
            planned(&["--upstream-http", "http://127.0.0.1:8080", "--listen-http", "127.0.0.1:0"]).unwrap();
        assert_eq!((plan.tcp, plan.http), (None, Some("127.0.0.1:0".parse().unwrap())));
        assert!(planned(&[]).is_err());
        assert!(planned(&["--listen-tcp", "127.0.0.1:1"]).is_err());
    }

    #[test]
    fn the_upstream_timeout_is_positive_seconds() {
        let plan = planned(&["--upstream-tcp", "127.0.0.1:13381"]).unwrap();
        assert_eq!(plan.config.upstream_timeout, chio_proxy::proxy::DEFAULT_UPSTREAM_TIMEOUT);
        let plan = planned(&["--upstream-tcp", "127.0.0.1:13381", "--upstream-timeout", "2.5"]).unwrap();
        assert_eq!(plan.config.upstream_timeout, std::time::Duration::from_millis(2500));
        assert!(planned(&["--upstream-tcp", "127.0.0.1:13381", "--upstream-timeout", "0"]).is_err());
    }
}
